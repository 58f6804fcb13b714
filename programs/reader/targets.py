"""Quantitative sentences → candidate targets, and the deadlines the tasks set.

A sentence may hold several targets ("có 100% doanh nghiệp nhà nước và 80% trở lên doanh
nghiệp khu vực ngoài nhà nước …"): each figure opens one, from the separator before it
(", ", "; ", " và ") to the next one's; the first starts with the sentence, so the words
that govern all of them ("Hàng năm", "Phấn đấu đến năm 2025") stay with the first.

How a figure is read (the genre's conventions; every default lowers the confidence and says so):
- comparison: ">" for "trên", "hơn"; ">=" for "ít nhất", "tối thiểu", "từ … (trở lên)",
  "… trở lên", "đạt", "100%", and for a bare figure after "phấn đấu" / "có" (a floor);
- unit: percent for "N%"; average for "bình quân mỗi X … N"; a per-unit figure ("mỗi X có
  01 …") is every X, so 100 percent of them; count otherwise;
- horizon: yearly for "hằng năm", "hàng năm", "mỗi năm"; the end of the term for "đến năm
  <the term's last year>", "đến cuối nhiệm kỳ"; a deadline for "hoàn thành trong quý II/2026",
  "trong tháng 8/2026", "trước ngày 30/6/2026", "đến năm <an earlier year>"; with none of
  these, the deadline the section's tasks set for the same units, else the end of the term;
- whose data: the units named right after the figure (or after "mỗi"), see vocabulary.
A figure inside another target's clause ("… tổ chức ít nhất 01 cuộc đối thoại") qualifies it
and is not a target; nor is a size ("doanh nghiệp có từ 2.000 lao động trở lên"), a date, a
year or a document number.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from programs.reader.draft import Draft, DraftDeadline, DraftSection, DraftTarget, Passage, Span
from programs.reader.vocabulary import ALL_KINDS, TARGET_SUBJECTS, UPPER

NUMBER = r"\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?"
PERCENT = re.compile(rf"(?<![\d/.,-])(?P<value>{NUMBER})\s?%")
COUNT = re.compile(
    rf"(?<!\w)(?P<lead>ít nhất|tối thiểu|từ|trên|hơn|đạt|có|kết nạp(?: mới)?|phát triển(?: mới)?|"
    rf"thành lập(?: mới)?|giới thiệu|vận động)\s+(?P<value>{NUMBER})(?![\d/%])\s+(?P<noun>[^\s,;.]+)",
    re.IGNORECASE)
SIZE = re.compile(r"^\s*(?:lao động|công nhân|người|đoàn viên)\s+trở lên", re.IGNORECASE)
NOT_A_FIGURE = re.compile(r"^(?:năm|tháng|ngày|quý|lần|giờ|tuổi|km|ha)\b", re.IGNORECASE)
PER_UNIT = re.compile(r"(?<!\w)mỗi\s+(?!năm|quý|tháng|tuần|ngày|người\b)", re.IGNORECASE)
AVERAGE = re.compile(r"(?<!\w)bình quân\s+mỗi\s", re.IGNORECASE)
SEPARATOR = re.compile(r";\s+|,\s+|\s+và\s+")
LEADS = re.compile(r"(?:(?:có|đạt|phấn đấu|phân đấu|phần đầu)\s+)?(?:(?:ít nhất|tối thiểu|từ|trên|hơn)\s+)?$",
                   re.IGNORECASE)
ABOVE = re.compile(r"(?<!\w)(?:trên|hơn)\s+$", re.IGNORECASE)
FLOOR = re.compile(r"(?<!\w)(?:ít nhất|tối thiểu|từ|đạt)\s+$", re.IGNORECASE)
OR_MORE = re.compile(r"^\s*(?:%\s*)?trở lên|^\s*\S+(?:\s\S+){0,4}\s+trở lên", re.IGNORECASE)
YEARLY = re.compile(r"(?<!\w)(?:hằng năm|hàng năm|mỗi năm|năm nào cũng)", re.IGNORECASE)
BY_YEAR = re.compile(r"(?<!\w)(?:đến|tới|trong giai đoạn \d{4}\s*-\s*)\s*(?:năm\s+)?(?P<year>20\d\d)", re.IGNORECASE)
END_OF_TERM = re.compile(r"đến (?:cuối|hết) nhiệm kỳ|trong nhiệm kỳ|cả nhiệm kỳ|toàn nhiệm kỳ", re.IGNORECASE)
WHEN = (r"(?:quý\s+(?P<q>IV|I{1,3})/(?P<qy>\d{4})|tháng\s+(?P<m>\d{1,2})/(?P<my>\d{4})|"
        r"ngày\s+(?P<d>\d{1,2})/(?P<dm>\d{1,2})/(?P<dy>\d{4})|năm\s+(?P<y>\d{4}))")
DUE = re.compile(rf"(?:hoàn thành\s+)?(?:trong|trước)\s+{WHEN}", re.IGNORECASE)
TASK_DEADLINE = re.compile(
    rf"(?P<phrase>(?:hoàn thành\s+)?(?:trong|trước)\s+{WHEN}\s+đối với\s+(?P<who>[^;.,]+))", re.IGNORECASE)
EVENTS = re.compile(r"(?<!\w)(?:cuộc|vụ|lượt)\s", re.IGNORECASE)
QUARTER_END = {"I": 3, "II": 6, "III": 9, "IV": 12}


@dataclass
class Figure:
    """One figure of a sentence: where it stands and how it is read."""

    start: int  # of the number
    end: int  # after the number (and "%")
    value: float
    unit: str  # percent | count | average | per_unit
    lead: str = ""
    lead_start: int = 0  # where its lead words ("ít nhất", "kết nạp mới") start


def read_targets(draft: Draft) -> None:
    """Fill every section's targets and the program's deadlines, numbering targets T01 … in
    the document's order."""
    for section in draft.walk_sections():
        _read_deadlines(draft, section)
    found = []
    for section in draft.walk_sections():
        passages = [*section.objectives, *section.target_statements, *section.paragraphs,
                    *(Passage(t.text, t.span) for t in section.tasks)]
        for passage in passages:
            found += [(target, section) for target in _targets_of(passage, section, draft)]
    found.sort(key=lambda pair: pair[0].span.start)
    for number, (target, section) in enumerate(found, start=1):
        target.code = f"T{number:02d}"
        section.targets.append(target)


# --- deadlines ---------------------------------------------------------------------------------

def due_date(match: re.Match) -> datetime.date:
    if match["q"]:
        year, month = int(match["qy"]), QUARTER_END[match["q"].upper()]
    elif match["m"]:
        year, month = int(match["my"]), int(match["m"])
    elif match["d"]:
        return datetime.date(int(match["dy"]), int(match["dm"]), int(match["d"]))
    else:
        year, month = int(match["y"]), 12
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _read_deadlines(draft: Draft, section: DraftSection) -> None:
    """"hoàn thành trong quý II/2021 đối với Công đoàn cấp trên …; trong tháng 8/2021 đối với
    các công đoàn cơ sở": one deadline per phrase, for the units it names; the task keeps them."""
    for task in section.tasks:
        for match in TASK_DEADLINE.finditer(task.text):
            kinds, _, _ = subject_of(match["who"])
            code = "plan_" + ("upper_union" if kinds == UPPER else "_".join(kinds))
            start = task.span.start + match.start("phrase")
            if not any(d.code == code for d in draft.deadlines):
                draft.deadlines.append(DraftDeadline(code, match["phrase"], Span(start, start + len(match["phrase"])),
                                                     due_date(match), kinds))
            task.deadlines.append(code)
        if task.deadlines:
            task.deadline = max(d.due for d in draft.deadlines if d.code in task.deadlines)


def _section_deadlines(draft: Draft, section: DraftSection) -> list[DraftDeadline]:
    codes = {code for task in section.tasks for code in task.deadlines}
    return [d for d in draft.deadlines if d.code in codes]


# --- sentences and figures ------------------------------------------------------------------------

def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: a full stop followed by a capital starts a new one."""
    bounds, start = [], 0
    for match in re.finditer(r"[.!?…]\s+", text):
        following = text[match.end():match.end() + 1]
        if following.isupper() or following in "“\"":
            bounds.append((start, match.start() + 1))
            start = match.end()
    bounds.append((start, len(text)))
    return [(s, e) for s, e in bounds if text[s:e].strip()]


def _number(text: str) -> float:
    value = float(text.replace(".", "").replace(",", ".")) if "," in text else float(text.replace(".", ""))
    return int(value) if value == int(value) else value


def figures(sentence: str) -> list[Figure]:
    """The figures of one sentence that state targets, in order."""
    found = [Figure(m.start("value"), m.end(), _number(m["value"]), "percent") for m in PERCENT.finditer(sentence)]
    for match in COUNT.finditer(sentence):
        after = sentence[match.start("noun"):]
        if SIZE.match(after) or NOT_A_FIGURE.match(match["noun"]):
            continue
        found.append(Figure(match.start("value"), match.end("value"), _number(match["value"]), "count",
                            match["lead"].lower(), match.start()))
    found.sort(key=lambda f: f.start)
    kept: list[Figure] = []
    for figure in found:
        head = sentence[_clause_start(sentence, kept[-1].end if kept else 0, figure.start):figure.start]
        if figure.unit == "count":
            if AVERAGE.search(sentence[:figure.start]) and not any(f.unit == "average" for f in kept):
                figure.unit = "average"
            elif PER_UNIT.search(head if kept else sentence[:figure.start]) and figure.value == 1:
                figure.unit = "per_unit"
            elif kept and _qualifies(sentence, kept[-1], figure):
                continue  # "… đề xuất … tổ chức ít nhất 01 cuộc đối thoại": part of the target before
        kept.append(figure)
    return kept


def _qualifies(sentence: str, previous: Figure, figure: Figure) -> bool:
    """A count in the clause of the figure before it, not opening a clause of its own."""
    between = sentence[previous.end:figure.lead_start]
    return ";" not in between and not re.search(r"(?:[;,]|\svà)\s*$", between)


def _clause_start(sentence: str, previous_end: int, figure_start: int) -> int:
    """Where a figure's clause opens: after the last separator between the figure before it
    and the figure's lead words; the figure's own start when there is none."""
    lead = LEADS.search(sentence[previous_end:figure_start])
    lead_start = previous_end + (lead.start() if lead else figure_start - previous_end)
    separators = list(SEPARATOR.finditer(sentence, previous_end, lead_start))
    if separators and separators[-1].end() == lead_start:
        return lead_start
    return separators[-1].end() if separators else previous_end


def _targets_of(passage: Passage, section: DraftSection, draft: Draft) -> list[DraftTarget]:
    targets = []
    for s_start, s_end in sentences(passage.text):
        sentence = passage.text[s_start:s_end]
        found = figures(sentence)
        for index, figure in enumerate(found):
            start = 0 if index == 0 else _clause_start(sentence, found[index - 1].end, figure.start)
            last = index == len(found) - 1
            end = len(sentence) if last else _separator_before(sentence, found[index], found[index + 1])
            text = sentence[start:end].rstrip(" .;,:")
            offset = passage.span.start + s_start + start
            targets.append(_target(figure, sentence, start, text, Span(offset, offset + len(text)), section, draft))
    return targets


def _separator_before(sentence: str, figure: Figure, following: Figure) -> int:
    clause_start = _clause_start(sentence, figure.end, following.start)
    separator = [m for m in SEPARATOR.finditer(sentence, figure.end, clause_start) if m.end() == clause_start]
    return separator[-1].start() if separator else clause_start


# --- one figure read as a target --------------------------------------------------------------------

def _target(figure: Figure, sentence: str, clause_start: int, text: str, span: Span, section: DraftSection,
            draft: Draft) -> DraftTarget:
    notes: list[str] = []
    confidence = 0.95
    before = sentence[:figure.start]
    after = sentence[figure.end:]
    unit, value = figure.unit, figure.value
    if unit == "per_unit":
        unit, value = "percent", 100
        notes.append("'mỗi … có 01' read as every unit having at least one: 100% of the units")
        confidence -= 0.1
    comparison, reason = _comparison(figure, before, after)
    if reason:
        notes.append(reason)
        confidence -= 0.1
    if unit == "per_unit" or figure.unit == "per_unit":
        subject_text = sentence[PER_UNIT.search(sentence[clause_start:figure.start]).end() + clause_start:]
    elif unit == "average":
        subject_text = sentence[AVERAGE.search(before).end():]
    elif unit == "count":
        subject_text = after
    else:
        subject_text = re.sub(r"^\s*(?:trở lên\s+)?(?:số lượng\s+)?(?:các\s+)?", "", after)
    kinds, where, subject_note = subject_of(subject_text)
    if not kinds:
        kinds, where = ["grassroots"], {}
        notes.append("no units named after the figure: grassroots unions proposed")
        confidence -= 0.25
    if subject_note:
        notes.append(subject_note)
    period, deadline, accumulate, horizon_note = _horizon(sentence[:figure.end], text, kinds, unit, section, draft)
    if horizon_note:
        notes.append(horizon_note)
        confidence -= 0.1
    scope = "program" if unit == "count" else "unit"
    if scope == "program":
        notes.append("a count: the whole province's figure (scope program)")
    return DraftTarget("T00", text, span, comparison, value, unit, period, kinds, where, deadline, accumulate, scope,
                       round(confidence, 2), notes, sentence)


def _last(pattern: re.Pattern, text: str) -> re.Match | None:
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None


def _comparison(figure: Figure, before: str, after: str) -> tuple[str, str]:
    lead = figure.lead
    if ABOVE.search(before) or lead in ("trên", "hơn"):
        return ">", ""
    if FLOOR.search(before) or lead in ("ít nhất", "tối thiểu", "từ", "đạt") or OR_MORE.match(after[:40]):
        return ">=", ""
    if figure.value == 100 and figure.unit == "percent" or figure.unit == "per_unit":
        return ">=", ""
    return ">=", "no comparison word: the figure is read as a floor (at least)"


def subject_of(text: str) -> tuple[list[str], dict, str]:
    """Whose data the words right after a figure name: the first mention, and the ones joined
    to it by "và" or a comma (at most 80 characters on)."""
    window = text[:120]
    mentions = []
    for pattern, kinds, where, note in TARGET_SUBJECTS:
        mentions += [(m.start(), m.end(), kinds, where, note) for m in pattern.finditer(window)]
    mentions.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    chosen, reach = [], -1
    for mention in mentions:
        if mention[0] < reach:
            continue
        gap = window[reach:mention[0]] if chosen else ""
        if chosen and not re.fullmatch(r"\s*(?:và|,)\s*", gap):
            break
        chosen.append(mention)
        reach = mention[1]
    if not chosen or chosen[0][0] > 80:
        return [], {}, ""
    kinds = [k for m in chosen for k in m[2]]
    ordered = [k for k in ALL_KINDS if k in kinds]
    where: dict = {}
    for m in chosen:
        where.update(m[3])
    return ordered, where, next((m[4] for m in chosen if m[4]), "")


def _horizon(before: str, text: str, kinds: list[str], unit: str, section: DraftSection,
             draft: Draft) -> tuple[str, datetime.date | None, str | None, str]:
    """(period, deadline, accumulate, note) from the words up to the figure."""
    accumulate = "sum" if unit in ("average", "count") or EVENTS.search(text) else "last"
    if due := DUE.search(text):
        return "deadline", due_date(due), None, ""
    # The horizon nearest before the figure governs it ("hằng năm …; đến năm 2030 …").
    yearly = _last(YEARLY, before)
    by_year = _last(BY_YEAR, before)
    end_of_term = _last(END_OF_TERM, before)
    latest = max((m.start(), name) for name, m in (("yearly", yearly), ("year", by_year), ("term", end_of_term))
                 if m) if (yearly or by_year or end_of_term) else None
    if latest and latest[1] == "yearly":
        return "yearly", None, None, ""
    if latest and latest[1] == "year" and draft.term_end and int(by_year["year"]) < draft.term_end:
        return "deadline", datetime.date(int(by_year["year"]), 12, 31), None, ""
    if latest:
        return "term", None, accumulate, ""
    for deadline in _section_deadlines(draft, section):
        if set(deadline.applies_to) == set(kinds):
            return ("deadline", deadline.due, None,
                    f"no year named: the section's deadline for these units ({deadline.text})")
    return "term", None, accumulate, "no year named: read as by the end of the term"
