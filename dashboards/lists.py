"""The target page's ranking of the units below (tiendo/lists.py). Values, statuses and ranks
are indicators.engine's and indicators.reading's; this table presents, filters and sorts them."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from indicators import reading
from tiendo.formatting import rounded
from tiendo.lists import NAME, CodeColumn, ListTable, UnitListFilter, keep_all, unit_name

# Sorting by these, units without a value go last either way (they have no rank).
VALUE_SORTS = {"value", "rank"}


class RankingFilter(UnitListFilter):
    status = django_filters.ChoiceFilter(label=_("Status"), method=keep_all, empty_label=_("All statuses"), choices=[])

    def __init__(self, *args, statuses: set[str], **kwargs):
        """`statuses`: those the units below have; no other is offered (a province-wide target's
        units are contributions, never "not met")."""
        super().__init__(*args, **kwargs)
        self.filters["status"].extra["choices"] = [
            (status, reading.status_word(status)) for status in reading.STATUS_ORDER if status in statuses]


def unit_query(unit, choices: dict) -> str:
    """The query string of a unit's figures on the page, with the program, year and choices kept."""
    query = {"program": choices["program"].code, "unit": unit.code, "year": choices["year"]}
    if choices["include_submitted"]:
        query["submitted"] = 1
    if choices.get("view", "then") != "then":
        query["view"] = choices["view"]
    return urlencode(query)


class RankingTable(ListTable):
    list_name = "ranking"
    rank = tables.Column("#", attrs={"cell": {"class": "num"}}, default="")
    unit = tables.Column(_("Unit"), accessor="unit__name", attrs=NAME)
    code = CodeColumn(accessor="unit__code")
    value = tables.Column(_("Value"), accessor="result__value", empty_values=(), attrs={"cell": {"class": "num"}})
    change = tables.Column(_("Change on the year before"), accessor="change__delta", empty_values=(), orderable=False,
                           attrs={"cell": {"class": "num"}})
    status = tables.Column(_("Status"), accessor="status_position")
    reported = tables.Column(_("Reported"), accessor="result__reported", attrs={"cell": {"class": "num"}})
    expected = tables.Column(_("Expected to report"), accessor="result__expected", attrs={"cell": {"class": "num"}})

    def __init__(self, rows: list[dict], *, target, choices: dict, **kwargs):
        for row in rows:  # the statuses sort best first, as everywhere (reading.STATUS_ORDER)
            row["status_position"] = reading.STATUS_ORDER.index(row["result"].status)
        kwargs.setdefault("order_by", "-value")
        super().__init__(rows, **kwargs)
        self.title = f"{target.code} {target.short_label}"
        self.choices = choices

    @ListTable.order_by.setter
    def order_by(self, value):
        ListTable.order_by.fset(self, value)
        if self.order_by and self.order_by[0].bare in VALUE_SORTS:
            self.data.data.sort(key=lambda row: row["result"].value is None)  # stable: keeps the order asked

    def render_unit(self, value, record):
        """Every unit opens its own figures of the target, a grassroots union's included (its
        trend and its reports' coverage), keeping the program, year and choices."""
        unit = record["unit"]
        return unit_name(unit.name, unit.short_name, "?" + unit_query(unit, self.choices))

    def value_unit(self, value):
        return value

    def render_value(self, record):
        return record["shown"]

    def value_value(self, value):
        return value

    def render_change(self, record):
        return render_to_string("dashboards/_change.html", {"change": record["change"], "compact": True})

    def value_change(self, record):
        """The difference as a number in the download (a rate's in percentage points)."""
        return float(rounded(record["change"]["delta"])) if record["change"] else None

    def render_status(self, record):
        badge = render_to_string("dashboards/_status.html", {"look": record["look"]})
        if record["contribution"]:
            return format_html('{} <span class="muted">{}</span>', badge, record["share"])
        return badge

    def value_status(self, record):
        return str(record["look"]["label"])


class DirectRankingTable(RankingTable):
    """The grassroots unions attached directly to the unit, ranked among themselves (beside
    the upper-level unions' ranking: like with like)."""

    list_name = "direct"

    def __init__(self, rows: list[dict], *, target, choices: dict, **kwargs):
        super().__init__(rows, target=target, choices=choices, **kwargs)
        self.title = f"{target.code} {target.short_label} · {_('grassroots unions attached directly')}"
