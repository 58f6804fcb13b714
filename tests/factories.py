"""Test data built by factories (factory-boy), for the tests of every app.

    school = GrassrootsFactory(parent=district, workers=40)     # under a district, via treebeard
    district = DistrictFactory(parent=province)
    approver = UserFactory(unit=district, role=Role.APPROVER)  # or ApproverFactory(unit=district)
    period = PeriodFactory(year=2024)          # the calendar's yearly period, open
    report = ReportFactory(period=period, unit=school, values={"workers": 40})

Units go into the tree with treebeard's add_root/add_child, as the app does (never a bare
save(), which would leave the path and the parent's child count wrong). Codes are unique per
factory call; pass `code=` where a test names the unit. Users log in with PASSWORD.
"""

from __future__ import annotations

import datetime
import functools

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Role, User
from programs.models import DataElement
from reporting.models import DataValue, Period, Report, value_to_stored
from units.models import Ownership, Unit, UnitKind

PASSWORD = "test-password"


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit; a root (the province) unless `parent` is given."""

    class Meta:
        model = Unit

    parent = None  # not a field: where _create puts the unit in the tree
    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.LazyAttribute(lambda unit: f"Công đoàn thử {unit.code}")
    kind = UnitKind.PROVINCE

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        unit = model_class(*args, **kwargs)
        if parent is None:
            return Unit.objects.add_root(instance=unit)
        return Unit.objects.add_child(parent, instance=unit)  # treebeard updates `parent` in memory too


class DistrictFactory(UnitFactory):
    """A district federation (an upper-level union) under `parent` (the province)."""

    code = factory.LazyAttributeSequence(lambda unit, n: f"{unit.parent.code}.{900 + n}")
    name = factory.LazyAttribute(lambda unit: f"Liên đoàn Lao động huyện thử {unit.code}")
    kind = UnitKind.DISTRICT


class GrassrootsFactory(UnitFactory):
    """A grassroots union (Công đoàn cơ sở) under `parent`: a public-sector one of 40 workers."""

    code = factory.LazyAttributeSequence(lambda unit, n: f"{unit.parent.code}.{n + 1:05d}")
    name = factory.LazyAttribute(lambda unit: f"Công đoàn Trường thử {unit.code}")
    kind = UnitKind.GRASSROOTS
    ownership = Ownership.PUBLIC_SECTOR
    workers = 40
    members = 38
    officers = 3


@functools.cache
def password_hash() -> str:
    """PASSWORD hashed once per run, by the tests' hasher (conftest.py sets a fast one)."""
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    """A user of `unit` with `role` (a reporter by default), password PASSWORD.

    The hash is in place before the one INSERT: setting the password afterwards cost every user
    a read, an update and a second audit entry (the world alone has seven users)."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.REPORTER
    password = factory.LazyFunction(password_hash)


class ProvinceAdminFactory(UserFactory):
    role = Role.PROVINCE_ADMIN


class ViewerFactory(UserFactory):
    role = Role.VIEWER


class ApproverFactory(UserFactory):
    role = Role.APPROVER


class ReporterFactory(UserFactory):
    role = Role.REPORTER


class PeriodFactory(factory.django.DjangoModelFactory):
    """A reporting period (the calendar's: every program whose reporting years hold `year`
    asks for it): the yearly one of `year` (2024), open, due 15 January
    of the next year; its bounds from Period.bounds, as do_open_period gives them."""

    class Meta:
        model = Period

    kind = Period.Kind.YEAR
    year = 2024
    half = 0
    starts_on = factory.LazyAttribute(lambda p: Period.bounds(p.kind, p.year, p.half)[0])
    ends_on = factory.LazyAttribute(lambda p: Period.bounds(p.kind, p.year, p.half)[1])
    due_on = factory.LazyAttribute(lambda p: datetime.date(p.year + 1, 1, 15))
    status = Period.Status.OPEN


class ReportFactory(factory.django.DjangoModelFactory):
    """A report of `unit` for `period` in `status` (a draft), sent at 9:00 on `sent_on` if given,
    holding `values` (element code -> Python value, stored as the app stores them)."""

    class Meta:
        model = Report
        skip_postgeneration_save = True

    class Params:
        sent_on = None

    status = Report.Status.DRAFT
    submitted_at = factory.LazyAttribute(
        lambda r: timezone.make_aware(datetime.datetime.combine(r.sent_on, datetime.time(9, 0))) if r.sent_on
        else None)

    @factory.post_generation
    def values(report, create, extracted, **kwargs):
        if not create or not extracted:
            return
        # Elements are the catalogue's, shared by every program: known by code.
        elements = {e.code: e for e in DataElement.objects.filter(code__in=list(extracted))}
        for code, value in extracted.items():
            number, text = value_to_stored(elements[code].type, value)
            DataValue.objects.create(report=report, element=elements[code], number=number, text=text)
