"""The audit trail as a list: sorted by any column, filtered by change (its status), unit subtree
and search, paginated keeping the filters, downloaded as .xlsx with exactly the filtered rows,
in a constant number of queries."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.testing import login
from audit import trail
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db
URL = reverse("audit:trail")


def workbook(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_sorted_by_any_column(client, world, history):
    login(client, world.admin)
    newest_first = [row["entry"].pk for row in client.get(URL).context["rows"]]
    assert newest_first == sorted(newest_first, reverse=True)
    by_who = [row["entry"].actor_name for row in client.get(URL, {"audit_sort": "who"}).context["rows"]]
    assert by_who == sorted(by_who)
    by_unit = [row["entry"].unit_path for row in client.get(URL, {"audit_sort": "-unit"}).context["rows"]]
    assert by_unit == sorted(by_unit, reverse=True)


def test_the_xlsx_holds_exactly_the_filtered_rows(client, world, history):
    login(client, world.admin)
    params = {"parent": "AG.884", "kind": "reporting.report", "action": AuditEntry.Action.UPDATE}
    shown = client.get(URL, params).context["rows"]
    rows = workbook(client.get(URL, {**params, "xlsx": "audit"}))
    assert rows[0] == ("Thời điểm", "Người thực hiện", "Thao tác", "Loại dữ liệu", "Bản ghi", "Đơn vị",
                       "Các trường đã thay đổi")
    assert [row[4] for row in rows[1:]] == [row["entry"].object_repr for row in shown]
    assert rows[1:] and all("Châu Đốc" in row[5] and row[1] == "sibling_reporter" for row in rows[1:])
    assert any("Số người lao động" in (row[6] or "") for row in rows[1:])


def test_paging_keeps_the_filters(client, world):
    for number in range(60):
        trail.record(world.school, {"phone": [str(number), str(number + 1)]}, actor=world.admin)
    trail.record(world.market, {"phone": ["1", "2"]}, actor=world.admin)
    login(client, world.admin)
    body = client.get(URL, {"parent": "AG.883", "q": "my binh"}).content.decode()
    pager = body.split('class="pager"', 1)[1].split("</nav>", 1)[0]
    link = re.search(r'href="\?([^"]+)"', pager).group(1).replace("&amp;", "&")
    assert sorted(link.split("&")) == ["audit_page=2", "parent=AG.883", "q=my+binh"]
    second = client.get(URL + "?" + link)
    assert second.context["page"].paginator.count > 60  # the 60 changes and the school's own creation
    assert len(second.context["rows"]) == second.context["page"].paginator.count - 50
    assert all(row["unit"] == world.school for row in second.context["rows"])


@pytest.mark.parametrize("extra", [3, 80])
def test_query_count_does_not_grow_with_the_rows(client, world, extra, django_assert_max_num_queries):
    for number in range(extra):
        trail.record(world.school if number % 2 else world.market, {"phone": [str(number), "0"]}, actor=world.admin)
    login(client, world.admin)
    # Session, user, the picker, the page, its count, then the entries' element labels and units.
    with django_assert_max_num_queries(9):  # 9: the header's unread count
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(URL, {"xlsx": "audit"}).status_code == 200
