"""A unit renamed in the Django admin with a date is renamed as a batch renames it: the old name
is kept for the days before (UnitName), the change is recorded as a one-change batch that can be
undone; without a date the name is corrected in every year."""

from __future__ import annotations

import datetime

import pytest

from accounts.testing import login
from units.models import Reorganisation, Unit, UnitName, names_on
from units.reorganisation import do_undo_reorganisation

pytestmark = pytest.mark.django_db

NEW_NAME = "Liên đoàn Lao động khu vực Núi Sam"


@pytest.fixture
def staff(client, world):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    login(client, world.admin)
    return world.admin


def edit(client, unit: Unit, **changes):
    """POST the admin's change form of `unit` with its current values and `changes`."""
    form = client.get(f"/admin/units/unit/{unit.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["parent"] = Unit.objects.get_parent(unit).pk
    for name in ("valid_from", "valid_to"):
        if data.get(name):
            data[name] = data[name].strftime("%d/%m/%Y")
    data.update(changes)
    data = {name: value for name, value in data.items() if name in form.fields}
    return client.post(f"/admin/units/unit/{unit.pk}/change/", data)


def test_a_dated_rename_keeps_the_old_name_for_the_days_before_and_can_be_undone(client, world, staff):
    chau_doc = world.chau_doc
    old = chau_doc.name
    response = edit(client, chau_doc, name=NEW_NAME, renamed_on="01/07/2025", rename_document="12/QĐ-LĐLĐ",
                    phone="0296 3 868 868")
    assert response.status_code == 302, response.context["adminform"].form.errors
    chau_doc.refresh_from_db()
    assert (chau_doc.name, chau_doc.phone) == (NEW_NAME, "0296 3 868 868")
    assert names_on(datetime.date(2025, 6, 30))[chau_doc.pk][0] == old
    assert chau_doc.pk not in names_on(datetime.date(2025, 7, 1))
    batch = Reorganisation.objects.get()
    change = batch.changes.get()
    assert (change.kind, change.effective_on, change.document_number) == (
        "rename", datetime.date(2025, 7, 1), "12/QĐ-LĐLĐ")
    assert batch.applied_by == world.admin
    do_undo_reorganisation(batch)
    chau_doc.refresh_from_db()
    assert chau_doc.name == old and not UnitName.objects.exists()


def test_without_a_date_the_name_is_corrected_in_every_year(client, world, staff):
    response = edit(client, world.chau_doc, name=NEW_NAME)
    assert response.status_code == 302
    world.chau_doc.refresh_from_db()
    assert world.chau_doc.name == NEW_NAME
    assert not UnitName.objects.exists() and not Reorganisation.objects.exists()


def test_a_date_without_a_new_name_or_before_the_last_rename_is_refused(client, world, staff):
    response = edit(client, world.chau_doc, renamed_on="01/07/2025")
    assert response.status_code == 200
    assert "renamed_on" in response.context["adminform"].form.errors
    assert edit(client, world.chau_doc, name=NEW_NAME, renamed_on="01/07/2025").status_code == 302
    world.chau_doc.refresh_from_db()
    response = edit(client, world.chau_doc, name="Liên đoàn Lao động phường Châu Đốc", renamed_on="01/03/2025")
    assert response.status_code == 200
    assert "01/07/2025" in str(response.context["adminform"].form.errors["renamed_on"])
    world.chau_doc.refresh_from_db()
    assert world.chau_doc.name == NEW_NAME and Reorganisation.objects.count() == 1
