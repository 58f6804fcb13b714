"""The program is edited in its data file and loaded with `load_program`; the admin shows it
read-only so that nobody changes a target behind the file's back. Task notes are editable."""

from django.contrib import admin

from programs.models import DataElement, Program, ProgramRevision, Target, Task, TaskProgress


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Program)
class ProgramAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "term_start", "term_end", "loaded_at")


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ("code", "short_label", "comparison", "value", "unit", "period", "section")
    list_filter = ("program", "period", "unit")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("code", "section", "department", "deadline")
    list_filter = ("program", "department")


@admin.register(DataElement)
class DataElementAdmin(ReadOnlyAdmin):
    list_display = ("code", "label", "type", "aggregation")
    list_filter = ("programs", "type")


@admin.register(ProgramRevision)
class ProgramRevisionAdmin(ReadOnlyAdmin):
    list_display = ("program", "loaded_at", "loaded_by", "source_sha256")


@admin.register(TaskProgress)
class TaskProgressAdmin(admin.ModelAdmin):
    list_display = ("task", "status", "on_date", "department", "recorded_by")
    list_filter = ("status", "department")
    raw_id_fields = ("task", "recorded_by")
