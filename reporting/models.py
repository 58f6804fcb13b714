"""Reporting: periods, the reports units send for them and the values in those reports. (The
trail of every step is the audit trail, read as the report's history by reporting.history; the
units' implementation plans are their own app: plans.)

Data values are keyed by (report, data element) and a report by (period, unit), so a value
is always (unit, element, period), DHIS2-style. A report stays attached to the unit that made
it even if that unit later moves or closes.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs.models import DataElement
from units.models import Unit


class Period(models.Model):
    class Kind(models.TextChoices):
        YEAR = "year", _("year")
        HALF = "half", _("six months")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("reporting period", "open")
        CLOSED = "closed", pgettext_lazy("reporting period", "closed")

    """A span of the calendar units report for: no program's own. The programs asking for it are
    those whose reporting years hold its year (reporting.elements.programs_asking)."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.YEAR)
    year = models.PositiveSmallIntegerField(_("year"))
    # 1 or 2 for six months; 0 for a whole year (not NULL, so that the unique constraint holds).
    half = models.PositiveSmallIntegerField(_("half"), default=0)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                  verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-year", "-half"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "half"], name="period_unique"),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        if self.kind == self.Kind.HALF:
            return (_("first six months of %(year)s") if self.half == 1 else _("last six months of %(year)s")) % {
                "year": self.year}
        return _("year %(year)s") % {"year": self.year}

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @staticmethod
    def bounds(kind: str, year: int, half: int = 0) -> tuple[datetime.date, datetime.date]:
        """The first and last day a period covers."""
        if kind == Period.Kind.HALF:
            return (datetime.date(year, 1, 1), datetime.date(year, 6, 30)) if half == 1 else (
                datetime.date(year, 7, 1), datetime.date(year, 12, 31))
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    def previous(self) -> Period | None:
        """The period of the same kind just before this one (last year's, last half's)."""
        earlier = Period.objects.filter(kind=self.kind, ends_on__lt=self.starts_on)
        return earlier.order_by("-ends_on").first()


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for correction")
        APPROVED = "approved", _("approved")
        LOCKED = "locked", _("locked")

    class Step(models.TextChoices):
        """The steps of a report's workflow, as its history and the audit trail name them: each is
        one audit entry about the report (additional_data["event"]), written by reporting.actions."""
        SAVED = "saved", _("saved")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")
        REOPENED = "reopened", _("reopened")
        LOCKED = "locked", _("locked")
        IMPORTED = "imported", _("imported from a spreadsheet")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    SENT = (Status.SUBMITTED, Status.APPROVED, Status.LOCKED)
    # The steps that put values into a report: whoever made one may not approve it.
    ENTERING = (Step.SAVED, Step.IMPORTED, Step.SUBMITTED)

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports",
                               verbose_name=_("reporting period"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports", verbose_name=_("unit"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    # Optimistic locking: every write bumps it, and a write based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=0)
    # Set when the province reopens a report, so that it can go through the workflow again
    # (corrected, submitted, decided) after its period closed; cleared when it is approved again.
    late_allowed = models.BooleanField(_("late correction allowed"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # When the report last changed (every step sets it), for the data stamp's one aggregate
    # query over tens of thousands of reports; who changed it is in its history.
    updated_at = models.DateTimeField(_("updated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="report_unique_per_unit")]
        # (unit, period, status): the engine's counts go from each unit of a subtree to its
        # reports of some periods and read their status, from this index alone (SQLite: a
        # district's breakdown at 15,000 unions, its reports' query 37 → 18 ms).
        indexes = [models.Index(fields=["period", "status"]), models.Index(fields=["unit", "period", "status"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"

    @property
    def period_allows_change(self) -> bool:
        """The one rule of closed periods: a report of a closed period changes (saved,
        imported, submitted, approved, returned) only after a recorded reopening, of its
        period (actions.do_open_period) or of the report itself (actions.do_reopen)."""
        return self.period.is_open or self.late_allowed

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE and self.period_allows_change

    @property
    def is_sent(self) -> bool:
        return self.status in self.SENT


class DataValue(models.Model):
    """One reported value. Numbers (counts, yes = 1 / no = 0, percents) go in `number`;
    classes A–D, dates (ISO) and text go in `text`."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.CharField(max_length=500, blank=True)
    # Why a value that raised a warning is right (required to submit it).
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "element"], name="value_unique_per_report")]
        indexes = [models.Index(fields=["element", "report"])]

    def __str__(self) -> str:
        return f"{self.element.code}={self.value!r}"

    @property
    def value(self):
        return stored_to_value(self.element.type, self.number, self.text)


NUMBER_TYPES = ("count", "boolean", "percent")


def value_to_stored(element_type: str, value) -> tuple[Decimal | None, str]:
    """A Python value (int, bool, 'A', date, str or None) as the (number, text) columns."""
    if value is None or value == "":
        return None, ""
    if element_type == "boolean":
        return Decimal(1 if value else 0), ""
    if element_type in NUMBER_TYPES:
        return Decimal(value), ""
    if element_type == "date":
        return None, value.isoformat()
    return None, str(value)


def shown_value(value) -> str:
    """A value as people read it on a page: "—" for none, Yes/No, 1.200, 15/08/2021."""
    from django.utils.translation import gettext

    from tiendo.formatting import integer, short_date

    if value is None or value == "":
        return "—"
    if value is True or value is False:
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, int):
        return integer(value)
    if isinstance(value, datetime.date):
        return short_date(value)
    return str(value)


def stored_to_value(element_type: str, number: Decimal | None, text: str):
    if element_type == "boolean":
        return None if number is None else bool(number)
    if element_type == "count":
        return None if number is None else int(number)
    if element_type == "percent":
        return number
    if element_type == "date":
        return datetime.date.fromisoformat(text) if text else None
    return text or None


class ReportDraft(models.Model):
    """What an officer has typed into a report's form and not yet saved, kept as they type (the
    form's autosave), one per (period, unit, user). It is not the report: nobody else sees it, it
    changes no version and leaves no step in the trail. It holds the form's raw fields and the
    report version it was typed over; a draft over an older version (someone saved or decided
    the report since) is dropped rather than laid over newer values. Saving or submitting the
    report deletes it."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    base_version = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "unit", "user"], name="draft_unique_per_user")]

    def __str__(self) -> str:
        return f"draft of {self.unit_id} · {self.period_id} by {self.user_id}"
