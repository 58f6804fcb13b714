"""What the reader makes of a document: a draft program, every item with the span of the
normalised text it came from and how sure the reader is of it.

`Draft.text` is the normalised document (programs.reader.normalise); for every item,
`draft.text[item.span.start:item.span.end] == item.text`, so a reviewer can be shown the
exact words each item was read from.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

SURE = 0.75  # below this the draft file marks the item for review


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Passage:
    """A verbatim piece of the document: a paragraph, an objective, a preamble line …"""

    text: str
    span: Span
    confidence: float = 0.95
    notes: list[str] = field(default_factory=list)


@dataclass
class DraftTask:
    code: str
    text: str
    span: Span
    responsible: list[str]
    responsible_text: str
    department: str | None
    deadline: datetime.date | None = None
    deadlines: list[str] = field(default_factory=list)
    confidence: float = 0.9
    notes: list[str] = field(default_factory=list)


@dataclass
class DraftTarget:
    """A quantitative sentence read as a target: `value` compared with `comparison`, in
    `unit`, over `period`, measured on units of `applies_to` (narrowed by `where`)."""

    code: str
    text: str
    span: Span
    comparison: str
    value: int | float
    unit: str
    period: str
    applies_to: list[str]
    where: dict = field(default_factory=dict)
    deadline: datetime.date | None = None
    accumulate: str | None = None
    scope: str = "unit"
    confidence: float = 0.9
    notes: list[str] = field(default_factory=list)
    sentence: str = ""  # the whole sentence the target was split from (its shared verb)
    element: str | None = None  # the reviewer's numerator element ("": a new one); None: suggest

    def reading(self) -> str:
        """The target in words (English; the review page says it in Vietnamese)."""
        return (f"{self.comparison} {self.value} {self.unit}, {self.period}"
                f"{f' {self.deadline:%d/%m/%Y}' if self.deadline else ''}, of {', '.join(self.applies_to)}"
                f"{f' {self.where}' if self.where else ''}")


@dataclass
class DraftDeadline:
    code: str
    text: str
    span: Span
    due: datetime.date
    applies_to: list[str]
    confidence: float = 0.85


@dataclass
class DraftSection:
    number: str
    title: str
    span: Span
    level: int
    paragraphs: list[Passage] = field(default_factory=list)
    objectives: list[Passage] = field(default_factory=list)
    target_statements: list[Passage] = field(default_factory=list)
    targets: list[DraftTarget] = field(default_factory=list)
    tasks: list[DraftTask] = field(default_factory=list)
    children: list[DraftSection] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Signature:
    on_behalf: Passage | None = None
    title: Passage | None = None
    signer: Passage | None = None


@dataclass
class Draft:
    text: str
    document_type: Passage | None = None
    title_lines: list[Passage] = field(default_factory=list)
    superior_body: Passage | None = None
    issuing_unit: Passage | None = None
    number_line: Passage | None = None
    place_date: Passage | None = None
    preamble: list[Passage] = field(default_factory=list)
    sections: list[DraftSection] = field(default_factory=list)
    deadlines: list[DraftDeadline] = field(default_factory=list)
    recipients: list[Passage] = field(default_factory=list)
    signature: Signature = field(default_factory=Signature)
    term_start: int | None = None
    term_end: int | None = None

    def walk_sections(self):
        for section in self.sections:
            yield from section.walk()

    @property
    def targets(self) -> list[DraftTarget]:
        return [target for section in self.walk_sections() for target in section.targets]

    @property
    def tasks(self) -> list[DraftTask]:
        return [task for section in self.walk_sections() for task in section.tasks]

    @property
    def objectives(self) -> list[Passage]:
        return [objective for section in self.walk_sections() for objective in section.objectives]

    def counts(self) -> dict[str, int]:
        return {"sections": sum(1 for _ in self.walk_sections()), "objectives": len(self.objectives),
                "targets": len(self.targets), "tasks": len(self.tasks)}
