import time

from audit.commands import RecordedCommand
from indicators.rollups import refresh


class Command(RecordedCommand):
    help = "Recompute every rolled-up value from the reports (after a bulk load or a repair)."

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = refresh()
        self.stdout.write(f"rollups: {rows} rows ({time.monotonic() - started:.1f} s)")
