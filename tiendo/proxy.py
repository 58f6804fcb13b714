"""The client's address, as login throttling (django-axes) counts it.

Without a reverse proxy it is the connection's own address (REMOTE_ADDR). Behind one, every
connection comes from the proxy, and one officer's failures would count against the whole
province; so for a connection from one of TRUSTED_PROXIES (and only then) the address is the
last one in X-Forwarded-For: the one that proxy itself appended. Earlier entries are whatever
the client chose to send and are never read."""

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    if remote in settings.TRUSTED_PROXIES:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return remote
