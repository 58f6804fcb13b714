from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from audit.commands import RecordedCommand
from backups import dumps


class Command(RecordedCommand):
    help = ("Restore a backup made by `backup` into the configured database, and the media archive beside it "
            "into MEDIA_ROOT. Refuses a database that holds data unless --replace is given.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the database backup (.sqlite3 or .dump)")
        parser.add_argument("--replace", action="store_true",
                            help="overwrite a database and a media folder that already hold data")
        parser.add_argument("--no-media", action="store_true",
                            help="restore the database only and leave MEDIA_ROOT as it is")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database alias (default: default)")

    def handle(self, *args, path, replace, no_media, database, **options):
        connection = connections[database]
        if not connection.in_atomic_block:
            connection.close()  # hold no lock on the database being replaced; reconnect afresh afterwards
        try:
            result = dumps.restore_backup(Path(path), connection.settings_dict, Path(settings.MEDIA_ROOT),
                                          replace=replace, with_media=not no_media)
        except dumps.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"database: {dumps.database_label(connection.settings_dict)} restored from {result.database}")
        if result.media_files is None:
            self.stdout.write(f"media:    {settings.MEDIA_ROOT} left as it was (--no-media)")
        else:
            self.stdout.write(f"media:    {result.media_files} file(s) restored into {settings.MEDIA_ROOT}")
        if result.leftover_tables:
            self.stderr.write(f"note: tables that the backup does not hold were left as they were: "
                              f"{', '.join(result.leftover_tables)}")
        pending = dumps.unapplied_migrations(connection)
        if pending:
            self.stderr.write(f"note: the backup predates {len(pending)} migration(s) of this code "
                              f"({', '.join(pending[:3])}{', …' if len(pending) > 3 else ''}): run `manage.py migrate`")
