"""How results look: status words, colours and symbols, numbers, and small inline charts.

Colours come from the Okabe–Ito palette, which colour-blind readers can tell apart, and
every status also carries a symbol and a word, so colour is never the only signal.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from indicators import status as rules

STATUS_LOOK = {
    rules.MET: {"label": _("met"), "symbol": "✓", "colour": "#0072B2"},
    rules.ON_TRACK: {"label": _("on track"), "symbol": "↗", "colour": "#009E73"},
    rules.AT_RISK: {"label": _("at risk"), "symbol": "!", "colour": "#E69F00"},
    rules.NOT_MET: {"label": _("not met"), "symbol": "✗", "colour": "#D55E00"},
    rules.NO_DATA: {"label": _("no data"), "symbol": "–", "colour": "#999999"},
    # No verdict: a subtree's part of a province-wide figure.
    rules.CONTRIBUTION: {"label": _("contribution"), "symbol": "∑", "colour": "#56B4E9"},
}


def status_look(status: str) -> dict:
    return STATUS_LOOK[status]


# What is shown is rounded half up (75.625% is written 75,63%), not half to even. The engine
# keeps full precision: statuses and projections are judged on it, never on this.
SHOWN = Decimal("0.01")


def rounded(value: Decimal) -> Decimal:
    return Decimal(value).quantize(SHOWN, rounding=ROUND_HALF_UP)


def number(value: Decimal | None, unit: str) -> str:
    """A result as Vietnamese readers write it: 5.157; 103,14%; 1,32 (rounded half up to
    hundredths)."""
    if value is None:
        return "—"
    value = rounded(value)
    if unit == "count":
        return number_format(value, decimal_pos=0, force_grouping=True)
    text = number_format(value, decimal_pos=_places(value), force_grouping=True)
    return f"{text}%" if unit == "percent" else text


def _places(value: Decimal) -> int:
    """The decimals a value needs as the engine computed it, at most two: 90, 90,5, 103,14."""
    for places in (0, 1):
        if value == value.quantize(Decimal(1).scaleb(-places)):
            return places
    return 2


def sparkline(points: list[tuple[int, Decimal | None]], target: Decimal, width: int = 120,
              height: int = 30) -> SafeString:
    """An inline SVG of the yearly values (a line with dots) and the target (dashed)."""
    values = [v for _, v in points if v is not None]
    if not values:
        return mark_safe("")
    top = max([*values, target]) * Decimal("1.1") or Decimal(1)
    bottom = min(Decimal(0), *values)
    span = (top - bottom) or Decimal(1)
    step = (width - 8) / max(1, len(points) - 1)

    def y(value: Decimal) -> float:
        return round(float(height - 4 - (value - bottom) / span * (height - 8)), 1)

    coordinates = [(round(4 + i * step, 1), y(v)) for i, (_, v) in enumerate(points) if v is not None]
    line = " ".join(f"{x},{cy}" for x, cy in coordinates)
    dots = "".join(f'<circle cx="{x}" cy="{cy}" r="2"/>' for x, cy in coordinates)
    target_y = y(target)
    years = f"{points[0][0]}–{points[-1][0]}"
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{label}">'
        '<line x1="0" x2="{w}" y1="{ty}" y2="{ty}" class="target-line"/>'
        '<polyline points="{line}" class="trend"/>{dots}</svg>',
        w=width, h=height, ty=target_y, line=line, dots=mark_safe(dots), label=years,  # noqa: S308
    )
