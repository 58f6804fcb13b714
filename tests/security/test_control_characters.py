"""A control character (`%00` above all) in an address or a query value is refused with a
clean 400 before anything is looked up with it: PostgreSQL refuses NUL in any text it is
asked to compare, so the lookup of a unit code "AG\\x00" used to answer 500 there."""

import pytest
from django.urls import reverse

from accounts.testing import login
from tests.access.harness import url_patterns

pytestmark = pytest.mark.django_db

NUL = "\x00"
REFUSAL = "Địa chỉ có ký tự mà không trang nào của hệ thống dùng"


def _patterns_with_text_in_the_path():
    """Every URL pattern of ours (not the admin's) with a text segment: unit codes mostly."""
    found = []
    for pattern in url_patterns():
        if pattern.route.startswith("admin/") or not pattern.ident[:1].isalpha():
            continue
        converters = pattern.pattern.pattern.converters
        if any(type(c).__name__ == "StringConverter" for c in converters.values()):
            found.append(pattern)
    return found


def _url_with_nul(pattern, bad: str) -> str:
    arguments = {}
    for name, converter in pattern.pattern.pattern.converters.items():
        kind = type(converter).__name__
        if name == bad:
            arguments[name] = "AG.883" + NUL
        elif kind == "IntConverter":
            arguments[name] = 2024
        elif kind == "SlugConverter":
            arguments[name] = "an-giang"
        elif name in ("kind", "fmt"):
            arguments[name] = {"kind": "yearly_review", "fmt": "pdf"}[name]
        else:
            arguments[name] = "AG.883"
    return reverse(pattern.ident, kwargs=arguments)


def test_the_patterns_tested_are_all_those_with_a_unit_code():
    names = {p.ident for p in _patterns_with_text_in_the_path()}
    assert {"units:detail", "units:children", "reporting:entry", "reporting:completeness", "plans:unit",
            "plans:status", "reporting:spreadsheet_upload", "reporting:spreadsheet_download",
            "exports:preview", "exports:narratives", "exports:download", "dashboards:target"} <= names


@pytest.fixture
def staff(world):
    """The province administrator with the Django admin too, as demo_accounts makes `tinh`."""
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    return world.admin


def _cases():
    for pattern in _patterns_with_text_in_the_path():
        for name, converter in pattern.pattern.pattern.converters.items():
            if type(converter).__name__ == "StringConverter":
                yield pytest.param(pattern.ident, name, id=f"{pattern.ident}:{name}")


@pytest.mark.parametrize("ident, parameter", list(_cases()))
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_nul_in_a_text_segment_is_a_clean_400(client, world, ident, parameter, method):
    login(client, world.admin)
    pattern = next(p for p in url_patterns() if p.ident == ident)
    response = getattr(client, method)(_url_with_nul(pattern, parameter))
    assert response.status_code == 400
    assert REFUSAL in response.content.decode()


@pytest.mark.parametrize("query", [
    "unit=AG" + "%00", "unit=AG.883%01", "year=2024%00", "unit%00=AG", "unit=AG&unit=AG%7f",
])
def test_a_control_character_in_a_query_value_is_a_clean_400(client, world, query):
    login(client, world.admin)
    response = client.get(reverse("dashboards:dashboard") + "?" + query)
    assert response.status_code == 400
    assert REFUSAL in response.content.decode()


@pytest.mark.parametrize("url", [
    "/admin/programs/target/?unit=percent%00",
    "/admin/units/unit/?kind=district%00",
    "/admin/units/unit/?q=Long%00",
    "/admin/accounts/user/?role=reporter%00",
])
def test_the_admins_filters_refuse_it_too(client, staff, url):
    login(client, staff)
    response = client.get(url)
    assert response.status_code == 400


def test_ordinary_addresses_and_vietnamese_queries_still_work(client, staff):
    login(client, staff)
    assert client.get(reverse("dashboards:dashboard") + "?unit=AG.883").status_code in (200, 404)  # no program
    assert client.get(reverse("units:tree") + "?q=Long%20Xuy%C3%AAn").status_code == 200
    assert client.get("/admin/units/unit/?q=Ch%C3%A2u+%C4%90%E1%BB%91c").status_code == 200
