from pathlib import Path

from django.core.management.base import CommandError

from audit.commands import RecordedCommand
from units.loading import UnitFileError, load_units, read_units_file

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "an_giang.yaml"


class Command(RecordedCommand):
    help = "Load or update the union hierarchy from a data file (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE))

    def handle(self, *args, file, **options):
        try:
            result = load_units(read_units_file(Path(file)))
        except (UnitFileError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"units: {len(result.created)} created, {len(result.updated)} updated, {len(result.moved)} moved"
        )
