import json

from django.core.management.base import BaseCommand, CommandError

from programs.models import Program
from programs.snapshot import program_snapshot


class Command(BaseCommand):
    help = "Print a loaded program: sections, objectives, targets with their definitions, tasks."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--json", action="store_true", help="print JSON (the only format for now)")

    def handle(self, *args, code, **options):
        program = Program.objects.filter(code=code).first()
        if program is None:
            raise CommandError(f"no program with code {code!r}; load it with load_program")
        self.stdout.write(json.dumps(program_snapshot(program, with_definitions=True), ensure_ascii=False, indent=2))
