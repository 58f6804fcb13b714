"""Recording changes that no model signal sees (bulk writes, workflow steps)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from auditlog.cid import get_cid
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Expression, F, GenericIPAddressField, QuerySet, Value
from django.db.models.functions import Cast
from django.db.models.signals import pre_save
from django.utils import timezone

from audit.models import AuditEntry, unit_path_of
from audit.registration import followed_fields
from tiendo.bulk import insert_rows

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


# The columns record_each takes from each row; every other column is the same for all rows.
PER_ROW = ("object_pk", "object_id", "object_repr", "unit_path")


def record_each(rows: QuerySet, changes: dict, *, object_repr: Expression, unit_path: Expression, actor=None,
                event: str = "", action=UPDATE, **details) -> int:
    """One entry per row of `rows`, all saying the same (`changes`, `event`, `details`), written
    by one INSERT … SELECT: the step that changes thousands of rows at once (locking a period's
    reports) leaves each row its own entry, in a time that does not grow with Python work per
    row. `object_repr` and `unit_path` are expressions over the rows (what str() and
    unit_path_of would give). Returns how many entries were written."""
    template = AuditEntry(content_type=ContentType.objects.get_for_model(rows.model), action=action,
                          changes=changes, actor=actor, timestamp=timezone.now(), cid=get_cid(),
                          additional_data=_details(event, details))
    # What a single save() gets from auditlog's middleware (the request's address and user)
    # comes from a pre_save receiver, which a bulk insert does not call.
    pre_save.send(sender=AuditEntry, instance=template, raw=False, using=AuditEntry.objects.db, update_fields=None)
    columns = {"object_pk": Cast("pk", CharField()), "object_id": F("pk"), "object_repr": object_repr,
               "unit_path": unit_path}
    for field in AuditEntry._meta.concrete_fields:
        value = field.pre_save(template, add=True)  # fills in actor_name
        if field.primary_key or field.name in PER_ROW or value is None:
            continue
        constant = Value(value, output_field=field)
        # PostgreSQL types a constant of a SELECT list as text, which an inet column refuses.
        columns[field.column] = Cast(constant, field) if isinstance(field, GenericIPAddressField) else constant
    aliases = {f"audit_{column}": expression for column, expression in columns.items()}
    select = rows.order_by().values(**aliases)
    sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(alias.removeprefix("audit_")) for alias in select.query.annotation_select)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({names}) {sql}", params)
        return cursor.rowcount


def _shown(value):
    """A value as auditlog writes it in `changes`: dates and moments as text (a moment in UTC,
    without its offset), the rest as is."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.make_naive(value, datetime.UTC)
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    return value


def _created_changes(instance, fields) -> dict:
    """What auditlog writes for a creation, read off the instance: every followed field with a
    value, a related row by its name when the instance holds it (no query), else by its id."""
    changes = {}
    for field in fields:
        if field.is_relation:
            value = field.get_cached_value(instance, None) if field.is_cached(instance) else None
            value = str(value) if value is not None else getattr(instance, field.attname)
        else:
            value = _shown(getattr(instance, field.attname))
        if value is not None:
            changes[field.name] = [None, value]
    return changes


def record_many(entries, *, actor=None) -> int:
    """Many entries written by one bulk INSERT, for rows written in bulk that auditlog's model
    signals do not see: `entries` are (instance, action "create", "update" or "delete", changes,
    unit_path, object_repr — str(instance) when the change was made), changes mapping a field to
    (before, after), or None for a creation or a deletion (every followed field as it was written
    or as it was before deleting; see registration.followed_fields). No per-object diff and no query per entry.
    Returns how many entries were written."""
    if not entries:
        return 0
    template = AuditEntry(actor=actor, timestamp=timezone.now(), cid=get_cid())
    pre_save.send(sender=AuditEntry, instance=template, raw=False, using=AuditEntry.objects.db, update_fields=None)
    AuditEntry._meta.get_field("actor_name").pre_save(template, add=True)  # once, not a query per row
    shared = {field.attname: getattr(template, field.attname) for field in AuditEntry._meta.concrete_fields
              if field.attname in ("actor_email", "remote_addr", "remote_port", "timestamp", "cid", "actor_name")}
    shared["actor"] = template.actor
    actions = {"create": CREATE, "update": UPDATE, "delete": DELETE}
    rows = []
    for instance, action, changes, unit_path, shown in entries:
        model = type(instance)
        if changes is None:
            changes = _created_changes(instance, followed_fields(model))
            if action == "delete":
                changes = {name: [value, None] for name, (_none, value) in changes.items()}
        else:
            changes = {name: [_shown(before), _shown(after)] for name, (before, after) in changes.items()}
        rows.append(AuditEntry(content_type=ContentType.objects.get_for_model(model), object_pk=str(instance.pk),
                               object_id=instance.pk, object_repr=shown, action=actions[action],
                               changes=changes, unit_path=unit_path, **shared))
    AuditEntry.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def record_all(items, *, actor=None, action=UPDATE) -> list[AuditEntry]:
    """One entry per item, as `record` would write each, in a few multi-row INSERTs (the entries
    returned are not given their ids): the import of a
    spreadsheet of thousands of rows leaves each report its own entries without one INSERT per
    entry. `items` are (instance, changes, event, details) with details a dict (a comment,
    on_behalf). What a single save() gets from auditlog's middleware (the request's address
    and user) comes from the pre_save receiver, sent here for each entry as save() would."""
    at = timezone.now()
    entries = [unsaved(instance, changes, at=at, actor=actor, event=event, action=action, **details)
               for instance, changes, event, details in items]
    for entry in entries:
        pre_save.send(sender=AuditEntry, instance=entry, raw=False, using=AuditEntry.objects.db, update_fields=None)
    if not entries:
        return entries
    # A few multi-row INSERTs, whatever the number of entries (bulk_create splits SQLite's into
    # batches of 999 parameters: 58 entries each), each value prepared by its field as a save
    # prepares it (the actor's name filled in, JSON encoded, the time adapted).
    fields = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]
    insert_rows(AuditEntry._meta.db_table, [field.column for field in fields],
                [[field.get_db_prep_save(field.pre_save(entry, add=True), connection) for field in fields]
                 for entry in entries])
    return entries
