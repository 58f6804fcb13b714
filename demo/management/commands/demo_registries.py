from audit.commands import RecordedCommand
from demo.registries import create_demo_registries


class Command(RecordedCommand):
    help = ("Fill the registries (agreements, Mái ấm houses, initiatives, disputes) from the demo reports' values, "
            "so that they agree. Kept if the registries already hold records.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, seed, **options):
        made = create_demo_registries(seed)
        if not made:
            self.stdout.write("registries: already filled, kept")
        else:
            self.stdout.write("registries: " + ", ".join(f"{n} {kind}" for kind, n in made.items()))
