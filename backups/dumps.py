"""Backups of the database and of the uploaded files (MEDIA_ROOT), and their restore.

A backup is two files side by side:

    tiendo-sqlite-20251126-101500.sqlite3          the database: a plain SQLite file
    tiendo-sqlite-20251126-101500.media.tar.gz     every file under MEDIA_ROOT

(`tiendo-postgresql-….dump`, pg_dump's custom format, for PostgreSQL). The database file stays
what the database's own tools read (`sqlite3 FILE`, `pg_restore --list FILE`); the media archive
is plain tar.

A backup taken while the server writes holds whole transactions only: SQLite is copied with its
online backup API, PostgreSQL dumped by pg_dump, each from one snapshot. The database is copied
first and the files afterwards: uploads are only ever added, so every file the database names
is in the archive (at worst the archive holds one file more).

A restore checks everything before it changes anything (the database file: `PRAGMA
integrity_check`, or pg_restore reading the whole dump; the media archive: unpacked into a
staging folder), refuses a database that already holds data unless asked to replace it, and
then replaces the database in one transaction (SQLite: the backup API writing into the live
file; PostgreSQL: `pg_restore --single-transaction`), so a failure leaves it as it was. The
uploaded files are swapped in last.

Every function takes a complete settings dict, as `django.db.connections[alias].settings_dict`,
so that it can work on another database than the configured one (the tests restore into a
fresh database).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import Error as DatabaseError
from django.db.utils import load_backend
from django.utils import timezone

# Rows that `migrate` writes by itself: a freshly migrated database still counts as empty.
BOOKKEEPING_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})
EXTENSIONS = {"sqlite": ".sqlite3", "postgresql": ".dump"}
MEDIA_SUFFIX = ".media.tar.gz"
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message tells an operator why."""


class DatabaseNotEmpty(BackupError):
    """The restore would overwrite data, and replacing it was not asked for."""


@dataclass
class BackupFiles:
    database: Path
    media: Path
    media_files: int


@dataclass
class RestoreResult:
    database: Path
    media_files: int | None  # None: the uploaded files were left alone
    # PostgreSQL only: tables of the target database that the backup does not hold (kept as they were).
    leftover_tables: list[str] = field(default_factory=list)


# --- names -----------------------------------------------------------------------------------

def engine_of(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"backups know SQLite and PostgreSQL, not {engine}")


def database_label(settings_dict: dict) -> str:
    name = settings_dict["NAME"]
    if engine_of(settings_dict) == "sqlite":
        return str(name)
    host = settings_dict.get("HOST") or os.environ.get("PGHOST") or "localhost"
    return f"{name} on {host}"


def default_name(engine: str, now=None) -> str:
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    return f"tiendo-{engine}-{stamp}{EXTENSIONS[engine]}"


def backup_path(settings_dict: dict, path: str | None, default_folder: Path) -> Path:
    """Where the database backup goes: `path`; the default name inside `path` if it is a
    folder (or ends with a slash); the default name inside `default_folder` without a path."""
    name = default_name(engine_of(settings_dict))
    if not path:
        return default_folder / name
    folder = path.endswith(os.sep) or Path(path).is_dir()
    return Path(path) / name if folder else Path(path)


def media_archive_for(database_file: Path) -> Path:
    """The media archive that goes with a database backup: same folder, same stem."""
    return database_file.with_name(database_file.stem + MEDIA_SUFFIX)


def human_size(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit} ({size:,} bytes)"
    return f"{size:,} bytes"


# --- back up ---------------------------------------------------------------------------------

def create_backup(path: Path, settings_dict: dict, media_root: Path) -> BackupFiles:
    """Write the database to `path` and MEDIA_ROOT to the archive beside it. Never overwrites
    a file; a failed backup leaves no file with the final name behind."""
    engine = engine_of(settings_dict)
    media = media_archive_for(path)
    for existing in (path, media):
        if existing.exists():
            raise BackupError(f"{existing} already exists; choose another path")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with _written_atomically(path) as partial:
        if engine == "sqlite":
            _sqlite_backup(settings_dict, partial)
        else:
            _pg_dump(settings_dict, partial)
    try:
        with _written_atomically(media) as partial:
            count = _archive_media(Path(media_root), partial)
    except BaseException:
        path.unlink(missing_ok=True)  # half a backup must not pass for a whole one
        raise
    return BackupFiles(database=path, media=media, media_files=count)


@contextmanager
def _written_atomically(path: Path) -> Iterator[Path]:
    """A temporary name to write to; renamed to `path` only once complete. Backups hold
    password hashes and personal data: readable by their owner only."""
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        yield partial
        partial.chmod(0o600)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_timeout(settings_dict: dict) -> float:
    return float(settings_dict.get("OPTIONS", {}).get("timeout", 20))


def _sqlite_copy(source, target, timeout: float, after=None) -> None:
    """Every page of `source` into `target` with SQLite's online backup API: one read snapshot
    of the source, one write transaction on the target (rolled back by SQLite on an error)."""
    source_db = sqlite3.connect(source, uri=isinstance(source, str) and source.startswith("file:"), timeout=timeout)
    try:
        target_db = sqlite3.connect(target, timeout=timeout)
        try:
            source_db.backup(target_db)
            if after:
                target_db.execute(after)
        finally:
            target_db.close()
    finally:
        source_db.close()


def _sqlite_backup(settings_dict: dict, destination: Path) -> None:
    source_file = Path(settings_dict["NAME"])
    if not source_file.is_file():
        raise BackupError(f"the database file {source_file} does not exist")
    try:
        # With WAL the server's writers go on meanwhile, and the copy holds the database as of
        # one moment; journal_mode=DELETE makes it one self-contained file.
        _sqlite_copy(source_file, destination, _sqlite_timeout(settings_dict), after="PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"SQLite backup of {source_file} failed: {error}") from error


def _pg_dump(settings_dict: dict, destination: Path) -> None:
    _run_pg([pg_tool("pg_dump"), "--format=custom", "--no-password", f"--file={destination}",
             f"--dbname={settings_dict['NAME']}"], settings_dict)


def _archive_media(media_root: Path, destination: Path) -> int:
    files = 0
    with tarfile.open(destination, "w:gz") as archive:
        if media_root.is_dir():
            for child in sorted(media_root.iterdir()):
                archive.add(child, arcname=child.name)
        files = sum(1 for member in archive.getmembers() if member.isfile())
    return files


# --- restore ---------------------------------------------------------------------------------

def restore_backup(path: Path, settings_dict: dict, media_root: Path, replace: bool = False,
                   with_media: bool = True) -> RestoreResult:
    """Restore the database backup at `path` (and the media archive beside it) into the database
    of `settings_dict` and into `media_root`. Raises BackupError, having changed nothing, when a
    file is damaged or missing, or when the database or media folder holds data and `replace`
    is false."""
    engine = engine_of(settings_dict)
    path, media_root = Path(path), Path(media_root)
    dump_tables = check_backup(path, engine)
    archive = media_archive_for(path)
    if with_media and not archive.is_file():
        raise BackupError(f"the media archive {archive} is missing: put it beside {path.name}, "
                          f"or restore the database alone with --no-media")
    if not replace:
        full = tables_with_rows(settings_dict)
        if full:
            raise DatabaseNotEmpty(
                f"the database {database_label(settings_dict)} already holds data "
                f"({', '.join(full[:5])}{', …' if len(full) > 5 else ''}); use --replace to overwrite it")
        if with_media and _holds_files(media_root):
            raise DatabaseNotEmpty(f"the media folder {media_root} already holds files; use --replace to overwrite it")

    staging = _unpack_media(archive, media_root) if with_media else None
    try:
        if engine == "sqlite":
            _sqlite_restore(path, settings_dict)
            leftovers = []
        else:
            _pg_restore(path, settings_dict)
            leftovers = sorted(set(table_names(settings_dict)) - dump_tables)
    except BaseException:
        if staging:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    files = _swap_media(staging, media_root) if staging else None
    return RestoreResult(database=path, media_files=files, leftover_tables=leftovers)


def check_backup(path: Path, engine: str) -> set[str]:
    """Raise BackupError unless `path` is an undamaged tiendo backup for `engine`; return the
    names of the tables it holds."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    kind = "sqlite" if head == SQLITE_MAGIC else "postgresql" if head.startswith(PG_DUMP_MAGIC) else None
    if kind is None:
        raise BackupError(f"{path} is neither an SQLite database nor a pg_dump custom-format file "
                          f"(empty, truncated at the start, or another kind of file)")
    if kind != engine:
        raise BackupError(f"{path} is a {kind} backup and the configured database is {engine}; "
                          f"a backup restores into the same kind of database")
    return _check_sqlite(path) if engine == "sqlite" else _check_pg(path)


def _read_only_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def _check_sqlite(path: Path) -> set[str]:
    try:
        connection = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise BackupError(f"{path} is damaged: {error}") from error
    if problems != ["ok"]:
        raise BackupError(f"{path} is damaged: integrity_check found {'; '.join(problems[:5])}")
    if "django_migrations" not in tables:
        raise BackupError(f"{path} is an SQLite database but not a tiendo backup (no django_migrations table)")
    return tables


DUMP_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ", re.MULTILINE)


def _check_pg(path: Path) -> set[str]:
    restore = pg_tool("pg_restore")
    listing = _run_pg([restore, "--list", str(path)], None, what=f"{path} is damaged")
    tables = {name for _schema, name in DUMP_TABLE.findall(listing)}
    if "django_migrations" not in tables:
        raise BackupError(f"{path} is a PostgreSQL dump but not a tiendo backup (no django_migrations table)")
    # --list reads the table of contents only. Reading every data block too (the SQL goes
    # nowhere) finds a truncated or corrupted dump before the database is touched.
    _run_pg([restore, f"--file={os.devnull}", str(path)], None, what=f"{path} is damaged")
    return tables


def _sqlite_restore(path: Path, settings_dict: dict) -> None:
    target_file = Path(settings_dict["NAME"])
    target_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        # One write transaction on the live file: the server's connections wait for it (busy
        # timeout), then read either the old database or the restored one.
        _sqlite_copy(_read_only_uri(path), target_file, _sqlite_timeout(settings_dict))
    except sqlite3.Error as error:
        raise BackupError(f"SQLite restore into {target_file} failed, the database is unchanged: {error}") from error


def _pg_restore(path: Path, settings_dict: dict) -> None:
    # --clean --if-exists drops what the dump creates, so a migrated or older database is
    # replaced; --single-transaction rolls everything back on the first error; owners and
    # grants are left out so that the dump restores on a server whose roles are named otherwise.
    _run_pg([pg_tool("pg_restore"), f"--dbname={settings_dict['NAME']}", "--clean", "--if-exists", "--no-owner",
             "--no-privileges", "--single-transaction", "--exit-on-error", "--no-password", str(path)],
            settings_dict, what="pg_restore failed, the database is unchanged")


# --- the target database ---------------------------------------------------------------------

@contextmanager
def _connection(settings_dict: dict):
    """A Django connection of its own to the database of `settings_dict`."""
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(dict(settings_dict), alias="backups")
    try:
        yield wrapper
    except DatabaseError as error:
        raise BackupError(f"cannot read the database {database_label(settings_dict)}: {error}") from error
    finally:
        wrapper.close()


def table_names(settings_dict: dict) -> list[str]:
    if engine_of(settings_dict) == "sqlite" and not Path(settings_dict["NAME"]).exists():
        return []
    with _connection(settings_dict) as connection, connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def tables_with_rows(settings_dict: dict) -> list[str]:
    """The tables holding at least one row, leaving out what `migrate` fills by itself."""
    if engine_of(settings_dict) == "sqlite" and not Path(settings_dict["NAME"]).exists():
        return []
    full = []
    with _connection(settings_dict) as connection, connection.cursor() as cursor:
        for name in connection.introspection.table_names(cursor):
            if name in BOOKKEEPING_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(name)} LIMIT 1")
            if cursor.fetchone():
                full.append(name)
    return full


def unapplied_migrations(connection) -> list[str]:
    """Migrations of this code that the (restored) database has not applied."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


# --- uploaded files --------------------------------------------------------------------------

def _holds_files(folder: Path) -> bool:
    return folder.is_dir() and any(not entry.is_dir() for entry in folder.rglob("*"))


def _unpack_media(archive: Path, media_root: Path) -> Path:
    """Unpack the archive into a staging folder beside MEDIA_ROOT (so that a damaged archive is
    found before the database is touched)."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{media_root.name}-restore-", dir=media_root.parent))
    try:
        with tarfile.open(archive, "r:gz") as tar:
            # The "data" filter refuses absolute names, "..", links out of the folder, devices.
            tar.extractall(staging, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"the media archive {archive} cannot be unpacked: {error}") from error
    return staging


def _swap_media(staging: Path, media_root: Path) -> int:
    """Replace the contents of MEDIA_ROOT with the staged files; return how many. The folder
    itself stays (it may be a mount point)."""
    media_root.mkdir(parents=True, exist_ok=True)
    for entry in media_root.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    files = sum(1 for entry in staging.rglob("*") if entry.is_file())
    for entry in staging.iterdir():
        shutil.move(entry, media_root / entry.name)
    staging.rmdir()
    return files


# --- PostgreSQL tools ------------------------------------------------------------------------

def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: from PATH, else the newest in Debian's /usr/lib/postgresql/*/bin
    (as scripts/with_postgres.sh finds initdb)."""
    found = shutil.which(name)
    if found:
        return found

    def major(candidate: str) -> int:
        match = re.search(r"/postgresql/(\d+)/", candidate)
        return int(match.group(1)) if match else 0

    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=major)
    if not candidates:
        raise BackupError(f"{name} not found (neither on PATH nor in /usr/lib/postgresql/*/bin): "
                          f"install the PostgreSQL client tools")
    return candidates[-1]


def _pg_env(settings_dict: dict | None) -> dict[str, str]:
    """The environment for pg_dump/pg_restore: the connection settings as libpq variables, the
    password among them (never on the command line, where `ps` shows it)."""
    env = dict(os.environ)
    if settings_dict is None:
        return env
    from django.db.backends.postgresql.client import DatabaseClient

    _args, extra = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env.update(extra or {})  # PGPASSWORD, PGSSLMODE, PGPASSFILE, … as dbshell passes them
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run_pg(args: list[str], settings_dict: dict | None, what: str = "") -> str:
    tool = Path(args[0]).name
    try:
        done = subprocess.run(args, env=_pg_env(settings_dict), capture_output=True, text=True, check=False)
    except OSError as error:
        raise BackupError(f"cannot run {tool}: {error}") from error
    if done.returncode != 0:
        message = done.stderr.strip() or f"exit status {done.returncode}"
        raise BackupError(f"{what or tool + ' failed'}: {message}")
    return done.stdout
