"""The audit trail, browsed and filtered by the province administrator. Read only: the
system offers no way to change an entry (and the database refuses one)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import DateField, DateTimeField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.permissions import can_browse_audit_trail, home_unit
from audit.labels import EVENTS
from audit.lists import AuditFilter, AuditTable
from audit.models import AuditEntry
from programs.models import DataElement
from tiendo.lists import configure
from units.models import Unit

ENTRIES_PER_PAGE = 50
EXPLANATION = _("explanation")
RECORD_NUMBER = _("record number")  # the primary key, whose own verbose name is "ID"
# Keys that are not a model's field, written by audit.trail.record callers.
OTHER_LABELS = {"locked_reports": _("reports locked"), "child_units": _("child units")}
ACTIONS = {AuditEntry.Action.CREATE: _("created"), AuditEntry.Action.UPDATE: _("changed"),
           AuditEntry.Action.DELETE: _("deleted"), AuditEntry.Action.ACCESS: _("viewed")}


@dataclass
class Change:
    field: str
    before: object
    after: object


def _field(model, name: str):
    try:
        field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "concrete", False) else None


def _when(value: str, field: DateField) -> str:
    """auditlog keeps a date as "2026-12-01" and a moment as "2026-12-01 13:21:15.049335"
    in UTC; the reader wants 01/12/2026 and 01/12/2026 20:21, local time."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if not isinstance(field, DateTimeField):
        return moment.strftime("%d/%m/%Y")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _shown(value, field):
    """A value as a reader wants it: a dash for nothing, Có/Không, a choice's label for its
    code, a date as dd/mm/yyyy and a moment in local time."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field is None:
        return value
    labels = dict(field.flatchoices) if field.choices else {}
    if isinstance(value, str | int) and value in labels:
        return labels[value]
    if isinstance(field, DateField) and isinstance(value, str):
        return _when(value, field)
    return value


def _change(model, name: str, pair: list, element_names: dict[str, str]) -> Change:
    code, _sep, suffix = name.partition(" · ")
    field = _field(model, name)
    if code in element_names:
        label = f"{element_names[code]} ({EXPLANATION})" if suffix else element_names[code]
    elif field is not None:
        label = str(RECORD_NUMBER if field.primary_key else field.verbose_name)
    else:
        label = str(OTHER_LABELS.get(name, name))
    return Change(label, *(_shown(value, field) for value in pair))


def _who(entry: AuditEntry) -> str:
    """The person (full name and username) or the command that made the change."""
    username = entry.actor_name or (entry.actor.get_username() if entry.actor else "")
    full_name = entry.actor.get_full_name() if entry.actor else ""
    if full_name and username:
        return f"{full_name} ({username})"
    return username or full_name or str(_("the system"))


def present(entries: list[AuditEntry]) -> list[dict]:
    """What the page shows of each entry: labels instead of codes, the unit's name."""
    codes = {name.partition(" · ")[0] for entry in entries for name in (entry.changes or {})}
    element_names = dict(DataElement.objects.filter(code__in=codes).values_list("code", "label"))
    units = {u.path: u for u in Unit.objects.filter(path__in={e.unit_path for e in entries if e.unit_path})}
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()  # None for a model since removed
        rows.append({
            "entry": entry,
            "who": _who(entry),
            "kind": str(model._meta.verbose_name).capitalize() if model else entry.content_type.model,
            "action": EVENTS.get(entry.event) or ACTIONS.get(entry.action, entry.action),
            "unit": units.get(entry.unit_path),
            "comment": (entry.additional_data or {}).get("comment", ""),
            "changes": [_change(model, name, pair, element_names)
                        for name, pair in (entry.changes or {}).items() if isinstance(pair, list) and len(pair) == 2],
        })
    return rows


@require_GET
@login_required
def trail(request: HttpRequest) -> HttpResponse:
    if not can_browse_audit_trail(request.user):
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("content_type", "actor")
    audit_filter = AuditFilter(request.GET or None, entries, user=request.user, root=home_unit(request.user))
    table = AuditTable(audit_filter.rows, present=present)
    if download := configure(request, table, ENTRIES_PER_PAGE):
        return download
    rows = table.present([row.record for row in table.page.object_list])
    return render(request, "audit/trail.html", {"filter": audit_filter, "table": table, "page": table.page,
                                                "rows": rows})
