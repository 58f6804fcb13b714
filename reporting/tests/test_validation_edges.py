"""The checks at their edges, on elements and rules made here (no database): the bounds
themselves are allowed, one step past is refused with the message that says the bounds;
"required" applies to submission only; each rule fires on its own side of its operator."""

from decimal import Decimal as D

import pytest

from programs.models import DataElement, ValidationRule
from reporting.validation import blocking, check_values

ERROR, WARNING = ValidationRule.Severity.ERROR, ValidationRule.Severity.WARNING


def element(code, type_="count", low=None, high=None) -> DataElement:
    return DataElement(code=code, label=code, type=type_, min_value=low, max_value=high)


def rule(text, severity=ERROR, code="r") -> ValidationRule:
    return ValidationRule(code=code, rule=text, severity=severity, message=f"rule {code}")


def found(elements, values, rules=(), previous=None, for_submission=False) -> list[tuple]:
    return [(f.severity, f.element, f.rule, f.message)
            for f in check_values(elements, values, list(rules), previous, for_submission)]


@pytest.mark.parametrize(
    ("kind", "low", "high", "value", "message"),
    [
        ("count", None, None, 0, None),
        ("count", None, None, -1, "Nhập số không nhỏ hơn 0."),
        ("count", None, None, 10**9, None),                      # no upper bound for a count
        ("count", D(5), None, 5, None),
        ("count", D(5), None, 4, "Nhập số không nhỏ hơn 5."),
        ("count", None, D(500), 500, None),
        ("count", None, D(500), 501, "Nhập số từ 0 đến 500."),
        ("count", D(1), D(1500), 0, "Nhập số từ 1 đến 1.500."),  # grouped as Vietnamese write it
        ("percent", None, None, 100, None),                      # a percent stops at 100 by itself
        ("percent", None, None, D("100.01"), "Nhập số từ 0 đến 100."),
        ("percent", None, D(50), 51, "Nhập số từ 0 đến 50."),
        ("percent", D("0.5"), None, D("0.4"), "Nhập số từ 0,50 đến 100."),
    ],
)
def test_range_bounds_and_their_message(kind, low, high, value, message):
    expected = [] if message is None else [(ERROR, "x", "range", message)]
    assert found([element("x", kind, low, high)], {"x": value}) == expected


@pytest.mark.parametrize("kind", ["boolean", "text", "date", "quality_class"])
def test_only_numbers_have_a_range(kind):
    assert found([element("x", kind, D(5), D(6))], {"x": 100}) == []


def test_required_values_only_for_submission_and_only_for_numbers_and_yes_no():
    elements = [element("n"), element("p", "percent"), element("b", "boolean"), element("t", "text"),
                element("d", "date"), element("q", "quality_class")]
    assert found(elements, {}) == []
    needed = "Cần nhập mục này để nộp báo cáo."
    assert found(elements, {}, for_submission=True) == [
        (ERROR, "n", "required", needed), (ERROR, "p", "required", needed), (ERROR, "b", "required", needed)]
    # False is an answer ("no"), not a missing value
    assert found([element("b", "boolean")], {"b": False}, for_submission=True) == []


def test_a_submission_gets_range_and_required_findings_together():
    elements = [element("n"), element("m")]
    assert found(elements, {"n": -1}, for_submission=True) == [
        (ERROR, "n", "range", "Nhập số không nhỏ hơn 0."),
        (ERROR, "m", "required", "Cần nhập mục này để nộp báo cáo.")]


@pytest.mark.parametrize(
    ("operator", "fires_at"),
    [("<=", [6]), ("<", [5, 6]), ("==", [4, 6]), (">=", [4]), (">", [4, 5])],
)
def test_a_comparison_rule_fires_exactly_where_it_is_broken(operator, fires_at):
    elements = [element("a"), element("b")]
    fired = [a for a in (4, 5, 6) if found(elements, {"a": a, "b": 5}, [rule(f"a {operator} b")])]
    assert fired == fires_at


def test_a_comparison_rule_reports_on_its_left_element_with_its_severity_and_message():
    elements = [element("members"), element("workers")]
    assert found(elements, {"members": 41, "workers": 40}, [rule("members <= workers", WARNING, "m_le_w")]) == [
        (WARNING, "members", "m_le_w", "rule m_le_w")]


def test_a_comparison_rule_waits_for_both_values_and_both_elements():
    elements = [element("a"), element("b")]
    broken = rule("a <= b")
    assert found(elements, {"a": 6}, [broken]) == []
    assert found(elements, {"b": 5}, [broken]) == []
    assert found([element("a")], {"a": 6, "b": 5}, [broken]) == []  # b is not asked of this unit
    assert found([element("b")], {"a": 6, "b": 5}, [broken]) == []


@pytest.mark.parametrize(
    ("condition", "consequence", "fires"),
    [
        (True, True, False), (True, None, True), (True, "", True), (True, False, True),
        (False, None, False), (None, None, False), ("", None, False), (0, None, True),  # 0 is an answer
        (3, 0, False),
    ],
)
def test_implies_fires_when_the_condition_is_filled_and_the_consequence_is_not(condition, consequence, fires):
    elements = [element("c", "boolean"), element("d", "boolean")]
    findings = found(elements, {"c": condition, "d": consequence}, [rule("c implies d")])
    assert findings == ([(ERROR, "d", "r", "rule r")] if fires else [])


def test_implies_needs_both_elements_asked():
    assert found([element("c", "boolean")], {"c": True}, [rule("c implies d")]) == []
    assert found([element("d", "boolean")], {"c": True}, [rule("c implies d")]) == []


@pytest.mark.parametrize(
    ("value", "last", "fires"),
    [
        (30, 10, False),    # exactly 3 times: not more than
        (31, 10, True),
        (10, 30, False),    # exactly a third
        (9, 30, True),
        (9, 2, False),      # both below JUMP_MIN_SIZE (10): small numbers jump
        (10, 2, True),      # the larger reaches 10
        (2, 10, True),
        (0, 10, True),      # to zero
        (10, 0, True),      # from zero
        (0, 0, False),
        (None, 50, False),  # nothing to compare
        (50, None, False),
    ],
)
def test_year_over_year_factor(value, last, fires):
    elements = [element("n"), element("t", "percent")]
    findings = found(elements, {"n": value, "t": 90}, [rule("year_over_year_factor 3", WARNING, "jump")],
                     previous={"n": last, "t": 5})
    assert findings == ([(WARNING, "n", "jump", "rule jump")] if fires else [])  # counts only, not percents


def test_a_decimal_factor():
    elements = [element("n")]
    jump = [rule("year_over_year_factor 1.5", WARNING, "jump")]
    assert found(elements, {"n": 15}, jump, previous={"n": 10}) == []
    assert found(elements, {"n": 16}, jump, previous={"n": 10}) == [(WARNING, "n", "jump", "rule jump")]


def test_an_unknown_rule_finds_nothing():
    assert found([element("a"), element("b")], {"a": 6, "b": 5}, [rule("a much bigger than b")]) == []


def test_blocking_errors_always_warnings_until_explained():
    elements = [element("a"), element("b"), element("n")]
    findings = check_values(elements, {"a": 6, "b": 5, "n": -1}, [rule("a <= b", WARNING, "w")])
    assert [f.rule for f in blocking(findings, {})] == ["range", "w"]
    assert [f.rule for f in blocking(findings, {"a": "  "})] == ["range", "w"]  # blank is no explanation
    assert [f.rule for f in blocking(findings, {"a": "Tuyển thêm", "n": "lý do"})] == ["range"]


def test_a_large_factor_lets_a_tenfold_rise_from_one_pass():
    """The zero rule (a value from or to zero always jumps) must not catch one: 1 → 10 and
    10 → 1 are within a factor of 20."""
    elements = [element("n")]
    jump = [rule("year_over_year_factor 20", WARNING, "jump")]
    assert found(elements, {"n": 10}, jump, previous={"n": 1}) == []
    assert found(elements, {"n": 1}, jump, previous={"n": 10}) == []
    assert found(elements, {"n": 0}, jump, previous={"n": 10}) == [(WARNING, "n", "jump", "rule jump")]


def test_checking_values_is_not_for_submission_unless_asked():
    assert check_values([element("n")], {}, []) == []
