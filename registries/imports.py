"""Many records from a spreadsheet, all or none.

The file has the export's columns (registries.sheets: an exported list is a template to fill
in); a sheet is read when its first row names the unit's code column, every other sheet is left
alone; columns are found by their header, whatever their order (the unit's name, read only by
people, is ignored). Every row is checked: its unit (one of the page unit's subtree whose data
the user enters), each cell, the record's own rules (model clean()), and duplicates — the same
record twice in the file, or one already in the registry (same unit and the kind's identity
fields, text compared without case or diacritics). Every problem is named by sheet, row and
column. Rows are written in one transaction as they are checked (so a later row sees an
earlier one: two overlapping agreements in one file are refused too), and rolled back when any
row has a problem: an import with one bad row writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from accounts.permissions import can_edit_unit_data
from registries.kinds import Kind
from registries.models import FavourableTerm
from registries.sheets import headers
from reporting.spreadsheets.cells import CellError, cell_text, parse_cell
from reporting.spreadsheets.reading import MAX_ROWS, Deadline, ImportTooLong, open_workbook, too_long_message
from units.models import Unit
from units.text import fold


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str  # "C (Ngày ký)", or "" for the whole row
    message: str


@dataclass
class Result:
    created: int = 0
    problems: list[Problem] = field(default_factory=list)
    sheets: int = 0


@dataclass
class Refused:
    """The file as a whole could not be read."""

    messages: list[str]
    problems: tuple = ()
    created: int = 0


def _parser(kind: Kind, name: str):
    """How a column's cells become the field's value."""
    model_field = kind.field(name)
    if name == "favourable_terms":
        words = {fold(str(label)): value for value, label in FavourableTerm.choices} | {
            value: value for value in FavourableTerm.values}

        def terms(value):
            text = cell_text(value)
            found = []
            for part in filter(None, (p.strip() for p in text.replace(",", ";").split(";"))):
                if fold(part) not in words:
                    raise CellError(_("Unknown term: %(term)s.") % {"term": part})
                found.append(words[fold(part)])
            return found
        return terms
    if model_field.choices:
        words = {fold(str(label)): value for value, label in model_field.flatchoices} | {
            fold(str(value)): value for value, _label in model_field.flatchoices}

        def choice(value):
            text = cell_text(value)
            if not text:
                return None
            if fold(text) not in words:
                raise CellError(_("Enter one of: %(choices)s.") % {
                    "choices": ", ".join(str(label) for _value, label in model_field.flatchoices)})
            return words[fold(text)]
        return choice
    if isinstance(model_field, models.BooleanField):
        return lambda value: parse_cell("boolean", value)
    if isinstance(model_field, models.DateField):
        return lambda value: parse_cell("date", value)
    if isinstance(model_field, models.IntegerField):
        return lambda value: parse_cell("count", value)
    return lambda value: parse_cell("text", value)


def _header_map(kind: Kind) -> dict[str, str]:
    """Folded header → field name (and "unit_code"; the unit's name is read by people only), in
    Vietnamese and in English, and the field's own name, so that a file from either page reads."""
    mapping = {fold("unit_code"): "unit_code"}
    for language in ("vi", "en"):
        with translation.override(language):
            names = headers(kind)
        mapping |= {fold(names[0]): "unit_code", fold(names[1]): ""}
        for header, name in zip(names[2:], kind.columns, strict=True):
            mapping[fold(header)] = name
            mapping[fold(name)] = name
    return mapping


def _identity(kind: Kind, unit_id: int, values: dict) -> tuple:
    return (unit_id, *(fold(str(values.get(name))) if isinstance(values.get(name), str) else values.get(name)
                       for name in kind.identity))


def import_file(kind: Kind, file, page_unit: Unit, user) -> Result:
    if file is None:
        raise ValidationError(_("Choose a .xlsx file."))
    deadline = Deadline()
    workbook, why = open_workbook(file, deadline)
    if workbook is None:
        raise ValidationError(why or _("This is not a readable .xlsx file."))
    try:
        with transaction.atomic():
            result = _import(kind, workbook, page_unit, user, deadline)
            if result.problems:
                result.created = 0
                transaction.set_rollback(True)
    except ImportTooLong:
        raise ValidationError(too_long_message()) from None
    if not result.sheets:
        raise ValidationError(_("No sheet of the file has the column “%(column)s” in its first row: export the "
                                "list from this page and fill it in.") % {"column": headers(kind)[0]})
    return result


def _import(kind: Kind, workbook, page_unit: Unit, user, deadline: Deadline) -> Result:
    result = Result()
    mapping = _header_map(kind)
    parsers = {name: _parser(kind, name) for name in kind.columns}
    units: dict[str, Unit | None] = {}
    required = [name for name in kind.columns if not kind.field(name).blank]
    existing = {_identity(kind, row["unit_id"], row)
                for row in kind.model.objects.filter(unit__path__under=page_unit.path)
                .values("unit_id", *kind.identity)}
    seen: dict[tuple, tuple[str, int]] = {}
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1)
        first = next(rows, None) or ()
        columns = {index: mapping.get(fold(cell_text(value)), None) for index, value in enumerate(first)}
        if "unit_code" not in columns.values():
            continue
        result.sheets += 1
        title = sheet.title
        missing = [name for name in required if name not in columns.values()]
        if missing:
            result.problems.append(Problem(title, 1, "", _("Columns missing: %(columns)s.") % {
                "columns": ", ".join(str(kind.field(name).verbose_name) for name in missing)}))
            continue
        header_of = {index: f"{get_column_letter(index + 1)} ({cell_text(first[index])})" for index in columns}
        for number, row in enumerate(rows, start=2):
            deadline.check()
            if all(value is None or cell_text(value) == "" for value in row):
                continue
            problems = _row(kind, row, columns, header_of, parsers, page_unit, user, units, existing, seen,
                            (title, number))
            result.problems += [Problem(title, number, column, message) for column, message in problems]
            if not problems:
                result.created += 1
    return result


def _row(kind, row, columns, header_of, parsers, page_unit, user, units, existing, seen, place):
    problems: list[tuple[str, str]] = []
    values: dict = {}
    unit = None
    for index, name in columns.items():
        value = row[index] if index < len(row) else None
        if name == "unit_code":
            code = cell_text(value)
            if code not in units:
                found = Unit.objects.filter(code=code).first() if code else None
                units[code] = found if found is not None and page_unit.contains(found) and \
                    can_edit_unit_data(user, found) else None
            unit = units[code]
            if unit is None:
                problems.append((header_of[index], _("No unit with this code that you enter records for under "
                                                     "%(unit)s.") % {"unit": page_unit.code} if code
                                 else _("Enter the unit's code.")))
        elif name:
            try:
                values[name] = parsers[name](value)
            except CellError as error:
                problems.append((header_of[index], str(error)))
    if problems or unit is None:
        return problems
    column_of = {name: header_of[index] for index, name in columns.items() if name}
    record = kind.model(unit=unit, recorded_by=user,
                        **{name: value for name, value in values.items() if value is not None})
    identity = _identity(kind, unit.pk, values)
    if identity in seen:
        return [("", _("The same record as row %(row)s of sheet %(sheet)s (same unit, %(fields)s).") % {
            "row": seen[identity][1], "sheet": seen[identity][0], "fields": _fields(kind)})]
    if identity in existing:
        return [("", _("Already in the registry (same unit, %(fields)s): not imported twice.") % {
            "fields": _fields(kind)})]
    try:
        record.full_clean(exclude=["unit"], validate_constraints=False)
    except ValidationError as error:
        return [(column_of.get(name, ""), message) for name, messages in error.message_dict.items()
                for message in messages]
    record.save()
    seen[identity] = place
    return []


def _fields(kind: Kind) -> str:
    return ", ".join(str(kind.field(name).verbose_name) for name in kind.identity)
