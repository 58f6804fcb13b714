"""Writes of the official documents, each in one transaction with its audit entry (Narrative
is followed by auditlog: its save() records the entry, inside the transaction).

Views check who may do what (accounts.permissions.can_write_narratives)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from exports.models import Narrative
from tiendo.formatting import moment, person


class StaleNarrative(Exception):
    """Someone saved the narrative since this copy was read."""

    def __init__(self, current: Narrative):
        self.current = current
        super().__init__(f"narrative {current.pk} saved by {current.updated_by} at {current.updated_at}")


def stale_message(current: Narrative) -> str:
    """The message that refuses a save based on an older copy, naming who saved last and when."""
    return _("%(who)s saved these narrative parts at %(when)s, after you opened them. Nothing of yours was "
             "saved. Your text is still in the form below: see theirs on the document's preview, then save "
             "again to replace it with yours.") % {
        "who": person(current.updated_by), "when": moment(current.updated_at)}


def do_save_narrative(narrative: Narrative, expected_version: int | None, by) -> Narrative:
    """Save `narrative` (its fields as the form set them), by `by`. An existing narrative is
    saved only if it is still at `expected_version` (the version the form was read at): of two
    writers holding the same version, the conditional UPDATE lets one through and the second
    gets StaleNarrative, as does a second first-writer (the unique constraint)."""
    narrative.updated_by = by
    try:
        with transaction.atomic():
            if narrative.pk is None:
                narrative.version = 0
            else:
                claimed = Narrative.objects.filter(pk=narrative.pk, version=expected_version).update(
                    version=F("version") + 1)
                if not claimed:
                    raise StaleNarrative(_current(narrative))
                narrative.version = expected_version + 1
            narrative.save()
    except IntegrityError:  # another first save of the same document came first
        raise StaleNarrative(_current(narrative)) from None
    return narrative


def _current(narrative: Narrative) -> Narrative:
    return Narrative.objects.select_related("updated_by").get(
        program=narrative.program_id, unit=narrative.unit_id, kind=narrative.kind, year=narrative.year)
