"""Every audit entry written while an API request runs names the token it came with.

reporting.actions and the other write paths record their steps through audit.trail as for the
pages; the API only adds, to each of those entries, which token (its name and first characters)
made the change, through a pre_save receiver of the entry (audit.trail's bulk record_each sends
the same signal for its template row)."""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.db.models.signals import pre_save
from django.dispatch import receiver

from audit.models import AuditEntry

_current_token: ContextVar = ContextVar("api_token", default=None)


@contextlib.contextmanager
def writes_by(token):
    """Within the block, every audit entry names `token` (None: a session, nothing added but "via api")."""
    marker = _current_token.set(token or "session")
    try:
        yield
    finally:
        _current_token.reset(marker)


def token_label(token) -> str:
    return f"{token.name} ({token.prefix}…)"


@receiver(pre_save, sender=AuditEntry, dispatch_uid="api-token-names-entry")
def _name_the_token(sender, instance, **kwargs):
    token = _current_token.get()
    if token is None or instance.pk is not None:
        return
    data = dict(instance.additional_data or {})
    data["via"] = "api"
    if token != "session":
        data["api_token"] = token_label(token)
        data["api_token_id"] = token.pk
    instance.additional_data = data
