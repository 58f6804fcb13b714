"""Project-wide refusals that a middleware raises and an error page names: their one home, below
both (tiendo.middleware refuses, tiendo.views says why)."""

from django.core.exceptions import SuspiciousOperation


class ControlCharacterInRequest(SuspiciousOperation):
    """An address or query value with a control character: answered 400 (tiendo.views.bad_request)."""
