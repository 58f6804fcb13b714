"""Project-wide error pages. 403, 404 and 500 need no view: Django's own handlers render
templates/403.html, 404.html and 500.html (the last one without a context or the database)."""

from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.utils.translation import gettext as _

from tiendo.exceptions import ControlCharacterInRequest


def bad_request(request, exception):
    """A request refused before any view saw it, said in words instead of a bare "Bad Request":
    a form too large to read (Django's upload limit, checked by the CSRF middleware), an
    address with a control character (tiendo.middleware), anything else Django finds malformed."""
    back_to_form = isinstance(exception, RequestDataTooBig)
    if back_to_form:
        message = _("The text sent with the form is far too long: nothing was saved. "
                    "Shorten it and send the form again.")
    elif isinstance(exception, ControlCharacterInRequest):
        message = _("The address contains characters that no page of this site uses: "
                    "nothing was looked up. Check the link, or start again from the home page.")
    else:
        message = _("The request could not be understood: nothing was saved.")
    response = render(request, "400.html", {"message": message, "back_to_form": back_to_form}, status=400)
    response.refusal = str(message)  # what the API says instead of the page (api.errors.JsonErrors)
    return response


def help_page(request):
    """A short help for officers: how to report, what each status means, the abbreviations
    they meet, and (signed in) who approves their unit's reports and how to reach them. Open to
    everyone: it tells nothing about any unit but the user's own."""
    from django.utils.translation import get_language

    from reporting.models import Period, Report
    from units.models import Unit

    unit = getattr(request.user, "unit", None) if request.user.is_authenticated else None
    approver = Unit.objects.get_parent(unit) if unit is not None and not unit.is_root() else None
    language = "vi" if (get_language() or "vi").startswith("vi") else "en"
    return render(request, f"help/{language}.html", {
        "unit": unit, "approver": approver,
        "report_statuses": Report.Status.choices, "period_statuses": Period.Status.choices,
    })
