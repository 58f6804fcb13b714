import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from api.models import ApiToken, digest_of
from api.testing import TokenClient
from api.tokens import create_token, revoke_token
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(secret, url="/api/v1/periods/"):
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(url)


def test_a_token_is_made_on_its_page_shown_once_and_kept_hashed(world, program):
    client = login(world.reporter)
    page = client.post("/api/tokens/", {"name": "Phần mềm của huyện", "days": 30})
    assert page.status_code == 200
    secret = page.context["secret"]
    assert secret.startswith("td_") and secret in page.content.decode()
    token = ApiToken.objects.get(user=world.reporter)
    assert token.digest == digest_of(secret) and secret not in str(token.__dict__.values())
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=30)).date()
    again = client.get("/api/tokens/")
    assert secret not in again.content.decode() and token.prefix in again.content.decode()
    assert _get(secret).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_profile_page_links_to_the_tokens(world):
    assert "/api/tokens/" in login(world.reporter).get("/accounts/profile/").content.decode()


def test_a_revoked_an_expired_or_a_wrong_token_opens_nothing(world, program):
    token, secret = create_token(world.reporter, "x")
    assert _get(secret).status_code == 200
    revoke_token(token, world.reporter)
    assert _get(secret).status_code == 401
    expired, old_secret = create_token(world.reporter, "old")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert _get(old_secret).status_code == 401
    assert _get("td_wrong").status_code == 401
    assert Client().get("/api/v1/periods/").status_code in (401, 403)


def test_only_the_owner_revokes_a_token(world, program):
    token, secret = create_token(world.reporter, "x")
    assert login(world.approver).post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    assert _get(secret).status_code == 200
    assert login(world.reporter).post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    assert _get(secret).status_code == 401
    assert AuditEntry.objects.filter(object_pk=str(token.pk), additional_data__event="token revoked").exists()


def test_each_token_has_its_own_rate(world, program, settings):
    settings.API_REQUESTS_PER_MINUTE = 2
    first, second = TokenClient(world.reporter), TokenClient(world.reporter)
    assert [first.get("/api/v1/periods/").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/api/v1/periods/").status_code == 200
