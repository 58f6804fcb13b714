"""The four registries as the pages, the export and the import see them: one `Kind` each, naming
its model, its address (slug), its columns (the same in the .xlsx export and in the import,
so that an export is a template to fill in) and the fields that make a record a duplicate."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from registries.counts import AGREEMENTS, DISPUTES, HOMES, INITIATIVES
from registries.models import CollectiveAgreement, Initiative, LabourDispute, Record, UnionHome


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[Record]
    title: str
    # The record's own fields as columns (after the unit's code), in the file's order.
    columns: tuple[str, ...]
    # The columns a page's table shows (a phone has room for few).
    shown: tuple[str, ...]
    # Two records with the same unit and these fields are one record typed twice.
    identity: tuple[str, ...]
    date_field: str  # what the list orders and filters by year

    @property
    def verbose_name(self):
        return self.model._meta.verbose_name

    def field(self, name: str):
        return self.model._meta.get_field(name)


KINDS: dict[str, Kind] = {
    AGREEMENTS: Kind(
        AGREEMENTS, CollectiveAgreement, _("Collective agreements"),
        ("number", "signed_on", "expires_on", "workers_covered", "quality_class", "classed_year", "more_favourable",
         "favourable_terms", "note"),
        ("signed_on", "expires_on", "workers_covered", "quality_class", "more_favourable"),
        ("signed_on",), "signed_on"),
    HOMES: Kind(
        HOMES, UnionHome, _("Mái ấm công đoàn houses"),
        ("beneficiary", "work", "cost", "union_support", "sources", "handed_over_on", "note"),
        ("beneficiary", "work", "cost", "union_support", "handed_over_on"),
        ("beneficiary", "handed_over_on"), "handed_over_on"),
    INITIATIVES: Kind(
        INITIATIVES, Initiative, _("Initiatives"),
        ("title", "authors", "field", "level", "year", "value", "note"),
        ("title", "authors", "level", "year"),
        ("title", "year"), "year"),
    DISPUTES: Kind(
        DISPUTES, LabourDispute, _("Labour disputes, stoppages and strikes"),
        ("enterprise", "kind", "started_on", "ended_on", "workers_involved", "cause", "union_took_part", "union_role",
         "outcome", "note"),
        ("enterprise", "kind", "started_on", "workers_involved", "union_took_part"),
        ("enterprise", "started_on"), "started_on"),
}


def kind_or_404(slug: str) -> Kind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404 from None
