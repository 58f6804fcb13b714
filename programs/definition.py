"""The program language: a program file as typed objects, parsed and checked once.

A program file (programs/data/*.yaml) is read by `read_definition` into a `ProgramDefinition`:
the header, deadlines, data elements, validation rules and the sections with their
objectives, targets and tasks. Every other part of the system asks these objects instead of
reading the file's dicts:

    UnitFilter       which units (kind, ownership, enterprise, large_enterprise):
                     `q()` for the database, `matches(unit)` for one unit, `describe()` in words
    Expression       a target's numerator or denominator (sum / count / count_class / units,
                     and plans_on_time / plans_expected, which count a deadline's uploaded plans)
    Compare, Implies, YearOverYear
                     a validation rule's `check`, parsed
    Bounds           the range a data element's value may take

Every problem is reported with the file, the line and the field (`ProgramProblem`), all of
them at once where the file's shape allows. The stored rows hand out the same objects
(programs.models: `target.numerator_expr`, `rule.parsed`, `element.bounds`,
`deadline.applies_to_filter`), and the JSON Schema of the file (programs/data/program.schema.json)
is generated from these models (`program_json_schema`).

Vocabularies come from the TextChoices the models store (programs.vocabulary, units.models); the
ones no model stores as choices live here.
"""

from __future__ import annotations

import datetime
import functools
import json
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, ClassVar

from django.db.models import Q
from django.utils.translation import gettext as _
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    StrictBool,
    Tag,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from programs.vocabulary import Comparison, Department, ElementType, Horizon, Measure, ProgramStatus, Scope, Severity
from tiendo.problems import LocatedDict, ProblemsError, read_located_yaml
from tiendo.problems import Problem as ProgramProblem
from units.models import ENTERPRISE_OWNERSHIPS as ENTERPRISE_OWNERSHIP_CHOICES
from units.models import UPPER_UNION_KINDS as UPPER_UNION_KIND_CHOICES
from units.models import Ownership, UnitKind

# --- vocabularies -------------------------------------------------------------------------

UNIT_KINDS = tuple(UnitKind.values)
UPPER_UNION = "upper_union"  # the file's shorthand for the unions directly above grassroots
UPPER_UNION_KINDS = tuple(map(str, UPPER_UNION_KIND_CHOICES))
OWNERSHIPS = tuple(Ownership.values)
# str(): units.models spells these as TextChoices members or as plain texts.
ENTERPRISE_OWNERSHIPS = tuple(map(str, ENTERPRISE_OWNERSHIP_CHOICES))
DEPARTMENTS = tuple(Department.values)
ELEMENT_TYPES = tuple(ElementType.values)
SEVERITIES = tuple(Severity.values)
PROGRAM_STATUSES = tuple(ProgramStatus.values)
COMPARISONS = tuple(Comparison.values)
TARGET_UNITS = tuple(Measure.values)
PERIODS = tuple(Horizon.values)
SCOPES = tuple(Scope.values)
# No model stores these as choices; this is their one home.
ACCUMULATIONS = ("sum", "last")
AGGREGATIONS = ("sum", "count_true", "count_by_class", "none")
REPORTERS = ("grassroots", "upper_union", "province")
RESPONSIBLE = (
    "standing_committee", "department", "lead_department", "upper_union", "district", "sector",
    "industrial_zone", "grassroots", "all_levels",
)
QUALITY_CLASSES = ("A", "B", "C", "D")
AGGREGATES = ("sum", "count", "count_class", "units", "plans_on_time", "plans_expected")
# The aggregates that count a deadline's uploaded plans (plans.status) instead of reports.
PLAN_AGGREGATES = ("plans_on_time", "plans_expected")
CODE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*$")


def expand_kinds(kinds) -> list[str]:
    """Unit kinds with the shorthand `upper_union` spelled out, each kind once."""
    result = []
    for kind in kinds:
        result.extend(UPPER_UNION_KINDS if kind == UPPER_UNION else [kind])
    return list(dict.fromkeys(result))


def deadline_label(text: str, due: datetime.date) -> str:
    """How a definition in words names a deadline: its words and due date."""
    return f"{text} ({due:%d/%m/%Y})"


class ProgramFileError(ProblemsError):
    """The problems of a program file (FILE:LINE: FIELD: MESSAGE)."""


def read_program_file(path: Path) -> LocatedDict:
    """Parse a program file's YAML; malformed YAML raises ProgramFileError with its line."""
    return read_located_yaml(path, ProgramFileError)


# --- value types: each says what is wrong in the words a program's editor reads -----------

def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("program", "{message}", {"message": message})


def _required_text(value):
    if value is None or value == "":
        raise _refuse("is required")
    if not isinstance(value, str):
        raise _refuse("must be text")
    return value


def _optional_text(value):
    return "" if value is None else value


def _code(value):
    value = _required_text(value)
    if not CODE_PATTERN.match(value):
        raise _refuse("codes use letters, digits, _ . - and start with a letter")
    return value


def _number(value):
    if value is None:
        raise _refuse("is required")
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _refuse("must be a number")
    return value


def _date(value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise _refuse("must be a date YYYY-MM-DD")


def _list_or_empty(value):
    return [] if value is None else value


def choice(values: tuple[str, ...]):
    """A text that must be one of `values`."""
    def check(value):
        if value is None:
            raise _refuse("is required")
        if value not in values:
            raise _refuse(f"must be one of {', '.join(values)}; got {value!r}")
        return value
    return Annotated[str, BeforeValidator(check), WithJsonSchema({"type": "string", "enum": list(values)})]


def choice_list(values: tuple[str, ...], message: str, *, shorthand: tuple[str, ...] = (),
                required: bool = False, single: bool = False):
    """A list of texts from `values` (and `shorthand`, expanded by expand_kinds), refused as a
    whole with `message`; `single` also takes one bare text for a list of one."""
    def check(value):
        if value is None or value == []:
            if required:
                raise _refuse("is required")
            return []
        if single and isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise _refuse(message)
        items = expand_kinds(value) if shorthand else value
        if set(items) - set(values):
            raise _refuse(message)
        return items
    item_schema = {"type": "string", "enum": [*values, *shorthand]}
    schema = {"type": "array", "items": item_schema, **({"minItems": 1} if required else {})}
    if single:
        schema = {"anyOf": [item_schema, schema]}
    return Annotated[list[str], BeforeValidator(check), WithJsonSchema(schema)]


Text = Annotated[str, BeforeValidator(_required_text), WithJsonSchema({"type": "string", "minLength": 1})]
OptionalText = Annotated[str, BeforeValidator(_optional_text), WithJsonSchema({"type": "string"})]
Code = Annotated[str, BeforeValidator(_code), WithJsonSchema({"type": "string", "pattern": CODE_PATTERN.pattern})]
Number = Annotated[int | float | Decimal, BeforeValidator(_number), WithJsonSchema({"type": "number"})]
Date = Annotated[datetime.date, BeforeValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]
Texts = Annotated[
    list[str], BeforeValidator(_list_or_empty), WithJsonSchema({"type": "array", "items": {"type": "string"}})
]
UnitKinds = choice_list(
    UNIT_KINDS, f"must be a list of {', '.join(UNIT_KINDS)} (or {UPPER_UNION})", shorthand=(UPPER_UNION,)
)
RequiredUnitKinds = choice_list(
    UNIT_KINDS, f"must be a list of {', '.join(UNIT_KINDS)} (or {UPPER_UNION})", shorthand=(UPPER_UNION,),
    required=True,
)
Ownerships = choice_list(OWNERSHIPS, f"must be a list of {', '.join(OWNERSHIPS)}")


class _Model(BaseModel):
    """Every object of the file: unknown keys are refused (a misspelt key would otherwise be
    silently ignored), and each object remembers its line for later messages."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    _line: int = PrivateAttr(default=0)
    _key_lines: dict = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_lines(cls, data, handler):
        parsed = handler(data)
        if isinstance(data, LocatedDict) and parsed is not data:
            parsed._line, parsed._key_lines = data.line, data.key_lines
        return parsed

    def __eq__(self, other) -> bool:
        # The same content is the same object, wherever in a file it was written.
        return type(self) is type(other) and self.__dict__ == other.__dict__ and \
            self.__pydantic_extra__ == other.__pydantic_extra__

    @property
    def line(self) -> int:
        return self._line

    def line_of(self, key: str) -> int:
        return self._key_lines.get(key, self._line)


def _fail(problems: list[tuple[tuple, str, str | None]], title: str) -> None:
    """Refuse with several located problems at once: (loc, message, key whose line to show)."""
    if problems:
        raise ValidationError.from_exception_data(title, [
            InitErrorDetails(
                type=PydanticCustomError("program", "{message}", {"message": message, "line_key": line_key}),
                loc=loc, input=None,
            )
            for loc, message, line_key in problems
        ])


# --- unit filters ---------------------------------------------------------------------------

class UnitFilter(_Model):
    """Which units: by kind, and for grassroots unions by their employer. Empty: every unit."""

    kind: UnitKinds = Field(default_factory=list, description="unit kinds; upper_union stands for "
                            "district, sector, industrial_zone")
    ownership: Ownerships = Field(default_factory=list, description="the grassroots union's employer")
    enterprise: StrictBool | None = Field(default=None, description="employer owned by the state or not "
                                          "(ownership state or non_state)")
    large_enterprise: StrictBool | None = Field(default=None, description="an enterprise with many workers")

    @model_validator(mode="before")
    @classmethod
    def _a_mapping(cls, data):
        if data is None:
            return {}
        if not isinstance(data, dict | UnitFilter):
            raise _refuse("must be a mapping of kind / ownership / large_enterprise / enterprise")
        return data

    @classmethod
    def parse(cls, data) -> UnitFilter:
        """A filter from its stored or written form (the same stored form parses once)."""
        if isinstance(data, UnitFilter):
            return data
        if isinstance(data, dict) and not isinstance(data, LocatedDict):
            return _parsed_filter(json.dumps(data, sort_keys=True, default=str))
        return cls.model_validate(data or {})

    def as_data(self) -> dict:
        """The filter as the file writes it (kinds spelled out)."""
        return self.model_dump(mode="json", exclude_unset=True)

    def q(self, prefix: str = "") -> Q:
        """The filter as a Q over Unit fields; `prefix` reaches the unit through a relation
        (e.g. "report__unit__"). Two forms of one rule: this one for the database (indicators
        aggregate whole subtrees in SQL), `matches` for one unit in memory."""
        q = Q()
        if self.kind:
            q &= Q(**{f"{prefix}kind__in": self.kind})
        if self.ownership:
            q &= Q(**{f"{prefix}ownership__in": self.ownership})
        if self.enterprise is not None:
            enterprise = Q(**{f"{prefix}ownership__in": ENTERPRISE_OWNERSHIPS})
            q &= enterprise if self.enterprise else ~enterprise
        if self.large_enterprise is not None:
            q &= Q(**{f"{prefix}large_enterprise": self.large_enterprise})
        return q

    def matches(self, unit) -> bool:
        if self.kind and unit.kind not in self.kind:
            return False
        if self.ownership and unit.ownership not in self.ownership:
            return False
        if self.enterprise is not None and (unit.ownership in ENTERPRISE_OWNERSHIPS) != self.enterprise:
            return False
        return not (self.large_enterprise is not None and unit.large_enterprise != self.large_enterprise)

    def describe(self) -> str:
        """The units in words of the current language, e.g. "grassroots unions in enterprises"."""
        kinds = self.kind
        if set(kinds) == set(UPPER_UNION_KINDS):
            noun = _("upper-level unions")
        elif kinds == ["grassroots"]:
            noun = _("grassroots unions")
        elif set(kinds) == set(UPPER_UNION_KINDS) | {"grassroots"}:
            noun = _("upper-level and grassroots unions")
        elif kinds:
            noun = _("units of kind %(kinds)s") % {"kinds": ", ".join(kinds)}
        else:
            noun = _("units")
        employer = []
        if self.ownership == ["state"]:
            employer.append(_("in state-owned enterprises"))
        elif self.ownership == ["non_state"]:
            employer.append(_("in non-state enterprises"))
        elif self.ownership == ["public_sector"]:
            employer.append(_("in public agencies"))
        elif self.enterprise or set(self.ownership) == {"state", "non_state"}:
            employer.append(_("in enterprises"))
        if self.large_enterprise:
            employer.append(_("in enterprises with many workers"))
        return " ".join([noun, *employer])


@functools.lru_cache(maxsize=1024)
def _parsed_filter(text: str) -> UnitFilter:
    return UnitFilter.model_validate(json.loads(text))


# --- expressions ----------------------------------------------------------------------------

class _Expression(_Model):
    """A numerator or denominator: exactly one aggregate key (one of AGGREGATES)."""

    aggregation: ClassVar[str]
    # Which element types the aggregate works on.
    element_types: ClassVar[frozenset[str]] = frozenset()

    @property
    def element(self) -> str | None:
        return getattr(self, self.aggregation)

    @property
    def deadline(self) -> str | None:
        """The code of the deadline whose plans a plan aggregate counts; None for the others."""
        return None

    def as_data(self) -> dict:
        """The expression as the file writes it (kinds spelled out)."""
        return self.model_dump(mode="json", exclude_unset=True)

    def _label(self, labels: dict[str, str] | None) -> str:
        return f"“{(labels or {}).get(self.element, self.element)}”"


class Sum(_Expression):
    """Sum of a count element over the units matching `where`."""

    aggregation: ClassVar[str] = "sum"
    element_types: ClassVar[frozenset[str]] = frozenset({"count"})
    sum: Text
    where: UnitFilter = Field(default_factory=UnitFilter)

    def describe(self, labels: dict[str, str] | None = None) -> str:
        return _("total %(element)s of %(units)s") % {"element": self._label(labels), "units": self.where.describe()}


class Count(_Expression):
    """Number of units matching `where` whose yes/no element is yes."""

    aggregation: ClassVar[str] = "count"
    element_types: ClassVar[frozenset[str]] = frozenset({"boolean"})
    count: Text
    where: UnitFilter = Field(default_factory=UnitFilter)

    def describe(self, labels: dict[str, str] | None = None) -> str:
        return _("number of %(units)s answering yes to %(element)s") % {
            "units": self.where.describe(), "element": self._label(labels),
        }


class CountClass(_Expression):
    """Number of units matching `where` whose quality class is one of `classes`."""

    aggregation: ClassVar[str] = "count_class"
    element_types: ClassVar[frozenset[str]] = frozenset({"quality_class"})
    count_class: Text
    classes: choice_list(QUALITY_CLASSES, f"must be a non-empty list of {', '.join(QUALITY_CLASSES)}",
                         required=True)
    where: UnitFilter = Field(default_factory=UnitFilter)

    def describe(self, labels: dict[str, str] | None = None) -> str:
        return _("number of %(units)s with %(element)s in class %(classes)s") % {
            "units": self.where.describe(), "element": self._label(labels), "classes": _(" or ").join(self.classes),
        }


class Units(_Expression):
    """Number of units matching the filter that reported in the period."""

    aggregation: ClassVar[str] = "units"
    units: UnitFilter

    @property
    def element(self) -> None:
        return None

    @property
    def where(self) -> UnitFilter:
        return self.units

    def describe(self, labels: dict[str, str] | None = None) -> str:
        return _("number of %(units)s") % {"units": self.units.describe()}


class _PlanExpression(_Expression):
    """Counts a deadline's units from their uploaded implementation plans (plans.status),
    the same counts the plans pages show, so a deadline target and those pages agree. The
    units are the deadline's own (its applies_to, existing on its due date): the expression
    takes no `where`."""

    @property
    def element(self) -> None:
        return None

    @property
    def deadline(self) -> str:
        return getattr(self, self.aggregation)

    @property
    def where(self) -> UnitFilter:
        return UnitFilter()

    def _deadline_label(self, labels: dict[str, str] | None) -> str:
        return (labels or {}).get(self.deadline, self.deadline)


class PlansOnTime(_PlanExpression):
    """Number of the deadline's units whose current uploaded plan was issued by its due date."""

    aggregation: ClassVar[str] = "plans_on_time"
    plans_on_time: Code = Field(description="a code of the top-level deadlines")

    def describe(self, labels: dict[str, str] | None = None) -> str:
        return _("number of units that issued their plan by the deadline “%(deadline)s”") % {
            "deadline": self._deadline_label(labels)}


class PlansExpected(_PlanExpression):
    """Number of the deadline's units (existing on its due date); a missing plan is not done."""

    aggregation: ClassVar[str] = "plans_expected"
    plans_expected: Code = Field(description="a code of the top-level deadlines")

    def describe(self, labels: dict[str, str] | None = None) -> str:
        return _("number of units the deadline “%(deadline)s” applies to") % {
            "deadline": self._deadline_label(labels)}


EXPRESSION_TYPES = {cls.aggregation: cls for cls in (Sum, Count, CountClass, Units, PlansOnTime, PlansExpected)}
# The union's tags show in error locations; `_locate` skips them.
_EXPRESSION_TAGS = {f"{aggregate}-expression": aggregate for aggregate in AGGREGATES}


def _expression_tag(value) -> str | None:
    if isinstance(value, _Expression):
        return f"{value.aggregation}-expression"
    present = [key for key in AGGREGATES if key in value]
    return f"{present[0]}-expression" if len(present) == 1 else None


def _an_expression(value):
    if isinstance(value, _Expression):
        return value
    if not isinstance(value, dict):
        raise _refuse("must be a mapping such as {sum: ELEMENT, where: {...}}")
    present = [key for key in AGGREGATES if key in value]
    if len(present) != 1:
        raise _refuse(f"needs exactly one of {', '.join(AGGREGATES)}; found {present or 'none'}")
    return value


Expression = Annotated[
    Annotated[Sum, Tag("sum-expression")] | Annotated[Count, Tag("count-expression")]
    | Annotated[CountClass, Tag("count_class-expression")] | Annotated[Units, Tag("units-expression")]
    | Annotated[PlansOnTime, Tag("plans_on_time-expression")]
    | Annotated[PlansExpected, Tag("plans_expected-expression")],
    Discriminator(_expression_tag),
    BeforeValidator(_an_expression),
]


def parse_expression(data) -> Sum | Count | CountClass | Units | PlansOnTime | PlansExpected:
    """An expression from its stored or written form (the same stored form parses once)."""
    if isinstance(data, _Expression):
        return data
    if isinstance(data, dict) and not isinstance(data, LocatedDict):
        return _parsed_expression(json.dumps(data, sort_keys=True, default=str))
    return _EXPRESSION_ADAPTER.validate_python(data)


@functools.lru_cache(maxsize=1024)
def _parsed_expression(text: str):
    # Frozen objects, so one parse can serve every caller; the engine asks for the same few
    # dozen expressions many times a page.
    return _EXPRESSION_ADAPTER.validate_python(json.loads(text))


# --- validation rules -------------------------------------------------------------------------

# A compared side is an element of the unit's report or `registry.CODE`: the unit's registry count
# for the period of the element CODE (REGISTRY_COUNTS; registries.counts.unit_figures).
REGISTRY_PREFIX = "registry."
_OPERAND = r"((?:registry\.)?\w+)"
_COMPARE = re.compile(rf"^\s*{_OPERAND}\s*(<=|<|==|>=|>)\s*{_OPERAND}\s*$")
_IMPLIES = re.compile(r"^\s*(\w+)\s+implies\s+(\w+)\s*$")
_FACTOR = re.compile(r"^\s*year_over_year_factor\s+(\d+(?:\.\d+)?)\s*$")
CHECK_FORMS = ("'A <= B' (<, ==, >=, >; a side may be registry.CODE), 'A implies B' or "
               "'year_over_year_factor N'")
# The registry counts a rule may compare with (registries.counts.ELEMENT_KINDS: the same codes,
# each the figure of the report element of that code as the registry counts it).
REGISTRY_COUNTS = ("cba_signed", "cba_quality_class", "cba_more_favourable", "union_homes", "initiatives",
                   "labour_disputes", "disputes_with_union")
_OPERATORS = {"<=": operator.le, "<": operator.lt, "==": operator.eq, ">=": operator.ge, ">": operator.gt}


@dataclass(frozen=True)
class Compare:
    """"A <= B": two elements of the same unit and year compared; or an element and the unit's
    registry count for the period ("union_homes <= registry.union_homes")."""

    left: str
    op: str
    right: str

    @property
    def elements(self) -> tuple[str, ...]:
        """The report elements compared (not the registry counts)."""
        return tuple(side for side in (self.left, self.right) if not side.startswith(REGISTRY_PREFIX))

    @property
    def registry_counts(self) -> tuple[str, ...]:
        """The codes of the registry counts compared (`registry.union_homes`: union_homes)."""
        return tuple(side.removeprefix(REGISTRY_PREFIX) for side in (self.left, self.right)
                     if side.startswith(REGISTRY_PREFIX))

    @property
    def shown_on(self) -> str:
        """The element whose field shows the finding: the left side, or the right one when the
        left is a registry count."""
        return self.elements[0]

    def holds(self, left, right) -> bool:
        return _OPERATORS[self.op](left, right)


@dataclass(frozen=True)
class Implies:
    """"A implies B": when A is yes (or filled in), B must be yes (or filled in)."""

    condition: str
    consequence: str

    @property
    def elements(self) -> tuple[str, ...]:
        return (self.condition, self.consequence)

    registry_counts = ()


@dataclass(frozen=True)
class YearOverYear:
    """"year_over_year_factor N": a value more than N times (or under 1/N of) last year's."""

    factor: Decimal

    @property
    def elements(self) -> tuple[str, ...]:
        return ()

    registry_counts = ()

    def jumps(self, before, after) -> bool:
        if not before or not after:
            return False
        ratio = Decimal(after) / Decimal(before)
        return ratio > self.factor or ratio < 1 / self.factor


Rule = Compare | Implies | YearOverYear


def parse_check(text: str) -> Rule:
    """A validation rule's `check` as a typed rule; ValueError when it has none of the forms."""
    if match := _COMPARE.match(text):
        compare = Compare(*match.groups())
        if not compare.elements:
            raise ValueError("compares two registry counts: one side must be a data element")
        unknown = [code for code in compare.registry_counts if code not in REGISTRY_COUNTS]
        if unknown:
            raise ValueError(f"unknown registry count '{unknown[0]}' (registry.{', registry.'.join(REGISTRY_COUNTS)})")
        return compare
    if match := _IMPLIES.match(text):
        return Implies(*match.groups())
    if match := _FACTOR.match(text):
        return YearOverYear(Decimal(match.group(1)))
    raise ValueError(f"must read {CHECK_FORMS}")


def _check(value):
    value = _required_text(value)
    try:
        parse_check(value)
    except ValueError as exc:
        raise _refuse(str(exc)) from exc
    return value


_CHECK_PATTERN = "|".join(p.pattern for p in (_COMPARE, _IMPLIES, _FACTOR))
Check = Annotated[str, BeforeValidator(_check), WithJsonSchema({
    "type": "string", "pattern": _CHECK_PATTERN,
    "description": f"{CHECK_FORMS}; registry.CODE is the unit's registry count for the period, CODE one of "
                   f"{', '.join(REGISTRY_COUNTS)}"})]


class ValidationRule(_Model):
    """A check on data entry; severity error blocks submission, warning asks for a comment."""

    code: Code
    check: Check
    severity: choice(SEVERITIES)
    message: Text

    @property
    def parsed(self) -> Rule:
        return parse_check(self.check)


# --- data elements, deadlines -----------------------------------------------------------------

@dataclass(frozen=True)
class Bounds:
    """The range a data element's value may take: `low` (0 unless given) to `high` (100 for a
    percent, none for a count unless given)."""

    low: Decimal | int | float
    high: Decimal | int | float | None

    @classmethod
    def of(cls, element_type: str, minimum=None, maximum=None) -> Bounds:
        high = maximum if maximum is not None else (100 if element_type == "percent" else None)
        return cls(minimum if minimum is not None else 0, high)

    def contains(self, value) -> bool:
        return value >= self.low and (self.high is None or value <= self.high)


class DataElement(_Model):
    """Something units report once a year, declared once."""

    code: Code
    label: Text
    help: OptionalText = ""
    type: choice(ELEMENT_TYPES)
    reported_by: choice_list(REPORTERS, f"must be among {', '.join(REPORTERS)}", required=True, single=True)
    aggregation: choice(AGGREGATIONS)
    min: Number | None = None
    max: Number | None = None
    asked_of: UnitFilter = Field(default_factory=UnitFilter, description="only units matching it are asked")

    @property
    def bounds(self) -> Bounds:
        return Bounds.of(self.type, self.min, self.max)


# --- sources: where a program's facts come from, and which values are still defaults -----------

class Source(_Model):
    """A public fact's origin (a news article, a peer's program, the previous program) or
    DEFAULT, a value the project chose; items name it by `code` in their `source`."""

    code: Code
    title: Text
    publisher: OptionalText = ""
    date: Date | None = None
    url: OptionalText = ""
    facts: OptionalText = Field(default="", description="what was taken from it")


class Provenance(_Model):
    """Where an item's value or wording comes from and whether the issuer has confirmed it."""

    source: Code | None = Field(default=None, description="a code of the top-level `sources`")
    confirmed: StrictBool = Field(default=True, description=(
        "false: an editable default until the issuer confirms it (shown as such on the program page)"))

    @property
    def provenance(self) -> dict:
        return {"source": self.source, "confirmed": self.confirmed}

    @property
    def has_provenance(self) -> bool:
        return self.source is not None or not self.confirmed


class Deadline(Provenance):
    """A dated obligation (an implementation plan) for units of some kinds."""

    code: Code
    text: Text
    due: Date
    applies_to: RequiredUnitKinds

    @property
    def applies_to_filter(self) -> UnitFilter:
        return UnitFilter(kind=self.applies_to)


# --- sections, objectives, targets, tasks -------------------------------------------------------

class Objective(_Model):
    code: Code
    text: Text


class Target(Provenance):
    """A numeric target ("chỉ tiêu"): numerator (/ denominator) compared with `value`."""

    code: Code
    text: Text
    short_label: OptionalText = ""
    comparison: choice(COMPARISONS)
    value: Number
    unit: choice(TARGET_UNITS)
    period: choice(PERIODS)
    deadline: Date | None = None
    accumulate: choice(ACCUMULATIONS) | None = None
    applies_to: UnitKinds = Field(default_factory=list, description="unit kinds whose data the target measures")
    scope: choice(SCOPES) = Field(default=Scope.UNIT.value, description=(
        "unit: every unit's subtree is judged against the target; program: the figure is the "
        "whole province's, only the province is judged and a subtree shows its contribution"))
    numerator: Expression
    denominator: Expression | None = None
    note: OptionalText = ""
    continues: Code | None = Field(None, description=(
        "code of the target of the program this one follows (program.follows) that this target carries "
        "on: the pages show one series across both terms, and the old program's final figure is the baseline"))
    # A new key of the target is one more field here (and a column in programs.models.Target
    # and in programs.loading._target_fields when it is stored).

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        problems = []
        if self.period == "deadline" and self.deadline is None:
            problems.append((("deadline",), "a deadline target needs a date YYYY-MM-DD", None))
        if self.period == "term" and self.accumulate is None:
            problems.append((("accumulate",), f"must be one of {', '.join(ACCUMULATIONS)}; got None", None))
        if self.unit in ("percent", "average") and self.denominator is None:
            problems.append((("denominator",), f"a {self.unit} target needs a denominator", "unit"))
        if self.unit == "count" and self.denominator is not None:
            problems.append((("denominator",), "a count target has no denominator", None))
        _fail(problems, "Target")
        return self

    @property
    def expressions(self) -> dict[str, _Expression]:
        return {side: e for side, e in (("numerator", self.numerator), ("denominator", self.denominator)) if e}

    @property
    def applies_to_filter(self) -> UnitFilter:
        return UnitFilter(kind=self.applies_to)


class Task(Provenance):
    """One paragraph of "Nhiệm vụ, giải pháp", with who carries it out."""

    code: Code
    text: Text
    responsible: choice_list(RESPONSIBLE, f"must be a list of {', '.join(RESPONSIBLE)}", required=True)
    responsible_text: OptionalText = ""
    department: choice(DEPARTMENTS) | None = None
    deadline: Date | None = None
    deadlines: Texts = Field(default_factory=list, description="codes of the top-level deadlines")


class Section(Provenance):
    """A section of the document, with the program's own numbering (I, II, II.1 …)."""

    number: Text
    title: Text
    paragraphs: Texts = Field(default_factory=list)
    target_statements: Texts = Field(default_factory=list)
    objectives: Annotated[list[Objective], BeforeValidator(_list_or_empty)] = Field(default_factory=list)
    targets: Annotated[list[Target], BeforeValidator(_list_or_empty)] = Field(default_factory=list)
    tasks: Annotated[list[Task], BeforeValidator(_list_or_empty)] = Field(default_factory=list)
    children: Annotated[list[Section], BeforeValidator(_list_or_empty)] = Field(default_factory=list)


def _years(value):
    if value is None or value == []:
        raise _refuse("is required")
    if not isinstance(value, list) or not all(isinstance(y, int) and not isinstance(y, bool) for y in value):
        raise _refuse("must be a list of years")
    return value


class ProgramHeader(_Model):
    """Identity, issuer and term; the other keys (preamble, signature, recipients, title
    lines, reporting arrangements) are the document's and kept as written."""

    model_config = ConfigDict(extra="allow", frozen=True)
    IDENTITY: ClassVar[tuple[str, ...]] = (
        "code", "title", "issuer", "superior_body", "issuing_unit", "term_start", "term_end",
        "reporting_years", "lead_department",
    )
    # Where the program stands in the tree and in time (programs.loading stores them apart).
    LIFE: ClassVar[tuple[str, ...]] = ("issued_by_unit", "status", "follows", "issued_on", "in_force_from",
                                       "closed_on")

    code: Code
    title: Text
    issuer: Text
    superior_body: OptionalText = ""
    issuing_unit: OptionalText = ""
    term_start: int
    term_end: int
    reporting_years: Annotated[list[int], BeforeValidator(_years), WithJsonSchema(
        {"type": "array", "items": {"type": "integer"}, "minItems": 1})]
    lead_department: OptionalText = ""
    issued_by_unit: Code | None = Field(None, description="code of the unit that issued it; it applies to its "
                                                          "subtree (none: everywhere)")
    status: choice(PROGRAM_STATUSES) = "in_force"
    follows: Code | None = Field(None, description="code of the program this one follows")
    issued_on: Date | None = None
    in_force_from: Date | None = None
    closed_on: Date | None = None
    title_lines: list[str] | None = None
    document_type: str | None = None
    preamble: list[str] | None = None
    signature: dict[str, str] | None = None
    recipients: list[str] | None = None
    reporting: dict[str, Any] | None = None
    defaults: dict[str, Provenance] | None = Field(default=None, description=(
        "document parts (signature, recipients, preamble …) that are defaults, with their source"))

    @property
    def document(self) -> dict:
        """Everything but the identity, as the file has it: only documents read it."""
        data = self.model_dump(exclude_unset=True)
        return {key: value for key, value in data.items() if key not in self.IDENTITY + self.LIFE}


class ProgramDefinition(_Model):
    """A whole program file."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, title="Program file",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    sources: Annotated[list[Source], BeforeValidator(_list_or_empty)] = Field(default_factory=list)
    program: ProgramHeader
    deadlines: Annotated[list[Deadline], BeforeValidator(_list_or_empty)] = Field(default_factory=list)
    data_elements: Annotated[list[DataElement], BeforeValidator(_list_or_empty)]
    validation_rules: Annotated[list[ValidationRule], BeforeValidator(_list_or_empty)] = Field(
        default_factory=list)
    sections: list[Section]

    @model_validator(mode="after")
    def _references_hold(self) -> ProgramDefinition:
        """Codes are unique and every code the file refers to exists."""
        problems = []
        problems += _duplicates([(("sources", i), s) for i, s in enumerate(self.sources)], "code")
        problems += self._unknown_sources()
        problems += _duplicates([(("deadlines", i), d) for i, d in enumerate(self.deadlines)], "code")
        problems += _duplicates([(("data_elements", i), e) for i, e in enumerate(self.data_elements)], "code")
        problems += _duplicates([(("validation_rules", i), r) for i, r in enumerate(self.validation_rules)], "code")
        sections = list(self._sections_with_loc())
        problems += _duplicates(sections, "number")
        for kind in ("objectives", "targets", "tasks"):
            items = [((*loc, kind, i), item) for loc, s in sections for i, item in enumerate(getattr(s, kind))]
            problems += _duplicates(items, "code")
        types = {element.code: element.type for element in self.data_elements}
        for i, rule in enumerate(self.validation_rules):
            for name in rule.parsed.elements:
                if name not in types:
                    problems.append((("validation_rules", i, "check"), f"unknown data element '{name}'", None))
        deadline_codes = {deadline.code for deadline in self.deadlines}
        for loc, section in sections:
            for i, target in enumerate(section.targets):
                for side, expression in target.expressions.items():
                    problems += _expression_problems(expression, types, deadline_codes, (*loc, "targets", i, side))
                if target.continues and not self.program.follows:
                    problems.append(((*loc, "targets", i, "continues"),
                                     "a target continues one of the program this one follows: the file has no "
                                     "program.follows", None))
            for i, task in enumerate(section.tasks):
                problems += [((*loc, "tasks", i, "deadlines"), f"unknown deadline '{code}'", None)
                             for code in task.deadlines if code not in deadline_codes]
        _fail(problems, "ProgramDefinition")
        return self

    def _sections_with_loc(self, sections=None, loc=("sections",)) -> Iterator[tuple[tuple, Section]]:
        for i, section in enumerate(self.sections if sections is None else sections):
            yield (*loc, i), section
            yield from self._sections_with_loc(section.children, (*loc, i, "children"))

    def _sourced_items(self) -> Iterator[tuple[tuple, str, str, Provenance]]:
        """Every item that may name a source: (loc, kind, code, item)."""
        for key, item in (self.program.defaults or {}).items():
            yield ("program", "defaults", key), "document", key, item
        for i, deadline in enumerate(self.deadlines):
            yield ("deadlines", i), "deadlines", deadline.code, deadline
        for loc, section in self._sections_with_loc():
            yield loc, "sections", section.number, section
            for kind in ("targets", "tasks"):
                for i, item in enumerate(getattr(section, kind)):
                    yield (*loc, kind, i), kind, item.code, item

    def _unknown_sources(self) -> list:
        codes = {source.code for source in self.sources}
        return [((*loc, "source"), f"unknown source '{item.source}'", None)
                for loc, _kind, _code, item in self._sourced_items()
                if item.source is not None and item.source not in codes]

    def provenance_document(self) -> dict:
        """The sources and each item's provenance, as Program.document keeps them ({} for a
        program that names no source and has no default: its document stays as it was)."""
        items: dict[str, dict] = {}
        for _loc, kind, code, item in self._sourced_items():
            if item.has_provenance:
                items.setdefault(kind, {})[code] = item.provenance
        if not self.sources and not items:
            return {}
        return {"sources": [source.model_dump(mode="json") for source in self.sources], "provenance": items}

    def walk_sections(self) -> Iterator[Section]:
        """Every section, depth first, in the file's order."""
        return (section for _, section in self._sections_with_loc())

    @property
    def targets(self) -> list[Target]:
        return [target for section in self.walk_sections() for target in section.targets]

    @property
    def tasks(self) -> list[Task]:
        return [task for section in self.walk_sections() for task in section.tasks]

    @property
    def labels(self) -> dict[str, str]:
        """What `describe` calls the codes of a definition (as Program.expression_labels)."""
        labels = {element.code: element.label for element in self.data_elements}
        labels.update({deadline.code: deadline_label(deadline.text, deadline.due) for deadline in self.deadlines})
        return labels


def _duplicates(items: list[tuple[tuple, _Model]], key: str) -> list:
    first: dict[str, int] = {}
    problems = []
    for loc, item in items:
        code = getattr(item, key)
        if code in first:
            problems.append((loc, f"duplicate {key} (first at line {first[code]})", key))
        else:
            first[code] = item.line_of(key)
    return problems


def _expression_problems(expression: _Expression, types: dict[str, str], deadline_codes: set[str] | None,
                         loc: tuple) -> list:
    """What the expression refers to that the program lacks (None: deadlines unchecked)."""
    if expression.deadline is not None:
        if deadline_codes is not None and expression.deadline not in deadline_codes:
            return [((*loc, expression.aggregation), f"unknown deadline '{expression.deadline}'", None)]
        return []
    element = expression.element
    if element is None:
        return []
    if element not in types:
        return [((*loc, expression.aggregation), f"unknown data element '{element}'", None)]
    if types[element] not in expression.element_types:
        wanted = " or ".join(sorted(expression.element_types))
        message = f"'{expression.aggregation}' needs a {wanted} element; '{element}' is {types[element]}"
        return [((*loc, expression.aggregation), message, None)]
    return []


Section.model_rebuild()
ProgramDefinition.model_rebuild()

_EXPRESSION_ADAPTER = TypeAdapter(Expression)


# --- parsing with every problem located -------------------------------------------------------

# Where an item's label comes from: "target T01", "section II.2" …
_ITEM_LABELS = {
    "deadlines": ("deadline", "code"), "data_elements": ("data element", "code"),
    "validation_rules": ("validation rule", "code"), "sections": ("section", "number"),
    "children": ("section", "number"), "objectives": ("objective", "code"), "targets": ("target", "code"),
    "tasks": ("task", "code"),
}
_FILTER_KEYS = {"where", "units", "asked_of"}
_MESSAGES = {
    "missing": "is required", "bool_type": "must be true or false", "bool_parsing": "must be true or false",
    "int_type": "must be a whole number", "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number", "string_type": "must be text", "list_type": "must be a list",
    "dict_type": "must be a mapping", "model_type": "must be a mapping", "model_attributes_type": "must be a mapping",
}


def _line_of(mapping, key) -> int:
    return mapping.line_of(key) if isinstance(mapping, LocatedDict) else 0


def _locate(data, error: dict, file: str) -> ProgramProblem:
    """Walk an error's location through the file's mappings: the line, the item it is in and
    the field within that item."""
    node, mapping, line = data, data, _line_of(data, None)
    label, fields, key = None, [], None
    for part in error["loc"]:
        if part in _EXPRESSION_TAGS:
            continue
        if isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            if isinstance(node, dict):
                mapping, line = node, getattr(node, "line", 0)
                if key in _ITEM_LABELS:
                    noun, name = _ITEM_LABELS[key]
                    label, fields = f"{noun} {node.get(name)}", []
        elif isinstance(node, dict) and isinstance(part, str):
            mapping, line, key = node, _line_of(node, part), part
            fields.append(part)
            node = node.get(part)
        else:
            node = None
    line_key = (error.get("ctx") or {}).get("line_key")
    if line_key:
        line = _line_of(mapping, line_key)
    message = (error.get("ctx") or {}).get("message") if error["type"] == "program" else None
    if message is None and error["type"] == "extra_forbidden":
        message = "unknown filter" if len(fields) > 1 and fields[-2] in _FILTER_KEYS else "unknown key"
    message = message or _MESSAGES.get(error["type"]) or error["msg"]
    field = ".".join([label, *fields] if label else fields) or "(file)"
    return ProgramProblem(file, line, field, message)


def parse_definition(data, file: str = "<data>") -> ProgramDefinition:
    """A program from its parsed YAML (or JSON) data; ProgramFileError lists every problem."""
    try:
        return ProgramDefinition.model_validate(data)
    except ValidationError as exc:
        problems = [_locate(data, error, file) for error in exc.errors()]
        raise ProgramFileError(sorted(dict.fromkeys(problems), key=lambda p: p.line)) from exc


def expression_errors(data, element_types: dict[str, str],
                      deadline_codes: set[str] | None = None) -> list[tuple[str, str]]:
    """Problems of one stored or written expression as (field, message) pairs, empty when it
    is sound: its shape, then what it refers to (element types by code; deadline codes,
    unchecked when None). A whole file is checked by `parse_definition`, with lines."""
    try:
        expression = parse_expression(data)
    except ValidationError as exc:
        located = (_locate(data, error, "") for error in exc.errors())
        return list(dict.fromkeys(("" if p.field == "(file)" else p.field, p.message) for p in located))
    return [(".".join(loc), message)
            for loc, message, _ in _expression_problems(expression, element_types, deadline_codes, ())]


def read_definition(path: Path) -> ProgramDefinition:
    """Read and check a program file; ProgramFileError lists every problem with its line."""
    return parse_definition(read_program_file(path), str(path))


def check_program(path: Path) -> list[ProgramProblem]:
    """Every problem of a program file; an empty list means it can be loaded."""
    try:
        read_definition(path)
    except ProgramFileError as exc:
        return exc.problems
    return []


SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "program.schema.json"


def program_json_schema() -> dict:
    """The JSON Schema of a program file, as shipped in programs/data/program.schema.json."""
    return ProgramDefinition.model_json_schema()


def program_json_schema_text() -> str:
    """The schema as the shipped file has it (`manage.py program_schema` writes it)."""
    return json.dumps(program_json_schema(), ensure_ascii=False, indent=2) + "\n"
