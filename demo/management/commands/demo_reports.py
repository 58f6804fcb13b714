import time

from django.core.management.base import CommandError

from accounts.models import User
from audit.commands import RecordedCommand
from demo.reports import create_demo_plans, create_demo_reports
from programs.models import Program


class Command(RecordedCommand):
    help = "Fill every reporting year of the program with plausible reports (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--program", default="an-giang-xi-2020-2025")
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--current-year", type=int, default=2025,
                            help="the year whose period stays open, with reports still in progress")
        parser.add_argument("--no-plans", action="store_true", help="do not upload demo implementation plans")
        parser.add_argument("--returned", nargs="*", default=[],
                            help="unit codes whose current-year report is returned for correction")

    def handle(self, *args, program, seed, current_year, returned, no_plans, **options):
        program_obj = Program.objects.filter(code=program).first()
        if program_obj is None:
            raise CommandError(f"no program {program!r}: run load_program first")
        admin = User.objects.filter(is_superuser=True).order_by("id").first()
        started = time.monotonic()
        created = create_demo_reports(program_obj, seed, current_year, admin, tuple(returned))
        plans = 0 if no_plans else create_demo_plans(program_obj, admin)
        self.stdout.write(
            f"demo reports: {created['periods']} periods, {created['reports']} reports, {created['values']} values, "
            f"{plans} implementation plans created ({time.monotonic() - started:.1f} s)"
        )
