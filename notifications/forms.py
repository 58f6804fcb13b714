from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from notifications.models import EmailPreference


class EmailPreferenceForm(forms.ModelForm):
    class Meta:
        model = EmailPreference
        fields = ["returned", "approved", "reopened", "period_opened", "reminder", "digest", "escalation"]

    # Only those who decide on the reports of the units below get digests and escalations.
    DECIDERS_ONLY = ("digest", "escalation")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance.user
        if user.role not in (Role.APPROVER, Role.PROVINCE_ADMIN) and not user.is_superuser:
            for name in self.DECIDERS_ONLY:
                del self.fields[name]


class RemindNowForm(forms.Form):
    """The units to remind now: a choice among the period's missing units (set by the view)."""

    units = forms.MultipleChoiceField(label=_("Units to remind"), widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": _("Choose at least one unit.")})

    def __init__(self, *args, missing=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(unit.code, f"{unit.name} ({unit.code})") for unit in missing]
