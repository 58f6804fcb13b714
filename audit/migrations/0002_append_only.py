"""The database itself refuses to rewrite the audit trail.

Changing what an entry says is refused on both databases. Deleting rows is refused on
PostgreSQL; SQLite keeps DELETE allowed because Django's test flush empties tables with it
(PostgreSQL's flush uses TRUNCATE, which these row triggers do not see). Setting the actor to
NULL when an account is deleted stays possible: the actor's username is kept beside it.
"""

from django.db import migrations

PROTECTED = "object_pk, object_id, object_repr, serialized_data, action, changes_text, changes, timestamp, " \
            "additional_data, content_type_id, unit_path, actor_name, remote_addr"

SQLITE = [
    f"""CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE OF {PROTECTED} ON audit_auditentry
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_auditentry_no_update"]

POSTGRES = [
    """CREATE FUNCTION audit_auditentry_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$""",
    f"""CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE OF {PROTECTED} ON audit_auditentry
        FOR EACH ROW EXECUTE FUNCTION audit_auditentry_refuse()""",
    """CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
        FOR EACH ROW EXECUTE FUNCTION audit_auditentry_refuse()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete ON audit_auditentry",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_auditentry_refuse()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
