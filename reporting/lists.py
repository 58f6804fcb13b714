"""The completeness page's two lists (tiendo/lists.py): completeness per child unit, and the
units that have not reported with the upper-level union each belongs to. The figures are
reporting.completeness's; these tables only present, filter and sort them."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from reporting.models import Period, Report
from tiendo.lists import NAME, CodeColumn, ListTable, ParentColumn, UnitListFilter, keep_all, unit_name, with_parent
from units.models import UnitQuerySet

NO_REPORT = "none"
COMPLETE, INCOMPLETE = "complete", "incomplete"


def _status_badge(status: str | None) -> str:
    if status is None:
        return format_html('<span class="badge status-none">{}</span>', _status_word(status))
    return format_html('<span class="badge status-{}">{}</span>', status, _status_word(status))


def _status_word(status: str | None) -> str:
    return capfirst(_("no report yet") if status is None else Report.Status(status).label)


# --- per child unit --------------------------------------------------------------------------------

def child_rows(period: Period, by_child: list) -> list[dict]:
    """completeness().by_child as rows, with the report's status of a grassroots child (one query)."""
    statuses = dict(Report.objects.filter(period=period, unit_id__in=[child.pk for child, _counts in by_child])
                    .values_list("unit_id", "status"))
    return [{"unit": child, "counts": counts, "status": statuses.get(child.id),
             "state": INCOMPLETE if counts.missing else COMPLETE} for child, counts in by_child]


class ChildFilter(UnitListFilter):
    status = django_filters.ChoiceFilter(
        label=_("Status"), method=keep_all, empty_label=_("All units"),
        choices=[(INCOMPLETE, _("Some units have not reported")), (COMPLETE, _("Every unit has reported"))],
    )


class ChildTable(ListTable):
    list_name = "units"
    title = _("Completeness by unit")
    unit = tables.Column(_("Unit"), accessor="unit__name", attrs=NAME)
    code = CodeColumn(accessor="unit__code")
    submitted = tables.Column(_("Submitted"), accessor="counts__submitted", attrs={"cell": {"class": "num"}})
    expected = tables.Column(_("Expected to report"), accessor="counts__expected", attrs={"cell": {"class": "num"}})
    percent = tables.Column(_("Submitted (%)"), accessor="counts__percent", attrs={"cell": {"class": "num"}})
    on_time = tables.Column(_("On time"), accessor="counts__on_time", attrs={"cell": {"class": "num"}})
    late = tables.Column(_("Late"), accessor="counts__late", attrs={"cell": {"class": "num"}})
    missing = tables.Column(_("Missing"), accessor="counts__missing", attrs={"cell": {"class": "num"}})
    approved = tables.Column(_("Approved"), accessor="counts__approved", attrs={"cell": {"class": "num"}})
    status = tables.Column(_("Report"), accessor="status", empty_values=())

    def __init__(self, data, *, period: Period, **kwargs):
        super().__init__(data, **kwargs)
        self.period = period

    def render_unit(self, value, record):
        unit = record["unit"]
        url = (reverse("reporting:entry", args=[self.period.id, unit.code]) if unit.is_grassroots
               else reverse("reporting:completeness", args=[self.period.id, unit.code]))
        return unit_name(unit.name, unit.short_name, url)

    def value_unit(self, value):
        return value

    def render_percent(self, value):
        return f"{value:.0f}%"

    def value_percent(self, value):
        return round(value, 1)

    def render_status(self, value, record):
        return _status_badge(value) if record["unit"].is_grassroots else "—"

    def value_status(self, value, record):
        return _status_word(value) if record["unit"].is_grassroots else ""


# --- units that have not reported ------------------------------------------------------------------

def with_parent_and_status(units: UnitQuerySet, period: Period) -> UnitQuerySet:
    """Each unit's parent (the upper-level union it belongs to) and its report's status in the
    period (None: no report), as subqueries: the page's query count does not grow with rows."""
    return with_parent(units).annotate(
        report_status=Subquery(Report.objects.filter(period=period, unit=OuterRef("pk")).values("status")[:1]))


class MissingFilter(UnitListFilter):
    status = django_filters.ChoiceFilter(
        label=_("Status"), method="with_status", empty_label=_("All units"),
        choices=[(NO_REPORT, capfirst(_("no report yet"))), (Report.Status.DRAFT, capfirst(_("draft"))),
                 (Report.Status.RETURNED, capfirst(_("returned for correction")))],
    )

    def with_status(self, queryset, name, value):
        if value == NO_REPORT:
            return queryset.filter(report_status__isnull=True)
        return queryset.filter(report_status=value) if value else queryset


class MissingTable(ListTable):
    list_name = "missing"
    title = _("Not reported yet")
    name = tables.Column(_("Unit"), attrs=NAME)
    # Right after the name: on a phone, the union each unit belongs to is in view without
    # scrolling the table sideways (the code comes after it).
    parent_name = ParentColumn()
    code = CodeColumn()
    report_status = tables.Column(_("Status"), empty_values=())
    contact_name = tables.Column(_("Contact person"), default="")
    phone = tables.Column(_("Phone"), default="")
    email = tables.Column(_("Email"), default="")

    def __init__(self, data, *, period: Period, **kwargs):
        super().__init__(data, **kwargs)
        self.period = period

    def render_name(self, value, record):
        return unit_name(value, record.short_name, reverse("reporting:entry", args=[self.period.id, record.code]))

    def value_name(self, value):
        return value

    def render_report_status(self, value):
        return _status_badge(value)

    def value_report_status(self, value):
        return _status_word(value)

    def render_phone(self, value):
        return format_html('<a href="tel:{}">{}</a>', value.replace(" ", ""), value)

    def render_email(self, value):
        return format_html('<a href="mailto:{}">{}</a>', value, value)
