"""Inserting many rows in few statements, without a model instance per row (the bulk writes of
a spreadsheet import: reporting.actions, audit.trail)."""

from __future__ import annotations

from django.db import connection

MAX_PARAMETERS = 30_000  # below SQLite's 32,766 (since 3.32) and PostgreSQL's 65,535 per statement


def insert_rows(table: str, columns: list[str], rows: list[list]) -> None:
    """INSERT the rows (each a list of database-ready values, one per column) by multi-row
    VALUES statements of at most MAX_PARAMETERS parameters: a few statements for tens of
    thousands of rows, on SQLite and PostgreSQL alike (an executemany would send one statement
    per row to PostgreSQL)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    per_statement = max(1, MAX_PARAMETERS // len(columns))
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            cursor.execute(head + ", ".join([one] * len(chunk)), [value for row in chunk for value in row])
