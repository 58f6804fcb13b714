"""Small inline charts of the dashboard. How a result reads (status look, numbers, flags) is
indicators.reading's and tiendo.formatting's, shared with the documents."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


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
