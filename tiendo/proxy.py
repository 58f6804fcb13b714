"""The client's address, as login throttling (django-axes) counts it.

Without a reverse proxy it is the connection's own address (REMOTE_ADDR). Behind one, every
connection comes from the proxy, and one officer's failures would count against the whole
province; so for a connection from one of TRUSTED_PROXIES (addresses or networks, and only
then) the address is the last one in X-Forwarded-For: the one that proxy itself appended.
Earlier entries are whatever the client chose to send and are never read."""

import ipaddress

from django.conf import settings


def is_trusted_proxy(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES)


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    if is_trusted_proxy(remote):
        last = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if last:
            return last
    return remote
