import datetime

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.actions import do_move_unit
from units.models import Reorganisation, ReorganisationChange, Succession, Unit, UnitKind, UnitLink
from units.reorganisation import do_apply_reorganisation, last_former_name, renamed_too_early
from units.signals import units_changed


class UnitAdminForm(forms.ModelForm):
    # Only upper-level units can hold children, and there are few of them, so a plain
    # select works even when the tree has 135,000 grassroots unions.
    parent = forms.ModelChoiceField(
        label=_("parent unit"),
        queryset=Unit.objects.exclude(kind=UnitKind.GRASSROOTS),
        required=False,
        help_text=_("Changing it moves the unit and everything below it, and is recorded."),
    )
    # A rename is dated like a batch's (units.reorganisation): the old name stays the unit's
    # name for the days before, in every page and document "as it was".
    renamed_on = forms.DateField(
        label=_("renamed on"), required=False,
        help_text=_("When the name changes: the first day of the new name; the old name is kept for the days "
                    "before. Leave it empty to correct a misspelt name in every year."),
    )
    rename_document = forms.CharField(label=_("decision (number)"), max_length=60, required=False)

    class Meta:
        model = Unit
        fields = [
            "code", "name", "short_name", "renamed_on", "rename_document", "kind", "parent", "admin_code",
            "valid_from", "valid_to",
            "ownership", "workers", "members", "officers",
            "address", "contact_name", "phone", "email",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].initial = Unit.objects.get_parent(self.instance)
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(
                path__under=self.instance.path
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != UnitKind.PROVINCE and not cleaned.get("parent"):
            self.add_error("parent", _("Every unit but the province needs a parent."))
        if cleaned.get("renamed_on"):
            self._check_rename(cleaned["renamed_on"])
        return cleaned

    @property
    def renames(self) -> bool:
        return bool(self.instance.pk and self.cleaned_data.get("renamed_on")
                    and {"name", "short_name"} & set(self.changed_data))

    def _check_rename(self, on: datetime.date) -> None:
        if not self.instance.pk or not {"name", "short_name"} & set(self.changed_data):
            self.add_error("renamed_on", _("Give a date only when the name or the short name changes."))
            return
        last = last_former_name(self.instance)
        if renamed_too_early(last, on):
            self.add_error("renamed_on", _("The unit was renamed on %(day)s already: a later date is needed.") % {
                "day": (last + datetime.timedelta(days=1)).strftime("%d/%m/%Y")})


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitAdminForm
    list_display = ("name", "code", "kind", "ownership", "workers", "members", "valid_from", "valid_to")
    list_filter = ("kind", "ownership", "large_enterprise", "depth")
    search_fields = ("search_name", "code")
    list_per_page = 50
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        # Search the folded name so that "chau doc" finds "Châu Đốc" here too.
        if not search_term:
            return queryset, False
        return queryset.search(search_term), False

    def save_model(self, request, obj, form, change):
        parent = form.cleaned_data.get("parent")
        if not change:
            if parent:
                Unit.objects.add_child(parent, instance=obj)
            else:
                Unit.objects.add_root(instance=obj)
            return
        if form.renames:
            self._save_renamed(request, obj, form)
        else:
            obj.save()
        if parent and parent != Unit.objects.get_parent(obj):
            do_move_unit(obj, parent, effective_on=timezone.localdate(), by=request.user)
        else:
            units_changed.send(sender=None, parent_paths={obj.parent_path})

    @staticmethod
    def _save_renamed(request, obj: Unit, form: UnitAdminForm) -> None:
        """The other fields saved as edited, the name changed by a one-change batch on the day
        given, so that it is dated, kept in the unit's history and can be undone like any batch."""
        name, short_name = obj.name, obj.short_name
        obj.name, obj.short_name = form.initial["name"], form.initial["short_name"]
        obj.save()
        on = form.cleaned_data["renamed_on"]
        number = form.cleaned_data["rename_document"]
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        do_apply_reorganisation({
            "batch": {"code": f"rename-{obj.pk}-{stamp}", "title": f"Đổi tên {obj.code}",
                      **({"document": {"number": number}} if number else {})},
            "changes": [{"change": "rename", "unit": obj.code, "name": name, "short_name": short_name,
                         "on": on.isoformat()}],
        }, by=request.user)
        obj.refresh_from_db()


class ReadOnlyAdmin(admin.ModelAdmin):
    """The hierarchy's history is written by units.history and units.reorganisation only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnitLink)
class UnitLinkAdmin(ReadOnlyAdmin):
    list_display = ("unit", "parent", "valid_from", "valid_to", "change", "recorded_by", "recorded_at")
    raw_id_fields = ("unit", "parent")
    list_select_related = ("unit", "parent")


@admin.register(Succession)
class SuccessionAdmin(ReadOnlyAdmin):
    list_display = ("predecessor", "successor", "kind", "effective_on", "share", "primary")
    list_select_related = ("predecessor", "successor")


class ReorganisationChangeInline(admin.TabularInline):
    model = ReorganisationChange
    fields = ("position", "kind", "effective_on", "details", "reason", "document_number", "document_date")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Reorganisation)
class ReorganisationAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "document_number", "applied_at", "applied_by", "undone_at")
    inlines = [ReorganisationChangeInline]
