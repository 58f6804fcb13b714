"""A target carried across terms: one series over both programs on the target page, the term
boundary marked, each year judged against its own program's target, the old final figure as
the new baseline. Two little programs (programs.testing.two_terms, the `terms` fixture of conftest.py):

    old-term 2023  T01 members ÷ workers ≥ 85%   school 40/50 + factory 860/950 = 900/1000 = 90%  met
    new-term 2024  N01 (continues T01) ≥ 96%     school 45/50 + factory 905/950 = 950/1000 = 95%  not met
"""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.testing import login
from indicators.engine import Engine, baseline, continued_series

pytestmark = pytest.mark.django_db


def test_the_series_runs_across_both_terms_each_year_against_its_own_target(world, terms):
    old, new = terms
    target = new.targets.get(code="N01")
    series = continued_series(Engine(new), target, world.province)
    assert [(t.program.code, t.target.code) for t in series] == [("old-term", "T01"), ("new-term", "N01")]
    [(y2023, r2023)], [(y2024, r2024)] = (list(t.results.items()) for t in series)
    assert (y2023, r2023.value, r2023.target.value, r2023.status) == (2023, 90, 85, "met")
    assert (y2024, r2024.value, r2024.target.value, r2024.status) == (2024, 95, 96, "not_met")
    assert baseline(series, target) is r2023
    # Seen from the old target, the same series, carried on by the new one.
    from_old = continued_series(Engine(old), old.targets.get(code="T01"), world.province)
    assert [t.target.code for t in from_old] == ["T01", "N01"]


def _chart(html: str) -> dict:
    return json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)[1])


def test_the_target_page_shows_one_series_the_boundary_and_the_baseline(client, world, terms):
    login(client, world.admin)
    page = client.get(reverse("dashboards:target", args=["N01"]), {"program": "new-term", "unit": "AG"})
    html = page.content.decode()
    chart = _chart(html)
    assert chart["trend"] == {"years": [2023, 2024], "values": [90.0, 95.0], "targets": [85.0, 96.0]}
    assert chart["terms"] == [{"year": 2024, "label": "Chương trình 2023–2024"}]
    assert "Cơ sở (2023): 90%" in html
    table = html[html.index("trend-table"):]
    assert table.index("Chương trình 2020–2023") < table.index("2023</td>") < table.index(
        "Chương trình 2023–2024") < table.index("2024</td>")
    # The old program's page shows the same series, with no baseline of its own.
    old_page = client.get(reverse("dashboards:target", args=["T01"]), {"program": "old-term"}).content.decode()
    assert _chart(old_page)["trend"]["values"] == [90.0, 95.0]
    assert "Cơ sở" not in old_page


def test_a_target_continuing_none_shows_its_own_years_only(client, world, terms):
    login(client, world.admin)
    old, new = terms
    new.targets.filter(code="N01").update(continues=None)
    html = client.get(reverse("dashboards:target", args=["N01"]), {"program": "new-term"}).content.decode()
    assert _chart(html)["trend"]["years"] == [2024]
    assert _chart(html)["terms"] == [] and "Cơ sở" not in html


def test_the_indicators_command_gives_the_baseline(world, terms):
    out = io.StringIO()
    call_command("indicators", unit="AG", period=2024, program="new-term", json=True, stdout=out)
    [row] = json.loads(out.getvalue())
    assert row["baseline"] == {"program": "old-term", "target": "T01", "year": 2023, "value": 90.0}


def test_the_continued_page_costs_the_same_queries_for_more_units(client, world, terms,
                                                                  django_assert_max_num_queries):
    from units.loading import bulk_add_children
    from units.models import Unit, UnitKind

    login(client, world.admin)
    url, params = reverse("dashboards:target", args=["N01"]), {"program": "new-term"}
    with django_assert_max_num_queries(60) as small:
        client.get(url, params)
    bulk_add_children(world.chau_doc, [Unit(code=f"AG.884.{n:05d}", name=f"CĐCS {n}", kind=UnitKind.GRASSROOTS,
                                            ownership="non_state", workers=50, members=40) for n in range(2, 202)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url, params)
