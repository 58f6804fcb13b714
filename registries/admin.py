from django.contrib import admin

from registries.models import CollectiveAgreement, Initiative, LabourDispute, UnionHome


class RecordAdmin(admin.ModelAdmin):
    raw_id_fields = ["unit"]
    search_fields = ["unit__code", "unit__name"]
    readonly_fields = ["recorded_by", "recorded_at", "updated_at"]


@admin.register(CollectiveAgreement)
class CollectiveAgreementAdmin(RecordAdmin):
    list_display = ["unit", "signed_on", "expires_on", "workers_covered", "quality_class", "classed_year",
                    "more_favourable"]
    list_filter = ["quality_class", "more_favourable"]


@admin.register(UnionHome)
class UnionHomeAdmin(RecordAdmin):
    list_display = ["beneficiary", "unit", "work", "cost", "union_support", "handed_over_on"]
    list_filter = ["work"]
    search_fields = [*RecordAdmin.search_fields, "beneficiary"]


@admin.register(Initiative)
class InitiativeAdmin(RecordAdmin):
    list_display = ["title", "unit", "field", "level", "year", "value"]
    list_filter = ["field", "level", "year"]
    search_fields = [*RecordAdmin.search_fields, "title", "authors"]


@admin.register(LabourDispute)
class LabourDisputeAdmin(RecordAdmin):
    list_display = ["enterprise", "unit", "kind", "started_on", "workers_involved", "union_took_part"]
    list_filter = ["kind", "union_took_part"]
    search_fields = [*RecordAdmin.search_fields, "enterprise"]
