"""Password spraying: one address trying a password or two on each of many accounts. django-axes
alone only counted account + address pairs, so 25 usernames from one address were never paused.
Officers behind one carrier's shared address, with their everyday typos, must not be paused."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from accounts.testing import PASSWORD

pytestmark = pytest.mark.django_db
CARRIER = "203.113.1.10"  # one mobile carrier's shared public address


def attempt(client, username, password, address=CARRIER, **headers):
    client.logout()
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address,
                       **headers)


@pytest.fixture
def officers(world):
    """Forty grassroots officers, all reaching the server through the same carrier address."""
    users = [User(username=f"cdcs{n:03}", unit=world.school, role=Role.REPORTER) for n in range(40)]
    for user in users:
        user.set_password(PASSWORD)
    User.objects.bulk_create(users)
    return users


def test_twenty_five_usernames_from_one_address_are_paused(client, world, settings):
    settings.LOGIN_ADDRESS_USERNAME_LIMIT = 15
    answers = [attempt(client, f"guess{n}", "Matkhau@123").status_code for n in range(25)]
    assert answers[:14] == [200] * 14  # the form again, with its error
    assert answers[14:] == [429] * 11
    # Now every account is paused from that address, even with its right password …
    locked = attempt(client, "reporter", PASSWORD)
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    assert "nhiều tài khoản khác nhau từ địa chỉ mạng này" in locked.content.decode()
    # … but not from another address.
    assert attempt(client, "reporter", PASSWORD, address="203.113.9.9").status_code == 302


def test_the_pause_ends_with_the_cool_off(client, world, settings):
    for n in range(settings.LOGIN_ADDRESS_USERNAME_LIMIT):
        attempt(client, f"guess{n}", "wrong")
    assert attempt(client, "reporter", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME
                                 - datetime.timedelta(seconds=1))
    assert attempt(client, "reporter", PASSWORD).status_code == 302


def test_forty_officers_behind_one_address_with_their_typos_are_not_paused(client, officers):
    # Every officer logs in; one in three first mistypes (twice for some), then gets it right.
    for n, officer in enumerate(officers):
        for _ in range(n % 3):
            assert attempt(client, officer.username, PASSWORD.upper()).status_code == 200
        assert attempt(client, officer.username, PASSWORD).status_code == 302, officer.username
    # A few who give up (forgotten password) still leave the address open to the others.
    for officer in officers[:5]:
        attempt(client, officer.username, "quen-mat-khau")
    assert attempt(client, officers[-1].username, PASSWORD).status_code == 302


def test_a_changed_browser_signature_does_not_escape_the_count(client, world, settings):
    for n in range(settings.LOGIN_ADDRESS_USERNAME_LIMIT):
        attempt(client, f"guess{n}", "wrong", HTTP_USER_AGENT=f"agent-{n}")
    assert attempt(client, "reporter", PASSWORD, HTTP_USER_AGENT="fresh").status_code == 429


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_appended(client, world, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    for n in range(settings.LOGIN_ADDRESS_USERNAME_LIMIT):
        # The sprayer forges a first entry; only the proxy's own (last) entry counts.
        attempt(client, f"guess{n}", "wrong", address="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 198.51.100.7")
    assert attempt(client, "reporter", PASSWORD, address="10.0.0.2",
                   HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    # An officer behind the same proxy, from elsewhere, is not paused.
    assert attempt(client, "reporter", PASSWORD, address="10.0.0.2",
                   HTTP_X_FORWARDED_FOR="203.113.1.50").status_code == 302


def test_a_header_from_an_untrusted_client_is_ignored(client, world, settings):
    for n in range(settings.LOGIN_ADDRESS_USERNAME_LIMIT):
        attempt(client, f"guess{n}", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert attempt(client, "reporter", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.200").status_code == 429
