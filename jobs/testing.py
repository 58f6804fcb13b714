"""Running the real job worker in tests (imported by test modules, never by the app)."""

from __future__ import annotations

from unittest import mock

from django_tasks_db.management.commands import db_worker


def run_jobs(*, max_tasks: int | None = None) -> None:
    """Run django-tasks-db's own worker loop in this process, on the test database, until no
    job is ready (its batch mode). The one thing changed: the loop's close_old_connections is
    not called, as Django's TestCase keeps it from request signals too: inside a test's
    transaction it would close the connection, and the test's data with it."""
    worker = db_worker.Worker(queue_names=["*"], interval=0, batch=True, backend_name="default",
                              startup_delay=False, max_tasks=max_tasks, worker_id="test-worker",
                              excluded_queue_names=[])
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()


def database_url() -> str:
    """The test database as a DATABASE_URL, for a worker process started by a test."""
    from urllib.parse import quote

    from django.db import connection

    given = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{given['NAME']}"
    credentials = quote(given["USER"] or "", safe="") + ":" + quote(given["PASSWORD"] or "", safe="")
    return f"postgres://{credentials}@{quote(given['HOST'] or '', safe='')}:{given['PORT'] or 5432}/{given['NAME']}"
