"""Test configuration shared by every app's tests."""

import datetime

import pytest

# Fixtures more than one app's tests use, kept in the apps' testing modules.
pytest_plugins = ["plans.testing"]


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only", action="store_true",
        help="run only the tests that use a database, and no browser test (the second database's run)")


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL run repeats only what a second database can change: a test that touches no
    database (pytest-django refuses it any query) gives the same outcome on both, and a browser
    test checks what the page does in Chromium, which the database does not change, while every
    view behind those pages runs on PostgreSQL through the client tests."""
    if not config.getoption("--database-tests-only"):
        return
    kept, left_out = [], []
    for item in items:
        uses_database = (item.get_closest_marker("django_db") is not None
                         or "_django_db_helper" in getattr(item, "fixturenames", ()))
        is_browser = item.get_closest_marker("browser") is not None
        (kept if uses_database and not is_browser else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def pytest_configure(config):
    from django.conf import settings

    # Hashing passwords properly costs ~0.3 s per login; tests log in often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploaded files (plans) go to a throwaway folder, never into var/media.
    import tempfile

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="tiendo-media-")


@pytest.fixture(autouse=True)
def _site_language_again():
    """Every test starts in the site's language. A request activates the language of its cookie in
    the thread and nothing switches it back: after a test that chose English, a message built
    outside a request (validation, documents) would be English in whichever test ran next on that
    worker, so the outcome would depend on the order and on the worker the tests were given."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def world(db):
    """The shared little An Giang every test can lean on (see accounts.testing)."""
    from accounts.testing import build_world

    return build_world()


def _load_an_giang():
    from programs.loading import load_program
    from programs.management.commands.load_program import DEFAULT_FILE

    return load_program(DEFAULT_FILE)[0]


@pytest.fixture(scope="session", autouse=True)
def _an_giang_once(request, django_db_setup, django_db_blocker):
    """The An Giang program loaded once per run and committed, so that every test in a
    transaction (pytest-django's `db`, rolled back after each test) finds it without paying
    for the load again. pytest-django runs those tests before any test whose transactions
    really commit; the first of these empties the tables, and `program` then loads it anew.
    Every test sees the same database whichever tests ran before it: a test that needs no
    program asks for `no_program`.

    A run with no database test gets no test database from pytest-django: then nothing is
    loaded (the connection would be the configured database itself)."""
    from pytest_django.fixtures import _get_databases_for_setup

    if "default" not in _get_databases_for_setup(request.session.items)[0]:
        return None
    with django_db_blocker.unblock():
        return _load_an_giang().pk


@pytest.fixture
def program(db, _an_giang_once):
    """The An Giang program, loaded from its data file."""
    from programs.models import Program

    return Program.objects.filter(pk=_an_giang_once).first() or _load_an_giang()


@pytest.fixture
def no_program(db):
    """A database holding no program, for tests of a first load or of pages before one:
    the program loaded once per run is removed inside the test's transaction, so it is
    back for the next test."""
    from programs.models import Program

    Program.objects.all().delete()


@pytest.fixture
def program_loaded(transactional_db):
    """The An Giang program in a test whose transactions really commit (threads, live server)."""
    return _load_an_giang()


@pytest.fixture
def period(world, program):
    """The 2024 yearly period, open, due 15/01/2025."""
    from reporting.actions import do_open_period

    return do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)


@pytest.fixture
def last_period(world, program):
    from reporting.actions import do_open_period

    return do_open_period("year", 2023, 0, datetime.date(2024, 1, 15), by=world.admin)


@pytest.fixture
def media(settings, tmp_path):
    """A MEDIA_ROOT of the test's own, for tests that store or compare uploaded files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
