"""What the reporting app's test modules share."""

import datetime

import pytest

from reporting.models import Report
from reporting.testing import make_report
from units.models import Unit, UnitKind


@pytest.fixture
def reported(world, period):
    """Long Xuyên's school on time and approved, its factory late; Châu Đốc's market a draft;
    the hospital and every upper-level union silent. A union closed in 2023 and one opened
    in 2025 exist under Châu Đốc and must not count for 2024."""
    make_report(period, world.school, Report.Status.APPROVED, sent_on=datetime.date(2025, 1, 10))
    make_report(period, world.factory, Report.Status.SUBMITTED, sent_on=datetime.date(2025, 1, 20))
    Report.objects.create(period=period, unit=world.market)
    for code, valid_from, valid_to in (("AG.884.00002", datetime.date(2000, 1, 1), datetime.date(2023, 12, 31)),
                                       ("AG.884.00003", datetime.date(2025, 1, 1), None)):
        Unit.objects.add_child(world.chau_doc, instance=Unit(
            code=code, name=f"Công đoàn {code}", kind=UnitKind.GRASSROOTS, valid_from=valid_from, valid_to=valid_to))
    return period
