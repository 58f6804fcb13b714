"""The unit browser through HTTP, as each kind of user sees it."""

import pytest
from django.urls import reverse

from accounts.testing import login

pytestmark = pytest.mark.django_db


def test_pages_require_login(client, world):
    for url in (reverse("units:tree"), reverse("units:detail", args=["AG"]), reverse("units:search")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_login_page_speaks_vietnamese(client):
    response = client.get(reverse("login"))
    assert "Đăng nhập" in response.content.decode()
    assert 'lang="vi"' in response.content.decode()


def test_tree_shows_children_with_grassroots_counts(client, world):
    body = login(client, world.admin).get(reverse("units:tree")).content.decode()
    assert "Liên đoàn Lao động tỉnh An Giang" in body
    assert "Liên đoàn Lao động thành phố Long Xuyên" in body
    assert "4 CĐCS trong toàn hệ thống" in body
    assert "2 CĐCS" in body  # under Long Xuyên


def test_children_fragment_expands_a_unit(client, world):
    body = login(client, world.admin).get(reverse("units:children", args=["AG.883"])).content.decode()
    assert "Công đoàn Trường Tiểu học Mỹ Bình" in body
    assert "<html" not in body


def test_unit_page_shows_attributes_and_parents(client, world):
    body = login(client, world.approver).get(reverse("units:detail", args=["AG.883.00002"])).content.decode()
    assert "Công đoàn Công ty TNHH May mặc Phú Thịnh" in body
    assert "1.200" in body  # workers, with the Vietnamese thousands separator
    assert "Doanh nghiệp ngoài nhà nước" in body
    assert "Liên đoàn Lao động thành phố Long Xuyên" in body or "AG.883" in body


def test_grassroots_user_cannot_open_a_siblings_page(client, world):
    login(client, world.reporter)
    assert client.get(reverse("units:detail", args=["AG.883.00001"])).status_code == 200
    for code in ("AG.883.00002", "AG.884.00001", "AG.883", "AG"):
        response = client.get(reverse("units:detail", args=[code]))
        assert response.status_code == 404, code
        assert response.status_code == 404 and b"Ph\xc3\xba Th\xe1\xbb\x8bnh" not in response.content
    assert client.get(reverse("units:children", args=["AG.883"])).status_code == 404


def test_district_approver_cannot_open_another_district(client, world):
    login(client, world.approver)
    assert client.get(reverse("units:detail", args=["AG.884"])).status_code == 404
    assert client.get(reverse("units:detail", args=["AG.883.00002"])).status_code == 200


def test_search_never_reveals_units_outside_the_subtree(client, world):
    login(client, world.sibling_reporter)
    body = client.get(reverse("units:search"), {"q": "cong doan"}).content.decode()
    assert "Ban Quản lý chợ Châu Đốc" in body
    assert "Mỹ Bình" not in body and "Phú Thịnh" not in body


def test_search_answers_htmx_with_a_fragment(client, world):
    login(client, world.admin)
    response = client.get(reverse("units:search"), {"q": "chau doc"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Liên đoàn Lao động thành phố Châu Đốc" in body
    assert "<html" not in body


def test_the_site_speaks_vietnamese_whatever_the_browser_asks(client):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in body


def test_an_explicit_language_choice_wins(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Log in" in body and 'lang="en"' in body


def test_long_lists_of_units_are_paged(client, world):
    from units.loading import bulk_add_children
    from units.models import Unit, UnitKind

    bulk_add_children(world.chau_doc, [
        Unit(code=f"AG.884.{n:05d}", name=f"Công đoàn Trường số {n:02d}", kind=UnitKind.GRASSROOTS)
        for n in range(2, 62)
    ])
    login(client, world.admin)
    first = client.get(reverse("units:detail", args=["AG.884"])).content.decode()
    assert "trang 1 / 2" in first
    assert 'href="/units/AG.884/?page=2"' in first
    second = client.get(reverse("units:detail", args=["AG.884"]), {"page": 2}).content.decode()
    assert second.count('class="node leaf"') == 11
    fragment = client.get(reverse("units:children", args=["AG.884"])).content.decode()
    assert 'href="/units/AG.884/?page=2"' in fragment, "the fragment's pager leads to the unit's page"


def test_a_moved_unit_names_its_former_parent_only_to_those_who_see_it(client, world):
    import datetime

    from units.actions import do_move_unit

    do_move_unit(world.market, world.long_xuyen, datetime.date(2025, 7, 1), by=world.admin)
    section = "Thay đổi đơn vị cấp trên"
    approver_page = login(client, world.approver).get(reverse("units:detail", args=["AG.884.00001"]))
    body = approver_page.content.decode()
    changes = body[body.index(section):]
    assert "01/07/2025" in changes and "Liên đoàn Lao động thành phố Long Xuyên" in changes
    assert "Châu Đốc" not in changes and "đơn vị khác" in changes

    admin_body = login(client, world.admin).get(reverse("units:detail", args=["AG.884.00001"])).content.decode()
    assert "Liên đoàn Lao động thành phố Châu Đốc → Liên đoàn Lao động thành phố Long Xuyên" in admin_body
