"""A draft as a program file: the same YAML a developer writes by hand, so `check_program`
reads it and `load_program` could load it once reviewed. What the reader was unsure of is
said in a YAML comment above the item ("# unsure: …"), with the span of the document each
item came from ("# from 2442–2513").

Data elements: where a loaded program is given, the elements whose words the target's
sentence shares are suggested (a count element's base from the program's "A <= B" rules);
otherwise a new element is proposed from the sentence, for the reviewer to name.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import unicodedata

from django.utils import timezone

from programs.definition import ProgramDefinition
from programs.reader.draft import SURE, Draft, DraftSection, DraftTarget, DraftTask
from programs.reader.vocabulary import UPPER

COMMENT = "_comment"
SUPERIOR_BODY = "Tổng Liên đoàn Lao động Việt Nam"
MATCH_THRESHOLD = 0.9  # below: no existing element is close enough, a new one is proposed


def draft_data(draft: Draft, reference: ProgramDefinition | None = None) -> dict:
    """The draft as a program file's data; keys starting with "_" become comments."""
    elements = ElementChooser(reference)
    sections = [_section(section, draft, elements) for section in draft.sections]
    return {
        "program": _header(draft),
        "deadlines": [{COMMENT: _origin(d.span, d.confidence), "code": d.code, "text": d.text, "due": d.due,
                       "applies_to": d.applies_to} for d in draft.deadlines],
        "data_elements": elements.chosen(),
        "validation_rules": elements.rules(),
        "sections": sections,
    }


# --- the header --------------------------------------------------------------------------------

def _header(draft: Draft) -> dict:
    lines = [p.text for p in draft.title_lines]
    document_type = draft.document_type.text if draft.document_type else "CHƯƠNG TRÌNH HÀNH ĐỘNG"
    subject = " ".join(lines[1:]) if lines else ""
    title = " ".join(filter(None, [document_type.capitalize(), subject]))
    named = draft.issuing_unit.text if draft.issuing_unit else ""
    province = re.search(r"(?:TỈNH|HUYỆN|THÀNH PHỐ|THỊ XÃ|QUẬN)\s+(.+)$", named) or \
        re.search(r"tỉnh\s+((?:[A-ZĐÀ-Ỹ][^\s,;.]*\s?){1,3})", " ".join(lines) + " " + draft.text[:3000])
    place = _name(province.group(1).strip()) if province else ""
    issuing_unit = _name(draft.issuing_unit.text) if draft.issuing_unit else f"Liên đoàn Lao động tỉnh {place}".strip()
    on_behalf = draft.signature.on_behalf.text if draft.signature.on_behalf else ""
    body = re.sub(r"^(?:TM|KT|TL|TUQ|Q)\.\s*", "", on_behalf).strip()
    issuer = f"{body.capitalize().replace('thường vụ', 'Thường vụ').replace('chấp hành', 'Chấp hành')} {issuing_unit}" \
        if body and not body.startswith(("CHỦ", "GIÁM")) else issuing_unit
    start = draft.term_start or timezone.localdate().year
    end = draft.term_end or start + 5
    comments = [] if draft.term_start else ["unsure: the document names no term (nhiệm kỳ / giai đoạn); set it"]
    congress = re.search(r"lần thứ\s+([IVXLC]+)", title)
    code = "-".join(filter(None, [_slug(place), congress.group(1).lower() if congress else "", f"{start}-{end}"]))
    header = {COMMENT: comments, "code": code, "title": title, "title_lines": lines, "document_type": document_type,
              "issuer": issuer,
              "superior_body": _name(draft.superior_body.text) if draft.superior_body else SUPERIOR_BODY,
              "issuing_unit": issuing_unit, "term_start": start, "term_end": end,
              "reporting_years": list(range(start + 1, end + 1)),
              "preamble": [p.text for p in draft.preamble]}
    signature = {key: getattr(draft.signature, key).text for key in ("on_behalf", "title", "signer")
                 if getattr(draft.signature, key)}
    if signature:
        header["signature"] = signature
    header["recipients"] = [p.text for p in draft.recipients]
    if re.search(r"Ban Tuyên giáo[^.;]{0,60}chủ trì", draft.text):
        header["lead_department"] = "Ban Tuyên giáo"
    return header


NAME_WORDS = {"LĐLĐ": "Liên đoàn Lao động", "LIÊN ĐOÀN LAO ĐỘNG": "Liên đoàn Lao động", "CÔNG ĐOÀN": "Công đoàn",
              "TỈNH": "tỉnh", "HUYỆN": "huyện", "THÀNH PHỐ": "thành phố", "THỊ XÃ": "thị xã", "QUẬN": "quận",
              "NGÀNH": "ngành", "TỔNG": "Tổng", "VIỆT NAM": "Việt Nam", "KHU CÔNG NGHIỆP": "Khu công nghiệp",
              "CÁC": "các"}


def _name(capitals: str) -> str:
    """A body's name as the header block prints it ("LIÊN ĐOÀN LAO ĐỘNG TỈNH AN GIANG") in
    running text ("Liên đoàn Lao động tỉnh An Giang")."""
    text = capitals
    for word, spelled in NAME_WORDS.items():
        text = re.sub(rf"(?<!\w){word}(?!\w)", spelled, text)
    return re.sub(r"(?<!\w)([A-ZĐÀ-Ỹ])([A-ZĐÀ-Ỹ]+)(?!\w)", lambda m: m[1] + m[2].lower(), text)


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "program"


# --- sections and their items ----------------------------------------------------------------------

def _origin(span, confidence: float, notes: list[str] | None = None) -> list[str]:
    lines = [f"from {span.start}-{span.end}, confidence {confidence:.2f}"]
    if confidence < SURE:
        lines += [f"unsure: {note}" for note in (notes or []) if note]
    return lines


def _section(section: DraftSection, draft: Draft, elements: ElementChooser) -> dict:
    code = section.number.replace(".", "_")
    objectives = [{COMMENT: _origin(p.span, p.confidence), "code": f"obj_{code}" + (f"_{i + 1}" if i else ""),
                   "text": p.text} for i, p in enumerate(section.objectives)]
    return {
        COMMENT: _origin(section.span, 0.95),
        "number": section.number, "title": section.title,
        "paragraphs": [p.text for p in section.paragraphs],
        "target_statements": [p.text for p in section.target_statements],
        "objectives": objectives,
        "targets": [_target(t, draft, elements) for t in section.targets],
        "tasks": [_task(t) for t in section.tasks],
        "children": [_section(child, draft, elements) for child in section.children],
    }


def _task(task: DraftTask) -> dict:
    data = {COMMENT: _origin(task.span, task.confidence, task.notes), "code": task.code, "text": task.text,
            "responsible": task.responsible, "responsible_text": task.responsible_text}
    if task.department:
        data["department"] = task.department
    if task.deadline:
        data["deadline"] = task.deadline
        data["deadlines"] = task.deadlines
    return data


def _target(target: DraftTarget, draft: Draft, elements: ElementChooser) -> dict:
    numerator, denominator, element_note = elements.expressions(target, draft)
    notes = [*target.notes, element_note]
    data = {COMMENT: _origin(target.span, target.confidence, notes) + [f"reads: {target.reading()}"],
            "code": target.code, "text": target.text, "short_label": _short(target.text),
            "comparison": target.comparison, "value": target.value, "unit": target.unit, "period": target.period}
    if target.deadline:
        data["deadline"] = target.deadline
    if target.period == "term":
        data["accumulate"] = target.accumulate or "last"
    data["applies_to"] = target.applies_to
    if target.scope != "unit":
        data["scope"] = target.scope
    data["numerator"] = numerator
    if denominator:
        data["denominator"] = denominator
    data["note"] = "; ".join(n for n in notes if n)
    return data


def _short(text: str, width: int = 60) -> str:
    words = re.sub(r"^(?:Phấn đấu|Phân đấu|Phần đầu|Hàng năm|Hằng năm)[, ]*", "", text).split()
    label = ""
    for word in words:
        if len(label) + len(word) + 1 > width:
            break
        label = f"{label} {word}".strip()
    return label.rstrip(",;")


# --- data elements -----------------------------------------------------------------------------------

def _syllables(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _bigrams(text: str) -> set[tuple[str, str]]:
    words = _syllables(text)
    return set(zip(words, words[1:], strict=False))


class ElementChooser:
    """Which data elements a draft's targets count: the reference program's where the words
    match, new ones otherwise; remembers every element used so the draft declares them."""

    def __init__(self, reference: ProgramDefinition | None):
        self.reference = reference
        self.known = {e.code: e for e in reference.data_elements} if reference else {}
        self.used: dict[str, dict] = {}
        self.bases = {}
        if reference:
            for rule in reference.validation_rules:
                parsed = rule.parsed
                if getattr(parsed, "op", None) in ("<=", "<") and not parsed.registry_counts:  # two elements
                    self.bases.setdefault(parsed.left, parsed.right)

    @staticmethod
    def plan_deadline(target: DraftTarget, draft: Draft):
        """The plan deadline a deadline target is counted on (its units' own), if any."""
        if target.period != "deadline":
            return None
        return next((d for d in draft.deadlines if set(d.applies_to) == set(target.applies_to)), None)

    def compatible(self, target: DraftTarget) -> list:
        """The reference program's elements of a type the target can count."""
        return [e for e in self.known.values() if e.type in self.TYPES[target.unit]]

    def suggestions(self, target: DraftTarget, limit: int = 5) -> list[tuple[object, float]]:
        """The reference program's elements a target may count, the likeliest first: those
        whose words its sentence shares most (its own words, then the whole sentence's)."""
        types = self.TYPES[target.unit]
        # A split target's verb may stand in the sentence's other part ("có 100% doanh nghiệp
        # nhà nước và 80% … tổ chức Hội nghị người lao động"): the sentence counts half.
        in_sentence = dict((e.code, score) for e, score in self._scores(target.sentence, types))
        ranked = [(e, score + in_sentence.get(e.code, 0.0) / 2) for e, score in self._scores(target.text, types)]
        return sorted((pair for pair in ranked if pair[1] > 0), key=lambda pair: -pair[1])[:limit]

    def expressions(self, target: DraftTarget, draft: Draft) -> tuple[dict, dict | None, str]:
        where = {"kind": target.applies_to, **target.where}
        deadline = self.plan_deadline(target, draft)
        if deadline:
            return ({"plans_on_time": deadline.code}, {"plans_expected": deadline.code},
                    f"counted on the uploaded plans of the deadline {deadline.code}")
        element, score = self._chosen(target)
        if element is None:
            element = self._propose(target)
            note = f"new data element {element.code} proposed: name it, or map an existing one"
        elif target.element:
            note = f"data element {element.code} chosen by the reviewer"
        else:
            note = f"existing data element {element.code} suggested by the sentence's words ({score:.1f})"
        self._use(element.code, element)
        if target.unit == "count":
            return {"sum": element.code, "where": where}, None, note
        if target.unit == "average" or element.type == "boolean":
            aggregate = "sum" if element.type == "count" else "count"
            return {aggregate: element.code, "where": where}, {"units": where}, note
        base = self.bases.get(element.code)
        if base is None or base not in self.known:
            base_element = self._propose(target, base_of=element.code)
            note += f"; its base {base_element.code} proposed"
        else:
            base_element = self.known[base]
        self._use(base_element.code, base_element)
        return {"sum": element.code, "where": where}, {"sum": base_element.code, "where": where}, note

    TYPES = {"percent": ("boolean", "count"), "count": ("count",), "average": ("count",)}

    def _chosen(self, target: DraftTarget):
        """The reviewer's element when it fits the target's unit, else the best suggestion
        close enough (None: a new element is proposed)."""
        if target.element == "":
            return None, 0.0
        chosen = self.known.get(target.element or "")
        if chosen is not None and chosen.type in self.TYPES[target.unit]:
            return chosen, 0.0
        best = self.suggestions(target, limit=1)
        return best[0] if best and best[0][1] >= MATCH_THRESHOLD else (None, 0.0)

    def _scores(self, text: str, types: tuple[str, ...]):
        words = _bigrams(text)
        for element in self.known.values():
            if element.type in types:
                vocabulary = _bigrams(f"{element.label} {element.help}")
                yield element, len(words & vocabulary) / math.sqrt(len(vocabulary) or 1)

    def _propose(self, target: DraftTarget, base_of: str | None = None):
        from programs.definition import DataElement

        reporters = list(dict.fromkeys(
            "upper_union" if kind in UPPER else kind for kind in target.applies_to))
        boolean = target.unit == "percent" and base_of is None and not re.search(r"đoàn viên|người lao động|cán bộ|"
                                                                                  r"công nhân|thỏa ước", target.text)
        code = f"{target.code.lower()}_{'base' if base_of else 'value'}"
        label = ("Cơ sở tính (mẫu số): " if base_of else "") + _short(target.text, 70)
        return DataElement(code=code, label=label, help=f"Đề xuất từ câu: “{target.text}”", type="boolean" if boolean
                           else "count", reported_by=reporters, aggregation="count_true" if boolean else "sum",
                           **({} if boolean else {"min": 0}))

    def _use(self, code: str, element) -> None:
        if code not in self.used:
            data = element.model_dump(mode="json", exclude_defaults=True)
            data["type"], data["aggregation"] = element.type, element.aggregation
            if code not in self.known:
                data = {COMMENT: ["proposed: a new data element read from the sentence; check its name and type"],
                        **data}
            self.used[code] = data

    def chosen(self) -> list[dict]:
        return list(self.used.values())

    def rules(self) -> list[dict]:
        if not self.reference:
            return []
        return [rule.model_dump(mode="json") for rule in self.reference.validation_rules
                if rule.parsed.elements and all(name in self.used for name in rule.parsed.elements)]


# --- writing YAML with comments ---------------------------------------------------------------------

def render(data: dict, heading: list[str] | None = None) -> str:
    lines = [f"# {line}" for line in heading or []]
    _mapping(data, 0, lines)
    return "\n".join(lines) + "\n"


def _scalar(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _inline(value) -> bool:
    if isinstance(value, list):
        return all(not isinstance(v, dict | list) or (isinstance(v, dict) and not _nested(v)) for v in value) and \
            not any(isinstance(v, dict) for v in value) and len(_scalar(value)) < 100
    if isinstance(value, dict):
        return not _nested(value) or all(not isinstance(v, dict) or not _nested(v) for v in value.values()) and \
            COMMENT not in value and len(_scalar(value)) < 110
    return True


def _nested(value: dict) -> bool:
    return any(isinstance(v, dict | list) and v for v in value.values())


def _mapping(data: dict, indent: int, lines: list[str], first_prefix: str | None = None) -> None:
    pad = " " * indent
    for comment in data.get(COMMENT, []):
        lines.append(f"{pad}# {comment}")
    first = True
    for key, value in data.items():
        if key.startswith("_"):
            continue
        prefix = first_prefix if first and first_prefix is not None else pad
        first = False
        if _inline(value):
            lines.append(f"{prefix}{key}: {_scalar(value)}")
        elif isinstance(value, dict):
            lines.append(f"{prefix}{key}:")
            _mapping(value, indent + 2, lines)
        else:
            lines.append(f"{prefix}{key}:")
            _sequence(value, indent + 2, lines)


def _sequence(items: list, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict):
            for comment in item.get(COMMENT, []):
                lines.append(f"{pad}# {comment}")
            _mapping({k: v for k, v in item.items() if k != COMMENT}, indent + 2, lines, first_prefix=f"{pad}- ")
        else:
            lines.append(f"{pad}- {_scalar(item)}")


def draft_yaml(draft: Draft, reference: ProgramDefinition | None = None, source: str = "") -> str:
    counts = draft.counts()
    heading = [
        f"Draft program read from {source or 'a document'} by manage.py import_program (issue #19).",
        "Review every item marked 'unsure', name the proposed data elements, then check it with",
        "manage.py check_program and load it with manage.py load_program.",
        f"Found: {counts['sections']} sections, {counts['objectives']} objectives, {counts['targets']} targets, "
        f"{counts['tasks']} tasks. 'from A-B' is the item's span in the normalised document text.",
    ]
    return render(draft_data(draft, reference), heading)
