import json

from django.core.management.base import BaseCommand, CommandError

from indicators.engine import Engine, baselines
from programs.choice import in_force_in_year
from programs.models import Program
from tiendo.formatting import rounded
from units.models import Unit
from units.placement import THEN, VIEWS


class Command(BaseCommand):
    help = "Compute every target of the program for a unit's subtree and a year."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="unit code, e.g. AG or AG.883")
        parser.add_argument("--period", type=int, required=True, help="the year, e.g. 2024")
        parser.add_argument("--program", default=None,
                            help="program code (default: the one in force for the unit in that year)")
        parser.add_argument("--include-submitted", action="store_true",
                            help="count submitted reports too, not only approved ones")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--view", choices=VIEWS, default=THEN,
                            help="then: as it was (each year over its own tree, the default); "
                                 "now: as it is now (every year carried onto today's tree)")

    def handle(self, *args, unit, period, program, include_submitted, view, **options):
        root = Unit.objects.filter(code=unit).first()
        if root is None:
            raise CommandError(f"no unit with code {unit!r}")
        program_obj = Program.objects.filter(code=program).first() if program else in_force_in_year(root, period)
        if program_obj is None:
            raise CommandError(f"no program {program!r}" if program else "no program loaded")
        if period not in program_obj.reporting_years:
            raise CommandError(f"{period} is not a reporting year of {program_obj.code}: {program_obj.reporting_years}")
        engine = Engine(program_obj, include_submitted, view=view)
        results = engine.results(root, period)
        if options["json"]:
            base = baselines(engine, root)
            self.stdout.write(json.dumps([_with_baseline(r.as_dict(), base.get(r.target.code)) for r in results],
                                         ensure_ascii=False, indent=2))
            return
        for r in results:
            value = "—" if r.value is None else f"{rounded(r.value)}"
            self.stdout.write(f"{r.target.code}  {value:>10} {r.target.comparison} {r.target.value:<8} "
                              f"{r.status:<9} coverage {r.reported}/{r.expected}  {r.target.short_label}")


def _with_baseline(data: dict, baseline) -> dict:
    """A continuing target's figures with its baseline: the final figure of the target it carries on."""
    if baseline is not None:
        data["baseline"] = {"program": baseline.target.program.code, "target": baseline.target.code,
                            "year": baseline.year,
                            "value": None if baseline.value is None else float(baseline.value)}
    return data
