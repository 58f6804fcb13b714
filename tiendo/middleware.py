"""Project-wide request handling that is configuration rather than domain logic."""

from django.conf import settings


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
