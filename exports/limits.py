"""How many official documents one user may have built at the same time.

A document is built in the request (exports.builder, then a writer): a district's PDF keeps a
worker busy for seconds, and four PDFs asked for at once by one user held four of the five
workers while everybody else's light pages waited 18 s. So a user gets at most
DOCUMENT_BUILDS_PER_USER builds at a time; one more is refused at once with 429 and a
"please wait" page, and the user simply tries again when the first is done. (Building in a
background job queue is the real fix, for later.)

The builds in progress are rows of DocumentBuild, so every worker process sees them. A row
that its request never removed (a worker killed by its timeout) stops counting after
STALE_AFTER.
"""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from exports.models import DocumentBuild

STALE_AFTER = datetime.timedelta(minutes=5)  # longer than gunicorn's timeout (gunicorn.conf.py)
RETRY_AFTER_SECONDS = 10


def _claim(user) -> DocumentBuild | None:
    """A build slot for the user, or None when their earlier builds fill every slot. The row
    is written first and then counted, so two requests at the same moment cannot both slip
    through: the earlier rows win."""
    build = DocumentBuild.objects.create(user=user)
    live = DocumentBuild.objects.filter(user=user, started_at__gte=timezone.now() - STALE_AFTER)
    if live.filter(pk__lt=build.pk).count() >= settings.DOCUMENT_BUILDS_PER_USER:
        build.delete()
        return None
    return build


def one_build_at_a_time(view):
    """Decorates a view that builds a document (after login_required)."""

    @functools.wraps(view)
    def limited(request, *args, **kwargs):
        DocumentBuild.objects.filter(started_at__lt=timezone.now() - STALE_AFTER).delete()
        build = _claim(request.user)
        if build is None:
            response = render(request, "429.html", {"message": _(
                "A document you asked for is still being built. Please wait until it is ready, "
                "then open this one again.")}, status=429)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        try:
            return view(request, *args, **kwargs)
        finally:
            build.delete()

    return limited
