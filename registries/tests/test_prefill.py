"""A report's registry figures: prefilled on the form, and a typed figure that differs from the
registry needs a comment before the report goes (a warning finding); no registry kept, no change."""

import datetime

import pytest

from accounts.testing import login
from registries.testing import agreement, home, initiative
from reporting.models import Report
from reporting.testing import GOOD_GRASSROOTS, entry_url, form_data, report_of

pytestmark = pytest.mark.django_db
D = datetime.date
# The factory (an enterprise) is asked what the school is not.
FACTORY = {**GOOD_GRASSROOTS, "workers": 1200, "members": 1000, "officers": 9, "cba_quality_class": "A",
           "employee_conference_held": True, "workplace_dialogue_held": True}


@pytest.fixture
def kept(world, period):
    """The factory's registries for 2024: two houses handed over (one in 2023, not counted),
    an agreement in force classed A, no initiatives (the registry of initiatives is not kept)."""
    home(world.factory, D(2024, 3, 1), "Người Một")
    home(world.factory, D(2024, 9, 1), "Người Hai")
    home(world.factory, D(2023, 9, 1), "Người Trước")
    agreement(world.factory, D(2022, 5, 1), quality_class="A", classed_year=2023, more_favourable=True)
    return period


def test_the_form_is_prefilled_from_the_registry(client, world, kept):
    login(client, world.approver)  # the factory has no officer: the district enters its report
    page = client.get(entry_url(kept, world.factory.code))
    form = page.context["form"]
    assert form.initial["union_homes"] == 2
    assert (form.initial["cba_signed"], form.initial["cba_quality_class"]) == ("yes", "A")
    assert form.initial["initiatives"] is None  # nothing kept: not prefilled
    body = page.content.decode()
    assert f"?element=union_homes&amp;period={kept.pk}" in body


def test_a_figure_that_differs_needs_a_comment(client, world, kept):
    login(client, world.approver)
    values = {**FACTORY, "union_homes": 3}
    response = client.post(entry_url(kept, world.factory.code), form_data(values, submit="1"))
    assert response.status_code == 400
    report = report_of(kept, world.factory)
    assert report.status == Report.Status.DRAFT
    findings = [f for f in response.context["fields"] if f["element"].code == "union_homes"][0]["findings"]
    assert [f.rule for f in findings] == ["registry"]
    # explained: it goes
    response = client.post(entry_url(kept, world.factory.code), form_data(
        values, version=report.version, submit="1", union_homes__comment="Một căn bàn giao ngày 31/12 chưa vào sổ"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_the_registrys_figure_goes_without_a_comment(client, world, kept):
    login(client, world.approver)
    values = {**FACTORY, "union_homes": 2}
    response = client.post(entry_url(kept, world.factory.code), form_data(values, submit="1"))
    assert response.status_code == 302
    assert report_of(kept, world.factory).status == Report.Status.SUBMITTED


def test_a_unit_keeping_no_registry_reports_as_before(client, world, period):
    initiative(world.factory, 2024, "Của nhà máy")  # another unit's registry: nothing to do with the school
    login(client, world.reporter)
    response = client.post(entry_url(period, world.school.code), form_data({**GOOD_GRASSROOTS, "union_homes": 4},
                                                                            submit="1"))
    assert response.status_code == 302
    assert report_of(period, world.school).status == Report.Status.SUBMITTED
