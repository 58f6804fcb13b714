"""Shared form pieces (tiendo.forms) and the small choices of the entry and task forms."""

import datetime

import pytest
from django.utils import translation

from programs.forms import TaskProgressForm
from reporting.forms import field_for
from tiendo.forms import DayMonthYearField


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("typed", "day"), [
    ("05/01/2026", datetime.date(2026, 1, 5)), ("5/1/2026", datetime.date(2026, 1, 5)),
    ("31/12/25", datetime.date(2025, 12, 31)), ("2026-01-05", datetime.date(2026, 1, 5)),
])
def test_a_date_is_read_day_first_whatever_the_language(language, typed, day):
    with translation.override(language):
        assert DayMonthYearField().clean(typed) == day


@pytest.mark.parametrize("typed", ["01/13/2026", "13/2026", "ngày 5", "2026-13-01"])
def test_a_date_month_first_or_not_a_date_is_refused_with_the_form_to_use(typed):
    field = DayMonthYearField()
    with translation.override("vi"), pytest.raises(Exception) as refused:
        field.clean(typed)
    assert "dd/mm/yyyy" in str(refused.value)


def test_the_date_input_is_text_shown_day_first():
    html = DayMonthYearField().widget.render("on", datetime.date(2026, 1, 5))
    assert 'type="text"' in html and 'value="05/01/2026"' in html and 'pattern="' in html
    assert 'type="date"' not in html


def test_the_agreement_class_can_be_cleared(program):
    from programs.models import DataElement

    element = DataElement.objects.filter(type="quality_class").first()
    field = field_for(element)
    assert field.clean("") == "" and field.clean("B") == "B"
    with translation.override("vi"):
        assert dict(field.choices)[""] == "Để trống (chưa có thỏa ước)"


def test_the_task_status_menu_names_its_empty_choice():
    with translation.override("vi"):
        html = str(TaskProgressForm()["status"])
    assert "---------" not in html and "Chọn tình trạng" in html
