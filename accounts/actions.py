"""Writes of the accounts app, each in one transaction with its audit entry (User and Unit are
followed by auditlog: their save() records the entry, naming the request's user, inside the
transaction). Views check who may do what (accounts.permissions)."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEntry
from tiendo.formatting import moment, person
from units.models import Unit

if TYPE_CHECKING:
    from accounts.bulk import NewAccount

CONTACT_FIELDS = ("contact_name", "phone", "email")


def do_update_profile(user: User, full_name: str, email: str) -> User:
    """The user's own name and email address. The full name is kept whole in first_name (as the
    demo and the spreadsheet of accounts keep it): Vietnamese names do not split in two."""
    with transaction.atomic():
        user.first_name, user.last_name, user.email = full_name, "", email
        user.save(update_fields=["first_name", "last_name", "email"])
    return user


# --- a unit's contact, saved only over the copy it was read from -------------------------------------
def contact_of(unit: Unit) -> dict[str, str]:
    return {field: getattr(unit, field) for field in CONTACT_FIELDS}


def contact_version(unit: Unit) -> str:
    """What the contact looked like when a form was read: a digest of its three fields. Unit has
    no version column (its model is the units app's); the digest tells the same, since the
    contact is these three fields and nothing else."""
    return hashlib.sha256(json.dumps(contact_of(unit), sort_keys=True).encode()).hexdigest()


class StaleContact(Exception):
    """The unit's contact changed since the form was read."""

    def __init__(self, current: Unit, last_change: AuditEntry | None):
        self.current, self.last_change = current, last_change
        super().__init__(f"contact of {current.code} changed since it was read")

    def message(self) -> str:
        """The refusal, naming who saved last and when (the audit trail's latest entry)."""
        entry = self.last_change
        who = entry.actor if entry and entry.actor else None
        if entry is None:
            return _("The unit's contact changed after you opened this page. Nothing of yours was saved: check "
                     "the contact as it is now, then save again.")
        return _("%(who)s changed the unit's contact at %(when)s, after you opened this page. Nothing of yours "
                 "was saved. The contact as it is now is shown above the form, your text is still in the form: "
                 "check it, then save again to replace theirs.") % {
            "who": person(who) if who else (entry.actor_name or person(None)), "when": moment(entry.timestamp)}


def do_update_unit_contact(unit: Unit, values: dict[str, str], seen_version: str) -> Unit:
    """Save the unit's contact person, phone and email, if they are still as they were when the
    form was read (`seen_version`); otherwise StaleContact, and nothing is saved. The row is
    locked while it is compared and saved (SELECT … FOR UPDATE on PostgreSQL; SQLite's
    transactions here take the write lock as they begin), so of two officers saving at once the
    second compares against the first's save. The caller has checked that the request's user
    may (accounts.permissions.can_edit_unit_contact); auditlog's middleware names them in the
    entry."""
    with transaction.atomic():
        current = Unit.objects.select_for_update().get(pk=unit.pk)
        if contact_version(current) != seen_version:
            raise StaleContact(current, AuditEntry.objects.get_for_object(current).select_related("actor").first())
        changed = [field for field in CONTACT_FIELDS if getattr(current, field) != values[field]]
        for field in changed:
            setattr(current, field, values[field])
        if changed:
            current.save(update_fields=changed)
    return current


# --- accounts in bulk (accounts.bulk) ---------------------------------------------------------------
class AccountsTaken(Exception):
    """An account with one of the file's email addresses was created since the file was checked."""


def do_create_accounts(accounts: list[NewAccount]) -> list[User]:
    """Create every account of a checked file, or none (one transaction). Each has no usable
    password: its person sets one from the "set your password" mail the caller sends once this
    has returned (accounts.mail.send_set_password_mails), so that a mail server that is down
    undoes nothing. The caller has checked the file (accounts.bulk.plan_accounts) just before."""
    try:
        with transaction.atomic():
            return [_new_account(account) for account in accounts]
    except IntegrityError:  # the same login was created meanwhile (the unique username)
        raise AccountsTaken from None


def _new_account(account: NewAccount) -> User:
    user = User(username=account.email, email=account.email, first_name=account.full_name, unit=account.unit,
                role=account.role)
    user.set_unusable_password()
    user.save()
    return user
