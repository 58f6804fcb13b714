from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Target, TaskProgress
from tiendo.forms import DayMonthYearField
from units.models import UnitKind
from units.text import CleanCharField

NOTE_MAX_LENGTH = 2000


class TaskProgressForm(forms.ModelForm):
    on_date = DayMonthYearField(label=_("date"), initial=timezone.localdate)
    note = CleanCharField(label=_("note"), required=False, max_length=NOTE_MAX_LENGTH,
                          widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = TaskProgress
        fields = ["status", "on_date", "note"]

    def __init__(self, *args, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        # A plain-language empty choice instead of Django's "---------".
        self.fields["status"].choices = [("", _("Choose a status…")), *TaskProgress.Status.choices]

    def clean_on_date(self):
        on_date = self.cleaned_data["on_date"]
        if on_date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if self.program is not None and on_date.year < self.program.term_start:
            raise forms.ValidationError(_("The date comes before the program's term (from %(year)s).")
                                        % {"year": self.program.term_start})
        return on_date


MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_SUFFIXES = (".txt", ".docx", ".pdf")


class ImportForm(forms.Form):
    """A program's document, as a file or as text pasted from one."""

    document = forms.FileField(label=_("Document (.docx, .pdf or .txt)"), required=False)
    text = forms.CharField(label=_("or paste its text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document is None:
            return None
        if not document.name.lower().endswith(DOCUMENT_SUFFIXES):
            raise forms.ValidationError(_("Only .docx, .pdf and .txt documents can be read."))
        if document.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("The document is larger than 10 MB."))
        return document

    def clean(self):
        data = super().clean()
        if not data.get("document") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a document or paste its text."))
        return data


class TargetReviewForm(forms.Form):
    """The reviewer's word on one target the reader found: keep it (as read, or corrected in
    these fields) or reject it."""

    decision = forms.ChoiceField(label=_("decision"), widget=forms.RadioSelect, initial="keep",
                                 choices=[("keep", _("Keep (confirm or correct)")), ("reject", _("Reject"))])
    comparison = forms.ChoiceField(label=_("comparison"), choices=Target.Comparison.choices)
    value = forms.DecimalField(label=_("value"), min_value=0, max_digits=12, decimal_places=2, required=False)
    unit = forms.ChoiceField(label=_("unit of measure"), choices=Target.Measure.choices)
    period = forms.ChoiceField(label=_("when it must hold"), choices=Target.Horizon.choices)
    deadline = DayMonthYearField(label=_("deadline"), required=False)
    applies_to = forms.MultipleChoiceField(label=_("units measured"), choices=UnitKind.choices,
                                           widget=forms.CheckboxSelectMultiple)
    element = forms.ChoiceField(label=_("data element counted"), required=False)

    def __init__(self, *args, elements: list[tuple[str, str]] | None = None, **kwargs):
        """`elements`: (code, label) of the loaded program's elements suggested for the
        target, the likeliest first; a new element proposed from the sentence is the last
        choice. None: the target is counted on uploaded plans and has no element to choose."""
        super().__init__(*args, **kwargs)
        if elements is None:
            del self.fields["element"]
        else:
            self.fields["element"].choices = [*elements, ("", _("a new element, proposed from the sentence"))]

    def clean(self):
        data = super().clean()
        if data.get("decision") != "keep":
            return data
        if data.get("value") is None:
            self.add_error("value", _("Give the target's value."))
        if data.get("period") == "deadline" and not data.get("deadline"):
            self.add_error("deadline", _("A target due by a deadline needs its date."))
        return data
