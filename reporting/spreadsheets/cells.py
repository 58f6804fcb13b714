"""Parsing a cell: what people type in a template's cell, as the Python value of an element."""

from __future__ import annotations

import contextlib
import datetime
import math
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from reporting.spreadsheets.layout import CLASSES, NO, YES
from reporting.validation import (
    FIRST_DATE,
    LAST_DATE,
    MAX_NUMBER,
    MAX_TEXT,
    date_range_message,
)
from units.text import clean_text, fold

# Excel serial numbers of 1/1/2000 and 31/12/2100: a bare number in a date column is read as a
# date only in this range (a year typed as 2021 is not the 13th of July 1905).
FIRST_SERIAL, LAST_SERIAL = 36526, 73415
YES_WORDS = {"co", "x", "yes"}
NO_WORDS = {"khong", "no"}
GROUPED_NUMBER = re.compile(r"^[0-9]{1,3}(?:[. ][0-9]{3})+$")
WHOLE_NUMBER = re.compile(r"^[0-9]+$")  # ASCII digits only: str.isdigit() also takes "²" and "١"
DATE_TEXT = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$")


class CellError(ValueError):
    pass


def cell_text(value) -> str:
    """A cell's content as one line of text, cleaned as the web forms clean text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value), multiline=False)


def _bounded(number):
    """Refuse what the database cannot store (DataValue.number has 12 digits before the point)."""
    if abs(number) >= MAX_NUMBER:
        raise CellError(_("The number is too large."))
    return number


def parse_cell(kind: str, value):
    """A cell's value as the Python value of an element of this type (None for blank);
    raises CellError with the reason."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if value is None:
        return None
    if kind == "count":
        if isinstance(value, bool):
            raise CellError(_("Enter a whole number of 0 or more."))
        if isinstance(value, str):
            digits = re.sub(r"[. ]", "", value) if GROUPED_NUMBER.match(value) else value
            if not WHOLE_NUMBER.match(digits):
                raise CellError(_("Enter a whole number of 0 or more."))
            if len(digits.lstrip("0")) > len(str(MAX_NUMBER)):  # before int(): 5,000 digits would not convert
                raise CellError(_("The number is too large."))
            return _bounded(int(digits))
        if isinstance(value, int | float | Decimal) and math.isfinite(value) and value == int(value) and value >= 0:
            return _bounded(int(value))
        raise CellError(_("Enter a whole number of 0 or more."))
    if kind == "percent":
        if isinstance(value, bool | datetime.date):
            raise CellError(_("Enter a number."))
        try:
            number = Decimal(value.replace(",", ".") if isinstance(value, str) else str(value))
        except InvalidOperation:
            raise CellError(_("Enter a number.")) from None
        if not number.is_finite():
            raise CellError(_("Enter a number."))
        return _bounded(number).quantize(Decimal("0.01"))
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        word = fold(str(value))
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise CellError(_("Enter %(yes)s or %(no)s.") % {"yes": YES, "no": NO})
    if kind == "quality_class":
        letter = str(value).strip().upper()
        if letter in CLASSES:
            return letter
        raise CellError(_("Enter a class: A, B, C or D."))
    if kind == "date":
        date = _date(value)
        if date is None:
            raise CellError(_("Enter a date as dd/mm/yyyy."))
        if not FIRST_DATE <= date <= LAST_DATE:
            raise CellError(date_range_message())
        return date
    text = cell_text(value)
    if len(text) > MAX_TEXT:
        raise CellError(_("The text is too long (at most %(max)s characters).") % {"max": MAX_TEXT})
    return text or None


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and FIRST_SERIAL <= value <= LAST_SERIAL:
        return from_excel(value).date()
    if isinstance(value, str) and (match := DATE_TEXT.match(value)):
        day, month, year = (int(part) for part in match.groups())
        with contextlib.suppress(ValueError):
            return datetime.date(year, month, day)
    return None


def is_formula(cell) -> bool:
    return getattr(cell, "data_type", None) == "f"
