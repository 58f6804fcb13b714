"""The demo logins `make run` creates, and the rule that keeps them off a real server.

Everybody who has read the README knows the demo password, so with DEBUG off (production):
the demo commands refuse to run, nobody logs in with that password (accounts.backends,
accounts.forms), and `manage.py check --deploy` fails while an account still has it
(accounts.checks)."""

from django.conf import settings
from django.core.management.base import CommandError

from accounts.models import Role

DEMO_PASSWORD = "tiendo2025"

# (username, full name, unit code or None for "the first grassroots union of the district", role)
DEMO_ACCOUNTS = [
    ("tinh", "Ban Tuyên giáo LĐLĐ tỉnh", "AG", Role.PROVINCE_ADMIN),
    ("thuongvu", "Ban Thường vụ LĐLĐ tỉnh", "AG", Role.VIEWER),
    ("longxuyen", "LĐLĐ TP Long Xuyên", "AG.883", Role.APPROVER),  # closed on 30/06/2025: read-only
    ("phuonglx", "Công đoàn phường Long Xuyên", "AG.CX.30307", Role.APPROVER),
    ("cdcs", "Công đoàn cơ sở (Long Xuyên)", None, Role.REPORTER),
]
DEMO_USERNAMES = tuple(username for username, *_ in DEMO_ACCOUNTS)


def demo_email(username: str) -> str:
    """A demo login's email address, in the .example domain reserved for examples (RFC 2606)."""
    return f"{username}@tiendo.example"


def is_refused_demo_password(password: str | None) -> bool:
    """True when this typed password is the demo one and the server is a real one (DEBUG off).
    A plain comparison of what was typed: no extra password hash on every login."""
    return not settings.DEBUG and password == DEMO_PASSWORD


def refuse_outside_debug(command: str) -> None:
    if not settings.DEBUG:
        raise CommandError(f"{command} creates accounts with the published demo password; it runs only "
                           "with DEBUG on (a development machine), never on a production server.")
