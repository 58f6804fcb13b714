"""The audit trail page: the province administrator's only, filterable, read only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.testing import login
from audit import trail
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db
URL = reverse("audit:trail")


def objects_listed(response) -> str:
    return " ".join(row["entry"].object_repr for row in response.context["rows"])


@pytest.mark.parametrize("who", ["viewer", "approver", "reporter", "sector_viewer"])
def test_only_the_province_administrator_may_look(client, world, who):
    login(client, getattr(world, who))
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_administrator_sees_every_change_with_labels(client, world, history):
    login(client, world.admin)
    body = client.get(URL).content.decode()
    assert "Nhật ký thay đổi" in body
    assert "Công đoàn Trường Tiểu học Mỹ Bình" in body and "Công đoàn Ban Quản lý chợ Châu Đốc" in body
    assert "Số người lao động" in body  # the element's label, not its code "workers"
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_filters(client, world, history):
    login(client, world.admin)
    by_unit = client.get(URL, {"parent": "AG.883", "kind": "reporting.report"})
    assert "Mỹ Bình" in objects_listed(by_unit) and "Châu Đốc" not in objects_listed(by_unit)

    by_actor = client.get(URL, {"actor": "sibling_reporter"})
    assert {row["entry"].actor_name for row in by_actor.context["rows"]} == {"sibling_reporter"}

    by_text = client.get(URL, {"q": "chợ châu"})
    # The entries naming the market, and those of the market itself (its report's values).
    assert by_text.context["rows"] and all("Châu Đốc" in row["entry"].object_repr or row["unit"] == world.market
                                           for row in by_text.context["rows"])
    # Unit names are searched as everywhere else: without diacritics, every word.
    assert {row["entry"].pk for row in client.get(URL, {"q": "cho chau doc"}).context["rows"]} >= {
        row["entry"].pk for row in by_text.context["rows"] if row["unit"] == world.market}

    created_only = client.get(URL, {"action": AuditEntry.Action.CREATE, "kind": "reporting.report"})
    assert created_only.context["page"].paginator.count == 0

    today = timezone.localdate()
    assert client.get(URL, {"since": today.isoformat()}).context["page"].paginator.count > 0
    assert client.get(URL, {"until": (today - datetime.timedelta(days=1)).isoformat()}
                      ).context["page"].paginator.count == 0

    unknown = client.get(URL, {"parent": "XX.999"})
    assert unknown.context["page"].paginator.count == 0


def test_a_bad_filter_says_so_and_shows_nothing(client, world, history):
    login(client, world.admin)
    response = client.get(URL, {"since": "2025-02-01", "until": "2025-01-01"})
    assert response.status_code == 200
    assert "Ngày kết thúc đứng trước ngày bắt đầu." in response.content.decode()
    assert response.context["page"].paginator.count == 0


def test_the_page_offers_no_way_to_change_an_entry(client, world, history):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    login(client, world.admin)
    before = list(AuditEntry.objects.values_list("id", "changes"))
    assert client.post(URL, {"id": before[0][0], "changes": "{}"}).status_code == 405
    assert list(AuditEntry.objects.values_list("id", "changes")) == before
    entry_id = before[0][0]
    admin_change = client.post(reverse("admin:audit_auditentry_change", args=[entry_id]), {"changes": "{}"})
    admin_delete = client.post(reverse("admin:audit_auditentry_delete", args=[entry_id]), {"post": "yes"})
    assert admin_change.status_code == 403 and admin_delete.status_code == 403
    assert list(AuditEntry.objects.values_list("id", "changes")) == before


def test_a_long_trail_is_paged(client, world):
    for number in range(60):
        trail.record(world.school, {"phone": [str(number), str(number + 1)]}, actor=world.admin)
    login(client, world.admin)
    first = client.get(URL)
    assert len(first.context["rows"]) == 50 and first.context["page"].has_next()


def test_the_admin_site_lists_the_trail_read_only(client, world, history):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    login(client, world.admin)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
