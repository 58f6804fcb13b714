"""Text helpers for Vietnamese: one way to fold names so that search ignores diacritics, one
way to clean the text people type or paste before it is compared or stored, and one way to
shorten a unit's name where space is short (a phone's table or chart)."""

import re
import unicodedata

from django import forms

# Đ/đ is a separate letter, not D plus a combining mark, so NFD leaves it alone.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})
# Line breaks as programs write them: Windows' \r\n, old Macs' \r, Word's manual line break
# (vertical tab), page breaks, Unicode's line and paragraph separators.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Characters no keyboard types but copy-and-paste brings: control characters (PostgreSQL
# refuses NUL; .docx and .xlsx files cannot hold most of them, so a document with one would
# fail to build), the byte-order mark, zero-width spaces and the bidirectional overrides that
# make text read differently from how it is stored.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b\ufeff\u202a-\u202e\u2066-\u2069]")


def fold(text: str) -> str:
    """Lower-case ASCII form of Vietnamese text: "Châu Đốc" -> "chau doc".

    Works on both composed (NFC) and decomposed (NFD) input, so names typed on different
    keyboards fold to the same string. Runs of whitespace become one space.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def clean_text(text: str, multiline: bool = True) -> str:
    """Text as it is compared and stored, whatever keyboard or program it came from.

    Composed Unicode (NFC): "Trường" typed on a keyboard that sends decomposed letters (NFD)
    becomes the same string as the one typed on a keyboard that sends composed ones, so it
    compares equal, counts the same length and exports the same. Line breaks become "\\n";
    control and invisible characters are dropped; outer whitespace is stripped. Single-line
    text (names, numbers, codes, cells) also has every run of whitespace made one space.
    """
    text = _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", text))
    lines = [line.rstrip() for line in text.split("\n")] if multiline else [" ".join(text.split())]
    return unicodedata.normalize("NFC", "\n".join(lines).strip())


class CleanCharField(forms.CharField):
    """A form's text field whose value is cleaned by `clean_text` before it is checked (so
    that a length limit counts composed letters) and stored: multi-line when its widget is a
    Textarea, single-line otherwise."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return clean_text(value, multiline=isinstance(self.widget, forms.Textarea)) or self.empty_value


def keep_as_words(cell):
    """A spreadsheet cell (openpyxl) whose text starts with "=" stays text, never a formula a
    spreadsheet program would run: openpyxl reads any such string as a formula. Returns the
    cell. Every cell written from what people typed or named (unit names, labels, values)
    goes through here."""
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


# The glossary's abbreviations (/work/shared/GLOSSARY.md, the help page's list), longest first so
# that "Công đoàn cơ sở" becomes "CĐCS", not "CĐ cơ sở"; the place kinds as FACTS.md writes the
# district-level units (TP Long Xuyên, TX Tân Châu).
_ABBREVIATIONS = [(re.compile(rf"\b{words}\b", re.IGNORECASE), short) for words, short in (
    ("Tổng Liên đoàn Lao động", "Tổng LĐLĐ"),
    ("Liên đoàn Lao động", "LĐLĐ"),
    ("Công đoàn cơ sở", "CĐCS"),
    ("Công đoàn các Khu công nghiệp", "CĐ các KCN"),
    ("Khu công nghiệp", "KCN"),
    ("Công đoàn", "CĐ"),
    ("doanh nghiệp nhà nước", "DNNN"),
    ("ngoài nhà nước", "ngoài NN"),
    ("người lao động", "NLĐ"),
    ("thành phố", "TP"),
    ("thị xã", "TX"),
    ("trách nhiệm hữu hạn", "TNHH"),
    ("một thành viên", "MTV"),
)]


def abbreviated_name(name: str, short_name: str = "") -> str:
    """A unit's name as a phone's table or chart shows it: its own short name when it has one,
    else its name with the glossary's abbreviations ("Công đoàn cơ sở Công ty TNHH Bảo Giang"
    → "CĐCS Công ty TNHH Bảo Giang", "Liên đoàn Lao động thị xã Tân Châu" → "LĐLĐ TX Tân
    Châu"). Never cut: what is left stays whole, so a name never loses its distinguishing end."""
    if short_name:
        return short_name
    text = unicodedata.normalize("NFC", name)
    for words, short in _ABBREVIATIONS:
        text = words.sub(short, text)
    return " ".join(text.split())
