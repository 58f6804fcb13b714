from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from backups import dumps


class Command(BaseCommand):
    help = ("Back up the database and the uploaded files (MEDIA_ROOT): the database to PATH, the files to "
            "<PATH without its extension>.media.tar.gz beside it.")

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?",
            help="the file to write, or a folder to write the default name into "
                 "(default: var/backups/tiendo-<engine>-<YYYYmmdd-HHMMSS>.<sqlite3|dump>)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database alias (default: default)")

    def handle(self, *args, path, database, **options):
        settings_dict = connections[database].settings_dict
        try:
            target = dumps.backup_path(settings_dict, path, Path(settings.VAR_DIR) / "backups")
            files = dumps.create_backup(target, settings_dict, Path(settings.MEDIA_ROOT))
        except dumps.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"database: {files.database}  {dumps.human_size(files.database.stat().st_size)}")
        self.stdout.write(f"media:    {files.media}  {dumps.human_size(files.media.stat().st_size)}, "
                          f"{files.media_files} file(s)")
