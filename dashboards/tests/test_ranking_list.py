"""The target page's ranking of the units below as a list: sorted by any column (units without
a value last either way), filtered by status, parent unit and search, paginated keeping the
unit, year and filters, downloaded as .xlsx with exactly the filtered rows, in a constant number
of queries, and never beyond the user's subtree."""

import json
import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.testing import login
from indicators.rollups import refresh as refresh_rollups
from reporting.models import Report
from reporting.testing import make_report
from tests.factories import GrassrootsFactory

pytestmark = pytest.mark.django_db


def page(client, code="AG.883", **params):
    return client.get(reverse("dashboards:target", args=["T19"]),
                      {"unit": code, "year": 2024, "submitted": 1, **params})


def codes(body: str) -> list[str]:
    table = body.split('class="table-wrap list-table"', 1)[1]
    return re.findall(r'<td class="code">(AG[\w.]*)</td>', table)


def workbook(response) -> list[tuple]:
    assert response.status_code == 200
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_sorted_by_any_column_units_without_a_value_last(client, world, reported):
    login(client, world.admin)
    assert codes(page(client).content.decode()) == ["AG.883.00001", "AG.883.00002"]  # highest first
    assert codes(page(client, ranking_sort="value").content.decode()) == ["AG.883.00002", "AG.883.00001"]
    assert codes(page(client, ranking_sort="-status").content.decode()) == ["AG.883.00002", "AG.883.00001"]
    # From the province: only Long Xuyên has a value; the others come after it either way.
    for sort in ("value", "-value", "rank", "-rank"):
        assert codes(page(client, "AG", ranking_sort=sort).content.decode())[0] == "AG.883", sort


def test_filtered_by_status_parent_and_search(client, world, reported):
    login(client, world.admin)
    assert codes(page(client, **{"ranking-status": "not_met"}).content.decode()) == ["AG.883.00002"]
    assert codes(page(client, **{"ranking-q": "my binh"}).content.decode()) == ["AG.883.00001"]
    assert codes(page(client, "AG", **{"ranking-parent": "AG.884"}).content.decode()) == ["AG.884"]
    assert sorted(codes(page(client, "AG", **{"ranking-status": "no_data"}).content.decode())) == ["AG.884", "AG.YT"]


def test_only_the_statuses_of_the_units_below_are_offered(client, world, reported):
    login(client, world.admin)
    body = page(client).content.decode()
    picker = body.split('name="ranking-status"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="(\w*)"', picker) == ["", "met", "not_met"]


def test_the_filter_form_keeps_the_unit_and_year_and_the_year_buttons_keep_the_filters(client, world, reported):
    login(client, world.admin)
    body = page(client, **{"ranking-status": "met", "ranking_sort": "name"}).content.decode()
    filters = body.split('class="filters list-filters"', 1)[1].split("</form>", 1)[0]
    assert 'name="unit" value="AG.883"' in filters and 'name="year" value="2024"' in filters
    choices = body.split('class="choices"', 1)[1].split("</form>", 1)[0]
    assert 'name="ranking-status" value="met"' in choices and 'name="ranking_sort" value="name"' in choices


def test_the_xlsx_holds_exactly_the_filtered_rows(client, world, reported):
    login(client, world.admin)
    rows = workbook(page(client, xlsx="ranking", **{"ranking-status": "not_met"}))
    assert rows[0] == ("#", "Đơn vị", "Mã", "Kết quả", "So với năm trước", "Tình trạng", "Đã báo cáo", "Phải báo cáo")
    assert rows[1:] == [(2, "Công đoàn Công ty TNHH May mặc Phú Thịnh", "AG.883.00002", 75, None, "chưa đạt", 1, 1)]


def test_a_district_cannot_pick_a_union_outside_its_subtree(client, world, reported):
    login(client, world.approver)
    body = page(client, **{"ranking-parent": "AG.884"}).content.decode()
    assert codes(body) == [] and "Châu Đốc" not in body
    assert workbook(page(client, xlsx="ranking", **{"ranking-parent": "AG.884"}))[1:] == []


def test_paging_keeps_the_unit_year_and_filters(client, world, reported):
    for _n in range(55):
        GrassrootsFactory(parent=world.long_xuyen)
    login(client, world.admin)
    body = page(client, **{"ranking-status": "no_data"}).content.decode()
    pager = body.split('class="pager"', 1)[1].split("</nav>", 1)[0]
    link = re.search(r'href="\?([^"]+)"', pager).group(1).replace("&amp;", "&")
    assert sorted(link.split("&")) == ["ranking-status=no_data", "ranking_page=2", "submitted=1", "unit=AG.883",
                                       "year=2024"]
    second = client.get(reverse("dashboards:target", args=["T19"]) + "?" + link).content.decode()
    assert len(codes(second)) == 55 - 50


@pytest.mark.parametrize("extra", [3, 70])
def test_query_count_does_not_grow_with_the_rows(client, world, reported, extra, django_assert_max_num_queries):
    for _n in range(extra):
        GrassrootsFactory(parent=world.long_xuyen)
    login(client, world.admin)
    # The same bound at 3 and at 70 more units below: the engine's queries (with the root's dated
    # links, read by the series and by the breakdown; the reporters in two, their rollups and the
    # root's or children's own reports), the picker, the filter; the page, one more:
    # the day of the reorganisation its chart marks; and the header's unread count; one for the
    # units' names of that year ("as it was", units.models.UnitName), whatever the number of units.
    with django_assert_max_num_queries(32):
        assert page(client).status_code == 200
    with django_assert_max_num_queries(27):
        assert page(client, xlsx="ranking").status_code == 200


def test_beyond_its_bars_the_chart_shows_the_best_and_the_worst_and_the_table_all(
        client, world, reported, monkeypatch):
    monkeypatch.setattr("dashboards.views.CHART_BARS", 2)
    newcomer = GrassrootsFactory(parent=world.long_xuyen, code="AG.883.00003", workers=100)
    make_report(reported, newcomer, Report.Status.APPROVED, workers=100, members=5)
    refresh_rollups()
    login(client, world.admin)
    body = page(client).content.decode()
    chart = json.loads(body.split('<script id="chart-data" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert codes(body) == ["AG.883.00001", "AG.883.00002", "AG.883.00003"]  # the table: every unit
    assert chart["children"]["full_names"] == [world.school.name, newcomer.name]  # the best and the worst
    assert "Biểu đồ chỉ vẽ 1 đơn vị cao nhất và 1 đơn vị thấp nhất trong 3 đơn vị được xếp hạng" in body
    assert 'style="height: 4em"' in body
    monkeypatch.setattr("dashboards.views.CHART_BARS", 30)
    body = page(client).content.decode()
    assert "Biểu đồ chỉ vẽ" not in body and 'style="height: 5em"' in body
