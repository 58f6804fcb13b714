"""A report's steps are recorded once, in the audit trail (reporting.history reads them).

Before ReportEvent goes, every event the audit trail does not hold is written there as the
entry reporting.actions now writes: the lockings at closing (the trail held one entry for the
whole period, none per report), and any other event without its entry. An event has its entry
when the trail holds an entry of the same report, step and actor; they are paired in time
order, so a report saved three times with two entries gets one entry more. Entries are only
added: the trail is append-only. Report.updated_by goes too: who changed a report last is its
latest step's actor.
"""

from collections import Counter

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext

CHUNK = 2000
UPDATE = 1  # auditlog's LogEntry.Action.UPDATE


def _period_label(period) -> str:
    """Period.label, which a migration's model does not have."""
    if period.kind == "half":
        text = gettext("first six months of %(year)s") if period.half == 1 else gettext("last six months of %(year)s")
    else:
        text = gettext("year %(year)s")
    return text % {"year": period.year}


def _entry(AuditEntry, report_type, event):
    report = event.report
    if event.action in ("saved", "imported"):
        changes = {change["element"]: [change["before"], change["after"]] for change in event.changes}
    else:
        changes = {"status": [event.from_status, event.to_status]}
    details = {"event": event.action, "comment": event.comment, "on_behalf": event.on_behalf or None,
               "copied_from_report_events": True}
    return AuditEntry(
        content_type_id=report_type.pk, object_pk=str(report.pk), object_id=report.pk,
        object_repr=f"{report.unit.name} · {_period_label(report.period)}", action=UPDATE, changes=changes,
        timestamp=event.at, actor_id=event.by_id, actor_name=event.by.username if event.by else "",
        unit_path=report.unit.path,
        additional_data={key: value for key, value in details.items() if value not in ("", None)},
    )


def copy_missing_events(apps, schema_editor):
    ReportEvent = apps.get_model("reporting", "ReportEvent")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ReportEvent.objects.exists():
        return
    report_type, _ = ContentType.objects.get_or_create(app_label="reporting", model="report")
    report_ids = list(ReportEvent.objects.order_by("report_id").values_list("report_id", flat=True).distinct())
    with translation.override(settings.LANGUAGE_CODE):
        for start in range(0, len(report_ids), CHUNK):
            chunk = report_ids[start:start + CHUNK]
            recorded = Counter(
                (object_id, (details or {}).get("event"), actor_id)
                for object_id, details, actor_id in AuditEntry.objects.filter(
                    content_type_id=report_type.pk, object_id__in=chunk).values_list(
                    "object_id", "additional_data", "actor_id"))
            missing = []
            events = ReportEvent.objects.filter(report_id__in=chunk).select_related(
                "report__unit", "report__period", "by").order_by("at", "id")
            for event in events:
                key = (event.report_id, event.action, event.by_id)
                if recorded[key]:
                    recorded[key] -= 1
                else:
                    missing.append(_entry(AuditEntry, report_type, event))
            AuditEntry.objects.bulk_create(missing, batch_size=CHUNK)


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0005_verbose_names"),
        ("audit", "0002_append_only"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # Nothing to undo backwards: the copied entries are the record (the trail is append-only).
        migrations.RunPython(copy_missing_events, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="report",
            name="updated_by",
        ),
        migrations.DeleteModel(
            name="ReportEvent",
        ),
    ]
