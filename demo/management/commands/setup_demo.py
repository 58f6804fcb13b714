from django.core.management import call_command

from accounts.demo import refuse_outside_debug
from audit.commands import RecordedCommand
from demo.management.commands.demo_accounts import demo_grassroots_unit


class Command(RecordedCommand):
    help = "Load everything `make run` shows: units, demo data, the program, demo accounts. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--grassroots", type=int, default=1500)
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, grassroots, seed, **options):
        refuse_outside_debug("setup_demo")  # before anything is loaded
        call_command("load_units", stdout=self.stdout)
        call_command("demo_data", grassroots=grassroots, seed=seed, stdout=self.stdout)
        call_command("load_program", stdout=self.stdout)
        call_command("demo_accounts", stdout=self.stdout)
        reporter_unit = demo_grassroots_unit()
        call_command("demo_reports", seed=seed, returned=[reporter_unit.code] if reporter_unit else [],
                     stdout=self.stdout)
        call_command("demo_narratives", stdout=self.stdout)
