"""Project-wide request handling that is configuration rather than domain logic."""

import logging
import re

from django.conf import settings
from django.utils.cache import add_never_cache_headers

from tiendo.exceptions import ControlCharacterInRequest
from tiendo.views import bad_request

security_log = logging.getLogger("django.security.ControlCharacterInRequest")


class DefaultLanguageMiddleware:
    """Speak the site's language (Vietnamese) unless the user chose another.

    Django's LocaleMiddleware would otherwise follow the browser's Accept-Language, and a
    union officer whose phone is set to English would get an English site. An explicit
    choice (the language switch in the footer sets a cookie) still wins."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


# C0 controls and DEL: no link of ours holds one, no keyboard types one into an address, and
# PostgreSQL refuses NUL in any text it is asked to compare (the query fails with a 500).
_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f]")


class RejectControlCharactersMiddleware:
    """Refuse a request whose path or query string holds a control character (`%00` …)
    before any view looks something up with it. One check here instead of one in every URL
    converter, lookup and filter, the admin's included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _CONTROL_CHARACTERS.search(request.path_info) or any(
            _CONTROL_CHARACTERS.search(key) or _CONTROL_CHARACTERS.search(value)
            for key, values in request.GET.lists() for value in values
        ):
            # Answered here, not raised: Django would log a whole traceback for each such probe.
            security_log.warning("control character in the address: %r", request.get_full_path()[:200])
            return bad_request(request, ControlCharacterInRequest())
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user are never stored by the browser or a proxy: on a shared
    phone, the back button after logging out must not show the last user's reports."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
