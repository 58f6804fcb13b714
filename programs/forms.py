from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import TaskProgress
from units.text import CleanCharField

NOTE_MAX_LENGTH = 2000


class TaskProgressForm(forms.ModelForm):
    # A date input exchanges ISO dates whatever the language; the browser shows dd/mm/yyyy.
    on_date = forms.DateField(
        label=_("date"), initial=timezone.localdate, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    note = CleanCharField(label=_("note"), required=False, max_length=NOTE_MAX_LENGTH,
                          widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = TaskProgress
        fields = ["status", "on_date", "note"]

    def __init__(self, *args, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        if program is not None:
            self.fields["on_date"].widget.attrs["min"] = f"{program.term_start}-01-01"

    def clean_on_date(self):
        on_date = self.cleaned_data["on_date"]
        if on_date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if self.program is not None and on_date.year < self.program.term_start:
            raise forms.ValidationError(_("The date comes before the program's term (from %(year)s).")
                                        % {"year": self.program.term_start})
        return on_date
