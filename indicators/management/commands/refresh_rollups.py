import time

from django.core.management.base import BaseCommand

from indicators.rollups import refresh


class Command(BaseCommand):
    help = "Recompute every rolled-up value from the reports (after a bulk load or a repair)."

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = refresh()
        self.stdout.write(f"rollups: {rows} rows ({time.monotonic() - started:.1f} s)")
