"""Registries as spreadsheets: the .xlsx of a list (registries.views.export) and, with the same
columns, the file an import reads (registries.imports). A cell shows what a person reads: a
choice by its words, yes/no as "Có"/"Không", a list of terms by their words joined with "; "."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import models
from django.utils.translation import gettext as _

from registries.kinds import Kind
from registries.models import FavourableTerm

UNIT_CODE = "unit_code"
TERM_SEPARATOR = "; "


def headers(kind: Kind) -> list[str]:
    """The header row: the unit's code, its name (read, never imported), then the kind's columns."""
    return [_("Unit code"), _("Unit name"), *(str(kind.field(name).verbose_name).capitalize()
                                             for name in kind.columns)]


def cell(kind: Kind, record, name: str):
    field = kind.field(name)
    value = getattr(record, name)
    if value is None or value == "":
        return None
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if name == "favourable_terms":
        labels = dict(FavourableTerm.choices)
        return TERM_SEPARATOR.join(str(labels.get(term, term)) for term in value)
    if field.choices and name != "quality_class":
        return str(dict(field.flatchoices).get(value, value))
    return value


def rows(kind: Kind, records: Iterable) -> Iterator[list]:
    yield headers(kind)
    for record in records:
        yield [record.unit.code, record.unit.name, *(cell(kind, record, name) for name in kind.columns)]
