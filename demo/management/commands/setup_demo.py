import time

from django.core.management import call_command
from django.db import connection

from accounts.demo import refuse_outside_debug
from audit.commands import RecordedCommand
from demo.management.commands.demo_accounts import demo_grassroots_unit
from demo.reorganisation import BATCH_FILE, KIEN_GIANG_FILE, demo_batch, read_batch
from programs.management.commands.load_program import DEFAULT_FILE
from reorganising.consequences import load_batch
from units.models import Reorganisation, Unit

OLD_PROGRAM, NEW_PROGRAM = "an-giang-xi-2020-2025", "an-giang-2025-2030"
NEXT_PROGRAM_FILE = DEFAULT_FILE.with_name(f"{NEW_PROGRAM}.yaml")


def waiting_at_the_ward(reporter_unit) -> list[str]:
    """Two grassroots unions beside the demo officer's whose 2026 report waits for the ward
    union's approval, so that phuonglx's queue is never empty whatever the seed."""
    if reporter_unit is None:
        return []
    ward = Unit.objects.get_parent(reporter_unit)
    siblings = Unit.objects.get_children(ward).grassroots().active().exclude(pk=reporter_unit.pk)
    return list(siblings.order_by("code").values_list("code", flat=True)[:2])


class Command(RecordedCommand):
    help = ("Load everything `make run` shows: both old provinces' units, demo data, the 2025 "
            "reorganisation, the program, demo accounts, reports. Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--grassroots", type=int, default=1500)
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, grassroots, seed, **options):
        refuse_outside_debug("setup_demo")  # before anything is loaded
        self.load_hierarchy(grassroots, seed)
        refresh_planner_statistics()
        # The 2020–2025 program, then the 2025–2030 one that follows it (its issuer is today's
        # province, so after the batch): the old one's years are filled and closed, the new one's
        # 2026 is in progress on the new hierarchy.
        call_command("load_program", stdout=self.stdout)
        call_command("load_program", str(NEXT_PROGRAM_FILE), stdout=self.stdout)
        call_command("demo_accounts", stdout=self.stdout)
        call_command("demo_reports", program=OLD_PROGRAM, seed=seed, close=True, stdout=self.stdout)
        refresh_planner_statistics()
        reporter_unit = demo_grassroots_unit()
        call_command("demo_reports", program=NEW_PROGRAM, seed=seed, no_plans=True,
                     returned=[reporter_unit.code] if reporter_unit else [],
                     submitted=waiting_at_the_ward(reporter_unit), stdout=self.stdout)
        refresh_planner_statistics()
        call_command("demo_registries", seed=seed, stdout=self.stdout)
        call_command("demo_narratives", stdout=self.stdout)
        call_command("demo_task_progress", seed=seed, stdout=self.stdout)
        call_command("demo_notifications", stdout=self.stdout)

    def load_hierarchy(self, grassroots: int, seed: int) -> None:
        """The units files and the demo grassroots describe the tree before 1 July 2025; the
        batch then makes today's. Once the batch is applied the files are not loaded again:
        load_units would move the units the batch moved back to their 2024 parents."""
        code = read_batch()["batch"]["code"]
        applied = Reorganisation.objects.filter(code=code).first()  # undone too: its code stays taken
        if applied is not None:
            self.stdout.write(f"hierarchy: batch {code} applied on {applied.applied_at:%d/%m/%Y %H:%M}, "
                              "units files not loaded again (they describe the tree before it)")
            return
        call_command("load_units", stdout=self.stdout)
        call_command("load_units", str(KIEN_GIANG_FILE), stdout=self.stdout)
        call_command("demo_data", grassroots=grassroots, seed=seed, stdout=self.stdout)
        started = time.monotonic()
        result = load_batch(demo_batch(), file=str(BATCH_FILE))
        self.stdout.write(f"{result.lines()[0]} ({time.monotonic() - started:.1f} s)")


def refresh_planner_statistics() -> None:
    """PostgreSQL plans a query by its tables' statistics, which autovacuum refreshes only some
    time after a bulk load: right after thousands of units and reports are written, it would still
    plan the rollup and engine queries for near-empty tables (nested loops over thousands of rows:
    one demo test spent four minutes so). ANALYZE brings them up to date at once."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
