"""Login throttling on top of django-axes' own rule; and, at the end, the throttling of
"forgot my password" requests.

django-axes locks one account from one address after AXES_FAILURE_LIMIT wrong passwords
(AXES_LOCKOUT_PARAMETERS). It cannot, with one failure limit, also catch password spraying:
one address trying one or two passwords on each of many accounts. This handler adds that
rule: an address from which logins to LOGIN_ADDRESS_USERNAME_LIMIT different accounts have
failed within the cool-off window is paused as a whole, for every account, until the oldest
of those failures is older than the window.

Officers behind one mobile carrier's shared address do not add up: an account's failures
are forgotten when that account then logs in (AXES_RESET_ON_SUCCESS), so a colleague's typo
followed by the right password counts for nothing here. Only failures that no right password
followed count, and only one per account, however often it was retried.
"""

from __future__ import annotations

import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.utils import timezone

from tiendo.proxy import client_address


def failed_usernames_from(request) -> int:
    """How many accounts have failed logins from this request's address, not since followed
    by a right password, within the cool-off window."""
    return (AccessAttempt.objects
            .filter(ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request),
                    failures_since_start__gt=0)
            .values("username").distinct().count())


class AddressThrottleHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes' database handler, plus the per-address rule above."""

    def address_is_locked(self, request) -> bool:
        locked = failed_usernames_from(request) >= settings.LOGIN_ADDRESS_USERNAME_LIMIT
        if locked:
            request.axes_address_locked = True  # the lockout page says why (registration/locked_out.html)
        return locked

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self.address_is_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False) or self.is_whitelisted(request, credentials):
            return
        if self.address_is_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send("axes", request=request, username=credentials.get("username"),
                                 ip_address=request.axes_ip_address)


# --- "Forgot my password" --------------------------------------------------------------------
# Each request is counted (accounts.models.PasswordResetRequest, in the database so that every
# server process sees the same counts) per address and per email address typed, over an hour:
# - an address past PASSWORD_RESETS_PER_ADDRESS_HOUR is answered 429 (it says nothing about any
#   account: every request from it counts, whatever address was typed);
# - an email address past PASSWORD_RESETS_PER_EMAIL_HOUR gets no more mail, and the page answers
#   exactly as always, so the limit neither floods a mailbox nor tells whether an account exists.
RESET_WINDOW = datetime.timedelta(hours=1)


def reset_address_is_paused(request) -> bool:
    """Has this request's address asked for PASSWORD_RESETS_PER_ADDRESS_HOUR resets this hour?"""
    from accounts.models import PasswordResetRequest

    recent = PasswordResetRequest.objects.filter(address=client_address(request),
                                                 requested_at__gte=timezone.now() - RESET_WINDOW)
    return recent.count() >= settings.PASSWORD_RESETS_PER_ADDRESS_HOUR


def count_reset_request(request, email: str) -> bool:
    """Record a reset request for `email`; True while that email address is within its hourly
    limit (send the mail), False past it (send nothing). Requests older than the window are
    dropped on the way: the table never holds more than an hour of them."""
    from accounts.models import PasswordResetRequest

    email = email.strip().lower()
    since = timezone.now() - RESET_WINDOW
    PasswordResetRequest.objects.filter(requested_at__lt=since).delete()
    earlier = PasswordResetRequest.objects.filter(email=email, requested_at__gte=since).count()
    PasswordResetRequest.objects.create(address=client_address(request), email=email)
    return earlier < settings.PASSWORD_RESETS_PER_EMAIL_HOUR
