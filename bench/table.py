"""Print issue #17's table from what the bench scripts measured (bench.measuring.record: one JSON
line per figure in the file BENCH_RESULTS names; scripts/bench.sh sets it and calls this at the end).

    .venv/bin/python bench/table.py var/bench-results.jsonl

One Markdown row per operation, database and size: the project's time and queries, its baseline
where it has one (the engine: the same SQL run bare; an upload: reading the file plus one bulk
write per table it writes) and the ratio, the figure before issue #17's changes (the issue's own,
measured at 1,517 and 15,017 grassroots unions on a quiet 2-core machine), the goal and whether
it is met. Figures, not pass/fail: a slow machine is slow, not broken.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

# Before issue #17's changes, from the issue's table: (operation prefix, size in thousands) → seconds,
# or queries for the submission.
BEFORE = {
    ("spreadsheet upload", 2): 33.5,
    ("yearly review .pdf, province", 2): 5.0, ("yearly review .docx, province", 2): 2.2,
    ("yearly review .xlsx, province", 2): 1.6,
    ("yearly review .pdf, province", 15): 32.0, ("yearly review .docx, province", 15): 19.0,
    ("yearly review .xlsx, province", 15): 11.0,
    ("documents preview, province", 2): 1.4, ("documents preview, province", 15): 9.3,
    ("documents preview, district", 15): 11.7,
    ("target page T06, province", 2): 0.084, ("target page T06, province", 15): 0.465,
    ("completeness, province", 2): 0.071, ("completeness, province", 15): 0.457,
    ("report submit", 2): "51–66 q",
}
# Engine against its SQL before: the ratio (province, each district).
BEFORE_RATIO = {("engine, the province", 2): 3.4, ("engine, each", 2): 10.0,
                ("engine, the province", 15): 2.0, ("engine, each", 15): 4.1}


@dataclass
class Figure:
    operation: str
    database: str
    grassroots: int
    seconds: float | None
    queries: int | None
    baseline: float | None

    @property
    def thousands(self) -> int:
        return round(self.grassroots / 1000) or 1


def _growth(figure: Figure, figures: list[Figure]) -> tuple[str, bool | None]:
    """The time against the same operation's at a tenth of the units (within 5–20×)."""
    smaller = [f for f in figures if f.operation == figure.operation and f.database == figure.database
               and 5 <= figure.grassroots / f.grassroots <= 20 and f.seconds]
    if not smaller or not figure.seconds:
        return "", None
    growth = figure.seconds / smaller[0].seconds
    return f"{growth:.1f}× of {smaller[0].grassroots:,}", growth <= 2


def goal(figure: Figure, figures: list[Figure]) -> tuple[str, str, bool | None]:
    """(goal, what is compared, met) for a figure."""
    name, size, seconds = figure.operation, figure.grassroots, figure.seconds
    if name.startswith("spreadsheet upload"):
        return "< 5 s, ≤ 5× its floor", "", seconds < 5 and seconds <= 5 * figure.baseline
    if name.startswith("yearly review"):
        if size < 5_000:
            return "< 3 s at 1,500", "", seconds < 3
        return "< 30 s at 135,000", "", seconds < 30 if size > 100_000 else None
    if name.startswith("documents preview"):
        return "< 1 s at 1,500", "", seconds < 1 if size < 5_000 else None
    if name.startswith(("target page", "completeness")):
        compared, met = _growth(figure, figures)
        return "≤ 2× per 10× units", compared, met
    if name.startswith("engine"):
        return "≤ 1.5× its SQL", "", seconds <= 1.5 * figure.baseline
    if name == "report submit":
        return "≤ 15 queries", "", figure.queries <= 15
    if "reorganised" in name:
        if size > 100_000:
            return "< 2 s at 135,000", "", seconds < 2 if figure.database == "postgresql" else None
        return "< 300 ms at 1,500", "", seconds < 0.3 if size < 5_000 else None
    return "", "", None


def _before(figure: Figure) -> str:
    for (prefix, size), value in BEFORE.items():
        if figure.operation.startswith(prefix) and size == figure.thousands:
            return value if isinstance(value, str) else _seconds(value)
    for (prefix, size), ratio in BEFORE_RATIO.items():
        if figure.operation.startswith(prefix) and size == figure.thousands:
            return f"{ratio:.1f}× its SQL"
    return ""


def _seconds(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def table(figures: list[Figure]) -> str:
    lines = ["| operation | database | grassroots | time | queries | baseline | ratio | before #17 | goal | "
             "compared | met |", "|---|---|---:|---:|---:|---:|---:|---:|---|---|:-:|"]
    for figure in figures:
        wanted, compared, met = goal(figure, figures)
        ratio = f"{figure.seconds / figure.baseline:.2f}×" if figure.baseline and figure.seconds else ""
        lines.append(" | ".join([
            f"| {figure.operation}", figure.database, f"{figure.grassroots:,}", _seconds(figure.seconds),
            "" if figure.queries is None else str(figure.queries), _seconds(figure.baseline), ratio,
            _before(figure), wanted, compared, {True: "yes", False: "**no**", None: ""}[met]]) + " |")
    return "\n".join(lines)


def read(path: Path) -> list[Figure]:
    """The figures, the last of each (operation, database, size) kept, in the order first seen."""
    kept: dict[tuple, Figure] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            figure = Figure(**json.loads(line))
            kept[(figure.operation, figure.database, figure.grassroots)] = figure
    return sorted(kept.values(), key=lambda f: (f.operation, f.database, f.grassroots))


def main() -> int:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "var/bench-results.jsonl")
    if not path.exists():
        print(f"{path}: nothing measured yet (run `make bench`)")
        return 1
    print(table(read(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
