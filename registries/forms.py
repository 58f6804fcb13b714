"""The form of one record, made for a phone: one column, native date and number inputs, the
unit picked among those the user may enter records for."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from registries.kinds import Kind
from registries.models import FavourableTerm
from units.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = {"inputmode": "numeric"}


def record_form(kind: Kind, units: list[Unit]) -> type[forms.ModelForm]:
    """A ModelForm class for the kind, its unit chosen among `units` (by code)."""

    class RecordForm(forms.ModelForm):
        unit = forms.ModelChoiceField(queryset=Unit.objects.filter(pk__in=[u.pk for u in units]),
                                      to_field_name="code", label=_("Unit"), empty_label=None)

        class Meta:
            model = kind.model
            fields = ["unit", *kind.columns, *(["file"] if kind.model._meta.model_name == "collectiveagreement"
                                               else [])]
            widgets = {name: DATE for name in kind.columns if name.endswith("_on")}

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if "favourable_terms" in self.fields:
                self.fields["favourable_terms"] = forms.MultipleChoiceField(
                    label=self.fields["favourable_terms"].label, required=False, choices=FavourableTerm.choices,
                    widget=forms.CheckboxSelectMultiple)
            for field in self.fields.values():
                if isinstance(field, forms.IntegerField):
                    field.widget.attrs.update(NUMBER)
                if isinstance(field.widget, forms.Textarea):
                    field.widget.attrs["rows"] = 3

    return RecordForm
