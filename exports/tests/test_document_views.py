"""Documents over a changing hierarchy (issue #14): the view each table uses, the section on the
reorganisation, the structural bridge, a table per old district for the years it existed; and
the speed-ups of issue #17 keep every figure (the breakdown of every target at once, the
grassroots unions directly under a unit added up in print, listed in the spreadsheet).

The shared little An Giang (accounts.testing) with 2023 and 2024 reported (conftest.reported);
on 1 July 2024 Long Xuyên is dissolved into a new ward union, which takes its grassroots unions,
and Long Xuyên's school is dissolved without a successor. By hand, T16 (initiatives of grassroots
unions, province): 2023 as it was 4 + 20 = 24; 2023 as it is now 20 (the school drops out);
2024 as it was 30 + 3 = 33 (the school no longer counts, the factory and the market do). Change
+9 = reorganisation −4 + performance +13.
"""

import json
from io import BytesIO

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.testing import login
from exports import builder
from exports.builder import build_document
from exports.models import DocumentBuild, Kind
from exports.testing import fetch_built, file_bytes
from exports.writers import WRITERS
from indicators.engine import Engine
from reporting.completeness import missing_units
from units.models import Unit
from units.reorganisation import do_apply_reorganisation

pytestmark = pytest.mark.django_db

BATCH = {
    "batch": {"code": "test-2024", "title": "Sắp xếp thử"},
    "units": [{"code": "AG.P1", "name": "Công đoàn phường Mỹ Bình", "kind": "commune", "parent": "AG",
               "valid_from": "2024-07-01"}],
    "changes": [
        {"change": "dissolve", "unit": "AG.883.00001", "on": "2024-07-01"},
        {"change": "dissolve", "unit": "AG.883", "on": "2024-07-01", "successor": "AG.P1"},
    ],
}


@pytest.fixture
def reorganised(world, program, reported):
    do_apply_reorganisation(BATCH, by=world.admin)
    for unit in vars(world).values():
        if isinstance(unit, Unit):
            unit.refresh_from_db()
    return world


def texts(document) -> str:
    return document.text()


def table(document, starts: str):
    return next(t for t in document.tables() if starts in t.title)


def test_each_table_says_which_view_it_uses(reorganised, program):
    then = build_document(program, reorganised.province, Kind.YEARLY_REVIEW, 2024)
    now = build_document(program, reorganised.province, Kind.YEARLY_REVIEW, 2024, view="now")
    assert all("(tổ chức như lúc đó)" in t.title for t in then.tables() if "Biến động" not in t.title)
    assert all("(tổ chức như hiện nay)" in t.title for t in now.tables() if "Biến động" not in t.title)


def test_the_reorganisation_section_counts_what_changed(reorganised, program):
    text = texts(build_document(program, reorganised.province, Kind.YEARLY_REVIEW, 2024))
    assert "Sắp xếp tổ chức công đoàn" in text
    assert "Ngày 01/07/2024, 1 công đoàn cấp trên giải thể hoặc hợp nhất: LĐLĐ TP Long Xuyên" in " ".join(
        text.split()) or "Ngày 01/07/2024, 1 công đoàn cấp trên giải thể hoặc hợp nhất: Liên đoàn Lao động thành " \
        "phố Long Xuyên" in text
    assert "Công đoàn phường Mỹ Bình" in text
    # The factory moved to the ward union, the school was dissolved: 4 grassroots unions with
    # 40 + 1,000 + 22 + 890 members before, 3 with 1,912 after.
    assert "1 CĐCS chuyển sang công đoàn cấp trên khác" in text
    assert "1 CĐCS giải thể không có đơn vị kế thừa" in text
    assert "4 CĐCS với 1.952 đoàn viên" in text
    assert "3 CĐCS với 1.912 đoàn viên" in text


def test_the_bridge_splits_the_change_by_hand(reorganised, program):
    document = build_document(program, reorganised.province, Kind.YEARLY_REVIEW, 2024)
    bridge = table(document, "Biến động các chỉ tiêu từ 2023 đến 2024")
    rows = {row[0].text: [cell.text for cell in row[1:]] for row in bridge.rows}
    assert rows["Giải pháp, sáng kiến, cải tiến kỹ thuật"] == ["24", "20", "33", "9", "-4", "13"]


def test_a_table_per_old_district_for_the_years_it_existed(reorganised, program):
    """As it was, 2023 is added up by the districts of 2023 (Long Xuyên among them); 2024 by the
    units of 2024 (the ward union instead). As it is now, 2023 goes to the ward union too. (The
    plan deadlines, T01/T02, are counted over today's tree in both views: T16 is looked at.)"""
    def units_of(year, view):
        document = build_document(program, reorganised.province, Kind.YEARLY_REVIEW, year, view=view)
        section = next(t for t in document.tables() if any(c.label == "T16" for c in t.columns))
        column = [c.label for c in section.columns].index("T16")
        return {row[0].text: row[column].text for row in section.rows if row[column].text}

    assert units_of(2023, "then")["Liên đoàn Lao động thành phố Long Xuyên"] == "24"
    assert "Công đoàn phường Mỹ Bình" not in units_of(2023, "then")
    assert units_of(2024, "then")["Công đoàn phường Mỹ Bình"] == "30"
    assert units_of(2023, "now")["Công đoàn phường Mỹ Bình"] == "20"
    assert "Liên đoàn Lao động thành phố Long Xuyên" not in units_of(2023, "now")
    # The old district's own document stays possible for the years it existed.
    own = build_document(program, reorganised.long_xuyen, Kind.YEARLY_REVIEW, 2023)
    assert "Công đoàn Trường Tiểu học Mỹ Bình" in texts(own)


def test_every_target_broken_down_at_once_is_each_childs_own_figure(world, program, reported):
    """One plan for every target (Engine.breakdowns) gives each child what the engine computes
    for the child's own subtree, target by target."""
    engine = Engine(program)
    together = engine.breakdowns(world.province, 2024)
    assert set(together) == {target.code for target in engine.targets}
    for target in engine.targets:
        for child, result in together[target.code]:
            own = engine.series(child, [target])[target.code][2024]
            assert (result.value, result.reported, result.expected) == (own.value, own.reported, own.expected), \
                (target.code, child.code)


def test_many_grassroots_unions_are_one_line_in_print_and_listed_in_the_spreadsheet(
        world, program, reported, monkeypatch):
    monkeypatch.setattr(builder, "GRASSROOTS_PRINTED", 1)  # Long Xuyên's two unions are "many"
    document = build_document(program, world.long_xuyen, Kind.YEARLY_REVIEW, 2024)
    by_unit = [t for t in document.tables() if "kết quả theo đơn vị" in t.title]
    assert by_unit
    for part in by_unit:
        assert [row[0].text for row in part.rows] == ["CĐCS trực thuộc Liên đoàn Lao động thành phố Long Xuyên "
                                                       "(2 đơn vị)"]
        assert {row[0].text for row in part.spreadsheet_rows} == {"Công đoàn Trường Tiểu học Mỹ Bình",
                                                                   "Công đoàn Công ty TNHH May mặc Phú Thịnh"}
    word = docx.Document(BytesIO(WRITERS["docx"].write(document)))
    printed = {row.cells[0].text for t in word.tables for row in t.rows}
    assert "Công đoàn Công ty TNHH May mặc Phú Thịnh" not in printed
    book = openpyxl.load_workbook(BytesIO(WRITERS["xlsx"].write(document)))
    listed = {row[0] for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)}
    assert "Công đoàn Công ty TNHH May mặc Phú Thịnh" in listed
    # The added-up line: initiatives (T16) 5 + 30 = 35 in 2024, the sum of the two listed.
    section = next(t for t in by_unit if any(c.label == "T16" for c in t.columns))
    column = [c.label for c in section.columns].index("T16")
    assert section.rows[0][column].text == "35"


def test_the_pages_build_each_view_apart_and_say_which(client, reorganised, program):
    login(client, reorganised.admin)
    chosen = client.get(reverse("exports:index"), {"unit": "AG", "kind": "yearly_review", "year": 2024,
                                                   "view": "now", "format": "pdf", "action": "preview"})
    url = reverse("exports:preview", args=["AG", "yearly_review", 2024])
    assert chosen.status_code == 302 and chosen["Location"] == url + "?view=now"
    now = fetch_built(client, url + "?view=now").content.decode()
    then = fetch_built(client, url).content.decode()
    assert "(tổ chức như hiện nay)" in now and "(tổ chức như lúc đó)" not in now
    assert "(tổ chức như lúc đó)" in then and "(tổ chức như hiện nay)" not in then
    assert set(DocumentBuild.objects.values_list("view", flat=True)) == {"then", "now"}
    xlsx = fetch_built(client, reverse("exports:download", args=["AG", "yearly_review", 2024, "xlsx"]) + "?view=now")
    book = openpyxl.load_workbook(BytesIO(file_bytes(xlsx)))
    titles = [row[0] for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) if row[0]]
    assert any("(tổ chức như hiện nay)" in str(title) for title in titles)


def test_make_report_takes_the_view(reorganised, tmp_path):
    output = tmp_path / "now.docx"
    call_command("make_report", "--unit", "AG", "--year", "2024", "--format", "docx", "--view", "now",
                 "-o", str(output))
    text = "\n".join(p.text for p in docx.Document(str(output)).paragraphs)
    assert "(tổ chức như hiện nay)" in text and "Sắp xếp tổ chức công đoàn" in text


def test_the_target_page_marks_the_reorganisation_on_its_chart(client, reorganised):
    body = login(client, reorganised.admin).get(reverse("dashboards:target", args=["T16"]),
                                                {"year": 2024}).content.decode()
    chart = json.loads(body.split('id="chart-data" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert chart["reorganised"] == {"year": 2024, "label": "01/07/2024: sắp xếp tổ chức"}


def test_no_reorganisation_no_mark_and_no_section(client, world, program, reported):
    body = login(client, world.admin).get(reverse("dashboards:target", args=["T16"]), {"year": 2024}).content.decode()
    assert '"reorganised": null' in body
    assert "Sắp xếp tổ chức công đoàn" not in build_document(program, world.province, Kind.YEARLY_REVIEW, 2024).text()


def test_a_long_list_of_units_not_reported_is_counted_in_print_and_listed_in_the_spreadsheet(
        world, program, reported, monkeypatch):
    monkeypatch.setattr(builder, "MISSING_PRINTED", 0)
    document = build_document(program, world.province, Kind.YEARLY_REVIEW, 2024)
    listed = table(document, "Danh sách đơn vị chưa gửi báo cáo")
    missing = list(missing_units(reported, world.province))
    assert len(missing) == 3 and world.hospital in missing and world.health in missing
    parents = {unit.parent_path for unit in missing}
    assert len(listed.rows) == len(parents)  # a line per unit they belong to
    assert sum(int(row[1].text.split()[0]) for row in listed.rows) == 3
    assert {row[1].text for row in listed.spreadsheet_rows} == {unit.name for unit in missing}
    assert "3 đơn vị chưa gửi báo cáo" in listed.note
    book = openpyxl.load_workbook(BytesIO(WRITERS["xlsx"].write(document)))
    listed_in_book = {row[1] for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)}
    assert "Công đoàn Bệnh viện Đa khoa Trung tâm An Giang" in listed_in_book
