from django.core.management.base import CommandError

from audit.commands import RecordedCommand
from reorganising.consequences import load_batch
from units.reorganisation import BatchFileError, UndoRefused, do_undo_reorganisation, read_batch_file


class Command(RecordedCommand):
    help = ("Apply a reorganisation batch file (units created, moved, merged, split, dissolved, each on its own "
            "date) in one transaction; --dry-run prints its consequences and writes nothing; --undo CODE undoes "
            "an applied batch.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the batch file (YAML)")
        parser.add_argument("--dry-run", action="store_true", help="print the consequences, write nothing")
        parser.add_argument("--undo", metavar="CODE", help="undo the applied batch with this code")

    def handle(self, *args, file, dry_run, undo, **options):
        if undo:
            from units.models import Reorganisation

            batch = Reorganisation.objects.filter(code=undo).first()
            if batch is None:
                raise CommandError(f"no batch {undo!r}")
            try:
                do_undo_reorganisation(batch)
            except UndoRefused as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"batch {undo} undone")
            return
        if not file:
            raise CommandError("give a batch file (or --undo CODE)")
        try:
            data = read_batch_file(file)
            result = load_batch(data, dry_run=dry_run, file=file)
        except (BatchFileError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for line in result.lines():
            self.stdout.write(line)
