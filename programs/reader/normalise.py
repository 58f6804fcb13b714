"""Raw document text → the normalised text every span of a draft points into.

What changes, and why:
- Unicode NFC: a document typed with decomposed marks ("e" + U+0301) reads like one typed
  with precomposed letters, so words compare equal;
- invisible characters (zero-width spaces, BOM, soft hyphens) go; no-break and other spaces
  become one plain space; bold markers ("**", "__") go, their words stay;
- a paragraph wrapped over several lines (a PDF's lines, text pasted from one, or a page
  break that left a blank line mid-sentence) is joined with one space, a word hyphenated at
  the end of a line ("feab-" / "ook") without one.

What does not change: the words. Typos ("Phân đấu", "Phần đầu") and bullets ("-", "+",
"•") are kept as written; the reader recognises them, it never corrects them.
"""

from __future__ import annotations

import re
import unicodedata

INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
BOLD_MARKERS = re.compile(r"\*\*|__")
BULLET = re.compile(r"^[-+•●▪◦–—*]\s")
# A numbered heading or list item ("I.", "2.", "2.1.", "a)").
NUMBERED = re.compile(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*\.|[a-zđ]\))\s")
# Where the heading of a document ends and its body begins: the preamble's first words, or
# the first part ("I. …").
BODY_START = re.compile(r"^(?:Căn cứ|Thực hiện|Để|Nhằm|Theo|Triển khai|Quán triệt|[IVX]+\.\s)")
SENTENCE_END = ".;:!?…”\"’)"
HEAD_LINE = 90  # characters: a longer line is body text, whatever it opens with
WRAP_MIN = 45  # characters: a line shorter than this ended on purpose (a title, a name)


def normalise(raw: str) -> str:
    """The document's text, one logical paragraph a line, paragraphs apart by a blank line."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    # A soft hyphen at a line's end marks a word broken there: join the halves.
    text = re.sub("\u00ad[ \t]*\n[ \t]*", "", text)
    text = BOLD_MARKERS.sub("", text.translate(INVISIBLE))
    lines = [SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n\n".join(_paragraphs(lines))


def _paragraphs(lines: list[str]) -> list[str]:
    """Group lines into paragraphs: a blank line separates them unless the sentence goes on
    across it; inside a block of lines, a wrapped line joins the one before."""
    paragraphs: list[str] = []
    in_head = True
    after_blank = True
    last_line = ""  # the last line as written, before joining
    for line in lines:
        if not line:
            after_blank = True
            continue
        in_head = in_head and not BODY_START.match(line) and len(line) <= HEAD_LINE
        if paragraphs and _continues(last_line, line, after_blank, in_head):
            paragraphs[-1] = _join(paragraphs[-1], line)
        else:
            paragraphs.append(line)
        last_line = line
        after_blank = False
    return paragraphs


def _continues(last_line: str, line: str, after_blank: bool, in_head: bool) -> bool:
    """Does `line` go on with the paragraph whose last line is `last_line`? Lists, headings,
    the heading block and short lines in capitals (a signature) never do. Inside a block of
    lines, a line follows a long one (a wrapped paragraph, as pasted from a PDF). Across a
    blank line (a page break), a line opening in lower case goes on with one that has no
    final punctuation, and a word hyphenated at the break is joined."""
    if in_head or BULLET.match(line) or NUMBERED.match(line) or _capitals(last_line):
        return False
    hyphenated = last_line.endswith("-") and not last_line.endswith(" -") and line[:1].islower()
    if not after_blank:
        return hyphenated or len(last_line) >= WRAP_MIN
    if NUMBERED.match(last_line):
        return False  # a heading ends where its line ends
    return hyphenated or (last_line[-1:] not in SENTENCE_END and line[:1].islower())


def _join(previous: str, line: str) -> str:
    if previous.endswith("-") and not previous.endswith(" -") and line[:1].islower():
        return previous[:-1] + line
    return f"{previous} {line}"


def _capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)
