"""`backup` and `restore`: a backup of a database full of real data, restored into an empty
database, holds every row of every table and every uploaded file; a database that holds data
is not overwritten unless asked; a damaged backup changes nothing. Runs on the configured
database (SQLite, or PostgreSQL under scripts/with_postgres.sh); the restores are real, so the
transactions commit (transactional_db)."""

from __future__ import annotations

import datetime
import re
import subprocess
import threading
import time
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import load_backend
from django.utils import timezone

from accounts.testing import build_world
from backups import dumps
from indicators.rollups import refresh as refresh_rollups
from plans.actions import do_upload_plan
from reporting.actions import (
    do_approve,
    do_close_period,
    do_open_period,
    do_save_values,
    do_submit,
    get_or_create_report,
)
from reporting.models import Report
from reporting.testing import make_report
from units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)

ENGINE = dumps.engine_of(connection.settings_dict)
only_sqlite = pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite only: the configured database is PostgreSQL")
only_postgresql = pytest.mark.skipif(
    ENGINE != "postgresql", reason="PostgreSQL only: run under scripts/with_postgres.sh (the database is SQLite)")

D = datetime.date
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)

SCHOOL_2024 = {
    "workers": 40, "members": 40, "officers": 5, "officers_trained": 4, "resolution_disseminated": True,
    "implementation_plan_built": True, "workers_informed": 35, "workers_upskilled": 20,
    "authority_dialogue_proposed": False, "cba_signed": True, "cba_more_favourable": True, "cba_quality_class": "B",
    "union_homes": 0, "initiatives": 6, "creative_model_applied": True, "effective_model": True, "party_referrals": 1,
}


# --- helpers ---------------------------------------------------------------------------------

def rows_of_every_table(settings_dict: dict) -> dict[str, list[tuple]]:
    """Every table of the database, every row, in a fixed order (by all columns), read through
    a connection of its own."""
    other = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(dict(settings_dict), alias="compare")
    try:
        with other.cursor() as cursor:
            tables = {}
            for name in other.introspection.table_names(cursor):
                table = other.ops.quote_name(name)
                cursor.execute(f"SELECT * FROM {table} WHERE 1 = 0")
                order = ", ".join(str(position) for position in range(1, len(cursor.description) + 1))
                cursor.execute(f"SELECT * FROM {table} ORDER BY {order}")
                tables[name] = cursor.fetchall()
            return tables
    finally:
        other.close()


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def backup_file(folder: Path) -> Path:
    return folder / f"tiendo{dumps.EXTENSIONS[ENGINE]}"


def back_up(path: Path | str) -> str:
    out = StringIO()
    call_command("backup", str(path), stdout=out)
    return out.getvalue()


def restore(path: Path, *options: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("restore", str(path), *options, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


# --- fixtures --------------------------------------------------------------------------------

@pytest.fixture
def filled(program_loaded, media):
    """The shared little An Giang (accounts.testing) with the program, two reported years (the
    first closed: its reports locked), approved and submitted reports, one report through the
    workflow (its history in the audit trail), rolled-up values, and two uploaded plans."""
    program, world = program_loaded, build_world()
    approved, submitted = Report.Status.APPROVED, Report.Status.SUBMITTED
    earlier = do_open_period("year", 2023, 0, D(2024, 1, 15), by=world.admin)
    make_report(earlier, world.school, approved, D(2024, 1, 10), workers=40, members=38, officers=3,
                officers_trained=2, initiatives=4, party_referrals=1)
    make_report(earlier, world.factory, approved, D(2024, 1, 10), workers=1100, members=900, officers=9,
                officers_trained=5, initiatives=20, cba_signed=True, cba_quality_class="C", cba_more_favourable=False,
                union_homes=1)
    do_close_period(earlier, by=world.admin)
    period = do_open_period("year", 2024, 0, D(2025, 1, 15), by=world.admin)
    make_report(period, world.factory, approved, D(2025, 1, 20), workers=1200, members=1000, officers=9,
                officers_trained=7, workers_informed=1000, initiatives=30, cba_signed=True, cba_quality_class="B",
                cba_more_favourable=True, employee_conference_held=True, union_homes=2, party_referrals=2)
    make_report(period, world.market, approved, D(2025, 1, 12), workers=25, members=22, officers=2)
    make_report(period, world.chau_doc, submitted, D(2025, 1, 14), labour_disputes=1, disputes_with_union=0)
    # One report through the whole workflow: saved values, submitted, approved (its history).
    report = get_or_create_report(period, world.school)
    do_save_values(report, SCHOOL_2024, {}, world.reporter, 0)
    report.refresh_from_db()
    do_submit(report, world.reporter, report.version)
    report.refresh_from_db()
    do_approve(report, world.approver, report.version, comment="Đã kiểm tra, đồng ý.")
    for unit, by, name in ((world.school, world.reporter, "Kế hoạch số 12.pdf"),
                           (world.long_xuyen, world.approver, "KH 05 LĐLĐ Long Xuyên.pdf")):
        do_upload_plan(program, unit, SimpleUploadedFile(name, PDF_BYTES + name.encode()), D(2021, 8, 15),
                       "12/KH-CĐCS", by)
    refresh_rollups()
    return world


@pytest.fixture
def empty_database(tmp_path):
    """Settings for a second, empty database beside the test database: a new SQLite file, or a
    new database created on the same PostgreSQL cluster (dropped afterwards)."""
    if ENGINE == "sqlite":
        yield {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"tiendo_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    try:
        yield {**connection.settings_dict, "NAME": name}
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


# --- a whole round trip ----------------------------------------------------------------------

def test_a_backup_restored_into_an_empty_database_holds_every_row_and_file(filled, media, empty_database, tmp_path):
    path = backup_file(tmp_path / "backups")
    output = back_up(path)
    archive = tmp_path / "backups" / "tiendo.media.tar.gz"
    assert f"database: {path}  " in output and f"media:    {archive}  " in output
    assert "bytes" in output and "2 file(s)" in output

    source = rows_of_every_table(connection.settings_dict)
    for table in ("units_unit", "accounts_user", "programs_target", "reporting_report", "reporting_datavalue",
                  "audit_auditentry", "reporting_implementationplan", "indicators_rollup"):
        assert source[table], f"{table} should hold rows in the source database"

    assert dumps.table_names(empty_database) == []
    restored_media = tmp_path / "restored-media"
    result = dumps.restore_backup(path, empty_database, restored_media)

    restored = rows_of_every_table(empty_database)
    assert sorted(restored) == sorted(source)
    for table, rows in source.items():
        assert restored[table] == rows, f"table {table} differs after the restore"
    assert result.media_files == 2
    assert files_under(restored_media) == files_under(media)
    assert len(files_under(media)) == 2


def test_backup_writes_the_default_name_into_var_backups_or_into_a_given_folder(world, media, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    output = StringIO()
    call_command("backup", stdout=output)
    stamp = r"\d{8}-\d{6}"
    extension = dumps.EXTENSIONS[ENGINE]
    written = re.search(rf"database: (\S+/tiendo-{ENGINE}-{stamp}{re.escape(extension)})  ", output.getvalue())
    assert written, output.getvalue()
    assert Path(written.group(1)).parent == tmp_path / "var" / "backups"
    assert dumps.media_archive_for(Path(written.group(1))).is_file()

    folder = tmp_path / "usb"
    into_folder = back_up(f"{folder}/")  # a new folder, said so by the slash
    assert re.search(rf"database: {re.escape(str(folder))}/tiendo-{ENGINE}-{stamp}{re.escape(extension)}  ",
                     into_folder)
    written_now = list(folder.iterdir())
    assert len(written_now) == 2 and all(p.stat().st_mode & 0o077 == 0 for p in written_now), "owner-only files"


def test_backup_never_overwrites_a_file(world, media, tmp_path):
    path = backup_file(tmp_path)
    back_up(path)
    with pytest.raises(CommandError, match="already exists"):
        back_up(path)


# --- restore into the configured database ----------------------------------------------------

def test_restore_refuses_a_database_that_holds_data(filled, media, tmp_path):
    path = backup_file(tmp_path / "backups")
    back_up(path)
    before, files_before = rows_of_every_table(connection.settings_dict), files_under(media)

    with pytest.raises(CommandError, match=r"already holds data \(.*\); use --replace to overwrite it"):
        restore(path)

    assert rows_of_every_table(connection.settings_dict) == before
    assert files_under(media) == files_before


def test_restore_refuses_a_media_folder_that_holds_files(filled, media, empty_database, tmp_path):
    path = backup_file(tmp_path / "backups")
    back_up(path)
    other_media = tmp_path / "other-media"
    (other_media / "plans").mkdir(parents=True)
    (other_media / "plans" / "someone-elses.pdf").write_bytes(PDF_BYTES)

    with pytest.raises(dumps.DatabaseNotEmpty, match="media folder .* already holds files"):
        dumps.restore_backup(path, empty_database, other_media)

    assert dumps.table_names(empty_database) == []
    assert list(files_under(other_media)) == ["plans/someone-elses.pdf"]


def test_restore_with_replace_brings_back_the_database_and_the_files(filled, media, tmp_path):
    path = backup_file(tmp_path / "backups")
    back_up(path)
    before, files_before = rows_of_every_table(connection.settings_dict), files_under(media)
    # Work goes on after the backup: a report deleted, a unit renamed, a plan file lost, another file added.
    Report.objects.filter(unit=filled.factory).delete()
    Unit.objects.filter(pk=filled.school.pk).update(name="Đổi tên sau khi sao lưu")
    next(p for p in media.rglob("*.pdf")).unlink()
    (media / "stray.txt").write_text("added after the backup")

    output = restore(path, "--replace")

    assert "restored from" in output and "2 file(s) restored" in output
    assert rows_of_every_table(connection.settings_dict) == before
    assert files_under(media) == files_before
    # The application reads the restored database through its own connection at once.
    assert Unit.objects.get(pk=filled.school.pk).name == "Công đoàn Trường Tiểu học Mỹ Bình"
    assert Report.objects.filter(unit=filled.factory).count() == 2


@only_sqlite
def test_the_live_sqlite_file_stays_in_wal_mode_after_a_restore(filled, media, tmp_path):
    path = backup_file(tmp_path)
    back_up(path)
    restore(path, "--replace")
    import sqlite3

    live = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        assert live.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert live.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        live.close()


# --- damaged backups -------------------------------------------------------------------------

def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _cut_after_the_header(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:100])


def _emptied(path: Path) -> None:
    path.write_bytes(b"")


def _other_engine(path: Path) -> None:
    if ENGINE == "sqlite":
        path.write_bytes(b"PGDMP" + bytes(200))
    else:
        import sqlite3

        path.unlink()
        sqlite3.connect(path).execute("CREATE TABLE django_migrations (id integer)").connection.close()


def _media_archive_truncated(path: Path) -> None:
    _truncated(dumps.media_archive_for(path))


@pytest.mark.parametrize(("damage", "message"), [
    (_truncated, r"is damaged"),
    (_cut_after_the_header, r"is damaged"),
    (_emptied, r"neither an SQLite database nor a pg_dump custom-format file"),
    (_other_engine, r"backup and the configured database is"),
    (_media_archive_truncated, r"media archive .* cannot be unpacked"),
], ids=["truncated", "cut-after-the-header", "empty", "other-engine", "media-archive-truncated"])
def test_a_damaged_backup_is_refused_and_the_database_left_as_it_was(filled, media, tmp_path, damage, message):
    path = backup_file(tmp_path / "backups")
    back_up(path)
    damage(path)
    Unit.objects.filter(pk=filled.school.pk).update(name="Sau khi sao lưu")  # so that a restore would show
    before, files_before = rows_of_every_table(connection.settings_dict), files_under(media)

    with pytest.raises(CommandError, match=message):
        restore(path, "--replace")

    assert rows_of_every_table(connection.settings_dict) == before
    assert files_under(media) == files_before
    assert not list(media.parent.glob(".media-restore-*")), "no staging folder left behind"


def test_a_missing_media_archive_is_an_error_unless_the_database_alone_is_restored(filled, media, empty_database,
                                                                                   tmp_path):
    path = backup_file(tmp_path / "backups")
    back_up(path)
    dumps.media_archive_for(path).unlink()
    restored_media = tmp_path / "restored-media"

    with pytest.raises(dumps.BackupError, match=r"media archive .* is missing.*--no-media"):
        dumps.restore_backup(path, empty_database, restored_media)
    assert dumps.table_names(empty_database) == []

    result = dumps.restore_backup(path, empty_database, restored_media, with_media=False)
    assert result.media_files is None and not restored_media.exists()
    assert rows_of_every_table(empty_database)["reporting_report"] == rows_of_every_table(
        connection.settings_dict)["reporting_report"]


@only_postgresql
def test_a_dump_that_breaks_in_the_middle_of_the_restore_is_rolled_back(filled, media, tmp_path):
    """The check reads the whole dump first; should a dump still break while it is restored,
    --single-transaction rolls back the drops and creates that came before the break."""
    path = backup_file(tmp_path)
    back_up(path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.8)])
    listing = subprocess.run([dumps.pg_tool("pg_restore"), "--list", str(path)], capture_output=True, check=False)
    assert listing.returncode == 0, "the table of contents alone looks fine"
    with pytest.raises(dumps.BackupError, match="is damaged"):
        dumps.check_backup(path, "postgresql")
    Unit.objects.filter(pk=filled.school.pk).update(name="Sau khi sao lưu")
    before = rows_of_every_table(connection.settings_dict)

    with pytest.raises(dumps.BackupError, match="pg_restore failed, the database is unchanged"):
        dumps._pg_restore(path, connection.settings_dict)  # past the check, on purpose

    assert rows_of_every_table(connection.settings_dict) == before


# --- a backup while the server writes --------------------------------------------------------

def _sessions_in(path: Path) -> int:
    if ENGINE == "sqlite":
        import sqlite3

        backup = sqlite3.connect(path)
        try:
            return backup.execute("SELECT count(*) FROM django_session").fetchone()[0]
        finally:
            backup.close()
    script = subprocess.run([dumps.pg_tool("pg_restore"), "--data-only", "--table=django_session", "--file=-",
                             str(path)], capture_output=True, text=True, check=True).stdout
    copy = script.split("COPY public.django_session", 1)[1].split("\n\\.", 1)[0]
    return len(copy.strip().splitlines()) - 1  # the COPY line's own rest


def test_a_backup_taken_while_the_server_writes_holds_whole_transactions(world, media, tmp_path):
    """A writer commits pairs of rows; the backup must never hold half a pair."""
    stop, written = threading.Event(), []

    def writer():
        try:
            expires = timezone.now() + datetime.timedelta(days=1)
            while not stop.is_set():
                with transaction.atomic():
                    for _ in range(2):
                        Session.objects.create(session_key=uuid.uuid4().hex, session_data="x", expire_date=expires)
                written.append(2)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:
            time.sleep(0.01)
        path = backup_file(tmp_path)
        back_up(path)
    finally:
        stop.set()
        thread.join(30)

    in_backup = _sessions_in(path)
    assert in_backup >= 40 and in_backup % 2 == 0
    assert in_backup <= Session.objects.count()
