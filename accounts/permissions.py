"""The one place that answers "may this user see or change this unit?".

Every view and query that touches units (and, later, anything attached to a unit: plans,
reports, indicators, documents) goes through these helpers, so the rule lives here once:
a user sees their own unit's subtree; a province administrator sees everything.

Who may change what (the README's "Who may do what" table says the same):
* a reporter enters and submits their OWN unit's report, spreadsheet and plan, nothing else;
* an approver may do the same for their own unit, and approves or returns the reports of the
  units directly below; for a union directly below that has no officer to do it, the approver
  may also type its report or upload its plan — recorded as entered on behalf of that union;
* the province administrator may enter any unit's data (a correction after a reopening, a
  union with nobody to do it), recorded as on behalf, approves or returns any report, and
  opens, closes and reopens periods and reports;
* nobody approves a report they entered or submitted themselves: the approval needs a second
  person (separation of duties), the administrator included;
* a viewer reads their subtree and changes nothing (but their own name, email and password);
* a unit's contact person, phone and email are changed by whoever enters the unit's own data
  and belongs to it (can_edit_unit_contact);
* accounts are given in bulk by the province administrator (any unit; approver, reporter or
  viewer) and by an approver (the units below their own; reporter or viewer): grantable_roles,
  can_create_accounts_at;
* the users of a unit closed today (merged, split, dissolved) change nothing: their accounts are
  read-only; the users of its successor also read the closed unit's subtree (its history).
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from accounts.models import Role, User
from reporting.history import was_entered_by
from units.models import Unit, UnitQuerySet


def _predecessors(unit: Unit) -> list[Unit]:
    """The units this one succeeded (merged into it, split off to it, dissolved onto it), and
    theirs, back to the first: one query per generation, kept on the unit object (a request's
    user.unit) so that a page asking many times asks the database once."""
    cached = getattr(unit, "_predecessors", None)
    if cached is not None:
        return cached
    found: list[Unit] = []
    frontier = {unit.pk}
    while frontier:
        generation = list(Unit.objects.filter(successions__successor_id__in=frontier).exclude(
            pk__in=[u.pk for u in found] + [unit.pk]).distinct())
        found += generation
        frontier = {u.pk for u in generation}
    unit._predecessors = found
    return found


def is_read_only(user: User) -> bool:
    """The account of a unit closed today changes nothing (it reads what it read before)."""
    return user.is_authenticated and user.unit_id is not None and not user.unit.is_valid_on(timezone.localdate())


def visible_units(user: User) -> UnitQuerySet:
    """Units the user may see: their unit's subtree, everything for a province
    administrator, nothing for an anonymous user or a user bound to no unit."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_province_admin:
        return Unit.objects.all()
    if user.unit_id is None:
        return Unit.objects.none()
    visible = Unit.objects.subtree_q(user.unit)
    for predecessor in _predecessors(user.unit):
        visible |= Unit.objects.subtree_q(predecessor)
    return Unit.objects.filter(visible)


def home_unit(user: User) -> Unit | None:
    """The unit a user's pages open on when none is asked for: their own unit; for a province
    administrator bound to no unit, the province (the root); None for anyone who sees nothing."""
    if user.is_authenticated and user.unit_id:
        return user.unit
    return visible_units(user).filter(depth=1).first()


def visible_ancestors(user: User, unit: Unit) -> list[Unit]:
    """The unit's ancestors, root first, that the user may see (the breadcrumbs above a page)."""
    return [ancestor for ancestor in Unit.objects.get_ancestors(unit) if can_view_unit(user, ancestor)]


def can_view_unit(user: User, unit: Unit) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_province_admin:
        return True
    if user.unit is None:
        return False
    return user.unit.contains(unit) or any(p.contains(unit) for p in _predecessors(user.unit))


def _directly_below(upper: Unit, unit: Unit) -> bool:
    return unit.depth == upper.depth + 1 and upper.contains(unit)


def can_edit_unit_data(user: User, unit: Unit) -> bool:
    """May the user type this unit's report, import its rows or upload its plan?

    A reporter or approver of the unit itself; an approver of the unit directly above (on
    behalf of a union with nobody to do it); the province administrator. Not a reporter of an
    upper-level union for the units below it: they enter their own union's data only."""
    if not user.is_authenticated or is_read_only(user):
        return False
    if user.is_province_admin:
        return True
    if user.role not in (Role.REPORTER, Role.APPROVER) or user.unit is None:
        return False
    if unit.pk == user.unit_id:
        return True
    return user.role == Role.APPROVER and _directly_below(user.unit, unit)


def is_on_behalf(user: User | None, unit_id: int) -> bool:
    """A write by someone who is not of the unit itself (an approver above, the province):
    the report's trail says it was entered on behalf of the unit. Takes the unit's id, so that
    reporting.actions asks it without loading the unit."""
    return user is not None and user.unit_id != unit_id


def can_approve_for(user: User, unit: Unit) -> bool:
    """Decisions on a unit's reports: the approver of the unit directly above, or the
    province administrator (who steps in where the unit above has no approver). The unit above
    is today's parent: a grassroots union moved under a ward union has its reports, those of
    before the move included, decided by the ward union."""
    if not user.is_authenticated or is_read_only(user):
        return False
    if user.is_province_admin:
        return True
    if user.role != Role.APPROVER or user.unit is None:
        return False
    return _directly_below(user.unit, unit)


def units_decided_by(user: User) -> UnitQuerySet:
    """The units whose reports the user decides on (can_approve_for, as a query): every unit for
    the province administrator, the units directly below today for an approver, none else."""
    if not user.is_authenticated or is_read_only(user):
        return Unit.objects.none()
    if user.is_province_admin:
        return Unit.objects.all()
    if user.role != Role.APPROVER or user.unit is None:
        return Unit.objects.none()
    return Unit.objects.subtree(user.unit).filter(depth=user.unit.depth + 1)


def can_decide_reports(user: User) -> bool:
    """Whether the user decides on anyone's reports at all (the approver's queue is theirs)."""
    if not user.is_authenticated or is_read_only(user):
        return False
    return user.is_province_admin or (user.role == Role.APPROVER and user.unit_id is not None)


def can_return_report(user: User, report) -> bool:
    """Sending a report back for correction: whoever decides on the unit's reports."""
    return can_approve_for(user, report.unit)


def can_approve_report(user: User, report) -> bool:
    """Approving needs a second person: whoever decides on the unit's reports, but never on a
    report they typed into or submitted themselves (on behalf of the unit, or after reopening it)."""
    return can_approve_for(user, report.unit) and not was_entered_by(report, user)


def get_visible_unit_or_404(user: User, code: str) -> Unit:
    """The unit with this code if the user may see it. A unit outside the user's subtree
    answers 404, exactly like a unit that does not exist, so codes cannot be probed."""
    try:
        return visible_units(user).get(code=code)
    except Unit.DoesNotExist:
        raise Http404 from None


def can_follow_tasks(user: User) -> bool:
    """Staff of the provincial federation record how the program's tasks are going:
    the province administrator, and department staff at the province who are not mere viewers."""
    if not user.is_authenticated or is_read_only(user):
        return False
    if user.is_province_admin:
        return True
    return bool(user.department) and user.role != Role.VIEWER and user.unit is not None and user.unit.is_root()


def can_manage_periods(user: User) -> bool:
    """Opening and closing reporting periods, and reopening sent reports, is the province's."""
    return user.is_authenticated and user.is_province_admin and not is_read_only(user)


def can_write_narratives(user: User, unit: Unit) -> bool:
    """The province's documents are written by its administrator or its department staff
    (not mere viewers); an upper-level union's by whoever enters that union's data."""
    if unit.is_root():
        return can_manage_periods(user) or can_follow_tasks(user)
    return can_edit_unit_data(user, unit)


def can_reorganise(user: User) -> bool:
    """Preparing, applying and undoing a reorganisation batch (the tree of the whole province)
    is the province administrator's."""
    return user.is_authenticated and user.is_province_admin and not is_read_only(user)
def can_send_reminders(user: User) -> bool:
    """The reminders page (who was reminded when) and reminding missing units by hand: the
    province's, like opening and closing periods."""
    return can_manage_periods(user)


def can_browse_audit_trail(user: User) -> bool:
    """The audit trail shows every unit's changes and who made them: province administrators only."""
    return user.is_authenticated and user.is_province_admin


def can_import_program(user: User) -> bool:
    """Reading a new program from its document and reviewing the draft is the province's."""
    return user.is_authenticated and user.is_province_admin


def can_edit_unit_contact(user: User, unit: Unit) -> bool:
    """A unit's contact person, phone and email (the profile page): someone who enters the
    unit's own data (its reporter or approver, or the province administrator for the province)
    and belongs to the unit itself. Not a viewer, and not an upper-level union for the units
    below it: each union keeps its own contact up to date."""
    return user.is_authenticated and unit.pk == user.unit_id and can_edit_unit_data(user, unit)


# Bulk accounts from a spreadsheet (accounts.bulk): who may give accounts, and which roles.
# The province administrator, for any unit, as approver, reporter or viewer; an approver, for
# the units below their own (not their own unit: its colleagues are the level above's to give),
# as reporter or viewer only (nobody gives a role that approves). Nobody gives the province
# administrator's role from a file: that one is set in the admin, one person at a time.
def grantable_roles(user: User) -> tuple[str, ...]:
    if not user.is_authenticated:
        return ()
    if user.is_province_admin:
        return (Role.APPROVER, Role.REPORTER, Role.VIEWER)
    if user.role == Role.APPROVER and user.unit_id is not None:
        return (Role.REPORTER, Role.VIEWER)
    return ()


def can_create_accounts_in(user: User, root: Unit) -> bool:
    """May the user open the bulk-accounts page of `root` (for units of its subtree)?"""
    return bool(grantable_roles(user)) and can_view_unit(user, root)


def can_create_accounts_at(user: User, unit: Unit) -> bool:
    """May the user give accounts (of the roles they may give) at `unit`?"""
    if not grantable_roles(user):
        return False
    if user.is_province_admin:
        return True
    return unit.pk != user.unit_id and user.unit.contains(unit)


def can_create_account_for(user: User, unit: Unit, role: str) -> bool:
    """May the user give an account with `role` at `unit`?"""
    return role in grantable_roles(user) and can_create_accounts_at(user, unit)
