import json

from django.core.management.base import BaseCommand, CommandError

from programs.choice import in_force_for
from programs.models import Program
from programs.snapshot import program_snapshot
from units.models import Unit


class Command(BaseCommand):
    help = "Print a loaded program: sections, objectives, targets with their definitions, tasks."

    def add_arguments(self, parser):
        parser.add_argument("code", nargs="?", help="the program's code (same as --program)")
        parser.add_argument("--program", dest="program_code", help="the program's code (default: the one in force "
                                                                  "today for --unit, else everywhere)")
        parser.add_argument("--unit", help="unit code whose program in force is shown when none is named")
        parser.add_argument("--json", action="store_true", help="print JSON (the only format for now)")

    def handle(self, *args, code, program_code, unit, **options):
        code = code or program_code
        if code:
            program = Program.objects.filter(code=code).first()
            if program is None:
                raise CommandError(f"no program with code {code!r}; load it with load_program")
        else:
            program = in_force_for(Unit.objects.filter(code=unit).first() if unit else None)
            if program is None:
                raise CommandError("no program loaded: run load_program first")
        self.stdout.write(json.dumps(program_snapshot(program, with_definitions=True), ensure_ascii=False, indent=2))
