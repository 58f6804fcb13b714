"""The completeness page's lists: per child unit, and the units that have not reported with the
union each belongs to (#21) — sorted, filtered by status, parent unit and search, paginated
keeping the filters, downloaded as .xlsx with exactly the filtered rows, in a constant number
of queries, and never beyond the user's subtree."""

import datetime
import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.testing import login
from reporting.models import Report
from reporting.testing import make_report
from tests.factories import GrassrootsFactory

pytestmark = pytest.mark.django_db


def page(client, period, code, **params):
    return client.get(reverse("reporting:completeness", args=[period.id, code]), params)


def missing_rows(body: str) -> list[str]:
    """The unit codes of the missing-units table, in the order shown."""
    table = body.split('id="missing"', 1)[1]
    return re.findall(r'<td class="code">(AG[\w.]*)</td>', table)


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_each_missing_unit_says_which_union_it_belongs_to(client, world, reported):
    login(client, world.admin)
    body = page(client, reported, "AG").content.decode()
    table = body.split('id="missing"', 1)[1]
    assert "Trực thuộc" in table
    code = table.index('<td class="code">AG.884.00001</td>')
    market_row = table[table.rindex("<tr", 0, code):table.index("</tr>", code)]
    # the union it belongs to comes right after its name, before its code (in view on a phone)
    assert re.search(r'<td class="name">.*Ban Quản lý chợ Châu Đốc.*</td>\s*<td class="parent">'
                     r'Liên đoàn Lao động thành phố Châu Đốc</td>\s*<td class="code">', market_row, re.S)
    assert "Bản nháp" in market_row  # its report is a draft


def test_missing_units_filtered_by_status_parent_and_search(client, world, reported):
    login(client, world.admin)
    assert missing_rows(page(client, reported, "AG", **{"missing-status": "draft"}).content.decode()) == [
        "AG.884.00001"]
    assert missing_rows(page(client, reported, "AG", **{"missing-parent": "AG.884"}).content.decode()) == [
        "AG.884", "AG.884.00001"]
    # Diacritic-insensitive, every word: "cho chau doc" finds "chợ Châu Đốc".
    assert missing_rows(page(client, reported, "AG", **{"missing-q": "cho chau doc"}).content.decode()) == [
        "AG.884.00001"]
    assert missing_rows(page(client, reported, "AG", **{"missing-status": "none"}).content.decode()) == [
        "AG", "AG.883", "AG.884", "AG.YT", "AG.YT.00001"]


def test_missing_units_sorted_by_any_column(client, world, reported):
    login(client, world.admin)
    by_name = missing_rows(page(client, reported, "AG", **{"missing_sort": "name"}).content.decode())
    # Công đoàn Ban… < Công đoàn Bệnh… < Công đoàn ngành… < LĐLĐ thành phố Châu Đốc < … Long Xuyên < LĐLĐ tỉnh
    assert by_name == ["AG.884.00001", "AG.YT.00001", "AG.YT", "AG.884", "AG.883", "AG"]
    assert missing_rows(page(client, reported, "AG", **{"missing_sort": "-name"}).content.decode()) == by_name[::-1]
    by_parent = missing_rows(page(client, reported, "AG", **{"missing_sort": "-parent_name"}).content.decode())
    # LĐLĐ tỉnh (the districts' and the sector's) > LĐLĐ thành phố Châu Đốc > Công đoàn ngành Y tế; the
    # province, which belongs to no union, last either way (on SQLite and on PostgreSQL alike).
    assert sorted(by_parent[:3]) == ["AG.883", "AG.884", "AG.YT"]
    assert by_parent[3:] == ["AG.884.00001", "AG.YT.00001", "AG"]
    ascending = missing_rows(page(client, reported, "AG", **{"missing_sort": "parent_name"}).content.decode())
    assert ascending[:2] == ["AG.YT.00001", "AG.884.00001"] and ascending[-1] == "AG"


def test_the_xlsx_holds_exactly_the_filtered_rows_with_vietnamese_headers(client, world, reported):
    login(client, world.admin)
    rows = workbook(page(client, reported, "AG", **{"missing-parent": "AG.884", "xlsx": "missing"}))
    assert rows[0] == ("Đơn vị", "Trực thuộc", "Mã", "Tình trạng", "Người liên hệ", "Điện thoại", "Thư điện tử")
    assert [(row[2], row[1], row[3]) for row in rows[1:]] == [
        ("AG.884", "Liên đoàn Lao động tỉnh An Giang", "Chưa nhập"),
        ("AG.884.00001", "Liên đoàn Lao động thành phố Châu Đốc", "Bản nháp"),
    ]


def test_the_per_unit_list_sorts_filters_and_downloads(client, world, reported):
    login(client, world.admin)
    body = page(client, reported, "AG", **{"units_sort": "-missing"}).content.decode()
    table = body.split('id="units"', 1)[1].split('id="missing"', 1)[0]
    assert re.findall(r'<td class="code">(AG[\w.]*)</td>', table) == ["AG.884", "AG.YT", "AG.883"] or re.findall(
        r'<td class="code">(AG[\w.]*)</td>', table) == ["AG.YT", "AG.884", "AG.883"]
    rows = workbook(page(client, reported, "AG", **{"units-q": "long xuyen", "xlsx": "units"}))
    assert rows[0][:3] == ("Đơn vị", "Mã", "Đã nộp")
    assert [row[:4] for row in rows[1:]] == [("Liên đoàn Lao động thành phố Long Xuyên", "AG.883", 2, 3)]
    complete = workbook(page(client, reported, "AG", **{"units-status": "complete", "xlsx": "units"}))
    assert complete[1:] == []


def test_a_district_cannot_pick_a_union_outside_its_subtree(client, world, reported):
    login(client, world.approver)
    body = page(client, reported, "AG.883", **{"missing-parent": "AG.884"}).content.decode()
    assert "Châu Đốc" not in body  # the code the user typed is echoed in the links, never the union's name
    assert missing_rows(body) == []  # an unknown choice filters everything out, it is not ignored
    rows = workbook(page(client, reported, "AG.883", **{"missing-parent": "AG.884", "xlsx": "missing"}))
    assert rows[1:] == []


def test_paging_keeps_the_filters(client, world, reported):
    for _n in range(55):
        GrassrootsFactory(parent=world.chau_doc)
    login(client, world.admin)
    body = page(client, reported, "AG", **{"missing-status": "none", "missing-parent": "AG.884"}).content.decode()
    pager = body.split('id="missing"', 1)[1].split('class="pager"', 1)[1].split("</nav>", 1)[0]
    link = re.search(r'href="\?([^"]+)"', pager).group(1).replace("&amp;", "&")
    assert sorted(link.split("&")) == ["missing-parent=AG.884", "missing-status=none", "missing_page=2"]
    second = client.get(reverse("reporting:completeness", args=[reported.id, "AG"]) + "?" + link).content.decode()
    assert len(missing_rows(second)) == 56 - 50  # the district itself and its 55 new unions, 50 a page


@pytest.mark.parametrize("extra", [3, 80])
def test_query_count_does_not_grow_with_the_rows(client, world, reported, extra, django_assert_max_num_queries):
    for n in range(extra):
        unit = GrassrootsFactory(parent=world.chau_doc if n % 2 else world.long_xuyen)
        if n % 3 == 0:
            Report.objects.create(period=reported, unit=unit)
        elif n % 3 == 1:
            make_report(reported, unit, Report.Status.SUBMITTED, sent_on=datetime.date(2025, 1, 12))
    login(client, world.admin)
    # The same bound at 3 and at 80 more units (a full page of 50): session, user, period, unit,
    # the completeness counts, the two pickers, the page and its count (+2: where the unit stood on
    # the period's last day, its dated links, read once for the counts and once for the missing).
    with django_assert_max_num_queries(19):  # 19: the header's unread count
        assert page(client, reported, "AG").status_code == 200
    with django_assert_max_num_queries(15):  # (+2: the unit's dated links, as above)
        assert page(client, reported, "AG", xlsx="missing").status_code == 200
