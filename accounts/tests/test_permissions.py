"""One helper decides who sees which unit; these tests hold it to the rule."""

import pytest

from accounts.models import Role, User
from accounts.permissions import (
    can_approve_for,
    can_approve_report,
    can_edit_unit_data,
    can_return_report,
    can_view_unit,
    is_on_behalf,
    visible_units,
)
from reporting.actions import do_save_values, do_submit, get_or_create_report
from reporting.testing import GOOD_GRASSROOTS, report_steps
from units.models import Unit

pytestmark = pytest.mark.django_db


def visible_codes(user) -> set[str]:
    return set(visible_units(user).values_list("code", flat=True))


def test_province_admin_sees_every_unit(world):
    assert visible_codes(world.admin) == set(Unit.objects.values_list("code", flat=True))


def test_district_approver_sees_only_its_district(world):
    assert visible_codes(world.approver) == {"AG.883", "AG.883.00001", "AG.883.00002"}


def test_grassroots_reporter_sees_only_its_own_union(world):
    assert visible_codes(world.reporter) == {"AG.883.00001"}
    assert not can_view_unit(world.reporter, world.factory)
    assert not can_view_unit(world.reporter, world.long_xuyen)


def test_user_without_unit_and_anonymous_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    loose = User.objects.create(username="loose", role=Role.VIEWER)
    assert visible_codes(loose) == set()
    assert visible_codes(AnonymousUser()) == set()
    assert not can_view_unit(AnonymousUser(), world.school)


def test_viewers_cannot_edit_and_reporters_edit_only_their_own_unit(world):
    assert not can_edit_unit_data(world.viewer, world.school)
    assert not can_edit_unit_data(world.sector_viewer, world.hospital)
    assert can_edit_unit_data(world.reporter, world.school)
    assert not can_edit_unit_data(world.reporter, world.factory)
    assert not can_edit_unit_data(world.sibling_reporter, world.school)


def test_a_reporter_of_an_upper_level_union_enters_that_unions_data_only(world):
    district_reporter = User.objects.create(username="lx_reporter", unit=world.long_xuyen, role=Role.REPORTER)
    assert can_edit_unit_data(district_reporter, world.long_xuyen)
    assert not can_edit_unit_data(district_reporter, world.school)
    assert not can_edit_unit_data(district_reporter, world.factory)


def test_an_approver_enters_its_own_unit_and_on_behalf_of_the_unions_directly_below(world):
    assert can_edit_unit_data(world.approver, world.long_xuyen)
    assert can_edit_unit_data(world.approver, world.school)
    assert is_on_behalf(world.approver, world.school.pk) and not is_on_behalf(world.approver, world.long_xuyen.pk)
    assert not can_edit_unit_data(world.approver, world.market)
    assert not can_edit_unit_data(world.approver_cd, world.school)
    assert can_edit_unit_data(world.admin, world.school) and is_on_behalf(world.admin, world.school.pk)


def test_nobody_approves_a_report_they_entered_or_submitted(world, period):
    school = get_or_create_report(period, world.school)
    do_save_values(school, GOOD_GRASSROOTS, {}, by=world.approver, expected_version=0)
    do_submit(school, by=world.approver, expected_version=1)
    assert report_steps(school).filter(additional_data__event="submitted").get().additional_data["on_behalf"]
    assert can_return_report(world.approver, school)
    assert not can_approve_report(world.approver, school)
    assert can_approve_report(world.admin, school)  # a second person

    factory = get_or_create_report(period, world.factory)
    do_save_values(factory, {"workers": 1200}, {}, by=world.admin, expected_version=0)
    assert not can_approve_report(world.admin, factory)  # the province typed it (a correction, say)
    assert can_approve_report(world.approver, factory)


def test_approvers_approve_their_direct_children_only(world):
    assert can_approve_for(world.approver, world.school)
    assert can_approve_for(world.approver, world.factory)
    assert not can_approve_for(world.approver, world.market)
    assert not can_approve_for(world.approver, world.long_xuyen)
    assert not can_approve_for(world.approver_cd, world.school)
    assert not can_approve_for(world.reporter, world.school)
    assert can_approve_for(world.admin, world.long_xuyen)
