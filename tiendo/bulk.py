"""Inserting many rows in few statements, without a model instance per row (the bulk writes of
a spreadsheet import: reporting.actions, audit.trail)."""

from __future__ import annotations

from django.db import connection

MAX_PARAMETERS = 30_000  # below SQLite's 32,766 (since 3.32) and PostgreSQL's 65,535 per statement


def insert_rows(table: str, columns: list[str], rows: list[list]) -> None:
    """INSERT the rows (each a list of database-ready values, one per column) by multi-row
    VALUES statements of at most MAX_PARAMETERS parameters: a few statements for tens of
    thousands of rows (an executemany would send one statement per row to PostgreSQL); on
    PostgreSQL by COPY."""
    if not rows:
        return
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        # COPY: no SQL text to build and scan for placeholders (psycopg's parsing of a statement
        # with 30,000 of them was most of the import's time on PostgreSQL).
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    per_statement = max(1, MAX_PARAMETERS // len(columns))
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            cursor.execute(head + ", ".join([one] * len(chunk)), [value for row in chunk for value in row])
