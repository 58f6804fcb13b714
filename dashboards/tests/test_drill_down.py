"""Drill-down: every unit of a target's breakdown, a grassroots union's included, opens its own
figures (in the table and from the chart's bars), keeping the program, year and choices."""

import json
import re

import pytest
from django.urls import reverse

from accounts.testing import login

pytestmark = pytest.mark.django_db


def unit_links(body: str) -> dict[str, str]:
    """The ranking table's unit links, by unit code."""
    table = body.split('class="table-wrap list-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<td class="name"><a href="\?([^"]*)">.*?</a></td>\s*<td class="code">([\w.]+)</td>', table)
    return {code: link.replace("&amp;", "&") for link, code in rows}


def test_every_unit_of_the_breakdown_grassroots_too_links_to_its_own_figures(client, world, reported):
    login(client, world.admin)
    url = reverse("dashboards:target", args=["T19"])
    province = client.get(url, {"year": 2024, "submitted": 1}).content.decode()
    assert set(unit_links(province)) == {"AG.883", "AG.884", "AG.YT"}
    district = client.get(url + "?" + unit_links(province)["AG.883"]).content.decode()
    links = unit_links(district)
    assert set(links) == {"AG.883.00001", "AG.883.00002"}
    school = links["AG.883.00001"]
    assert "unit=AG.883.00001" in school and "year=2024" in school and "submitted=1" in school and "program=" in school
    opened = client.get(url + "?" + school)
    assert opened.status_code == 200
    body = opened.content.decode()
    assert '<p class="muted">Công đoàn Trường Tiểu học Mỹ Bình</p>' in body
    assert '<span class="dash-value">100%</span>' in body  # the school's own 40 / 40


def test_the_charts_bars_open_the_same_figures(client, world, reported):
    body = login(client, world.admin).get(reverse("dashboards:target", args=["T19"]),
                                          {"year": 2024, "unit": "AG.883", "submitted": 1}).content.decode()
    chart = json.loads(body.split('<script id="chart-data" type="application/json">', 1)[1].split("</script>", 1)[0])
    ranked = chart["children"]
    assert len(ranked["links"]) == len(ranked["names"]) == 2
    assert [link for link in ranked["links"] if "unit=AG.883.00001" in link] == ["?" + unit_links(body)["AG.883.00001"]]
