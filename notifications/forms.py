from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import EmailPreference


class EmailPreferenceForm(forms.ModelForm):
    class Meta:
        model = EmailPreference
        fields = ["returned", "approved", "reopened", "period_opened", "reminder", "digest", "escalation"]


class RemindNowForm(forms.Form):
    """The units to remind now: a choice among the period's missing units (set by the view)."""

    units = forms.MultipleChoiceField(label=_("Units to remind"), widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": _("Choose at least one unit.")})

    def __init__(self, *args, missing=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(unit.code, f"{unit.name} ({unit.code})") for unit in missing]
