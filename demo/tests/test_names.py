"""The demo grassroots generator: pure Python, no database."""

from __future__ import annotations

import statistics
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

from demo.names import (
    AN_GIANG_PARENTS,
    CATEGORIES,
    GrassrootsProfile,
    ParentSpec,
    generate_grassroots,
)

DATA_FILE = Path(__file__).resolve().parents[2] / "units" / "data" / "an_giang.yaml"


def profiles(n: int, seed: int = 2021, parents=AN_GIANG_PARENTS) -> list[GrassrootsProfile]:
    return list(generate_grassroots(n, seed, parents))


def test_same_inputs_give_identical_output():
    assert profiles(1500, seed=7) == profiles(1500, seed=7)


def test_different_seeds_give_different_output():
    first, second = profiles(200, seed=1), profiles(200, seed=2)
    assert first != second
    assert [p.name for p in first] != [p.name for p in second]


def test_it_is_a_lazy_iterator():
    iterator = generate_grassroots(5, 1, AN_GIANG_PARENTS)
    assert next(iterator).code.startswith("AG")


@pytest.mark.parametrize("n", [0, 1, 3, 10, 15, 16, 1500, 4321])
def test_exactly_n_profiles(n):
    assert len(profiles(n)) == n


def test_codes_unique_and_prefixed_by_parent():
    result = profiles(3000)
    codes = [p.code for p in result]
    assert len(set(codes)) == len(codes)
    parent_codes = {spec.code for spec in AN_GIANG_PARENTS}
    by_parent: dict[str, list[int]] = {}
    for p in result:
        assert p.parent_code in parent_codes
        prefix, _, seq = p.code.rpartition(".")
        assert prefix == p.parent_code
        assert len(seq) == 5 and seq.isdigit()
        by_parent.setdefault(p.parent_code, []).append(int(seq))
    for seqs in by_parent.values():
        assert seqs == list(range(1, len(seqs) + 1))


def test_members_officers_and_workers_are_consistent():
    for p in profiles(3000, seed=3):
        assert p.workers >= 1
        assert 1 <= p.members <= p.workers
        assert 1 <= p.officers <= 15


def test_ownership_matches_category():
    for p in profiles(3000, seed=4):
        assert p.category in CATEGORIES
        if p.category == "enterprise":
            assert p.ownership in ("state", "non_state")
        else:
            assert p.ownership == "public_sector"


@pytest.mark.parametrize("seed", [0, 1, 2021])
def test_an_giang_distribution_at_1500(seed):
    result = profiles(1500, seed=seed)
    ownership = Counter(p.ownership for p in result)
    assert ownership["public_sector"] > len(result) / 2
    assert 200 <= ownership["non_state"] <= 400
    assert 10 <= ownership["state"] <= 80
    # Non-state enterprises are mostly in the industrial zones and the two cities.
    non_state_parents = Counter(p.parent_code for p in result if p.ownership == "non_state")
    in_zones_and_cities = sum(non_state_parents[code] for code in ("AG.KCN", "AG.883", "AG.884"))
    assert in_zones_and_cities > ownership["non_state"] / 2


def test_sizes_are_heavy_tailed_and_plausible():
    result = profiles(5000, seed=6)
    enterprises = [p.workers for p in result if p.category == "enterprise"]
    assert 20 <= statistics.median(enterprises) <= 300
    assert max(enterprises) <= 6000
    large = [w for w in enterprises if w >= 1000]
    assert 0 < len(large) < len(enterprises) / 10
    for p in result:
        if p.category in ("school", "agency") or p.name.startswith("Công đoàn Trạm Y tế"):
            assert 10 <= p.workers <= 120 or p.name.startswith("Công đoàn Trường Đại học")
    kcn = [p.workers for p in result if p.parent_code == "AG.KCN"]
    local = [p.workers for p in result if p.category == "enterprise" and p.parent_code.startswith("AG.8")]
    assert statistics.median(kcn) > statistics.median(local)


def test_parents_get_the_units_of_their_kind():
    result = profiles(1500, seed=8)
    education = [p for p in result if p.parent_code == "AG.GD"]
    health = [p for p in result if p.parent_code == "AG.YT"]
    zones = [p for p in result if p.parent_code == "AG.KCN"]
    assert education and all(p.category in ("school", "agency") for p in education)
    assert sum("Trường THPT" in p.name for p in education) > len(education) / 2
    assert health and all(p.category in ("health", "agency") for p in health)
    assert any("Bệnh viện" in p.name or "Trung tâm Y tế" in p.name for p in health)
    assert zones and all(p.category == "enterprise" for p in zones)
    assert sum(p.ownership == "non_state" for p in zones) > 0.8 * len(zones)
    long_xuyen = [p for p in result if p.parent_code == "AG.883"]
    assert {p.category for p in long_xuyen} == set(CATEGORIES)
    stations = [p.name for p in long_xuyen if "Trạm Y tế" in p.name]
    assert stations and all(
        any(name.endswith(ward) for ward in ("Mỹ Bình", "Mỹ Long", "Mỹ Xuyên", "Đông Xuyên", "Bình Đức",
                                             "Bình Khánh", "Mỹ Phước", "Mỹ Quý", "Mỹ Thới", "Mỹ Thạnh",
                                             "Mỹ Hòa", "Mỹ Khánh", "Mỹ Hòa Hưng"))
        for name in stations
    )


def test_small_n_still_covers_every_category():
    for seed in range(5):
        assert {p.category for p in profiles(10, seed=seed)} == set(CATEGORIES)
        assert {p.category for p in profiles(4, seed=seed)} == set(CATEGORIES)


def test_a_single_parent_of_each_kind_works():
    for spec in (
        ParentSpec("X", "province", "An Giang"),
        ParentSpec("X.1", "district", "Chợ Mới"),
        ParentSpec("X.2", "district", "Somewhere Else"),
        ParentSpec("X.YT", "sector", "An Giang"),
        ParentSpec("X.GD", "sector", "An Giang"),
        ParentSpec("X.S", "sector", "An Giang", "other"),
        ParentSpec("X.KCN", "industrial_zone", "An Giang"),
    ):
        result = profiles(50, parents=[spec])
        assert len(result) == 50
        assert all(p.parent_code == spec.code for p in result)


def test_names_are_non_empty_nfc_vietnamese():
    result = profiles(3000, seed=9)
    for p in result:
        assert p.name.strip() == p.name and p.name
        assert p.name.startswith("Công đoàn ")
        assert unicodedata.is_normalized("NFC", p.name)
    assert any(not name.isascii() for name in (p.name for p in result))


def test_names_do_not_repeat_within_a_parent():
    result = profiles(20000, seed=10)
    seen = Counter((p.parent_code, p.name) for p in result)
    assert max(seen.values()) == 1


def test_invalid_arguments_are_refused():
    with pytest.raises(ValueError):
        profiles(-1)
    with pytest.raises(ValueError):
        profiles(5, parents=[])
    with pytest.raises(ValueError):
        profiles(5, parents=[ParentSpec("X", "ward", "An Giang")])
    with pytest.raises(ValueError):
        profiles(5, parents=[ParentSpec("X", "province", "An Giang"), ParentSpec("X", "district", "Chợ Mới")])


def test_an_giang_parents_match_the_hierarchy_file():
    rows = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))["units"]
    upper = {row["code"]: row for row in rows if row["kind"] != "grassroots"}
    assert {spec.code for spec in AN_GIANG_PARENTS} == set(upper)
    for spec in AN_GIANG_PARENTS:
        assert upper[spec.code]["kind"] == spec.kind
        if spec.kind == "district":
            assert upper[spec.code]["admin_code"] == spec.code.split(".")[1]
            assert upper[spec.code]["name"].endswith(spec.place)
