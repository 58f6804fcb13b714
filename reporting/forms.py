"""The data-entry form, built from the program's data elements: nothing about a particular
program is written here."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from programs.models import DataElement
from reporting.models import Period
from reporting.validation import FIRST_DATE, LAST_DATE, MAX_COMMENT, MAX_NUMBER, MAX_TEXT, date_range_message
from tiendo.forms import DayMonthYearField
from units.text import CleanCharField

YES, NO = "yes", "no"
COMMENT_SUFFIX = "__comment"
MAX_VERSION = 2**31 - 1  # Report.version is a PositiveIntegerField


def _version_field() -> forms.IntegerField:
    """The version of the report the form was built from; only a tampered or truncated form
    lacks it, and then the user is told to reload."""
    outdated = _("The form is incomplete or out of date: reload the page and enter your changes again.")
    return forms.IntegerField(
        min_value=0, max_value=MAX_VERSION, widget=forms.HiddenInput,
        error_messages={key: outdated for key in ("required", "invalid", "min_value", "max_value")},
    )


def _yes_no(value: str):
    return {YES: True, NO: False}.get(value)


def field_for(element: DataElement) -> forms.Field:
    """A form field for one element; every field may stay blank in a draft."""
    common = {"label": element.label, "help_text": element.help, "required": False}
    bounds = element.bounds
    if element.type == "count":
        low = int(bounds.low)
        high = int(bounds.high) if bounds.high is not None else MAX_NUMBER - 1
        attrs = {"inputmode": "numeric", "min": low, "max": high}
        return forms.IntegerField(min_value=low, max_value=high, widget=forms.NumberInput(attrs=attrs), **common)
    if element.type == "percent":
        return forms.DecimalField(min_value=bounds.low, max_value=bounds.high, decimal_places=2, **common)
    if element.type == "boolean":
        return forms.TypedChoiceField(
            choices=[(YES, _("Yes")), (NO, _("No"))], coerce=_yes_no, empty_value=None,
            widget=forms.RadioSelect, **common,
        )
    if element.type == "quality_class":
        # The empty choice clears a class chosen by mistake: the help says to leave it empty
        # when the unit has no agreement.
        return forms.ChoiceField(choices=[("", _("None (no agreement)")), *((c, c) for c in "ABCD")],
                                 widget=forms.RadioSelect, **common)
    if element.type == "date":
        return DayMonthYearField(
            validators=[MinValueValidator(FIRST_DATE, date_range_message()),
                        MaxValueValidator(LAST_DATE, date_range_message())], **common)
    return CleanCharField(max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}), **common)


def initial_for(element: DataElement, value):
    if element.type == "boolean" and value is not None:
        return YES if value else NO
    return value


class ReportForm(forms.Form):
    version = _version_field()

    def __init__(self, elements: list[DataElement], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.elements = elements
        for element in elements:
            self.fields[element.code] = field_for(element)
            self.fields[element.code + COMMENT_SUFFIX] = CleanCharField(
                label=_("Explanation"), required=False, max_length=MAX_COMMENT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def values(self) -> dict:
        """Cleaned values by element code, a blank field as None."""
        return {e.code: None if self.cleaned_data.get(e.code) == "" else self.cleaned_data.get(e.code)
                for e in self.elements}

    def comments(self) -> dict[str, str]:
        return {e.code: self.cleaned_data.get(e.code + COMMENT_SUFFIX, "") for e in self.elements}


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Period.Kind.choices, initial=Period.Kind.YEAR)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(
        label=_("half"), coerce=int, required=False, empty_value=0,
        choices=[(0, _("whole year")), (1, _("first six months")), (2, _("last six months"))],
    )
    due_on = DayMonthYearField(label=_("due on"))

    def clean(self):
        cleaned = super().clean()
        kind, half = cleaned.get("kind"), cleaned.get("half") or 0
        if kind == Period.Kind.HALF and half not in (1, 2):
            self.add_error("half", _("Choose which six months."))
        if kind == Period.Kind.YEAR:
            cleaned["half"] = 0
        return cleaned


class DecisionForm(forms.Form):
    comment = CleanCharField(label=_("Comment"), required=False, max_length=MAX_COMMENT,
                             widget=forms.Textarea(attrs={"rows": 2}))
    version = _version_field()
