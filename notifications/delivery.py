"""Notifications are written in bulk (one INSERT for all recipients), then a job on the queue
mails those whose recipient wants that kind by email: never in the request, and a mail server
that is down makes the job fail and be retried (jobs.queue), not the step."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs.queue import job
from notifications.models import EMAIL_DEFAULTS, EmailPreference, Notification


def deliver(users: Iterable, kind: str, subject: str, text: str = "", link: str = "", unit=None,
            report=None) -> list[Notification]:
    """One notification per user (in one INSERT), then the mail job for them once committed."""
    rows = [Notification(user=user, kind=kind, subject=subject[:200], text=text, link=link, unit=unit,
                         report=report) for user in users]
    return deliver_rows(rows)


def deliver_rows(rows: list[Notification]) -> list[Notification]:
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]  # SQLite ≥ 3.35 and PostgreSQL return them from the INSERT
    transaction.on_commit(lambda: send_mails.enqueue(ids))
    return created


def wants_email(preferences: dict[int, EmailPreference], user_id: int, kind: str) -> bool:
    chosen = preferences.get(user_id)
    return chosen.wants(kind) if chosen else EMAIL_DEFAULTS[kind]


def _message(notification: Notification) -> EmailMessage:
    body = notification.text
    if notification.link:
        body += "\n\n" + _("Open: %(url)s") % {"url": settings.SITE_URL + notification.link}
    body += "\n\n" + _("You receive this mail because you chose it in Tiến độ (Notifications → Email). "
                       "Change your choices there.")
    return EmailMessage(notification.subject, body, settings.DEFAULT_FROM_EMAIL, [notification.user.email])


@job()
def send_mails(notification_ids: list[int]) -> int:
    """Mail the given notifications whose recipient has an address and wants that kind by email,
    over one connection; those already mailed (an earlier run of this job) are skipped, so a
    retry after a failure does not mail twice what had gone out. Returns how many went out."""
    pending = list(Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
                   .exclude(user__email="").select_related("user"))
    preferences = {p.user_id: p for p in EmailPreference.objects.filter(user__in={n.user_id for n in pending})}
    wanted = [n for n in pending if wants_email(preferences, n.user_id, n.kind) and n.user.is_active]
    if not wanted:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        messages = [_message(n) for n in wanted]
    get_connection().send_messages(messages)
    Notification.objects.filter(pk__in=[n.pk for n in wanted]).update(emailed_at=timezone.now())
    return len(messages)
