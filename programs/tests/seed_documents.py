"""A program's text turned into an official document by the project's own writers
(exports.writers), for the reader's tests: one paragraph of the text is one paragraph of
the document, headings as the writers set them, "- **Mục tiêu:** …" with its label in bold,
"Nơi nhận" and the signature in the document's foot. The text's own defects stay (a
paragraph broken across a blank line is two paragraphs here too)."""

from __future__ import annotations

import datetime
import re

from exports.document import Document, Heading, Paragraph, Signature

ROMAN = re.compile(r"^[IVX]+\.\s")
LEVEL_3 = re.compile(r"^\d+\.\d+\.\s")
LEVEL_2 = re.compile(r"^\d+\.\s")
LEAD = re.compile(r"^(-\s*)\*\*(?P<lead>[^*]+)\*\*\s*(?P<rest>.*)$")


def program_document(text: str, *, issuing_body: str = "LIÊN ĐOÀN LAO ĐỘNG TỈNH AN GIANG") -> Document:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    first_section = next(i for i, b in enumerate(blocks) if ROMAN.match(b))
    foot = next(i for i, b in enumerate(blocks) if b.startswith("Nơi nhận"))
    head = blocks[:first_section]
    title_lines = head[0].split("\n")
    preamble = head[1:]
    body = [Paragraph(p) for p in preamble] + [_block(b) for b in blocks[first_section:foot]]
    recipients = [line for block in blocks[foot + 1:] if block.startswith("-") for line in block.split("\n")]
    signature_lines = [b.replace("**", "") for b in blocks[foot + 1:] if not b.startswith("-")]
    on_behalf, title = signature_lines[0].split("\n")
    return Document(
        kind="program", year=2021, years=[2021], unit_code="province",
        superior_body="TỔNG LĐLĐ VIỆT NAM", issuing_body=issuing_body, number_line="Số: 05/CTr-LĐLĐ",
        national_title="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", national_motto="Độc lập - Tự do - Hạnh phúc",
        place_date="An Giang, ngày 15 tháng 01 năm 2021", issued_on=datetime.date(2021, 1, 15),
        document_type=title_lines[0], subject=title_lines[1:], body=body, closing="",
        recipients_label="Nơi nhận:", recipients=recipients,
        signature=Signature(on_behalf, title, signature_lines[-1]), filename="chuong-trinh",
        title=" ".join(title_lines))


def _block(text: str):
    text = " ".join(text.split("\n"))
    if ROMAN.match(text):
        return Heading(text, 1)
    if LEVEL_3.match(text):
        return Heading(text, 3)
    if LEVEL_2.match(text):
        return Heading(text, 2)
    if match := LEAD.match(text):
        return Paragraph(match["rest"], lead=f"- {match['lead']}")
    return Paragraph(text)
