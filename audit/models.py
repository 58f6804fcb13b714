"""The audit trail: one row per change, written once and never changed.

The row is django-auditlog's log entry (who, when, from which address, what before → what
after) plus the path of the union the change concerns, so that the trail can be filtered
by subtree, and the actor's username, kept even if the account is later removed.
"""

from __future__ import annotations

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


class AuditEntryManager(LogEntryManager.from_queryset(AuditEntryQuerySet)):
    def log_create(self, instance, force_log: bool = False, **kwargs):
        kwargs.setdefault("unit_path", unit_path_of(instance))
        return super().log_create(instance, force_log=force_log, **kwargs)


class AuditEntry(AbstractLogEntry):
    unit_path = models.CharField(_("unit path"), max_length=255, blank=True, db_index=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)

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
        if self.actor is not None and not self.actor_name:
            self.actor_name = self.actor.get_username()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit entries cannot be deleted")
