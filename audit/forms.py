from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.registration import FOLLOWED

# Followed by auditlog's signals, plus what reporting.actions records itself.
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
KINDS = [*FOLLOWED, "reporting.Report", "reporting.Period"]


def kind_choices():
    models = [apps.get_model(label) for label in KINDS]
    return [("", _("All kinds"))] + sorted(
        ((m._meta.label_lower, str(m._meta.verbose_name_plural).capitalize()) for m in models), key=lambda c: c[1]
    )


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Contains"), required=False, max_length=200)
    actor = forms.CharField(label=_("Who"), required=False, max_length=150)
    kind = forms.ChoiceField(label=_("Kind of record"), required=False, choices=kind_choices)
    action = forms.TypedChoiceField(
        label=_("Change"), required=False, coerce=int, empty_value=None,
        choices=[("", _("All changes")), (AuditEntry.Action.CREATE, _("created")),
                 (AuditEntry.Action.UPDATE, _("changed")), (AuditEntry.Action.DELETE, _("deleted"))],
    )
    unit = forms.CharField(label=_("Unit code (and the units below it)"), required=False, max_length=40)
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("To"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date comes before the start date."))
        return data
