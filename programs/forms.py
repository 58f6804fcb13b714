from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import TaskProgress


class TaskProgressForm(forms.ModelForm):
    # A date input exchanges ISO dates whatever the language; the browser shows dd/mm/yyyy.
    on_date = forms.DateField(
        label=_("date"), initial=timezone.localdate, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    class Meta:
        model = TaskProgress
        fields = ["status", "on_date", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2, "maxlength": 2000})}

    def clean_on_date(self):
        on_date = self.cleaned_data["on_date"]
        if on_date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on_date

    def clean_note(self):
        return self.cleaned_data["note"].strip()
