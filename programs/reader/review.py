"""The province administrator's review of a draft: each target's reading in words, the
reviewer's decisions applied (confirm, correct, reject), and the result checked exactly as a
hand-written program file is (`check_program`) before it can be downloaded. Nothing is
loaded into the database here: the file is kept in version control and loaded with
`load_program`, like any program file."""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from programs.definition import ProgramDefinition, ProgramProblem, UnitFilter, check_program
from programs.models import Target
from programs.reader.draft import Draft, DraftTarget
from programs.reader.draft_file import MATCH_THRESHOLD, ElementChooser, draft_yaml
from tiendo.formatting import number

CONFIRMED = 1.0


def current_reference() -> ProgramDefinition | None:
    """The loaded program's file, whose data elements a draft's targets are matched with
    (None without a loaded program or when its file is not at hand)."""
    from django.db import DatabaseError

    from programs.choice import in_force_for
    from programs.definition import ProgramFileError, read_definition

    try:
        program = in_force_for()
    except DatabaseError:  # no database yet: a draft needs none
        return None
    if program is None or not program.source_file:
        return None
    path = Path(__file__).resolve().parents[1] / "data" / program.source_file
    try:
        return read_definition(path) if path.is_file() else None
    except ProgramFileError:
        return None


def reading_in_words(target: DraftTarget) -> str:
    """"≥ 80% · hằng năm · công đoàn cơ sở ở doanh nghiệp ngoài nhà nước"."""
    symbol = dict(Target.Comparison.choices).get(target.comparison, target.comparison)
    horizon = str(dict(Target.Horizon.choices).get(target.period, target.period))
    if target.period == "deadline" and target.deadline:
        horizon = f"{horizon} {target.deadline:%d/%m/%Y}"
    value = number(target.value, target.unit)
    if target.unit == "average":
        value = f"{value} ({dict(Target.Measure.choices)['average']})"
    units = UnitFilter.model_validate({"kind": target.applies_to, **target.where}).describe()
    return " · ".join([f"{symbol} {value}", horizon, units])


@dataclass
class Decision:
    """What the reviewer said of one target: reject it, or keep it with these values
    (unchanged values confirm the reading)."""

    reject: bool
    comparison: str
    value: int | float
    unit: str
    period: str
    deadline: datetime.date | None
    applies_to: list[str]
    element: str | None = None  # the data element counted ("": a new one); None: as suggested
    suggested: str | None = None  # the element the page offered first


def apply_decisions(draft: Draft, decisions: dict[str, Decision], rejected_tasks: set[str]) -> None:
    for section in draft.walk_sections():
        kept = []
        for target in section.targets:
            decision = decisions.get(target.code)
            if decision is None:
                kept.append(target)
                continue
            if decision.reject:
                continue
            _apply(target, decision)
            kept.append(target)
        section.targets = kept
        section.tasks = [task for task in section.tasks if task.code not in rejected_tasks]


def _apply(target: DraftTarget, decision: Decision) -> None:
    before = (target.comparison, target.value, target.unit, target.period, target.deadline, target.applies_to)
    target.comparison, target.unit, target.period = decision.comparison, decision.unit, decision.period
    target.value = int(decision.value) if decision.value == int(decision.value) else float(decision.value)
    target.deadline = decision.deadline if decision.period == "deadline" else None
    target.applies_to = decision.applies_to
    # The suggestion kept as offered stays a suggestion; another choice is the reviewer's.
    target.element = None if decision.element == decision.suggested else decision.element
    after = (target.comparison, target.value, target.unit, target.period, target.deadline, target.applies_to)
    suggested = decision.element is None or decision.element == decision.suggested
    if target.period == "term" and target.accumulate is None:
        target.accumulate = "sum" if target.unit in ("count", "average") else "last"
    target.scope = "program" if target.unit == "count" else "unit"
    target.confidence = CONFIRMED
    target.notes = ["corrected by the reviewer" if after != before or not suggested else "confirmed by the reviewer"]


def checked_file(draft: Draft, reference: ProgramDefinition | None, source: str) -> tuple[str, list[ProgramProblem]]:
    """The draft as a program file and the problems `check_program` finds in it (none: it may
    be downloaded and loaded)."""
    text = draft_yaml(draft, reference, source)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "draft.yaml"
        path.write_text(text, encoding="utf-8")
        problems = check_program(path)
    return text, [ProgramProblem(_("draft"), p.line, p.field, p.message) for p in problems]


def element_choices(chooser: ElementChooser, target: DraftTarget, draft: Draft) -> list[tuple[str, str]] | None:
    """The elements the page offers for a target: the likeliest first, then every other
    element of a type the target can count (None: counted on uploaded plans, nothing to choose)."""
    if chooser.plan_deadline(target, draft):
        return None
    likeliest = [element for element, _score in chooser.suggestions(target)]
    others = sorted((e for e in chooser.compatible(target) if e not in likeliest), key=lambda e: e.label)
    return [(element.code, f"{element.label} ({element.code})") for element in [*likeliest, *others]]


def suggested_element(chooser: ElementChooser, target: DraftTarget) -> str:
    """What the draft file would count for the target untouched: the best suggestion close
    enough, else "" (a new element)."""
    best = chooser.suggestions(target, limit=1)
    return best[0][0].code if best and best[0][1] >= MATCH_THRESHOLD else ""


def document_segments(draft: Draft) -> list[tuple[str, str]]:
    """The document's text cut at the targets' spans: (text, target code or "")."""
    segments, position = [], 0
    for target in sorted(draft.targets, key=lambda t: t.span.start):
        if target.span.start < position:
            continue
        segments.append((draft.text[position:target.span.start], ""))
        segments.append((draft.text[target.span.start:target.span.end], target.code))
        position = target.span.end
    segments.append((draft.text[position:], ""))
    return [segment for segment in segments if segment[0]]
