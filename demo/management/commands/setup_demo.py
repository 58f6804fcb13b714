import time

from django.core.management import call_command

from accounts.demo import refuse_outside_debug
from audit.commands import RecordedCommand
from demo.management.commands.demo_accounts import demo_grassroots_unit
from demo.reorganisation import BATCH_FILE, KIEN_GIANG_FILE, demo_batch, read_batch
from reorganising.consequences import load_batch
from units.models import Reorganisation


class Command(RecordedCommand):
    help = ("Load everything `make run` shows: both old provinces' units, demo data, the 2025 "
            "reorganisation, the program, demo accounts, reports. Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--grassroots", type=int, default=1500)
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, grassroots, seed, **options):
        refuse_outside_debug("setup_demo")  # before anything is loaded
        self.load_hierarchy(grassroots, seed)
        call_command("load_program", stdout=self.stdout)
        call_command("demo_accounts", stdout=self.stdout)
        reporter_unit = demo_grassroots_unit()
        call_command("demo_reports", seed=seed, returned=[reporter_unit.code] if reporter_unit else [],
                     stdout=self.stdout)
        call_command("demo_narratives", stdout=self.stdout)
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
