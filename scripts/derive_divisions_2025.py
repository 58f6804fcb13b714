"""Derive, once, the administrative data the 2025 reorganisation files are built from.

Not a build step and not a runtime dependency: the package `vietnam-provinces` is installed in
two throwaway virtualenvs, this script reads the JSON each ships, and the output is pasted into
(or written to) files kept in the repo. It is kept so that anyone can see how the data were
obtained and derive them again.

    python3 -m venv /tmp/vp06   && /tmp/vp06/bin/pip install 'vietnam-provinces==0.6.0'
    python3 -m venv /tmp/vp2025 && /tmp/vp2025/bin/pip install 'vietnam-provinces==2025.10.1'
    python3 scripts/derive_divisions_2025.py \
        $(/tmp/vp06/bin/python -c 'import vietnam_provinces as v; print(v.NESTED_DIVISIONS_JSON_PATH)') \
        $(/tmp/vp2025/bin/python -c 'import vietnam_provinces as v; print(v.NESTED_DIVISIONS_JSON_PATH)') \
        OUTDIR

writes into OUTDIR:
- kg_districts.yaml   old Kiên Giang's (province code 91 before 2025) 15 district-level units;
- kg_wards.py         their wards / townships / communes, as the literal demo/names.py holds
                      (run ruff format on it to wrap the lines);
- communes.yaml       the 102 commune, ward and special-zone units of new An Giang (code 91
                      after 2025) as union units for the batch's `units:` list;
- district_communes.yaml  old district -> new units. How: in the 2025 reform every new unit kept
                      the code of one of the old wards it was formed from, so the old district
                      holding that code is the new unit's "main" old district. A new unit formed
                      across a district border is listed under one district only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OLD_AN_GIANG, OLD_KIEN_GIANG, NEW_AN_GIANG = 89, 91, 91
COMMUNE_UNION_FROM = "2025-07-01"


def _without_prefix(name: str, division_type: str) -> str:
    """'Xã Mỹ Hòa Hưng' -> 'Mỹ Hòa Hưng'; 'Đặc khu Phú Quốc' -> 'Phú Quốc'."""
    prefix = division_type.lower() + " "
    return name[len(prefix):] if name.lower().startswith(prefix) else name


def _district_kind(name: str) -> str:
    """0.6.0 says 'huyện' for every district; the kind is in the name ('Thành phố Rạch Giá')."""
    for kind in ("Thành phố", "Thị xã", "Huyện"):
        if name.startswith(kind + " "):
            return kind.lower()
    raise ValueError(f"unknown district kind: {name}")


def old_provinces(path: Path) -> dict[int, dict]:
    return {p["code"]: p for p in json.loads(path.read_text(encoding="utf-8"))}


def kg_districts(old: dict[int, dict]) -> list[dict]:
    rows = []
    for district in old[OLD_KIEN_GIANG]["districts"]:
        kind = _district_kind(district["name"])
        rows.append({"admin_code": str(district["code"]), "kind": kind,
                     "place": district["name"][len(kind) + 1:]})
    return rows


def kg_wards_literal(old: dict[int, dict]) -> str:
    """The shape of demo.names._DISTRICTS: place -> (kind, admin code, wards, townships, communes)
    (places are unique within one province)."""
    lines = []
    for district in old[OLD_KIEN_GIANG]["districts"]:
        kind = _district_kind(district["name"])
        groups = {"Phường": [], "Thị trấn": [], "Xã": []}
        for ward in district["wards"]:
            for prefix, names in groups.items():
                if ward["name"].startswith(prefix + " "):
                    names.append(ward["name"][len(prefix) + 1:])
                    break
            else:
                raise ValueError(f"unknown ward kind: {ward['name']}")
        body = ", ".join(_tuple_literal(names) for names in groups.values())
        lines.append(f'    "{district["name"][len(kind) + 1:]}": ("{kind}", "{district["code"]}", {body}),')
    return "\n".join(lines) + "\n"


def _tuple_literal(names: list[str]) -> str:
    quoted = ", ".join(f'"{name}"' for name in names)
    return f"({quoted},)" if len(names) == 1 else f"({quoted})"


def new_units(path: Path) -> list[dict]:
    province = next(p for p in json.loads(path.read_text(encoding="utf-8")) if p["code"] == NEW_AN_GIANG)
    return province["wards"]


def old_district_of(old: dict[int, dict]) -> dict[int, str]:
    prefixes = {OLD_AN_GIANG: "AG", OLD_KIEN_GIANG: "KG"}
    where = {}
    for code, prefix in prefixes.items():
        for district in old[code]["districts"]:
            for ward in district["wards"]:
                where[ward["code"]] = f"{prefix}.{district['code']}"
    return where


def commune_rows(wards: list[dict]) -> list[dict]:
    rows = []
    for ward in wards:
        place = _without_prefix(ward["name"], ward["division_type"])
        label = f"{ward['division_type']} {place}"
        rows.append({"code": f"AG.CX.{ward['code']}", "name": f"Công đoàn {label}",
                     "short_name": f"CĐ {label}", "kind": "commune", "parent": "AG",
                     "valid_from": COMMUNE_UNION_FROM, "admin_code": str(ward["code"])})
    return rows


def _yaml_flow(row: dict) -> str:
    parts = []
    for key, value in row.items():
        quoted = value if key in ("kind", "parent", "valid_from", "code") else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {quoted}")
    return "  - {" + ", ".join(parts) + "}"


def main(old_json: str, new_json: str, outdir: str) -> None:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    old = old_provinces(Path(old_json))
    wards = sorted(new_units(Path(new_json)), key=lambda w: w["code"])
    (out / "kg_districts.yaml").write_text(
        "".join(f"- {json.dumps(row, ensure_ascii=False)}\n" for row in kg_districts(old)), encoding="utf-8")
    (out / "kg_wards.py").write_text(kg_wards_literal(old), encoding="utf-8")
    (out / "communes.yaml").write_text(
        "units:\n" + "".join(_yaml_flow(row) + "\n" for row in commune_rows(wards)), encoding="utf-8")
    where = old_district_of(old)
    by_district: dict[str, list[str]] = {}
    for ward in wards:
        by_district.setdefault(where[ward["code"]], []).append(f"AG.CX.{ward['code']}")
    (out / "district_communes.yaml").write_text(
        "".join(f"  {district}: [{', '.join(codes)}]\n" for district, codes in sorted(by_district.items())),
        encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:4])
