"""Progress notes on the programs' tasks, as of today (demo/tasks.py); kept where present."""

from accounts.models import User
from audit.commands import RecordedCommand
from demo.tasks import write_task_notes
from programs.models import Program


class Command(RecordedCommand):
    help = "Write demo progress notes on every task that has none (the province's demo login records them)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, seed, **options):
        by = User.objects.filter(username="tinh").first()
        if by is None:
            self.stderr.write("demo task notes: skipped, the demo account tinh does not exist")
            return
        for program in Program.objects.order_by("term_start", "code"):
            written = write_task_notes(program, by, seed)
            self.stdout.write(f"demo task notes, {program.code}: {written} written")
