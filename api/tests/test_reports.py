import pytest
from django.core.cache import cache

from api.testing import TokenClient, complete_values
from audit.models import AuditEntry
from reporting.actions import values_of
from reporting.models import Report

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def test_a_reporter_changes_and_submits_a_draft_the_approver_approves_it(w):
    reporter = TokenClient(w.reporter, "phần mềm huyện")
    url = f"/api/v1/reports/{w.school_report.pk}/"
    values = complete_values(w.school, 2024)
    changed = reporter.patch(url, {"version": 0, "values": {**values, "workers": 41}}, content_type=JSON)
    assert changed.status_code == 200, changed.content
    assert changed.json()["values"]["workers"] == 41 and changed.json()["version"] == 1
    # A write based on the version read before someone else's change is refused, naming nothing saved.
    stale = reporter.patch(url, {"version": 0, "values": {"workers": 1}}, content_type=JSON)
    assert stale.status_code == 409
    assert values_of(w.school_report)["workers"] == 41
    submitted = reporter.post(url + "submit/", {"version": 1}, content_type=JSON)
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == Report.Status.SUBMITTED
    assert reporter.post(url + "approve/", {"version": 2}, content_type=JSON).status_code == 403
    approver = TokenClient(w.approver, "duyệt")
    approved = approver.post(url + "approve/", {"version": 2, "comment": "Đạt"}, content_type=JSON)
    assert approved.status_code == 200 and approved.json()["status"] == Report.Status.APPROVED
    entries = AuditEntry.objects.filter(object_pk=str(w.school_report.pk), content_type__model="report")
    named = {(e.additional_data["event"], e.additional_data.get("api_token")) for e in entries}
    assert named == {("saved", f"phần mềm huyện ({reporter.token.prefix}…)"),
                     ("submitted", f"phần mềm huyện ({reporter.token.prefix}…)"),
                     ("approved", f"duyệt ({approver.token.prefix}…)")}


def test_a_value_the_form_refuses_is_refused_by_field_and_nothing_saved(w):
    reporter = TokenClient(w.reporter)
    url = f"/api/v1/reports/{w.school_report.pk}/"
    answer = reporter.patch(url, {"version": 0, "values": {"workers": -3, "members": 5}}, content_type=JSON)
    assert answer.status_code == 400
    assert [e["field"] for e in answer.json()["errors"]] == ["workers"]
    assert reporter.patch(url, {"version": 0, "values": {"no_such": 5}}, content_type=JSON).json()["errors"][0][
        "field"] == "no_such"
    assert values_of(w.school_report) == {}


def test_a_return_needs_a_comment_and_follows_the_page_rules(w):
    reporter = TokenClient(w.reporter)
    url = f"/api/v1/reports/{w.school_report.pk}/"
    reporter.patch(url, {"version": 0, "values": complete_values(w.school, 2024)}, content_type=JSON)
    assert reporter.post(url + "submit/", {"version": 1}, content_type=JSON).status_code == 200
    approver = TokenClient(w.approver)
    assert approver.post(url + "return/", {"version": 2}, content_type=JSON).status_code == 409
    returned = approver.post(url + "return/", {"version": 2, "comment": "Thiếu số liệu"}, content_type=JSON)
    assert returned.status_code == 200 and returned.json()["status"] == Report.Status.RETURNED


def test_a_report_outside_the_subtree_is_not_found_and_not_changed(w):
    outsider = TokenClient(w.sibling_reporter)
    url = f"/api/v1/reports/{w.school_report.pk}/"
    assert outsider.get(url).status_code == 404
    assert outsider.patch(url, {"version": 0, "values": {"workers": 3}}, content_type=JSON).status_code == 404
    assert TokenClient(w.viewer).patch(url, {"version": 0, "values": {"workers": 3}},
                                       content_type=JSON).status_code == 403
    assert values_of(w.school_report) == {}


def test_a_draft_is_created_for_a_year(w):
    w.school_report.delete()
    reporter = TokenClient(w.reporter)
    made = reporter.post("/api/v1/reports/", {"unit": w.school.code, "year": 2024, "values": {"workers": 39}},
                         content_type=JSON)
    assert made.status_code == 201, made.content
    assert made.json()["values"] == {"workers": 39} and made.json()["year"] == 2024
    again = reporter.post("/api/v1/reports/", {"unit": w.school.code, "year": 2024}, content_type=JSON)
    assert again.status_code == 409
    assert reporter.post("/api/v1/reports/", {"unit": w.school.code, "year": 2031},
                         content_type=JSON).status_code == 404
    assert reporter.post("/api/v1/reports/", {"unit": w.market.code, "year": 2024},
                         content_type=JSON).status_code == 404


def test_lists_show_only_the_subtree(w):
    codes = {r["unit"] for r in TokenClient(w.reporter).get("/api/v1/reports/").json()["results"]}
    assert codes == {w.school.code}
    codes = {r["unit"] for r in TokenClient(w.approver).get("/api/v1/reports/?year=2024").json()["results"]}
    assert codes == {w.school.code, w.factory.code}
