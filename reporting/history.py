"""A report's history, read from the audit trail.

Every step of a report (saved, imported, submitted, approved, returned, reopened, locked at
closing) is recorded once: one audit entry about the report, written by reporting.actions in
the step's own transaction (audit.trail), holding who, when, from which address, the step
(additional_data["event"]), its comment, whether it was entered on behalf of the unit, and each
changed value before → after. The report's page, the second-person rule of approval and the
message refusing a stale write all read those entries; nothing else records a step.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from audit.models import AuditEntry
from reporting.models import Report, shown_value
from tiendo.formatting import moment, person

# Keys of an entry's changes that are not a data element's value: the status a move changed,
# and a value's explanation ("members · comment").
STATUS_KEY, COMMENT_SUFFIX = "status", " · comment"


@dataclass
class ValueChange:
    element: str
    label: str
    before: object
    after: object

    @property
    def before_text(self) -> str:
        return shown_value(self.before)

    @property
    def after_text(self) -> str:
        return shown_value(self.after)


@dataclass
class HistoryStep:
    """One step as the report's page shows it."""

    step: str
    at: datetime.datetime
    by: object  # the account, or None if it was removed or a command acted
    actor_name: str
    comment: str = ""
    on_behalf: bool = False
    changes: list[ValueChange] = field(default_factory=list)

    @property
    def label(self) -> str:
        return Report.Step(self.step).label

    @property
    def who(self) -> str:
        return (self.by.get_full_name() or self.by.get_username()) if self.by else self.actor_name


def steps_of_reports(report_ids) -> QuerySet[AuditEntry]:
    """The audit entries of the steps of these reports (ids), latest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Report), object_id__in=list(report_ids),
        additional_data__event__in=Report.Step.values,
    ).order_by("-timestamp", "-id")


def entries_of(report: Report) -> QuerySet[AuditEntry]:
    """The audit entries of the report's steps, latest first."""
    return steps_of_reports([report.pk])


def _value_changes(changes: dict, labels: dict[str, str]) -> list[ValueChange]:
    """The values a step changed, in the form's order (`labels`' order; a JSON column need not
    keep the keys' order), the explanations and the status left out."""
    codes = [code for code in changes if code != STATUS_KEY and not code.endswith(COMMENT_SUFFIX)]
    order = {code: position for position, code in enumerate(labels)}
    codes.sort(key=lambda code: order.get(code, len(order)))
    return [ValueChange(code, labels.get(code, code), *changes[code]) for code in codes]


def history(report: Report, labels: dict[str, str], limit: int) -> list[HistoryStep]:
    """The report's latest `limit` steps, latest first, in one query; `labels` names the data
    elements ({code: label}, in the form's order)."""
    if report.pk is None:
        return []
    steps = []
    for entry in entries_of(report).select_related("actor")[:limit]:
        details = entry.additional_data or {}
        steps.append(HistoryStep(
            step=details["event"], at=entry.timestamp, by=entry.actor, actor_name=entry.actor_name,
            comment=details.get("comment", ""), on_behalf=bool(details.get("on_behalf")),
            changes=_value_changes(entry.changes or {}, labels),
        ))
    return steps


def entering_steps(user) -> QuerySet[AuditEntry]:
    """The steps in which the user put values into a report (typed, imported, submitted): the
    second-person rule's one query, also used as a subquery (reports the user may not approve)."""
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Report), actor=user,
                                     additional_data__event__in=Report.ENTERING)


def was_entered_by(report: Report, user) -> bool:
    """Whether the user typed into, imported or submitted the report (at any time)."""
    if report.pk is None or not user.is_authenticated:
        return False
    return entering_steps(user).filter(object_id=report.pk).exists()


def last_change(report: Report) -> dict[str, str]:
    """Who made the report's latest step and when, as the message refusing a stale write names
    them: {"who": "Nguyễn Văn A", "when": "14:05 01/12/2026"}."""
    latest = entries_of(report).select_related("actor").first() if report.pk else None
    if latest is None:
        return {"who": person(None), "when": moment(report.updated_at) if report.updated_at else ""}
    return {"who": person(latest.actor) if latest.actor else latest.actor_name or person(None),
            "when": moment(latest.timestamp)}
