"""Pages for a signed-in user are never kept by the browser: on a shared phone, the back
button after logging out must not bring the last officer's report back."""

import pytest
from django.urls import reverse

from accounts.testing import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name, args", [
    ("dashboards:dashboard", []),
    ("reporting:home", []),
    ("units:detail", ["AG.883.00001"]),
    ("home", []),  # a redirect too: it says where the user's pages are
])
def test_every_response_to_a_signed_in_user_says_no_store(client, world, name, args):
    login(client, world.reporter)
    response = client.get(reverse(name, args=args))
    assert response.status_code in (200, 302)
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


def test_a_not_found_page_for_a_signed_in_user_is_not_stored_either(client, world):
    login(client, world.reporter)
    response = client.get(reverse("units:detail", args=["AG.884.00001"]))  # another branch: 404
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]

