"""The header's unread count on every page: one COUNT, only when a page shows it (lazy), and
none for an anonymous visitor."""

from django.utils.functional import SimpleLazyObject

from notifications.models import Notification


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(
        lambda: Notification.objects.filter(user=user, read=False).count())}
