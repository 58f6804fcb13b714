import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exports.builder import DocumentChoiceError, build_document
from exports.models import Kind
from exports.writers import WRITERS
from programs.choice import in_force_for, in_force_in_year
from programs.models import Program
from units.models import Unit


class Command(BaseCommand):
    help = "Write the yearly evaluation or the 5-year review of a unit's subtree as .docx, .xlsx or .pdf."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="unit code, e.g. AG or AG.883")
        parser.add_argument("--year", type=int, help="the year evaluated (default: the program's last year)")
        parser.add_argument("--kind", choices=Kind.values, default=Kind.YEARLY_REVIEW)
        parser.add_argument("--format", choices=sorted(WRITERS), default="docx", dest="fmt")
        parser.add_argument("-o", "--output", required=True, help="the file to write")
        parser.add_argument("--program", help="program code (default: the one in force for the unit "
                                                     "in --year, else today)")
        parser.add_argument("--number", help="the document's number (default: the one saved with the narratives)")
        parser.add_argument("--view", choices=("then", "now"), default="then",
                            help="then: each year over the units of that year (default); now: every year over "
                                 "today's units")
        parser.add_argument("--date", help="date of issue, dd/mm/yyyy (default: the saved one, else today)")

    def handle(self, *args, unit, year, kind, fmt, output, program, number, date, view, **options):
        unit_obj = Unit.objects.filter(code=unit).first()
        if unit_obj is None:
            raise CommandError(f"no unit {unit!r}")
        if program:
            program_obj = Program.objects.filter(code=program).first()
        else:
            program_obj = in_force_in_year(unit_obj, year) if year else in_force_for(unit_obj)
        if program_obj is None:
            raise CommandError(f"no program {program!r}" if program else "no program loaded: run load_program first")
        issued_on = None
        if date:
            try:
                issued_on = datetime.datetime.strptime(date, "%d/%m/%Y").date()  # noqa: DTZ007 (a calendar date)
            except ValueError:
                raise CommandError(f"--date {date!r}: expected dd/mm/yyyy") from None
        year = year or program_obj.term_end
        try:
            document = build_document(program_obj, unit_obj, kind, year, number=number, issued_on=issued_on,
                                      view=view)
        except DocumentChoiceError as error:
            raise CommandError(str(error)) from None
        content = WRITERS[fmt].write(document)
        Path(output).write_bytes(content)
        self.stdout.write(f"{output}: {len(content):,} bytes ({document.title})")
