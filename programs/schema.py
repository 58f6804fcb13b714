"""Reading and checking a program file.

`read_program_file` parses the YAML keeping the line of every mapping and key, and
`check_program` returns every problem found, each with the file, the line and the field,
so that whoever edits a program file can fix it without reading code.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from programs.expressions import UNIT_KINDS, expression_errors, filter_errors, normalized_kinds

COMPARISONS = (">=", ">", "=")
TARGET_UNITS = ("percent", "count", "average")
PERIODS = ("yearly", "term", "deadline")
ACCUMULATIONS = ("sum", "last")
SCOPES = ("unit", "program")
ELEMENT_TYPES = ("count", "boolean", "quality_class", "date", "text", "percent")
AGGREGATIONS = ("sum", "count_true", "count_by_class", "none")
REPORTERS = ("grassroots", "upper_union", "province")
SEVERITIES = ("error", "warning")
RESPONSIBLE = (
    "standing_committee", "department", "lead_department", "upper_union", "district", "sector",
    "industrial_zone", "grassroots", "all_levels",
)
DEPARTMENTS = (
    "propaganda", "organisation", "policy_law", "women", "finance", "office", "inspection",
)
CODE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*$")
COMPARISON_CHECK = re.compile(r"^\s*(\w+)\s*(<=|<|==|>=|>)\s*(\w+)\s*$")
IMPLIES_CHECK = re.compile(r"^\s*(\w+)\s+implies\s+(\w+)\s*$")
FACTOR_CHECK = re.compile(r"^\s*year_over_year_factor\s+(\d+(\.\d+)?)\s*$")


class LocatedDict(dict):
    """A YAML mapping that remembers where it and each of its keys stood in the file."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LocatingLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser where PyYAML was built with it (about 10x faster), the pure-Python one
    elsewhere; both give every node its line."""


def _construct_mapping(loader: _LocatingLoader, node: yaml.MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)
    mapping = LocatedDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class ProgramProblem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class ProgramFileError(ValueError):
    def __init__(self, problems: list[ProgramProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def read_program_file(path: Path) -> LocatedDict:
    """Parse a program file; malformed YAML raises ProgramFileError with its line."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_LocatingLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise ProgramFileError([ProgramProblem(str(path), line, "(yaml)", f"malformed YAML: {problem}")]) from exc
    if not isinstance(data, LocatedDict):
        raise ProgramFileError([ProgramProblem(str(path), 1, "(file)", "the file must be a mapping")])
    return data


def walk_sections(sections):
    """Every section of the file, depth first, in the file's order."""
    for section in sections or []:
        yield section
        yield from walk_sections(section.get("children"))


class _Checker:
    def __init__(self, path: Path, data: LocatedDict):
        self.file = str(path)
        self.data = data
        self.problems: list[ProgramProblem] = []

    def add(self, where: LocatedDict | None, key: str, field: str, message: str) -> None:
        line = where.line_of(key) if isinstance(where, LocatedDict) else 0
        self.problems.append(ProgramProblem(self.file, line, field, message))

    def require(self, item: LocatedDict, keys: tuple[str, ...], prefix: str) -> None:
        for key in keys:
            if item.get(key) in (None, "", []):
                self.add(item, key, f"{prefix}.{key}", "is required")

    def choice(self, item: LocatedDict, key: str, choices, prefix: str, required: bool = True) -> None:
        value = item.get(key)
        if value is None and not required:
            return
        if value not in choices:
            self.add(item, key, f"{prefix}.{key}", f"must be one of {', '.join(map(str, choices))}; got {value!r}")

    def unique(self, items, label: str, key: str = "code") -> None:
        seen = {}
        for item in items:
            code = item.get(key)
            if code in seen:
                self.add(item, key, f"{label} {code}", f"duplicate {key} (first at line {seen[code]})")
            elif code is not None:
                seen[code] = item.line_of(key)
                if key == "code" and not CODE_PATTERN.match(str(code)):
                    self.add(item, key, f"{label} {code}", "codes use letters, digits, _ . - and start with a letter")

    def run(self) -> list[ProgramProblem]:
        data = self.data
        for key in ("program", "data_elements", "sections"):
            if key not in data:
                self.add(data, key, key, "is required")
        if self.problems:
            return self.problems
        self.check_program(data["program"])
        element_types = self.check_elements(data.get("data_elements") or [])
        self.check_rules(data.get("validation_rules") or [], element_types)
        deadline_codes = self.check_deadlines(data.get("deadlines") or [])
        self.check_sections(data["sections"], element_types, deadline_codes)
        return self.problems

    def check_program(self, program) -> None:
        if not isinstance(program, LocatedDict):
            self.add(self.data, "program", "program", "must be a mapping")
            return
        self.require(program, ("code", "title", "issuer", "term_start", "term_end", "reporting_years"), "program")
        if program.get("code") and not CODE_PATTERN.match(str(program["code"])):
            self.add(program, "code", "program.code", "codes use letters, digits, _ . - and start with a letter")
        years = program.get("reporting_years") or []
        if not all(isinstance(y, int) for y in years):
            self.add(program, "reporting_years", "program.reporting_years", "must be a list of years")

    def check_elements(self, elements) -> dict[str, str]:
        self.unique(elements, "data element")
        for element in elements:
            prefix = f"data element {element.get('code')}"
            self.require(element, ("code", "label", "type", "reported_by", "aggregation"), prefix)
            self.choice(element, "type", ELEMENT_TYPES, prefix)
            self.choice(element, "aggregation", AGGREGATIONS, prefix)
            reporters = element.get("reported_by")
            reporters = reporters if isinstance(reporters, list) else [reporters]
            if any(r not in REPORTERS for r in reporters):
                self.add(element, "reported_by", f"{prefix}.reported_by", f"must be among {', '.join(REPORTERS)}")
            if "asked_of" in element:
                for field, message in filter_errors(element["asked_of"], "asked_of"):
                    self.add(element, "asked_of", f"{prefix}.{field}", message)
            for bound in ("min", "max"):
                if bound in element and not isinstance(element[bound], int | float):
                    self.add(element, bound, f"{prefix}.{bound}", "must be a number")
        return {e["code"]: e.get("type") for e in elements if e.get("code")}

    def check_rules(self, rules, element_types: dict[str, str]) -> None:
        self.unique(rules, "validation rule")
        for rule in rules:
            prefix = f"validation rule {rule.get('code')}"
            self.require(rule, ("code", "check", "severity", "message"), prefix)
            self.choice(rule, "severity", SEVERITIES, prefix)
            check = str(rule.get("check", ""))
            match = COMPARISON_CHECK.match(check) or IMPLIES_CHECK.match(check)
            if FACTOR_CHECK.match(check):
                continue
            if not match:
                self.add(rule, "check", f"{prefix}.check",
                         "must read 'A <= B' (<, ==, >=, >), 'A implies B' or 'year_over_year_factor N'")
                continue
            names = [match.group(1), match.group(match.lastindex)]
            for name in names:
                if name not in element_types:
                    self.add(rule, "check", f"{prefix}.check", f"unknown data element '{name}'")

    def check_deadlines(self, deadlines) -> set[str]:
        self.unique(deadlines, "deadline")
        for deadline in deadlines:
            prefix = f"deadline {deadline.get('code')}"
            self.require(deadline, ("code", "text", "due"), prefix)
            if deadline.get("due") and not isinstance(deadline["due"], datetime.date):
                self.add(deadline, "due", f"{prefix}.due", "must be a date YYYY-MM-DD")
            self.check_kinds(deadline, "applies_to", prefix)
        return {d["code"] for d in deadlines if d.get("code")}

    def check_kinds(self, item: LocatedDict, key: str, prefix: str) -> None:
        kinds = item.get(key) or []
        if not isinstance(kinds, list) or set(normalized_kinds(kinds)) - set(UNIT_KINDS):
            self.add(item, key, f"{prefix}.{key}", f"must be a list of {', '.join(UNIT_KINDS)}")

    def check_sections(self, sections, element_types, deadline_codes) -> None:
        all_sections = list(walk_sections(sections))
        self.unique(all_sections, "section", key="number")
        self.unique([o for s in all_sections for o in s.get("objectives") or []], "objective")
        self.unique([t for s in all_sections for t in s.get("targets") or []], "target")
        self.unique([t for s in all_sections for t in s.get("tasks") or []], "task")
        for section in all_sections:
            self.require(section, ("number", "title"), f"section {section.get('number')}")
            for target in section.get("targets") or []:
                self.check_target(target, element_types, deadline_codes)
            for task in section.get("tasks") or []:
                self.check_task(task, deadline_codes)

    def check_target(self, target: LocatedDict, element_types, deadline_codes: set[str]) -> None:
        prefix = f"target {target.get('code')}"
        self.require(target, ("code", "text", "comparison", "value", "unit", "period", "numerator"), prefix)
        if target.get("comparison") is not None:
            self.choice(target, "comparison", COMPARISONS, prefix)
        if target.get("value") is not None and not isinstance(target["value"], int | float):
            self.add(target, "value", f"{prefix}.value", "must be a number")
        self.choice(target, "unit", TARGET_UNITS, prefix, required=target.get("unit") is not None)
        self.choice(target, "period", PERIODS, prefix, required=target.get("period") is not None)
        period = target.get("period")
        if period == "deadline" and not isinstance(target.get("deadline"), datetime.date):
            self.add(target, "deadline", f"{prefix}.deadline", "a deadline target needs a date YYYY-MM-DD")
        if period == "term":
            self.choice(target, "accumulate", ACCUMULATIONS, prefix)
        self.choice(target, "scope", SCOPES, prefix, required=False)
        self.check_kinds(target, "applies_to", prefix)
        for side in ("numerator", "denominator"):
            expression = target.get(side)
            if expression is None:
                continue
            for field, message in expression_errors(expression, element_types, deadline_codes):
                self.add(target, side, f"{prefix}.{side}{'.' + field if field else ''}", message)
        if target.get("unit") in ("percent", "average") and target.get("denominator") is None:
            self.add(target, "unit", f"{prefix}.denominator", f"a {target['unit']} target needs a denominator")
        if target.get("unit") == "count" and target.get("denominator") is not None:
            self.add(target, "denominator", f"{prefix}.denominator", "a count target has no denominator")

    def check_task(self, task: LocatedDict, deadline_codes: set[str]) -> None:
        prefix = f"task {task.get('code')}"
        self.require(task, ("code", "text", "responsible"), prefix)
        responsible = task.get("responsible") or []
        if not isinstance(responsible, list) or set(responsible) - set(RESPONSIBLE):
            self.add(task, "responsible", f"{prefix}.responsible", f"must be a list of {', '.join(RESPONSIBLE)}")
        for code in task.get("deadlines") or []:
            if code not in deadline_codes:
                self.add(task, "deadlines", f"{prefix}.deadlines", f"unknown deadline '{code}'")
        if task.get("department") is not None:
            self.choice(task, "department", DEPARTMENTS, prefix)
        if "deadline" in task and not isinstance(task["deadline"], datetime.date):
            self.add(task, "deadline", f"{prefix}.deadline", "must be a date YYYY-MM-DD")


def check_program(path: Path, data: LocatedDict | None = None) -> list[ProgramProblem]:
    """Every problem of a program file; an empty list means it can be loaded."""
    try:
        data = data if data is not None else read_program_file(path)
    except ProgramFileError as exc:
        return exc.problems
    return _Checker(path, data).run()

