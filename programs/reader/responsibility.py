"""Who carries out a task: the actors its words name (first those opening the sentence,
else any it mentions, else the section's own actor in part III), as the program file's
`responsible` codes, and the department that follows it."""

from __future__ import annotations

import re

from programs.reader.draft import DraftSection, DraftTask, Passage
from programs.reader.vocabulary import ACTORS, DEPARTMENT_WORDS, LEAD_DEPARTMENT

# Where the naming of the actor ends and what it does begins.
VERB = re.compile(r"\s(?:chỉ đạo|chủ trì|tham mưu|theo chức năng|tổ chức|triển khai|xây dựng|có trách nhiệm|"
                  r"tập trung|thực hiện|phối hợp|hướng dẫn|cần|phải)\b|[,;:]", re.IGNORECASE)
UPPER_TRIO = {"district", "sector", "industrial_zone"}


def actors(text: str) -> list[tuple[int, int, str]]:
    """(start, end, code) of every actor named in `text`, in order, overlaps dropped."""
    found = []
    for pattern, code in ACTORS:
        found += [(m.start(), m.end(), code) for m in pattern.finditer(text)]
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    kept, reach = [], -1
    for start, end, code in found:
        if start >= reach:
            kept.append((start, end, code))
            reach = end
    return kept


def responsible_codes(named: list[str]) -> list[str]:
    codes = list(dict.fromkeys(named))
    if set(codes) >= UPPER_TRIO:
        codes = [c for c in codes if c not in UPPER_TRIO]
        codes.insert(0, "upper_union")
    return codes


def read_task(code: str, passage: Passage, section: DraftSection, implementation: bool = False) -> DraftTask:
    """`implementation`: the task is in the part that says who does what ("Tổ chức thực hiện"),
    whose section titles name the actor."""
    text = passage.text
    verb = VERB.search(text)
    opening = [a for a in actors(text) if verb is None or a[0] < verb.start()]
    notes: list[str] = []
    if opening:
        chosen, confidence = opening, 0.85
        responsible_text = text[opening[0][0]:opening[-1][1]]
    elif implementation and actors(section.title):
        chosen, confidence = actors(section.title), 0.85
        responsible_text = section.title
    elif mentioned := actors(text):
        chosen, confidence = mentioned, 0.6
        responsible_text = "; ".join(dict.fromkeys(text[s:e] for s, e, _ in mentioned))
        notes.append("no actor opens the task: the units it mentions are proposed")
    else:
        chosen, confidence, responsible_text = [], 0.4, ""
        notes.append("the task names no actor: all levels proposed")
    responsible = responsible_codes([c for _, _, c in chosen]) or ["all_levels"]
    department, department_note = suggest_department(text)
    notes.append(department_note)
    return DraftTask(code, text, passage.span, responsible, responsible_text, department,
                     confidence=confidence, notes=notes)


def suggest_department(text: str) -> tuple[str | None, str]:
    lower = text.lower()
    for name, department in LEAD_DEPARTMENT.items():
        if lower.startswith(("giao " + name, name)):
            return department, f"department: {name} is named"
    scores = {d: sum(lower.count(w) for w in words) for d, words in DEPARTMENT_WORDS}
    best = max(scores, key=scores.get)
    if not scores[best]:
        return None, "department: none suggested"
    return best, f"department suggested from the words ({best}); the document does not state it"
