"""Recording changes that no model signal sees (bulk writes, workflow steps)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from audit.models import AuditEntry, unit_path_of

CREATE, UPDATE, DELETE = AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE, AuditEntry.Action.DELETE


def _details(event: str, details: dict) -> dict | None:
    kept = {key: value for key, value in {"event": event, **details}.items() if value not in ("", None)}
    return kept or None


def record(instance, changes: dict, *, actor=None, event: str = "", action=UPDATE, **details) -> AuditEntry:
    """One entry for `instance`: `changes` maps a field (or a data element's code) to
    [before, after]; `event` names the workflow step (submitted, approved …); `details`
    (a comment, a file name) are kept beside."""
    return AuditEntry.objects.log_create(
        instance, force_log=True, action=action, changes=changes, actor=actor,
        additional_data=_details(event, details),
    )


def unsaved(instance, changes: dict, *, at, actor=None, event: str = "", action=UPDATE, **details) -> AuditEntry:
    """The entry `record` would write, at a given moment, for bulk insertion (demo data
    and other generated history)."""
    return AuditEntry(
        content_type=ContentType.objects.get_for_model(instance), object_pk=str(instance.pk), object_id=instance.pk,
        object_repr=str(instance), action=action, changes=changes, timestamp=at, actor=actor,
        unit_path=unit_path_of(instance),
        additional_data=_details(event, details),
    )
