"""The dashboard and the target page through HTTP: what they show, to whom, at what cost."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.testing import login
from dashboards.testing import target_row

pytestmark = pytest.mark.django_db
STATUS_WORD = re.compile(r'<span class="status"[^>]*><span aria-hidden="true">[^<]*</span> ([^<]*)</span>')


def status_word(html: str) -> str:
    """The one status word (met, not met …) a piece of page shows, exactly."""
    words = STATUS_WORD.findall(html)
    assert len(words) == 1, words
    return words[0]


def test_the_dashboard_shows_every_target_with_status_in_words(client, world, reported):
    body = login(client, world.admin).get(reverse("dashboards:dashboard"), {"year": 2024}).content.decode()
    for n in range(1, 23):
        assert f">T{n:02d}<" in body
    assert "Kết quả thực hiện các chỉ tiêu năm 2024" in body
    # T19 members / workers over the approved report only: 40 / 40 = 100% ≥ 95%: met
    t19 = target_row(body, "T19")
    assert '<span class="dash-value">100%</span>' in t19 and status_word(t19) == "đạt"
    assert "1/4 đơn vị đã báo cáo" in t19
    assert "ít đơn vị báo cáo" in t19
    # T16, yearly: 5 initiatives in the approved report, far below 1,000: not met
    t16 = target_row(body, "T16")
    assert '<span class="dash-value">5</span>' in t16 and status_word(t16) == "chưa đạt"


def test_submitted_reports_count_only_when_asked(client, world, reported):
    login(client, world.admin)
    url = reverse("dashboards:target", args=["T19"])
    approved_only = client.get(url, {"year": 2024}).content.decode()
    with_submitted = client.get(url, {"year": 2024, "submitted": 1}).content.decode()
    assert "100%" in approved_only
    # (40 + 900) / (40 + 1200) × 100 = 75.81
    assert "75,81%" in with_submitted


def test_the_target_page_ranks_the_units_below(client, world, reported):
    body = login(client, world.admin).get(reverse("dashboards:target", args=["T19"]),
                                          {"unit": "AG.883", "year": 2024, "submitted": 1}).content.decode()
    school = body.index("Công đoàn Trường Tiểu học Mỹ Bình")
    factory = body.index("Công đoàn Công ty TNHH May mặc Phú Thịnh")
    assert school < factory, "100% ranks above 75%"
    ascending = client.get(reverse("dashboards:target", args=["T19"]),
                           {"unit": "AG.883", "year": 2024, "submitted": 1, "ranking_sort": "value"}).content.decode()
    assert ascending.index("Phú Thịnh") < ascending.index("Mỹ Bình")
    assert '"target": 95.0' in body and "chart-data" in body


def test_a_unit_outside_the_subtree_is_404(client, world, reported):
    login(client, world.approver)
    assert client.get(reverse("dashboards:dashboard"), {"unit": "AG.884"}).status_code == 404
    assert client.get(reverse("dashboards:target", args=["T19"]), {"unit": "AG"}).status_code == 404
    body = client.get(reverse("dashboards:dashboard")).content.decode()
    assert "Liên đoàn Lao động thành phố Long Xuyên" in body


def test_an_unknown_target_is_404(client, world, reported):
    assert login(client, world.admin).get(reverse("dashboards:target", args=["T99"])).status_code == 404


def test_the_dashboard_costs_the_same_queries_for_more_units(client, world, reported, django_assert_max_num_queries):
    from units.loading import bulk_add_children
    from units.models import Unit, UnitKind

    login(client, world.admin)
    # 17 for the targets (the reporters from their rollups and the unit's own report), up to 4 for
    # the to-do block (the open periods, their elements, the user's reports, the queue's count), 1
    # for the header's unread notifications, 1 for whether any unit stood under the unit that year
    # (the hint of an empty page "as it was"), 1 for the unit picker's own unit.
    with django_assert_max_num_queries(24) as small:
        client.get(reverse("dashboards:dashboard"), {"year": 2024})
    bulk_add_children(world.chau_doc, [Unit(code=f"AG.884.{n:05d}", name=f"CĐCS {n}", kind=UnitKind.GRASSROOTS,
                                            ownership="non_state", workers=50, members=40) for n in range(2, 202)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("dashboards:dashboard"), {"year": 2024})


def test_without_a_program_the_dashboard_says_so(client, world, no_program):
    response = login(client, world.admin).get(reverse("dashboards:dashboard"))
    assert response.status_code == 200
    assert "Chưa có chương trình nào được nạp." in response.content.decode()


def test_the_view_switch_adds_a_moved_unions_past_up_as_it_was_or_as_it_is_now(client, world, reported):
    from units.actions import do_move_unit

    # the school (its 2024 report approved, 40 members of 40 workers) moves to Châu Đốc on 1 July 2025
    do_move_unit(world.school, world.chau_doc, datetime.date(2025, 7, 1), by=world.admin)
    login(client, world.admin)
    url = reverse("dashboards:dashboard")
    # as it was (the default), 2024 stays with Long Xuyên: T19 = 40 / 40 = 100%; Châu Đốc has nothing
    then = client.get(url, {"year": 2024, "unit": "AG.883"}).content.decode()
    assert '<span class="dash-value">100%</span>' in target_row(then, "T19")
    assert '<option value="then" selected>' in then
    chau_doc_then = client.get(url, {"year": 2024, "unit": "AG.884"}).content.decode()
    assert '<span class="dash-value">100%</span>' not in target_row(chau_doc_then, "T19")
    # as it is now, the school's 2024 counts where it is today, under Châu Đốc
    now = client.get(url, {"year": 2024, "unit": "AG.884", "view": "now"}).content.decode()
    assert '<span class="dash-value">100%</span>' in target_row(now, "T19")
    assert '<option value="now" selected>' in now and "&view=now" in now
    assert client.get(url, {"year": 2024, "view": "sideways"}).status_code == 200  # unknown: as it was
