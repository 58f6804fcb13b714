"""What the system tells people: a notification per recipient (the in-app inbox, and the mail
sent from it if its recipient wants that kind by email), each person's email choices, the
reminders sent to units that have not reported, and the days the daily pass has run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reporting.models import Period, Report
from units.models import Unit


class Kind(models.TextChoices):
    RETURNED = "returned", _("Report returned for correction")
    APPROVED = "approved", _("Report approved")
    REOPENED = "reopened", _("Report reopened")
    PERIOD_OPENED = "period_opened", _("Reporting period opened")
    DIGEST = "digest", _("Reports waiting for your approval (daily)")
    REMINDER = "reminder", _("Reminder to report")
    ESCALATION = "escalation", _("Units below yours that have not reported")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"))
    report = models.ForeignKey(Report, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                               verbose_name=_("report"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read = models.BooleanField(_("read"), default=False)
    # Set by the mail job once the mail went out (or None: not wanted by email, or not yet sent).
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-id"]
        # The header's count (unread of one user) and the inbox (one user's, newest first).
        indexes = [models.Index(fields=["user", "read"]), models.Index(fields=["user", "-created"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.subject}"


# What reaches a person's email when they have chosen nothing (EmailPreference absent).
EMAIL_DEFAULTS = {Kind.RETURNED: True, Kind.APPROVED: True, Kind.REOPENED: True, Kind.PERIOD_OPENED: True,
                  Kind.DIGEST: True, Kind.REMINDER: True, Kind.ESCALATION: True}


class EmailPreference(models.Model):
    """One person's choice, per kind, of what reaches their email (the inbox gets everything)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference",
                                verbose_name=_("user"))
    returned = models.BooleanField(Kind.RETURNED.label, default=EMAIL_DEFAULTS[Kind.RETURNED])
    approved = models.BooleanField(Kind.APPROVED.label, default=EMAIL_DEFAULTS[Kind.APPROVED])
    reopened = models.BooleanField(Kind.REOPENED.label, default=EMAIL_DEFAULTS[Kind.REOPENED])
    period_opened = models.BooleanField(Kind.PERIOD_OPENED.label, default=EMAIL_DEFAULTS[Kind.PERIOD_OPENED])
    digest = models.BooleanField(Kind.DIGEST.label, default=EMAIL_DEFAULTS[Kind.DIGEST])
    reminder = models.BooleanField(Kind.REMINDER.label, default=EMAIL_DEFAULTS[Kind.REMINDER])
    escalation = models.BooleanField(Kind.ESCALATION.label, default=EMAIL_DEFAULTS[Kind.ESCALATION])

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")

    def __str__(self) -> str:
        return str(self.user)

    def wants(self, kind: str) -> bool:
        return getattr(self, kind)


class Reminder(models.Model):
    """A reminder sent to a unit that had not reported for a period, at one step of the schedule
    (notifications.reminders): the unique constraint is what makes a step never sent twice."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("unit"))
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reminders",
                               verbose_name=_("reporting period"))
    # "before-7", "after-1", "escalation" (to the approver above), "manual-2026-12-02" (sent by hand).
    step = models.CharField(_("step"), max_length=30)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("sent by"))  # None: the daily pass
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "period", "step"], name="reminder_once_per_step")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period} · {self.step}"


class DailyPass(models.Model):
    """A day on which the daily pass (reminders and the approvers' digest) has run: one per day,
    so that the pass run again (a retry, cron and the worker both) sends nothing twice."""

    day = models.DateField(_("day"), unique=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    reminders = models.PositiveIntegerField(_("reminders"), default=0)
    digests = models.PositiveIntegerField(_("digests"), default=0)

    class Meta:
        verbose_name = _("daily pass")
        verbose_name_plural = _("daily passes")

    def __str__(self) -> str:
        return str(self.day)
