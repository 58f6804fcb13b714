from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from exports.models import Kind, Narrative
from exports.writers import WRITERS
from tiendo.forms import DayMonthYearField
from units.text import CleanCharField

# Narrative.* text fields have no length in the database; these are the form's. A part of a
# document is at most a few pages (20,000 characters is about seven), a distribution list a
# few dozen lines.
NARRATIVE_MAX_LENGTH = 20000
RECIPIENTS_MAX_LENGTH = 3000


def _text_field(model_field, **kwargs):
    """Every text field of the form cleaned as units.text.clean_text cleans text, and limited."""
    if isinstance(model_field, models.CharField | models.TextField):
        kwargs["form_class"] = CleanCharField
        if model_field.max_length is None:
            kwargs["max_length"] = RECIPIENTS_MAX_LENGTH if model_field.name == "recipients" \
                else NARRATIVE_MAX_LENGTH
    return model_field.formfield(**kwargs)


class ChoiceForm(forms.Form):
    """Which document: the unit (among those the user sees), its kind, the year, the format."""

    unit = forms.ChoiceField(label=_("Unit"))
    kind = forms.ChoiceField(label=_("Kind of document"), choices=Kind.choices, initial=Kind.YEARLY_REVIEW,
                             widget=forms.RadioSelect)
    year = forms.TypedChoiceField(label=_("Year evaluated"), coerce=int,
                                  help_text=_("The 5-year review always covers the whole term."))
    view = forms.ChoiceField(label=_("Units as"), choices=[("then", _("as it was")), ("now", _("as it is now"))],
                             initial="then", required=False, widget=forms.RadioSelect, help_text=_(
                                 "As it was: each year over the units of that year. As it is now: every year over "
                                 "today's units."))
    format = forms.ChoiceField(label=_("File format"), choices=[(w.identifier, w.label) for w in WRITERS.values()],
                               initial="docx")

    def __init__(self, *args, units, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, "\u2003" * max(0, u.depth - 1) + u.name) for u in units]
        self.fields["year"].choices = [(y, str(y)) for y in years]


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = Narrative
        formfield_callback = _text_field
        field_classes = {"issued_on": DayMonthYearField}
        fields = ["achievements", "shortcomings", "causes", "directions", "number", "issued_on",
                  "signer_on_behalf", "signer_title", "signer_name", "recipients"]
        widgets = {
            "achievements": forms.Textarea(attrs={"rows": 8}),
            "shortcomings": forms.Textarea(attrs={"rows": 6}),
            "causes": forms.Textarea(attrs={"rows": 6}),
            "directions": forms.Textarea(attrs={"rows": 6}),
            "recipients": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "achievements": _("The department's assessment of what was achieved; one paragraph a line. "
                              "The figures of every target are added from the reports."),
            "shortcomings": _("One paragraph a line. The targets not met are listed from the figures."),
            "causes": _("One paragraph a line."),
            "directions": _("One paragraph a line."),
        }
