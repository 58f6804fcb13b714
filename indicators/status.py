"""How a target stands: met, on track, at risk, not met — and where its trend leads.

The rule (also in the README):
- met: the value satisfies the target's comparison (≥, >, =) in the year looked at;
- a yearly target not met is "at risk" when the gap is at most AT_RISK_GAP of the target
  value, else "not met";
- a target due by the end of the term, looked at before its last year, is judged on its
  linear projection to the term's end (least squares over the years so far): "on track"
  if the projection meets it, "at risk" if the projection falls short by at most
  AT_RISK_GAP, else "not met"; in the last year it is met or not met;
- a deadline target is met or not met once its year is reported;
- no value (nothing reported, or a zero denominator) is "no data";
- a province-wide target (scope: program) seen from below the province gets no verdict:
  its status is "contribution", with the subtree's share of the province's figure.

Values and projections are compared at full precision: 80,001% satisfies "> 80%" and
94,996% does not satisfy "≥ 95%", although both are shown rounded (80% and 95%); only
pages and documents round what they show.
"""

from __future__ import annotations

from decimal import Decimal

MET, ON_TRACK, AT_RISK, NOT_MET, NO_DATA = "met", "on_track", "at_risk", "not_met", "no_data"
# No verdict: a subtree's part of a province-wide figure (a target with scope: program), shown
# with its share of the province's figure (indicators.engine).
CONTRIBUTION = "contribution"
AT_RISK_GAP = Decimal("0.10")
NOISE = Decimal("1e-12")


def satisfies(value: Decimal, comparison: str, target: Decimal) -> bool:
    if comparison == ">=":
        return value >= target
    if comparison == ">":
        return value > target
    return value == target


def close_enough(value: Decimal, target: Decimal, comparison: str = ">=") -> bool:
    """Within AT_RISK_GAP of the target: below it for ≥ and >, on either side for =."""
    if comparison == "=":
        return abs(value - target) <= abs(target) * AT_RISK_GAP
    return value >= target * (1 - AT_RISK_GAP)


def projection(points: list[tuple[int, Decimal]], year: int) -> Decimal | None:
    """The least-squares line through (year, value) points, read at `year`; with one
    point, that point's value."""
    if not points:
        return None
    if len(points) == 1:
        return points[0][1]
    xs = [Decimal(x) for x, _ in points]
    ys = [Decimal(y) for _, y in points]
    n = Decimal(len(points))
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    # Not rounded to what is shown: a status is judged on full precision. Only the noise of
    # 28-digit arithmetic is dropped (the line through 75 and 83,333… reads 99,999…97 at 2024
    # instead of exactly 100).
    return (mean_y + slope * (Decimal(year) - mean_x)).quantize(NOISE)


def status_of(value: Decimal | None, comparison: str, target: Decimal, period: str, year: int, term_end: int,
              projected: Decimal | None) -> str:
    if value is None:
        return NO_DATA
    if satisfies(value, comparison, target):
        return MET
    if period == "term" and year < term_end and projected is not None:
        if satisfies(projected, comparison, target):
            return ON_TRACK
        return AT_RISK if close_enough(projected, target, comparison) else NOT_MET
    if period == "yearly" and close_enough(value, target, comparison):
        return AT_RISK
    return NOT_MET
