"""The job that recounts a parent's rolled-up values after its reports changed (queued by
indicators.rollups.mark_stale, run by the job worker, jobs.queue)."""

from __future__ import annotations

from django.db import transaction

from indicators.models import PendingRefresh
from indicators.rollups import refresh
from jobs.queue import job


@job()
def refresh_marked(view: str, period_id: int, parent_path: str) -> str:
    """Recount one marked parent of one period in one view, then remove its mark — unless more
    changes were asked while it recounted (a submission that committed meanwhile may not be in
    this count): then the mark stays and the job is queued again. Safe to run twice: a parent no
    longer marked is left as it is."""
    marked = PendingRefresh.objects.filter(view=view, period_id=period_id, parent_path=parent_path)
    requests = marked.values_list("requests", flat=True).first()
    if requests is None:
        return "nothing to do"
    with transaction.atomic():
        rows = refresh([period_id], {view: {parent_path}})
        # On PostgreSQL this waits for a submission still holding the mark's row, then sees its count.
        done, _ = marked.filter(requests=requests).delete()
    if not done:
        refresh_marked.enqueue(view, period_id, parent_path)
        return f"{rows} rows; changed meanwhile, queued again"
    return f"{rows} rows"
