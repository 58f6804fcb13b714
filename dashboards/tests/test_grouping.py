"""The province's breakdown groups its units by kind: the upper-level unions ranked among
themselves first, then the grassroots unions attached directly to the province as one folded
group, ranked among themselves; a single grassroots union at 100 % never tops the districts."""

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


@pytest.fixture
def direct(world, reported):
    """Two grassroots unions attached directly to the province report for 2024: 10/10 and 9/10."""
    port = GrassrootsFactory(parent=world.province, code="AG.00001", name="Công đoàn Cảng An Giang", workers=10)
    radio = GrassrootsFactory(parent=world.province, code="AG.00002", name="Công đoàn Đài Phát thanh", workers=10)
    make_report(reported, port, Report.Status.APPROVED, workers=10, members=10)
    make_report(reported, radio, Report.Status.APPROVED, workers=10, members=9)
    refresh_rollups()
    return port, radio


def ranked(body: str, name: str) -> list[tuple[str, str]]:
    """(rank, code) of each row of the list `name` (ranking, direct)."""
    table = body.split(f'<div class="list" id="list-{name}">', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<td class="num">(\d*)</td>\s*<td class="name">.*?</td>\s*<td class="code">([\w.]+)</td>',
                      table, re.S)


def test_upper_level_unions_first_the_directly_attached_grassroots_unions_folded_apart(client, world, direct):
    body = login(client, world.admin).get(reverse("dashboards:target", args=["T19"]), {"year": 2024}).content.decode()
    # Long Xuyên's 40/40 = 100% is the one upper-level figure; the others have none (no rank)
    upper = ranked(body, "ranking")
    assert upper[0] == ("1", "AG.883") and sorted(upper[1:]) == [("", "AG.884"), ("", "AG.YT")]
    assert ranked(body, "direct") == [("1", "AG.00001"), ("2", "AG.00002")]
    assert body.index('id="list-ranking"') < body.index('<details class="direct-group" id="direct">')
    assert "2 CĐCS trực thuộc LĐLĐ tỉnh</summary>" in body
    assert '<details class="direct-group" id="direct" open>' not in body  # folded until asked for
    chart = json.loads(body.split('<script id="chart-data" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert chart["children"]["full_names"] == ["Liên đoàn Lao động thành phố Long Xuyên"]  # like with like there too


def test_the_folded_group_opens_on_its_own_sorting_and_downloads_alone(client, world, direct):
    login(client, world.admin)
    url = reverse("dashboards:target", args=["T19"])
    body = client.get(url, {"year": 2024, "direct_sort": "value"}).content.decode()
    assert '<details class="direct-group" id="direct" open>' in body
    assert ranked(body, "direct") == [("2", "AG.00002"), ("1", "AG.00001")]
    assert ranked(body, "ranking")[0] == ("1", "AG.883")  # the other list keeps its order
    response = client.get(url, {"year": 2024, "xlsx": "direct"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[2] for row in rows[1:]] == ["AG.00001", "AG.00002"]


def test_a_unit_with_grassroots_unions_only_keeps_one_list(client, world, direct):
    body = login(client, world.admin).get(reverse("dashboards:target", args=["T19"]),
                                          {"year": 2024, "unit": "AG.883"}).content.decode()
    assert 'class="direct-group"' not in body and "Công đoàn cấp trên</h3>" not in body
    assert [code for _, code in ranked(body, "ranking")] == ["AG.883.00001", "AG.883.00002"]
