"""An empty dashboard "như lúc đó" says why (nothing of that year stood under the unit) and links
to "như hiện nay", where the same year adds up over today's units."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.testing import login
from units.reorganisation import do_apply_reorganisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(world, program, reported):
    do_apply_reorganisation({
        "batch": {"code": "ward", "title": "Thử"},
        "units": [{"code": "AG.P1", "name": "Công đoàn phường Mỹ Bình", "kind": "commune", "parent": "AG",
                   "valid_from": "2025-07-01"}],
        "changes": [{"change": "dissolve", "unit": "AG.883", "on": "2025-07-01", "successor": "AG.P1"}],
    })
    return world


def page(client, world, year: int, view: str = "then") -> str:
    return login(client, world.admin).get(reverse("dashboards:dashboard"),
                                          {"unit": "AG.P1", "year": year, "view": view}).content.decode()


def test_a_ward_union_formed_in_2025_says_why_its_2024_as_it_was_is_empty(client, ward):
    body = page(client, ward, 2024)
    assert "Công đoàn phường Mỹ Bình được thành lập ngày 01/07/2025" in body
    assert "view=now" in body and "Xem như hiện nay" in body
    assert "không được hiển thị" not in body  # not "targets concern other kinds of unions"
    now = page(client, ward, 2024, "now")
    assert "được thành lập ngày" not in now
    assert "được thành lập ngày" not in page(client, ward, 2025)
