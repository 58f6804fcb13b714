"""A draft compared with the program file it should have been, item by item.

Targets are paired by their words (each expected target with the draft target whose text is
most like its own); a pair is *right* when value and comparison agree (the measure of
recognition), and *exact* when unit, period, deadline and the units measured agree too.
Precision is right pairs over the draft's targets, recall right pairs over the expected
ones. Sections, objectives, tasks, the preamble, the recipients and the signature must be
equal word for word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from programs.definition import expand_kinds

TARGET_FIELDS = ("unit", "period", "deadline", "applies_to")
PAIRING = 0.5  # how alike two targets' words must be to be the same target


@dataclass
class Score:
    lines: list[str] = field(default_factory=list)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # name: (found, expected)
    targets_drafted: int = 0
    targets_right: int = 0
    targets_exact: int = 0
    targets_expected: int = 0
    elements_same: int = 0  # paired targets whose numerator counts the expected data element

    @property
    def precision(self) -> float:
        return self.targets_right / self.targets_drafted if self.targets_drafted else 0.0

    @property
    def recall(self) -> float:
        return self.targets_right / self.targets_expected if self.targets_expected else 0.0

    def summary(self) -> str:
        parts = [f"{name} {found}/{expected}" for name, (found, expected) in self.counts.items()]
        return (f"targets: precision {self.precision:.1%}, recall {self.recall:.1%} "
                f"({self.targets_right} right of {self.targets_drafted} drafted, {self.targets_expected} expected; "
                f"{self.targets_exact} exact in unit, period, deadline and units; "
                f"{self.elements_same} counting the expected data element); " + ", ".join(parts))


def _sections(data: dict) -> list[dict]:
    found = []

    def walk(sections):
        for section in sections or []:
            found.append(section)
            walk(section.get("children"))
    walk(data.get("sections"))
    return found


def _similarity(a: str, b: str) -> float:
    a, b = a.lower(), b.lower()
    if a and b and (a in b or b in a):
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _normal(target: dict) -> dict:
    deadline = target.get("deadline")
    return {"comparison": target.get("comparison"), "value": float(target.get("value", 0)),
            "unit": target.get("unit"), "period": target.get("period"),
            "deadline": str(deadline) if deadline else None,
            "applies_to": sorted(expand_kinds(target.get("applies_to") or []))}


def score(draft: dict, expected: dict) -> Score:
    result = Score()
    _score_targets(result, draft, expected)
    _score_items(result, draft, expected)
    return result


def _score_targets(result: Score, draft: dict, expected: dict) -> None:
    drafted = [t for s in _sections(draft) for t in s.get("targets") or []]
    wanted = [t for s in _sections(expected) for t in s.get("targets") or []]
    result.targets_drafted, result.targets_expected = len(drafted), len(wanted)
    pairs = sorted(((_similarity(w["text"], d["text"]), i, j) for i, w in enumerate(wanted)
                    for j, d in enumerate(drafted)), reverse=True)
    paired: dict[int, int] = {}
    used = set()
    for similarity, i, j in pairs:
        if similarity >= PAIRING and i not in paired and j not in used:
            paired[i] = j
            used.add(j)
    for i, target in enumerate(wanted):
        want = _normal(target)
        if i not in paired:
            result.lines.append(f"MISSED  {target.get('code')}: {target['text'][:70]}")
            continue
        got_target = drafted[paired[i]]
        got = _normal(got_target)
        right = got["value"] == want["value"] and got["comparison"] == want["comparison"]
        wrong = [f"{name} {got[name]} (expected {want[name]})" for name in ("comparison", "value", *TARGET_FIELDS)
                 if got[name] != want[name]]
        result.targets_right += right
        result.elements_same += _element(got_target) is not None and _element(got_target) == _element(target)
        result.targets_exact += right and not wrong
        verdict = "OK     " if not wrong else ("PARTLY " if right else "WRONG  ")
        result.lines.append(f"{verdict} {target.get('code')} ~ {got_target.get('code')}: "
                            f"{want['comparison']} {want['value']:g} {want['unit']} {want['period']}"
                            + (f" — {'; '.join(wrong)}" if wrong else ""))
    for j, target in enumerate(drafted):
        if j not in used:
            result.lines.append(f"EXTRA   {target.get('code')}: {target['text'][:70]}")


def _element(target: dict) -> str | None:
    numerator = target.get("numerator") or {}
    return next((value for key, value in numerator.items() if key != "where" and isinstance(value, str)), None)


def _score_items(result: Score, draft: dict, expected: dict) -> None:
    got_sections = {s["number"]: s for s in _sections(draft)}
    want_sections = _sections(expected)
    found = [s for s in want_sections if got_sections.get(s["number"], {}).get("title") == s["title"]]
    result.counts["sections"] = (len(found), len(want_sections))
    for s in want_sections:
        if s not in found:
            result.lines.append(f"SECTION {s['number']} {s['title'][:60]} not found as written")
    for kind in ("objectives", "tasks"):
        total = hits = 0
        for section in want_sections:
            got = [item["text"] for item in got_sections.get(section["number"], {}).get(kind) or []]
            for item in section.get(kind) or []:
                total += 1
                if item["text"] in got:
                    hits += 1
                else:
                    result.lines.append(f"{kind[:-1].upper()} {item.get('code')} not found as written: "
                                        f"{item['text'][:60]}")
        result.counts[kind] = (hits, total)
    got_program, want_program = draft.get("program") or {}, expected.get("program") or {}
    for key in ("preamble", "recipients"):
        want = want_program.get(key) or []
        got = got_program.get(key) or []
        result.counts[key] = (sum(1 for item in want if item in got), len(want))
    want_signature = want_program.get("signature") or {}
    got_signature = got_program.get("signature") or {}
    result.counts["signature"] = (sum(1 for k, v in want_signature.items() if got_signature.get(k) == v),
                                  len(want_signature))
