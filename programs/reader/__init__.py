"""Reading a program from its document (.txt, .docx, .pdf) into a draft program (issue #19).

    extract     the file's words, in reading order (python-docx, pypdf)
    normalise   → the normalised text every span points into
    structure   → heading block, preamble, section tree, objectives, tasks, "Nơi nhận", signature
    targets     → candidate targets and the deadlines tasks set
    responsibility  who carries out each task, which department follows it
    draft_file  → a program file `check_program` reads, unsure items marked in comments
    score       a draft compared with the expected program file, item by item
"""

from pathlib import Path

from programs.reader.draft import Draft
from programs.reader.extract import extract_text
from programs.reader.normalise import normalise
from programs.reader.structure import read_structure
from programs.reader.targets import read_targets


def read_text(raw: str) -> Draft:
    """A draft program from a document's raw text."""
    return read_normalised(normalise(raw))


def read_normalised(text: str) -> Draft:
    """A draft from text already normalised (the review page keeps that text between its
    requests: reading it again gives the same draft, item for item)."""
    draft = read_structure(text)
    read_targets(draft)
    return draft


def read_document(path: Path) -> Draft:
    """A draft program from a .txt, .docx or .pdf file (UnreadableDocument when it cannot be read)."""
    return read_text(extract_text(Path(path)))
