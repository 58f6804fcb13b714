import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from api.testing import TokenClient
from reporting.models import Report
from reporting.testing import make_report
from tests.factories import GrassrootsFactory
from units.models import UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_results_are_the_dashboards_numbers(w):
    client = _session(w.admin)
    page = client.get("/dashboards/", {"unit": w.long_xuyen.code, "year": 2024, "view": "now"})
    shown = {row["result"].target.code: row["result"] for group in page.context["groups"] for row in group["rows"]}
    answer = client.get("/api/v1/results/", {"unit": w.long_xuyen.code, "year": 2024, "view": "now"}).json()
    # The dashboard leaves out the targets that do not concern the subtree; the API names them.
    assert {r["code"] for r in answer["results"] if r["applies"]} == set(shown)
    assert {r["code"] for r in answer["results"] if not r["applies"]}  # T09, T11: no such units here
    for result in (r for r in answer["results"] if r["applies"]):
        expected = shown[result["code"]].as_dict()
        for field in ("value", "numerator", "denominator", "status", "projected", "coverage", "reported",
                      "expected"):
            assert result[field] == expected[field], (result["code"], field)
    assert any(r["value"] is not None for r in answer["results"])  # the factory's approved report counts


def test_the_results_of_another_subtree_are_not_found(w):
    client = TokenClient(w.reporter)
    assert client.get("/api/v1/results/", {"unit": w.market.code, "year": 2024}).status_code == 404
    assert client.get("/api/v1/results/", {"year": 1999}).status_code == 400
    assert client.get("/api/v1/results/", {"view": "sideways"}).status_code == 400


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_the_province_results_take_the_same_queries_at_two_sizes(w):
    client = _session(w.admin)
    params = {"unit": w.province.code, "year": 2024}
    _queries(client, "/api/v1/results/", params)  # warm: content types, the session
    small = _queries(client, "/api/v1/results/", params)
    for n in range(30):
        unit = GrassrootsFactory(parent=w.chau_doc if n % 2 else w.long_xuyen, kind=UnitKind.GRASSROOTS, workers=50)
        make_report(w.period, unit, Report.Status.APPROVED, datetime.date(2025, 1, 5), workers=50, members=40)
    large = _queries(client, "/api/v1/results/", params)
    assert small == large


def test_a_repeated_results_request_gets_not_modified_until_the_figures_change(w):
    client = TokenClient(w.admin)
    first = client.get("/api/v1/results/", {"year": 2024})
    tag = first["ETag"]
    again = client.get("/api/v1/results/", {"year": 2024}, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and not again.content
    unit = GrassrootsFactory(parent=w.chau_doc, workers=70)
    make_report(w.period, unit, Report.Status.APPROVED, datetime.date(2025, 1, 5), workers=70, members=70)
    assert client.get("/api/v1/results/", {"year": 2024}, HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_units_come_page_by_page_filtered_and_within_the_subtree(w):
    client = TokenClient(w.approver)
    rows = client.get("/api/v1/units/").json()["results"]
    codes = [u["code"] for u in rows]
    assert codes == [w.long_xuyen.code, w.school.code, w.factory.code]
    assert rows[0]["parent"] is None  # the province is not the approver's to see, not even by its code
    first = client.get("/api/v1/units/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    assert [u["code"] for u in first["results"] + second["results"]] == codes and second["next"] is None
    assert [u["code"] for u in client.get("/api/v1/units/", {"parent": w.long_xuyen.code}).json()["results"]] == [
        w.school.code, w.factory.code]
    assert [u["parent"] for u in client.get("/api/v1/units/", {"kind": "grassroots"}).json()["results"]] == [
        w.long_xuyen.code] * 2
    assert client.get("/api/v1/units/", {"parent": w.chau_doc.code}).status_code == 404
    assert client.get(f"/api/v1/units/{w.market.code}/").status_code == 404
    found = client.get("/api/v1/units/", {"q": w.factory.name.split()[-1]}).json()["results"]
    assert [u["code"] for u in found] == [w.factory.code]


def test_the_tree_of_a_day_has_the_parents_of_that_day(w):
    client = TokenClient(w.admin)
    answer = client.get("/api/v1/units/", {"on": "2024-06-30", "parent": w.long_xuyen.code}).json()["results"]
    assert {u["code"]: u["parent"] for u in answer} == {w.school.code: w.long_xuyen.code,
                                                        w.factory.code: w.long_xuyen.code}
    assert client.get("/api/v1/units/", {"on": "30/06/2024"}).status_code == 400


def test_a_units_page_seen_before_answers_not_modified(w):
    client = TokenClient(w.approver)
    first = client.get("/api/v1/units/")
    assert client.get("/api/v1/units/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
