import pytest

from api.testing import api_world


@pytest.fixture
def w(world, program):
    return api_world(world, program)
