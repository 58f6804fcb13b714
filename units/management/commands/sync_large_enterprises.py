from django.conf import settings

from audit.commands import RecordedCommand
from units.actions import do_sync_large_enterprises


class Command(RecordedCommand):
    help = ("Recompute every unit's 'large enterprise' flag from LARGE_ENTERPRISE_WORKERS (run it after "
            "changing the setting); the rolled-up values of the units that changed are recounted.")

    def handle(self, *args, **options):
        changed = do_sync_large_enterprises()
        threshold = settings.LARGE_ENTERPRISE_WORKERS
        self.stdout.write(f"large enterprises (>= {threshold} workers): {changed} units changed")
