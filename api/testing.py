"""What the API's tests share: a client that sends a personal token, and a little world with
reports (the 2024 period, built through tests/factories.py)."""

from __future__ import annotations

import datetime
import random

from django.test import Client

from api.entry import as_json
from api.tokens import create_token
from demo.reports import values_for
from reporting.models import Report
from reporting.testing import make_report
from tests.factories import PeriodFactory


class TokenClient(Client):
    """A test client whose every request carries `Authorization: Bearer <secret>` of a new token of `user`."""

    def __init__(self, user, name: str = "test", **kwargs):
        self.token, self.secret = create_token(user, name)
        super().__init__(HTTP_AUTHORIZATION=f"Bearer {self.secret}", **kwargs)


def api_world(world, program):
    """The 2024 period (open) with a draft of the school and an approved report of the factory."""
    world.period = PeriodFactory(year=2024)
    world.school_report = make_report(world.period, world.school, Report.Status.DRAFT)
    world.factory_report = make_report(world.period, world.factory, Report.Status.APPROVED,
                                       datetime.date(2025, 1, 10), workers=1200, members=1000)
    return world


def complete_values(unit, year: int) -> dict:
    """A plausible, complete report of the unit for the year (what the demo types), as JSON sends it."""
    return {code: as_json(value) for code, value in values_for(unit, year, 1.0, random.Random(unit.pk), {}).items()}
