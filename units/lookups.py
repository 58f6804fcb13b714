"""`field__under=path`: rows whose path lies in the subtree of `path` (the path itself and
every path that begins with it), for every path column (Unit.path, UnitLink.path, a rollup's
parent_path) and path expression.

It means what `__startswith` means on these columns, written so that the database can use the
column's index: on SQLite `LIKE 'p%'` cannot (SQLite's LIKE folds case, the index does not),
so the lookup is the range `field >= p AND field < next(p)`, next(p) being p with its last
character raised by one (every path that begins with p, and no other, sorts between the two:
paths are digits and capital letters, compared byte by byte). PostgreSQL keeps `LIKE 'p%'`,
which its pattern index (varchar_pattern_ops) serves, whatever the database's collation.
"""

from __future__ import annotations

from django.db.models import CharField
from django.db.models.lookups import StartsWith


def next_prefix(prefix: str) -> str:
    """The first string after every string that begins with `prefix` (not empty)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


@CharField.register_lookup
class Under(StartsWith):
    lookup_name = "under"

    def as_sql(self, compiler, connection):
        """Elsewhere than SQLite: exactly `__startswith` (its operator, cast and escaping)."""
        return StartsWith(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_sqlite(self, compiler, connection):
        if not isinstance(self.rhs, str):  # an expression: no range to write
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if not self.rhs:
            return f"{lhs} >= %s", (*lhs_params, "")
        return f"({lhs} >= %s AND {lhs} < %s)", (*lhs_params, self.rhs, *lhs_params, next_prefix(self.rhs))
