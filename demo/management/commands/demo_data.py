import re
import time

from django.core.management.base import CommandError

from audit.commands import RecordedCommand
from demo.names import ParentSpec, generate_grassroots
from units.loading import bulk_add_children
from units.models import Unit, UnitKind

_DISTRICT_PREFIX = re.compile(r"^Liên đoàn Lao động (thành phố |thị xã |huyện )?", re.IGNORECASE)


def parent_specs() -> list[ParentSpec]:
    """Every unit that can hold grassroots unions, with the place name used in demo names."""
    specs = []
    for unit in Unit.objects.exclude(kind=UnitKind.GRASSROOTS).order_by("path"):
        place = _DISTRICT_PREFIX.sub("", unit.name) if unit.kind == UnitKind.DISTRICT else "An Giang"
        specs.append(ParentSpec(code=unit.code, kind=unit.kind, place=place))
    return specs


class Command(RecordedCommand):
    help = "Fill the hierarchy with plausible grassroots unions (deterministic; existing codes are kept)."

    def add_arguments(self, parser):
        parser.add_argument("--grassroots", type=int, default=1500)
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, grassroots, seed, **options):
        specs = parent_specs()
        if not specs:
            raise CommandError("No upper-level units: run load_units first.")
        started = time.monotonic()
        existing = set(Unit.objects.grassroots().values_list("code", flat=True))
        by_parent: dict[str, list[Unit]] = {}
        for profile in generate_grassroots(grassroots, seed, specs):
            if profile.code in existing:
                continue
            by_parent.setdefault(profile.parent_code, []).append(
                Unit(
                    code=profile.code, name=profile.name, kind=UnitKind.GRASSROOTS,
                    ownership=profile.ownership, workers=profile.workers, members=profile.members,
                    officers=profile.officers,
                )
            )
        created = 0
        for parent in Unit.objects.filter(code__in=list(by_parent)):
            created += bulk_add_children(parent, by_parent[parent.code])
        self.stdout.write(
            f"grassroots unions: {created} created, {grassroots - created} already there "
            f"({time.monotonic() - started:.1f} s)"
        )
