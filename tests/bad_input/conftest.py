"""Fixtures of the bad-input tests.

The little An Giang (accounts.testing) and the An Giang program are built once per test
module, in a transaction rolled back after the module; each test runs inside it in its own
savepoint (pytest-django's `db`), so it sees them, and whatever it writes is undone. Each test
gets fresh Python objects read from the database, so nothing cached leaks between tests.
"""

from types import SimpleNamespace

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def _shared(django_db_setup, django_db_blocker):
    from accounts.testing import build_world
    from programs.loading import load_program
    from programs.management.commands.load_program import DEFAULT_FILE

    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        program = load_program(DEFAULT_FILE)[0]
        yield SimpleNamespace(world={name: (type(obj), obj.pk) for name, obj in vars(world).items()},
                              program=program.pk)
        transaction.set_rollback(True)


@pytest.fixture
def world(db, _shared):
    return SimpleNamespace(**{name: model.objects.get(pk=pk) for name, (model, pk) in _shared.world.items()})


@pytest.fixture
def program(db, _shared):
    from programs.models import Program

    return Program.objects.get(pk=_shared.program)

