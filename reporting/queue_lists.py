"""The approver's queue as a list page (tiendo/lists.py): filtered by period, search and the
upper-level union, sorted oldest submission first, each row with what reporting.queue found.
The table shows a page of reports; their details are read for that page only."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reporting.models import Period
from reporting.queue import Details
from tiendo.formatting import integer, short_date
from tiendo.lists import NAME, ListTable, UnitListFilter

# The entry page's parameter that carries the queue's filter (next/previous keep it).
QUEUE_PARAM = "queue"


class QueueFilter(UnitListFilter):
    path_field = "unit__path"
    period = django_filters.ModelChoiceFilter(label=_("Reporting period"), queryset=Period.objects.none(),
                                              empty_label=_("All periods"))

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        periods = queryset.values("period") if queryset is not None else []
        self.filters["period"].queryset = Period.objects.filter(pk__in=periods).order_by("-year", "-half")


def queue_query(data) -> str:
    """The filter part of the queue's query string, as the entry page's `queue` parameter keeps it."""
    kept = [(name, value) for name in ("q", "parent", "period") for value in data.getlist(name) if value]
    return urlencode(kept)


def entry_url(report, queue: str) -> str:
    url = reverse("reporting:entry", args=[report.period_id, report.unit.code])
    return f"{url}?{urlencode({QUEUE_PARAM: queue})}" if queue is not None else url


class QueueTable(ListTable):
    list_name = "queue"
    title = _("Reports waiting for your decision")
    select = tables.Column(_("Select"), empty_values=(), orderable=False, exclude_from_export=True,
                           attrs={"cell": {"class": "select"}})
    unit = tables.Column(_("Unit"), accessor="unit__name", attrs=NAME, order_by=("unit__name",))
    period = tables.Column(_("Period"), accessor="period", order_by=("-period__year", "-period__half"))
    submitted_at = tables.Column(_("Submitted"))
    changes = tables.Column(_("Against last year"), empty_values=(), orderable=False)
    flags = tables.Column(_("Validation"), empty_values=(), orderable=False)

    class Meta:
        order_by = ("submitted_at",)

    def __init__(self, data, *, queue: str = "", **kwargs):
        super().__init__(data, **kwargs)
        self.queue = queue
        self.details: dict[int, Details] = {}

    def _details(self, record) -> Details:
        return self.details.get(record.pk, Details())

    def render_select(self, record):
        if record.entered_by_user:
            return format_html('<span class="muted" title="{}">{}</span>',
                               _("You entered or submitted this report: someone else must approve it."),
                               _("yours"))
        if self._details(record).flagged:
            return format_html('<span class="muted">{}</span>', _("open it"))
        return format_html(
            '<label class="tick"><input type="checkbox" name="report" value="{}:{}" form="bulk-approve" '
            'aria-label="{}"> {}</label>',
            record.pk, record.version, _("Approve %(unit)s") % {"unit": record.unit.name}, _("Approve"))

    def render_unit(self, value, record):
        return format_html('<a href="{}">{}</a><br><span class="code muted">{}</span>',
                           entry_url(record, self.queue), value, record.unit.code)

    def render_period(self, value):
        return value.label

    def value_period(self, value):
        return str(value.label)

    def render_submitted_at(self, value):
        days = (timezone.localdate() - timezone.localtime(value).date()).days
        return format_html('{}<br><span class="muted">{}</span>', short_date(timezone.localtime(value).date()),
                           ngettext("waiting %(n)s day", "waiting %(n)s days", days) % {"n": integer(days)})

    def value_submitted_at(self, value):
        return value

    def render_changes(self, record):
        changes = self._details(record).changes
        if not changes:
            return "—"
        line = '<span class="change">{} <strong>{}</strong> {} <span class="muted">{}</span></span>'
        return format_html_join("", line, ((c.label, integer(c.after), c.arrow, _signed(c.difference))
                                           for c in changes))

    def value_changes(self, record):
        return "; ".join(f"{c.label}: {integer(c.before)} → {integer(c.after)}" for c in self._details(record).changes)

    def render_flags(self, record):
        flags = self._details(record).flags
        if not flags:
            return format_html('<span class="ok">✓ {}</span>', _("nothing flagged"))
        return format_html_join(
            "", '<span class="{}">{}: {}{}</span>',
            (("error" if f.finding.is_error else "warning", f.label, f.finding.message,
              format_html(' <em>“{}”</em>', f.comment) if f.comment else "") for f in flags))

    def value_flags(self, record):
        return "; ".join(f"{f.label}: {f.finding.message}" + (f" ({f.comment})" if f.comment else "")
                         for f in self._details(record).flags)


def _signed(difference: int | None) -> str:
    if difference is None:
        return ""
    return f"+{integer(difference)}" if difference > 0 else integer(difference) if difference else ""
