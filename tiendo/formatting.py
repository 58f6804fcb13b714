"""Numbers and dates the way Vietnamese readers write them: the one home of every display
formatter (pages, messages, documents).

It lives in tiendo/ so that every app may import it whatever its place in the one-way flow
(program + units → reports → indicators → pages / documents). Separators come from the active
language (tiendo/formats/vi: 5.157; 103,14%), so call these with Vietnamese active.

What is shown is rounded half up (75,625% is written 75,63%), not half to even. The engine
keeps full precision: statuses and projections are judged on it, never on these.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

SHOWN = Decimal("0.01")
HUNDRED = Decimal(100)
NOTHING = "—"


def rounded(value) -> Decimal:
    """Half up to hundredths, for display only."""
    return Decimal(value).quantize(SHOWN, rounding=ROUND_HALF_UP)


def integer(value: int | None) -> str:
    """A whole number with its thousands grouped: 5.157."""
    if value is None:
        return NOTHING
    return number_format(value, decimal_pos=0, force_grouping=True)


def number(value: Decimal | None, unit: str, places: int | None = None) -> str:
    """A result of a target unit ("count", "percent", "average") as Vietnamese readers write it:
    5.157; 103,14%; 1,32 (rounded half up to hundredths, as few decimals as the value needs).

    With `places`, a percentage or an average always has that many decimals, rounded half up
    from the value itself (not from its hundredths): an official document's column reads
    evenly, 74,6% beside 72,4% and 90,0% (exports.formatting.figure)."""
    if value is None:
        return NOTHING
    if places is not None and unit != "count":
        value = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = number_format(value, decimal_pos=places, force_grouping=True)
        return f"{text}%" if unit == "percent" else text
    value = rounded(value)
    if unit == "count":
        return integer(value)
    text = number_format(value, decimal_pos=_places(value), force_grouping=True)
    return f"{text}%" if unit == "percent" else text


def percent(value: Decimal | None) -> str:
    return number(value, "percent")


def _places(value: Decimal) -> int:
    """The decimals a value needs as the engine computed it, at most two: 90, 90,5, 103,14."""
    for places in (0, 1):
        if value == value.quantize(Decimal(1).scaleb(-places)):
            return places
    return 2


def amount(value) -> str:
    """A bound or an operand, whole or with two decimals: 5.157; 1,50 (Django's floatformat:"-2g")."""
    if value is None:
        return NOTHING
    value = rounded(value)
    return number_format(value, decimal_pos=0 if value == value.to_integral_value() else 2, force_grouping=True)


def share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """100 × part / whole, rounded half up to hundredths (None when whole is 0)."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(SHOWN, rounding=ROUND_HALF_UP)


def short_date(day: datetime.date) -> str:
    """dd/mm/yyyy: 05/01/2026."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def moment(at: datetime.datetime) -> str:
    """A moment in local time as messages name it: 14:05 01/12/2026."""
    local = timezone.localtime(at)
    return f"{local:%H:%M} {short_date(local)}"


def person(user) -> str:
    """Who did something, as messages name them: the full name, else the login, else "someone"."""
    return (user.get_full_name() or user.username) if user else _("someone")
