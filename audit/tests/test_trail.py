"""The audit trail: every change is recorded with who, when, before and after; the
province administrator browses and filters it; nobody can rewrite it."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from accounts.models import Role, User
from accounts.testing import login
from audit import trail
from audit.models import AppendOnly, AuditEntry
from reporting.actions import do_approve, do_close_period, do_return, do_save_values, do_submit, get_or_create_report
from reporting.models import Report
from reporting.testing import GOOD_GRASSROOTS
from units.actions import do_move_unit

pytestmark = pytest.mark.django_db


def entries_for(instance):
    return AuditEntry.objects.filter(object_pk=str(instance.pk), content_type__model=instance._meta.model_name)


def test_saving_values_records_each_value_before_and_after_and_its_explanation(world, period):
    report = get_or_create_report(period, world.school)
    do_save_values(report, {"workers": 40, "members": 38}, {}, by=world.reporter, expected_version=0)
    do_save_values(report, {"workers": 42, "members": 38}, {"workers": "Tuyển thêm 2 giáo viên"},
                   by=world.reporter, expected_version=1)

    first, second = entries_for(report).order_by("id")
    assert first.actor == world.reporter and first.actor_name == "reporter"
    assert first.changes == {"workers": [None, 40], "members": [None, 38]}
    assert second.changes == {"workers": [40, 42], "workers · comment": ["", "Tuyển thêm 2 giáo viên"]}
    assert second.event == "saved"
    assert second.unit_path == world.school.path
    assert second.timestamp >= first.timestamp


def test_each_workflow_step_is_recorded_with_its_comment(world, period):
    report = get_or_create_report(period, world.school)
    do_save_values(report, GOOD_GRASSROOTS, {}, by=world.reporter, expected_version=0)
    do_submit(report, by=world.reporter, expected_version=1)
    do_return(report, by=world.approver, expected_version=2, comment="Kiểm tra lại số đoàn viên")
    do_submit(report, by=world.reporter, expected_version=3)
    do_approve(report, by=world.approver, expected_version=4)

    steps = [(e.event, e.actor_name, e.changes["status"]) for e in entries_for(report).order_by("id")[1:]]
    assert steps == [
        ("submitted", "reporter", ["draft", "submitted"]),
        ("returned", "approver", ["submitted", "returned"]),
        ("submitted", "reporter", ["returned", "submitted"]),
        ("approved", "approver", ["submitted", "approved"]),
    ]
    returned = entries_for(report).get(additional_data__event="returned")
    assert returned.additional_data["comment"] == "Kiểm tra lại số đoàn viên"


def test_closing_a_period_is_recorded_once_with_the_number_of_locked_reports(world, period):
    for unit in (world.school, world.factory):
        Report.objects.create(period=period, unit=unit, status=Report.Status.APPROVED)
    do_close_period(period, by=world.admin)
    closing = entries_for(period).get(additional_data__event="closed")
    assert closing.changes == {"status": ["open", "closed"], "locked_reports": [0, 2]}
    assert closing.actor == world.admin


def test_a_refused_write_leaves_no_entry(world, period):
    report = get_or_create_report(period, world.school)
    before = AuditEntry.objects.count()
    with pytest.raises(Exception):  # noqa: B017 — StaleReport; the point is what is left behind
        do_save_values(report, {"workers": 40}, {}, by=world.reporter, expected_version=7)
    assert AuditEntry.objects.count() == before


def test_accounts_are_followed_without_their_password_hash(world):
    user = User(username="moi", unit=world.school, role=Role.REPORTER)
    user.set_password("Mật-khẩu-đủ-dài-2025")
    user.save()
    user.role = Role.APPROVER
    user.set_password("Một-mật-khẩu-khác-2025")
    user.save()
    created, changed = entries_for(user).order_by("id")
    assert created.action == AuditEntry.Action.CREATE
    assert changed.changes["role"] == ["reporter", "approver"]
    old, new = changed.changes["password"]
    assert old != new and "*" in new
    assert user.password not in str(changed.changes) and user.password not in str(created.serialized_data or "")
    assert changed.unit_path == world.school.path


def test_unit_edits_and_moves_are_followed(world):
    world.market.members = 20
    world.market.save()
    edit = entries_for(world.market).latest("id")
    assert edit.changes == {"members": [22, 20]}

    do_move_unit(world.market, world.long_xuyen, datetime.date(2025, 7, 1), by=world.admin)
    # the move opens the market's new dated link, under Long Xuyên from 1 July 2025
    move = AuditEntry.objects.filter(content_type__model="unitlink").latest("id")
    assert move.changes["parent"][1] == str(world.long_xuyen)
    assert move.changes["valid_from"][1] == "2025-07-01"


def test_a_changed_target_is_recorded(world, program):
    target = program.targets.get(code="T03")
    target.value = 95
    target.save()
    entry = entries_for(target).latest("id")
    assert entry.changes == {"value": ["80.00", 95]}
    assert entry.unit_path == ""  # the program belongs to no one union


def test_the_actor_and_address_come_from_the_request_not_from_a_forged_header(client, world, period):
    login(client, world.reporter)
    client.post(
        reverse("reporting:entry", args=[period.id, world.school.code]), {"version": 0, "workers": 40, "save": "1"},
        REMOTE_ADDR="113.161.2.3", HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    entry = entries_for(Report.objects.get(period=period, unit=world.school)).latest("id")
    assert entry.actor == world.reporter
    assert entry.remote_addr == "113.161.2.3"


def test_entries_cannot_be_changed_or_deleted_through_django(world, period):
    entry = AuditEntry.objects.latest("id")
    entry.object_repr = "sửa lén"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="sửa lén")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_to_rewrite_an_entry(world, period):
    entry = AuditEntry.objects.latest("id")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET changes = '{}' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.changes != {}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps DELETE for Django's test flush")
def test_postgresql_refuses_to_delete_an_entry(world, period):
    entry = AuditEntry.objects.latest("id")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_removing_an_account_keeps_who_acted(world):
    user = User.objects.create(username="tam", unit=world.school, role=Role.REPORTER)
    entry = trail.record(world.school, {"phone": ["", "0296 3852 123"]}, actor=user)
    user.delete()
    entry.refresh_from_db()
    assert entry.actor is None and entry.actor_name == "tam"


def test_a_bulk_insert_of_units_leaves_one_entry_for_the_batch(world):
    from units.loading import bulk_add_children
    from units.models import Unit, UnitKind

    new = [Unit(code=f"AG.884.{n:05d}", name=f"CĐCS {n}", kind=UnitKind.GRASSROOTS) for n in range(2, 12)]
    bulk_add_children(world.chau_doc, new)
    entry = entries_for(world.chau_doc).latest("id")
    assert entry.event == "children_added"
    assert entry.changes == {"child_units": [1, 11]}
    assert entry.additional_data["first"] == "AG.884.00002" and entry.additional_data["last"] == "AG.884.00011"
