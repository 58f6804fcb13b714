"""Dated names: a unit renamed keeps its old name for the past (units.models.UnitName). A past
year's document "as it was" names it as it was named then — its header, its recipients, its
tables — and "as it is now" by today's name; undoing the batch removes the former name."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from accounts.testing import login
from exports.builder import build_document, default_details
from exports.models import Kind
from units.models import Reorganisation, Unit, UnitName, named_as_on, names_on
from units.reorganisation import BatchFileError, do_apply_reorganisation, do_undo_reorganisation

pytestmark = pytest.mark.django_db

NEW_NAME = "Liên đoàn Lao động khu vực Núi Sam"


def rename(code: str, on: str, name: str = NEW_NAME, batch: str = "rename") -> Reorganisation:
    return do_apply_reorganisation({"batch": {"code": batch, "title": "Đổi tên"},
                                    "changes": [{"change": "rename", "unit": code, "name": name, "on": on}]})


@pytest.fixture
def renamed(world, program, reported):
    old = world.chau_doc.name
    batch = rename(world.chau_doc.code, "2025-01-01")
    world.chau_doc.refresh_from_db()
    return old, batch


def test_the_old_name_holds_until_the_day_before_the_rename(world, renamed):
    old, _batch = renamed
    chau_doc = world.chau_doc
    assert chau_doc.name == NEW_NAME
    assert names_on(datetime.date(2024, 12, 31)) == {chau_doc.pk: (old, chau_doc.short_name)}
    assert names_on(datetime.date(2025, 1, 1)) == {}
    assert named_as_on([Unit.objects.get(pk=chau_doc.pk)], datetime.date(2023, 6, 1))[0].name == old
    former = UnitName.objects.get()
    assert (former.valid_from, former.valid_to, former.change.kind) == (None, datetime.date(2024, 12, 31), "rename")


def test_a_past_years_document_as_it_was_bears_the_name_of_then(world, program, renamed):
    old, _batch = renamed
    then = build_document(program, world.chau_doc, Kind.YEARLY_REVIEW, 2024).text()
    assert old in then and NEW_NAME not in then
    details = default_details(program, world.chau_doc, datetime.date(2024, 12, 31))
    assert "Châu Đốc" in details["recipients"] and "Núi Sam" not in details["recipients"]
    now = build_document(program, world.chau_doc, Kind.YEARLY_REVIEW, 2024, view="now").text()
    assert NEW_NAME in now
    # The province's tables name the district as it was named that year.
    province = build_document(program, world.province, Kind.YEARLY_REVIEW, 2024).text()
    assert "Núi Sam" not in province and "Châu Đốc" in province
    this_year = build_document(program, world.chau_doc, Kind.YEARLY_REVIEW, 2025).text()
    assert NEW_NAME in this_year


def test_renamed_twice_each_name_keeps_its_days_and_the_undo_removes_them(world, renamed):
    old, first = renamed
    second = rename(world.chau_doc.code, "2025-09-01", name="Liên đoàn Lao động phường Châu Đốc", batch="again")
    assert list(UnitName.objects.values_list("name", "valid_from", "valid_to")) == [
        (old, None, datetime.date(2024, 12, 31)),
        (NEW_NAME, datetime.date(2025, 1, 1), datetime.date(2025, 8, 31))]
    with pytest.raises(BatchFileError, match="record the earlier rename first"):
        rename(world.chau_doc.code, "2025-05-01", name="Sai", batch="late")
    do_undo_reorganisation(second)
    do_undo_reorganisation(first)
    assert not UnitName.objects.exists()
    world.chau_doc.refresh_from_db()
    assert world.chau_doc.name == old


def test_the_target_page_as_it_was_names_the_units_below_as_they_were_named(client, world, program, renamed):
    old, _batch = renamed
    login(client, world.admin)

    def children(code: str, view: str) -> list[str]:
        body = client.get(reverse("dashboards:target", args=[code]), {"year": 2024, "view": view}).content.decode()
        return json.loads(body.split('id="chart-data" type="application/json">', 1)[1]
                          .split("</script>", 1)[0])["children"]["full_names"]

    code = next(t.code for t in program.targets.order_by("code") if old in children(t.code, "then"))
    assert NEW_NAME not in children(code, "then")
    assert NEW_NAME in children(code, "now") and old not in children(code, "now")


def test_the_dashboard_as_it_was_heads_the_unit_and_its_parents_with_the_names_of_that_year(client, world, renamed):
    old, _batch = renamed
    login(client, world.admin)

    def heading(view: str, year: int) -> str:
        body = client.get(reverse("dashboards:dashboard"), {"unit": world.chau_doc.code, "year": year,
                                                            "view": view}).content.decode()
        return body.split("<h1>", 1)[1].split("</h1>", 1)[0]

    assert heading("then", 2024) == old
    assert heading("now", 2024) == NEW_NAME
    assert heading("then", 2025) == NEW_NAME
