"""Accounts that help themselves: a forgotten password reset by email (throttled), the profile
page (the user's own name and email; their unit's contact), and accounts in bulk from a
spreadsheet. Password change and the reset's later steps are Django's own views (accounts.urls).

Who may do what is decided by accounts.permissions."""

from __future__ import annotations

import logging
import smtplib

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.actions import (
    AccountsTaken,
    StaleContact,
    contact_of,
    contact_version,
    do_create_accounts,
    do_update_profile,
    do_update_unit_contact,
)
from accounts.bulk import build_template, pending_key, plan_accounts, template_filename
from accounts.forms import AccountsUploadForm, ProfileForm, ResetRequestForm, UnitContactForm
from accounts.mail import send_set_password_mails
from accounts.permissions import (
    can_create_accounts_in,
    can_edit_unit_contact,
    get_visible_unit_or_404,
    grantable_roles,
    home_unit,
)
from accounts.throttle import count_reset_request, reset_address_is_paused
from reporting.spreadsheets import MAX_UPLOAD_BYTES, XLSX_CONTENT_TYPE
from reporting.uploads import PendingUpload, new_token, stash_upload, take_upload
from tiendo.uploads import SizeLimitHandler

logger = logging.getLogger(__name__)


# --- a forgotten password ----------------------------------------------------------------------------
class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, throttled (accounts.throttle): an address asking too often is answered
    429; an email address asked for too often gets no more mail, and the same answer as any
    other ("if an account has this address, a mail is on its way"), whether or not an account
    has it."""

    form_class = ResetRequestForm
    template_name = "accounts/password/reset_form.html"
    email_template_name = "accounts/email/reset_email.txt"
    subject_template_name = "accounts/email/reset_subject.txt"

    def post(self, request, *args, **kwargs):
        if reset_address_is_paused(request):
            return render(request, "429.html", {"message": _(
                "Many password resets were asked for from this network address in the last hour. Wait an hour, "
                "or ask the administrator of your upper-level union to set a new password.")}, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if count_reset_request(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a new password also lifts the account's login lockout (django-axes): the
    wrong passwords it counted were the old one's, and the officer who just proved they hold
    the mailbox should not wait 15 minutes to log in."""

    template_name = "accounts/password/reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


# --- the profile page ----------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The user's own name and email (editable), role and unit (read-only), and, for whoever
    may, their unit's contact."""
    user = request.user
    form = ProfileForm(request.POST or None, user=user,
                       initial={"full_name": user.get_full_name(), "email": user.email})
    if request.method == "POST":
        if form.is_valid():
            do_update_profile(user, form.cleaned_data["full_name"], form.cleaned_data["email"])
            messages.success(request, _("Your name and email address are saved."))
            return redirect("profile")
        return _profile_page(request, form=form, status=400)
    return _profile_page(request, form=form)


@login_required
@require_POST
def unit_contact(request: HttpRequest) -> HttpResponse:
    """Save the contact of the user's own unit, over the copy the form was read from."""
    unit = request.user.unit
    if unit is None or not can_edit_unit_contact(request.user, unit):
        raise PermissionDenied
    form = UnitContactForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, contact_form=form, status=400)
    values = {field: form.cleaned_data[field] for field in ("contact_name", "phone", "email")}
    try:
        do_update_unit_contact(unit, values, form.cleaned_data["version"])
    except StaleContact as stale:
        # The form keeps what was typed, at the version now stored: saving again replaces theirs.
        form = UnitContactForm({**values, "version": contact_version(stale.current)})
        return _profile_page(request, contact_form=form, stale=stale, status=409)
    messages.success(request, _("The contact of %(unit)s is saved.") % {"unit": unit.name})
    return redirect("profile")


def _profile_page(request, form=None, contact_form=None, stale=None, status=200) -> HttpResponse:
    user = request.user
    unit = user.unit
    may_edit_contact = unit is not None and can_edit_unit_contact(user, unit)
    if may_edit_contact and contact_form is None:
        contact_form = UnitContactForm(initial={**contact_of(unit), "version": contact_version(unit)})
    if form is None:
        form = ProfileForm(user=user, initial={"full_name": user.get_full_name(), "email": user.email})
    context = {"form": form, "contact_form": contact_form, "unit": unit, "may_edit_contact": may_edit_contact,
               "stale": stale, "may_create_accounts": bool(grantable_roles(user)),
               "contact_first": bool(stale or (contact_form is not None and contact_form.errors))}
    return render(request, "accounts/profile.html", context, status=status)


# --- accounts in bulk from a spreadsheet ---------------------------------------------------------------
def _bulk_unit(request: HttpRequest, unit_code: str):
    root = get_visible_unit_or_404(request.user, unit_code)
    if not can_create_accounts_in(request.user, root):
        raise PermissionDenied
    return root


@login_required
@require_GET
def bulk_home(request: HttpRequest) -> HttpResponse:
    """The bulk-accounts page of the user's own unit."""
    unit = home_unit(request.user)
    if unit is None or not can_create_accounts_in(request.user, unit):
        raise PermissionDenied
    return redirect("accounts_bulk", unit.code)


@login_required
@require_GET
def bulk_template(request: HttpRequest, unit_code: str) -> HttpResponse:
    root = _bulk_unit(request, unit_code)
    response = HttpResponse(build_template(request.user, root), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{template_filename(root)}"'
    return response


# CSRF is checked in _bulk_upload, after the size-limiting upload handler is in place.
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def bulk(request: HttpRequest, unit_code: str) -> HttpResponse:
    """The page to download the template and upload it back; after an upload, the preview."""
    root = _bulk_unit(request, unit_code)
    if request.method != "POST":
        return _bulk_page(request, root, AccountsUploadForm())
    # A little over the limit, so that a file just over it still arrives and is named too large.
    limiter = SizeLimitHandler(request, MAX_UPLOAD_BYTES + 1)
    request.upload_handlers.insert(0, limiter)
    return _bulk_upload(request, root, limiter)


@csrf_protect
def _bulk_upload(request: HttpRequest, root, limiter: SizeLimitHandler) -> HttpResponse:
    form = AccountsUploadForm(request.POST, request.FILES, too_large=limiter.too_large)
    if not form.is_valid():
        return _bulk_page(request, root, form, status=400)
    upload = form.cleaned_data["file"]
    upload.seek(0)
    content = upload.read()
    plan = plan_accounts(content, request.user, root)
    token = ""
    if plan.ok:
        token = new_token()
        stash_upload(request.user, token, PendingUpload(content, 0, pending_key(root), False, {}))
    return _bulk_page(request, root, AccountsUploadForm(), plan, stage="preview", token=token,
                      status=200 if plan.ok else 400)


@login_required
@require_POST
def bulk_confirm(request: HttpRequest, unit_code: str) -> HttpResponse:
    """The second step: check the file again (accounts may have been made since) and create
    every account of it, or none."""
    root = _bulk_unit(request, unit_code)
    pending = take_upload(request.user, request.POST.get("token", ""), 0, pending_key(root))
    if pending is None:
        return _bulk_page(request, root, AccountsUploadForm(), status=400, gone=_(
            "This file is no longer waiting to be confirmed (it was confirmed already, or more than an hour went "
            "by). Upload it again."))
    plan = plan_accounts(pending.content, request.user, root)
    if not plan.ok:
        return _bulk_page(request, root, AccountsUploadForm(), plan, stage="preview", status=400)
    try:
        users = do_create_accounts(plan.accounts)
    except AccountsTaken:
        return _bulk_page(request, root, AccountsUploadForm(), status=409, gone=_(
            "An account with one of the file's email addresses was created meanwhile. Nothing was created: upload "
            "the file again to see which."))
    try:
        send_set_password_mails(users, request, request.user)
    except (OSError, smtplib.SMTPException):  # the accounts stand; their people can ask for a link
        logger.exception("the set-password mails of %s new accounts could not be sent", len(users))
        messages.warning(request, _(
            "The accounts are created, but the mails with their links could not be sent (the mail server did not "
            "answer). Each person can ask for a link with “Forgot your password?” on the login page."))
    return _bulk_page(request, root, AccountsUploadForm(), plan, stage="saved", created=len(users))


def _bulk_page(request, root, form, plan=None, stage="", token="", gone="", created=0, status=200) -> HttpResponse:
    context = {"unit": root, "form": form, "plan": plan, "stage": stage, "token": token, "gone": gone,
               "created": created, "confirm_url": reverse("accounts_bulk_confirm", args=[root.code])}
    return render(request, "accounts/bulk.html", context, status=status)
