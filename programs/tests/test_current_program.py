"""One function picks "the program" for the pages, documents and commands that name none."""

import pytest

from programs.models import Program

pytestmark = pytest.mark.django_db


def test_the_current_program_is_the_one_whose_term_ends_last(program):
    later = Program.objects.create(code="an-giang-xii-2025-2030", title="Chương trình hành động", issuer="Ban",
                                   term_start=2025, term_end=2030)
    assert Program.objects.current() == later
    later.delete()
    assert Program.objects.current() == program


def test_no_program_no_current_program(no_program):
    assert Program.objects.current() is None


def test_the_dashboard_shows_the_current_program(client, world, program):
    from accounts.testing import login

    Program.objects.create(code="older", title="Older", issuer="Ban", term_start=2015, term_end=2020,
                           reporting_years=[2016])
    login(client, world.admin)
    assert client.get("/dashboards/").context["program"] == program
