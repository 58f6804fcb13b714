"""Who was expected, who reported on time or late, who is missing — worked out by hand."""


import pytest
from django.urls import reverse

from accounts.testing import login
from reporting.completeness import completeness, missing_units

pytestmark = pytest.mark.django_db


def test_totals_for_the_province(world, reported):
    total = completeness(reported, world.province).total
    # expected: province + 3 upper-level unions + 4 grassroots unions that existed in 2024
    assert (total.expected, total.submitted, total.on_time, total.late, total.missing, total.approved) == (
        8, 2, 1, 1, 6, 1)
    assert total.percent == 25.0


def test_per_child_of_the_province(world, reported):
    rows = {child.code: (c.expected, c.submitted, c.on_time, c.missing) for child, c in
            completeness(reported, world.province).by_child}
    assert rows == {"AG.883": (3, 2, 1, 1), "AG.884": (2, 0, 0, 2), "AG.YT": (2, 0, 0, 2)}


def test_a_districts_own_view(world, reported):
    result = completeness(reported, world.long_xuyen)
    assert (result.total.expected, result.total.submitted) == (3, 2)
    assert {child.code: c.submitted for child, c in result.by_child} == {"AG.883.00001": 1, "AG.883.00002": 1}


def test_missing_units_are_the_silent_ones_that_existed(world, reported):
    assert list(missing_units(reported, world.province).values_list("code", flat=True)) == [
        "AG", "AG.883", "AG.884", "AG.884.00001", "AG.YT", "AG.YT.00001"]


def test_the_completeness_page(client, world, reported):
    login(client, world.approver)
    body = client.get(reverse("reporting:completeness", args=[reported.id, "AG.883"])).content.decode()
    assert "2/3" in body
    assert "Đã duyệt" in body and "Đã nộp" in body
    assert "Liên đoàn Lao động thành phố Long Xuyên" in body  # the district itself has not reported
    assert client.get(reverse("reporting:completeness", args=[reported.id, "AG.884"])).status_code == 404
