"""The normalised text → the document's parts: the heading block, the preamble, the section
tree with its numbering, each section's objectives, target statements, tasks and paragraphs,
"Nơi nhận" and the signature. Targets and responsibilities are read by their own modules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from programs.reader.draft import Draft, DraftSection, Passage, Span
from programs.reader.normalise import BODY_START, BULLET

ROMAN = re.compile(r"^(?P<number>[IVXLC]+)\.\s+(?P<title>\S.*)$")
ARABIC = re.compile(r"^(?P<number>\d+(?:\.\d+)*)\.?\s+(?P<title>\S.*)$")
LABEL = re.compile(
    r"^(?:[-+•●▪–*]\s*)?(?P<label>mục tiêu(?: chung)?|các chỉ tiêu(?: cụ thể)?|chỉ tiêu(?: cụ thể)?|"
    r"nhiệm vụ(?:,| và)? giải pháp(?: chủ yếu)?|nhiệm vụ(?: trọng tâm)?|giải pháp)\s*(?P<colon>:)?\s*(?P<rest>.*)$",
    re.IGNORECASE)
RECIPIENTS = re.compile(r"^nơi nhận\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
ON_BEHALF = re.compile(r"^(?:TM|KT|TL|TUQ|Q)\.\s*\S")
NATIONAL = re.compile(r"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM$|^CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM$")
MOTTO = re.compile(r"^Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc$")
NUMBER_LINE = re.compile(r"^Số\s*:")
PLACE_DATE = re.compile(r",\s*ngày\s+\S+\s+tháng\s+\S+\s+năm\s+\d{4}")
TERM = re.compile(r"(?:nhiệm kỳ|giai đoạn)\s+(?P<start>(?:19|20)\d\d)\s*[-–]\s*(?P<end>(?:19|20)\d\d)", re.IGNORECASE)
IMPLEMENTATION = re.compile(r"tổ chức thực hiện", re.IGNORECASE)
MODES = {"mục": "objectives", "các": "target_statements", "chỉ": "target_statements", "nhiệm": "tasks",
         "giải": "tasks"}


@dataclass(frozen=True)
class Line:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def passage(self, skip: int = 0, confidence: float = 0.95) -> Passage:
        return Passage(self.text[skip:], Span(self.start + skip, self.end), confidence)


def lines_of(text: str) -> Iterator[Line]:
    for match in re.finditer(r"[^\n]+", text):
        yield Line(match.group(), match.start())


def read_structure(text: str) -> Draft:
    draft = Draft(text=text)
    lines = list(lines_of(text))
    first_section = next((i for i, line in enumerate(lines) if ROMAN.match(line.text)), len(lines))
    foot = next((i for i, line in enumerate(lines) if i > first_section and _is_foot(line.text)), len(lines))
    _read_head(draft, lines[:first_section])
    _read_body(draft, lines[first_section:foot])
    _read_foot(draft, lines[foot:])
    term = TERM.search(" ".join(p.text for p in draft.title_lines)) or TERM.search(text)
    if term:
        draft.term_start, draft.term_end = int(term["start"]), int(term["end"])
    return draft


def _is_foot(text: str) -> bool:
    return bool(RECIPIENTS.match(text) or ON_BEHALF.match(text))


# --- the heading block and the preamble --------------------------------------------------------

def _read_head(draft: Draft, lines: list[Line]) -> None:
    """Before part I: the header block an official document prints (superior and issuing
    bodies, number, national title, place and date), the document type and subject, then
    the preamble ("Căn cứ …", "Thực hiện …")."""
    bodies = []
    in_preamble = False
    for line in lines:
        text = line.text
        if in_preamble or (draft.document_type and BODY_START.match(text)):
            in_preamble = True
            draft.preamble.append(line.passage())
        elif NATIONAL.match(text) or MOTTO.match(text):
            continue
        elif NUMBER_LINE.match(text):
            draft.number_line = line.passage()
        elif PLACE_DATE.search(text):
            draft.place_date = line.passage()
        elif draft.document_type is None and _capitals(text) and not _looks_like_type(text):
            bodies.append(line.passage())
        elif draft.document_type is None:
            draft.document_type = line.passage()
            draft.title_lines.append(line.passage())
        else:
            draft.title_lines.append(line.passage())
    names = _names(bodies)
    if names:
        draft.issuing_unit = names[-1]
        draft.superior_body = names[0] if len(names) > 1 else None


PLACE_WORDS = ("TỈNH", "HUYỆN", "QUẬN", "THỊ XÃ", "THÀNH PHỐ", "NGÀNH", "CÁC KHU", "KHU", "VIỆT NAM")


def _names(lines: list[Passage]) -> list[Passage]:
    """The header block's bodies: a long name printed on two lines ("LIÊN ĐOÀN LAO ĐỘNG" /
    "TỈNH AN GIANG") is one name."""
    names: list[Passage] = []
    for line in lines:
        if names and line.text.startswith(PLACE_WORDS):
            names[-1] = Passage(f"{names[-1].text} {line.text}", Span(names[-1].span.start, line.span.end))
        else:
            names.append(line)
    return names


DOCUMENT_TYPES = ("CHƯƠNG TRÌNH", "KẾ HOẠCH", "NGHỊ QUYẾT", "ĐỀ ÁN", "BÁO CÁO", "HƯỚNG DẪN")


def _looks_like_type(text: str) -> bool:
    return text.startswith(DOCUMENT_TYPES)


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# --- the sections ------------------------------------------------------------------------------

def _read_body(draft: Draft, lines: list[Line]) -> None:
    part: DraftSection | None = None
    current: DraftSection | None = None
    mode = "paragraphs"
    for line in lines:
        heading = _heading(line, part)
        if heading is not None:
            current, mode = heading, "paragraphs"
            if heading.level == 1:
                part = heading
                draft.sections.append(heading)
                mode = _part_mode(heading.title)
            else:
                _parent(part, heading).children.append(heading)
            continue
        if current is None:
            continue
        if heading is None and current is not part and mode == "paragraphs" and not _seen_label(current):
            mode = _part_mode(part.title) if part else mode
        label = LABEL.match(line.text)
        if label and (not label["rest"] or label["colon"]):
            mode = MODES[label["label"].split()[0].lower()]
            rest = label["rest"]
            if rest:
                _add(current, mode, Line(rest, line.end - len(rest)), part)
            continue
        _add(current, mode, line, part)


def _part_mode(title: str) -> str:
    """A part titled like a label ("CÁC CHỈ TIÊU CHỦ YẾU", "NHIỆM VỤ, GIẢI PHÁP", "MỤC TIÊU
    CHUNG") says what its sections hold until a label says otherwise."""
    lower = title.lower()
    if "chỉ tiêu" in lower and "nhiệm vụ" not in lower:
        return "target_statements"
    if lower.startswith(("nhiệm vụ", "giải pháp", "các nhiệm vụ")):
        return "tasks"
    if lower.startswith("mục tiêu"):
        return "objectives"
    return "paragraphs"


def _seen_label(section: DraftSection) -> bool:
    return bool(section.objectives or section.target_statements or section.tasks)


def _heading(line: Line, part: DraftSection | None) -> DraftSection | None:
    text = line.text
    if match := ROMAN.match(text):
        if _heading_like(match["title"]):
            return DraftSection(match["number"], match["title"], Span(line.end - len(match["title"]), line.end), 1)
        return None
    match = ARABIC.match(text)
    if part is None or match is None or not _heading_like(match["title"]) or BULLET.match(text):
        return None
    numbers = match["number"].split(".")
    title_start = line.end - len(match["title"])
    return DraftSection(".".join([part.number, *numbers]), match["title"], Span(title_start, line.end),
                        1 + len(numbers))


def _heading_like(title: str) -> bool:
    return len(title) <= 300 and not title.endswith(";") and not (title.endswith(".") and len(title) > 120)


def _parent(part: DraftSection, heading: DraftSection) -> DraftSection:
    """The section a numbered heading belongs under: "2.1" under "2" of the same part."""
    parent = part
    path = heading.number.split(".")
    for depth in range(2, len(path)):
        number = ".".join(path[:depth])
        parent = next((child for child in parent.children if child.number == number), parent)
    return parent


def _add(section: DraftSection, mode: str, line: Line, part: DraftSection | None) -> None:
    from programs.reader.responsibility import read_task

    skip = _bullet_width(line.text)
    passage = line.passage(skip)
    # "Tổ chức thực hiện": every paragraph of its sections says who does what.
    implementation = part is not None and bool(IMPLEMENTATION.search(part.title)) and section is not part
    if mode == "objectives":
        section.objectives.append(passage)
    elif mode == "target_statements":
        section.target_statements.append(passage)
    elif mode == "tasks" or implementation:
        code = f"task_{section.number.replace('.', '_')}_{len(section.tasks) + 1:02d}"
        section.tasks.append(read_task(code, passage, section, implementation))
    else:
        section.paragraphs.append(passage)


def _bullet_width(text: str) -> int:
    match = BULLET.match(text)
    return match.end() if match else 0


# --- recipients and signature ------------------------------------------------------------------

def _read_foot(draft: Draft, lines: list[Line]) -> None:
    """"Nơi nhận:" with its "- …;" lines, and the signature block: "TM. …" / "KT. …", the
    signer's title in capitals, the signer's name (the last line not in capitals)."""
    signature = draft.signature
    in_recipients = False
    for line in lines:
        text = line.text
        if match := RECIPIENTS.match(text):
            in_recipients = True
            if match["rest"]:
                draft.recipients.append(_recipient(Line(match["rest"], line.end - len(match["rest"]))))
        elif in_recipients and BULLET.match(text):
            draft.recipients.append(_recipient(line))
        elif ON_BEHALF.match(text):
            in_recipients = False
            signature.on_behalf = line.passage()
        elif _capitals(text) and signature.on_behalf and signature.title is None:
            in_recipients = False
            signature.title = line.passage()
        elif not _capitals(text) and (signature.on_behalf or not in_recipients):
            in_recipients = False
            signature.signer = line.passage()


def _recipient(line: Line) -> Passage:
    """One "- …;" line without its bullet and its closing ";" or "."."""
    skip = _bullet_width(line.text)
    text = line.text[skip:].rstrip()
    while text and text[-1] in ";.,":
        text = text[:-1].rstrip()
    return Passage(text, Span(line.start + skip, line.start + skip + len(text)))
