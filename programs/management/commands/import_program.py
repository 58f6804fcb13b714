from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.definition import ProgramFileError, read_definition, read_program_file
from programs.reader import read_document
from programs.reader.draft_file import draft_data, draft_yaml
from programs.reader.extract import UnreadableDocument
from programs.reader.review import current_reference
from programs.reader.score import score


class Command(BaseCommand):
    help = ("Read a program's document (.txt, .docx, .pdf) into a draft program file that check_program "
            "reads; prints how many sections, objectives, targets and tasks it found.")

    def add_arguments(self, parser):
        parser.add_argument("document")
        parser.add_argument("-o", "--output", required=True, help="the draft program file to write (YAML)")
        parser.add_argument("--elements-from", help="a program file whose data elements are suggested "
                            "(default: the current program's file, if one is loaded)")
        parser.add_argument("--score", metavar="EXPECTED.yaml",
                            help="compare the draft with this program file and print precision and recall")

    def handle(self, *args, document, output, elements_from=None, score=None, **options):
        path = Path(document)
        try:
            draft = read_document(path)
        except (UnreadableDocument, OSError) as exc:
            raise CommandError(str(exc)) from exc
        reference = self._reference(elements_from)
        Path(output).write_text(draft_yaml(draft, reference, path.name), encoding="utf-8")
        counts = draft.counts()
        self.stdout.write(f"{path.name}: {counts['sections']} sections, {counts['objectives']} objectives, "
                          f"{counts['targets']} targets, {counts['tasks']} tasks -> {output}")
        if score:
            result = self._score(draft_data(draft, reference), Path(score))
            for line in result.lines:
                self.stdout.write(f"  {line}")
            self.stdout.write(result.summary())

    def _reference(self, elements_from):
        if not elements_from:
            return current_reference()
        file = Path(elements_from)
        try:
            return read_definition(file)
        except (ProgramFileError, OSError) as exc:
            raise CommandError(f"--elements-from {file}: {exc}") from exc

    def _score(self, data, expected: Path):
        try:
            return score(data, read_program_file(expected))
        except (ProgramFileError, OSError) as exc:
            raise CommandError(f"--score {expected}: {exc}") from exc
