"""The hierarchy of union units that carries out a program.

Units form one tree (materialized path, django-treebeard): the provincial federation at the
root, upper-level unions below it, grassroots unions at the leaves. A subtree is every row
whose path starts with the unit's path, so "this unit and everything under it" is one
indexed SQL query however large the tree. Units are never deleted once they have history:
they get a `valid_to` date instead, because reports stay attached to the unit that made them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from units import lookups  # noqa: F401  (registers `__under` on every CharField)
from units.text import fold

TERM_BEGINNING = datetime.date(2000, 1, 1)


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Provincial federation")
    DISTRICT = "district", _("District federation")
    SECTOR = "sector", _("Sector union")
    INDUSTRIAL_ZONE = "industrial_zone", _("Industrial-zones union")
    GRASSROOTS = "grassroots", _("Grassroots union")
    # "Công đoàn xã, phường, đặc khu": formed in 2025 when the district level was abolished.
    COMMUNE = "commune", _("Commune, ward or special-zone union")


# "Công đoàn cấp trên trực tiếp cơ sở": the unions directly above grassroots unions.
UPPER_UNION_KINDS = (UnitKind.DISTRICT, UnitKind.SECTOR, UnitKind.INDUSTRIAL_ZONE, UnitKind.COMMUNE)

# A unit's path in the tree of a past day (UnitLink.path) is its ancestors' ids and its own,
# each written in this many digits: an id never changes and is never reused, so a path of
# 2023 can never be confused with another unit's path of 2026 (treebeard's steps can).
LINK_STEP = 8


class Ownership(models.TextChoices):
    STATE = "state", _("State-owned enterprise")
    NON_STATE = "non_state", _("Non-state enterprise")
    PUBLIC_SECTOR = "public_sector", _("Public agency or service unit")


ENTERPRISE_OWNERSHIPS = (Ownership.STATE, Ownership.NON_STATE)


class UnitQuerySet(MP_NodeQuerySet):
    def subtree(self, unit: Unit) -> UnitQuerySet:
        """The unit itself and every unit below it, in one query."""
        return self.filter(**self.subtree_lookup(unit))

    @staticmethod
    def subtree_lookup(unit: Unit, field: str = "path") -> dict[str, str]:
        """Keyword arguments of filter(): rows whose `field` (a unit's path, e.g.
        "report__unit__path", or a stored path such as a rollup's "parent_path") lies in the
        unit's subtree (the `__under` lookup of units.lookups). Keyword arguments, not a Q, so that the query
        keeps the order of its conditions (the engine's SQL is measured)."""
        return {f"{field}__under": unit.path}

    def subtree_q(self, unit: Unit, field: str = "path") -> Q:
        """subtree_lookup as a Q, to combine with others."""
        return Q(**self.subtree_lookup(unit, field))

    def valid_during(self, start: datetime.date, end: datetime.date) -> UnitQuerySet:
        """Units that existed on at least one day of [start, end]."""
        return self.filter(valid_from__lte=end).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))

    def active(self, on: datetime.date | None = None) -> UnitQuerySet:
        on = on or timezone.localdate()
        return self.valid_during(on, on)

    def grassroots(self) -> UnitQuerySet:
        return self.filter(kind=UnitKind.GRASSROOTS)

    def tree_on(self, day: datetime.date) -> UnitQuerySet:
        """The tree of that day: the units valid on it, each annotated with `then_path` (its
        path in that day's tree, UnitLink.path) and `then_parent_id`."""
        links = UnitLink.objects.on(day).filter(unit=models.OuterRef("pk"))
        return self.active(day).annotate(
            then_path=models.Subquery(links.values("path")[:1]),
            then_parent_id=models.Subquery(links.values("parent_id")[:1]),
        )

    def search(self, query: str) -> UnitQuerySet:
        """Units whose name, short name or code contains every word of the query,
        ignoring case and Vietnamese diacritics ("chau doc" finds "Châu Đốc")."""
        qs = self
        for word in fold(query).split():
            qs = qs.filter(search_name__contains=word)
        return qs


def is_large_enterprise(ownership: str, workers: int) -> bool:
    """"Doanh nghiệp có đông lao động": an enterprise (state or non-state employer) with at
    least settings.LARGE_ENTERPRISE_WORKERS workers. The one rule; the README states it."""
    return ownership in ENTERPRISE_OWNERSHIPS and (workers or 0) >= settings.LARGE_ENTERPRISE_WORKERS


def large_enterprise_q() -> Q:
    """is_large_enterprise as a filter over units."""
    return Q(ownership__in=ENTERPRISE_OWNERSHIPS, workers__gte=settings.LARGE_ENTERPRISE_WORKERS)


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):
    def get_queryset(self) -> UnitQuerySet:
        # treebeard's manager hard-codes its own queryset class; keep its path order, use ours.
        return UnitQuerySet(self.model, using=self._db).order_by("path")


class Unit(MP_Node):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, db_index=True)
    admin_code = models.CharField(_("administrative code"), max_length=10, blank=True)
    valid_from = models.DateField(_("valid from"), default=TERM_BEGINNING)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    # What the program's targets filter and divide by (meaningful for grassroots unions).
    ownership = models.CharField(_("employer ownership"), max_length=20, choices=Ownership.choices, blank=True)
    workers = models.PositiveIntegerField(_("workers"), default=0)
    members = models.PositiveIntegerField(_("union members"), default=0)
    officers = models.PositiveIntegerField(_("union officers"), default=0)
    # Derived, never entered: an enterprise (state or non-state) with at least
    # settings.LARGE_ENTERPRISE_WORKERS workers (see is_large_enterprise). Kept on the row
    # because the rolled-up values group by it; set on every save and bulk insert, and
    # recomputed for every unit by `manage.py sync_large_enterprises` when the setting changes.
    large_enterprise = models.BooleanField(_("large enterprise"), default=False, editable=False)

    # Kept by units.history, never entered. A unit closed by a reorganisation (merged, split,
    # dissolved) is not expected in the period it closed in: its successor reports for what it
    # took over. `carried_onto` is the open unit whose place its figures take in the "as it is
    # now" view (its primary successor, chains followed); None for a unit still open, or one
    # closed without a successor (it drops out of that view).
    closed_in_reorganisation = models.BooleanField(_("closed by a reorganisation"), default=False, editable=False)
    carried_onto = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
                                     related_name="+", verbose_name=_("carried onto"))

    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    # Folded name, short name and code: what the diacritic-insensitive search looks in.
    search_name = models.CharField(max_length=400, editable=False, db_index=True)

    objects = UnitManager()

    class Meta:
        verbose_name = _("union unit")
        verbose_name_plural = _("union units")
        indexes = [models.Index(fields=["kind", "valid_from", "valid_to"])]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def search_text(name: str, short_name: str, code: str) -> str:
        return " ".join(part for part in (fold(name), fold(short_name), code.lower()) if part)

    def save(self, *args, **kwargs):
        self.search_name = self.search_text(self.name, self.short_name, self.code)
        self.large_enterprise = is_large_enterprise(self.ownership, self.workers)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "short_name", "code"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"ownership", "workers"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "large_enterprise"}
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("A unit cannot close before it opens.")
        if self.members > self.workers and self.kind == UnitKind.GRASSROOTS:
            errors["members"] = _("Union members cannot outnumber workers.")
        if self.ownership and self.kind != UnitKind.GRASSROOTS:
            errors["ownership"] = _("Only a grassroots union has an employer ownership.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_grassroots(self) -> bool:
        return self.kind == UnitKind.GRASSROOTS

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    @classmethod
    def path_length(cls, depth: int) -> int:
        """The length of the path of a unit at this depth (the root is at depth 1)."""
        return depth * cls.steplen

    @property
    def parent_path(self) -> str:
        """The path of the unit's parent ("" for a root), read off its own path."""
        return self.path[: self.path_length(self.depth - 1)]

    @property
    def child_path_length(self) -> int:
        """The length of the paths of the unit's children."""
        return self.path_length(self.depth + 1)

    def child_path_expression(self, field: str = "path") -> Substr:
        """SQL: the path of this unit's child that a row below it lies under (the first
        child_path_length characters of `field`), for counting per child in one GROUP BY."""
        return Substr(field, 1, self.child_path_length)

    @classmethod
    def parent_path_expression(cls, path_field: str = "path", depth_field: str = "depth") -> Substr:
        """SQL: the path of a row's unit's parent, read off its path and depth."""
        return Substr(path_field, 1, (F(depth_field) - 1) * cls.steplen)

    def contains(self, other: Unit) -> bool:
        """True when `other` is this unit or lies below it."""
        return other.path.startswith(self.path)

    def subtree(self) -> UnitQuerySet:
        return Unit.objects.subtree(self)

    def child_grassroots_counts(self) -> dict[int, int]:
        """Number of grassroots unions under each child, keyed by child id, in one query.

        Every descendant's path begins with its ancestor child's path, so grouping the
        subtree's grassroots unions by that prefix counts them per child without a loop.
        """
        rows = (
            Unit.objects.subtree(self).filter(depth__gt=self.depth, kind=UnitKind.GRASSROOTS)
            .annotate(prefix=self.child_path_expression())
            .order_by()  # the manager's default path order would split the groups
            .values("prefix")
            .annotate(n=Count("id"))
        )
        by_prefix = {row["prefix"]: row["n"] for row in rows}
        children = Unit.objects.filter(path__in=list(by_prefix)).values_list("path", "id")
        return {child_id: by_prefix[path] for path, child_id in children}


def link_path(parent_path: str, unit_id: int) -> str:
    """A unit's path in a day's tree: its parent's path there, then its own id (LINK_STEP digits)."""
    return f"{parent_path}{unit_id:0{LINK_STEP}d}"


class UnitLinkQuerySet(models.QuerySet):
    def on(self, day: datetime.date) -> UnitLinkQuerySet:
        """The links valid on that day (one per unit at most)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def current(self) -> UnitLinkQuerySet:
        return self.filter(valid_to__isnull=True)


class UnitLink(models.Model):
    """Where a unit stood in the tree from one day to another: its parent and its path in the
    tree of those days. A unit has one row per interval; a move (of the unit or of an ancestor)
    closes the rows of the subtree and opens new ones, so the tree of any day can be asked for
    and a move never changes a closed year. The unit's own validity (Unit.valid_from/valid_to)
    says when it existed; a link only says where: the first link starts "always" (None) and the
    last one runs on (None)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="links", verbose_name=_("unit"))
    parent = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                               verbose_name=_("parent unit"))
    path = models.CharField(_("path in the tree of those days"), max_length=255, db_index=True)
    depth = models.PositiveSmallIntegerField(_("depth"), default=1)  # len(path) / LINK_STEP
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # The reorganisation change that opened this link (None: the initial link, or a move outside a batch).
    change = models.ForeignKey("ReorganisationChange", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="links", verbose_name=_("change"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))

    objects = UnitLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("parent link")
        verbose_name_plural = _("parent links")
        ordering = ["unit", models.F("valid_from").asc(nulls_first=True)]
        indexes = [models.Index(fields=["unit", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.unit_id} ↑ {self.parent_id} [{self.valid_from} – {self.valid_to}]"

    def save(self, *args, **kwargs):
        self.depth = len(self.path) // LINK_STEP
        super().save(*args, **kwargs)

    @property
    def parent_path(self) -> str:
        return self.path[:-LINK_STEP]


class Reorganisation(models.Model):
    """A batch of changes decided together (e.g. the 2025 merger of the provinces), applied in
    one transaction and undone the same way (units.reorganisation)."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=255)
    reason = models.TextField(_("reason"), blank=True)
    document_number = models.CharField(_("document number"), max_length=80, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("applied by"))
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("undone by"))
    # What the batch found and changed, so that an undo restores it exactly (units.reorganisation).
    snapshot = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("reorganisation")
        verbose_name_plural = _("reorganisations")
        ordering = ["-applied_at"]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def is_applied(self) -> bool:
        return self.applied_at is not None and self.undone_at is None


class ChangeKind(models.TextChoices):
    CREATE = "create", _("create")
    RENAME = "rename", _("rename")
    MOVE = "move", _("move")
    MERGE = "merge", _("merge")
    SPLIT = "split", _("split")
    DISSOLVE = "dissolve", _("dissolve")


class ReorganisationChange(models.Model):
    """One change of a batch, with its own effective date (`on`: the first day of the new state)."""

    reorganisation = models.ForeignKey(Reorganisation, on_delete=models.CASCADE, related_name="changes",
                                       verbose_name=_("reorganisation"))
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=ChangeKind.choices)
    effective_on = models.DateField(_("effective on"))
    reason = models.TextField(_("reason"), blank=True)
    document_number = models.CharField(_("document number"), max_length=80, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    # The change as the file gave it (codes of units, new names, shares).
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("reorganisation change")
        verbose_name_plural = _("reorganisation changes")
        ordering = ["reorganisation", "position"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on:%d/%m/%Y}"


class Succession(models.Model):
    """A unit that closed and who took over from it: merge, split (one row per successor, the
    primary one first, with its share), dissolution (with a successor, or none), takeover."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("merge")
        SPLIT = "split", _("split")
        DISSOLVE = "dissolve", _("dissolve")
        TAKEOVER = "takeover", _("takeover")

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successions",
                                    verbose_name=_("predecessor"))
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="successions_from", verbose_name=_("successor"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    effective_on = models.DateField(_("effective on"))
    share = models.DecimalField(_("share"), max_digits=5, decimal_places=4, null=True, blank=True)
    primary = models.BooleanField(_("primary successor"), default=True)
    change = models.ForeignKey(ReorganisationChange, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="successions", verbose_name=_("change"))

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id} ({self.kind}, {self.effective_on})"



class UnitNameQuerySet(models.QuerySet):
    def on(self, day: datetime.date) -> UnitNameQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day), valid_to__gte=day)


class UnitName(models.Model):
    """A name a unit bore before a rename (Unit.name is the name since its last rename): from
    `valid_from` (None: from the start) to `valid_to`, the day before the rename. A document, a
    dashboard or a list of the tree "as it was" on a day names each unit as it was named then
    (names_on)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="past_names", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"))
    # The rename that ended it (None: recorded outside a batch).
    change = models.ForeignKey(ReorganisationChange, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="past_names", verbose_name=_("change"))

    objects = UnitNameQuerySet.as_manager()

    class Meta:
        verbose_name = _("former name")
        verbose_name_plural = _("former names")
        ordering = ["unit", "valid_to"]
        indexes = [models.Index(fields=["valid_to"])]

    def __str__(self) -> str:
        return f"{self.name} (→ {self.valid_to:%d/%m/%Y})"


def names_on(day: datetime.date, unit_ids=None) -> dict[int, tuple[str, str]]:
    """The (name, short name) of the units that bore another name on that day than today's, in
    one query (only renamed units have rows); `unit_ids` narrows it."""
    rows = UnitName.objects.on(day)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    return {unit_id: (name, short_name) for unit_id, name, short_name
            in rows.values_list("unit_id", "name", "short_name")}


def named_as_on(units, day: datetime.date | None):
    """The units, each carrying the name it bore on `day` (in memory, not saved): what a view "as
    it was" shows. `day` None leaves today's names. Returns the units."""
    units = list(units)
    if day is None or not units:
        return units
    names = names_on(day, {unit.pk for unit in units})
    for unit in units:
        if unit.pk in names:
            unit.name, unit.short_name = names[unit.pk]
    return units
