"""The program language as typed objects: the same answers as the dict-reading code it
replaces, every problem located, the JSON Schema shipped current, and the stored rows handing
out the parsed objects."""

import datetime
import json
import re
import textwrap
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from programs.definition import (
    PLAN_AGGREGATES,
    SCHEMA_FILE,
    UNIT_KINDS,
    Compare,
    Count,
    Implies,
    PlansExpected,
    PlansOnTime,
    ProgramDefinition,
    ProgramFileError,
    Sum,
    UnitFilter,
    YearOverYear,
    parse_expression,
    program_json_schema,
    program_json_schema_text,
    read_definition,
    read_program_file,
)
from programs.loading import load_program
from programs.models import Deadline, Target
from programs.testing import VALID
from programs.tests import legacy_expressions as legacy
from units.models import Ownership, Unit, UnitKind

AN_GIANG = Path(__file__).resolve().parents[1] / "data" / "an-giang-xi-2020-2025.yaml"


@pytest.fixture(scope="module")
def an_giang():
    return read_definition(AN_GIANG)


@pytest.fixture
def units(world):
    """The world's units, and employers of each ownership, many workers or few, and a zone
    union (large_enterprise is derived from the workers on save)."""
    from accounts.testing import _unit

    many = settings.LARGE_ENTERPRISE_WORKERS
    zone = _unit(world.province, "AG.KCN", "Công đoàn các Khu công nghiệp", UnitKind.INDUSTRIAL_ZONE)
    for n, (ownership, workers) in enumerate([(Ownership.STATE, 10), (Ownership.STATE, many),
                                              (Ownership.NON_STATE, 10), (Ownership.NON_STATE, many),
                                              (Ownership.PUBLIC_SECTOR, many)]):
        _unit(zone, f"AG.KCN.{n:05d}", f"Công đoàn cơ sở {n}", UnitKind.GRASSROOTS,
              ownership=ownership, workers=workers)
    assert Unit.objects.filter(large_enterprise=True).count() >= 2
    return list(Unit.objects.all())


def codes_in_sql(where_q, units):
    return set(Unit.objects.filter(where_q).values_list("code", flat=True))


FILTERS = [
    {}, {"kind": ["grassroots"]}, {"kind": ["upper_union"]}, {"kind": ["upper_union", "grassroots"]},
    {"kind": ["grassroots"], "enterprise": True}, {"kind": ["grassroots"], "enterprise": False},
    {"ownership": ["non_state"]}, {"ownership": ["state", "public_sector"]}, {"ownership": ["state"]},
    {"ownership": ["public_sector"]}, {"ownership": ["state", "non_state"]},
    {"large_enterprise": True}, {"large_enterprise": False},
    {"kind": ["grassroots"], "ownership": ["non_state"], "large_enterprise": True},
    {"kind": ["province", "sector"]},
]


@pytest.mark.django_db
@pytest.mark.parametrize("where", FILTERS)
def test_a_filter_selects_the_units_it_selected_before(units, where):
    parsed = UnitFilter.parse(where)
    expected = codes_in_sql(legacy.filter_q(where), units)

    assert codes_in_sql(parsed.q(), units) == expected
    assert {unit.code for unit in units if parsed.matches(unit)} == expected
    assert {unit.code for unit in units if legacy.unit_matches(unit, where)} == expected
    with translation.override("vi"):
        assert parsed.describe() == legacy._units_phrase(where)


@pytest.mark.django_db
def test_every_an_giang_expression_means_what_it_meant(an_giang, units):
    labels = an_giang.labels
    expressions = [(t.code, side, e) for t in an_giang.targets for side, e in t.expressions.items()]
    assert len(expressions) == 42
    # The legacy copy predates the plan aggregates (plans_on_time / plans_expected, T01/T02):
    # it cannot read them, so they are left out here and tested on their own below.
    plans = [e for _, _, e in expressions if e.aggregation in PLAN_AGGREGATES]
    assert len(plans) == 4
    expressions = [item for item in expressions if item[2].aggregation not in PLAN_AGGREGATES]
    for code, side, expression in expressions:
        raw = expression.as_data()
        where = legacy.filter_of(raw)
        assert (expression.aggregation, expression.element) == (legacy.aggregate_of(raw), legacy.element_of(raw))
        assert codes_in_sql(expression.where.q(), units) == codes_in_sql(legacy.filter_q(where), units), code
        through_reports = Unit.objects.filter(pk__in=[u.pk for u in units])
        assert set(through_reports.filter(expression.where.q()).values_list("pk", flat=True)) == {
            u.pk for u in units if legacy.unit_matches(u, where)}, (code, side)
        with translation.override("vi"):
            assert expression.describe(labels) == legacy.describe(raw, labels), (code, side)


def test_expressions_are_typed(an_giang):
    t06 = next(t for t in an_giang.targets if t.code == "T06")
    assert isinstance(t06.numerator, Count)
    assert (t06.numerator.element, t06.numerator.where.enterprise) == ("cba_signed", True)
    assert t06.denominator.aggregation == "units" and t06.denominator.element is None
    t15 = next(t for t in an_giang.targets if t.code == "T15")
    assert isinstance(t15.numerator, Sum) and t15.denominator is None
    assert parse_expression({"sum": "members", "where": {"kind": ["upper_union"]}}).where.kind == [
        "district", "sector", "industrial_zone", "commune"]


def test_deadline_targets_count_the_uploaded_plans(an_giang):
    t01 = next(t for t in an_giang.targets if t.code == "T01")
    assert isinstance(t01.numerator, PlansOnTime) and isinstance(t01.denominator, PlansExpected)
    assert (t01.numerator.deadline, t01.denominator.deadline) == ("plan_upper_union", "plan_upper_union")
    assert (t01.numerator.element, t01.numerator.where) == (None, UnitFilter())
    assert t01.numerator.as_data() == {"plans_on_time": "plan_upper_union"}
    t02 = next(t for t in an_giang.targets if t.code == "T02")
    assert (t02.numerator.aggregation, t02.denominator.aggregation) == PLAN_AGGREGATES
    # The units counted are the deadline's own.
    [deadline] = [d for d in an_giang.deadlines if d.code == t02.numerator.deadline]
    assert deadline.applies_to_filter.q() == UnitFilter(kind=["grassroots"]).q()
    # Every other aggregate names no deadline.
    assert {t.numerator.deadline for t in an_giang.targets if t.code not in ("T01", "T02")} == {None}


def test_plan_aggregates_in_words_name_the_deadline_and_its_date(an_giang):
    t02 = next(t for t in an_giang.targets if t.code == "T02")
    with translation.override("vi"):
        assert t02.numerator.describe(an_giang.labels) == (
            "số đơn vị ban hành kế hoạch đúng hạn “trong tháng 8/2021 đối với các công đoàn cơ sở (31/08/2021)”")
        assert t02.denominator.describe(an_giang.labels) == (
            "số đơn vị phải ban hành kế hoạch theo hạn “trong tháng 8/2021 đối với các công đoàn cơ sở (31/08/2021)”")
        assert t02.denominator.describe() == "số đơn vị phải ban hành kế hoạch theo hạn “plan_grassroots”"


def test_a_target_is_judged_per_unit_unless_it_says_program(an_giang):
    scopes = {t.code: t.scope for t in an_giang.targets}
    assert {code for code, scope in scopes.items() if scope != Target.Scope.UNIT} == {"T15", "T16"}
    assert scopes["T16"] == Target.Scope.PROGRAM


def test_expression_errors_of_a_stored_expression():
    from programs.definition import expression_errors

    types = {"members": "count", "cba_signed": "boolean"}
    assert expression_errors({"sum": "members", "where": {"kind": ["upper_union"]}}, types) == []
    assert expression_errors({"count": "members"}, types) == [
        ("count", "'count' needs a boolean element; 'members' is count")]
    assert expression_errors({"sum": "members", "where": {"kinds": []}}, types) == [("where.kinds", "unknown filter")]
    assert expression_errors({"sum": "members", "units": {}}, types) == [
        ("", "needs exactly one of sum, count, count_class, units, plans_on_time, plans_expected; "
             "found ['sum', 'units']")]
    # Without the program's deadline codes a plan aggregate's deadline is not checked.
    assert expression_errors({"plans_on_time": "nope"}, types) == []
    assert expression_errors({"plans_on_time": "nope"}, types, {"plan"}) == [
        ("plans_on_time", "unknown deadline 'nope'")]


def test_validation_rules_are_parsed(an_giang):
    rules = {rule.code: rule.parsed for rule in an_giang.validation_rules}
    assert rules["members_le_workers"] == Compare("members", "<=", "workers")
    assert rules["members_le_workers"].holds(3, 5) and not rules["members_le_workers"].holds(6, 5)
    assert rules["signed_implies_class"] == Implies("cba_signed", "cba_quality_class")
    assert rules["jump_warning"] == YearOverYear(Decimal(3))
    assert rules["jump_warning"].jumps(10, 31) and rules["jump_warning"].jumps(31, 10)
    assert not rules["jump_warning"].jumps(10, 30)


def test_bounds_and_header(an_giang):
    elements = {element.code: element for element in an_giang.data_elements}
    assert (elements["workers"].bounds.low, elements["workers"].bounds.high) == (0, 200000)
    assert elements["cba_signed"].bounds.high is None
    assert elements["employee_conference_held"].asked_of == UnitFilter(enterprise=True)
    assert elements["resolution_disseminated"].reported_by == ["upper_union", "grassroots"]
    assert elements["workers"].reported_by == ["grassroots"]
    assert an_giang.program.document["signature"]["signer"] == "Phan Thị Diễm"
    assert "code" not in an_giang.program.document


# --- problems, located ------------------------------------------------------------------------

def problems_for(tmp_path, text):
    path = tmp_path / "program.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProgramFileError) as caught:
        read_definition(path)
    return [str(p).replace(str(path), "FILE") for p in caught.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("numerator: {sum: members,", "numerator: {sum: members, wher: {},",
         "FILE:46: target T01.numerator.wher: unknown key"),
        ("where: {kind: [grassroots]}}\n        denominator", "where: {kinds: [grassroots]}}\n        denominator",
         "FILE:46: target T01.numerator.where.kinds: unknown filter"),
        ("        accumulate: last\n", "        accumulate: last\n        denominatr: {units: {}}\n",
         "FILE:45: target T01.denominatr: unknown key"),
        ("    due: 2021-08-31\n", "    due: 2021\n", "FILE:11: deadline plan.due: must be a date YYYY-MM-DD"),
        ("    applies_to: [grassroots]\ndata_elements", "data_elements",
         "FILE:9: deadline plan.applies_to: is required"),
        ("    reported_by: grassroots\n    aggregation: sum\n  - code: members",
         "    reported_by: [grassroots, nobody]\n    aggregation: sum\n  - code: members",
         "FILE:17: data element workers.reported_by: must be among grassroots, upper_union, province"),
        ("value: 95", 'value: "95"', "FILE:41: target T01.value: must be a number"),
        ("numerator: {sum: members, where: {kind: [grassroots]}}", "numerator: members",
         "FILE:46: target T01.numerator: must be a mapping such as {sum: ELEMENT, where: {...}}"),
        ("numerator: {sum: members,", "numerator: {sum: members, count: cba_signed,",
         "FILE:46: target T01.numerator: needs exactly one of sum, count, count_class, units, "
         "plans_on_time, plans_expected; found ['sum', 'count']"),
        ("numerator: {sum: members, where: {kind: [grassroots]}}", "numerator: {plans_on_time: plam}",
         "FILE:46: target T01.numerator.plans_on_time: unknown deadline 'plam'"),
        ("denominator: {sum: workers, where: {kind: [grassroots]}}", "denominator: {plans_expected: nope}",
         "FILE:47: target T01.denominator.plans_expected: unknown deadline 'nope'"),
        ("numerator: {sum: members, where: {kind: [grassroots]}}",
         "numerator: {plans_on_time: plan, where: {kind: [grassroots]}}",
         "FILE:46: target T01.numerator.where: unknown key"),
        ("numerator: {sum: members, where: {kind: [grassroots]}}", "numerator: {plans_on_time: 2021}",
         "FILE:46: target T01.numerator.plans_on_time: must be text"),
        ("        applies_to: [grassroots]\n        numerator",
         "        applies_to: [grassroots]\n        scope: province\n        numerator",
         "FILE:46: target T01.scope: must be one of unit, program; got 'province'"),
        ("where: {kind: [grassroots]}}\n        denominator", "where: {enterprise: yes please}}\n        denominator",
         "FILE:46: target T01.numerator.where.enterprise: must be true or false"),
        ('check: "members <= workers"', 'check: "members <=> workers"',
         "FILE:31: validation rule members_le_workers.check: must read 'A <= B' (<, ==, >=, >; "
         "a side may be registry.CODE), 'A implies B' or 'year_over_year_factor N'"),
        ("responsible: [grassroots]", "responsible: [everyone]",
         "FILE:51: task task_1.responsible: must be a list of standing_committee, department, lead_department, "
         "upper_union, district, sector, industrial_zone, grassroots, all_levels"),
        ("  - code: plan\n", "  - code: 1plan\n",
         "FILE:9: deadline 1plan.code: codes use letters, digits, _ . - and start with a letter"),
        ("  term_end: 2025\n", "", "FILE:2: program.term_end: is required"),
    ],
)
def test_each_problem_is_located(tmp_path, old, new, expected):
    assert old in VALID
    assert expected in problems_for(tmp_path, VALID.replace(old, new, 1))


def test_every_problem_is_reported_at_once_in_line_order(tmp_path):
    broken = VALID.replace("type: boolean", "type: yes_no").replace('comparison: ">="', 'comparison: "=>"')
    assert problems_for(tmp_path, broken) == [
        "FILE:26: data element cba_signed.type: must be one of count, boolean, quality_class, date, text, "
        "percent; got 'yes_no'",
        "FILE:40: target T01.comparison: must be one of >=, >, =; got '=>'",
    ]


def test_a_problem_in_a_subsection_names_its_item(tmp_path):
    nested = VALID.replace("    tasks:\n", textwrap.indent(textwrap.dedent("""\
        children:
          - number: "II.1"
            title: "Con"
            objectives:
              - code: obj_1
                text: ""
        tasks:
        """), "    "), 1)
    assert "FILE:53: objective obj_1.text: is required" in problems_for(tmp_path, nested)


def test_an_upper_union_deadline_is_spelled_out(tmp_path):
    path = tmp_path / "program.yaml"
    path.write_text(VALID.replace("applies_to: [grassroots]\ndata_elements",
                                  "applies_to: [upper_union]\ndata_elements"), encoding="utf-8")
    [deadline] = read_definition(path).deadlines
    assert deadline.applies_to == ["district", "sector", "industrial_zone", "commune"]
    assert deadline.applies_to_filter == UnitFilter(kind=["district", "sector", "industrial_zone", "commune"])
    assert deadline.line == 9


# --- the stored rows hand out the parsed objects -------------------------------------------------

@pytest.mark.django_db
def test_rows_hand_out_the_parsed_objects(program):
    t08 = program.targets.get(code="T08")
    assert t08.numerator_expr.classes == ["A", "B"]
    assert t08.denominator_expr.element == "cba_signed"
    assert program.targets.get(code="T15").denominator_expr is None
    assert t08.applies_to_filter.kind == ["grassroots"]
    assert program.validation_rules.get(code="officers_le_members").parsed == Compare("officers", "<=", "members")
    workers = program.data_elements.get(code="workers")
    assert (workers.bounds.low, workers.bounds.high) == (0, 200000)
    assert workers.bounds.contains(Decimal(5)) and not workers.bounds.contains(-1)
    assert program.element_uses.get(element__code="cba_signed").asked_of_filter == UnitFilter()
    assert program.deadlines.get(code="plan_upper_union").applies_to_filter.kind == [
        "district", "sector", "industrial_zone", "commune"]


@pytest.mark.django_db
@pytest.mark.usefixtures("no_program")
def test_a_loaded_upper_union_deadline_binds_the_upper_level_unions(tmp_path, units):
    # the An Giang file says `upper_union` (the shorthand) for its upper-level unions' deadline
    assert "    due: 2021-06-30\n    applies_to: [upper_union]\n" in AN_GIANG.read_text(encoding="utf-8")
    program, _ = load_program(AN_GIANG)

    deadline = program.deadlines.get(code="plan_upper_union")
    # Stored spelled out, so that plans/status.py (`unit.kind in deadline.applies_to`) expects
    # a plan from every upper-level union.
    assert deadline.applies_to == ["district", "sector", "industrial_zone", "commune"]
    bound = set(Unit.objects.filter(deadline.applies_to_filter.q()).values_list("code", flat=True))
    assert bound == {"AG.883", "AG.884", "AG.YT", "AG.KCN"}
    assert Deadline.objects.get(pk=deadline.pk).applies_to_filter.matches(Unit.objects.get(code="AG.KCN"))
    # The plans page, untouched, now expects every upper-level union's plan.
    from plans.status import deadline_for, units_owing_plan

    assert deadline_for(program, Unit.objects.get(code="AG.KCN")) == deadline
    province = Unit.objects.get(code="AG")
    assert set(units_owing_plan(deadline, province).values_list("code", flat=True)) == bound


@pytest.mark.django_db
def test_rows_hand_out_plan_aggregates_and_scope(program):
    t01 = program.targets.get(code="T01")
    assert isinstance(t01.numerator_expr, PlansOnTime) and t01.denominator_expr.deadline == "plan_upper_union"
    assert t01.numerator == {"plans_on_time": "plan_upper_union"}
    assert program.targets.get(code="T16").scope == Target.Scope.PROGRAM
    assert program.targets.get(code="T17").scope == Target.Scope.UNIT
    with translation.override("vi"):
        assert t01.numerator_expr.describe(program.expression_labels()).endswith("(30/06/2021)”")


@pytest.mark.django_db
def test_expressions_are_stored_as_the_file_writes_them(program):
    assert Target.objects.get(program=program, code="T06").numerator == {
        "count": "cba_signed", "where": {"kind": ["grassroots"], "enterprise": True}}


# --- the JSON Schema ------------------------------------------------------------------------

def test_the_shipped_schema_is_the_generated_one():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == program_json_schema_text(), \
        "run `manage.py program_schema` after changing programs/definition.py"


def test_the_program_schema_command_writes_and_checks(tmp_path):
    path = tmp_path / "schema.json"
    with pytest.raises(CommandError, match="out of date"):
        call_command("program_schema", str(path), "--check", stdout=StringIO())
    call_command("program_schema", str(path), stdout=StringIO())
    assert json.loads(path.read_text(encoding="utf-8")) == program_json_schema()
    call_command("program_schema", str(path), "--check", stdout=StringIO())


def test_the_an_giang_file_points_editors_at_the_schema():
    assert AN_GIANG.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=program.schema.json\n")


def schema_errors(schema: dict, value, node: dict | None = None, where: str = "") -> list[str]:
    """The JSON Schema keywords the generated schema uses, checked (no validator is installed)."""
    node = schema if node is None else node
    if "$ref" in node:
        return schema_errors(schema, value, schema["$defs"][node["$ref"].rsplit("/", 1)[-1]], where)
    for keyword in ("anyOf", "oneOf"):
        if keyword in node:
            passing = [option for option in node[keyword] if not schema_errors(schema, value, option, where)]
            if not passing or (keyword == "oneOf" and len(passing) > 1):
                return [f"{where}: {len(passing)} of {keyword} match"]
    kinds = {"object": dict, "array": list, "string": str, "integer": int, "number": int | float,
             "boolean": bool, "null": type(None)}
    if "type" in node and not isinstance(value, kinds[node["type"]]):
        return [f"{where}: not {node['type']}"]
    if isinstance(value, bool) and node.get("type") in ("integer", "number"):
        return [f"{where}: not {node['type']}"]
    errors = []
    if "enum" in node and value not in node["enum"]:
        errors.append(f"{where}: {value!r} not in enum")
    if isinstance(value, str) and (
            len(value) < node.get("minLength", 0) or ("pattern" in node and not re.search(node["pattern"], value))):
        errors.append(f"{where}: {value!r} refused")
    if isinstance(value, list):
        if len(value) < node.get("minItems", 0):
            errors.append(f"{where}: too short")
        for i, item in enumerate(value):
            errors += schema_errors(schema, item, node.get("items", {}), f"{where}.{i}")
    if isinstance(value, dict):
        errors += [f"{where}: {key} is required" for key in node.get("required", []) if key not in value]
        properties = node.get("properties", {})
        for key, item in value.items():
            if key in properties:
                errors += schema_errors(schema, item, properties[key], f"{where}.{key}")
            elif node.get("additionalProperties") is False:
                errors.append(f"{where}: {key} is not allowed")
    return errors


def as_json(data):
    return json.loads(json.dumps(data, default=lambda value: value.isoformat()))


def test_the_schema_accepts_the_an_giang_file_and_refuses_a_misspelt_one():
    schema = program_json_schema()
    data = as_json(read_program_file(AN_GIANG))
    assert schema_errors(schema, data) == []

    targets = data["sections"][1]["children"][0]["targets"]
    targets[0]["comparision"] = ">="
    data["deadlines"][0]["applies_to"] = ["districts"]
    assert schema_errors(schema, data) == [
        ".deadlines.0.applies_to.0: 'districts' not in enum",
        ".sections.1.children.0.targets.0: comparision is not allowed",
    ]
    del targets[0]["comparision"], data["deadlines"][0]["applies_to"]
    assert targets[0]["numerator"] == {"plans_on_time": "plan_upper_union"}
    targets[0]["numerator"]["where"] = {}
    targets[0]["scope"] = "province"
    assert schema_errors(schema, data) == [
        ".deadlines.0: applies_to is required",
        ".sections.1.children.0.targets.0.numerator: 0 of oneOf match",
        ".sections.1.children.0.targets.0.scope: 'province' not in enum",
    ]
    assert set(schema["$defs"]["UnitFilter"]["properties"]["kind"]["items"]["enum"]) == {*UNIT_KINDS, "upper_union"}


def test_the_an_giang_file_parses_from_json_as_from_yaml(an_giang):
    as_text = json.dumps(as_json(read_program_file(AN_GIANG)))
    from_json = ProgramDefinition.model_validate_json(as_text)
    assert from_json == an_giang
    assert from_json.deadlines[0].due == datetime.date(2021, 6, 30)
