"""Project-wide error pages."""

from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults


def bad_request(request, exception):
    """A form too large to read is refused before any view sees it (Django's upload limit,
    checked by the CSRF middleware): say so in words, instead of a bare "Bad Request"."""
    if isinstance(exception, RequestDataTooBig):
        message = _("The text sent with the form is far too long: nothing was saved. "
                    "Shorten it and send the form again.")
        return render(request, "400.html", {"message": message}, status=400)
    return defaults.bad_request(request, exception)
