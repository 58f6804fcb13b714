"""Test data built once for a whole module (or class) instead of once per test.

    @pytest.fixture(scope="module")
    def built_once(django_db_setup, django_db_blocker):
        with kept_for_the_scope(django_db_blocker):
            yield build()          # committed to nothing: rolled back after the scope's last test

    @pytest.fixture
    def data(db, built_once):
        return copy.deepcopy(built_once)   # each test its own model instances

The data is written inside a transaction held open while the scope lasts; each test's `db`
transaction is a savepoint inside it, rolled back after the test, so every test starts from
the data as built — as Django's TestCase.setUpTestData does. Only for modules whose tests all
run in `db` transactions (not `transactional_db`, not the live server); a test of the module
that builds the same data again would clash with it (ask for the built data instead)."""

from __future__ import annotations

import contextlib

from django.db import transaction


@contextlib.contextmanager
def kept_for_the_scope(django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
