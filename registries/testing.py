"""Records for tests (of this app and of others): one call per record, sensible defaults."""

from __future__ import annotations

import datetime

from registries.models import CollectiveAgreement, Initiative, LabourDispute, UnionHome
from units.models import Unit


def agreement(unit: Unit, signed_on: datetime.date, **fields) -> CollectiveAgreement:
    fields.setdefault("workers_covered", unit.workers or 100)
    return CollectiveAgreement.objects.create(unit=unit, signed_on=signed_on, **fields)


def home(unit: Unit, handed_over_on: datetime.date, beneficiary: str = "Nguyễn Văn A", **fields) -> UnionHome:
    fields.setdefault("cost", 150_000_000)
    fields.setdefault("union_support", 50_000_000)
    return UnionHome.objects.create(unit=unit, handed_over_on=handed_over_on, beneficiary=beneficiary, **fields)


def initiative(unit: Unit, year: int, title: str = "Cải tiến quy trình", **fields) -> Initiative:
    fields.setdefault("authors", "Trần Thị B")
    fields.setdefault("field", Initiative.Field.PRODUCTION)
    fields.setdefault("level", Initiative.Level.GRASSROOTS)
    return Initiative.objects.create(unit=unit, year=year, title=title, **fields)


def dispute(unit: Unit, started_on: datetime.date, enterprise: str = "Công ty TNHH Thử", **fields) -> LabourDispute:
    fields.setdefault("workers_involved", 120)
    fields.setdefault("cause", "Chậm trả lương")
    return LabourDispute.objects.create(unit=unit, started_on=started_on, enterprise=enterprise, **fields)
