from django.core.management.base import CommandError

from audit.commands import RecordedCommand
from programs.models import Program
from reporting.actions import PendingReports, ProgramNotOpen, do_close_program


class Command(RecordedCommand):
    help = ("Close a program at the end of its term: refused while reports of its periods wait for a "
            "decision; closes (and locks) its periods no other open program asks for; recorded.")

    def add_arguments(self, parser):
        parser.add_argument("code")

    def handle(self, *args, code, **options):
        program = Program.objects.filter(code=code).first()
        if program is None:
            raise CommandError(f"no program {code!r}")
        try:
            closed = do_close_program(program, by=None)
        except PendingReports as exc:
            raise CommandError(f"{exc.count} submitted report(s) wait for a decision: approve or return "
                               "them first") from exc
        except ProgramNotOpen as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"program {code}: closed; {closed['periods']} period(s) closed, "
                          f"{closed['reports']} report(s) locked")
