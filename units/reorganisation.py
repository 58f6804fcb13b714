"""Reorganisation batches: read a batch file, see its consequences, apply it, undo it.

A batch (/work/shared REORG format; the README's "The hierarchy over time") is a YAML file or
the same structure as a dict:

    batch:   {code, title, reason, document: {number, date}}
    units:   new units (the fields of units/data/an_giang.yaml, `parent` an existing code or
             one listed earlier), valid from their `valid_from`
    changes: rename / move / merge / split / dissolve, each with `on` (the first day of the new
             state: a unit that closes has valid_to = on - 1 day), applied in order of `on`,
             then in file order

`read_batch_file` checks it (pydantic; every problem as FILE:LINE: FIELD: MESSAGE), and
`do_apply_reorganisation` / `do_undo_reorganisation` write it, each in one transaction.
`load_batch` is both for a command or the demo: with dry_run=True it applies the batch inside a
transaction that is rolled back, so the consequences it returns are exactly what applying
would do, and nothing is written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Discriminator, Field, ValidationError, model_validator

from tiendo.problems import Problem, ProblemsError, read_located_yaml
from units import history
from units.models import (
    LINK_STEP,
    ChangeKind,
    Ownership,
    Reorganisation,
    ReorganisationChange,
    Succession,
    Unit,
    UnitKind,
    UnitLink,
)
from units.signals import units_changed

ONE_DAY = datetime.timedelta(days=1)


# --- the file ---------------------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Document(_Strict):
    number: str = ""
    date: datetime.date | None = None


class Header(_Strict):
    code: str = Field(min_length=1, max_length=60)
    title: str = Field(min_length=1, max_length=255)
    reason: str = ""
    document: Document | None = None


class NewUnit(_Strict):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=255)
    short_name: str = ""
    kind: Literal[tuple(UnitKind.values)]  # type: ignore[valid-type]
    parent: str
    valid_from: datetime.date
    admin_code: str = ""
    ownership: Literal[("", *Ownership.values)] = ""  # type: ignore[valid-type]
    workers: int = Field(0, ge=0)
    members: int = Field(0, ge=0)
    officers: int = Field(0, ge=0)
    address: str = ""
    contact_name: str = ""
    phone: str = ""
    email: str = ""


class _Change(_Strict):
    on: datetime.date
    reason: str | None = None
    document: Document | None = None


class Rename(_Change):
    change: Literal["rename"]
    unit: str
    name: str = Field(min_length=1, max_length=255)
    short_name: str | None = None


class Move(_Change):
    change: Literal["move"]
    unit: str | None = None
    units: list[str] | None = None
    to: str

    @model_validator(mode="after")
    def _one_or_many(self):
        if (self.unit is None) == (self.units is None):
            raise ValueError("give either `unit` or `units`")
        return self

    @property
    def codes(self) -> list[str]:
        return [self.unit] if self.unit else list(self.units or [])


class Merge(_Change):
    change: Literal["merge"]
    units: list[str] = Field(min_length=1)
    into: str


class Split(_Change):
    change: Literal["split"]
    unit: str
    into: list[str] = Field(min_length=2)
    shares: list[Decimal] | None = None

    @model_validator(mode="after")
    def _shares(self):
        if self.shares is not None:
            if len(self.shares) != len(self.into):
                raise ValueError("give one share per successor")
            if any(s <= 0 for s in self.shares) or abs(sum(self.shares) - 1) > Decimal("0.001"):
                raise ValueError("shares must be positive and add up to 1")
        return self


class Dissolve(_Change):
    change: Literal["dissolve"]
    unit: str
    successor: str | None = None


ChangeItem = Annotated[Rename | Move | Merge | Split | Dissolve, Discriminator("change")]


class BatchFile(_Strict):
    batch: Header
    units: list[NewUnit] = []
    changes: list[ChangeItem] = []


class BatchFileError(ProblemsError):
    """The problems of a reorganisation batch file (FILE:LINE: FIELD: MESSAGE)."""


_TAGS = ("rename", "move", "merge", "split", "dissolve")


def _locate(data, loc: tuple, file: str, message: str) -> Problem:
    node, line, fields = data, getattr(data, "line", 0), []
    for part in loc:
        if part in _TAGS and isinstance(node, dict) and part not in node:
            continue  # the union's tag
        if isinstance(node, dict) and isinstance(part, str):
            line = node.line_of(part) if hasattr(node, "line_of") else line
            node = node.get(part)
            fields.append(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            fields[-1:] = [f"{fields[-1]}[{part}]" if fields else f"[{part}]"]
            line = getattr(node, "line", line)
        else:
            fields.append(str(part))
    return Problem(file, line, ".".join(fields) or "(file)", message)


def _on_is_a_key(node) -> None:
    """YAML 1.1 reads a bare `on:` key as the boolean true; in a batch file it is always the
    change's date key, so it is put back (its line kept)."""
    if isinstance(node, dict):
        if True in node and "on" not in node:
            node["on"] = node.pop(True)
            if hasattr(node, "key_lines") and True in node.key_lines:
                node.key_lines["on"] = node.key_lines.pop(True)
        for value in node.values():
            _on_is_a_key(value)
    elif isinstance(node, list):
        for item in node:
            _on_is_a_key(item)


def parse_batch(data, file: str = "<data>") -> BatchFile:
    """A batch from its parsed YAML or a dict; BatchFileError lists every problem."""
    _on_is_a_key(data)
    try:
        return BatchFile.model_validate(data)
    except ValidationError as exc:
        problems = [_locate(data, error["loc"], file, error["msg"].removeprefix("Value error, "))
                    for error in exc.errors()]
        raise BatchFileError(problems) from exc


def read_batch_file(path: Path | str) -> dict:
    """The batch file's data (a mapping that remembers its lines), checked: BatchFileError
    lists every problem as FILE:LINE: FIELD: MESSAGE."""
    data = read_located_yaml(Path(path), BatchFileError)
    _check_references(data, parse_batch(data, str(path)), str(path))
    return data


def _check_references(data, batch: BatchFile, file: str) -> None:
    """Codes that must exist (or be created earlier in the file) and a code that must not."""
    problems = []
    new_codes = [u.code for u in batch.units]
    wanted = set(new_codes)
    for unit in batch.units:
        wanted.add(unit.parent)
    for change in batch.changes:
        wanted |= set(_codes_of(change))
    known = set(Unit.objects.filter(code__in=wanted).values_list("code", flat=True))
    if Reorganisation.objects.filter(code=batch.batch.code).exists():
        problems.append(_locate(data, ("batch", "code"), file, f"a batch {batch.batch.code} was loaded already"))
    seen = set()
    for i, unit in enumerate(batch.units):
        if unit.code in known or unit.code in seen:
            problems.append(_locate(data, ("units", i, "code"), file, f"unit {unit.code} exists already"))
        if unit.parent not in known and unit.parent not in seen:
            problems.append(_locate(data, ("units", i, "parent"), file,
                                    f"unknown unit {unit.parent} (an existing code or one listed earlier)"))
        seen.add(unit.code)
    for i, change in enumerate(batch.changes):
        for code in _codes_of(change):
            if code not in known and code not in seen:
                problems.append(_locate(data, ("changes", i), file, f"unknown unit {code}"))
        if change.on > timezone.localdate():
            problems.append(_locate(data, ("changes", i, "on"), file, "a change takes effect on or before today"))
    if problems:
        raise BatchFileError(problems)


def _codes_of(change) -> list[str]:
    if isinstance(change, Rename):
        return [change.unit]
    if isinstance(change, Move):
        return [*change.codes, change.to]
    if isinstance(change, Merge):
        return [*change.units, change.into]
    if isinstance(change, Split):
        return [change.unit, *change.into]
    return [change.unit] + ([change.successor] if change.successor else [])


# --- consequences -------------------------------------------------------------------------------

@dataclass
class Consequences:
    code: str
    created: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    moved: list[tuple[str, str, str, datetime.date]] = field(default_factory=list)  # code, from, to, on
    closed: list[tuple[str, datetime.date, str]] = field(default_factory=list)  # code, last day, successor or ""
    reports_affected: int = 0  # reports of moved or closed units, of periods ending on or after the change
    open_periods: list[str] = field(default_factory=list)
    read_only_accounts: list[str] = field(default_factory=list)  # usernames of closed units' users
    expected: dict[str, tuple[int, int]] = field(default_factory=dict)  # open period -> (before, after)
    applied: bool = False

    def lines(self) -> list[str]:
        out = [f"batch {self.code}: {len(self.created)} units created, {len(self.closed)} closed, "
               f"{len(self.moved)} moved, {len(self.renamed)} renamed"]
        out += [f"  create {code}" for code in self.created]
        out += [f"  rename {code}" for code in self.renamed]
        out += [f"  move   {code}: {old} -> {new} from {on:%d/%m/%Y}" for code, old, new, on in self.moved]
        out += [f"  close  {code} after {last:%d/%m/%Y}" + (f", succeeded by {succ}" if succ else ", no successor")
                for code, last, succ in self.closed]
        out.append(f"reports of moved or closed units in the periods concerned: {self.reports_affected}")
        out += [f"accounts of closed units (read-only from now on): {', '.join(self.read_only_accounts) or '-'}"]
        for period, (before, after) in self.expected.items():
            out.append(f"expected reporters, {period} (open): {before} before, {after} after")
        out.append("applied" if self.applied else "dry run: nothing was written")
        return out


def _expected_by_open_period() -> dict[str, int]:
    from reporting.completeness import expected_count
    from reporting.models import Period

    return {str(p.label): expected_count(p)
            for p in Period.objects.filter(status=Period.Status.OPEN).order_by("starts_on")}


# --- applying ------------------------------------------------------------------------------------

class _Applier:
    def __init__(self, batch: BatchFile, by, file: str):
        self.batch, self.by, self.file = batch, by, file
        self.units: dict[str, Unit] = {}
        self.snapshot = {"units": {}, "links": {}, "created_units": [], "created_links": [], "touched": []}
        self.result = Consequences(batch.batch.code)
        self.touched: set[int] = set()
        self.links_before: dict[int, dict] = {}

    def unit(self, code: str) -> Unit:
        if code not in self.units:
            self.units[code] = Unit.objects.get(code=code)
        unit = self.units[code]
        unit.refresh_from_db()
        return unit

    def _remember(self, unit: Unit) -> None:
        self.touched.add(unit.pk)
        self.snapshot["units"].setdefault(str(unit.pk), {
            "name": unit.name, "short_name": unit.short_name,
            "valid_to": unit.valid_to.isoformat() if unit.valid_to else None})

    def _change(self, position: int, kind: str, item, details: dict) -> ReorganisationChange:
        header = self.batch.batch
        document = getattr(item, "document", None) or header.document or Document()
        on = getattr(item, "on", None) or item.valid_from
        return ReorganisationChange.objects.create(
            reorganisation=self.row, position=position, kind=kind, effective_on=on,
            reason=(getattr(item, "reason", None) or header.reason), document_number=document.number,
            document_date=document.date, details=details)

    def apply(self) -> Reorganisation:
        header = self.batch.batch
        self.row = Reorganisation.objects.create(
            code=header.code, title=header.title, reason=header.reason,
            document_number=header.document.number if header.document else "",
            document_date=header.document.date if header.document else None,
            applied_at=timezone.now(), applied_by=self.by)
        position = 0
        for new in self.batch.units:
            position += 1
            self._create(new, self._change(position, ChangeKind.CREATE, new, new.model_dump(mode="json")))
        ordered = sorted(enumerate(self.batch.changes), key=lambda pair: (pair[1].on, pair[0]))
        for _, item in ordered:
            position += 1
            change = self._change(position, item.change, item, item.model_dump(mode="json", exclude_none=True))
            getattr(self, f"_{item.change}")(item, change)
        self.snapshot["touched"] = sorted(self.touched)
        self.snapshot["links"] = {str(pk): fields for pk, fields in self.links_before.items()}
        self.row.snapshot = self.snapshot
        self.row.save(update_fields=["snapshot"])
        history.carry_onto_today()
        units_changed.send(sender=None, parent_paths=None)
        return self.row

    def _create(self, new: NewUnit, change) -> None:
        parent = self.unit(new.parent)
        values = new.model_dump(exclude={"parent"})
        unit = Unit.objects.add_child(parent, instance=Unit(**values))
        UnitLink.objects.filter(unit=unit).update(change=change)
        self.units[unit.code] = unit
        self.snapshot["created_units"].append(unit.pk)
        self.touched.add(unit.pk)
        self.result.created.append(unit.code)

    def _move_one(self, unit: Unit, to: Unit, on: datetime.date, change) -> None:
        old = history.link_on(unit, on)
        old_parent = Unit.objects.filter(pk=old.parent_id).values_list("code", flat=True).first() if old else ""
        self._remember(unit)
        self.touched.add(to.pk)
        try:
            created = history.move(unit, to, on, change=change, by=self.by, before=self.links_before)
        except DjangoValidationError as exc:
            raise BatchFileError([Problem(self.file, 0, f"change {change.position}", " ".join(exc.messages))]) from exc
        self.snapshot["created_links"] += created
        self.result.moved.append((unit.code, old_parent or "", to.code, on))

    def _children_on(self, unit: Unit, on: datetime.date) -> list[Unit]:
        ids = UnitLink.objects.on(on).filter(parent=unit).values_list("unit_id", flat=True)
        return list(Unit.objects.filter(pk__in=list(ids)).valid_during(on, on).order_by("path"))

    def _close(self, unit: Unit, on: datetime.date, successors: list[Unit], kind: str, change,
               shares=None) -> None:
        if not unit.is_valid_on(on):
            raise BatchFileError([Problem(self.file, 0, f"change {change.position}",
                                          f"{unit.code} is not open on {on:%d/%m/%Y}")])
        for child in self._children_on(unit, on):
            if not successors:
                raise BatchFileError([Problem(self.file, 0, f"change {change.position}",
                                              f"{unit.code} still has units below it ({child.code}): "
                                              "move them first or name a successor")])
            self._move_one(child, successors[0], on, change)
        self._remember(unit)
        unit.refresh_from_db()
        unit.valid_to = on - ONE_DAY
        unit.save(update_fields=["valid_to"])
        rows = [Succession(predecessor=unit, successor=s, kind=kind, effective_on=on, primary=i == 0,
                           share=shares[i] if shares else None, change=change) for i, s in enumerate(successors)]
        Succession.objects.bulk_create(rows or [Succession(predecessor=unit, successor=None, kind=kind,
                                                           effective_on=on, change=change)])
        self.touched.update(s.pk for s in successors)
        self.result.closed.append((unit.code, on - ONE_DAY, successors[0].code if successors else ""))

    def _rename(self, item: Rename, change) -> None:
        unit = self.unit(item.unit)
        self._remember(unit)
        unit.name = item.name
        if item.short_name is not None:
            unit.short_name = item.short_name
        unit.save(update_fields=["name", "short_name"])
        self.result.renamed.append(unit.code)

    def _move(self, item: Move, change) -> None:
        to = self.unit(item.to)
        for code in item.codes:
            self._move_one(self.unit(code), to, item.on, change)

    def _merge(self, item: Merge, change) -> None:
        into = self.unit(item.into)
        for code in item.units:
            self._close(self.unit(code), item.on, [into], Succession.Kind.MERGE, change)

    def _split(self, item: Split, change) -> None:
        self._close(self.unit(item.unit), item.on, [self.unit(c) for c in item.into], Succession.Kind.SPLIT,
                    change, item.shares)

    def _dissolve(self, item: Dissolve, change) -> None:
        successors = [self.unit(item.successor)] if item.successor else []
        self._close(self.unit(item.unit), item.on, successors, Succession.Kind.DISSOLVE, change)


class _DryRun(Exception):
    pass


def _consequences_around(apply) -> Consequences:
    """Expected reporters before and after, and who and what the batch reaches."""
    from accounts.models import User
    from reporting.models import Report

    before = _expected_by_open_period()
    applier = apply()
    result = applier.result
    after = _expected_by_open_period()
    result.expected = {name: (before.get(name, 0), after.get(name, 0)) for name in {**before, **after}}
    result.open_periods = list(after)
    closed = [code for code, _, _ in result.closed]
    result.read_only_accounts = sorted(User.objects.filter(unit__code__in=closed).values_list("username", flat=True))
    by_day: dict[datetime.date, set[str]] = {}  # one condition per effective date, not per unit
    for code, _, _, on in result.moved:
        by_day.setdefault(on, set()).add(code)
    for code, last, _ in result.closed:
        by_day.setdefault(last + ONE_DAY, set()).add(code)
    concerned = Q()
    for on, codes in by_day.items():
        concerned |= Q(unit__code__in=sorted(codes), period__ends_on__gte=on)
    result.reports_affected = Report.objects.filter(concerned).count() if by_day else 0
    return result


def load_batch(data, by=None, dry_run: bool = False, file: str = "<data>") -> Consequences:
    """Check and apply a batch (its file's data, or a dict built in code); with dry_run, apply it
    in a transaction that is rolled back and return what it would do."""
    batch = parse_batch(data, file)
    _check_references(data, batch, file)
    holder: dict = {}

    def apply():
        applier = _Applier(batch, by, file)
        holder["row"] = applier.apply()
        return applier

    try:
        with transaction.atomic():
            result = _consequences_around(apply)
            if dry_run:
                raise _DryRun
    except _DryRun:
        return result
    result.applied = True
    return result


def do_apply_reorganisation(data, by=None, file: str = "<data>") -> Reorganisation:
    """Apply a batch in one transaction; returns its record."""
    load_batch(data, by=by, file=file)
    return Reorganisation.objects.get(code=parse_batch(data, file).batch.code)


# --- undoing -------------------------------------------------------------------------------------

class UndoRefused(ValueError):
    pass


def later_dependants(batch: Reorganisation) -> list[Reorganisation]:
    """Batches applied after this one, not undone, that touched a unit this one touched."""
    touched = set(batch.snapshot.get("touched", []))
    later = Reorganisation.objects.filter(applied_at__gt=batch.applied_at, undone_at__isnull=True)
    return [other for other in later if touched & set(other.snapshot.get("touched", []))]


@transaction.atomic
def do_undo_reorganisation(batch: Reorganisation, by=None) -> Reorganisation:
    """Put the tree, the links, the successions and the units' validity back exactly as they were
    before the batch. Refused when a later batch builds on it, or when a unit it created has
    reports or accounts by now."""
    batch = Reorganisation.objects.select_for_update().get(pk=batch.pk)
    if not batch.is_applied:
        raise UndoRefused(f"batch {batch.code} is not applied")
    dependants = later_dependants(batch)
    if dependants:
        raise UndoRefused(f"undo {', '.join(b.code for b in dependants)} first: they change the same units")
    snapshot = batch.snapshot
    Succession.objects.filter(change__reorganisation=batch).delete()
    UnitLink.objects.filter(pk__in=snapshot["created_links"]).delete()
    for pk, fields in snapshot["links"].items():
        UnitLink.objects.filter(pk=int(pk)).update(
            parent_id=fields["parent_id"], path=fields["path"], depth=len(fields["path"]) // LINK_STEP,
            valid_to=datetime.date.fromisoformat(fields["valid_to"]) if fields["valid_to"] else None)
    for pk, fields in snapshot["units"].items():
        Unit.objects.filter(pk=int(pk)).update(
            name=fields["name"], short_name=fields["short_name"],
            search_name=Unit.search_text(fields["name"], fields["short_name"],
                                         Unit.objects.get(pk=int(pk)).code),
            valid_to=datetime.date.fromisoformat(fields["valid_to"]) if fields["valid_to"] else None)
    created = set(snapshot["created_units"])
    survivors = Unit.objects.filter(pk__in=[pk for pk in snapshot["touched"] if pk not in created]).order_by("depth")
    history.sync_todays_tree(list(survivors))
    try:
        for unit in Unit.objects.filter(pk__in=list(created)).order_by("-depth"):
            UnitLink.objects.filter(unit=unit).delete()
            Unit.objects.get(pk=unit.pk).delete()
    except ProtectedError as exc:
        raise UndoRefused("a unit the batch created has reports, plans or accounts by now") from exc
    batch.undone_at, batch.undone_by = timezone.now(), by
    batch.save(update_fields=["undone_at", "undone_by"])
    history.carry_onto_today()
    units_changed.send(sender=None, parent_paths=None)
    return batch
