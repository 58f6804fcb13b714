"""Uploaded spreadsheets waiting for their uploader to confirm them. (The handler that stops an
upload at its size limit, for plans and spreadsheets alike, is tiendo.uploads.)"""

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# --- an uploaded spreadsheet waiting for its uploader's confirmation ---------------------------
# The preview and the confirmation are two requests: between them the file waits on disk, under
# MEDIA_ROOT (never served: the project has no media URL) in a folder of its uploader, named by
# a random token. Not in the session: a file may be 5 MB, and the session is read on every
# request. A token only opens a file in its uploader's own folder, for the page it was
# uploaded on, for an hour.
PENDING_FOLDER = "pending-spreadsheets"
PENDING_MAX_AGE = 60 * 60  # seconds
PENDING_PER_USER = 5
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True)
class PendingUpload:
    content: bytes
    period_id: int
    root: str  # the unit code of the page it was uploaded on
    submit: bool
    versions: dict[str, int]  # each row's report version as the preview showed it


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 32 characters


def _folder(user) -> Path:
    return Path(settings.MEDIA_ROOT) / PENDING_FOLDER / str(int(user.pk))


def stash_upload(user, token: str, pending: PendingUpload) -> None:
    """Keep the file until its uploader confirms; the user's older pending files are dropped."""
    folder = _folder(user)
    folder.mkdir(parents=True, exist_ok=True)
    _prune(folder)
    meta = {"period": pending.period_id, "root": pending.root, "submit": pending.submit,
            "versions": pending.versions}
    for suffix, data in ((".xlsx", pending.content), (".json", json.dumps(meta).encode())):
        temporary = folder / f"{token}{suffix}.part"
        temporary.write_bytes(data)
        os.replace(temporary, folder / f"{token}{suffix}")


def take_upload(user, token: str, period_id: int, root: str) -> PendingUpload | None:
    """The file `user` uploaded under `token` on this page, removed from the disk; None if
    there is none (a wrong or forged token, another page's, already confirmed, expired)."""
    if not TOKEN.match(token or ""):
        return None
    folder = _folder(user)
    paths = folder / f"{token}.xlsx", folder / f"{token}.json"
    try:
        fresh = time.time() - paths[0].stat().st_mtime < PENDING_MAX_AGE
        content, meta = paths[0].read_bytes(), json.loads(paths[1].read_bytes())
    except (OSError, ValueError):
        return None
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
    if not fresh or meta.get("period") != period_id or meta.get("root") != root:
        return None
    return PendingUpload(content, period_id, root, bool(meta.get("submit")),
                         {str(k): int(v) for k, v in meta.get("versions", {}).items()})


def _prune(folder: Path) -> None:
    """Drop pending files past their age, and all but the newest few of the user's."""
    files = sorted(folder.glob("*.xlsx"), key=lambda p: p.stat().st_mtime, reverse=True)
    now = time.time()
    for index, path in enumerate(files):
        if index >= PENDING_PER_USER - 1 or now - path.stat().st_mtime >= PENDING_MAX_AGE:
            path.unlink(missing_ok=True)
            path.with_suffix(".json").unlink(missing_ok=True)
