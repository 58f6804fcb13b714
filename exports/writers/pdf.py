"""A Document as PDF: the HTML the preview shows, printed by WeasyPrint with the page rules of
Decree 30 (A4, margins, page numbers centred in the top margin from page 2).

The font: Times New Roman where the machine has it, else a metric-compatible clone (Tinos,
Liberation Serif 2.x), provided it covers Vietnamese; otherwise Noto Serif. Liberation Serif
1.x (Debian's fonts-liberation) has no Vietnamese letters, and mixing it with a fallback
font letter by letter looks broken, so a font is only chosen if fontconfig says it covers
Vietnamese (`fc-list :lang=vi`).
"""

from __future__ import annotations

import functools
import shutil
import subprocess

from django.template.loader import render_to_string

from exports.document import Document

PREFERRED = ("Times New Roman", "Tinos", "Liberation Serif", "Noto Serif", "DejaVu Serif")
FALLBACK = "Noto Serif"


@functools.cache
def vietnamese_fonts() -> frozenset[str]:
    """Font families installed on this machine that cover Vietnamese (fontconfig's view)."""
    if not shutil.which("fc-list"):
        return frozenset()
    try:
        listing = subprocess.run(["fc-list", ":lang=vi", "family"], capture_output=True, text=True, timeout=20,
                                 check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in listing.splitlines() for name in line.split(","))


def pdf_font() -> str:
    available = vietnamese_fonts()
    return next((family for family in PREFERRED if family in available), FALLBACK)


def font_family_css(first: str) -> str:
    return ", ".join(f'"{family}"' for family in dict.fromkeys([first, *PREFERRED])) + ", serif"


def render_html(document: Document) -> str:
    return render_to_string("exports/pdf.html", {"document": document, "font_family": font_family_css(pdf_font())})


def write_pdf(document: Document) -> bytes:
    from weasyprint import HTML  # imported here: only PDF output needs WeasyPrint (and pango)

    return HTML(string=render_html(document)).write_pdf()
