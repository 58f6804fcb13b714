"""pg_dump and pg_restore get the connection settings of DATABASES as libpq variables; the
password never appears on a command line (where `ps` shows it to every user). No database
needed: the programs are not run."""

import subprocess

from backups import dumps

SETTINGS = {
    "ENGINE": "django.db.backends.postgresql", "NAME": "tiendo", "HOST": "db.example.vn", "PORT": 5433,
    "USER": "tiendo_app", "PASSWORD": "mật khẩu 'bí mật' s3cret", "OPTIONS": {"sslmode": "require"},
}


def test_the_password_goes_through_the_environment_never_the_command_line(monkeypatch, tmp_path):
    calls = []

    def run(args, env, **kwargs):
        calls.append((args, env))
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(dumps.subprocess, "run", run)
    monkeypatch.setattr(dumps, "pg_tool", lambda name: f"/usr/lib/postgresql/15/bin/{name}")

    dumps._pg_dump(SETTINGS, tmp_path / "tiendo.dump")
    dumps._pg_restore(tmp_path / "tiendo.dump", SETTINGS)

    (dump_args, dump_env), (restore_args, restore_env) = calls
    for args, env in calls:
        assert not any("s3cret" in arg for arg in args)
        assert (env["PGPASSWORD"], env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGSSLMODE"]) == (
            SETTINGS["PASSWORD"], "db.example.vn", "5433", "tiendo_app", "require")
        assert "--no-password" in args and "--dbname=tiendo" in args
    assert dump_args[:2] == ["/usr/lib/postgresql/15/bin/pg_dump", "--format=custom"]
    assert {"--clean", "--if-exists", "--no-owner", "--single-transaction"} <= set(restore_args)


def test_pg_tools_are_found_on_the_path_first(monkeypatch):
    monkeypatch.setattr(dumps.shutil, "which", lambda name: f"/opt/pg/bin/{name}")
    assert dumps.pg_tool("pg_dump") == "/opt/pg/bin/pg_dump"


def test_pg_tools_otherwise_come_from_the_newest_debian_folder(monkeypatch):
    monkeypatch.setattr(dumps.shutil, "which", lambda name: None)
    monkeypatch.setattr(dumps.glob, "glob", lambda pattern: [
        "/usr/lib/postgresql/9/bin/pg_restore", "/usr/lib/postgresql/15/bin/pg_restore",
        "/usr/lib/postgresql/13/bin/pg_restore"])
    assert dumps.pg_tool("pg_restore") == "/usr/lib/postgresql/15/bin/pg_restore"
