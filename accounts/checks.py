"""`manage.py check --deploy`: a production server must not keep an account with the demo password."""

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connection
from django.db.models import Q

from accounts.demo import DEMO_PASSWORD, DEMO_USERNAMES


@register(Tags.security, deploy=True)
def check_no_demo_passwords(app_configs=None, **kwargs):
    """Active accounts whose password is still the demo one, when DEBUG is off.

    Checked: the demo logins' usernames and every staff or superuser account. Not every account:
    each check is a full password hash (0.3 s), and a province has thousands of officers; the
    login refuses the demo password for any account anyway (accounts.backends)."""
    if settings.DEBUG:
        return []
    from accounts.models import User

    try:
        if User._meta.db_table not in connection.introspection.table_names():
            return []  # not migrated yet: no account at all
        suspects = User.objects.filter(is_active=True).filter(
            Q(username__in=DEMO_USERNAMES) | Q(is_staff=True) | Q(is_superuser=True))
        found = sorted(user.username for user in suspects.only("username", "password")
                       if check_password(DEMO_PASSWORD, user.password))
    except DatabaseError as error:
        return [Warning(f"Could not look for accounts with the demo password: {error}", id="accounts.W001")]
    if not found:
        return []
    return [Error(
        f"{len(found)} active account(s) still have the published demo password: {', '.join(found)}.",
        hint="Deactivate them or set real passwords (manage.py changepassword USERNAME); the demo data "
             "(manage.py setup_demo) does not belong on a production server.",
        id="accounts.E001",
    )]
