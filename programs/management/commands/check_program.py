from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.definition import check_program


class Command(BaseCommand):
    help = "Check a program file without loading it; prints each problem as FILE:LINE: FIELD: MESSAGE."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        problems = check_program(Path(file))
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in {file}")
        self.stdout.write(f"{file}: OK")
