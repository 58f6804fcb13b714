"""Throwaway settings to run the exports app before it is wired into tiendo.settings.

Delete this file (and urls_for_exports.py) once "exports" is in INSTALLED_APPS and its urls are
included in tiendo.urls. Until then the Vietnamese wording of the documents comes from
/tmp/tools/vi-exports.json, compiled here into a catalogue that takes precedence over locale/.
"""

import json
import struct
import tempfile
from pathlib import Path

from tiendo.settings import *  # noqa: F403
from tiendo.settings import INSTALLED_APPS, LOCALE_PATHS

INSTALLED_APPS = [*INSTALLED_APPS, "exports"]
ROOT_URLCONF = "exports.tests.urls_for_exports"


def _compile_mo(table: dict[str, str], path: Path) -> None:
    """Write a GNU .mo catalogue (what msgfmt would produce) for {msgid: msgstr}."""
    entries = {"": "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=1; plural=0;\n", **table}
    keys = sorted(entries)
    ids = [k.encode() for k in keys]
    strs = [entries[k].encode() for k in keys]
    start = 7 * 4 + 16 * len(keys)
    offsets, blob = [], b""
    for data in ids + strs:
        offsets.append((len(data), start + len(blob)))
        blob += data + b"\0"
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    table_bytes = b"".join(struct.pack("ii", length, offset) for length, offset in offsets)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + table_bytes + blob)


_SOURCE = Path("/tmp/tools/vi-exports.json")
if _SOURCE.exists():
    _folder = Path(tempfile.mkdtemp(prefix="tiendo-exports-locale-"))
    _compile_mo(json.loads(_SOURCE.read_text(encoding="utf-8")), _folder / "vi" / "LC_MESSAGES" / "django.mo")
    LOCALE_PATHS = [_folder, *LOCALE_PATHS]
