"""The data-entry form, the decision forms (approve, return, reopen) and the period form fed
with what they should refuse: wrong types, impossible numbers, missing and tampered fields.
Every refusal says which field and why, and stores nothing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.testing import login
from reporting.actions import do_submit, get_or_create_report, values_of
from reporting.models import DataValue, Period, Report
from reporting.testing import GOOD_GRASSROOTS
from tests.bad_input.helpers import add_elements, counts

pytestmark = pytest.mark.django_db

SCHOOL = "AG.883.00001"


def entry_url(period, code=SCHOOL):
    return reverse("reporting:entry", args=[period.id, code])


def form_data(values: dict, version=0, **extra) -> dict:
    data = {"version": version, **extra}
    for code, value in values.items():
        data[code] = {True: "yes", False: "no", None: ""}.get(value, value) if isinstance(value, bool | None) else value
    return data


def field_errors(response) -> dict[str, list[str]]:
    """The form's errors by field, as codes."""
    return {name: [e.code for e in errors] for name, errors in response.context["form"].errors.as_data().items()}


# One bad value per field, so that one request checks many: each field must carry its own error.
WRONG_COUNTS = {
    "workers": "bốn mươi",  # text in a number field
    "members": "1e400",  # beyond a float
    "officers": "NaN",
    "officers_trained": "Infinity",
    "workers_informed": "-5",  # negative
    "workers_upskilled": "1.234,5",  # Vietnamese separators, not a whole number
    "union_homes": "1e308",
    "initiatives": str(10**30),
    "party_referrals": "9" * 5000,  # more digits than Python converts to int by default
    "volunteers": str(10**30),  # a count with no upper bound in the program: the database's own limit
}
WRONG_OTHERS = {
    "coverage": "NaN",  # percent
    "remarks": "x" * 501,  # text, longer than DataValue.text
    "cba_signed": "maybe",  # yes / no
    "cba_quality_class": "E",
    "implementation_plan_date": "31/02/2024",
}
MORE_WRONG = {
    "workers": "²",  # a digit to str.isdigit(), not to int()
    "members": "12.5",
    "officers": "0x10",
    "coverage": "1.234,5",
    "implementation_plan_date": "0001-01-01",  # a date, but not a plausible one
    "cba_signed": ["yes", "no"][0] + "\x00",
}


@pytest.mark.parametrize("bad", [{**WRONG_COUNTS, **WRONG_OTHERS}, MORE_WRONG], ids=["batch1", "batch2"])
def test_wrong_values_are_refused_field_by_field_and_nothing_is_saved(client, world, period, bad, program):
    add_elements(program)
    login(client, world.reporter)
    before = counts()
    response = client.post(entry_url(period), form_data({}, save="1", **bad))
    assert response.status_code == 400
    errors = field_errors(response)
    assert set(errors) == set(bad), f"every bad field, and only those, has an error: {errors}"
    assert counts() == before
    page = response.content.decode()
    assert page.count('class="error"') >= len(bad)


def test_a_count_without_an_upper_bound_is_limited_to_what_the_database_holds(client, world, period, program):
    add_elements(program)
    login(client, world.reporter)
    response = client.post(entry_url(period), form_data({"volunteers": 10**12}, save="1"))
    assert response.status_code == 400 and field_errors(response) == {"volunteers": ["max_value"]}
    response = client.post(entry_url(period), form_data({"volunteers": 10**12 - 1}, save="1"))
    assert response.status_code == 302
    assert values_of(Report.objects.get(period=period, unit=world.school))["volunteers"] == 10**12 - 1


def test_a_repeated_field_is_read_once_and_stored_as_one_value(client, world, period):
    """A form field sent twice (a "list") is one value (the last), never a list in the database."""
    login(client, world.reporter)
    response = client.post(entry_url(period), {"version": 0, "save": "1", "workers": ["40", "41"]})
    assert response.status_code == 302
    assert values_of(Report.objects.get(period=period, unit=world.school)) == {"workers": 41}


@pytest.mark.parametrize("version", [None, "", "abc", "-1", str(10**30), "1e400"])
def test_a_missing_or_tampered_version_is_refused_with_a_message(client, world, period, version):
    login(client, world.reporter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = form_data({"workers": 40}, save="1")
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    before = counts()
    response = client.post(entry_url(period), data)
    assert response.status_code == 400
    assert "version" in field_errors(response)
    assert "reload the page" in response.content.decode(), "the hidden field's error is shown"
    assert counts() == before


def test_every_field_missing_saves_nothing(client, world, period):
    login(client, world.reporter)
    before = counts()
    response = client.post(entry_url(period), {})
    assert response.status_code == 400
    assert counts() == before


def submitted_report(world, period) -> Report:
    report = get_or_create_report(period, world.school)
    from reporting.actions import do_save_values

    do_save_values(report, GOOD_GRASSROOTS, {}, world.reporter, 0)
    report.refresh_from_db()
    return do_submit(report, world.reporter, report.version)


@pytest.mark.parametrize("version", ["", "abc", str(10**30), "-1"])
@pytest.mark.parametrize("decision", ["approve", "return", "reopen"])
def test_a_decision_with_a_tampered_version_is_refused_not_a_500(client, world, period, decision, version):
    report = submitted_report(world, period)
    login(client, world.admin if decision == "reopen" else world.approver)
    before = counts()
    response = client.post(reverse(f"reporting:{decision}", args=[report.id]), {"version": version, "comment": "Sửa"},
                           follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == entry_url(period)
    assert counts() == before
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1, "the user is told why nothing happened, once"


@pytest.mark.parametrize("decision", ["return", "reopen"])
def test_a_decision_comment_over_the_limit_is_explained_not_forbidden(client, world, period, decision):
    report = submitted_report(world, period)
    login(client, world.admin if decision == "reopen" else world.approver)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    before = counts()
    response = client.post(reverse(f"reporting:{decision}", args=[report.id]),
                           {"version": report.version, "comment": "x" * 2001}, follow=True)
    assert counts() == before
    if decision == "return":
        # The return form answers on the report page itself, the error beside the comment (400).
        assert response.status_code == 400, "a comment too long is the user's mistake to correct, not a 403"
        said = response.content.decode()
    else:
        assert response.status_code == 200, "a comment too long is the user's mistake to correct, not a 403"
        said = " ".join(str(m) for m in response.context["messages"])
    assert "2000" in said or "2.000" in said


PERIOD_BAD = [
    {"kind": "year", "year": "hai nghìn", "half": "0", "due_on": "2025-01-15"},
    {"kind": "year", "year": str(10**30), "half": "0", "due_on": "2025-01-15"},
    {"kind": "year", "year": "-2024", "half": "0", "due_on": "2025-01-15"},
    {"kind": "year", "year": "1e400", "half": "0", "due_on": "2025-01-15"},
    {"kind": "year", "year": "2024", "half": "0", "due_on": "15/01/99999"},
    {"kind": "<script>alert(1)</script>", "year": "2024", "half": "0", "due_on": "2025-01-15"},
    {"kind": "half", "year": "2024", "half": "NaN", "due_on": "2025-01-15"},
    {"year": "2024"},
]


def test_the_period_form_refuses_wrong_values(client, world, program):
    login(client, world.admin)
    before = Period.objects.count()
    for data in PERIOD_BAD:
        response = client.post(reverse("reporting:periods"), data)
        assert response.status_code == 400, data
        assert response.context["form"].errors, data
        assert "<script>alert(1)" not in response.content.decode()
    assert Period.objects.count() == before
    assert not DataValue.objects.exists()
