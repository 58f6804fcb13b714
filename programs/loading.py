"""Loading a program file into the database.

Loading is idempotent: every item is known by its code (sections by their number), so
loading the same file again changes nothing, and loading an edited file updates what
changed, removes what was removed and records the difference as a ProgramRevision.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction

from programs.definition import DataElement as ElementDefinition
from programs.definition import Deadline as DeadlineDefinition
from programs.definition import ProgramDefinition, ProgramFileError, ProgramProblem, read_definition
from programs.definition import Section as SectionDefinition
from programs.definition import Target as TargetDefinition
from programs.definition import Task as TaskDefinition
from programs.definition import ValidationRule as RuleDefinition
from programs.models import (
    DataElement,
    Deadline,
    Objective,
    Program,
    ProgramElement,
    ProgramRevision,
    Section,
    Target,
    Task,
    ValidationRule,
)
from programs.snapshot import program_snapshot, snapshot_changes
from units.models import Unit


def load_program(path: Path, by=None) -> tuple[Program, ProgramRevision | None]:
    """Check and load a program file. Returns the program and the revision recorded,
    or None when the file changed nothing. Raises ProgramFileError listing every problem."""
    definition = read_definition(path)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    with transaction.atomic():
        program = Program.objects.select_for_update().filter(code=definition.program.code).first()
        life = _life_fields(definition, str(path))
        if program is not None and program.status == Program.Status.CLOSED and life["status"] != Program.Status.CLOSED:
            # Closing is an action (reporting.actions.do_close_program), recorded in the trail:
            # loading the file again does not reopen the program.
            life.update(status=program.status, closed_on=program.closed_on)
        _check_catalogue(definition, str(path))
        continued = _continued_targets(definition, life["predecessor"], str(path))
        before = program_snapshot(program) if program else None
        program = _save_program(program, definition, path, digest, life)
        _link_continuations(program, continued)
        after = program_snapshot(program)
        changes = snapshot_changes(before, after)
        revision = None
        if changes:
            revision = ProgramRevision.objects.create(
                program=program, loaded_by=by, source_sha256=digest, changes=changes
            )
    return program, revision


def _life_fields(definition: ProgramDefinition, file: str) -> dict:
    """The issuer unit, status, dates and predecessor as fields; a code naming no unit or no
    loaded program is a located problem."""
    header = definition.program
    fields = {key: getattr(header, key) for key in ("status", "issued_on", "in_force_from", "closed_on")}
    problems = []
    fields["issuer_unit"] = None
    if header.issued_by_unit:
        fields["issuer_unit"] = Unit.objects.filter(code=header.issued_by_unit).first()
        if fields["issuer_unit"] is None:
            problems.append(ProgramProblem(file, header.line_of("issued_by_unit"), "program.issued_by_unit",
                                           f"no unit has the code '{header.issued_by_unit}'"))
    fields["predecessor"] = None
    if header.follows:
        fields["predecessor"] = Program.objects.filter(code=header.follows).first()
        if fields["predecessor"] is None or header.follows == header.code:
            problems.append(ProgramProblem(file, header.line_of("follows"), "program.follows",
                                           f"no other loaded program has the code '{header.follows}'"))
    if problems:
        raise ProgramFileError(problems)
    return fields


def _check_catalogue(definition: ProgramDefinition, file: str) -> None:
    """An element another program already uses must mean the same here: same type and
    aggregation (its label, help and bounds stay the catalogue's, see README "Decisions")."""
    codes = [item.code for item in definition.data_elements]
    users: dict[str, list[str]] = {}
    uses = ProgramElement.objects.filter(element__code__in=codes).exclude(program__code=definition.program.code)
    for code, program_code in uses.values_list("element__code", "program__code").order_by("program__code"):
        users.setdefault(code, []).append(program_code)
    catalogue = {e.code: e for e in DataElement.objects.filter(code__in=list(users))}
    problems = []
    for item in definition.data_elements:
        element = catalogue.get(item.code)
        if element is None:
            continue
        for name in ("type", "aggregation"):
            if getattr(element, name) != getattr(item, name):
                problems.append(ProgramProblem(
                    file, item.line_of(name), f"data element {item.code}.{name}",
                    f"is '{getattr(item, name)}' but program {users[item.code][0]} uses '{item.code}' as "
                    f"'{getattr(element, name)}'; an element shared by code must mean the same in every program"))
    if problems:
        raise ProgramFileError(problems)


def _continued_targets(definition: ProgramDefinition, predecessor: Program | None,
                       file: str) -> dict[str, Target | None]:
    """Each target's `continues` as the predecessor's target it names (None for a target that
    continues none); a code naming no target of the predecessor, or one measured in another
    unit (a percent cannot carry on a count), is a located problem."""
    old = {t.code: t for t in Target.objects.filter(program=predecessor)} if predecessor else {}
    continued, problems = {}, []
    for item in definition.targets:
        continued[item.code] = None
        if not item.continues:
            continue
        where = (file, item.line_of("continues"), f"target {item.code}.continues")
        target = old.get(item.continues)
        if target is None:
            problems.append(ProgramProblem(*where, f"program {definition.program.follows} has no target "
                                                   f"'{item.continues}'"))
        elif target.unit != item.unit:
            problems.append(ProgramProblem(*where, f"target {item.continues} of {definition.program.follows} is "
                                                   f"measured as {target.unit}, this one as {item.unit}: one "
                                                   f"series needs one unit of measure"))
        continued[item.code] = target
    if problems:
        raise ProgramFileError(problems)
    return continued


def _link_continuations(program: Program, continued: dict[str, Target | None]) -> None:
    for target in program.targets.all():
        wanted = continued.get(target.code)
        if target.continues_id != (wanted.pk if wanted else None):
            target.continues = wanted
            target.save(update_fields=["continues"])


def _save_program(program: Program | None, definition: ProgramDefinition, path: Path, digest: str,
                  life: dict) -> Program:
    header = definition.program
    fields = {key: getattr(header, key) for key in header.IDENTITY if key != "code"}
    fields.update(life)
    fields["document"] = {**header.document, **definition.provenance_document()}
    fields.update(source_file=Path(path).name, source_sha256=digest)
    if program is None:
        program = Program.objects.create(code=header.code, **fields)
    else:
        for key, value in fields.items():
            setattr(program, key, value)
        program.save()
    _sync(program, Deadline, definition.deadlines, _deadline_fields)
    _sync_elements(program, definition.data_elements)
    _sync(program, ValidationRule, definition.validation_rules, _rule_fields)
    _save_sections(program, definition.sections)
    return program


def _sync(program: Program, model, items: list, fields_of, key: str = "code", extra=None) -> dict:
    """Make the program's rows of `model` exactly the file's items, matched by `key`."""
    existing = {getattr(row, key): row for row in model.objects.filter(program=program)}
    kept = {}
    for position, item in enumerate(items):
        values = {**fields_of(item), "position": position, **(extra(item) if extra else {})}
        code = getattr(item, key)
        row = existing.get(code)
        if row is None:
            row = model.objects.create(program=program, **{key: code}, **values)
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
        kept[code] = row
    model.objects.filter(program=program).exclude(**{f"{key}__in": list(kept)}).delete()
    return kept


def _sync_elements(program: Program, items: list[ElementDefinition]) -> None:
    """The catalogue gains the file's new elements; an element no other program uses takes the
    file's wording; the program's uses become exactly the file's, in its order."""
    codes = [item.code for item in items]
    shared = set(ProgramElement.objects.filter(element__code__in=codes).exclude(program=program)
                 .values_list("element__code", flat=True))
    catalogue = {e.code: e for e in DataElement.objects.filter(code__in=codes)}
    uses = {use.element.code: use for use in program.element_uses.select_related("element")}
    for position, item in enumerate(items):
        values = _element_fields(item)
        element = catalogue.get(item.code)
        if element is None:
            element = DataElement.objects.create(code=item.code, **values)
        elif item.code not in shared and any(getattr(element, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(element, name, value)
            element.save()
        use_values = {"reported_by": item.reported_by, "asked_of": item.asked_of.as_data(), "position": position}
        use = uses.pop(item.code, None)
        if use is None:
            ProgramElement.objects.create(program=program, element=element, **use_values)
        elif any(getattr(use, k) != v for k, v in use_values.items()):
            for name, value in use_values.items():
                setattr(use, name, value)
            use.save()
    dropped = [use.element_id for use in uses.values()]
    ProgramElement.objects.filter(pk__in=[use.pk for use in uses.values()]).delete()
    # An element nobody asks for any more leaves the catalogue, unless figures were reported in it.
    DataElement.objects.filter(pk__in=dropped, uses__isnull=True, values__isnull=True).delete()


def _deadline_fields(item: DeadlineDefinition) -> dict:
    # Kinds are stored spelled out (`upper_union` expanded), so every reader sees real kinds.
    return {"text": item.text, "due": item.due, "applies_to": item.applies_to}


def _element_fields(item: ElementDefinition) -> dict:
    return {
        "label": item.label, "help": item.help, "type": item.type, "aggregation": item.aggregation,
        "min_value": item.min, "max_value": item.max,
    }


def _rule_fields(item: RuleDefinition) -> dict:
    return {"rule": item.check, "severity": item.severity, "message": item.message}


def _section_rows(sections: list[SectionDefinition], parent_number=None):
    for section in sections:
        yield section, parent_number
        yield from _section_rows(section.children, section.number)


def _save_sections(program: Program, sections: list[SectionDefinition]) -> None:
    rows = list(_section_rows(sections))
    saved = _sync(
        program, Section, [section for section, _ in rows],
        lambda s: {"title": s.title, "paragraphs": s.paragraphs, "target_statements": s.target_statements},
        key="number",
    )
    for section, parent_number in rows:
        row = saved[section.number]
        parent_id = saved[parent_number].id if parent_number else None
        if row.parent_id != parent_id:
            row.parent_id = parent_id
            row.save(update_fields=["parent"])

    def items(kind):
        return [(item, saved[s.number]) for s, _ in rows for item in getattr(s, kind)]

    def synced(model, kind, fields_of):
        pairs = items(kind)
        section_of = {id(item): row for item, row in pairs}
        _sync(program, model, [item for item, _ in pairs], fields_of,
              extra=lambda item: {"section_id": section_of[id(item)].id})

    synced(Objective, "objectives", lambda o: {"text": o.text})
    synced(Target, "targets", _target_fields)
    synced(Task, "tasks", _task_fields)


def _target_fields(item: TargetDefinition) -> dict:
    return {
        "text": item.text, "short_label": item.short_label, "comparison": item.comparison,
        "value": item.value, "unit": item.unit, "period": item.period, "deadline": item.deadline,
        "accumulate": item.accumulate or "", "applies_to": item.applies_to, "scope": item.scope,
        "numerator": item.numerator.as_data(),
        "denominator": item.denominator.as_data() if item.denominator else None, "note": item.note,
    }


def _task_fields(item: TaskDefinition) -> dict:
    return {
        "text": item.text, "responsible": item.responsible, "responsible_text": item.responsible_text,
        "department": item.department or "", "deadline": item.deadline, "deadline_codes": item.deadlines,
    }
