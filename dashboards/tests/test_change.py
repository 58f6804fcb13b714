"""Every figure beside its change against the year before: on the dashboard, on the target page
and for each unit of its breakdown, with an arrow, a rate's change in percentage points, the
previous figure on tap, and no change where there is nothing to compare; in as many queries."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.testing import login
from dashboards.testing import target_row
from indicators.rollups import refresh as refresh_rollups
from reporting.actions import do_open_period
from reporting.models import Report
from reporting.testing import make_report

pytestmark = pytest.mark.django_db
CHANGE = re.compile(r'<span class="change (\w+)(?: (better|worse))?" title="([^"]*)"><span aria-hidden="true">'
                    r'(.)</span> ([^<]*)</span>')


@pytest.fixture
def two_years(world, reported):
    """2023 before `reported`'s 2024: the school had 30 members of 40 workers and 8 initiatives."""
    period = do_open_period("year", 2023, 0, datetime.date(2024, 1, 15), by=world.admin)
    make_report(period, world.school, Report.Status.APPROVED, workers=40, members=30, initiatives=8, cba_signed=False)
    refresh_rollups()
    return period


def changes(html: str) -> list[tuple]:
    return CHANGE.findall(html)


def ranking_row(body: str, code: str) -> str:
    table = body.split('class="table-wrap list-table"', 1)[1]
    start = table.index(f'<td class="code">{code}</td>')
    return table[table.rindex("<tr", 0, start):table.index("</tr>", start)]


def test_the_dashboard_shows_each_figures_change_on_the_year_before(client, world, two_years):
    body = login(client, world.admin).get(reverse("dashboards:dashboard"), {"year": 2024}).content.decode()
    # T19, members / workers over approved reports: 30/40 = 75% in 2023, 40/40 = 100% in 2024
    assert changes(target_row(body, "T19")) == [("up", "better", "Năm 2023: 75%", "▲", "+25 điểm % so với 2023")]
    # T16 initiatives, a count: 8 then 5
    assert changes(target_row(body, "T16")) == [("down", "worse", "Năm 2023: 8", "▼", "−3 so với 2023")]
    # T01, a deadline target, reads one year whatever year is looked at: no change
    assert changes(target_row(body, "T01")) == []
    # 2023 has no year before it with figures
    earlier = client.get(reverse("dashboards:dashboard"), {"year": 2023}).content.decode()
    assert changes(target_row(earlier, "T19")) == []


def test_the_target_page_and_its_breakdown_show_the_change_of_every_unit(client, world, two_years):
    login(client, world.admin)
    body = client.get(reverse("dashboards:target", args=["T19"]), {"year": 2024}).content.decode()
    big = body.split('class="dash-figures big"', 1)[1].split("</div>", 1)[0]
    assert changes(big) == [("up", "better", "Năm 2023: 75%", "▲", "+25 điểm % so với 2023")]
    assert changes(ranking_row(body, "AG.883")) == [("up", "better", "Năm 2023: 75%", "▲", "+25 điểm %")]
    assert changes(ranking_row(body, "AG.884")) == []  # no figure either year
    below = client.get(reverse("dashboards:target", args=["T19"]),
                       {"year": 2024, "unit": "AG.883", "submitted": 1}).content.decode()
    assert changes(ranking_row(below, "AG.883.00001")) == [("up", "better", "Năm 2023: 75%", "▲", "+25 điểm %")]
    assert changes(ranking_row(below, "AG.883.00002")) == []  # reported in 2024 only
    # the trend table too: 2024 against 2023
    trend = body.split('class="table trend-table"', 1)[1].split("</table>", 1)[0]
    assert [c[4] for c in changes(trend)] == ["+25 điểm %"]


def test_the_breakdowns_download_holds_the_change_as_a_number(client, world, two_years):
    from io import BytesIO

    from openpyxl import load_workbook

    login(client, world.admin)
    response = client.get(reverse("dashboards:target", args=["T19"]), {"year": 2024, "xlsx": "ranking"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    column = rows[0].index("So với năm trước")
    by_code = {row[2]: row[column] for row in rows[1:]}
    assert by_code["AG.883"] == 25 and by_code["AG.884"] in (None, "")


def test_the_change_costs_no_query_more_with_more_units(client, world, two_years, django_assert_max_num_queries):
    """The series of the units below come from the breakdown's own queries, whatever the years
    and the units (test_ranking_list's bound of 32 holds as before)."""
    from tests.factories import GrassrootsFactory

    login(client, world.admin)
    url = reverse("dashboards:target", args=["T19"])
    with django_assert_max_num_queries(32) as few:
        client.get(url, {"year": 2024, "unit": "AG.883"})
    for _n in range(40):
        GrassrootsFactory(parent=world.long_xuyen)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"year": 2024, "unit": "AG.883"})


# --- a program's first year, against the last year of the target it carries on -----------------
# (`terms`, conftest.py: two little programs, new-term's N01 carrying on old-term's T01)

def test_a_programs_first_year_is_set_against_the_last_year_of_the_target_it_carries_on(client, world, terms):
    """old-term T01 in 2023: 900/1000 = 90%; new-term N01 (continues T01) in 2024: 950/1000 = 95%;
    Long Xuyên holds both unions, so its figures are the same."""
    login(client, world.admin)
    dashboard = client.get(reverse("dashboards:dashboard"), {"program": "new-term", "year": 2024}).content.decode()
    assert changes(target_row(dashboard, "N01")) == [("up", "better", "Năm 2023: 90%", "▲", "+5 điểm % so với 2023")]
    page = client.get(reverse("dashboards:target", args=["N01"]),
                      {"program": "new-term", "year": 2024}).content.decode()
    big = page.split('class="dash-figures big"', 1)[1].split("</div>", 1)[0]
    assert [c[4] for c in changes(big)] == ["+5 điểm % so với 2023"]
    trend = page.split('class="table trend-table"', 1)[1].split("</table>", 1)[0]
    assert [c[4] for c in changes(trend)] == ["+5 điểm %"]  # 2024 against 2023, across the boundary
    assert changes(ranking_row(page, "AG.883")) == [("up", "better", "Năm 2023: 90%", "▲", "+5 điểm %")]
    district = client.get(reverse("dashboards:target", args=["N01"]),
                          {"program": "new-term", "year": 2024, "unit": "AG.883"}).content.decode()
    # the school 40/50 = 80% then 45/50 = 90%
    assert changes(ranking_row(district, "AG.883.00001")) == [("up", "better", "Năm 2023: 80%", "▲", "+10 điểm %")]


def test_the_first_years_change_costs_a_constant_number_of_queries(client, world, terms,
                                                                   django_assert_max_num_queries):
    from units.loading import bulk_add_children
    from units.models import Unit, UnitKind

    login(client, world.admin)
    pages = [(reverse("dashboards:dashboard"), {"program": "new-term", "year": 2024}),
             (reverse("dashboards:target", args=["N01"]), {"program": "new-term", "year": 2024})]
    counts = []
    for url, params in pages:
        with django_assert_max_num_queries(80) as small:
            client.get(url, params)
        counts.append(len(small.captured_queries))
    bulk_add_children(world.chau_doc, [Unit(code=f"AG.884.{n:05d}", name=f"CĐCS {n}", kind=UnitKind.GRASSROOTS,
                                            ownership="non_state", workers=50, members=40) for n in range(2, 102)])
    for (url, params), count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url, params)
