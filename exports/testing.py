"""Helpers for tests that ask for documents (imported by test modules, never by the app)."""

from __future__ import annotations

from jobs.testing import run_jobs


def fetch_built(client, url: str, **extra):
    """A document's page or file as a user gets it once the job worker has built it: the
    first request queues the build (and answers with the progress page), the worker runs,
    and the same request again answers with the document."""
    first = client.get(url, **extra)
    if first.status_code != 200 or "build-status" not in _text(first):
        return first
    run_jobs()
    return client.get(url, **extra)


def _text(response) -> str:
    if getattr(response, "streaming", False) or not response.get("Content-Type", "").startswith("text/html"):
        return ""
    return response.content.decode()


def file_bytes(response) -> bytes:
    """The bytes of a document file served (a streamed FileResponse)."""
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
