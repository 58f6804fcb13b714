"""Error pages in Vietnamese, in the site's layout (phone width), each with a way back home.
DEBUG is off here, as in production (pytest-django turns it off)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from accounts.testing import login

pytestmark = pytest.mark.django_db
HOME_LINK = 'href="/"'


def _is_the_sites_page(body: str) -> bool:
    return 'name="viewport" content="width=device-width' in body and 'lang="vi"' in body and HOME_LINK in body


def test_a_unit_outside_the_users_subtree_is_a_vietnamese_404(client, world):
    login(client, world.reporter)
    response = client.get(reverse("units:detail", args=["AG.884.00001"]))
    body = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in body and "Về trang chủ" in body
    assert _is_the_sites_page(body) and "Đăng xuất" in body  # the site's own top bar


def test_an_unknown_address_is_a_vietnamese_404_for_a_visitor_too(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_a_refused_action_is_a_vietnamese_403(client, world, period):
    login(client, world.viewer)  # a viewer reads, changes nothing
    response = client.post(reverse("reporting:entry", args=[period.id, "AG.883.00001"]), {"version": 0})
    body = response.content.decode()
    assert response.status_code == 403
    assert "Không được phép" in body and "Về trang chủ" in body and _is_the_sites_page(body)


def test_the_500_page_is_vietnamese_and_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = defaults.server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Đã có lỗi ở máy chủ" in body and "Về trang chủ" in body and _is_the_sites_page(body)


def test_a_bad_request_is_a_vietnamese_400(client, world):
    login(client, world.reporter)
    response = client.get(reverse("units:detail", args=["AG\x00"]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Yêu cầu bị từ chối" in body and "Địa chỉ có ký tự" in body and _is_the_sites_page(body)
    assert 'href="/units/AG%00/' not in body  # no link back to the refused address


def test_a_form_without_its_csrf_token_is_a_vietnamese_403(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "a", "password": "b"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in body and "Về trang chủ" in body and _is_the_sites_page(body)
