import re
import time

from django.core.management.base import CommandError

from audit.commands import RecordedCommand
from demo.names import KIEN_GIANG_SHARE, PARENT_KINDS, ParentSpec, generate_grassroots
from units.loading import bulk_add_children
from units.models import Unit, UnitKind

_DISTRICT_PREFIX = re.compile(r"^Liên đoàn Lao động (thành phố |thị xã |huyện )?", re.IGNORECASE)
_PROVINCE_PREFIX = re.compile(r"^Liên đoàn Lao động tỉnh ", re.IGNORECASE)
HOME_PROVINCE = "An Giang"
# Demo grassroots unions of another province's tree per An Giang's (--grassroots).
PROVINCE_SHARE = {"Kiên Giang": KIEN_GIANG_SHARE}


def province_of(root: Unit) -> str:
    return _PROVINCE_PREFIX.sub("", root.name)


def parent_specs(root: Unit) -> list[ParentSpec]:
    """The units of one province's tree that can hold demo grassroots unions, with the place
    name used in demo names. Another province than An Giang gets them under its district
    federations only: the word lists of the province and sector levels name An Giang's bodies."""
    province = province_of(root)
    kinds = PARENT_KINDS if province == HOME_PROVINCE else (UnitKind.DISTRICT,)
    specs = []
    for unit in Unit.objects.subtree(root).filter(kind__in=kinds).order_by("path"):
        place = _DISTRICT_PREFIX.sub("", unit.name) if unit.kind == UnitKind.DISTRICT else HOME_PROVINCE
        specs.append(ParentSpec(code=unit.code, kind=unit.kind, place=place, province=province))
    return specs


def planned(grassroots: int, seed: int):
    """(specs, n, seed) per province tree: An Giang's first with the given n and seed (so its
    demo is the same whether or not old Kiên Giang is loaded), then each other root."""
    for index, root in enumerate(Unit.objects.filter(depth=1).order_by("path")):
        province = province_of(root)
        share = 1.0 if province == HOME_PROVINCE else PROVINCE_SHARE.get(province, 1.0)
        specs = parent_specs(root)
        if specs:
            yield specs, round(grassroots * share), seed + index


class Command(RecordedCommand):
    help = "Fill the hierarchy with plausible grassroots unions (deterministic; existing codes are kept)."

    def add_arguments(self, parser):
        parser.add_argument("--grassroots", type=int, default=1500,
                            help="An Giang's; another loaded province (old Kiên Giang) gets its share of it")
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, grassroots, seed, **options):
        plan = list(planned(grassroots, seed))
        if not plan:
            raise CommandError("No upper-level units: run load_units first.")
        started = time.monotonic()
        existing = set(Unit.objects.grassroots().values_list("code", flat=True))
        by_parent: dict[str, list[Unit]] = {}
        wanted = 0
        for specs, n, province_seed in plan:
            wanted += n
            for profile in generate_grassroots(n, province_seed, specs):
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
            f"grassroots unions: {created} created, {wanted - created} already there "
            f"({time.monotonic() - started:.1f} s)"
        )
