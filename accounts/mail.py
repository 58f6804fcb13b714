"""The mails of accounts: a new account's "set your password" link, made by the same mechanism
as a forgotten password's reset (Django's token generator and PasswordResetConfirmView), so the
link works once, for PASSWORD_RESET_TIMEOUT, and stops working once a password is set."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMessage, get_connection
from django.template import loader
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User

NEW_ACCOUNT_SUBJECT = "accounts/email/new_account_subject.txt"
NEW_ACCOUNT_BODY = "accounts/email/new_account_email.txt"


def link_context(user: User, request) -> dict:
    """What a reset mail's template needs, as Django's PasswordResetForm.save gives it."""
    site = get_current_site(request)
    return {
        "email": user.email, "domain": site.domain, "site_name": site.name, "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
    }


def send_set_password_mails(users: list[User], request, by: User) -> None:
    """One mail per new account, in the interface's default language (Vietnamese), over one
    connection to the mail server."""
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            context = {**link_context(user, request), "by": by}
            subject = "".join(loader.render_to_string(NEW_ACCOUNT_SUBJECT, context).splitlines())
            body = loader.render_to_string(NEW_ACCOUNT_BODY, context)
            messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    get_connection().send_messages(messages)
