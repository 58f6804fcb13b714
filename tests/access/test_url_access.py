"""Who gets what at every URL of the project: a table with one entry per URL pattern.

Each entry says how to build the pattern's URL for an object INSIDE the user's subtree and
OUTSIDE it (see tests/access/world.py for which object each role gets), which methods to try,
and what each role must get: anonymous, grassroots reporter, district reporter (a reporter of
the district union itself), district approver, sector viewer (a viewer of the health sector
union), province viewer and province administrator. The rule comes from accounts/permissions.py
(the README's "Who may do what"): a user sees their unit's subtree; a unit (or a report, a plan,
…) outside it answers 404 exactly like one that does not exist; seeing is not changing (403); a
reporter changes their own unit's data only, not that of the units below (403); an approver may
enter the data of a unit directly below on its behalf, and approves no report they submitted
(403). For a province-wide user nothing is outside the subtree, so "outside" is an object that
does not exist.

Besides the status:
* a POST that must be refused (302 to the login page, 400, 403, 404, 405) must change nothing
  in the database (every table of the project's apps is compared before and after; the audit
  trail may record the attempt);
* a POST that is allowed must change something, where the entry says so (`post_changes`: the
  payload is then known to be good, so the refusals above are refusals, not a bad payload);
* a page shown (200, HTML) to a user who does not see the whole province must not name a unit
  outside the user's subtree: not by code in a link, a form or an htmx URL, and not by its full
  name (the user's own ancestors excepted).

Every request runs in a savepoint rolled back afterwards, so they all start from the same
database. Every mismatch is collected and shown at the end as one table.

A new URL pattern fails `test_every_url_pattern_has_an_entry` until it gets an entry here.
The Django admin (admin/…) is covered by one rule for its prefix (see `admin_entries`).
"""

from __future__ import annotations

import re

import pytest
from django.urls import NoReverseMatch, reverse

from tests.access.harness import (
    ADMIN_LOGIN,
    LOGIN,
    MISSING_PK,
    REDIRECT,
    Entry,
    Target,
    as_table,
    by_role,
    run_table,
    url_patterns,
)
from tests.access.world import (
    OWN_UNIT,
    PERIOD,
    PLAN,
    REPORT,
    REPORTING_AND_BELOW,
    TASK,
    UNIT,
    UNIT_AND_BELOW,
    UNIT_AND_CROSSED,
    accounts_confirm_payload,
    accounts_upload_payload,
    api_adx_payload,
    api_create_payload,
    api_csv_payload,
    api_decision_payload,
    api_patch_payload,
    api_submit_payload,
    build_context,
    code,
    decision_payload,
    entry_payload,
    entry_report_pk,
    narrative_payload,
    open_period_payload,
    password_change_payload,
    pk,
    plan_payload,
    profile_payload,
    queue_payload,
    spreadsheet_confirm_payload,
    spreadsheet_payload,
    task_payload,
    unit_contact_payload,
)

THIS_FILE = "tests/access/test_url_access.py"
ADMIN_PREFIX = "admin/"

# Shorthands for the most common rows.
ANY_USER = by_role(LOGIN, 200, 200, 200, 200, 200, 200)            # any logged-in user, nothing unit-bound
SUBTREE = by_role(LOGIN, *[(200, 404)] * 6)                        # inside 200, outside 404
# inside 200, outside 404, directly below 200 (a grassroots reporter has nothing below)
SUBTREE_AND_BELOW = by_role(LOGIN, (200, 404, None), *[(200, 404, 200)] * 5)
POST_ONLY_GET = by_role(LOGIN, 405, 405, 405, 405, 405, 405)       # GET on an action endpoint
DOCUMENT = by_role(LOGIN, 404, *[(200, 404)] * 5)                  # grassroots: no documents
EVERYONE = by_role(200, 200, 200, 200, 200, 200, 200)              # logged in or not
# who gives accounts in bulk: the approver (own district) and the province administrator
BULK_ACCOUNTS = by_role(LOGIN, (403, 404), (403, 404), (200, 404), (403, 404), (403, 404), (200, 404))
# the reorganisation tool: the province administrator only
REORGANISE = by_role(LOGIN, 403, 403, 403, 403, 403, 200)
REORGANISE_POST = by_role(LOGIN, 403, 403, 403, 403, 403, REDIRECT)


def _build_url(ctx, unit) -> str:
    """The progress address of a document build of `unit` (of none: a build that does not exist)."""
    from django.utils import timezone

    from exports.models import DocumentBuild

    if unit is None:
        return reverse("exports:build", args=[999_999])
    build, _ = DocumentBuild.objects.get_or_create(
        program=ctx.program, unit=unit, kind="yearly_review", year=2024, format="pdf", source="access table",
        defaults={"requested_at": timezone.now()})
    return reverse("exports:build", args=[build.pk])


# The reorganisation tool's batches rename the health sector union to its own name: applying one
# outside a request's savepoint (the undo's batch) changes no page of the table.
def _harmless_batch(code: str) -> dict:
    return {"batch": {"code": code, "title": "Bảng quyền truy cập"},
            "changes": [{"change": "rename", "unit": "AG.YT", "name": "Công đoàn ngành Y tế", "on": "2025-07-01"}]}


def _draft_url(name: str):
    def url(ctx, obj) -> str:
        from reorganising.models import ReorganisationDraft

        draft = ReorganisationDraft.objects.filter(source="access table").first() or ReorganisationDraft.objects.create(
            source="access table", created_by=ctx.w.admin, data=_harmless_batch("access-draft"))
        return reverse(name, args=[draft.pk])
    return url


def _batch_url(name: str):
    def url(ctx, obj) -> str:
        from units.models import Reorganisation
        from units.reorganisation import do_apply_reorganisation

        if not Reorganisation.objects.filter(code="access-applied").exists():
            do_apply_reorganisation(_harmless_batch("access-applied"), by=ctx.w.admin)
        return reverse(name, args=["access-applied"])
    return url


def _batch_upload(ctx, obj) -> dict:
    import io

    file = io.BytesIO(b"batch: {code: access-upload, title: Thu}\nchanges:\n"
                      b"  - {change: rename, unit: AG.YT, name: Y te, on: 2025-07-01}\n")
    file.name = "batch.yaml"
    return {"file": file}


def _dashboard_target(ctx) -> str:
    return ctx.program.targets.order_by("id").first().code


def _search_words(unit) -> str:
    """The last two words of the unit's name (the page repeats the query: not the whole name)."""
    return " ".join(unit.name.split()[-2:]) if unit else "khong co"


def _token_of(ctx, role: str):
    """A token of the role's own user (anonymous visitors try the reporter's)."""
    from api.models import ApiToken
    from api.tokens import create_token

    user = ctx.user(role) or ctx.user("reporter")
    return ApiToken.objects.filter(user=user, name="access table").first() or create_token(user, "access table")[0]


def _others_token(ctx, role: str):
    other = "approver" if role == "reporter" else "reporter"
    return _token_of(ctx, other)


TOKEN = (Target("own", lambda c, role: (_token_of(c, role), "own token")),
         Target("other", lambda c, role: (_others_token(c, role), "another user's token")))


def _api(name: str) -> str:
    return reverse(f"api:{name}")


JSON = "application/json"
# The API: no token and no session is 401; GET on a step answers 405; otherwise as the pages.
API_ANY_USER = by_role(401, 200, 200, 200, 200, 200, 200)
API_SUBTREE = by_role(401, *[(200, 404)] * 6)
API_SUBTREE_AND_BELOW = by_role(401, (200, 404, None), *[(200, 404, 200)] * 5)
API_POST_ONLY = by_role(401, 405, 405, 405, 405, 405, 405)
def _remind_payload(ctx, obj) -> dict:
    """A reminder now, for the first unit missing in the open period."""
    from notifications.reminders import missing_everywhere

    return {"period": ctx.entry_period.pk, "units": [missing_everywhere(ctx.entry_period).order_by("path")[0].code]}


def _task_url(ctx, task) -> str:
    return reverse("programs:task_progress", args=[ctx.program.code, task.code if task else "X.99"])


# --- the registries (registries/): a Mái ấm house of the unit, made once (outside the requests' savepoints) ----
def _house(unit):
    import datetime

    from registries.models import UnionHome

    return UnionHome.objects.get_or_create(
        # handed over in 2023, a year the table opens no period for: no report's figure changes
        unit=unit, beneficiary="Bảng quyền truy cập", handed_over_on=datetime.date(2023, 3, 1),
        defaults={"cost": 150_000_000, "union_support": 50_000_000})[0]


def _house_pick(index):
    def chosen(ctx, role):
        unit = ctx.unit(OWN_UNIT[role][index])
        return (_house(unit), f"house of {unit.code}") if unit else (None, f"house #{MISSING_PK} (none)")
    return chosen


HOUSE = (Target("inside", _house_pick(0)), Target("outside", _house_pick(1)))


def _house_payload(ctx, unit) -> dict:
    return {"unit": code(unit), "beneficiary": "Đoàn viên bảng truy cập", "work": "built", "cost": "160000000",
            "union_support": "55000000", "sources": "Quỹ Xã hội", "handed_over_on": "2025-04-02", "note": ""}


def _house_edit_payload(ctx, house) -> dict:
    return {**_house_payload(ctx, house.unit if house else None), "beneficiary": "Bảng quyền truy cập",
            "handed_over_on": "2023-03-01", "note": "Sửa trong bảng quyền truy cập"}


def _house_file(ctx, unit) -> dict:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Mã đơn vị", "Tên đơn vị", "Đoàn viên được hỗ trợ", "Xây mới hay sửa chữa",
                            "Tổng kinh phí (đồng)", "Công đoàn hỗ trợ (đồng)", "Nguồn kinh phí", "Ngày bàn giao"])
    workbook.active.append([code(unit), "", "Đoàn viên nhập tệp", "xây mới", 150000000, 50000000, "", "02/05/2025"])
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    output.name = "mai-am.xlsx"
    return {"file": output}


# Who enters a unit's records: its reporter or approver, the approver above, the province administrator.
RECORD_ENTRY = by_role(LOGIN, (200, 404, None), (200, 404, 403), (200, 404, 200), (403, 404, 403), (403, 404, 403),
                       (200, 404, 200))
RECORD_ENTRY_POST = by_role(LOGIN, (REDIRECT, 404, None), (REDIRECT, 404, 403), (REDIRECT, 404, REDIRECT),
                            (403, 404, 403), (403, 404, 403), (REDIRECT, 404, REDIRECT))
RECORD_CHANGE = by_role(LOGIN, (REDIRECT, 404), (REDIRECT, 404), (REDIRECT, 404), (403, 404), (403, 404),
                        (REDIRECT, 404))


#     anonymous  reporter  district_reporter  approver  sector_viewer  viewer  admin   (see harness.by_role)
ACCESS: list[Entry] = [
    # --- site-wide -------------------------------------------------------------------------------------------
    Entry("home", lambda c, o: reverse("home"),
          GET=by_role(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    Entry("login", lambda c, o: reverse("login"),
          GET=by_role(200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    Entry("logout", lambda c, o: reverse("logout"),
          GET=by_role(405, 405, 405, 405, 405, 405, 405),
          POST=by_role(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)),  # logged out, sent to the login page
    Entry("set_language", lambda c, o: reverse("set_language"),
          GET=by_role(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
          POST=by_role(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
          payload=lambda c, o: {"language": "en", "next": "/"}),
    # --- accounts: one's own password and profile; a forgotten password (anyone, logged in or not) ------------
    # The district reporter (tests/access/world.py) has no password: its change is refused (the form again).
    Entry("password_change", lambda c, o: reverse("password_change"),
          GET=ANY_USER,
          POST=by_role(LOGIN, REDIRECT, None, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
          payload=password_change_payload, post_changes=True),
    Entry("password_change_done", lambda c, o: reverse("password_change_done"), GET=ANY_USER),
    # The help page: open to everyone; signed in, it names the user's own approving unit only.
    Entry("help", lambda c, o: reverse("help"), GET=EVERYONE),
    Entry("password_reset", lambda c, o: reverse("password_reset"),
          GET=EVERYONE,
          POST=by_role(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
          payload=lambda c, o: {"email": "quen.mat.khau@example.vn"}, post_changes=True),  # the request is counted
    Entry("password_reset_done", lambda c, o: reverse("password_reset_done"), GET=EVERYONE),
    # A link whose token is wrong: the page says the link does not work, and nothing changes.
    Entry("password_reset_confirm", lambda c, o: reverse("password_reset_confirm", args=["MQ", "sai-ma"]),
          GET=EVERYONE,
          POST=EVERYONE, payload=lambda c, o: {"new_password1": "Mua-lua-2026-chin", "new_password2": "Mua-lua-2026"}),
    Entry("password_reset_complete", lambda c, o: reverse("password_reset_complete"), GET=EVERYONE),
    Entry("profile", lambda c, o: reverse("profile"),
          GET=ANY_USER,
          POST=by_role(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
          payload=profile_payload, post_changes=True),
    # The contact of the user's own unit: its reporter or approver (the province's administrator for the
    # province), not a viewer.
    Entry("profile_unit_contact", lambda c, o: reverse("profile_unit_contact"),
          GET=POST_ONLY_GET,
          POST=by_role(LOGIN, REDIRECT, REDIRECT, REDIRECT, 403, 403, REDIRECT),
          payload=unit_contact_payload, post_changes=True),
    # Accounts in bulk: the province administrator anywhere, an approver for the units below their own.
    Entry("accounts_bulk_home", lambda c, o: reverse("accounts_bulk_home"),
          GET=by_role(LOGIN, 403, 403, REDIRECT, 403, 403, REDIRECT)),
    Entry("accounts_bulk", lambda c, u: reverse("accounts_bulk", args=[code(u)]), UNIT,
          GET=BULK_ACCOUNTS,
          POST=BULK_ACCOUNTS, payload=accounts_upload_payload),  # the preview writes nothing
    Entry("accounts_bulk_template", lambda c, u: reverse("accounts_bulk_template", args=[code(u)]), UNIT,
          GET=BULK_ACCOUNTS),
    Entry("accounts_bulk_confirm", lambda c, u: reverse("accounts_bulk_confirm", args=[code(u)]), UNIT,
          GET=by_role(LOGIN, *[(405, 405)] * 6),
          POST=BULK_ACCOUNTS, payload=accounts_confirm_payload, post_changes=True),
    # --- notifications: one's own inbox and email choices; the reminders page is the province's -------------------
    Entry("notifications:inbox", lambda c, o: reverse("notifications:inbox"), GET=ANY_USER),
    # Marking read only touches one's own notifications (the world's users have none: nothing changes).
    Entry("notifications:read", lambda c, o: reverse("notifications:read"),
          GET=POST_ONLY_GET, POST=by_role(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
          payload=lambda c, o: {"all": "1"}),
    Entry("notifications:preferences", lambda c, o: reverse("notifications:preferences"),
          GET=POST_ONLY_GET, POST=by_role(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
          payload=lambda c, o: {"returned": "on", "digest": "on"}, post_changes=True),
    Entry("notifications:reminders", lambda c, o: reverse("notifications:reminders"),
          GET=by_role(LOGIN, 403, 403, 403, 403, 403, 200)),
    Entry("notifications:remind", lambda c, o: reverse("notifications:remind"),
          GET=POST_ONLY_GET, POST=by_role(LOGIN, 403, 403, 403, 403, 403, REDIRECT),
          payload=_remind_payload, post_changes=True),
    # --- the audit trail: every unit's changes and who made them, for the province administrator only ---------
    Entry("audit:trail", lambda c, o: reverse("audit:trail"), GET=by_role(LOGIN, 403, 403, 403, 403, 403, 200)),
    # --- units --------------------------------------------------------------------------------------------------
    Entry("units:tree", lambda c, o: reverse("units:tree"), GET=ANY_USER),
    # Searching for a unit outside the subtree answers 200 but must not list it (the page check).
    Entry("units:search", lambda c, u: reverse("units:search") + "?q=" + _search_words(u),
          UNIT, GET=by_role(LOGIN, *[(200, 200)] * 6)),
    Entry("units:detail", lambda c, u: reverse("units:detail", args=[code(u)]), UNIT, GET=SUBTREE),
    Entry("units:children", lambda c, u: reverse("units:children", args=[code(u)]), UNIT, GET=SUBTREE),
    # --- the reorganisation tool: the province administrator's only ---------------------------------------------
    Entry("reorganising:batches", lambda c, o: reverse("reorganising:batches"), GET=REORGANISE),
    Entry("reorganising:template", lambda c, o: reverse("reorganising:template"), GET=REORGANISE),
    Entry("reorganising:new_draft", lambda c, o: reverse("reorganising:new_draft"),
          GET=POST_ONLY_GET, POST=REORGANISE_POST, payload=lambda c, o: {"code": "access-new", "title": "Thử"},
          post_changes=True),
    Entry("reorganising:upload", lambda c, o: reverse("reorganising:upload"),
          GET=POST_ONLY_GET, POST=REORGANISE_POST, payload=_batch_upload, post_changes=True),
    Entry("reorganising:draft", _draft_url("reorganising:draft"), GET=REORGANISE),
    Entry("reorganising:add_change", _draft_url("reorganising:add_change"),
          GET=POST_ONLY_GET, POST=REORGANISE_POST, post_changes=True,
          payload=lambda c, o: {"action": "rename", "units": "AG.884", "name": "Liên đoàn Lao động thành phố Châu Đốc",
                                "on": "2025-07-01"}),
    Entry("reorganising:remove_change", _draft_url("reorganising:remove_change"),
          GET=POST_ONLY_GET, POST=REORGANISE_POST, post_changes=True,
          payload=lambda c, o: {"section": "changes", "index": "0"}),
    Entry("reorganising:delete_draft", _draft_url("reorganising:delete_draft"),
          GET=POST_ONLY_GET, POST=REORGANISE_POST, post_changes=True, payload=lambda c, o: {}),
    Entry("reorganising:apply", _draft_url("reorganising:apply"),
          GET=POST_ONLY_GET, POST=REORGANISE_POST, post_changes=True, payload=lambda c, o: {"confirm": "yes"}),
    Entry("reorganising:batch", _batch_url("reorganising:batch"), GET=REORGANISE),
    Entry("reorganising:undo", _batch_url("reorganising:undo"),
          GET=POST_ONLY_GET, POST=REORGANISE_POST, post_changes=True, payload=lambda c, o: {"confirm": "yes"}),
    # --- programs: the program is the province's, read by every user; task follow-up by its staff -------------
    Entry("programs:list", lambda c, o: reverse("programs:list"),
          GET=by_role(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),  # the only program
    Entry("programs:detail", lambda c, o: reverse("programs:detail", args=[c.program.code]), GET=ANY_USER),
    Entry("programs:history", lambda c, o: reverse("programs:history", args=[c.program.code]), GET=ANY_USER),
    Entry("programs:tasks", lambda c, o: reverse("programs:tasks", args=[c.program.code]), GET=ANY_USER),
    # Reading a new program from its document: the province administrator's; nothing is written
    # (the text waits in the session; the review page without one sends back to the upload).
    Entry("programs:import", lambda c, o: reverse("programs:import"),
          GET=by_role(LOGIN, 403, 403, 403, 403, 403, 200), POST=by_role(LOGIN, 403, 403, 403, 403, 403, REDIRECT),
          payload=lambda c, o: {"text": "II. NỘI DUNG\n\n1. Chỉ tiêu\n\nHằng năm có 100% CĐCS báo cáo."}),
    Entry("programs:import_review", lambda c, o: reverse("programs:import_review"),
          GET=by_role(LOGIN, 403, 403, 403, 403, 403, REDIRECT), POST=by_role(LOGIN, 403, 403, 403, 403, 403, REDIRECT),
          payload=lambda c, o: {}),
    Entry("programs:task_progress", _task_url, TASK,
          GET=POST_ONLY_GET,
          POST=by_role(LOGIN, 403, 403, 403, 403, 403, (REDIRECT, 404)),
          payload=task_payload, post_changes=True),
    # --- dashboards (the unit is chosen by ?unit=) --------------------------------------------------------------
    Entry("dashboards:dashboard", lambda c, u: reverse("dashboards:dashboard") + f"?unit={code(u)}", UNIT,
          GET=SUBTREE),
    Entry("dashboards:target",
          lambda c, u: reverse("dashboards:target", args=[_dashboard_target(c)]) + f"?unit={code(u)}", UNIT,
          GET=SUBTREE),
    # --- official documents: the province's and upper-level unions' (a grassroots union has none: 404) --------
    Entry("exports:index", lambda c, o: reverse("exports:index"), GET=ANY_USER),
    Entry("exports:preview", lambda c, u: reverse("exports:preview", args=[code(u), "yearly_review", 2024]), UNIT,
          GET=DOCUMENT),
    Entry("exports:download", lambda c, u: reverse("exports:download", args=[code(u), "yearly_review", 2024, "xlsx"]),
          UNIT, GET=DOCUMENT),
    # A build's progress: for whoever sees its unit (a build of a grassroots union never exists).
    Entry("exports:build", lambda c, u: _build_url(c, u), UNIT, GET=SUBTREE),
    # Narratives: written by whoever enters the unit's data; the province's by its administrator/staff.
    Entry("exports:narratives", lambda c, u: reverse("exports:narratives", args=[code(u), "yearly_review", 2024]), UNIT,
          GET=by_role(LOGIN, 404, (200, 404), (200, 404), (403, 404), (403, 404), (200, 404)),
          POST=by_role(LOGIN, 404, (REDIRECT, 404), (REDIRECT, 404), (403, 404), (403, 404), (REDIRECT, 404)),
          payload=narrative_payload, post_changes=True),
    # --- reporting: periods (the province opens and closes them) ------------------------------------------------
    Entry("reporting:home", lambda c, o: reverse("reporting:home"), GET=ANY_USER),
    # The approver's queue: for whoever decides on reports (an approver, the province administrator).
    Entry("reporting:queue", lambda c, o: reverse("reporting:queue"), GET=by_role(LOGIN, 403, 403, 200, 403, 403, 200)),
    # Approval from the queue: as the report page's approval (a report the user entered stays as it is: 302
    # with a message, tested in reporting/tests/test_queue.py).
    Entry("reporting:queue_approve", lambda c, r: reverse("reporting:queue_approve"), REPORT,
          GET=POST_ONLY_GET,
          POST=by_role(LOGIN, 403, 403, (REDIRECT, 404, 403, REDIRECT), 403, 403,
                       (REDIRECT, 404, REDIRECT, REDIRECT)),
          payload=queue_payload),
    Entry("reporting:periods", lambda c, o: reverse("reporting:periods"),
          GET=ANY_USER,
          POST=by_role(LOGIN, 403, 403, 403, 403, 403, REDIRECT),
          payload=open_period_payload, post_changes=True),
    Entry("reporting:period_close", lambda c, p: reverse("reporting:period_close", args=[pk(p)]), PERIOD,
          GET=POST_ONLY_GET,
          POST=by_role(LOGIN, 403, 403, 403, 403, 403, (REDIRECT, 404)),
          post_changes=True),
    # Ending a program is the province administrator's (refused with a message while reports wait).
    Entry("reporting:program_close", lambda c, o: reverse("reporting:program_close", args=[c.program.code]),
          GET=POST_ONLY_GET,
          POST=by_role(LOGIN, 403, 403, 403, 403, 403, REDIRECT)),
    Entry("reporting:completeness",
          lambda c, u: reverse("reporting:completeness", args=[c.period.id, code(u)]), UNIT, GET=SUBTREE),
    # --- reporting: a unit's report (2025, drafts). Targets: the user's own unit, one outside, and one directly
    # below the user's: a reporter types their own unit's report only; an approver may type for a union below
    # (on its behalf) ---------------------------------------------------------------------------------------------
    Entry("reporting:entry", lambda c, u: reverse("reporting:entry", args=[c.entry_period.id, code(u)]),
          REPORTING_AND_BELOW,
          GET=SUBTREE_AND_BELOW,
          POST=by_role(LOGIN, (REDIRECT, 404, None), (REDIRECT, 404, 403), (REDIRECT, 404, REDIRECT),
                       (403, 404, 403), (403, 404, 403), (REDIRECT, 404, REDIRECT)),
          payload=entry_payload, post_changes=True),
    # The form's autosave: a personal draft (ReportDraft), allowed to whoever may save the report itself.
    Entry("reporting:autosave", lambda c, u: reverse("reporting:autosave", args=[c.entry_period.id, code(u)]),
          REPORTING_AND_BELOW,
          GET=POST_ONLY_GET,
          POST=by_role(LOGIN, (200, 404, None), (200, 404, 403), (200, 404, 200),
                       (403, 404, 403), (403, 404, 403), (200, 404, 200)),
          payload=entry_payload, post_changes=True),
    # The printable copy of a report: whoever sees the unit, once its report exists (404 before).
    Entry("reporting:report_print",
          lambda c, u: reverse("reporting:report_print", args=[c.entry_period.id, code(u)]),
          REPORTING_AND_BELOW, GET=SUBTREE_AND_BELOW),
    # --- reporting: decisions on sent reports (2024). Targets: a grassroots report inside, one outside, an
    # upper-level union's (the approver's and the sector union's own: not theirs to decide), and one the user
    # submitted themselves (approving it needs another person; returning it does not) --------------------------
    Entry("reporting:approve", lambda c, r: reverse("reporting:approve", args=[pk(r)]), REPORT,
          GET=POST_ONLY_GET,
          POST=by_role(LOGIN, (403, 404, 404, 403), (403, 404, 403, 403), (REDIRECT, 404, 403, 403),
                       (403, 404, 403, None), (403, 404, 403, None), (REDIRECT, 404, REDIRECT, 403)),
          payload=decision_payload, post_changes=True),
    Entry("reporting:return", lambda c, r: reverse("reporting:return", args=[pk(r)]), REPORT,
          GET=POST_ONLY_GET,
          POST=by_role(LOGIN, (403, 404, 404, 403), (403, 404, 403, 403), (REDIRECT, 404, 403, REDIRECT),
                       (403, 404, 403, None), (403, 404, 403, None), (REDIRECT, 404, REDIRECT, REDIRECT)),
          payload=decision_payload, post_changes=True),
    Entry("reporting:reopen", lambda c, r: reverse("reporting:reopen", args=[pk(r)]), REPORT,
          GET=POST_ONLY_GET,
          POST=by_role(LOGIN, (403, 404, 404, 403), (403, 404, 403, 403), (403, 404, 403, 403),
                       (403, 404, 403, None), (403, 404, 403, None), (REDIRECT, 404, REDIRECT, REDIRECT)),
          payload=decision_payload, post_changes=True),
    # --- reporting: offline spreadsheets (2025) ----------------------------------------------------------------
    Entry("reporting:spreadsheet_upload",
          lambda c, u: reverse("reporting:spreadsheet_upload", args=[c.entry_period.id, code(u)]), UNIT_AND_CROSSED,
          GET=by_role(LOGIN, *[(200, 404, None)] * 6),
          # crossed: the user's own upload page, the outside unit's file: refused as a whole (400). The district
          # reporter's file holds its grassroots unions' rows: not theirs to enter (400, nothing saved).
          POST=by_role(LOGIN, (200, 404, 400), (400, 404, 400), (200, 404, 400), (403, 404, 403), (403, 404, None),
                       (200, 404, None)),
          payload=spreadsheet_payload),  # the first step writes nothing: it shows what confirming would do
    Entry("reporting:spreadsheet_confirm",
          lambda c, u: reverse("reporting:spreadsheet_confirm", args=[c.entry_period.id, code(u)]),
          UNIT_AND_CROSSED,
          GET=by_role(LOGIN, *[(405, 405, None)] * 6),
          # the district reporter's file holds its grassroots unions' rows: not theirs to enter (400).
          POST=by_role(LOGIN, (200, 404, 400), (400, 404, 400), (200, 404, 400), (403, 404, 403), (403, 404, None),
                       (200, 404, None)),
          payload=spreadsheet_confirm_payload, post_changes=True),
    Entry("reporting:spreadsheet_download",
          lambda c, u: reverse("reporting:spreadsheet_download", args=[c.entry_period.id, code(u)]), UNIT,
          GET=SUBTREE),
    # --- plans: implementation plans ------------------------------------------------------------------------------
    Entry("plans:home", lambda c, o: reverse("plans:home"),
          GET=by_role(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),  # to the user's own unit
    Entry("plans:download", lambda c, p: reverse("plans:download", args=[pk(p)]), PLAN,
          GET=SUBTREE),
    # Targets as for reporting:entry: a reporter uploads their own unit's plan only.
    Entry("plans:unit", lambda c, u: reverse("plans:unit", args=[c.program.code, code(u)]),
          UNIT_AND_BELOW,
          GET=SUBTREE_AND_BELOW,
          POST=by_role(LOGIN, (REDIRECT, 404, None), (REDIRECT, 404, 403), (REDIRECT, 404, REDIRECT),
                       (403, 404, 403), (403, 404, 403), (REDIRECT, 404, REDIRECT)),
          payload=plan_payload, post_changes=True),
    Entry("plans:status",
          lambda c, u: reverse("plans:status", args=[c.program.code, code(u)]), UNIT, GET=SUBTREE),
    # --- registries: a unit's records over its subtree; one record; entered by whoever enters the unit's data ---
    Entry("registries:home", lambda c, o: reverse("registries:home"),
          GET=by_role(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    Entry("registries:list", lambda c, u: reverse("registries:list", args=["homes", code(u)]), UNIT, GET=SUBTREE),
    Entry("registries:export", lambda c, u: reverse("registries:export", args=["homes", code(u)]), UNIT,
          GET=SUBTREE),
    Entry("registries:new", lambda c, u: reverse("registries:new", args=["homes", code(u)]), UNIT_AND_BELOW,
          GET=RECORD_ENTRY, POST=RECORD_ENTRY_POST, payload=_house_payload, post_changes=True),
    Entry("registries:import", lambda c, u: reverse("registries:import", args=["homes", code(u)]), UNIT_AND_BELOW,
          GET=RECORD_ENTRY, POST=RECORD_ENTRY_POST, payload=_house_file, post_changes=True),
    Entry("registries:edit", lambda c, h: reverse("registries:edit", args=["homes", pk(h)]), HOUSE,
          GET=SUBTREE, POST=RECORD_CHANGE, payload=_house_edit_payload, post_changes=True),
    Entry("registries:delete", lambda c, h: reverse("registries:delete", args=["homes", pk(h)]), HOUSE,
          GET=POST_ONLY_GET, POST=RECORD_CHANGE, post_changes=True),
    # --- the JSON API: a user's own tokens (pages), then /api/v1/, with the rules of the pages ---------------
    Entry("api:tokens", lambda c, o: _api("tokens"), GET=ANY_USER,
          POST=by_role(LOGIN, 200, 200, 200, 200, 200, 200),
          payload=lambda c, o: {"name": "Phần mềm của huyện", "days": 30}, post_changes=True),
    Entry("api:token_revoke", lambda c, t: reverse("api:token_revoke", args=[t.pk if t else MISSING_PK]), TOKEN,
          GET=by_role(LOGIN, *[(405, 405)] * 6),
          POST=by_role(LOGIN, *[(REDIRECT, 404)] * 6), post_changes=True),
    Entry("api:schema", lambda c, o: _api("schema"), GET=EVERYONE, html_checked=False),
    Entry("api:docs", lambda c, o: _api("docs"), GET=EVERYONE),
    Entry("api:units", lambda c, o: _api("units"), GET=API_ANY_USER),
    Entry("api:unit", lambda c, u: reverse("api:unit", args=[code(u)]), UNIT, GET=API_SUBTREE),
    Entry("api:reorganisations", lambda c, o: _api("reorganisations"),
          GET=by_role(401, 403, 403, 403, 403, 200, 200)),
    Entry("api:programs", lambda c, o: _api("programs"), GET=API_ANY_USER),
    Entry("api:program", lambda c, o: reverse("api:program", args=[c.program.code]), GET=API_ANY_USER),
    Entry("api:periods", lambda c, o: _api("periods"), GET=API_ANY_USER),
    Entry("api:results", lambda c, u: _api("results") + f"?unit={code(u)}&year=2024", UNIT, GET=API_SUBTREE),
    Entry("api:completeness", lambda c, u: _api("completeness") + f"?unit={code(u)}&year=2024", UNIT,
          GET=API_SUBTREE),
    # Reports: a draft made, changed and submitted as on the entry page (2025); decisions as on the pages (2024).
    Entry("api:reports", lambda c, o: _api("reports"), REPORTING_AND_BELOW,
          GET=by_role(401, (200, 200, None), *[(200, 200, 200)] * 5),
          POST=by_role(401, (201, 404, None), (201, 404, 403), (201, 404, 201), (403, 404, 403), (403, 404, 403),
                       (201, 404, 201)),
          payload=api_create_payload, content_type=JSON, post_changes=True),
    Entry("api:report", lambda c, u: reverse("api:report", args=[entry_report_pk(c, u)]), REPORTING_AND_BELOW,
          GET=API_SUBTREE_AND_BELOW,
          PATCH=by_role(401, (200, 404, None), (200, 404, 403), (200, 404, 200), (403, 404, 403), (403, 404, 403),
                        (200, 404, 200)),
          payload=api_patch_payload, content_type=JSON, post_changes=True),
    Entry("api:report_submit", lambda c, u: reverse("api:report_submit", args=[entry_report_pk(c, u)]),
          REPORTING_AND_BELOW,
          GET=by_role(401, (405, 405, None), *[(405, 405, 405)] * 5),
          POST=by_role(401, (200, 404, None), (200, 404, 403), (200, 404, 200), (403, 404, 403), (403, 404, 403),
                       (200, 404, 200)),
          payload=api_submit_payload, content_type=JSON, post_changes=True),
    Entry("api:report_approve", lambda c, r: reverse("api:report_approve", args=[pk(r)]), REPORT,
          GET=by_role(401, *[(405, 405, 405, 405)] * 3, *[(405, 405, 405, None)] * 2, (405, 405, 405, 405)),
          POST=by_role(401, (403, 404, 404, 403), (403, 404, 403, 403), (200, 404, 403, 403),
                       (403, 404, 403, None), (403, 404, 403, None), (200, 404, 200, 403)),
          payload=api_decision_payload, content_type=JSON, post_changes=True),
    Entry("api:report_return", lambda c, r: reverse("api:report_return", args=[pk(r)]), REPORT,
          GET=by_role(401, *[(405, 405, 405, 405)] * 3, *[(405, 405, 405, None)] * 2, (405, 405, 405, 405)),
          POST=by_role(401, (403, 404, 404, 403), (403, 404, 403, 403), (200, 404, 403, 200),
                       (403, 404, 403, None), (403, 404, 403, None), (200, 404, 200, 200)),
          payload=api_decision_payload, content_type=JSON, post_changes=True),
    Entry("api:plans", lambda c, o: _api("plans"), GET=API_ANY_USER),
    Entry("api:plan_download", lambda c, p: reverse("api:plan_download", args=[pk(p)]), PLAN, GET=API_SUBTREE),
    Entry("api:audit", lambda c, o: _api("audit"), GET=by_role(401, 403, 403, 403, 403, 403, 200)),
    # Data exchange: the export of a subtree; an import of one value of a unit's 2025 report, refused as a
    # whole (400, every bad row named) when the row's unit is not the user's to enter.
    Entry("api:values_csv", lambda c, u: _api("values_csv") + f"?unit={code(u)}&year=2024", REPORTING_AND_BELOW,
          GET=by_role(401, (200, 404, None), *[(200, 404, 200)] * 5),
          POST=by_role(401, (200, 400, None), (200, 400, 400), (200, 400, 200), (400, 400, 400), (400, 400, 400),
                       (200, 400, 200)),
          payload=api_csv_payload, content_type="text/csv", post_changes=True),
    Entry("api:values_adx", lambda c, u: _api("values_adx") + f"?unit={code(u)}&year=2024", REPORTING_AND_BELOW,
          GET=by_role(401, (200, 404, None), *[(200, 404, 200)] * 5),
          POST=by_role(401, (200, 400, None), (200, 400, 400), (200, 400, 200), (400, 400, 400), (400, 400, 400),
                       (200, 400, 200)),
          payload=api_adx_payload, content_type="application/adx+xml", post_changes=True),
]


# --- the Django admin: one rule for the prefix ------------------------------------------------------------------
# Anonymous visitors and every user who is not staff (all but the province administrator, who is
# staff and superuser like the demo `tinh`) are sent to the admin's login page, whatever the admin
# URL; the superuser gets the index and every list page (200).
ADMIN_SAMPLE_ARGUMENTS = {"object_id": "1", "app_label": "units", "content_type_id": "1", "url": "no-such-page/",
                          "id": "1"}
NOT_STAFF = ADMIN_LOGIN


def _admin_url(route: str, name: str | None):
    def build(ctx, obj) -> str:
        if name:
            return reverse(name, kwargs=_admin_kwargs(name))
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ADMIN_SAMPLE_ARGUMENTS[m.group(1)], route)
    return build


def _admin_kwargs(name: str) -> dict:
    for keys in ((), ("object_id",), ("app_label",), ("content_type_id", "object_id"), ("url",), ("id",)):
        kwargs = {key: ADMIN_SAMPLE_ARGUMENTS[key] for key in keys}
        try:
            reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        return kwargs
    raise NoReverseMatch(name)


def admin_entries() -> list[Entry]:
    entries = []
    for pattern in url_patterns():
        if not pattern.route.startswith(ADMIN_PREFIX):
            continue
        name = pattern.ident if pattern.pattern.name else None
        if name == "admin:login":
            get = by_role(200, 200, 200, 200, 200, 200, REDIRECT)  # a logged-in staff user is sent to the index
        elif name == "admin:logout":
            # logging out is a POST; a GET sends a visitor who is not staff to the admin's index
            get = by_role(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 405)
        elif name == "admin:index" or (name or "").endswith("_changelist"):
            get = by_role(NOT_STAFF, NOT_STAFF, NOT_STAFF, NOT_STAFF, NOT_STAFF, NOT_STAFF, 200)
        else:  # forms, history, deletion pages…: not tried as the superuser (None)
            get = by_role(NOT_STAFF, NOT_STAFF, NOT_STAFF, NOT_STAFF, NOT_STAFF, NOT_STAFF, None)
        entries.append(Entry(pattern.ident, _admin_url(pattern.route, name), GET=get, html_checked=False))
    return entries


# --- the tests ------------------------------------------------------------------------------------------------------
def test_every_url_pattern_has_an_entry():
    patterns = {p.ident for p in url_patterns() if not p.route.startswith(ADMIN_PREFIX)}
    names = [entry.name for entry in ACCESS]
    problems = [f"{name} has two entries in ACCESS" for name in sorted({n for n in names if names.count(n) > 1})]
    problems += [f"add an entry for {ident} to ACCESS in {THIS_FILE}" for ident in sorted(patterns - set(names))]
    problems += [f"ACCESS in {THIS_FILE} has an entry for {name}, which is no URL pattern any more: remove it"
                 for name in sorted(set(names) - patterns)]
    assert not problems, "\n".join(problems)


# The table in shards (every SHARDS-th entry, in the table's order) so that the suite's processes
# share its requests: as one test it was the suite's longest by far, and finished last alone.
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_role_gets_what_the_permission_rules_say(program, shard):
    ctx = build_context(program)
    result = run_table(ctx, [*ACCESS, *admin_entries()][shard::SHARDS])
    print(f"\nURL access table, shard {shard + 1} of {SHARDS}: {result.summary()}")
    assert not result.mismatches, (
        f"{len(result.mismatches)} of {result.requests} requests did not get what the permission rules say:\n"
        + as_table(result.mismatches))


def test_the_table_notices_a_leak(program, monkeypatch):
    """The table is only worth something if it fails: with the subtree rule taken out of a few
    views, it must report the outsider's 200, the change an outsider made and the unit a page
    named; with the rules of who may do what loosened (anyone who may see a unit enters its data,
    a submitter approves their own report), the reporter above typing for a union below, uploading
    its plan, and the approver approving what they submitted."""
    from django.shortcuts import get_object_or_404

    import api.views
    import plans.views
    import reporting.views.entry
    import units.views
    from accounts.permissions import can_view_unit
    from units.models import Unit

    def sees_so_edits(user, unit):  # the rule as it was before the rights of each role were set
        return user.role in ("reporter", "approver", "province_admin") and can_view_unit(user, unit)

    monkeypatch.setattr(units.views, "get_visible_unit_or_404", lambda user, code: get_object_or_404(Unit, code=code))
    monkeypatch.setattr(units.views, "visible_units", lambda user: Unit.objects.all())
    monkeypatch.setattr(reporting.views.entry, "can_view_unit", lambda user, unit: True)
    monkeypatch.setattr(reporting.views.entry, "can_approve_report", lambda user, report: True)
    monkeypatch.setattr(reporting.views.entry, "can_edit_unit_data", sees_so_edits)
    monkeypatch.setattr(plans.views, "can_edit_unit_data", sees_so_edits)
    monkeypatch.setattr(api.views, "visible_units", lambda user: Unit.objects.all())
    ctx = build_context(program)
    chosen = [entry for entry in ACCESS if entry.name in (
        "units:detail", "units:search", "reporting:approve", "reporting:entry", "plans:unit", "api:units")]
    found = {(name, role, target, method): got
             for name, role, target, method, _expected, got in run_table(ctx, chosen).mismatches}
    assert found[("units:detail", "reporter", "AG.883.00002", "GET")].startswith("200; names AG.883.00002")
    assert found[("units:detail", "approver", "AG.884", "GET")].startswith("200")
    assert found[("units:search", "reporter", "AG.883.00002", "GET")].startswith("200; names AG.883.00002")
    approved = found[("reporting:approve", "reporter", "report of AG.883.00002", "POST")]
    assert approved.startswith("302→/reporting/") and "reporting.Report" in approved.split("changed ", 1)[1].split(", ")
    assert ("units:detail", "reporter", "AG.883.00001", "GET") not in found  # inside: as before
    typed = found[("reporting:entry", "district_reporter", "AG.883.00001 (directly below)", "POST")]
    assert typed.startswith("302→/reporting/") and "reporting.DataValue" in typed
    uploaded = found[("plans:unit", "district_reporter", "AG.883.00001 (directly below)", "POST")]
    assert uploaded.startswith("302→/reporting/plans/") and "plans.ImplementationPlan" in uploaded
    assert "AG.884.00001" in found[("api:units", "approver", "-", "GET")]  # a JSON answer is read too
    own = found[("reporting:approve", "approver", "report of AG.883.00002 (they submitted it)", "POST")]
    assert own.startswith("302→/reporting/") and "reporting.Report" in own.split("changed ", 1)[1].split(", ")
