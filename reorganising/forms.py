from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.spreadsheets.reading import MAX_UPLOAD_BYTES
from tiendo.forms import DayMonthYearField
from units.models import UnitKind

YAML_SUFFIXES = (".yaml", ".yml")


class HeaderForm(forms.Form):
    """The batch's own code, title, reason and deciding document."""

    code = forms.SlugField(label=_("Batch code"), max_length=60, help_text=_("For example 2025-07-sap-xep"))
    title = forms.CharField(label=_("Title"), max_length=255)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document_number = forms.CharField(label=_("Document number"), max_length=80, required=False)
    document_date = DayMonthYearField(label=_("Document date"), required=False)

    def batch_header(self) -> dict:
        data = self.cleaned_data
        header = {"code": data["code"], "title": data["title"], "reason": data["reason"]}
        if data["document_number"] or data["document_date"]:
            header["document"] = {"number": data["document_number"],
                                  "date": data["document_date"].isoformat() if data["document_date"] else None}
        return header


class UploadForm(HeaderForm):
    """A YAML batch file (its own header) or a spreadsheet (the header from the form)."""

    file = forms.FileField(label=_("Batch file (.xlsx or .yaml)"))

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        for name in ("code", "title"):  # a YAML file names its batch itself
            self.fields[name].required = False

    @property
    def is_yaml(self) -> bool:
        file = self.cleaned_data.get("file")
        return bool(file) and file.name.lower().endswith(YAML_SUFFIXES)

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            raise self.size_error()
        if not file.name.lower().endswith((".xlsx", *YAML_SUFFIXES)):
            raise forms.ValidationError(_("Upload an .xlsx spreadsheet (the template) or a .yaml batch file."))
        return file

    def clean(self):
        if self.too_large:  # the upload handler dropped the file: say why, not "this field is required"
            self.errors.pop("file", None)
            self.add_error("file", self.size_error())
        data = super().clean()
        if not self.errors and not self.is_yaml:
            for name in ("code", "title"):
                if not data.get(name):
                    self.add_error(name, _("A spreadsheet needs the batch's code and title here."))
        return data

    @staticmethod
    def size_error() -> forms.ValidationError:
        return forms.ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)})


ACTIONS = (("move", _("move to a new parent")), ("merge", _("merge into a successor")),
           ("dissolve", _("dissolve (with a successor or none)")), ("split", _("split into successors")),
           ("rename", _("rename")), ("create", _("create a new unit")))


class ChangeForm(forms.Form):
    """One change picked on the page: the units (ticked in the search results, or codes typed),
    the unit that receives them (new parent or successor), the date, the reason, the document."""

    action = forms.ChoiceField(label=_("Change"), choices=ACTIONS)
    units = forms.CharField(label=_("Units concerned (codes, separated by commas)"), required=False)
    picked = forms.MultipleChoiceField(required=False)  # ticked in the search results; choices set by the view
    target = forms.CharField(label=_("New parent or successor (code; several for a split)"), required=False)
    name = forms.CharField(label=_("Name (new unit or new name)"), max_length=255, required=False)
    new_code = forms.CharField(label=_("Code of the new unit"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind of the new unit"), choices=[("", "—"), *UnitKind.choices], required=False)
    on = DayMonthYearField(label=_("Effective date (first day of the new state)"))
    reason = forms.CharField(label=_("Reason"), required=False)
    document_number = forms.CharField(label=_("Document number"), max_length=80, required=False)
    document_date = DayMonthYearField(label=_("Document date"), required=False)

    def __init__(self, *args, picked_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["picked"].choices = [(code, code) for code in picked_choices]

    def clean(self):
        data = super().clean()
        codes = [*data.get("picked", []), *[c for c in (data.get("units") or "").replace(";", ",").replace(
            " ", ",").split(",") if c]]
        data["codes"] = list(dict.fromkeys(codes))
        data["targets"] = [c for c in (data.get("target") or "").replace(";", ",").replace(" ", ",").split(",") if c]
        action = data.get("action")
        if action == "create":
            if not data.get("new_code") or not data.get("name") or not data["targets"]:
                raise forms.ValidationError(_("A new unit needs its code, its name and its parent."))
        elif not data["codes"]:
            raise forms.ValidationError(_("Tick or type at least one unit."))
        if action in ("move", "merge", "split") and not data["targets"]:
            self.add_error("target", _("Give the unit that receives them."))
        if action == "rename" and not data.get("name"):
            self.add_error("name", _("Give the new name."))
        return data

    def items(self) -> tuple[str, list[dict]]:
        """The change(s) in the batch format: ("units", [new unit]) or ("changes", [...])."""
        data = self.cleaned_data
        on, codes, targets = data["on"].isoformat(), data["codes"], data["targets"]
        common = {"on": on}
        if data["reason"]:
            common["reason"] = data["reason"]
        if data["document_number"] or data["document_date"]:
            common["document"] = {"number": data["document_number"],
                                  "date": data["document_date"].isoformat() if data["document_date"] else None}
        action = data["action"]
        if action == "create":
            return "units", [{"code": data["new_code"], "name": data["name"], "kind": data["kind"] or "grassroots",
                              "parent": targets[0], "valid_from": on}]
        if action == "move":
            return "changes", [{"change": "move", "units": codes, "to": targets[0], **common}]
        if action == "merge":
            return "changes", [{"change": "merge", "units": codes, "into": targets[0], **common}]
        if action == "split":
            return "changes", [{"change": "split", "unit": codes[0], "into": targets, **common}]
        if action == "rename":
            return "changes", [{"change": "rename", "unit": code, "name": data["name"], **common} for code in codes]
        return "changes", [{"change": "dissolve", "unit": code, **({"successor": targets[0]} if targets else {}),
                            **common} for code in codes]
