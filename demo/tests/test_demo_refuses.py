"""With DEBUG off (a production server) the demo commands refuse to run, and load nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("command", ["setup_demo", "demo_accounts"])
def test_the_demo_commands_refuse_to_run_with_debug_off(world, command):
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command(command, stdout=StringIO())
    assert not User.objects.filter(username__in=["tinh", "cdcs"]).exists()
