"""The profile page: the user's own name and email; their unit's contact, changed only by the
unit's own officers, recorded in the audit trail under their name, and never silently
overwritten by a second officer who opened the page before the first saved."""

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from accounts.actions import StaleContact, contact_version, do_update_unit_contact
from accounts.models import Role
from accounts.testing import login
from audit.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
VERSION = re.compile(r'name="version" value="([0-9a-f]{64})"')


def contact_form(client) -> dict:
    """The unit's contact form as the profile page gives it."""
    page = client.get(reverse("profile")).content.decode()
    return {"version": VERSION.search(page).group(1)}


def save_contact(client, form, **values):
    return client.post(reverse("profile_unit_contact"), {**form, **values})


CONTACT = {"contact_name": "Trần Thị Mai", "phone": "0296 3841 234", "email": "cdcs.mybinh@example.vn"}


def test_the_page_shows_role_and_unit_read_only_and_saves_name_and_email(client, world):
    login(client, world.reporter)
    page = client.get(reverse("profile")).content.decode()
    assert "Người báo cáo" in page and world.school.name in page
    assert 'name="role"' not in page and 'name="unit"' not in page
    response = client.post(reverse("profile"), {"full_name": "Nguyễn Văn An", "email": "An.Nguyen@Example.vn"})
    assert response.status_code == 302
    world.reporter.refresh_from_db()
    assert (world.reporter.get_full_name(), world.reporter.email) == ("Nguyễn Văn An", "an.nguyen@example.vn")


def test_an_email_address_of_another_account_is_refused(client, world):
    world.approver.email = "chung@example.vn"
    world.approver.save()
    login(client, world.reporter)
    response = client.post(reverse("profile"), {"full_name": "An", "email": "CHUNG@example.vn"})
    assert response.status_code == 400
    assert "Đã có tài khoản khác dùng địa chỉ email này" in response.content.decode()
    world.reporter.refresh_from_db()
    assert world.reporter.email == ""


def test_the_officer_saves_the_contact_and_the_audit_trail_names_them(client, world):
    login(client, world.reporter)
    response = save_contact(client, contact_form(client), **CONTACT)
    assert response.status_code == 302
    world.school.refresh_from_db()
    assert (world.school.contact_name, world.school.phone, world.school.email) == tuple(CONTACT.values())
    entry = AuditEntry.objects.get_for_object(world.school).first()
    assert entry.actor == world.reporter and entry.actor_name == "reporter"
    assert entry.changes_dict["contact_name"] == ["", "Trần Thị Mai"]
    assert entry.changes_dict["phone"] == ["", "0296 3841 234"]
    assert entry.changes_dict["email"] == ["", "cdcs.mybinh@example.vn"]


def test_a_second_officer_who_opened_the_page_before_the_first_saved_is_refused(client, world):
    colleague = UserFactory(username="colleague", unit=world.school, role=Role.REPORTER, first_name="Lê Văn Bình")
    other = client.__class__()
    login(client, world.reporter)
    login(other, colleague)
    first_form, second_form = contact_form(client), contact_form(other)  # both open the page

    assert save_contact(client, first_form, **CONTACT).status_code == 302
    refused = save_contact(other, second_form, contact_name="Phạm Văn Cường", phone="0911 222 333", email="")
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "đã thay đổi thông tin liên hệ của đơn vị" in page and "reporter" in page
    assert "Trần Thị Mai" in page and "Phạm Văn Cường" in page  # theirs shown, yours kept in the form
    world.school.refresh_from_db()
    assert world.school.contact_name == "Trần Thị Mai"  # not silently overwritten

    # Saving again from the refused page (now at the stored version) replaces theirs, knowingly.
    again = save_contact(other, {"version": VERSION.search(page).group(1)}, contact_name="Phạm Văn Cường",
                         phone="0911 222 333", email="")
    assert again.status_code == 302
    world.school.refresh_from_db()
    assert world.school.contact_name == "Phạm Văn Cường"


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_let_one_through(world):
    """Two threads, each with its own connection, save over the same version at once: the row lock
    makes the second compare against the first's save, so exactly one is refused."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite: transactions here take the write lock as they begin, so they cannot overlap")
    seen = contact_version(world.school)
    barrier, outcomes = threading.Barrier(2), []

    def save(name):
        try:
            barrier.wait()
            do_update_unit_contact(world.school, {**CONTACT, "contact_name": name}, seen)
            outcomes.append("saved")
        except StaleContact:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in ("Một", "Hai")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]


def test_a_phone_that_is_not_one_is_refused(client, world):
    login(client, world.reporter)
    response = save_contact(client, contact_form(client), contact_name="", phone="gọi tôi", email="")
    assert response.status_code == 400
    world.school.refresh_from_db()
    assert world.school.phone == ""


@pytest.mark.parametrize("who", ["viewer", "sector_viewer"])
def test_a_viewer_sees_the_contact_but_cannot_change_it(client, world, who):
    user = getattr(world, who)
    user.unit.contact_name = "Võ Thị Hoa"
    user.unit.save()
    login(client, user)
    page = client.get(reverse("profile")).content.decode()
    assert "Võ Thị Hoa" in page and f'action="{reverse("profile_unit_contact")}"' not in page
    assert save_contact(client, {"version": contact_version(user.unit)}, **CONTACT).status_code == 403
    user.unit.refresh_from_db()
    assert user.unit.contact_name == "Võ Thị Hoa"
