"""Management commands that change data name themselves in the audit trail."""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand

from audit.models import RUNNING_COMMAND


def command_actor(name: str) -> str:
    """How the trail names a command run from a shell: "manage.py load_program (root)"."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name and no password-file entry (some containers)
        user = "?"
    return f"manage.py {name} ({user})"


class RecordedCommand(BaseCommand):
    """A command whose changes the audit trail credits to it and to the operating-system user
    who ran it, unless a change names its person (e.g. demo reports "approved by" a demo
    account). A command called by another (setup_demo → load_units) names itself while it runs."""

    def execute(self, *args, **options):
        token = RUNNING_COMMAND.set(command_actor(self.__module__.rpartition(".")[2]))
        try:
            return super().execute(*args, **options)
        finally:
            RUNNING_COMMAND.reset(token)
