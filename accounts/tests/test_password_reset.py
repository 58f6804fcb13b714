"""Changing one's password, and resetting a forgotten one by email: the mail in Vietnamese with a
link that works once, the same answer whether an account has the address or not, and the
throttle per address and per email address."""

import datetime
import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import PasswordResetRequest
from accounts.testing import PASSWORD, login

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Mua-lua-2026-chin"
LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/[^/\s]+/[^/\s]+/)")


def ask_reset(client, email, address="203.113.1.20"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def test_the_reset_mail_is_vietnamese_and_its_link_sets_a_new_password(client, world):
    world.reporter.email = "lan.nguyen@example.vn"
    world.reporter.save()
    response = ask_reset(client, "Lan.Nguyen@example.vn")
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lan.nguyen@example.vn"]
    assert "mật khẩu mới" in message.subject
    assert "Xin chào" in message.body and "reporter" in message.body

    page = client.get(link_in(message))  # Django moves the token out of the address, into the session
    assert page.status_code == 302
    form = client.get(page["Location"])
    assert form.status_code == 200 and "Chọn mật khẩu mới" in form.content.decode()
    done = client.post(page["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    world.reporter.refresh_from_db()
    assert world.reporter.check_password(NEW_PASSWORD)

    # The link works once.
    again = client.get(link_in(message), follow=True)
    assert "không còn dùng được" in again.content.decode()


def test_the_answer_is_the_same_whether_an_account_has_the_address_or_not(client, world):
    world.reporter.email = "lan.nguyen@example.vn"
    world.reporter.save()
    known = ask_reset(client, "lan.nguyen@example.vn")
    unknown = ask_reset(client, "nobody@example.vn")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["lan.nguyen@example.vn"]]


def test_an_account_that_never_had_a_password_can_ask_for_one(client, world):
    """A new account from a spreadsheet has no usable password; when its first link has
    expired, "forgot your password" sends another (Django's own form would not)."""
    world.reporter.email = "moi@example.vn"
    world.reporter.set_unusable_password()
    world.reporter.save()
    ask_reset(client, "moi@example.vn")
    assert [m.to for m in mail.outbox] == [["moi@example.vn"]]


@override_settings(PASSWORD_RESETS_PER_EMAIL_HOUR=3)
def test_an_email_address_gets_at_most_three_mails_an_hour_and_the_same_answer(client, world):
    world.reporter.email = "lan.nguyen@example.vn"
    world.reporter.save()
    answers = [ask_reset(client, "lan.nguyen@example.vn", address=f"203.113.1.{n}") for n in range(5)]
    assert len(mail.outbox) == 3
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, reverse("password_reset_done"))}


@override_settings(PASSWORD_RESETS_PER_ADDRESS_HOUR=4)
def test_an_address_asking_too_often_is_paused(client, world):
    for n in range(4):
        assert ask_reset(client, f"someone{n}@example.vn").status_code == 302
    paused = ask_reset(client, "someone-else@example.vn")
    assert paused.status_code == 429
    assert "địa chỉ mạng này" in paused.content.decode()
    assert ask_reset(client, "someone-else@example.vn", address="198.51.100.7").status_code == 302  # another address


def test_requests_older_than_the_hour_are_forgotten(client, world):
    ask_reset(client, "someone@example.vn")
    PasswordResetRequest.objects.update(requested_at=timezone.now() - datetime.timedelta(hours=2))
    ask_reset(client, "someone@example.vn")
    assert PasswordResetRequest.objects.count() == 1


def test_a_logged_in_user_changes_their_password(client, world):
    login(client, world.reporter)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "Đổi mật khẩu" in page.content.decode()
    wrong = client.post(reverse("password_change"), {"old_password": "wrong", "new_password1": NEW_PASSWORD,
                                                     "new_password2": NEW_PASSWORD})
    assert wrong.status_code == 200
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                        "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    world.reporter.refresh_from_db()
    assert world.reporter.check_password(NEW_PASSWORD)
    assert client.get(reverse("profile")).status_code == 200  # still logged in


@override_settings(DEBUG=False)
def test_the_demo_password_cannot_be_chosen_on_a_real_server(client, world):
    login(client, world.reporter)
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": DEMO_PASSWORD,
                                                        "new_password2": DEMO_PASSWORD})
    assert response.status_code == 200
    assert "mật khẩu mẫu" in response.content.decode()
    world.reporter.refresh_from_db()
    assert world.reporter.check_password(PASSWORD)


def test_the_login_page_links_to_the_reset(client, world):
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in page and "Quên mật khẩu?" in page


def test_a_new_password_lifts_the_login_lockout(client, world):
    world.reporter.email = "lan.nguyen@example.vn"
    world.reporter.save()
    for _ in range(5):
        client.post(reverse("login"), {"username": "reporter", "password": "wrong"}, REMOTE_ADDR="203.113.1.20")
    assert client.post(reverse("login"), {"username": "reporter", "password": PASSWORD},
                       REMOTE_ADDR="203.113.1.20").status_code == 429
    ask_reset(client, "lan.nguyen@example.vn")
    step = client.get(link_in(mail.outbox[0]))
    client.post(step["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    logged_in = client.post(reverse("login"), {"username": "reporter", "password": NEW_PASSWORD},
                            REMOTE_ADDR="203.113.1.20")
    assert logged_in.status_code == 302 and client.session["_auth_user_id"] == str(world.reporter.pk)
