"""Old Kiên Giang in the demo: grassroots unions under its district federations, generated like
An Giang's without changing An Giang's, 2021–2024 reports for them, and the demo's part of the
2025 batch read from the database."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from demo.names import AN_GIANG_PARENTS, KIEN_GIANG_PARENTS, KIEN_GIANG_SHARE, generate_grassroots
from demo.reorganisation import NAMED_UNITS_FILES, demo_changes, demo_units_from_db, read_district_communes
from reporting.models import Report
from units.loading import load_units, read_units_file
from units.models import Unit

GRASSROOTS, SEED = 200, 7


def load_both_provinces():
    for path in NAMED_UNITS_FILES:
        load_units(read_units_file(path))


@pytest.mark.django_db
def test_kien_giang_districts_get_their_own_grassroots_unions_and_an_giang_keeps_its_own():
    load_both_provinces()
    call_command("demo_data", grassroots=GRASSROOTS, seed=SEED, stdout=StringIO())

    kien_giang = Unit.objects.get(code="KG")
    demo_kg = kien_giang.subtree().grassroots().exclude(code__startswith="KG.TT").exclude(
        code__regex=r"^KG\.(VC|YT|GD)\.")
    assert demo_kg.count() == round(GRASSROOTS * KIEN_GIANG_SHARE)
    districts = dict(Unit.objects.filter(code__regex=r"^KG\.\d{3}$").values_list("path", "code"))
    assert len(districts) == 15
    assert {districts.get(unit.path[:-Unit.steplen]) for unit in demo_kg} == set(districts.values())
    assert all(unit.code.startswith(districts[unit.path[:-Unit.steplen]] + ".") for unit in demo_kg)
    rach_gia_names = " ".join(Unit.objects.filter(code__startswith="KG.899.").values_list("name", flat=True))
    assert "thành phố Rạch Giá" in rach_gia_names and "huyện Rạch Giá" not in rach_gia_names
    expected_ag = {(p.code, p.name, p.members) for p in generate_grassroots(GRASSROOTS, SEED, AN_GIANG_PARENTS)}
    assert expected_ag <= set(Unit.objects.filter(code__startswith="AG.").grassroots()
                              .values_list("code", "name", "members"))


@pytest.mark.django_db
def test_kien_giang_reports_for_2021_to_2024_and_not_for_2025(program):
    load_both_provinces()
    Unit.objects.filter(code="KG").update(valid_to=datetime.date(2025, 6, 30))  # as the 2025 batch leaves it
    call_command("demo_data", grassroots=60, seed=SEED, stdout=StringIO())
    call_command("demo_reports", seed=SEED, no_plans=True, stdout=StringIO())

    years = set(Report.objects.filter(unit__code__startswith="KG").values_list("period__year", flat=True))
    assert years == {2021, 2022, 2023, 2024}
    assert Report.objects.filter(unit__code="KG.899", period__year=2024).exists()
    assert Report.objects.filter(unit__code__startswith="AG", period__year=2025).exists()


@pytest.mark.django_db
def test_the_demo_part_of_the_batch_reads_the_demo_units_from_the_database():
    load_both_provinces()
    call_command("demo_data", grassroots=GRASSROOTS, seed=SEED, stdout=StringIO())

    units = demo_units_from_db()
    changes = demo_changes(units, read_district_communes())["changes"]

    assert not any(unit.code.startswith(("AG.TT", "KG.TT")) for unit in units)  # named ones are the file's
    assert len(units) == GRASSROOTS + round(GRASSROOTS * KIEN_GIANG_SHARE)
    parents = {unit.code: unit.parent_code for unit in units}
    assert parents["KG.899.00001"] == "KG.899" and parents["AG.883.00001"] == "AG.883"
    moved = [code for change in changes if change["change"] == "move" for code in change["units"]]
    assert moved and all(parents[code].split(".")[1].isdigit() for code in moved)
    assert {change["on"] for change in changes if change["change"] == "dissolve"} == {datetime.date(2025, 7, 1)}


def test_each_kien_giang_district_names_its_own_communes_even_where_an_giang_has_a_namesake():
    """"Châu Thành" is a district of both old provinces: Kiên Giang's must take Kiên Giang's
    communes (vietnam-provinces 0.6.0: Minh Lương, Mong Thọ…), not An Giang's (Cần Đăng…)."""
    committees = Counter()
    for profile in generate_grassroots(1425, 2021, KIEN_GIANG_PARENTS):
        if profile.name.startswith("Công đoàn Ủy ban nhân dân "):
            committees[profile.parent_code, profile.name.removeprefix("Công đoàn Ủy ban nhân dân ")] += 1
    chau_thanh = {label for parent, label in committees if parent == "KG.905"}
    assert chau_thanh and chau_thanh <= {
        "thị trấn Minh Lương", "xã Mong Thọ A", "xã Mong Thọ B", "xã Mong Thọ", "xã Giục Tượng",
        "xã Vĩnh Hòa Hiệp", "xã Vĩnh Hoà Phú", "xã Minh Hòa", "xã Bình An", "xã Thạnh Lộc"}
    assert {parent for parent, _ in committees} == {spec.code for spec in KIEN_GIANG_PARENTS}
    assert max(committees.values()) == 1  # one people's committee per commune


def test_the_demo_districts_of_kien_giang_are_those_of_its_units_file():
    from demo.names import _KG_DISTRICTS

    rows = [row for row in read_units_file(NAMED_UNITS_FILES[1]) if row["kind"] == "district"]
    assert [row["code"] for row in rows] == [spec.code for spec in KIEN_GIANG_PARENTS]
    for row, spec in zip(rows, KIEN_GIANG_PARENTS, strict=True):
        kind, admin_code, *_ = _KG_DISTRICTS[spec.place]
        assert row["name"] == f"Liên đoàn Lao động {kind} {spec.place}"
        assert row["admin_code"] == admin_code
