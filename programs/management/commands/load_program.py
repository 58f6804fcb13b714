from pathlib import Path

from django.core.management.base import CommandError

from audit.commands import RecordedCommand
from programs.definition import ProgramFileError
from programs.loading import load_program

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "an-giang-xi-2020-2025.yaml"


class Command(RecordedCommand):
    help = "Load or update an action program from its data file; records what changed."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE))

    def handle(self, *args, file, **options):
        try:
            program, revision = load_program(Path(file))
        except ProgramFileError as exc:
            raise CommandError(f"{len(exc.problems)} problem(s):\n{exc}") from exc
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        counts = f"{program.targets.count()} targets, {program.tasks.count()} tasks"
        if revision is None:
            self.stdout.write(f"program {program.code}: unchanged ({counts})")
        else:
            self.stdout.write(f"program {program.code}: {len(revision.changes)} change(s) recorded ({counts})")
