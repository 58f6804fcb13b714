"""The page on which a user makes and revokes their personal API tokens (linked from the profile)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from api.models import ApiToken
from api.tokens import create_token, revoke_token

DAY_CHOICES = [(30, gettext_lazy("30 days")), (90, gettext_lazy("90 days")), (365, gettext_lazy("one year"))]


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What the token is for"), max_length=80,
                           help_text=gettext_lazy("For example: “Phần mềm của huyện”."))
    days = forms.TypedChoiceField(label=gettext_lazy("Valid for"), choices=DAY_CHOICES, coerce=int, initial=90)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _token, secret = create_token(request.user, form.cleaned_data["name"], form.cleaned_data["days"])
            form = TokenForm()
        else:
            status = 400
    return render(request, "api/tokens.html", {
        "form": form, "secret": secret, "tokens": ApiToken.objects.filter(user=request.user)}, status=status)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404  # another user's token is no business of this one
    revoke_token(token, request.user)
    messages.success(request, _("The token “%(name)s” is revoked: it opens nothing any more.") % {"name": token.name})
    return redirect("api:tokens")
