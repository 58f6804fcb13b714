"""The published demo password on a production server (DEBUG off, as in these tests):
nobody logs in with it and `check --deploy` fails (the demo commands' refusal to run:
demo/tests/test_setup_demo.py)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from accounts.checks import check_no_demo_passwords
from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, User
from accounts.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def tinh(world):
    """The demo superuser, as `demo_accounts` leaves it."""
    user = User(username="tinh", unit=world.province, role=Role.PROVINCE_ADMIN, is_staff=True, is_superuser=True)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _login(client, username, password, path="login"):
    return client.post(reverse(path), {"username": username, "password": password}, REMOTE_ADDR="203.113.1.20")


def test_the_demo_superuser_cannot_log_in_with_debug_off(client, tinh):
    response = _login(client, "tinh", DEMO_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Không dùng được mật khẩu mẫu trên máy chủ này" in response.content.decode()


def test_nor_through_the_admins_login(client, tinh):
    response = _login(client, "tinh", DEMO_PASSWORD, path="admin:login")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_with_debug_on_the_demo_logins_work(client, tinh, settings):
    settings.DEBUG = True
    assert _login(client, "tinh", DEMO_PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(tinh.pk)


def test_other_accounts_log_in_as_before(client, world, tinh):
    assert _login(client, "reporter", PASSWORD).status_code == 302


def test_the_deploy_check_names_the_accounts_with_the_demo_password(world, tinh):
    world.admin.set_password(DEMO_PASSWORD)  # a staff account given the demo password by hand
    world.admin.is_staff = True
    world.admin.save()
    errors = check_no_demo_passwords()
    assert [e.id for e in errors] == ["accounts.E001"]
    assert "admin, tinh" in errors[0].msg
    with pytest.raises(SystemCheckError, match="accounts.E001"):
        call_command("check", "--tag", "security", deploy=True, fail_level="ERROR", stdout=StringIO(),
                     stderr=StringIO())


def test_the_deploy_check_passes_once_the_password_is_changed_or_the_account_closed(world, tinh):
    tinh.set_password("Mat-khau-that-2026!")
    tinh.save()
    assert check_no_demo_passwords() == []
    tinh.set_password(DEMO_PASSWORD)
    tinh.is_active = False
    tinh.save()
    assert check_no_demo_passwords() == []
    call_command("check", "--tag", "security", deploy=True, fail_level="ERROR", stdout=StringIO(), stderr=StringIO())


def test_check_deploy_fails_on_a_production_database_that_holds_the_demo_accounts(tmp_path):
    """The whole way, as an operator runs it: a migrated database, the demo superuser in it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from accounts.testing import PRODUCTION

    root = Path(__file__).resolve().parents[2]
    env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **PRODUCTION,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}"}

    def manage(*arguments):
        return subprocess.run([sys.executable, "manage.py", *arguments], cwd=root, env=env, capture_output=True,
                              text=True, timeout=600)

    assert manage("migrate", "-v0").returncode == 0
    created = manage("shell", "-c", "from accounts.models import User; "
                     f"User.objects.create_superuser('tinh', password='{DEMO_PASSWORD}')")
    assert created.returncode == 0, created.stderr
    result = manage("check", "--deploy")
    assert result.returncode != 0
    assert "accounts.E001" in result.stderr + result.stdout and "tinh" in result.stderr + result.stdout
