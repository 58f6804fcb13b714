"""Walk the main tasks in headless Chromium against a running server and print what each cost
(demo/walk.py): run it on the demo data, with this command's DATABASE_URL the server's.

    DATABASE_URL=sqlite:///var/demo.sqlite3 .venv/bin/python manage.py runserver 8211 &
    DATABASE_URL=sqlite:///var/demo.sqlite3 .venv/bin/python manage.py walk_tasks --url http://127.0.0.1:8211

The walk changes the data as the users would: the reporter's report ends approved. Before each
walk (each viewport) the province reopens it if it is sent, so that there is a report to fill in."""

import os

from django.core.management.base import CommandError

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from audit.commands import RecordedCommand
from demo.walk import VIEWPORTS, Logins, launch_chromium, reopen_for_walk, table, walk
from units.models import Unit
from units.text import fold


def run_jobs_here() -> None:
    """The job worker's loop in this process, until no job is ready (its batch mode): the
    document the walk asks for is built without a worker beside the server."""
    from django_tasks_db.management.commands import db_worker

    db_worker.Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                     max_tasks=None, worker_id="walk-tasks", excluded_queue_names=[]).run()


class Command(RecordedCommand):  # it reopens the walked report: the trail names it
    help = ("Walk the main tasks of each role (report, return and fix, approve, missing units, a district's "
            "figures, a document) in headless Chromium at 390 px and 1280 px against a running server, and "
            "print the clicks, fields typed, pages and height scrolled of each.")

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running server")
        parser.add_argument("--reporter", default="cdcs")
        parser.add_argument("--approver", default="phuonglx")
        parser.add_argument("--province", default="tinh")
        parser.add_argument("--password", default=DEMO_PASSWORD)
        parser.add_argument("--viewport", choices=[*VIEWPORTS, "both"], default="both")
        parser.add_argument("--no-jobs", action="store_true",
                            help="a job worker runs beside the server: do not run jobs in this process")

    def handle(self, *args, url, reporter, approver, province, password, viewport, no_jobs, **options):
        logins = self.logins(reporter, approver, province, password)
        from playwright.sync_api import sync_playwright

        # Playwright's sync API runs an event loop in this thread; the reopening and the jobs
        # use the ORM between its calls, deliberately (as the browser tests do).
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

        measures, failed = [], []
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                for size in VIEWPORTS if viewport == "both" else [viewport]:
                    if done := reopen_for_walk(logins):
                        self.stderr.write(f"before the walk: {done}")
                    self.stderr.write(f"walking at {size} …")
                    measures += walk(browser, url, logins, size, run_jobs=None if no_jobs else run_jobs_here)
                    failed += [m for m in measures if not m.ok and m.viewport == size]
                    if failed:
                        break  # the next viewport would find the report in the wrong state
            finally:
                browser.close()
        self.stdout.write(table(measures))
        if failed:
            raise CommandError(f"{len(failed)} task(s) failed: " + "; ".join(f"{m.task}: {m.error}" for m in failed))

    @staticmethod
    def logins(reporter: str, approver: str, province: str, password: str) -> Logins:
        """The reporter's unit, and the approver's unit as the district the province looks up."""
        users = {u.username: u for u in User.objects.filter(username__in=[reporter, approver]).select_related("unit")}
        if reporter not in users or approver not in users or users[reporter].unit is None:
            raise CommandError(f"the users {reporter} and {approver} (with their units) are not in this database: "
                               "give this command the server's DATABASE_URL")
        unit = users[reporter].unit
        district: Unit = users[approver].unit
        return Logins(reporter=reporter, approver=approver, province=province, password=password,
                      unit_code=unit.code, unit_name=unit.name, district_search=fold(district.name),
                      district_name=district.name)
