from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.definition import SCHEMA_FILE, program_json_schema_text


class Command(BaseCommand):
    help = (
        "Write the JSON Schema of a program file (generated from programs/definition.py) to "
        "programs/data/program.schema.json, or to FILE; --check only says whether it is current."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(SCHEMA_FILE))
        parser.add_argument("--check", action="store_true", help="fail if the file differs from the models")

    def handle(self, *args, file, check, **options):
        path, text = Path(file), program_json_schema_text()
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{file} is out of date: run manage.py program_schema")
            self.stdout.write(f"{file}: up to date")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"{file}: written")
