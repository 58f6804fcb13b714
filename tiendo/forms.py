"""Form pieces every app shares.

Dates: a browser's own date input shows the browser's locale (mm/dd/yyyy in one, dd/mm/yyyy in
another), while every page and document here writes dd/mm/yyyy. So a date is typed as text in
that one form, whatever the browser, and read back by one parser that also takes ISO dates (the
API, old links, tests) and two-digit years."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DAY_MONTH_YEAR = "%d/%m/%Y"
DATE_INPUT_FORMATS = [DAY_MONTH_YEAR, "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
# What the browser checks before sending (the server checks again): d/m/yyyy or dd/mm/yyyy.
DATE_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}"


class DayMonthYearInput(forms.DateInput):
    """A text input showing and taking dd/mm/yyyy."""

    input_type = "text"

    def __init__(self, attrs: dict | None = None):
        base = {"placeholder": _("dd/mm/yyyy"), "pattern": DATE_PATTERN, "maxlength": 10, "size": 10,
                "autocomplete": "off", "title": _("Day/month/year, e.g. 05/01/2026"), "class": "date-input"}
        super().__init__(attrs={**base, **(attrs or {})}, format=DAY_MONTH_YEAR)


class DayMonthYearField(forms.DateField):
    """A date typed as dd/mm/yyyy (ISO accepted too), whatever the language of the page."""

    widget = DayMonthYearInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {"invalid": _("Enter the date as dd/mm/yyyy, e.g. 05/01/2026.")}
