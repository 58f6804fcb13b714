"""Making, finding and revoking personal tokens (api.models.ApiToken)."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.utils import timezone

from api.models import PREFIX_LENGTH, ApiToken, digest_of
from audit import trail

SCHEME = "Bearer"
# A token's secret: "td_" and 40 URL-safe characters (240 random bits).
SECRET_BYTES = 30


def create_token(user, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for `user` and its secret, the only time the secret exists in clear."""
    secret = "td_" + secrets.token_urlsafe(SECRET_BYTES)
    days = days or settings.API_TOKEN_DAYS
    token = ApiToken.objects.create(user=user, name=name.strip() or "API", prefix=secret[:PREFIX_LENGTH],
                                    digest=digest_of(secret),
                                    expires_at=timezone.now() + datetime.timedelta(days=days))
    trail.record(token, {"expires_at": [None, token.expires_at.isoformat()]}, actor=user, event="token created",
                 action=trail.CREATE)
    return token, secret


def revoke_token(token: ApiToken, by) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    trail.record(token, {"revoked_at": [None, token.revoked_at.isoformat()]}, actor=by, event="token revoked")


# How often last_used_at is written: not on every request of a busy client.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_for(secret: str) -> ApiToken | None:
    """The usable token with this secret (None for an unknown, revoked or expired one); notes its use."""
    token = ApiToken.objects.usable().select_related("user", "user__unit").filter(digest=digest_of(secret)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
