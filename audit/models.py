"""The audit trail: one row per change, written once and never changed.

The row is django-auditlog's log entry (who, when, from which address, what before → what
after) plus the path of the union the change concerns, so that the trail can be filtered
by subtree, and the actor's username, kept even if the account is later removed.
"""

from __future__ import annotations

from contextvars import ContextVar

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """Somebody tried to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("audit entries cannot be changed")

    def delete(self):
        raise AppendOnly("audit entries cannot be deleted")


def unit_path_of(instance) -> str:
    """The path of the union a changed object belongs to ("" for province-wide objects such
    as the program). Duck-typed so that this app imports no domain app."""
    if isinstance(getattr(instance, "path", None), str) and hasattr(instance, "get_parent"):
        return instance.path
    for holder in ("unit", "report"):
        try:
            related = getattr(instance, holder, None)
        except ObjectDoesNotExist:  # deleted along with the object
            related = None
        if hasattr(related, "_meta"):  # a related row, not a field that happens to be called "unit"
            return unit_path_of(related)
    return ""


# The management command running now ("manage.py load_program (root)"), set by
# audit.commands.RecordedCommand: the actor of the changes it makes on nobody's behalf.
RUNNING_COMMAND: ContextVar[str] = ContextVar("audit_running_command", default="")


class ActorNameField(models.CharField):
    """Who acted, as the trail names them: the actor's username, else the running command.
    Filled in as the row is inserted, because auditlog's middleware names the actor in a
    pre_save signal — after AuditEntry.save() has run, before the INSERT."""

    def pre_save(self, model_instance, add):
        if add and not getattr(model_instance, self.attname):
            actor = model_instance.actor
            setattr(model_instance, self.attname, actor.get_username() if actor else RUNNING_COMMAND.get())
        return super().pre_save(model_instance, add)

    def deconstruct(self):
        # A plain CharField to migrations: altering the column would make SQLite rebuild the
        # table and drop the triggers that keep the trail append-only.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class AuditEntryManager(LogEntryManager.from_queryset(AuditEntryQuerySet)):
    def log_create(self, instance, force_log: bool = False, **kwargs):
        kwargs.setdefault("unit_path", unit_path_of(instance))
        return super().log_create(instance, force_log=force_log, **kwargs)


class AuditEntry(AbstractLogEntry):
    unit_path = models.CharField(_("unit path"), max_length=255, blank=True, db_index=True)
    actor_name = ActorNameField(_("actor"), max_length=150, blank=True)

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    @property
    def event(self) -> str:
        """The workflow step behind an update ("submitted", "approved" …), if any."""
        return (self.additional_data or {}).get("event", "")

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit entries cannot be deleted")
