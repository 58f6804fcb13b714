"""The demo's part of the 2025 reorganisation: what happens to the demo grassroots unions.

units/data/reorganisation_2025.yaml holds what the repo knows by name (the commune unions, the
district federations, the named grassroots unions). The demo's generated grassroots unions
(demo/names.py) are not named there, so this module builds their changes, in the same batch
format (REORG_FORMAT), by a stated rule — every value an editable default, not a fact:

- dissolved: a public-sector grassroots union, unless its name marks a public service unit that
  is not paid 100% from the state budget (SELF_FINANCED below: hospitals, health centres,
  universities and colleges, vocational centres, project boards, land and service centres, test
  centres, the investment fund), and one in KEPT_ONE_IN (by crc32 of its code) of the others,
  for the units whose pay is not wholly from the budget though their names do not show it.
  FACTS.md: 2,171 grassroots unions of agencies and units paid 100% from the budget were
  dissolved in 2025, 785 remained. Effective 1 July 2025 (last day 30 June), no successor;
- moved: every other grassroots union of an old district federation goes to one of that district's
  new commune unions (units/data/district_communes_2025.yaml; the one at index crc32(code) mod the
  number of the district's communes), on the day that commune union takes over its unions (the
  file's `takeover_on`: 27 August 2025 for Công đoàn phường Rạch Giá, other days between July and
  September). One `move` per commune union, as the real decisions were one per ward;
- the rest (under the province, a sector union or the industrial-zones union) stay where the
  batch puts them: directly under the province.

`combined_batch(real, demo)` is the batch the demo loads: the real one with the demo's
dissolutions first (before the district federations close, so a dissolved union never passes to
the province first) and its moves after.
"""

from __future__ import annotations

import datetime
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[1] / "units" / "data"
DISTRICT_COMMUNES_FILE = DATA / "district_communes_2025.yaml"
BATCH_FILE = DATA / "reorganisation_2025.yaml"
KIEN_GIANG_FILE = DATA / "kien_giang.yaml"
NAMED_UNITS_FILES = (DATA / "an_giang.yaml", KIEN_GIANG_FILE)

DISSOLVED_ON = datetime.date(2025, 7, 1)
DISSOLVED_REASON = "Kết thúc hoạt động công đoàn cơ sở ở cơ quan, đơn vị hưởng 100% lương từ ngân sách nhà nước"
MOVED_REASON = "Chuyển công đoàn cơ sở về công đoàn xã, phường, đặc khu quản lý"
# Words in a name that mark a public service unit not paid 100% from the budget (it continues).
SELF_FINANCED = (
    "Bệnh viện", "Trung tâm Y tế", "Trường Đại học", "Trường Cao đẳng", "Trung tâm GDNN",
    "Ban Quản lý dự án", "Phát triển quỹ đất", "Đăng ký đất đai", "Trung tâm Dịch vụ", "Trung tâm Kiểm",
    "Quỹ Đầu tư",
)
KEPT_ONE_IN = 20


@dataclass(frozen=True)
class DemoUnit:
    """What the rule needs to know of a grassroots union."""

    code: str
    name: str
    ownership: str
    parent_code: str


@dataclass(frozen=True)
class DistrictCommunes:
    districts: dict[str, list[str]]  # old district federation -> its new commune unions
    takeover_on: dict[str, datetime.date]  # commune union -> the day it takes over its unions


def read_district_communes(path: Path = DISTRICT_COMMUNES_FILE) -> DistrictCommunes:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return DistrictCommunes(districts=data["districts"], takeover_on=data["takeover_on"])


def read_batch(path: Path = BATCH_FILE) -> dict:
    """The batch file as plain data (what REORG_FORMAT describes), without the loader."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def named_codes(paths: Iterable[Path] = NAMED_UNITS_FILES) -> set[str]:
    """Codes of the units the data files name: the real batch decides their fate, not the rule."""
    codes = set()
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            codes.update(row["code"] for row in yaml.safe_load(handle)["units"])
    return codes


def is_dissolved(unit: DemoUnit) -> bool:
    if unit.ownership != "public_sector" or any(word in unit.name for word in SELF_FINANCED):
        return False
    return _spread(unit.code) % KEPT_ONE_IN != 0


def _spread(code: str) -> int:
    """A stable number from a code (crc32, never hash(): that changes between runs)."""
    return zlib.crc32(code.encode())


def commune_for(unit: DemoUnit, communes: list[str]) -> str:
    return communes[_spread(unit.code) % len(communes)]


def demo_changes(units: Iterable[DemoUnit], mapping: DistrictCommunes) -> dict:
    """The demo's dissolutions and transfers, as a batch's `changes` (dissolutions first)."""
    dissolutions, moving = [], {}
    for unit in sorted(units, key=lambda u: u.code):
        if is_dissolved(unit):
            dissolutions.append({"change": "dissolve", "unit": unit.code, "on": DISSOLVED_ON, "successor": None,
                                 "reason": DISSOLVED_REASON})
        elif unit.parent_code in mapping.districts:
            commune = commune_for(unit, mapping.districts[unit.parent_code])
            moving.setdefault(commune, []).append(unit.code)
    moves = [{"change": "move", "units": codes, "on": mapping.takeover_on[commune], "to": commune,
              "reason": MOVED_REASON}
             for commune, codes in sorted(moving.items(), key=lambda item: (mapping.takeover_on[item[0]], item[0]))]
    return {"changes": dissolutions + moves}


def combined_batch(real: dict, demo: dict) -> dict:
    """The real batch with the demo's changes: the demo's dissolutions first (on 1 July, before
    any district federation closes and hands its remaining unions to the province), its moves
    at the end (all later than 1 July)."""
    demo_dissolutions = [c for c in demo["changes"] if c["change"] == "dissolve"]
    demo_rest = [c for c in demo["changes"] if c["change"] != "dissolve"]
    return {**real, "changes": demo_dissolutions + real["changes"] + demo_rest}


def demo_units_from_db() -> list[DemoUnit]:
    """The demo grassroots unions in the database (every grassroots union the data files do
    not name), with their parent's code."""
    from units.models import Unit, UnitKind

    named = named_codes()
    parents = dict(Unit.objects.exclude(kind=UnitKind.GRASSROOTS).values_list("path", "code"))
    rows = Unit.objects.grassroots().exclude(code__in=named).values_list("code", "name", "ownership", "path")
    return [DemoUnit(code, name, ownership, parents[path[:-Unit.steplen]]) for code, name, ownership, path in rows]


def demo_batch() -> dict:
    """The batch the demo loads once the reorganisation loader is there:
    ``load_batch(demo_batch())`` after units/data/kien_giang.yaml and demo_data."""
    return combined_batch(read_batch(), demo_changes(demo_units_from_db(), read_district_communes()))
