"""The inbox (everyone's own notifications and email choices) and the province's reminders page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.permissions import can_send_reminders, home_unit
from notifications.forms import EmailPreferenceForm, RemindNowForm
from notifications.lists import ReminderFilter, ReminderTable
from notifications.models import EmailPreference, Notification, Reminder
from notifications.reminders import missing_everywhere, remind_now
from reporting.models import Period
from tiendo.lists import configure

PER_PAGE = 20
MISSING_SHOWN = 500  # units offered in the "remind now" form at once (search narrows it)


def _preferences_form(user, data=None) -> EmailPreferenceForm:
    instance = EmailPreference.objects.filter(user=user).first() or EmailPreference(user=user)
    return EmailPreferenceForm(data, instance=instance)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(user=request.user)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    unread = notifications.filter(read=False).count()
    return render(request, "notifications/inbox.html", {
        "page": page, "unread_total": unread, "preferences": _preferences_form(request.user),
        "has_email": bool(request.user.email)})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """One notification (`id`) or all of them (`all`) marked read; a notification of someone
    else is not found. With `next`, goes on to the notification's page."""
    mine = Notification.objects.filter(user=request.user, read=False)
    if request.POST.get("all"):
        mine.update(read=True)
        return redirect("notifications:inbox")
    try:
        chosen = int(request.POST.get("id", ""))
    except ValueError:
        chosen = 0
    notification = get_object_or_404(Notification, pk=chosen, user=request.user)
    mine.filter(pk=notification.pk).update(read=True)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(reverse("notifications:inbox") + f"?page={request.POST.get('page', 1)}")


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    form = _preferences_form(request.user, request.POST)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your email choices are saved."))
    return redirect(reverse("notifications:inbox") + "#email")


def _period(request: HttpRequest) -> Period | None:
    wanted = request.GET.get("period") or request.POST.get("period")
    periods = Period.objects.filter(status=Period.Status.OPEN)
    try:
        return periods.filter(pk=int(wanted)).first() if wanted else periods.order_by("-due_on").first()
    except ValueError:
        return None


@login_required
def reminders(request: HttpRequest) -> HttpResponse:
    if not can_send_reminders(request.user):
        raise PermissionDenied
    sent = Reminder.objects.select_related("unit", "period", "sent_by")
    reminder_filter = ReminderFilter(request.GET or None, sent, user=request.user, root=home_unit(request.user))
    table = ReminderTable(reminder_filter.rows)
    if download := configure(request, table, PER_PAGE):
        return download
    return _reminders_page(request, reminder_filter, table, _period(request))


def _reminders_page(request, reminder_filter, table, period, form=None, status=200):
    missing = list(missing_everywhere(period).order_by("path")[:MISSING_SHOWN]) if period else []
    form = form or RemindNowForm(missing=missing)
    return render(request, "notifications/reminders.html", {
        "filter": reminder_filter, "table": table, "period": period, "form": form, "missing_count": len(missing),
        "open_periods": Period.objects.filter(status=Period.Status.OPEN).order_by("-due_on"),
        "shown_limit": MISSING_SHOWN}, status=status)


@login_required
@require_POST
def remind(request: HttpRequest) -> HttpResponse:
    if not can_send_reminders(request.user):
        raise PermissionDenied
    period = _period(request)
    if period is None:
        raise PermissionDenied  # a closed period's units are not reminded
    missing = list(missing_everywhere(period).order_by("path")[:MISSING_SHOWN])
    form = RemindNowForm(request.POST, missing=missing)
    if not form.is_valid():
        sent = Reminder.objects.select_related("unit", "period", "sent_by")
        reminder_filter = ReminderFilter(None, sent, user=request.user, root=home_unit(request.user))
        table = ReminderTable(reminder_filter.rows)
        configure(request, table)
        return _reminders_page(request, reminder_filter, table, period, form=form, status=400)
    done = remind_now(period, form.cleaned_data["units"], request.user, timezone.localdate())
    chosen = len(form.cleaned_data["units"])
    messages.success(request, ngettext(
        "%(units)d unit reminded (%(people)d people).", "%(units)d units reminded (%(people)d people).",
        done.units) % {"units": done.units, "people": done.notifications}
        + (" " + _("%(skipped)d already reminded today.") % {"skipped": chosen - done.units}
           if chosen > done.units else ""))
    return redirect(reverse("notifications:reminders") + f"?period={period.pk}")
