"""Documents without waiting: a document asked for is built once by the job worker
(exports.jobs), kept as a file, and given to every later request until its data change.

What a document is built from, its `source`, is cheap to compute (three small queries): the
data stamp of the reports it reads (reporting.stamps), the version of its narrative, its date
of issue (today's when none is saved: the document prints it), and the program's latest
revision. A request whose source matches a build made or under way gets that build, whoever
asked for it; any other source means the data changed, and a new build is queued. The unique
constraint on DocumentBuild makes two requests at the same moment build it once.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from exports import limits
from exports.builder import check_choice, document_periods
from exports.jobs import build_document_file
from exports.models import DocumentBuild, Narrative
from programs.models import Program
from reporting.stamps import data_stamp
from units import placement
from units.models import Unit


class TooManyBuilds(Exception):
    """The user already has DOCUMENT_BUILDS_PER_USER builds waiting or under way."""


def document_source(program: Program, unit: Unit, kind: str, year: int) -> str:
    narrative = (Narrative.objects.filter(program=program, unit=unit, kind=kind, year=year)
                 .values("pk", "version", "issued_on").first())
    issued_on = (narrative or {}).get("issued_on") or timezone.localdate()
    revision = program.revisions.aggregate(latest=Max("pk"))["latest"] or 0
    parts = [
        f"data {data_stamp(document_periods(program, kind, year), unit).version}",
        f"narrative {narrative['pk']}.{narrative['version']}" if narrative else "narrative -",
        f"issued {issued_on.isoformat()}",
        f"program {program.pk}.{revision}",
    ]
    return " · ".join(parts)


def request_build(user, program: Program, unit: Unit, kind: str, year: int, fmt: str,
                  view: str = placement.THEN) -> DocumentBuild:
    """The build of this document from its data as they are now: the one made or under way, or
    a new one queued for the worker. Raises TooManyBuilds when the user's own builds fill their
    slots (exports.limits), DocumentChoiceError for a document that cannot be made."""
    check_choice(program, unit, kind, year)
    key = {"program": program, "unit": unit, "kind": kind, "year": year, "format": fmt, "view": view,
           "source": document_source(program, unit, kind, year)}
    build = DocumentBuild.objects.filter(**key).first()
    if build is not None and (limits.is_under_way(build) or (build.done and _file_kept(build))):
        return build
    build, ours = _new(key, user) if build is None else _again(build, user)
    if not ours:
        return build  # another request made it, or queued it again, at the same moment
    if limits.over_the_limit(user, build):
        build.delete()
        raise TooManyBuilds
    build_document_file.enqueue(build.pk)
    return build


def _new(key: dict, user) -> tuple[DocumentBuild, bool]:
    """A new build, and whether this request made it."""
    try:
        with transaction.atomic():
            return DocumentBuild.objects.create(**key, requested_by=user, requested_at=timezone.now()), True
    except IntegrityError:  # the same document from the same data, asked for at the same moment
        return DocumentBuild.objects.get(**key), False


def _again(build: DocumentBuild, user) -> tuple[DocumentBuild, bool]:
    """A failed build, one its worker lost, or one whose file is gone, queued again for `user`,
    and whether this request did it (one conditional UPDATE: of two requests at once, one wins)."""
    ours = DocumentBuild.objects.filter(pk=build.pk, state=build.state, requested_at=build.requested_at).update(
        state=DocumentBuild.State.QUEUED, requested_by=user, requested_at=timezone.now(), started_at=None,
        finished_at=None, attempts=0, error="")
    build.refresh_from_db()
    return build, bool(ours)


def _file_kept(build: DocumentBuild) -> bool:
    return bool(build.file) and build.file.storage.exists(build.file.name)


def queue_ahead(build: DocumentBuild) -> int:
    """How many documents the worker will build before this one."""
    return DocumentBuild.objects.filter(limits.under_way(), requested_at__lt=build.requested_at).count()
