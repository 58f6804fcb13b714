"""What reporting tells the layers above it, without importing them (data flows one way:
reports → indicators; indicators.rollups listens).

`reports_changed` is sent inside the transaction that changed the reports. `report_step` and
`period_opened` are sent after the step's transaction committed (transaction.on_commit), so a
listener (notifications) never tells anyone of a step that was rolled back. A bulk write
(a spreadsheet import) wraps itself in `batched_changes()` so that listeners hear once about
all its reports instead of once per row.
"""

import threading
from contextlib import contextmanager

from django.db import transaction
from django.dispatch import Signal

# Argument: reports (a list of Report whose counted values changed: a step into or out of the
# counted statuses, or between them; saving an editable report counts nowhere and is not sent).
reports_changed = Signal()
# Many reports of a period changed at once (bulk loads). Argument: period.
period_changed = Signal()

# A report moved through the workflow (submitted, approved, returned, reopened), after commit.
# Arguments: report, step (Report.Step), actor (the user), comment (the step's comment, or "").
report_step = Signal()
# A reporting period was opened (or opened again), after commit. Arguments: period, actor.
period_opened = Signal()

_pending = threading.local()


def after_commit(signal: Signal, **arguments) -> None:
    """Send `signal` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: signal.send(sender=None, **arguments))


def notify(report) -> None:
    notify_many([report])


def notify_many(reports: list) -> None:
    """Tell the listeners these reports changed: at once, in one signal, or with the batch."""
    batch = getattr(_pending, "reports", None)
    if batch is not None:
        batch.extend(reports)
    elif reports:
        reports_changed.send(sender=None, reports=list(reports))


@contextmanager
def batched_changes():
    _pending.reports = []
    try:
        yield
    except BaseException:
        _pending.reports = None
        raise
    reports, _pending.reports = _pending.reports, None
    if reports:
        reports_changed.send(sender=None, reports=reports)
