"""Loading a program file into the database.

Loading is idempotent: every item is known by its code (sections by their number), so
loading the same file again changes nothing, and loading an edited file updates what
changed, removes what was removed and records the difference as a ProgramRevision.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction

from programs.expressions import normalized_kinds
from programs.models import (
    DataElement,
    Deadline,
    Objective,
    Program,
    ProgramRevision,
    Section,
    Target,
    Task,
    ValidationRule,
)
from programs.schema import ProgramFileError, check_program, read_program_file
from programs.snapshot import program_snapshot, snapshot_changes

PROGRAM_KEYS = (
    "code", "title", "issuer", "superior_body", "issuing_unit", "term_start", "term_end", "reporting_years",
    "lead_department",
)


def load_program(path: Path, by=None) -> tuple[Program, ProgramRevision | None]:
    """Check and load a program file. Returns the program and the revision recorded,
    or None when the file changed nothing. Raises ProgramFileError listing every problem."""
    data = read_program_file(path)
    problems = check_program(path, data)
    if problems:
        raise ProgramFileError(problems)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    with transaction.atomic():
        program = Program.objects.select_for_update().filter(code=data["program"]["code"]).first()
        before = program_snapshot(program) if program else None
        program = _save_program(program, data, path, digest)
        after = program_snapshot(program)
        changes = snapshot_changes(before, after)
        revision = None
        if changes:
            revision = ProgramRevision.objects.create(
                program=program, loaded_by=by, source_sha256=digest, changes=changes
            )
    return program, revision


def _save_program(program: Program | None, data: dict, path: Path, digest: str) -> Program:
    meta = data["program"]
    fields = {key: meta.get(key, "") for key in PROGRAM_KEYS if key != "code"}
    fields["document"] = {key: value for key, value in meta.items() if key not in PROGRAM_KEYS}
    fields.update(source_file=Path(path).name, source_sha256=digest)
    if program is None:
        program = Program.objects.create(code=meta["code"], **fields)
    else:
        for key, value in fields.items():
            setattr(program, key, value)
        program.save()
    _sync(program, Deadline, data.get("deadlines") or [], _deadline_fields)
    _sync(program, DataElement, data.get("data_elements") or [], _element_fields)
    _sync(program, ValidationRule, data.get("validation_rules") or [], _rule_fields)
    _save_sections(program, data["sections"])
    return program


def _sync(program: Program, model, items: list[dict], fields_of, key: str = "code", extra=None) -> dict:
    """Make the program's rows of `model` exactly the file's items, matched by `key`."""
    existing = {getattr(row, key): row for row in model.objects.filter(program=program)}
    kept = {}
    for position, item in enumerate(items):
        values = {**fields_of(item), "position": position, **(extra(item) if extra else {})}
        row = existing.get(item[key])
        if row is None:
            row = model.objects.create(program=program, **{key: item[key]}, **values)
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
        kept[item[key]] = row
    model.objects.filter(program=program).exclude(**{f"{key}__in": list(kept)}).delete()
    return kept


def _deadline_fields(item: dict) -> dict:
    # The shorthand `upper_union` is spelled out once, here, so every reader of deadlines
    # (the plan pages, the engine) sees the unit kinds themselves.
    return {"text": item["text"], "due": item["due"], "applies_to": normalized_kinds(item.get("applies_to") or [])}


def _element_fields(item: dict) -> dict:
    reported_by = item["reported_by"]
    return {
        "label": item["label"], "help": item.get("help", ""), "type": item["type"],
        "reported_by": reported_by if isinstance(reported_by, list) else [reported_by],
        "asked_of": item.get("asked_of") or {},
        "aggregation": item["aggregation"], "min_value": item.get("min"), "max_value": item.get("max"),
    }


def _rule_fields(item: dict) -> dict:
    return {"rule": item["check"], "severity": item["severity"], "message": item["message"]}


def _section_rows(sections, parent_number=None):
    for section in sections or []:
        yield section, parent_number
        yield from _section_rows(section.get("children"), section["number"])


def _save_sections(program: Program, sections: list[dict]) -> None:
    rows = list(_section_rows(sections))
    saved = _sync(
        program, Section, [section for section, _ in rows],
        lambda s: {"title": s["title"], "paragraphs": s.get("paragraphs") or [],
                   "target_statements": s.get("target_statements") or []},
        key="number",
    )
    for section, parent_number in rows:
        row = saved[section["number"]]
        parent_id = saved[parent_number].id if parent_number else None
        if row.parent_id != parent_id:
            row.parent_id = parent_id
            row.save(update_fields=["parent"])

    def items(kind):
        return [dict(item, _section=saved[s["number"]]) for s, _ in rows for item in s.get(kind) or []]

    in_section = lambda item: {"section_id": item["_section"].id}  # noqa: E731
    _sync(program, Objective, items("objectives"), lambda o: {"text": o["text"]}, extra=in_section)
    _sync(program, Target, items("targets"), _target_fields, extra=in_section)
    _sync(program, Task, items("tasks"), _task_fields, extra=in_section)


def _target_fields(item: dict) -> dict:
    return {
        "text": item["text"], "short_label": item.get("short_label", ""), "comparison": item["comparison"],
        "value": item["value"], "unit": item["unit"], "period": item["period"], "deadline": item.get("deadline"),
        "accumulate": item.get("accumulate", ""), "applies_to": item.get("applies_to") or [],
        "scope": item.get("scope", "unit"),
        "numerator": item["numerator"], "denominator": item.get("denominator"), "note": item.get("note", ""),
    }


def _task_fields(item: dict) -> dict:
    return {
        "text": item["text"], "responsible": item.get("responsible") or [],
        "responsible_text": item.get("responsible_text", ""), "department": item.get("department", ""),
        "deadline": item.get("deadline"), "deadline_codes": item.get("deadlines") or [],
    }
