"""The plan status page's list of units: sorted by any column, filtered by status (the tabs),
parent unit and search, paginated keeping the filters, downloaded as .xlsx with exactly the
filtered rows, in a constant number of queries, and never beyond the user's subtree."""

import datetime
import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.testing import login
from tests.factories import GrassrootsFactory

pytestmark = pytest.mark.django_db
GRASSROOTS = {"deadline": "plan_grassroots"}


def page(client, program, code, **params):
    return client.get(reverse("plans:status", args=[program.code, code]), {**GRASSROOTS, **params})


def codes(body: str) -> list[str]:
    table = body.split('id="list"', 1)[1]
    return re.findall(r'<td class="code">(AG[\w.]*)</td>', table)


def workbook(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_list_says_which_union_each_unit_belongs_to(client, scenario, program):
    login(client, scenario.admin)
    body = page(client, program, "AG").content.decode()
    assert codes(body) == ["AG.883.00002", "AG.884.00001", "AG.YT.00002"]  # late or missing, tree order
    row = body.split('id="list"', 1)[1].split("AG.884.00001", 1)[1].split("</tr>", 1)[0]
    assert "Liên đoàn Lao động thành phố Châu Đốc" in row and "Chưa nộp" in row


def test_filtered_by_status_parent_and_search(client, scenario, program):
    login(client, scenario.admin)
    assert codes(page(client, program, "AG", show="missing").content.decode()) == ["AG.884.00001", "AG.YT.00002"]
    assert codes(page(client, program, "AG", **{"plans-parent": "AG.YT"}).content.decode()) == ["AG.YT.00002"]
    assert codes(page(client, program, "AG", **{"plans-q": "may mac phu thinh"}).content.decode()) == [
        "AG.883.00002"]
    # The tabs keep the search.
    body = page(client, program, "AG", **{"plans-q": "cho"}).content.decode()
    tabs = body.split('class="plan-tabs"', 1)[1].split("</nav>", 1)[0]
    assert "plans-q=cho" in tabs


def test_sorted_by_any_column(client, scenario, program):
    login(client, scenario.admin)
    by_status = codes(page(client, program, "AG", plans_sort="plan_state").content.decode())
    assert by_status[-1] == "AG.883.00002"  # missing first, late after
    by_name = codes(page(client, program, "AG", plans_sort="-name").content.decode())
    # Đơn vị AG.YT.00002 > Công đoàn Công ty … May mặc > Công đoàn Ban Quản lý chợ
    assert by_name == ["AG.YT.00002", "AG.883.00002", "AG.884.00001"]
    assert by_name == codes(page(client, program, "AG", plans_sort="name").content.decode())[::-1]


def test_the_xlsx_holds_exactly_the_filtered_rows(client, scenario, program):
    login(client, scenario.admin)
    rows = workbook(page(client, program, "AG", show="not_on_time", xlsx="plans", **{"plans-parent": "AG.883"}))
    assert rows[0] == ("Đơn vị", "Mã", "Trực thuộc", "Tình trạng", "Số văn bản", "Ngày ban hành",
                       "Người liên hệ", "Điện thoại", "Thư điện tử")
    assert len(rows) == 2
    unit, code, parent, state, number, issued = rows[1][:6]
    assert (unit, code, parent, state, number) == (
        "Công đoàn Công ty TNHH May mặc Phú Thịnh", "AG.883.00002", "Liên đoàn Lao động thành phố Long Xuyên",
        "Trễ", "2/KH")
    assert issued.date() == datetime.date(2021, 9, 15)  # a date cell, not text


def test_a_district_cannot_pick_a_union_outside_its_subtree(client, scenario, program):
    login(client, scenario.approver)
    body = page(client, program, "AG.883", **{"plans-parent": "AG.884"}).content.decode()
    assert codes(body) == [] and "Châu Đốc" not in body
    assert workbook(page(client, program, "AG.883", xlsx="plans", **{"plans-parent": "AG.884"}))[1:] == []


def test_paging_keeps_the_tab_and_the_filters(client, scenario, program):
    for _n in range(55):
        GrassrootsFactory(parent=scenario.chau_doc)
    login(client, scenario.admin)
    body = page(client, program, "AG", show="missing", **{"plans-parent": "AG.884"}).content.decode()
    pager = body.split('id="list"', 1)[1].split('class="pager"', 1)[1].split("</nav>", 1)[0]
    link = re.search(r'href="\?([^"]+)"', pager).group(1).replace("&amp;", "&")
    assert sorted(link.split("&")) == ["deadline=plan_grassroots", "plans-parent=AG.884", "plans_page=2",
                                       "show=missing"]
    second = client.get(reverse("plans:status", args=[program.code, "AG"]) + "?" + link).content.decode()
    assert len(codes(second)) == 56 - 50


@pytest.mark.parametrize("extra", [2, 70])
def test_query_count_does_not_grow_with_the_rows(client, scenario, program, extra, django_assert_max_num_queries):
    for n in range(extra):
        GrassrootsFactory(parent=scenario.chau_doc if n % 2 else scenario.health)
    login(client, scenario.admin)
    with django_assert_max_num_queries(17):
        assert page(client, program, "AG", show="missing").status_code == 200
    with django_assert_max_num_queries(15):
        assert page(client, program, "AG", show="missing", xlsx="plans").status_code == 200
