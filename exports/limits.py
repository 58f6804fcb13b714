"""How many official documents one user may have the job worker build at the same time.

Documents are built by the job worker (exports.jobs), not in the request, so a build no longer
holds a web worker (four PDFs asked for at once used to hold four of the five, and everybody
else's light pages waited 18 s). But the worker builds one document at a time, and one user
asking for twenty would make everybody else wait behind them. So a user may have
DOCUMENT_BUILDS_PER_USER builds waiting or under way: 3 by default, the .docx, the .pdf and the
.xlsx of one report at once. One more is refused at once with 429 and a "please wait" page.
Asking for a document already built, or already being built for anybody, starts nothing and is
never refused.

A build its worker never finished (a worker killed mid-build) stops counting after STALE_AFTER,
and the next request for that document queues it again.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from exports.models import DocumentBuild

# Longer than a queue of a few documents takes, and than a failing build's retries (jobs.queue).
STALE_AFTER = datetime.timedelta(minutes=15)
RETRY_AFTER_SECONDS = 10
UNDER_WAY = (DocumentBuild.State.QUEUED, DocumentBuild.State.BUILDING)


def under_way() -> Q:
    """Builds waiting for the worker or being built, and not lost."""
    return Q(state__in=UNDER_WAY, requested_at__gte=timezone.now() - STALE_AFTER)


def is_under_way(build: DocumentBuild) -> bool:
    return build.state in UNDER_WAY and build.requested_at >= timezone.now() - STALE_AFTER


def over_the_limit(user, build: DocumentBuild) -> bool:
    """Whether the user's builds asked for before `build` fill every slot. `build` is written
    first and then the earlier ones are counted, so two requests at the same moment cannot both
    slip through: the earlier rows win."""
    earlier = Q(requested_at__lt=build.requested_at) | Q(requested_at=build.requested_at, pk__lt=build.pk)
    others = DocumentBuild.objects.filter(under_way(), earlier, requested_by=user).exclude(pk=build.pk)
    return others.count() >= settings.DOCUMENT_BUILDS_PER_USER


def please_wait(request):
    response = render(request, "429.html", {"message": _(
        "The documents you asked for are still being built. Please wait until one of them is ready, "
        "then open this one again.")}, status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
