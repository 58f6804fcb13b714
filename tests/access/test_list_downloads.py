"""The list pages' .xlsx downloads × roles: the same answer as the page (inside the subtree 200,
outside 404, the audit trail the province administrator's only), and a workbook that names no
unit outside the user's subtree — not even when the parent-unit filter asks for one outside it.

The pages themselves (and their parent-unit pickers) are checked by the URL access table
(test_url_access.py), which looks for outside units in every page shown; a workbook is no HTML
page, so it is opened and read here."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.access.harness import ROLES, hidden_from
from tests.access.world import OWN_UNIT, build_context, code

pytestmark = pytest.mark.django_db


def _lists(ctx, unit) -> dict[str, str]:
    """Each list's download for `unit`'s subtree, by the name of its table."""
    target = ctx.program.targets.order_by("id").first().code
    return {
        "units": reverse("reporting:completeness", args=[ctx.period.id, code(unit)]) + "?xlsx=units",
        "missing": reverse("reporting:completeness", args=[ctx.period.id, code(unit)]) + "?xlsx=missing",
        "plans": reverse("plans:status", args=[ctx.program.code, code(unit)]) + "?deadline=plan_grassroots&xlsx=plans",
        "ranking": reverse("dashboards:target", args=[target]) + f"?unit={code(unit)}&xlsx=ranking",
    }


def _cells(response) -> set[str]:
    sheet = load_workbook(BytesIO(response.content)).active
    return {str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None}


def _leaks(cells: set[str], hidden) -> set[str]:
    return (cells & hidden.codes) | {name for name in hidden.names if any(name in cell for cell in cells)}


def test_each_download_answers_like_its_page_and_names_nothing_outside(program):
    ctx = build_context(program)
    problems = []
    for role in ROLES:
        client = Client()
        user = ctx.user(role)
        if user:
            client.force_login(user)
        inside, outside = (ctx.unit(name) for name in OWN_UNIT[role])
        hidden = hidden_from(user) if user else None
        for name, url in _lists(ctx, inside).items():
            response = client.get(url)
            if user is None:
                if response.status_code != 302:
                    problems.append(f"{role} {name}: {response.status_code}, not sent to log in")
                continue
            if response.status_code != 200 or not response["Content-Type"].startswith("application/vnd.openxml"):
                problems.append(f"{role} {name}: {response.status_code} {response['Content-Type']}")
                continue
            if leaks := _leaks(_cells(response), hidden):
                problems.append(f"{role} {name}: names {sorted(leaks)}")
            # The parent-unit filter asked for a union outside the subtree: no row, and no name.
            beyond = outside or ctx.w.chau_doc
            picked = client.get(f"{url}&{name}-parent={beyond.code}")
            if picked.status_code != 200 or _leaks(_cells(picked), hidden):
                problems.append(f"{role} {name} with {name}-parent={beyond.code}: {picked.status_code}")
        for name, url in _lists(ctx, outside).items() if user else ():
            if (got := client.get(url).status_code) != 404:
                problems.append(f"{role} {name} outside ({code(outside)}): {got}, not 404")
        audit = client.get(reverse("audit:trail") + "?xlsx=audit").status_code
        if audit != {None: 302, "admin": 200}.get(user and role, 403):
            problems.append(f"{role} audit: {audit}")
    assert not problems, "\n".join(problems)
