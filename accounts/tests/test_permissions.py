"""One helper decides who sees which unit; these tests hold it to the rule."""

import pytest

from accounts.models import Role, User
from accounts.permissions import can_approve_for, can_edit_unit_data, can_view_unit, visible_units
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


def test_viewers_cannot_edit_and_reporters_edit_only_their_subtree(world):
    assert not can_edit_unit_data(world.viewer, world.school)
    assert not can_edit_unit_data(world.sector_viewer, world.hospital)
    assert can_edit_unit_data(world.reporter, world.school)
    assert not can_edit_unit_data(world.reporter, world.factory)
    assert not can_edit_unit_data(world.sibling_reporter, world.school)


def test_approvers_approve_their_direct_children_only(world):
    assert can_approve_for(world.approver, world.school)
    assert can_approve_for(world.approver, world.factory)
    assert not can_approve_for(world.approver, world.market)
    assert not can_approve_for(world.approver, world.long_xuyen)
    assert not can_approve_for(world.approver_cd, world.school)
    assert not can_approve_for(world.reporter, world.school)
    assert can_approve_for(world.admin, world.long_xuyen)
