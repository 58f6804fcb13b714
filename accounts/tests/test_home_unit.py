"""Which unit a user's pages open on, and which ancestors their breadcrumbs show: one helper
each in accounts.permissions, which the dashboard, the tree, the plans and the periods use."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role, User
from accounts.permissions import home_unit, visible_ancestors
from accounts.testing import login

pytestmark = pytest.mark.django_db


def test_home_unit_is_the_users_own_unit(world):
    assert home_unit(world.approver) == world.long_xuyen
    assert home_unit(world.reporter) == world.school


def test_a_province_administrator_bound_to_no_unit_starts_at_the_province(world):
    admin = User.objects.create(username="head-office", role=Role.PROVINCE_ADMIN)
    assert home_unit(admin) == world.province


def test_someone_who_sees_nothing_has_no_home_unit(world):
    assert home_unit(User.objects.create(username="loose", role=Role.VIEWER)) is None
    assert home_unit(AnonymousUser()) is None


def test_visible_ancestors_stop_at_the_users_own_unit(world):
    assert visible_ancestors(world.admin, world.school) == [world.province, world.long_xuyen]
    assert visible_ancestors(world.approver, world.school) == [world.long_xuyen]
    assert visible_ancestors(world.reporter, world.school) == []


def test_the_pages_open_on_the_home_unit_and_show_only_visible_ancestors(client, world, program):
    admin = User.objects.create(username="head-office", role=Role.PROVINCE_ADMIN)
    login(client, admin)
    assert client.get("/dashboards/").context["unit"] == world.province
    assert client.get("/units/").context["root"] == world.province
    login(client, world.approver)
    page = client.get("/units/AG.883.00001/")
    assert page.context["ancestors"] == [world.long_xuyen]
