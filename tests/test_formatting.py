"""tiendo.formatting is the one home of the display formatters: pages, messages and
documents write numbers and dates through it, Vietnamese style."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from tiendo import formatting


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def test_results_are_rounded_half_up_to_at_most_two_decimals():
    assert formatting.number(Decimal("75.625"), "percent") == "75,63%"
    assert formatting.number(Decimal("103.10"), "percent") == "103,1%"
    assert formatting.number(Decimal("90"), "percent") == "90%"
    assert formatting.number(Decimal("1.325"), "average") == "1,33"
    assert formatting.number(Decimal("5157"), "count") == "5.157"
    assert formatting.number(None, "count") == "—"


def test_integers_amounts_and_shares():
    assert formatting.integer(1234567) == "1.234.567"
    assert formatting.integer(None) == "—"
    assert formatting.amount(Decimal("5157")) == "5.157"
    assert formatting.amount(Decimal("1.5")) == "1,50"  # as floatformat:"-2g" writes it
    assert formatting.share(1, 3) == Decimal("33.33")
    assert formatting.share(2, 0) is None
    assert formatting.percent(formatting.share(1, 8)) == "12,5%"


def test_dates_are_day_month_year():
    assert formatting.short_date(datetime.date(2026, 1, 5)) == "05/01/2026"


def test_no_other_module_formats_numbers_itself():
    """The copies are gone: number_format is called here only."""
    from pathlib import Path

    root = Path(formatting.__file__).resolve().parents[1]
    callers = sorted(str(p.relative_to(root)) for folder in ("accounts", "dashboards", "exports", "indicators",
                                                              "programs", "reporting", "units", "tiendo")
                     for p in (root / folder).rglob("*.py") if "number_format(" in p.read_text(encoding="utf-8"))
    assert callers == ["tiendo/formatting.py"]
