"""Plausible reports for the demo: five years of An Giang's 2020–2025 program, values that
improve over the term around the targets (some units below them), most reports approved; then
2026, the first year of the 2025–2030 program, in progress. Deterministic for a given seed.

Values are generated per data element code of the An Giang programs; an element of another
program that this module does not know is left blank, so the demo stays honest about what
it knows.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from audit import trail
from audit.models import AuditEntry
from programs.models import DataElement, Program
from reporting.actions import do_close_period, do_open_period
from reporting.completeness import expected_reporters
from reporting.elements import elements_for, reporter_level
from reporting.models import DataValue, Period, Report, value_to_stored
from reporting.signals import period_changed
from units.models import Unit, UnitKind

BATCH = 5000


def _rising(t: float, start: float, end: float) -> float:
    """A share that moves from `start` in the first year to `end` in the last (t from 0 to 1)."""
    return start + (end - start) * t


def grassroots_values(unit: Unit, year: int, t: float, rng: random.Random) -> dict:
    enterprise = unit.ownership in ("state", "non_state")
    non_state = unit.ownership == "non_state"
    workers = max(3, round(unit.workers * rng.uniform(0.95, 1.06)))
    member_rate = _rising(t, 0.80, 0.90) if non_state else rng.uniform(0.95, 1.0)
    members = min(workers, round(workers * min(1.0, member_rate * rng.uniform(0.93, 1.07))))
    officers = max(1, min(members, unit.officers or 3))
    disseminated = rng.random() < _rising(t, 0.86, 0.98)
    cba_signed = rng.random() < (_rising(t, 0.80, 0.94) if enterprise else _rising(t, 0.55, 0.75))
    values = {
        "workers": workers,
        "members": members,
        "officers": officers,
        "officers_trained": min(officers, round(officers * rng.uniform(*(_rising(t, .45, .70), _rising(t, .7, .95))))),
        "resolution_disseminated": disseminated,
        "implementation_plan_built": disseminated and rng.random() < _rising(t, 0.85, 0.97),
        "workers_informed": round(workers * rng.uniform(0.74, 0.98)),
        "workers_upskilled": round(workers * rng.uniform(_rising(t, 0.45, 0.62), _rising(t, 0.72, 0.90))),
        "authority_dialogue_proposed": rng.random() < (_rising(t, 0.7, 0.9) if unit.large_enterprise else 0.45),
        "cba_signed": cba_signed,
        "cba_more_favourable": cba_signed and rng.random() < _rising(t, 0.84, 0.93),
        "cba_quality_class": rng.choices("ABCD", weights=(15, _rising(t, 28, 40), 37, 12))[0] if cba_signed else None,
        "union_homes": 1 if rng.random() < _rising(t, 0.055, 0.08) else 0,
        "initiatives": rng.randint(0, 14) if enterprise else rng.randint(0, 6),
        "creative_model_applied": rng.random() < _rising(t, 0.7, 0.9),
        "effective_model": rng.random() < _rising(t, 0.6, 0.95),
        "party_referrals": rng.choices((0, 1, 2), weights=(70, 25, 5))[0],
    }
    if enterprise:
        state = unit.ownership == "state"
        values["employee_conference_held"] = rng.random() < (0.98 if state else _rising(t, 0.74, 0.88))
        values["workplace_dialogue_held"] = rng.random() < (0.97 if state else _rising(t, 0.64, 0.80))
    if year >= 2026:
        values.update(new_term_values(values, t, rng))
    if year == 2021 and values["implementation_plan_built"]:
        values["implementation_plan_date"] = datetime.date(2021, 4, 1) + datetime.timedelta(days=rng.randint(0, 200))
    return values


def new_term_values(values: dict, t: float, rng: random.Random) -> dict:
    """The 2025–2030 program's own grassroots elements, within its validation rules (each
    count at most the one it is a part of)."""
    members, officers, workers = values["members"], values["officers"], values["workers"]
    in_difficulty = round(members * rng.uniform(0.01, 0.06))
    return {
        "members_admitted": min(members, round(members * rng.uniform(0.02, 0.12))),
        "grassroots_rating": rng.choices("ABCD", weights=(_rising(t, 35, 45), 40, 18, 7))[0],
        "members_legal_informed": round(members * rng.uniform(_rising(t, 0.70, 0.85), 0.98)),
        "officers_studied_resolutions": round(officers * rng.uniform(_rising(t, 0.80, 0.95), 1.0)),
        "workers_trained": round(workers * rng.uniform(0.05, _rising(t, 0.25, 0.40))),
        "creative_labour_medals": min(values["initiatives"], rng.choices((0, 1, 2), weights=(85, 12, 3))[0]),
        "members_in_difficulty": in_difficulty,
        "members_in_difficulty_supported": round(in_difficulty * rng.uniform(_rising(t, 0.6, 0.8), 1.0)),
    }


def upper_values(unit: Unit, year: int, t: float, rng: random.Random, enterprises: int) -> dict:
    in_zones = unit.kind == UnitKind.INDUSTRIAL_ZONE
    disputes = rng.choices((0, 1, 2, 3), weights=(55, 30, 10, 5))[0] * (2 if in_zones else 1)
    total = max(enterprises, round(enterprises * rng.uniform(1.0, 1.15)))
    values = {
        "resolution_disseminated": True,
        "implementation_plan_built": rng.random() < 0.97,
        "authority_dialogue_proposed": rng.random() < _rising(t, 0.85, 1.0),
        "creative_model_applied": rng.random() < _rising(t, 0.8, 1.0),
        "effective_model": rng.random() < _rising(t, 0.8, 1.0),
        "labour_disputes": disputes,
        "disputes_with_union": disputes if rng.random() < 0.9 else max(0, disputes - 1),
        "enterprises_20plus": total,
        "enterprises_20plus_with_union": min(total, round(total * rng.uniform(_rising(t, .82, .9), _rising(t, .9, 1)))),
    }
    if year == 2021:
        values["implementation_plan_date"] = datetime.date(2021, 3, 15) + datetime.timedelta(days=rng.randint(0, 120))
    return values


def values_for(unit: Unit, year: int, t: float, rng: random.Random, enterprises: dict[int, int]) -> dict:
    level = reporter_level(unit)
    if level == "grassroots":
        return grassroots_values(unit, year, t, rng)
    if level == "upper_union":
        return upper_values(unit, year, t, rng, enterprises.get(unit.id, 0))
    return {"effective_model": True}


def _enterprises_under(units: list[Unit]) -> dict[int, int]:
    """Per upper-level union, how many of its grassroots unions are in enterprises."""
    by_path = {u.path: u.id for u in units if reporter_level(u) == "upper_union"}
    counts = dict.fromkeys(by_path.values(), 0)
    for unit in units:
        if unit.kind == UnitKind.GRASSROOTS and unit.ownership in ("state", "non_state"):
            parent_id = by_path.get(unit.parent_path)
            if parent_id is not None:
                counts[parent_id] += 1
    return counts


def _fate(rng: random.Random, current: bool) -> str:
    """What became of a unit's report: past years are mostly approved (then locked when the
    period closed), a few returned and never corrected (a period closes only once no report
    waits for a decision); the current year, due on 15 January and seen in early December, has
    barely begun: most units have not started, many have a draft, some wait for approval, a few
    are already approved (a report returned is given by name, `returned`)."""
    roll = rng.random()
    if not current:
        return "missing" if roll < 0.03 else ("returned" if roll < 0.05 else "approved")
    for share, fate in ((0.55, "missing"), (0.85, "draft"), (0.95, "submitted")):
        if roll < share:
            return fate
    return "approved"


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    naive = datetime.datetime.combine(day, datetime.time(rng.randint(7, 17), rng.randint(0, 59)))
    return timezone.make_aware(naive)


@transaction.atomic
def create_demo_reports(program: Program, seed: int, current_year: int, admin,
                        returned: tuple[str, ...] = (), submitted: tuple[str, ...] = ()) -> dict[str, int]:
    """Open a period per reporting year of the program up to `current_year` and fill it; the
    years before are closed, later ones are not opened. Existing reports are kept, so running
    it again adds nothing. Units in `returned` get their current-year report back for
    correction (what the demo grassroots officer finds on logging in), those in `submitted`
    have theirs waiting for approval."""
    rng = random.Random(seed)
    years = program.reporting_years
    created = {"periods": 0, "reports": 0, "values": 0}
    for index, year in enumerate(years):
        if year > current_year:
            break
        due = datetime.date(year + 1, 1, 15)
        period = Period.objects.filter(kind=Period.Kind.YEAR, year=year, half=0).first()
        if period is None:
            period = do_open_period(Period.Kind.YEAR, year, 0, due, admin)
            created["periods"] += 1
        current = year == current_year
        t = index / max(1, len(years) - 1)
        forced = {**dict.fromkeys(submitted, "submitted"), **dict.fromkeys(returned, "returned")} if current else {}
        counts = _fill_period(program, period, t, current, random.Random(rng.random()), admin, forced)
        for key, value in counts.items():
            created[key] += value
        if counts["reports"]:
            period_changed.send(sender=None, period=period)
        if not current and period.is_open:
            do_close_period(period, admin)
    return created


def reporting_roots(period: Period) -> list[Unit]:
    """The province trees whose units fill the period: every root that lasted to the period's
    end. Old Kiên Giang's federation (a second root, closed on 30 June 2025 by the 2025 batch)
    fills 2021–2024, so that its history is there when the merged province looks back."""
    roots = Unit.objects.filter(depth=1).order_by("path")
    return [root for root in roots if root.valid_to is None or root.valid_to >= period.ends_on]


def _fill_period(program, period, t, current, rng, admin, forced: dict[str, str]) -> dict[str, int]:
    units = list({unit.id: unit for root in reporting_roots(period)  # a unit once, even if two trees hold it
                  for unit in expected_reporters(period, root).order_by("path")}.values())
    done = set(Report.objects.filter(period=period).values_list("unit_id", flat=True))
    enterprises = _enterprises_under(units)
    elements_by_level: dict[tuple, list[DataElement]] = {}
    counts = {"reports": 0, "values": 0}
    pending = []
    for unit in units:
        fate = forced.get(unit.code) or _fate(rng, current)
        unit_rng = random.Random(rng.random())
        if unit.id in done or fate == "missing":
            continue
        key = (reporter_level(unit), unit.ownership in ("state", "non_state"))
        if key not in elements_by_level:
            elements_by_level[key] = elements_for(period, unit)
        values = values_for(unit, period.year, t, unit_rng, enterprises)
        late = unit_rng.random() < 0.12
        sent_on = period.due_on + datetime.timedelta(days=unit_rng.randint(1, 20) if late else -unit_rng.randint(0, 40))
        if current:  # a report of the year in progress was sent in the last weeks, not after today
            sent_on = min(sent_on, timezone.localdate() - datetime.timedelta(days=unit_rng.randint(4, 30)))
        report = Report(period=period, unit=unit, status=FATE_STATUS[fate], version=1,
                        submitted_at=None if fate == "draft" else _moment(sent_on, unit_rng))
        pending.append((report, values, elements_by_level[key]))
        if len(pending) == BATCH:  # written in batches: 135,000 units must fit in memory
            _write(pending, counts)
            pending = []
    _write(pending, counts)
    return counts


FATE_STATUS = {"approved": Report.Status.APPROVED, "submitted": Report.Status.SUBMITTED,
               "returned": Report.Status.RETURNED, "draft": Report.Status.DRAFT}


def _write(pending, counts: dict[str, int]) -> None:
    Report.objects.bulk_create([report for report, _, _ in pending], batch_size=BATCH)
    rows, steps = [], []
    for report, values, elements in pending:
        for element in elements:
            number, text = value_to_stored(element.type, values.get(element.code))
            if number is not None or text:
                rows.append(DataValue(report=report, element=element, number=number, text=text))
        steps.extend(_steps(report))
    DataValue.objects.bulk_create(rows, batch_size=BATCH)
    AuditEntry.objects.bulk_create(steps, batch_size=BATCH)
    counts["reports"] += len(pending)
    counts["values"] += len(rows)


def _steps(report: Report) -> Iterator[AuditEntry]:
    """The report's history as the workflow would have recorded it (reporting.history): its
    submission, then its approval or return a few days later."""
    draft, submitted = Report.Status.DRAFT, Report.Status.SUBMITTED
    if report.status == draft:
        return
    sent = report.submitted_at or timezone.now()
    yield trail.unsaved(report, {"status": [draft, submitted]}, at=sent, event=Report.Step.SUBMITTED)
    decided = min(timezone.now(), sent + datetime.timedelta(days=3 + report.unit_id % 5, hours=report.unit_id % 7))
    if report.status == Report.Status.APPROVED:
        yield trail.unsaved(report, {"status": [submitted, report.status]}, at=decided, event=Report.Step.APPROVED)
    if report.status == Report.Status.RETURNED:
        yield trail.unsaved(report, {"status": [submitted, report.status]}, at=decided, event=Report.Step.RETURNED,
                            comment="Đề nghị kiểm tra lại số đoàn viên và số người lao động cuối năm.")


# A one-page PDF saying "Ke hoach thuc hien (demo)": enough for the plan pages to list and serve.
DEMO_PLAN_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 760 Td (Ke hoach thuc hien - demo) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def create_demo_plans(program: Program, admin) -> int:
    """A plan for every unit that said in its 2021 report that it had built one, issued on
    the date it reported — so the plan pages and targets T01/T02 tell the same story."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.actions import do_upload_plan
    from plans.models import ImplementationPlan

    first_year = min(program.reporting_years)
    dated = DataValue.objects.filter(
        report__period__year=first_year, report__period__kind=Period.Kind.YEAR,
        element__code="implementation_plan_date",
    ).exclude(text="").select_related("report__unit")
    have_plan = set(ImplementationPlan.objects.filter(program=program).values_list("unit_id", flat=True))
    created = 0
    for value in dated:
        unit = value.report.unit
        if unit.id in have_plan:
            continue
        issued_on = datetime.date.fromisoformat(value.text)
        number = f"{rng_number(unit.id)}/KH-{'CĐCS' if unit.kind == UnitKind.GRASSROOTS else 'LĐLĐ'}"
        upload = SimpleUploadedFile(f"ke-hoach-{unit.code}.pdf", DEMO_PLAN_PDF, content_type="application/pdf")
        do_upload_plan(program, unit, upload, issued_on, number, admin, limited=False)
        created += 1
    return created


def rng_number(unit_id: int) -> int:
    """A stable, plausible document number for a unit's plan."""
    return 3 + unit_id * 7919 % 97
