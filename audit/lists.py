"""The audit trail as a list (tiendo/lists.py): filtered by what, who, which change (the
status), which unit's subtree and when; sorted by any column; each page's rows presented by
audit.views.present in a few queries, and the .xlsx download with exactly the filtered rows."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import django_filters
import django_tables2 as tables
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.forms import DATE, AuditFilterForm, kind_choices
from audit.models import AuditEntry
from tiendo.days import day_start
from tiendo.forms import DATE_INPUT_FORMATS
from tiendo.lists import NAME, ListTable, UnitListFilter
from units.models import Unit


class AuditFilter(UnitListFilter):
    """The trail's filters; search also finds the entries of the units whose name matches,
    diacritics ignored; the parent unit keeps the entries of its whole subtree."""

    path_field = "unit_path"
    actor = django_filters.CharFilter(label=_("Who"), field_name="actor_name", lookup_expr="iexact", max_length=150)
    kind = django_filters.ChoiceFilter(label=_("Kind of record"), choices=kind_choices, method="of_kind",
                                       empty_label=None)
    action = django_filters.TypedChoiceFilter(
        label=_("Change"), coerce=int, empty_value=None,
        choices=[("", _("All changes")), (AuditEntry.Action.CREATE, _("created")),
                 (AuditEntry.Action.UPDATE, _("changed")), (AuditEntry.Action.DELETE, _("deleted"))],
    )
    since = django_filters.DateFilter(label=_("From"), widget=DATE, input_formats=DATE_INPUT_FORMATS, method="from_day")
    until = django_filters.DateFilter(label=_("To"), widget=DATE, input_formats=DATE_INPUT_FORMATS, method="to_day")

    class Meta:
        model = AuditEntry
        fields: list[str] = []
        form = AuditFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("Contains")
        self.filters["parent"].label = _("Unit (and the units below it)")

    def search(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(object_repr__icontains=value) | Q(actor_name__icontains=value)
                               | Q(unit_path__in=Unit.objects.search(value).values("path")))

    def of_kind(self, queryset, name, value):
        if not value:
            return queryset
        app_label, model = value.split(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)

    def from_day(self, queryset, name, value):
        return queryset.filter(timestamp__gte=day_start(value)) if value else queryset

    def to_day(self, queryset, name, value):
        return queryset.filter(timestamp__lt=day_start(value + datetime.timedelta(days=1))) if value else queryset


class AuditTable(ListTable):
    """Each column reads the row that audit.views.present prepared for the entry (`presented`,
    set by the view for the page shown, and for every row before a download)."""

    list_name = "audit"
    title = _("Audit trail")
    timestamp = tables.DateTimeColumn("d/m/Y H:i:s", verbose_name=_("When"), order_by=("timestamp", "id"),
                                       attrs={"cell": {"class": "code"}})
    who = tables.Column(_("Who"), accessor="actor_name", empty_values=())
    action = tables.Column(_("Change"), empty_values=())
    kind = tables.Column(_("Kind of record"), accessor="content_type__model", empty_values=())
    object_repr = tables.Column(_("Record"), attrs=NAME)
    unit = tables.Column(_("Unit"), accessor="unit_path", empty_values=())
    changes = tables.Column(_("Fields changed"), orderable=False, empty_values=())

    def __init__(self, data, *, present: Callable[[list[AuditEntry]], list[dict]], **kwargs):
        kwargs.setdefault("order_by", "-timestamp")
        super().__init__(data, **kwargs)
        self._present = present  # audit.views.present: the one way an entry is shown
        self.presented: dict[int, dict] = {}

    def present(self, entries: list[AuditEntry]) -> list[dict]:
        rows = self._present(entries)
        self.presented = {row["entry"].pk: row for row in rows}
        return rows

    def as_values(self, exclude_columns=None):
        self.present(list(self.data.data))  # every filtered row, in as many queries as one page
        return super().as_values(exclude_columns)

    def _row(self, record) -> dict:
        return self.presented[record.pk]

    def render_who(self, record):
        return self._row(record)["who"]

    def render_action(self, record):
        return self._row(record)["action"]

    def render_kind(self, record):
        return self._row(record)["kind"]

    def render_unit(self, record):
        unit = self._row(record)["unit"]
        return format_html('{} <span class="code">({})</span>', unit.name, unit.code) if unit else ""

    def render_changes(self, record):
        row = self._row(record)
        return render_to_string("audit/_changes.html", {"row": row})

    def value_changes(self, record):
        row = self._row(record)
        lines = [f"{change.field}: {change.before} → {change.after}" for change in row["changes"]]
        return "\n".join(([row["comment"]] if row["comment"] else []) + lines)

    def value_timestamp(self, value):
        return value
