"""Every rule of the An Giang program, as the data-entry form and the import apply them."""

import pytest

from reporting.elements import program_elements_for
from reporting.testing import GOOD_GRASSROOTS
from reporting.validation import blocking, check_values

pytestmark = pytest.mark.django_db




@pytest.fixture
def check(world, program):
    rules = list(program.validation_rules.all())

    def run(unit, changes=None, previous=None, for_submission=False):
        values = {**GOOD_GRASSROOTS, **(changes or {})} if unit.is_grassroots else dict(changes or {})
        return check_values(program_elements_for(program, unit), values, rules, previous, for_submission)

    return run


def rules_hit(findings):
    return {(f.severity, f.element, f.rule) for f in findings}


def test_good_values_raise_nothing(world, check):
    assert check(world.school, for_submission=True) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"members": 41}, ("error", "members", "members_le_workers")),
        ({"officers": 39}, ("error", "officers", "officers_le_members")),
        ({"officers_trained": 6}, ("error", "officers_trained", "officers_trained_le_officers")),
        ({"workers_informed": 41}, ("error", "workers_informed", "informed_le_workers")),
        ({"workers_upskilled": 41}, ("error", "workers_upskilled", "upskilled_le_workers")),
        ({"resolution_disseminated": False}, ("error", "resolution_disseminated", "plan_implies_disseminated")),
        ({"cba_signed": False, "cba_quality_class": None}, ("error", "cba_signed", "more_favourable_implies_signed")),
        ({"cba_quality_class": None}, ("error", "cba_quality_class", "signed_implies_class")),
        ({"cba_signed": False, "cba_more_favourable": False}, ("error", "cba_signed", "class_implies_signed")),
        ({"party_referrals": 39}, ("error", "party_referrals", "referrals_le_members")),
        ({"initiatives": 41}, ("warning", "initiatives", "initiatives_le_workers")),
        ({"members": -1}, ("error", "members", "range")),
        ({"union_homes": 51}, ("error", "union_homes", "range")),
    ],
)
def test_each_rule_on_a_grassroots_report(world, check, changes, expected):
    assert expected in rules_hit(check(world.school, changes))


def test_rules_on_an_upper_union_report(world, check):
    findings = check(world.long_xuyen, {"labour_disputes": 2, "disputes_with_union": 3,
                                        "enterprises_20plus": 10, "enterprises_20plus_with_union": 12})
    assert rules_hit(findings) == {
        ("error", "disputes_with_union", "disputes_with_union_le_disputes"),
        ("error", "enterprises_20plus_with_union", "enterprises_with_union_le_enterprises"),
    }


def test_a_value_three_times_last_years_is_a_warning(world, check):
    findings = check(world.school, {"initiatives": 31}, previous={"initiatives": 10})
    assert ("warning", "initiatives", "jump_warning") in rules_hit(findings)
    assert not check(world.school, {"initiatives": 25}, previous={"initiatives": 10})
    # small numbers may jump freely
    assert not check(world.school, {"initiatives": 9}, previous={"initiatives": 2})


def test_submission_needs_every_number_and_yes_no(world, check):
    findings = check(world.school, {"members": None, "cba_signed": None, "cba_more_favourable": None,
                                    "cba_quality_class": None}, for_submission=True)
    assert {("error", "members", "required"), ("error", "cba_signed", "required")} <= rules_hit(findings)
    assert ("error", "cba_quality_class", "required") not in rules_hit(findings), "a class is not always due"


def test_only_enterprises_are_asked_about_the_employee_conference(world, program):
    asked_school = {e.code for e in program_elements_for(program, world.school)}
    asked_factory = {e.code for e in program_elements_for(program, world.factory)}
    assert "employee_conference_held" not in asked_school
    assert {"employee_conference_held", "workplace_dialogue_held"} <= asked_factory
    assert "labour_disputes" not in asked_factory
    asked_district = {e.code for e in program_elements_for(program, world.long_xuyen)}
    assert {"labour_disputes", "enterprises_20plus"} <= asked_district
    assert {e.code for e in program_elements_for(program, world.province)} == {"effective_model"}


def test_explained_warnings_do_not_block_but_errors_always_do(world, check):
    findings = check(world.school, {"initiatives": 41, "members": 41})
    assert {f.rule for f in blocking(findings, {})} == {"initiatives_le_workers", "members_le_workers"}
    assert {f.rule for f in blocking(findings, {"initiatives": "Sáng kiến của cả tổ chuyên môn"})} == {
        "members_le_workers"}


@pytest.mark.parametrize(("element_type", "low", "high", "inside", "outside"), [
    ("percent", 10, 50, "30", ["5", "60"]),
    ("percent", None, None, "100", ["-1", "101"]),  # a percent without bounds: 0 to 100
    ("count", 2, 2000, "2000", ["1", "2001"]),
])
def test_form_spreadsheet_and_check_read_the_same_bounds(element_type, low, high, inside, outside):
    """One range per element (element.bounds): the entry form refuses what check_values
    refuses, and the spreadsheet's data validation says the same range."""
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from programs.models import DataElement
    from reporting.forms import field_for
    from reporting.spreadsheets.template import _validation_for

    element = DataElement(code="x", label="X", type=element_type, aggregation="sum", min_value=low, max_value=high)
    field = field_for(element)

    def refused(text: str) -> tuple[bool, bool]:
        try:
            field.clean(text)
            in_form = False
        except ValidationError:
            in_form = True
        in_check = bool(check_values([element], {"x": Decimal(text)}, []))
        return in_form, in_check

    assert refused(inside) == (False, False)
    for text in outside:
        assert refused(text) == (True, True), text
    validation = _validation_for(element)
    assert (validation.formula1, validation.formula2) == (str(low or 0), str(high or 100))
