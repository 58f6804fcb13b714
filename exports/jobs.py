"""The job that builds a document for exports.building (run by the job worker, jobs.queue)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from exports.builder import build_document
from exports.document import Document
from exports.models import PREVIEW, DocumentBuild
from exports.writers import WRITERS
from jobs.queue import is_last_attempt, job


@job(takes_context=True)
def build_document_file(context, build_id: int) -> str:
    """Build the document of DocumentBuild `build_id` and store its file. Safe to run twice: a
    build already done (or removed since) is left as it is."""
    build = DocumentBuild.objects.select_related("program", "unit").filter(pk=build_id).first()
    if build is None or build.done:
        return "nothing to do"
    DocumentBuild.objects.filter(pk=build.pk).update(state=DocumentBuild.State.BUILDING, started_at=timezone.now(),
                                                     attempts=context.attempt)
    try:
        document = build_document(build.program, build.unit, build.kind, build.year, view=build.view)
        content = _content(document, build.format)
    except Exception as error:
        state = DocumentBuild.State.FAILED if is_last_attempt(context) else DocumentBuild.State.QUEUED
        DocumentBuild.objects.filter(pk=build.pk).update(state=state, error=f"{type(error).__name__}: {error}"[:2000])
        raise
    _store(build, document, content)
    return build.file.name


def _content(document: Document, fmt: str) -> bytes:
    if fmt == PREVIEW:
        return render_to_string("exports/_document.html", {"document": document}).encode()
    return WRITERS[fmt].write(document)


def _store(build: DocumentBuild, document: Document, content: bytes) -> None:
    """Keep the file, then remove the files of the same document built from older data."""
    extension = PREVIEW if build.format == PREVIEW else WRITERS[build.format].extension
    build.file.save(f"{build.unit.code}-{build.kind}-{build.year}-{build.view}-{build.pk}.{extension}",
                    ContentFile(content),
                    save=False)
    DocumentBuild.objects.filter(pk=build.pk).update(
        state=DocumentBuild.State.DONE, file=build.file.name, finished_at=timezone.now(), error="",
        filename=f"{document.filename}.{extension}", title=document.title[:500], data_stamp=document.data_stamp[:300])
    older = (DocumentBuild.objects.filter(program=build.program, unit=build.unit, kind=build.kind, year=build.year,
                                          format=build.format, view=build.view)
             .exclude(pk=build.pk).exclude(state__in=(DocumentBuild.State.QUEUED, DocumentBuild.State.BUILDING)))
    for old in older:
        if old.file:
            old.file.delete(save=False)
    older.delete()
