"""A grouped query over the subtrees of some paths, compiled once and run for other paths.

The engine (indicators.engine) and the plans' counts (plans.status.grouped_counts) run the same
few queries for root after root: a page, a document or the API asks for a dozen subtrees in one
request, and building a query with the ORM costs more than the database takes to run it. Such a
query is compiled once for paths of the same shape made of letters no path holds (a path is
digits and capital letters), checked on first use to be the query of the real paths with those
parameters swapped, and from then on run as SQL with each call's paths swapped in, through the
converters Django would apply.

`table(key, paths, build)`: the column names and the rows (tuples) of `build(paths)`, the
values() queryset for a list of paths; `key` names everything else its SQL depends on, for as
long as the process runs. `rows(key, paths, build)`: the same rows as dicts.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

from units.lookups import next_prefix


def template(paths: list[str]) -> list[str] | None:
    """Paths of the same shape made of small letters: the i-th path in order becomes the i-th
    letter repeated, so that the order, the lengths and the prefixes of next_prefix stay apart.
    None: no such template (no path, an empty one, or more paths than letters)."""
    if not paths or len(paths) > 26 or not all(paths):
        return None
    return [chr(ord("a") + i) * len(path) for i, path in enumerate(paths)]


class Compiled:
    """A values() query's SQL compiled for template paths: runs it for other paths of the same
    shape by swapping the template's paths for theirs."""

    def __init__(self, queryset: QuerySet, template_paths: list[str]):
        query = queryset.query
        self.using = queryset.db
        self.compiler = query.get_compiler(using=self.using)
        self.sql, params = self.compiler.as_sql()
        self.params = tuple(params)
        self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        self.converters = _needed(self.compiler.get_converters(
            [column[0] for column in self.compiler.select[: self.compiler.col_count]]))
        self.template = template_paths

    @classmethod
    def of(cls, real: QuerySet, templated: QuerySet | None, paths: list[str],
           template_paths: list[str] | None) -> Compiled | None:
        """The compiled template, if it is the real query with the paths swapped; else None."""
        if templated is None:
            return None
        compiled = cls(templated, template_paths)
        sql, params = real.query.get_compiler(using=real.db).as_sql()
        if compiled.sql != sql or compiled.params_for(paths) != tuple(params):
            return None
        return compiled

    def params_for(self, paths: list[str]) -> tuple:
        swap = {}
        for letters, path in zip(self.template, paths, strict=True):
            swap[letters] = path
            swap[next_prefix(letters)] = next_prefix(path)
            swap[f"{letters}%"] = f"{path}%"  # LIKE 'path%' (PostgreSQL)
        return tuple(swap.get(p, p) if isinstance(p, str) else p for p in self.params)

    def rows(self, paths: list[str]) -> list:
        """The rows for these paths, each a tuple (a list once converted) in the order of `names`."""
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params_for(paths))
            rows = cursor.fetchall()
        if self.converters:  # a column at a time: the same calls as Django's, fewer steps
            rows = [list(row) for row in rows]
            for pos, convert, expression in self.converters:
                for row in rows:
                    row[pos] = convert(row[pos], expression, connection)
        return rows


def _needed(converters: dict) -> list[tuple]:
    """(position, converter, expression) of Django's converters (compiler.get_converters), each
    column's chain made one function, leaving out an integer aggregate's int(): the databases
    give COUNT and SUM of integer columns as int already, and it ran on every cell of every row."""
    needed = []
    for pos, (chain, expression) in converters.items():
        chain = [c for c in chain if not (c == expression.convert_value and _is_integer(expression))]
        if len(chain) == 1:
            needed.append((pos, chain[0], expression))
        elif chain:
            needed.append((pos, _chained(chain), expression))
    return needed


def _is_integer(expression) -> bool:
    return expression.output_field.get_internal_type().endswith("IntegerField")


def _chained(chain: list):
    def convert(value, expression, connection):
        for converter in chain:
            value = converter(value, expression, connection)
        return value
    return convert


UNCACHED = object()  # a query whose compiled form cannot be reused: built on every call
LIMIT = 512  # compiled queries kept per process (a few per depth, view and set of targets)
_compiled: dict = {}


def table(key: tuple, paths: list[str], build: Callable[[list[str]], QuerySet]) -> tuple[list[str], list]:
    """The column names and the rows of `build(paths)` (each a sequence in the order of the
    names), `paths` sorted and distinct: built with the ORM the first time for `key` (and every
    time if its template does not hold), then run compiled. Rows as sequences, not dicts: the
    engine reads tens of thousands of them for a district's breakdown.

    The compiled forms are kept for the process: every request would otherwise build its
    queries twice over (the real one and the template) before running them once. So `key` must
    name everything the SQL depends on besides the paths: the parameters (element ids, report
    statuses, the periods, a deadline's date and kinds, today's date) and the shape."""
    compiled = _compiled.get(key)
    if compiled is None:
        real = build(paths)
        letters = template(paths)
        if len(_compiled) >= LIMIT:
            _compiled.clear()
        _compiled[key] = Compiled.of(real, letters and build(letters), paths, letters) or UNCACHED
        return _as_table(real)
    if compiled is UNCACHED:
        return _as_table(build(paths))
    return compiled.names, compiled.rows(paths)


def _as_table(queryset: QuerySet) -> tuple[list[str], list[tuple]]:
    """A values() queryset's column names (as values() names them) and rows as tuples."""
    query = queryset.query
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    return names, [tuple(row[name] for name in names) for row in queryset]


def rows(key: tuple, paths: list[str], build: Callable[[list[str]], QuerySet]) -> list[dict]:
    """table()'s rows as dicts."""
    names, found = table(key, paths, build)
    return [dict(zip(names, row, strict=True)) for row in found]


def compiled_for(key: tuple):
    """The compiled form kept for `key` (None: not compiled yet; UNCACHED: not reusable)."""
    return _compiled.get(key)
