"""What the access table runs against: build_world()'s little An Giang (and a reporter of the
Long Xuyên district union itself), the An Giang program, two periods with reports, plans, and
the objects each role's targets are taken from."""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from accounts.actions import contact_version
from accounts.bulk import HEADERS as ACCOUNTS_HEADERS
from accounts.bulk import SHEET as ACCOUNTS_SHEET
from accounts.bulk import pending_key
from accounts.models import Role, User
from accounts.testing import PASSWORD, build_world
from demo.reports import values_for
from indicators.rollups import refresh as refresh_rollups
from plans.actions import do_upload_plan
from plans.models import ImplementationPlan
from plans.testing import PDF_BYTES
from programs.models import Program
from reporting.actions import do_open_period, do_save_values, do_submit, values_of
from reporting.elements import program_elements_for
from reporting.models import Period, Report
from reporting.spreadsheets import FIRST_ROW, META_SHEET, SHEET, build_template, plan_spreadsheet
from reporting.testing import make_report
from reporting.uploads import PendingUpload, stash_upload
from tests.access.harness import MISSING_CODE, MISSING_PK, ROLE_USERS, Target
from units.models import Unit

# build_world()'s units by attribute: province AG; districts long_xuyen AG.883 and chau_doc AG.884;
# the health sector union health AG.YT; grassroots school AG.883.00001 (the reporter's),
# factory AG.883.00002, market AG.884.00001, hospital AG.YT.00001.
REPORTING_UNITS = ("long_xuyen", "chau_doc", "health", "school", "factory", "market", "hospital")
PLAN_UNITS = ("school", "factory", "market", "hospital")

# Per role, (inside, outside) as world attribute names; None: an object that does not exist
# (a province-wide user has nothing outside its subtree). Anonymous visitors try the reporter's.
OWN_UNIT = {  # the user's own unit (pages of a subtree)
    "anonymous": ("school", "factory"),
    "reporter": ("school", "factory"),
    "district_reporter": ("long_xuyen", "chau_doc"),
    "approver": ("long_xuyen", "chau_doc"),
    "sector_viewer": ("health", "long_xuyen"),
    "viewer": ("province", None),
    "admin": ("province", None),
}
REPORTING_UNIT = {  # a unit that has a report to fill in (the province itself reports nothing)
    **OWN_UNIT,
    "viewer": ("long_xuyen", None),
    "admin": ("long_xuyen", None),
}
GRASSROOTS = {  # a grassroots union (its report, its plan)
    "anonymous": ("school", "factory"),
    "reporter": ("school", "factory"),
    "district_reporter": ("school", "market"),
    "approver": ("school", "market"),
    "sector_viewer": ("hospital", "school"),
    "viewer": ("school", None),
    "admin": ("school", None),
}
UPPER = {  # an upper-level union's report: the approver's and the sector union's own, Long Xuyên's else
    "anonymous": "long_xuyen",
    "reporter": "long_xuyen",
    "district_reporter": "long_xuyen",
    "approver": "long_xuyen",
    "sector_viewer": "health",
    "viewer": "long_xuyen",
    "admin": "long_xuyen",
}


BELOW = {  # a unit directly below the user's own, inside the subtree but not the user's (None: none)
    "anonymous": "school",
    "reporter": None,
    "district_reporter": "school",
    "approver": "school",
    "sector_viewer": "hospital",
    "viewer": "chau_doc",
    "admin": "chau_doc",
}
# A 2024 report the user entered and submitted themselves (the approver on behalf of the factory,
# which has no officer; the administrator for Châu Đốc): approving it needs another person.
ENTERED = {
    "anonymous": None,
    "reporter": "school",
    "district_reporter": "long_xuyen",
    "approver": "factory",
    "sector_viewer": None,
    "viewer": None,
    "admin": "chau_doc",
}


@dataclass
class Ctx:
    w: SimpleNamespace
    program: Program
    period: Period        # 2024: every report sent (for approve / return / reopen, completeness)
    entry_period: Period  # 2025: every report a draft (for data entry and spreadsheets)
    reports: dict[str, Report]              # 2024 reports by world attribute
    plans: dict[str, ImplementationPlan]    # by world attribute

    def user(self, role: str):
        return getattr(self.w, ROLE_USERS[role]) if role in ROLE_USERS else None

    def unit(self, name: str | None) -> Unit | None:
        return getattr(self.w, name) if name else None


def build_context(program: Program) -> Ctx:
    w = build_world()
    # The province administrator of the demo accounts is also staff and superuser (Django admin).
    w.admin.is_staff = w.admin.is_superuser = True
    w.admin.save()
    w.district_reporter = User.objects.create(username="district_reporter", unit=w.long_xuyen, role=Role.REPORTER)
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=w.admin)
    entry_period = do_open_period("year", 2025, 0, datetime.date(2026, 1, 15), by=w.admin)
    submitters = {name: getattr(w, ROLE_USERS[role]) for role, name in ENTERED.items() if name}
    reports = {}
    for name in REPORTING_UNITS:
        if name in submitters:  # sent through the workflow, so that the report's trail names its submitter
            reports[name] = _entered(period, getattr(w, name), submitters[name])
        else:
            reports[name] = make_report(period, getattr(w, name), Report.Status.SUBMITTED, datetime.date(2025, 1, 10))
        make_report(entry_period, getattr(w, name), Report.Status.DRAFT)
    refresh_rollups()
    plan_files = {}
    for name in PLAN_UNITS:
        plan_files[name] = do_upload_plan(
            program, getattr(w, name), SimpleUploadedFile("ke-hoach.pdf", PDF_BYTES, "application/pdf"),
            datetime.date(2021, 8, 1), f"{len(plan_files) + 1}/KH", w.admin)
    return Ctx(w, program, period, entry_period, reports, plan_files)


def _entered(period: Period, unit: Unit, by) -> Report:
    """The unit's report typed in and submitted by `by` (plausible values, as the demo makes)."""
    report = make_report(period, unit, Report.Status.DRAFT)
    do_save_values(report, values_for(unit, period.year, 1.0, random.Random(unit.pk), {}), {}, by=by,
                   expected_version=0)
    return do_submit(report, by=by, expected_version=1)


# --- targets -----------------------------------------------------------------------------------------------
def _unit_label(unit: Unit | None) -> str:
    return unit.code if unit else f"{MISSING_CODE} (no such unit)"


def _unit_targets(mapping: dict) -> tuple[Target, Target]:
    def pick(index):
        def chosen(ctx: Ctx, role: str):
            unit = ctx.unit(mapping[role][index])
            return unit, _unit_label(unit)
        return chosen

    return Target("inside", pick(0)), Target("outside", pick(1))


def _below(ctx: Ctx, role: str):
    unit = ctx.unit(BELOW[role])
    return unit, f"{_unit_label(unit)} (directly below)"


UNIT = _unit_targets(OWN_UNIT)
REPORTING = _unit_targets(REPORTING_UNIT)
# The user's own unit, one outside, and one directly below the user's (not the user's own data).
UNIT_AND_BELOW = (*UNIT, Target("below", _below))
REPORTING_AND_BELOW = (*REPORTING, Target("below", _below))


@dataclass(frozen=True)
class Crossed:
    """A URL for one unit carrying a file made for another."""

    unit: Unit
    file_unit: Unit


def _crossed(ctx: Ctx, role: str):
    inside, outside = (ctx.unit(name) for name in OWN_UNIT[role])
    return Crossed(inside, outside), f"{inside.code} with {outside.code}'s file"


# The user's own unit, the outside one, and the user's own unit's URL with the outside unit's file
# (not tried for province-wide users: nothing is outside their subtree).
UNIT_AND_CROSSED = (*UNIT, Target("crossed", _crossed))


def _report_pick(chooser, note: str = ""):
    def chosen(ctx: Ctx, role: str):
        name = chooser(role)
        report = ctx.reports[name] if name else None
        return report, f"report of {report.unit.code}{note}" if report else f"report #{MISSING_PK} (none)"
    return chosen


REPORT = (
    Target("inside", _report_pick(lambda role: GRASSROOTS[role][0])),
    Target("outside", _report_pick(lambda role: GRASSROOTS[role][1])),
    Target("upper", _report_pick(lambda role: UPPER[role])),
    Target("entered", _report_pick(lambda role: ENTERED[role], " (they submitted it)")),
)


def _plan_pick(index):
    def chosen(ctx: Ctx, role: str):
        name = GRASSROOTS[role][index]
        plan = ctx.plans[name] if name else None
        return plan, f"plan of {plan.unit.code}" if plan else f"plan #{MISSING_PK} (none)"
    return chosen


PLAN = (Target("inside", _plan_pick(0)), Target("outside", _plan_pick(1)))

TASK = (
    Target("task", lambda ctx, role: (ctx.program.tasks.order_by("id").first(), "first task")),
    Target("missing", lambda ctx, role: (None, "task X.99 (none)")),
)
PERIOD = (
    Target("period", lambda ctx, role: (ctx.entry_period, f"period {ctx.entry_period.label}")),
    Target("missing", lambda ctx, role: (None, f"period #{MISSING_PK} (none)")),
)


# --- URL pieces and payloads ------------------------------------------------------------------------------------
def code(unit: Unit | Crossed | None) -> str:
    if isinstance(unit, Crossed):
        unit = unit.unit
    return unit.code if unit else MISSING_CODE


def pk(obj) -> int:
    return obj.pk if obj is not None else MISSING_PK


def first_count_element(ctx: Ctx, unit: Unit) -> str:
    return next(e.code for e in program_elements_for(ctx.program, unit) if e.type == "count")


def entry_payload(ctx: Ctx, unit: Unit | None) -> dict:
    """Save a draft of the unit's 2025 report: one value changed, at the version read."""
    if unit is None:
        return {"version": 0}
    report = Report.objects.get(period=ctx.entry_period, unit=unit)
    return {"version": report.version, first_count_element(ctx, unit): "7"}


def queue_payload(ctx: Ctx, report: Report | None) -> dict:
    """Approval from the queue: the report ticked, with its version."""
    if report is None:
        return {"report": f"{MISSING_PK}:0"}
    return {"report": f"{report.pk}:{Report.objects.get(pk=report.pk).version}"}


def decision_payload(ctx: Ctx, report: Report | None) -> dict:
    version = Report.objects.get(pk=report.pk).version if report else 0
    return {"version": version, "comment": "Kiểm tra quyền truy cập"}


def spreadsheet_payload(ctx: Ctx, unit: Unit | Crossed | None) -> dict:
    """The unit's 2025 template with one value filled in on its first row."""
    if isinstance(unit, Crossed):
        unit = unit.file_unit
    workbook = load_workbook(io.BytesIO(build_template(ctx.entry_period, unit or ctx.w.province)))
    column, element = next((row[1], row[2]) for row in workbook[META_SHEET].iter_rows(values_only=True)
                           if row[0] == "column" and row[2] in ("workers", "members", "officers"))
    # Last year's value where there is one (a jump from it would be a warning to explain), else 7.
    first_unit = workbook[SHEET][f"A{FIRST_ROW}"].value
    last_year = values_of(Report.objects.filter(period=ctx.period, unit__code=first_unit).first())
    workbook[SHEET][f"{column}{FIRST_ROW}"] = last_year.get(element) or 7
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "bao-cao.xlsx"
    return {"file": buffer}


# The token under which every user's upload waits in spreadsheet_confirm_payload.
PENDING_TOKEN = "access-table-pending-upload-0000"


def spreadsheet_confirm_payload(ctx: Ctx, unit: Unit | Crossed | None) -> dict:
    """The confirmation of spreadsheet_payload's file, as the first step leaves it: waiting for
    each user (the payload does not know which one will post it) on the unit's page."""
    content = spreadsheet_payload(ctx, unit)["file"].getvalue()
    page = unit.unit if isinstance(unit, Crossed) else unit
    for role in ROLE_USERS:
        user = ctx.user(role)
        planned = plan_spreadsheet(content, ctx.entry_period, user, root=page) if page else None
        versions = planned.versions if planned else {}
        stash_upload(user, PENDING_TOKEN, PendingUpload(content, ctx.entry_period.id, code(page), False, versions))
    return {"token": PENDING_TOKEN}


def plan_payload(ctx: Ctx, unit: Unit | None) -> dict:
    return {"file": SimpleUploadedFile("ke-hoach.pdf", PDF_BYTES, "application/pdf"),
            "issued_on": "2021-09-01", "document_number": "99/KH"}


def narrative_payload(ctx: Ctx, unit: Unit | None) -> dict:
    return {"achievements": "Kiểm tra quyền truy cập.", "shortcomings": "", "causes": "", "directions": "",
            "number": "", "issued_on": "", "signer_on_behalf": "", "signer_title": "", "signer_name": "",
            "recipients": ""}


def task_payload(ctx: Ctx, task) -> dict:
    return {"status": "in_progress", "on_date": datetime.date(2025, 1, 2).isoformat(), "note": "Kiểm tra."}


def open_period_payload(ctx: Ctx, obj) -> dict:
    return {"kind": "year", "year": 2022, "half": 0, "due_on": "2023-01-15"}



# --- accounts ---------------------------------------------------------------------------------
def profile_payload(ctx: Ctx, obj) -> dict:
    return {"full_name": "Nguyễn Văn Kiểm Tra", "email": "kiem.tra@example.vn"}


def unit_contact_payload(ctx: Ctx, obj) -> dict:
    """A new contact over the one the form was read at: every unit of the world has none yet,
    so one version stands for every user's own unit."""
    return {"contact_name": "Trần Thị Mai", "phone": "0296 3841 234", "email": "lien.he@example.vn",
            "version": contact_version(Unit(contact_name="", phone="", email=""))}


def password_change_payload(ctx: Ctx, obj) -> dict:
    return {"old_password": PASSWORD, "new_password1": "Mua-lua-2026-chin", "new_password2": "Mua-lua-2026-chin"}


def _accounts_file(ctx: Ctx) -> bytes:
    workbook = Workbook()
    workbook.active.title = ACCOUNTS_SHEET
    workbook.active.append(list(ACCOUNTS_HEADERS))
    workbook.active.append([ctx.w.school.code, "Nguyễn Thị Mới", "moi.tao@example.vn", "Người báo cáo"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def accounts_upload_payload(ctx: Ctx, unit) -> dict:
    """One new reporter account at the Long Xuyên school (inside the approver's and the admin's pages)."""
    buffer = io.BytesIO(_accounts_file(ctx))
    buffer.name = "tai-khoan.xlsx"
    return {"file": buffer}


def accounts_confirm_payload(ctx: Ctx, unit) -> dict:
    """The confirmation of accounts_upload_payload's file, waiting for every user on the unit's page."""
    content = _accounts_file(ctx)
    for role in ROLE_USERS:
        key = pending_key(unit) if unit else f"accounts/{MISSING_CODE}"
        stash_upload(ctx.user(role), PENDING_TOKEN, PendingUpload(content, 0, key, False, {}))
    return {"token": PENDING_TOKEN}


# --- the JSON API (api/) ------------------------------------------------------------------------
def _entry_report(ctx: Ctx, unit: Unit | None) -> Report | None:
    return Report.objects.filter(period=ctx.entry_period, unit=unit).first() if unit else None


def entry_report_pk(ctx: Ctx, unit: Unit | None) -> int:
    return pk(_entry_report(ctx, unit))


def api_create_payload(ctx: Ctx, unit: Unit | None) -> dict:
    """A draft of the unit's 2025 report with one value (the world's 2025 drafts are empty, version 0)."""
    values = {first_count_element(ctx, unit): 7} if unit else {}
    return {"unit": code(unit), "year": 2025, "values": values}


def api_patch_payload(ctx: Ctx, unit: Unit | None) -> dict:
    report = _entry_report(ctx, unit)
    if report is None:
        return {"version": 0, "values": {}}
    return {"version": report.version, "values": {first_count_element(ctx, unit): 7}}


def api_submit_payload(ctx: Ctx, unit: Unit | None) -> dict:
    """The unit's 2025 draft made complete (once, before the request: plausible values, as the demo
    types them), at the version it then has."""
    report = _entry_report(ctx, unit)
    if report is None:
        return {"version": 0}
    if not values_of(report):
        do_save_values(report, values_for(unit, 2025, 1.0, random.Random(unit.pk), {}), {}, by=ctx.w.admin,
                       expected_version=report.version)
        report.refresh_from_db()
    return {"version": report.version}


def api_decision_payload(ctx: Ctx, report: Report | None) -> dict:
    return decision_payload(ctx, report)


def api_csv_payload(ctx: Ctx, unit: Unit | None) -> bytes:
    """One value of the unit's 2025 report as a CSV file."""
    element = first_count_element(ctx, unit) if unit else "workers"
    return (f"dataSet,period,orgUnit,dataElement,value,comment\n"
            f"{ctx.program.code},2025,{code(unit)},{element},7,\n").encode()


def api_adx_payload(ctx: Ctx, unit: Unit | None) -> bytes:
    element = first_count_element(ctx, unit) if unit else "workers"
    return (f'<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="{code(unit)}" period="2025-01-01/P1Y" '
            f'dataSet="{ctx.program.code}"><dataValue dataElement="{element}" value="7"/></group></adx>').encode()
