"""The one place that answers "may this user see or change this unit?".

Every view and query that touches units (and, later, anything attached to a unit: plans,
reports, indicators, documents) goes through these helpers, so the rule lives here once:
a user sees their own unit's subtree; a province administrator sees everything.
"""

from __future__ import annotations

from django.http import Http404

from accounts.models import Role, User
from units.models import Unit, UnitQuerySet


def visible_units(user: User) -> UnitQuerySet:
    """Units the user may see: their unit's subtree, everything for a province
    administrator, nothing for an anonymous user or a user bound to no unit."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_province_admin:
        return Unit.objects.all()
    if user.unit_id is None:
        return Unit.objects.none()
    return Unit.objects.subtree(user.unit)


def can_view_unit(user: User, unit: Unit) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_province_admin:
        return True
    return user.unit is not None and user.unit.contains(unit)


def can_edit_unit_data(user: User, unit: Unit) -> bool:
    """Reporters enter their own unit's data; approvers and administrators may too."""
    if user.is_province_admin:
        return True
    return user.role in (Role.REPORTER, Role.APPROVER) and can_view_unit(user, unit)


def can_approve_for(user: User, unit: Unit) -> bool:
    """An approver approves what the units directly below their own unit submit."""
    if user.is_province_admin:
        return True
    if user.role != Role.APPROVER or user.unit is None:
        return False
    return unit.depth == user.unit.depth + 1 and user.unit.contains(unit)


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
    if not user.is_authenticated:
        return False
    if user.is_province_admin:
        return True
    return bool(user.department) and user.role != Role.VIEWER and user.unit is not None and user.unit.is_root()


def can_manage_periods(user: User) -> bool:
    """Opening and closing reporting periods, and reopening sent reports, is the province's."""
    return user.is_authenticated and user.is_province_admin


def can_browse_audit_trail(user: User) -> bool:
    """The audit trail shows every unit's changes and who made them: province administrators only."""
    return user.is_authenticated and user.is_province_admin
