"""Where a program's values come from, and which of them are still defaults.

A program file may list its `sources` and give an item (target, task, deadline, section, or a
document part under `program.defaults`) a `source` and `confirmed: false` (programs.definition);
the loader keeps both in Program.document. The program page reads them from here: an item
carries `provenance` = {"confirmed": bool, "source": the source's fields or None}, or None when
the file says nothing about it (a program transcribed from its issued document).
"""

from __future__ import annotations

import datetime

from programs.models import Program


def program_sources(program: Program) -> list[dict]:
    """The program's sources in the file's order (empty for a program without any), each
    with `date_text`, its date as Vietnamese documents write it (dd/mm/yyyy)."""
    return [{**source, "date_text": _date_text(source.get("date"))} for source in program.document.get("sources") or []]


def _date_text(iso: str | None) -> str:
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def provenance_of(program: Program, kind: str, code: str, sources: dict[str, dict] | None = None) -> dict | None:
    """An item's provenance: kind is targets, tasks, deadlines, sections or document."""
    recorded = (program.document.get("provenance") or {}).get(kind, {}).get(code)
    if recorded is None:
        return None
    if sources is None:
        sources = {source["code"]: source for source in program_sources(program)}
    return {"confirmed": recorded["confirmed"], "source": sources.get(recorded["source"])}


def mark_provenance(program: Program, sections, deadlines) -> int:
    """Give each section, target, task and deadline its `provenance`; the number of values
    still awaiting confirmation."""
    sources = {source["code"]: source for source in program_sources(program)}
    items = [("deadlines", deadline.code, deadline) for deadline in deadlines]
    for section in sections:
        items.append(("sections", section.number, section))
        items += [("targets", target.code, target) for target in section.targets.all()]
        items += [("tasks", task.code, task) for task in section.tasks.all()]
    unconfirmed = 0
    for kind, code, item in items:
        item.provenance = provenance_of(program, kind, code, sources)
        unconfirmed += bool(item.provenance and not item.provenance["confirmed"])
    return unconfirmed


def document_defaults(program: Program) -> dict[str, dict]:
    """The document parts (signature, recipients, preamble …) that have a provenance."""
    sources = {source["code"]: source for source in program_sources(program)}
    parts = (program.document.get("provenance") or {}).get("document", {})
    return {part: provenance_of(program, "document", part, sources) for part in parts}
