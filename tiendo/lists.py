"""List pages: a django-tables2 table, filtered by a django-filter FilterSet, sorted by any
column, paginated keeping the filters, and downloaded as .xlsx with exactly the filtered rows.

The tables present what the domain functions compute (reporting.completeness, plans.status,
indicators.reading, the audit trail); nothing here counts. A page with two lists gives each
its own prefix, so that their sort, page and filter parameters do not mix.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable, Iterable
from io import BytesIO

import django_filters
import django_tables2 as tables
from django.db.models import F, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeData
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_tables2 import RequestConfig
from django_tables2.data import TableListData
from django_tables2.utils import Accessor, OrderBy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from accounts.permissions import visible_units
from units.models import Unit, UnitKind, UnitQuerySet
from units.text import abbreviated_name, fold, keep_as_words

ROWS_PER_PAGE = 50
# ?xlsx=<the table's name>: the download of that list, filtered and sorted as the page asks.
XLSX_PARAM = "xlsx"
NAME = {"cell": {"class": "name"}}  # a unit's (or a record's) name: the column that keeps some width on a phone
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _RowsSortedByKey(TableListData):
    """A computed list's rows (dicts or objects, not a queryset), sorted as django-tables2 sorts
    them, each row's value read once: its comparator reads both rows' values at every comparison
    (a district's 677 ranked unions took 8 ms). No value (None) goes first, as its comparator
    puts it; then stable sorts from the last ordering column to the first."""

    def order_by(self, aliases):
        orders = []
        for alias in aliases:  # as TableListData.order_by: the column's own order_by, or its opposite
            column = self.table.columns[OrderBy(alias).bare]
            orders += column.order_by.opposite if alias[0] != column.order_by_alias[0] else column.order_by
        for order in reversed(orders):
            accessor = Accessor(order.bare)

            def key(row, accessor=accessor):
                value = accessor.resolve(row, quiet=True)
                return (value is not None, value)

            self.data.sort(key=key, reverse=order.is_descending)


class ListTable(tables.Table):
    """A list page's table: the project's look, a horizontal scroll of its own on a phone."""

    list_name = "list"  # the value of ?xlsx= that downloads this table; also its sort and page parameters' prefix

    def __init__(self, data, **kwargs):
        if isinstance(data, list):
            data = _RowsSortedByKey(data)
        kwargs.setdefault("prefix", f"{self.list_name}_")
        kwargs.setdefault("template_name", "_table.html")
        kwargs.setdefault("attrs", {"class": "table"})
        kwargs.setdefault("empty_text", _("No row matches."))
        super().__init__(data, **kwargs)


def parent_choices(user, root: Unit) -> UnitQuerySet:
    """The upper-level unions of `root`'s subtree that the user may see: the parent-unit picker."""
    return visible_units(user).subtree(root).exclude(kind=UnitKind.GRASSROOTS).order_by("path")


def with_parent(units: UnitQuerySet) -> UnitQuerySet:
    """Each unit's parent, the upper-level union it belongs to (`parent_name`, `parent_code`), as
    subqueries: a list of units shows where each lies in as many queries whatever its length."""
    parent = Unit.objects.filter(path=OuterRef("upper_path"))
    return units.annotate(upper_path=Unit.parent_path_expression()).annotate(
        parent_name=Subquery(parent.values("name")[:1]), parent_code=Subquery(parent.values("code")[:1]),
        parent_short_name=Subquery(parent.values("short_name")[:1]))


def unit_name(name: str, short_name: str = "", href: str | None = None):
    """A unit's name in a list's cell: the full name on a wide screen; on a phone its
    abbreviation (units.text.abbreviated_name, the glossary's rules), the full name on tap
    (title) — static/css/lists.css shows one of the two. A link when `href` is given. A table
    showing this gives its column a value_* of the full name, for the .xlsx."""
    short = abbreviated_name(name, short_name)
    shown = name if short == name else format_html(
        '<span class="name-full">{}</span><span class="name-short" title="{}">{}</span>', name, name, short)
    return format_html('<a href="{}">{}</a>', href, shown) if href else shown


class CodeColumn(tables.Column):
    """A unit's code: never broken across lines."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("Code"))
        kwargs.setdefault("attrs", {"cell": {"class": "code"}})
        super().__init__(**kwargs)


class ParentColumn(tables.Column):
    """The upper-level union a unit belongs to (with_parent): its short name on the page, the full
    name on tap (title) and in the download."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("Belongs to"))
        kwargs.setdefault("default", "")
        kwargs.setdefault("attrs", {"cell": {"class": "parent"}})
        super().__init__(**kwargs)

    def render(self, value, record):
        short = getattr(record, "parent_short_name", "")
        return format_html('<span title="{}">{}</span>', value, short) if short else value

    def value(self, value):
        return value

    def order(self, queryset, is_descending):
        """By the parent's name, the root (no parent) last either way, on every database."""
        name = F("parent_name")
        return queryset.order_by(name.desc(nulls_last=True) if is_descending else name.asc(nulls_last=True)), True


class UnitListFilter(django_filters.FilterSet):
    """Search (diacritic-insensitive, Unit.objects.search) and parent unit (its whole subtree),
    for lists whose rows are units or carry a unit path (`path_field`)."""

    q = django_filters.CharFilter(label=_("Search (name or code)"), method="search")
    parent = django_filters.ModelChoiceFilter(
        label=_("Belongs to"), queryset=Unit.objects.none(), to_field_name="code", method="in_parent",
        empty_label=_("All units"),
    )
    path_field = "path"

    class Meta:
        model = Unit
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, user, root: Unit, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["parent"].queryset = parent_choices(user, root)

    def search(self, queryset, name, value):
        if not value:
            return queryset
        if self.path_field == "path":
            return queryset.search(value)
        return queryset.filter(**{f"{self.path_field}__in": Unit.objects.search(value).values("path")})

    def in_parent(self, queryset, name, value):
        return queryset.filter(**Unit.objects.subtree_lookup(value, self.path_field)) if value else queryset

    @property
    def rows(self):
        """The filtered queryset; nothing when the form is not valid (e.g. a unit not in the picker)."""
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return self.qs


def keep_all(queryset, name, value):
    """A filter applied to computed rows by `filter_rows`, not to the queryset."""
    return queryset


def filter_rows(filterset: UnitListFilter, rows: Iterable, unit_of: Callable, status_of: Callable | None = None
                ) -> list:
    """The rows of a computed list (what a domain function returns, not a queryset) that pass
    the filters: search and parent are asked of the database for the rows' units, in one query;
    the status filter compares with the row's own status."""
    rows = list(rows)
    valid = filterset.is_valid()
    if valid and not _asks_the_database(filterset):
        kept = None  # no search, no parent: every row's unit passes (no query over 1,600 ids)
    else:
        filterset.queryset = Unit.objects.filter(pk__in=[unit_of(row).pk for row in rows])
        kept = set(filterset.rows.values_list("pk", flat=True))
    wanted = filterset.form.cleaned_data.get("status") if valid else None
    return [row for row in rows
            if (kept is None or unit_of(row).pk in kept)
            and (not wanted or status_of is None or status_of(row) == wanted)]


def _asks_the_database(filterset: UnitListFilter) -> bool:
    """Whether a filter applied to the units' queryset (not keep_all's, applied to the rows) has a
    value: one that django-filter would apply (it passes over EMPTY_VALUES)."""
    asked = filterset.form.cleaned_data
    return any(asked.get(name) not in EMPTY_VALUES for name, each in filterset.filters.items()
               if each.method is not keep_all)


def configure(request: HttpRequest, table: ListTable, per_page: int = ROWS_PER_PAGE) -> HttpResponse | None:
    """Sort and paginate the table from the query string; when the query string asks for this
    table's download, answer the .xlsx of every filtered row in the order asked instead."""
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    if request.GET.get(XLSX_PARAM) == table.list_name:
        return xlsx_response(table)
    return None


def xlsx_response(table: ListTable, title: str | None = None) -> HttpResponse:
    title = title or force_str(getattr(table, "title", table.list_name))
    response = HttpResponse(xlsx_bytes(title, table.as_values()), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{slugify(fold(title)) or table.list_name}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_bytes(title: str, rows: Iterable[list]) -> bytes:
    """A one-sheet workbook: the header row in bold and frozen, then the rows (numbers stay numbers)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "1"  # what Excel allows in a sheet's name
    widths: dict[int, int] = {}
    bold = Font(bold=True)
    for row_number, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            # Names and text people typed that start with "=" stay words, never a formula.
            cell = keep_as_words(sheet.cell(row=row_number, column=column, value=_cell(value)))
            # The header in bold; the rows keep the workbook's own font (a Font set on every
            # cell was matched against the workbook's by hashing it: most of a long download).
            if row_number == 1:
                cell.font = bold
            widths[column] = max(widths.get(column, 8), min(len(str(value or "")) + 2, 60))
    sheet.freeze_panes = "A2"
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    workbook.properties.title = title
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _cell(value):
    """What a cell holds: numbers and dates as such, anything else as text ("" for nothing)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)  # a workbook has no time zones
    if isinstance(value, int | float) or hasattr(value, "as_tuple") or hasattr(value, "isoformat"):
        return value
    if isinstance(value, SafeData):  # a cell rendered for the page (a link, a badge): its text only
        return html.unescape(strip_tags(value))
    return str(value)
