"""Reports made directly in the database, for tests that need reported values but not the
reporting workflow (refresh the rolled-up values afterwards: indicators.rollups.refresh)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from reporting.models import DataValue, Period, Report, value_to_stored
from units.models import Unit


def make_report(period: Period, unit: Unit, status: str, sent_on: datetime.date | None = None,
                **values) -> Report:
    """A report of `unit` for `period` in `status`, sent at 9:00 on `sent_on` if given, holding
    `values` (element code → Python value)."""
    sent_at = timezone.make_aware(datetime.datetime.combine(sent_on, datetime.time(9, 0))) if sent_on else None
    row = Report.objects.create(period=period, unit=unit, status=status, submitted_at=sent_at)
    elements = {e.code: e for e in period.program.data_elements.all()}
    for code, value in values.items():
        number, text = value_to_stored(elements[code].type, value)
        DataValue.objects.create(report=row, element=elements[code], number=number, text=text)
    return row


def stored_files(media) -> list:
    """Every file under a test's MEDIA_ROOT (the `media` fixture)."""
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
