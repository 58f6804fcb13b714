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
would do, and nothing is written. This module knows only units: what a batch reaches in reports,
periods, accounts and plans is counted a layer above (reorganising.consequences, whose
`load_batch` is the one the command, the demo and the pages call).
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F, Max, ProtectedError
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Discriminator, Field, ValidationError, model_validator

from tiendo.problems import Problem, ProblemsError, read_located_yaml
from units import bulk, history
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
    UnitName,
    is_large_enterprise,
)
from units.signals import recorded_in_bulk, units_changed

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


def check_batch(data, file: str = "<data>") -> BatchFile:
    """The batch, checked as load_batch checks it (its shape, then the codes it names), writing
    nothing; BatchFileError lists every problem."""
    batch = parse_batch(data, file)
    _check_references(data, batch, file)
    return batch


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
    """What a batch does. The units' part is filled here; reports, open periods, accounts and
    plans are the layers above (reorganising.consequences.count_around fills them)."""

    code: str
    created: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    moved: list[tuple[str, str, str, datetime.date]] = field(default_factory=list)  # code, from, to, on
    closed: list[tuple[str, datetime.date, str]] = field(default_factory=list)  # code, last day, successor or ""
    reports_affected: int = 0  # reports of moved or closed units, of periods ending on or after the change
    open_periods: list[str] = field(default_factory=list)
    read_only_accounts: list[str] = field(default_factory=list)  # usernames of closed units' users
    plans_affected: int = 0  # implementation plans of moved or closed units
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
        out.append(f"implementation plans of moved or closed units: {self.plans_affected}")
        for period, (before, after) in self.expected.items():
            out.append(f"expected reporters, {period} (open): {before} before, {after} after")
        out.append("applied" if self.applied else "dry run: nothing was written")
        return out


# --- applying ------------------------------------------------------------------------------------

def _hand_over_children(applier, unit: Unit, on: datetime.date, successors: list[Unit], change) -> None:
    """Before a unit closes (either way of applying a batch): it must be open that day, and the
    units still under it go to its first successor — or, with none, the batch is refused."""
    if not unit.is_valid_on(on):
        raise BatchFileError([Problem(applier.file, 0, f"change {change.position}",
                                      f"{unit.code} is not open on {on:%d/%m/%Y}")])
    for child in applier._children_on(unit, on):
        if not successors:
            raise BatchFileError([Problem(applier.file, 0, f"change {change.position}",
                                          f"{unit.code} still has units below it ({child.code}): "
                                          "move them first or name a successor")])
        applier._move_one(child, successors[0], on, change)


class _OneByOne:
    """The batch written as it goes, one unit at a time (history.move for each move, treebeard's
    add_child for each new unit, each unit saved): the reference the bulk _Applier is checked
    against (units/tests/test_batch_in_bulk.py) and what bench/reorganisation.py compares it with."""

    # Today's tree moved once at the end of the batch (history.TreeMoves); False: one treebeard
    # move per unit as it goes.
    tree_in_bulk = False

    def __init__(self, batch: BatchFile, by, file: str):
        self.batch, self.by, self.file = batch, by, file
        self.units: dict[str, Unit] = {}
        self.snapshot = {"units": {}, "links": {}, "created_units": [], "created_links": [], "touched": []}
        self.result = Consequences(batch.batch.code)
        self.touched: set[int] = set()
        self.links_before: dict[int, dict] = {}
        self.tree = history.TreeMoves() if self.tree_in_bulk else None

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
        if self.tree is not None:
            self.tree.write()
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
            created = history.move(unit, to, on, change=change, by=self.by, before=self.links_before, tree=self.tree)
        except DjangoValidationError as exc:
            raise BatchFileError([Problem(self.file, 0, f"change {change.position}", " ".join(exc.messages))]) from exc
        self.snapshot["created_links"] += created
        self.result.moved.append((unit.code, old_parent or "", to.code, on))

    def _children_on(self, unit: Unit, on: datetime.date) -> list[Unit]:
        ids = UnitLink.objects.on(on).filter(parent=unit).values_list("unit_id", flat=True)
        return list(Unit.objects.filter(pk__in=list(ids)).valid_during(on, on).order_by("path"))

    def _close(self, unit: Unit, on: datetime.date, successors: list[Unit], kind: str, change,
               shares=None) -> None:
        _hand_over_children(self, unit, on, successors, change)
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
        _former_name(unit, item.on, change, last_former_name(unit), self.file).save()
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


# What the bulk applier reads of every unit (the rest stays deferred and is never touched).
_UNIT_FIELDS = ("pk", "code", "name", "short_name", "path", "depth", "numchild", "valid_from", "valid_to")


class _Applier:
    """The batch played in memory and written at its end in a few statements: every unit and
    link read once, the changes inserted at once, the new units inserted in bulk (paths as
    treebeard's add_child gives them), the links moved by bulk.LinkBook (history.move's rules),
    today's tree by history.TreeMoves, the units' closing days by one UPDATE per day, the
    successions and the audit entries in bulk (units.signals.recorded_in_bulk: the changes are
    known here, so no per-object diff). Leaves what _OneByOne leaves."""

    def __init__(self, batch: BatchFile, by, file: str):
        self.batch, self.by, self.file = batch, by, file
        self.by_id = by.pk if by is not None else None
        self.snapshot = {"units": {}, "links": {}, "created_units": [], "created_links": [], "touched": []}
        self.result = Consequences(batch.batch.code)
        self.touched: set[int] = set()
        self.tree = history.TreeMoves()
        # (instance, action, changes or None for a creation, unit id, the instance's name then)
        self.entries: list[tuple] = []
        self.own_links: list[tuple] = []  # (link, its valid_to when opened, unit, parent, change)
        self.successions: list[Succession] = []
        self.closing: dict[int, datetime.date] = {}
        self.renamed: set[int] = set()
        self.former_names: list[UnitName] = []
        self.last_named: dict[int, datetime.date] | None = None  # each renamed unit's last former name's end

    def unit(self, code: str) -> Unit:
        return self.by_code[code]

    def _remember(self, unit: Unit) -> None:
        self.touched.add(unit.pk)
        self.snapshot["units"].setdefault(str(unit.pk), {
            "name": unit.name, "short_name": unit.short_name,
            "valid_to": unit.valid_to.isoformat() if unit.valid_to else None})

    def _changes(self, ordered: list) -> list[ReorganisationChange]:
        header = self.batch.batch
        rows = []
        items = [(ChangeKind.CREATE, new, new.model_dump(mode="json")) for new in self.batch.units]
        items += [(item.change, item, item.model_dump(mode="json", exclude_none=True)) for item in ordered]
        for position, (kind, item, details) in enumerate(items, start=1):
            document = getattr(item, "document", None) or header.document or Document()
            rows.append(ReorganisationChange(
                reorganisation=self.row, position=position, kind=kind,
                effective_on=getattr(item, "on", None) or item.valid_from,
                reason=(getattr(item, "reason", None) or header.reason), document_number=document.number,
                document_date=document.date, details=details))
        return ReorganisationChange.objects.bulk_create(rows, batch_size=bulk.CHUNK)

    def apply(self) -> Reorganisation:
        header = self.batch.batch
        self.row = Reorganisation.objects.create(
            code=header.code, title=header.title, reason=header.reason,
            document_number=header.document.number if header.document else "",
            document_date=header.document.date if header.document else None,
            applied_at=timezone.now(), applied_by=self.by)
        self.all = {unit.pk: unit for unit in Unit.objects.order_by().only(*_UNIT_FIELDS).iterator(bulk.CHUNK)}
        self.by_code = {unit.code: unit for unit in self.all.values()}
        self.book = bulk.LinkBook()
        ordered = [item for _, item in sorted(enumerate(self.batch.changes), key=lambda pair: (pair[1].on, pair[0]))]
        changes = self._changes(ordered)
        created = len(self.batch.units)
        self._create_all(changes[:created])
        for item, change in zip(ordered, changes[created:], strict=True):
            getattr(self, f"_{item.change}")(item, change)
        self._write()
        self.snapshot["touched"] = sorted(self.touched)
        self.row.snapshot = self.snapshot
        self.row.save(update_fields=["snapshot"])
        history.carry_onto_today()
        units_changed.send(sender=None, parent_paths=None)
        return self.row

    def _create_all(self, changes: list[ReorganisationChange]) -> None:
        """The new units, each where treebeard's add_child would put it (after its parent's
        last child), inserted at once; their parents' child counts by one UPDATE per count."""
        step = Unit.steplen
        last_child: dict[str, str] = {}
        for unit in self.all.values():
            parent_path = unit.path[:-step]
            if unit.path > last_child.get(parent_path, ""):
                last_child[parent_path] = unit.path
        new_units, parents = [], []
        for new in self.batch.units:
            parent = self.unit(new.parent)
            last = last_child.get(parent.path) if parent.numchild else None
            path = Unit(path=last)._inc_path() if last else Unit._get_path(parent.path, parent.depth + 1, 1)
            unit = Unit(**new.model_dump(exclude={"parent"}), path=path, depth=parent.depth + 1, numchild=0)
            unit.search_name = Unit.search_text(unit.name, unit.short_name, unit.code)
            unit.large_enterprise = is_large_enterprise(unit.ownership, unit.workers)
            last_child[parent.path] = path
            parent.numchild += 1
            self.by_code[unit.code] = unit
            new_units.append(unit)
            parents.append(parent)
        if not new_units:
            return
        Unit.objects.bulk_create(new_units, batch_size=bulk.CHUNK)
        added: dict[int, int] = {}
        for parent in parents:
            added[parent.pk] = added.get(parent.pk, 0) + 1
        by_count: dict[int, list[int]] = {}
        for pk, count in added.items():
            by_count.setdefault(count, []).append(pk)
        for count, pks in by_count.items():
            Unit.objects.filter(pk__in=pks).update(numchild=F("numchild") + count)
        for unit, parent, change in zip(new_units, parents, changes, strict=True):
            self.all[unit.pk] = unit
            self.book.open_first(unit, parent.pk, change.pk)
            self.snapshot["created_units"].append(unit.pk)
            self.touched.add(unit.pk)
            self.result.created.append(unit.code)
            self.entries.append((unit, "create", None, unit.pk, str(unit)))

    def _move_one(self, unit: Unit, to: Unit, on: datetime.date, change) -> None:
        old = self.book.on(unit.pk, on)
        old_parent = self.all[old.parent_id].code if old is not None and old.parent_id else ""
        self._remember(unit)
        self.touched.add(to.pk)
        try:
            opened = self.book.move(unit, to, on, change.pk, self.by_id)
        except DjangoValidationError as exc:
            raise BatchFileError([Problem(self.file, 0, f"change {change.position}", " ".join(exc.messages))]) from exc
        # each as it was opened (a later move of the batch may close it): what history.move audits
        # (copies: the units as they are named now, a later rename of the batch leaves them)
        self.own_links += [(link, link.valid_to, copy.copy(unit), copy.copy(to), change)
                           for link in opened if link.unit_id == unit.pk]
        self.tree.add(unit.pk, to.pk)
        self.result.moved.append((unit.code, old_parent, to.code, on))

    def _children_on(self, unit: Unit, on: datetime.date) -> list[Unit]:
        children = (self.all[pk] for pk in self.book.children_on(unit.pk, on))
        return sorted((child for child in children if child.is_valid_on(on)), key=lambda child: child.path)

    def _close(self, unit: Unit, on: datetime.date, successors: list[Unit], kind: str, change,
               shares=None) -> None:
        _hand_over_children(self, unit, on, successors, change)
        self._remember(unit)
        was, unit.valid_to = unit.valid_to, on - ONE_DAY
        self.closing[unit.pk] = unit.valid_to
        self.entries.append((unit, "update", {"valid_to": (was, unit.valid_to)}, unit.pk, str(unit)))
        self.successions += [Succession(predecessor=unit, successor=s, kind=kind, effective_on=on, primary=i == 0,
                                        share=shares[i] if shares else None, change=change)
                             for i, s in enumerate(successors)] or [
            Succession(predecessor=unit, successor=None, kind=kind, effective_on=on, change=change)]
        self.touched.update(s.pk for s in successors)
        self.result.closed.append((unit.code, on - ONE_DAY, successors[0].code if successors else ""))

    def _rename(self, item: Rename, change) -> None:
        unit = self.unit(item.unit)
        self._remember(unit)
        if self.last_named is None:
            self.last_named = dict(UnitName.objects.order_by().values_list("unit_id").annotate(Max("valid_to")))
        former = _former_name(unit, item.on, change, self.last_named.get(unit.pk), self.file)
        self.former_names.append(former)
        self.last_named[unit.pk] = former.valid_to
        changes = {"name": (unit.name, item.name)}
        if item.short_name is not None:
            changes["short_name"] = (unit.short_name, item.short_name)
        changes = {name: pair for name, pair in changes.items() if pair[0] != pair[1]}
        for name, (_was, now) in changes.items():
            setattr(unit, name, now)
        if changes:
            self.entries.append((unit, "update", changes, unit.pk, str(unit)))
        self.renamed.add(unit.pk)
        self.result.renamed.append(unit.code)

    _move, _merge, _split, _dissolve = _OneByOne._move, _OneByOne._merge, _OneByOne._split, _OneByOne._dissolve

    def _write(self) -> None:
        new_links, before = self.book.write()
        self.snapshot["created_links"] = [link.pk for link in new_links if link.valid_from is not None]
        self.snapshot["links"] = {str(pk): fields for pk, fields in before.items()}
        by_day: dict[datetime.date, list[int]] = {}
        for pk, day in self.closing.items():
            by_day.setdefault(day, []).append(pk)
        for day, pks in by_day.items():  # one UPDATE per closing day
            for chunk in history.chunks(pks):
                Unit.objects.filter(pk__in=chunk).update(valid_to=day)
        renamed = [self.all[pk] for pk in sorted(self.renamed)]
        for unit in renamed:
            unit.search_name = Unit.search_text(unit.name, unit.short_name, unit.code)
        Unit.objects.bulk_update(renamed, ["name", "short_name", "search_name"], batch_size=bulk.CHUNK)
        Succession.objects.bulk_create(self.successions, batch_size=bulk.CHUNK)
        UnitName.objects.bulk_create(self.former_names, batch_size=bulk.CHUNK)
        self.tree.write([(unit.pk, unit.path, unit.numchild) for unit in self.all.values()])
        # The moved units' own new links, audited as history.move audits them.
        for link, valid_to, unit, parent, change in self.own_links:
            row = UnitLink(pk=link.pk, unit=unit, parent=parent, path=link.path, depth=len(link.path) // LINK_STEP,
                           valid_from=link.valid_from, valid_to=valid_to, change=change, recorded_by=self.by,
                           recorded_at=link.recorded_at)
            self.entries.append((row, "create", None, unit.pk, str(row)))
        # Each entry under its unit's place in today's tree, as the batch leaves it.
        today = dict(Unit.objects.filter(pk__in={entry[3] for entry in self.entries}).values_list("pk", "path"))
        recorded_in_bulk.send(sender=None, actor=self.by, entries=[
            (instance, action, changes, today[pk], shown) for instance, action, changes, pk, shown in self.entries])


def last_former_name(unit: Unit) -> datetime.date | None:
    """The last day of the unit's last former name: the day before its last rename (None: never renamed)."""
    return UnitName.objects.filter(unit=unit).aggregate(last=Max("valid_to"))["last"]


def renamed_too_early(last: datetime.date | None, on: datetime.date) -> bool:
    """A rename on `on` is not after the unit's last one (`last`: the end of its last former name)."""
    return last is not None and last >= on - ONE_DAY


def _former_name(unit: Unit, on: datetime.date, change, last: datetime.date | None, file: str) -> UnitName:
    """The name a rename on `on` ends, kept for the days before it (UnitName): from the day after
    the unit's previous rename (or from the start) to the day before this one. A rename dated on
    or before an earlier one is refused: the earlier one must be recorded first."""
    if renamed_too_early(last, on):
        raise BatchFileError([Problem(file, 0, f"change {change.position}",
                                      f"{unit.code} was renamed on {last + ONE_DAY:%d/%m/%Y} already: "
                                      "record the earlier rename first")])
    return UnitName(unit=unit, name=unit.name, short_name=unit.short_name,
                    valid_from=last + ONE_DAY if last else None, valid_to=on - ONE_DAY, change=change)


class _DryRun(Exception):
    pass


# What a batch reaches above the units (reports, open periods, accounts, plans) is counted by a
# higher layer (reorganising.consequences): it is handed in as `count_around`, which calls
# `apply()` between its counts of before and after and fills in the rest of the Consequences.
CountAround = Callable[[Callable[[], Consequences]], Consequences]


def load_batch(data, by=None, dry_run: bool = False, file: str = "<data>",
               count_around: CountAround | None = None, one_by_one: bool = False) -> Consequences:
    """Check and apply a batch (its file's data, or a dict built in code); with dry_run, apply it
    in a transaction that is rolled back and return what it would do. `one_by_one`: written unit
    by unit (_OneByOne), the reference the tests and the bench compare the bulk way with."""
    batch = check_batch(data, file)

    def apply() -> Consequences:
        applier = (_OneByOne if one_by_one else _Applier)(batch, by, file)
        applier.apply()
        return applier.result

    try:
        with transaction.atomic():
            result = count_around(apply) if count_around else apply()
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


def _day(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _rows(queryset, field: str, values: list[int]):
    """The rows whose `field` is among `values`, read a chunk of values at a time."""
    for chunk in history.chunks(list(values)):
        yield from queryset.filter(**{f"{field}__in": chunk})


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
    created = sorted(set(snapshot["created_units"]))
    # What the undo deletes, read first for the trail: written in bulk at the end (auditlog would
    # write one entry per row deleted, each with a query for every related row it names).
    successions = list(Succession.objects.filter(change__reorganisation=batch)
                       .select_related("predecessor", "successor", "change"))
    with_names = UnitLink.objects.select_related("unit", "parent", "change", "recorded_by")
    links = list({link.pk: link for link in (*_rows(with_names, "pk", snapshot["created_links"]),
                                             *_rows(with_names, "unit_id", created))}.values())
    with disable_auditlog():
        Succession.objects.filter(change__reorganisation=batch).delete()
        UnitName.objects.filter(change__reorganisation=batch).delete()
        for pks in history.chunks([link.pk for link in links]):
            UnitLink.objects.filter(pk__in=pks).delete()
    history.update_rows(UnitLink, ["parent", "path", "depth", "valid_to"], [
        (fields["parent_id"], fields["path"], len(fields["path"]) // LINK_STEP, _day(fields["valid_to"]), int(pk))
        for pk, fields in snapshot["links"].items()])
    remembered = [int(pk) for pk in snapshot["units"]]
    codes = {unit.pk: unit.code for unit in _rows(Unit.objects.only("code"), "pk", remembered)}
    history.update_rows(Unit, ["name", "short_name", "search_name", "valid_to"], [
        (fields["name"], fields["short_name"], Unit.search_text(fields["name"], fields["short_name"], codes[int(pk)]),
         _day(fields["valid_to"]), int(pk)) for pk, fields in snapshot["units"].items()])
    history.sync_todays_tree([pk for pk in snapshot["touched"] if pk not in created])
    new_units = list(_rows(Unit.objects.all(), "pk", created))
    entries = ([(link, "delete", None, link.unit.path, str(link)) for link in links]
               + [(row, "delete", None, "", str(row)) for row in successions]
               + [(unit, "delete", None, unit.path, str(unit)) for unit in new_units])
    try:
        # Treebeard's delete of a queryset: the units, one child count UPDATE per parent that
        # loses some. They hold nothing else by now (their children went back where they were).
        with disable_auditlog():
            Unit.objects.filter(pk__in=created).delete()
    except ProtectedError as exc:
        raise UndoRefused("a unit the batch created has reports, plans or accounts by now") from exc
    recorded_in_bulk.send(sender=None, actor=by, entries=entries)
    batch.undone_at, batch.undone_by = timezone.now(), by
    batch.save(update_fields=["undone_at", "undone_by"])
    history.carry_onto_today()
    units_changed.send(sender=None, parent_paths=None)
    return batch
