"""Which state of the reports a document was built from, so that two printouts of "the 2024
report" can be told apart: the time of the latest change to the reports it counts and a short
fingerprint of them.

The reports a document reads are the sent ones (submitted, approved, locked) of its periods in
the unit's subtree: the figures count the approved and locked ones, the completeness figures
the submitted ones too. Every write to a report (a value saved, a step of the workflow, the
locking at closing) raises its version and sets its updated_at to now (reporting.actions), so
any change to that set moves the latest time or the count, and the fingerprint with them.
Computed in one aggregate query: a province's tens of thousands of reports are not read one by one.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.models import Period, Report
from tiendo.formatting import short_date
from units.models import Unit


@dataclass(frozen=True)
class DataStamp:
    as_of: datetime.datetime | None  # the latest change to the reports read (None: no report sent)
    reports: int
    version: str  # "3F9A-12C4"

    @property
    def line(self) -> str:
        """The line printed in the document."""
        if self.as_of is None:
            return _("No report had been sent when this document was built (data version %(version)s).") % {
                "version": self.version}
        local = timezone.localtime(self.as_of)
        return _("Data as of %(time)s on %(date)s: %(n)s reports (data version %(version)s).") % {
            "time": local.strftime("%H:%M"), "date": short_date(local), "n": self.reports,
            "version": self.version}


def data_stamp(periods: Iterable[Period], root: Unit) -> DataStamp:
    """The stamp of the sent reports of `periods` in `root`'s subtree."""
    period_ids = sorted(p.pk for p in periods)
    state = Report.objects.filter(**Unit.objects.subtree_lookup(root, "unit__path"), period_id__in=period_ids,
                                  status__in=Report.SENT).aggregate(
        count=Count("id"), latest=Max("updated_at"), versions=Sum("version"), ids=Sum("id"))
    latest = state["latest"]
    seed = "|".join(str(part) for part in (
        root.path, period_ids, state["count"], state["versions"] or 0, state["ids"] or 0,
        latest.isoformat() if latest else ""))
    digest = hashlib.sha256(seed.encode()).hexdigest()[:8].upper()
    return DataStamp(as_of=latest, reports=state["count"], version=f"{digest[:4]}-{digest[4:]}")
