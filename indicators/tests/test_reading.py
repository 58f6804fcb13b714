"""The read model (indicators.reading): what pages and documents show about a target, decided
once from the engine's Results."""

from decimal import Decimal

import pytest
from django.utils import translation

from indicators import reading
from indicators import status as rules
from indicators.engine import Result

pytestmark = pytest.mark.django_db


def _result(target, year, value, status, projected=None, share=None, numerator=None, denominator=None):
    return Result(target, year, value, numerator, denominator, 3, 4, status, projected, share)


def _target(program, period):
    return program.targets.filter(period=period).order_by("code").first()


def test_status_counts_follow_the_status_order_and_leave_out_statuses_with_none():
    statuses = [rules.NOT_MET, rules.MET, rules.NO_DATA, rules.MET, rules.CONTRIBUTION, rules.NOT_MET]
    assert reading.status_counts(statuses) == [
        (rules.MET, 2), (rules.NOT_MET, 2), (rules.NO_DATA, 1), (rules.CONTRIBUTION, 1)]


def test_status_words_are_vietnamese():
    with translation.override("vi"):
        assert reading.status_word(rules.MET) == "đạt"
        assert reading.status_word(rules.CONTRIBUTION) == "đóng góp"


def test_ranks_put_the_highest_first_and_leave_out_units_without_a_value(program):
    target = _target(program, "yearly")
    rows = [("a", _result(target, 2024, Decimal(40), rules.NOT_MET)),
            ("b", _result(target, 2024, None, rules.NO_DATA)),
            ("c", _result(target, 2024, Decimal(90), rules.MET)),
            ("d", _result(target, 2024, Decimal(40), rules.NOT_MET))]
    assert reading.ranks(rows) == {"c": 1, "a": 2, "d": 3}


def test_a_projection_is_shown_before_the_last_year_beside_a_figure_only(program):
    term = _target(program, "term")
    yearly = _target(program, "yearly")
    end = program.term_end
    assert reading.shows_projection(_result(term, end - 1, Decimal(50), rules.ON_TRACK, Decimal(95)), program)
    assert not reading.shows_projection(_result(term, end, Decimal(50), rules.NOT_MET, Decimal(95)), program)
    assert not reading.shows_projection(_result(term, end - 1, None, rules.NO_DATA, Decimal(95)), program)
    assert not reading.shows_projection(_result(yearly, end - 1, Decimal(50), rules.MET, Decimal(95)), program)


def test_a_yearly_targets_term_verdict_is_met_only_if_met_in_every_year_with_figures(program):
    target = _target(program, "yearly")
    by_year = {2021: _result(target, 2021, Decimal(90), rules.MET),
               2022: _result(target, 2022, None, rules.NO_DATA),
               2023: _result(target, 2023, Decimal(10), rules.NOT_MET)}
    with translation.override("vi"):
        assert reading.verdict(by_year, 2023).status == rules.NOT_MET  # the year alone
        over_term = reading.verdict(by_year, 2023, [2021, 2022, 2023])
        assert (over_term.status, over_term.met, over_term.judged) == (rules.NOT_MET, 1, 2)
        by_year[2023] = _result(target, 2023, Decimal(95), rules.MET)
        assert reading.verdict(by_year, 2023, [2021, 2022, 2023]).status == rules.MET
        empty = {y: _result(target, y, None, rules.NO_DATA) for y in (2021, 2022)}
        assert reading.verdict(empty, 2022, [2021, 2022]).status == rules.NO_DATA


def test_a_reading_prepares_what_the_template_branches_on(program):
    target = program.targets.get(code="T15")  # a province-wide count
    row = reading.reading(_result(target, 2024, Decimal(50), rules.CONTRIBUTION, share=Decimal("12.345"),
                                  numerator=Decimal(50)), program)
    with translation.override("vi"):
        assert (row["province_wide"], row["contribution"], row["share"]) == (True, True, "12,35%")
        assert row["operands"] == "50"
        assert row["progress"] == Decimal("12.3")
    empty = reading.reading(_result(target, 2024, None, rules.NO_DATA), program)
    assert (empty["shown"], empty["progress"], empty["operands"], empty["show_projection"]) == ("—", 0, "", False)
