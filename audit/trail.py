"""Recording changes that no model signal sees (bulk writes, workflow steps)."""

from __future__ import annotations

from auditlog.cid import get_cid
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save
from django.utils import timezone

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
        unit_path=unit_path_of(instance), cid=get_cid(),
        additional_data=_details(event, details),
    )


def record_many(instances, changes: dict, *, actor=None, event: str = "", action=UPDATE, batch_size: int = 2000,
                **details) -> list[AuditEntry]:
    """One entry per instance, all saying the same (`changes`, `event`, `details`), inserted in
    bulk: the step that changes thousands of rows at once (locking a period's reports) leaves
    each its own entry without one INSERT per row. Load what `str()` and the unit path need
    along with the instances."""
    at = timezone.now()
    entries = [unsaved(instance, changes, at=at, actor=actor, event=event, action=action, **details)
               for instance in instances]
    for entry in entries:
        # What a single save() gets from auditlog's middleware (the request's address and
        # user) it gets in a pre_save receiver, which bulk_create does not call.
        pre_save.send(sender=AuditEntry, instance=entry, raw=False, using=AuditEntry.objects.db, update_fields=None)
    return AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
