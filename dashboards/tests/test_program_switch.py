"""Pages about targets, plans, tasks and documents say which program they are about and switch
to another: each program's pages show only its own targets."""

import datetime

import pytest
from django.urls import reverse

from programs.choice import in_force_for
from programs.loading import load_program
from programs.testing import district_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(tmp_path, world, program):
    path = tmp_path / "plan.yaml"
    path.write_text(district_plan())
    return load_program(path)[0]


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_dashboard_shows_the_chosen_program_s_targets_only_and_remembers_the_choice(client, world, program, plan):
    client.force_login(world.approver)  # Long Xuyên: both programs apply to it
    url = reverse("dashboards:dashboard")
    own = _page(client, f"{url}?program={plan.code}&unit=AG.883")
    assert "D01" in own and ">T01<" not in own and plan.title in own
    assert f'<option value="{program.code}"' in own  # the switch offers the province's program
    assert "D01" in _page(client, f"{url}?unit=AG.883")  # remembered for the session
    province = _page(client, f"{url}?program={program.code}&unit=AG.883")
    assert ">T01<" in province and "D01" not in province


def test_the_target_page_switched_to_a_program_without_the_target_goes_to_its_targets(client, world, program, plan):
    client.force_login(world.admin)
    response = client.get(reverse("dashboards:target", args=["T01"]) + f"?program={plan.code}")
    assert response.status_code == 302 and f"program={plan.code}" in response["Location"]


def test_program_detail_and_plans_switch_by_address(client, world, program, plan):
    client.force_login(world.admin)
    response = client.get(reverse("programs:detail", args=[program.code]) + f"?program={plan.code}")
    assert response.status_code == 302 and response["Location"] == reverse("programs:detail", args=[plan.code])
    detail = _page(client, reverse("programs:detail", args=[plan.code]))
    assert "D01" in detail and 'name="program"' in detail
    response = client.get(reverse("plans:status", args=[program.code, "AG"]) + f"?program={plan.code}")
    assert response.status_code == 302 and response["Location"] == reverse("plans:status", args=[plan.code, "AG"])


def test_the_documents_page_is_about_the_chosen_program(client, world, program, plan):
    client.force_login(world.admin)
    page = _page(client, reverse("exports:index") + f"?program={plan.code}")
    assert plan.title in page
    assert program.title in _page(client, reverse("exports:index") + f"?program={program.code}")


def test_a_district_s_own_plan_does_not_replace_the_province_s_program_by_default(world, program, plan):
    program.issuer_unit = world.province
    program.save()
    assert in_force_for(world.school, datetime.date(2024, 6, 1)) == program
    assert in_force_for(world.market, datetime.date(2024, 6, 1)) == program
