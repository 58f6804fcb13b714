from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from audit.registration import FOLLOWED
from tiendo.forms import DayMonthYearInput

# Followed by auditlog's signals, plus what reporting.actions records itself.
DATE = DayMonthYearInput()
KINDS = [*FOLLOWED, "reporting.Report", "reporting.Period"]


def kind_choices():
    models = [apps.get_model(label) for label in KINDS]
    return [("", _("All kinds"))] + sorted(
        ((m._meta.label_lower, str(m._meta.verbose_name_plural).capitalize()) for m in models), key=lambda c: c[1]
    )


class AuditFilterForm(forms.Form):
    """The form of audit.lists.AuditFilter: its fields are the filter's; the dates must be in order."""

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date comes before the start date."))
        return data
