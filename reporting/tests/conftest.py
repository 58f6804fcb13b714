import datetime

import pytest

from reporting.actions import do_open_period


@pytest.fixture
def period(world, program):
    """The 2024 yearly period, open, due 15/01/2025."""
    return do_open_period(program, "year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)


@pytest.fixture
def last_period(world, program):
    return do_open_period(program, "year", 2023, 0, datetime.date(2024, 1, 15), by=world.admin)
