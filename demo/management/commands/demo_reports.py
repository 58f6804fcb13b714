import datetime
import time

from django.core.management.base import CommandError

from accounts.models import User
from audit.commands import RecordedCommand
from demo.reports import create_demo_plans, create_demo_reports
from programs.models import Program
from reporting.actions import do_close_program

# The demo's 2020–2025 program closes once its 2025 reports are in (a default date: the federation's).
CLOSED_ON = datetime.date(2026, 3, 31)


class Command(RecordedCommand):
    help = "Fill every reporting year of the program with plausible reports (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--program", default="an-giang-xi-2020-2025")
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--current-year", type=int, default=2026,
                            help="the year whose period stays open, with reports still in progress (later "
                                 "years are not opened)")
        parser.add_argument("--close", action="store_true",
                            help="close the program once its years are filled (reporting.actions.do_close_program)")
        parser.add_argument("--no-plans", action="store_true", help="do not upload demo implementation plans")
        parser.add_argument("--returned", nargs="*", default=[],
                            help="unit codes whose current-year report is returned for correction")
        parser.add_argument("--submitted", nargs="*", default=[],
                            help="unit codes whose current-year report waits for approval")

    def handle(self, *args, program, seed, current_year, returned, submitted, no_plans, close, **options):
        program_obj = Program.objects.filter(code=program).first()
        if program_obj is None:
            raise CommandError(f"no program {program!r}: run load_program first")
        admin = User.objects.filter(is_superuser=True).order_by("id").first()
        started = time.monotonic()
        created = create_demo_reports(program_obj, seed, current_year, admin, tuple(returned), tuple(submitted))
        plans = 0 if no_plans else create_demo_plans(program_obj, admin)
        if close and program_obj.status != Program.Status.CLOSED:
            closed = do_close_program(program_obj, admin, on_date=CLOSED_ON)
            self.stdout.write(f"program {program}: closed on {CLOSED_ON:%d/%m/%Y}, {closed['periods']} period(s) "
                              f"closed, {closed['reports']} report(s) locked")
        self.stdout.write(
            f"demo reports: {created['periods']} periods, {created['reports']} reports, {created['values']} values, "
            f"{plans} implementation plans created ({time.monotonic() - started:.1f} s)"
        )
