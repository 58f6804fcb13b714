"""Dates, names and spreadsheet formats the way Vietnamese official documents write them.

Numbers, percentages and dd/mm/yyyy dates are tiendo.formatting's (the pages use the same);
a document writes every figure with `figure` below (one decimal for a percentage, always), and
its spreadsheet cells show the same decimals. Call these with the Vietnamese language active
(the builder does).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from tiendo.formatting import HUNDRED, number

# The decimals of a figure in an official document, per target unit: fixed, so that a column
# of percentages does not mix 74,6% and 72,41% (issue #21). The engine keeps full precision.
DOCUMENT_PLACES = {"percent": 1, "count": 0, "average": 2}
# Excel number formats of the spreadsheet cells, per target unit: the same decimals.
EXCEL_FORMATS = {"percent": "0.0%", "count": "#,##0", "average": "0.00"}
EXCEL_INTEGER = "#,##0"
EXCEL_PERCENT = EXCEL_FORMATS["percent"]


def figure(value: Decimal | None, unit: str) -> str:
    """A figure as an official document writes it: 5.157; 74,6%; 90,0%; 0,35 ("—" for none)."""
    return number(value, unit, places=DOCUMENT_PLACES[unit])


def figure_percent(value: Decimal | None) -> str:
    return figure(value, "percent")


def points(value: Decimal) -> str:
    """A difference of two percentages, in percentage points, with a percentage's decimals: 3,5."""
    return number(value, "average", places=DOCUMENT_PLACES["percent"])


def exact_share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """100 × part / whole at full precision (None when whole is 0): `figure` rounds it once."""
    if not whole:
        return None
    return Decimal(part) * HUNDRED / Decimal(whole)


def excel_value(value: Decimal | None, unit: str):
    """The number a spreadsheet cell stores: a percentage as a fraction (shown with "0.0%")."""
    if value is None:
        return None
    if unit == "percent":
        return float(value) / 100
    if unit == "count":
        return int(value) if value == value.to_integral_value() else float(value)
    return float(value)


def comparison_format(comparison_symbol: str, unit: str) -> str:
    """An Excel format that shows a target like "≥ 90%" while the cell holds 0.9."""
    return f'"{comparison_symbol} "{EXCEL_FORMATS[unit]}'


def document_date(day: datetime.date) -> tuple[str, str, str]:
    """Day, month and year as Decree 30 writes them: a leading zero for days below 10 and
    for months 1 and 2 only ("ngày 05 tháng 01", "ngày 15 tháng 3")."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}", month, str(day.year)


def place_and_date(place: str, day: datetime.date) -> str:
    """"An Giang, ngày 05 tháng 01 năm 2026" (without a place: "Ngày 05 tháng 01 năm 2026")."""
    d, m, y = document_date(day)
    date = _("day %(day)s month %(month)s year %(year)s") % {"day": d, "month": m, "year": y}
    return f"{place}, {date}" if place else first_upper(date)


def capitals(text: str) -> str:
    """Upper case, Vietnamese letters included (đ → Đ, ư → Ư)."""
    return text.upper()


FEDERATION = re.compile(r"\bLiên đoàn Lao động\b", re.IGNORECASE)


def abbreviated(name: str) -> str:
    """"Tổng Liên đoàn Lao động Việt Nam" → "Tổng LĐLĐ Việt Nam", as the superior body is
    written in a document's header."""
    return FEDERATION.sub("LĐLĐ", name)


PLACE = re.compile(r"^(?:Liên đoàn Lao động|LĐLĐ)\s+(?:tỉnh|thành phố|thị xã|huyện|quận|TP\.?|TX\.?)\s+(.+)$",
                   re.IGNORECASE)


def place_of(name: str) -> str | None:
    """The place a federation is named after ("Liên đoàn Lao động thành phố Long Xuyên" →
    "Long Xuyên"), or None for a union not named after a place."""
    match = PLACE.match(name.strip())
    return match.group(1).strip() if match else None


def first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def sentence_case(text: str) -> str:
    """"CHƯƠNG TRÌNH HÀNH ĐỘNG" → "Chương trình hành động"."""
    return first_upper(text.lower()) if text.isupper() else text
