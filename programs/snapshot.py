"""A program as plain data (what `show_program --json` prints), and the difference between
two such snapshots (what a program revision records)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from programs.models import Program, Section


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _row(obj, fields: tuple[str, ...]) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


TARGET_FIELDS = (
    "code", "text", "short_label", "comparison", "value", "unit", "period", "deadline", "accumulate",
    "applies_to", "scope", "numerator", "denominator", "note",
)
TASK_FIELDS = ("code", "text", "responsible", "responsible_text", "department", "deadline", "deadline_codes")
ELEMENT_FIELDS = (
    "code", "label", "help", "type", "reported_by", "asked_of", "aggregation", "min_value", "max_value",
)


def program_snapshot(program: Program, with_definitions: bool = False) -> dict:
    """The whole program, sections nested as the file has them. With `with_definitions`,
    each target also carries its numerator and denominator in words."""
    labels = program.expression_labels()
    sections = list(program.sections.all())
    objectives = _by_section(program.objectives.all())
    targets = _by_section(program.targets.select_related("continues"))
    tasks = _by_section(program.tasks.all())

    def target_data(target) -> dict:
        data = _row(target, TARGET_FIELDS)
        if target.continues_id:  # only when set, as the file writes it
            data["continues"] = target.continues.code
        if with_definitions:
            data["numerator_text"] = target.numerator_expr.describe(labels)
            data["denominator_text"] = target.denominator_expr.describe(labels) if target.denominator else None
        return data

    def section_data(section: Section) -> dict:
        return {
            "number": section.number,
            "title": section.title,
            "paragraphs": section.paragraphs,
            "target_statements": section.target_statements,
            "objectives": [_row(o, ("code", "text")) for o in objectives.get(section.id, [])],
            "targets": [target_data(t) for t in targets.get(section.id, [])],
            "tasks": [_row(t, TASK_FIELDS) for t in tasks.get(section.id, [])],
            "children": [section_data(child) for child in sections if child.parent_id == section.id],
        }

    return {
        "program": {
            **_row(program, ("code", "title", "issuer", "superior_body", "issuing_unit", "term_start", "term_end",
                             "reporting_years", "lead_department", "status", "issued_on", "in_force_from",
                             "closed_on")),
            "issued_by_unit": program.issuer_unit.code if program.issuer_unit_id else None,
            "follows": program.predecessor.code if program.predecessor_id else None,
            **program.document,
        },
        "deadlines": [_row(d, ("code", "text", "due", "applies_to")) for d in program.deadlines.all()],
        "data_elements": [_row(e, ELEMENT_FIELDS) for e in program.elements()],
        "validation_rules": [_row(r, ("code", "rule", "severity", "message")) for r in program.validation_rules.all()],
        "sections": [section_data(s) for s in sections if s.parent_id is None],
    }


def _by_section(queryset) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for item in queryset:
        grouped.setdefault(item.section_id, []).append(item)
    return grouped


def _flatten(snapshot: dict) -> dict[str, object]:
    """Every value of a snapshot under a stable path such as 'targets.T05.value'."""
    flat: dict[str, object] = {}
    for key, value in snapshot["program"].items():
        flat[f"program.{key}"] = value
    for collection in ("deadlines", "data_elements", "validation_rules"):
        for item in snapshot[collection]:
            for key, value in item.items():
                flat[f"{collection}.{item['code']}.{key}"] = value

    def walk(sections):
        for section in sections:
            for key in ("title", "paragraphs", "target_statements"):
                flat[f"sections.{section['number']}.{key}"] = section[key]
            for collection in ("objectives", "targets", "tasks"):
                for item in section[collection]:
                    flat[f"{collection}.{item['code']}.section"] = section["number"]
                    for key, value in item.items():
                        flat[f"{collection}.{item['code']}.{key}"] = value
            walk(section["children"])

    walk(snapshot["sections"])
    return flat


def snapshot_changes(before: dict | None, after: dict) -> list[dict]:
    """What differs between two snapshots, path by path ('before' None for a new program)."""
    old = _flatten(before) if before else {}
    new = _flatten(after)
    return [
        {"path": path, "before": old.get(path), "after": new.get(path)}
        for path in sorted(old.keys() | new.keys())
        if old.get(path) != new.get(path)
    ]
