from django.contrib import admin

from exports.models import Narrative


@admin.register(Narrative)
class NarrativeAdmin(admin.ModelAdmin):
    list_display = ("unit", "kind", "year", "number", "issued_on", "updated_at", "updated_by")
    list_filter = ("kind", "year")
    search_fields = ("unit__name", "unit__code")
    raw_id_fields = ("unit",)
    readonly_fields = ("updated_at", "updated_by")
