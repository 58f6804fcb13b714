"""The dashboard's unit picker (?find=): any unit of the user's subtree, found without diacritics,
opens its own figures on the same page, keeping the year and choices; nothing outside the subtree."""

import re

import pytest
from django.urls import reverse

from accounts.testing import login
from tests.factories import GrassrootsFactory

pytestmark = pytest.mark.django_db


def found(body: str) -> list[tuple[str, str]]:
    """The picker's results as (link, name) pairs, in order."""
    if 'class="card picker-results"' not in body:
        return []
    results = body.split('class="card picker-results"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<li><a href="([^"]*)">([^<]*)</a>', results)


def test_the_picker_finds_units_without_diacritics_upper_level_unions_first(client, world, reported):
    # a grassroots union attached directly to the province: as deep as the district, and before it by name
    GrassrootsFactory(parent=world.province, code="AG.00001", name="Công đoàn Trung tâm Y tế Châu Đốc")
    body = login(client, world.admin).get(reverse("dashboards:dashboard"),
                                          {"year": 2024, "submitted": 1, "find": "CHAU DOC"}).content.decode()
    assert 'class="unit-picker"' in body
    results = found(body)
    assert [name for _, name in results] == [
        "Liên đoàn Lao động thành phố Châu Đốc", "Công đoàn Trung tâm Y tế Châu Đốc",
        "Công đoàn Ban Quản lý chợ Châu Đốc"]
    link = results[0][0].replace("&amp;", "&")
    assert "unit=AG.884" in link and "year=2024" in link and "submitted=1" in link
    # the market says where it belongs
    assert "thuộc <span title=\"Liên đoàn Lao động thành phố Châu Đốc\">" in body


def test_a_found_unit_opens_its_own_figures(client, world, reported):
    login(client, world.admin)
    link = found(client.get(reverse("dashboards:dashboard"), {"year": 2024, "find": "my binh"}).content.decode())[0][0]
    opened = client.get(reverse("dashboards:dashboard") + link.replace("&amp;", "&")).content.decode()
    assert "<h1>Công đoàn Trường Tiểu học Mỹ Bình</h1>" in opened


def test_the_picker_finds_nothing_outside_the_users_subtree(client, world, reported):
    login(client, world.approver)
    body = client.get(reverse("dashboards:dashboard"), {"find": "chau doc"}).content.decode()
    assert found(body) == [] and "Không có đơn vị nào khớp với “chau doc”." in body
    assert [name for _, name in found(client.get(reverse("dashboards:dashboard"), {"find": "phu thinh"})
                                      .content.decode())] == ["Công đoàn Công ty TNHH May mặc Phú Thịnh"]


def test_the_target_page_has_the_picker_too(client, world, reported):
    body = login(client, world.admin).get(reverse("dashboards:target", args=["T19"]),
                                          {"year": 2024, "find": "y te"}).content.decode()
    assert [name for _, name in found(body)] == ["Công đoàn ngành Y tế"]


def test_a_grassroots_reporter_who_sees_one_unit_has_no_picker(client, world, reported):
    body = login(client, world.reporter).get(reverse("dashboards:dashboard"), {"find": "my binh"}).content.decode()
    assert 'class="unit-picker"' not in body and found(body) == []


def test_the_picker_costs_a_constant_number_of_queries(client, world, reported, django_assert_max_num_queries):
    from units.loading import bulk_add_children
    from units.models import Unit, UnitKind

    login(client, world.admin)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("dashboards:dashboard"), {"year": 2024, "find": "cd"})
    bulk_add_children(world.chau_doc, [Unit(code=f"AG.884.{n:05d}", name=f"CĐCS {n}", kind=UnitKind.GRASSROOTS,
                                            ownership="non_state", workers=50, members=40) for n in range(2, 62)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(reverse("dashboards:dashboard"), {"year": 2024, "find": "cd"}).content.decode()
    assert len(found(body)) == 20 and "Đang hiện 20 đơn vị đầu tiên" in body
