"""The worker `make run` starts beside the server is a real process: scripts/with_worker.sh starts
`manage.py db_worker` on the (test) database, the worker runs a job the test enqueued, and it is
stopped when the server stops (here a stand-in server, stopped with Ctrl-C's SIGINT)."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django_tasks import TaskResultStatus

from jobs.testing import database_url
from jobs.tests.sample_jobs import write_file

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "with_worker.sh"
# A stand-in server that Ctrl-C stops even when the suite itself was started in the background
# (a non-interactive shell starts background commands with SIGINT ignored, and children inherit it).
STAND_IN_SERVER = [sys.executable, "-c",
                   "import signal, time; signal.signal(signal.SIGINT, signal.default_int_handler); time.sleep(120)"]


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.django_db(transaction=True)
def test_the_worker_beside_the_server_runs_jobs_and_stops_with_it(tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url(), "PY": sys.executable,
           "WORKER_ARGS": "--no-startup-delay --interval 0.2"}
    log_file = tmp_path / "server.log"
    with log_file.open("w") as log:  # a file, not a pipe: a worker left running cannot hold the test
        server = subprocess.Popen([str(SCRIPT), *STAND_IN_SERVER], cwd=settings.BASE_DIR, env=env,
                                  stdout=log, stderr=log, start_new_session=True)
    target = tmp_path / "done.txt"
    try:
        result = write_file.enqueue(str(target), "làm xong")
        assert wait_for(target.exists, 60), "the worker process ran no job"
        result.refresh()
        assert wait_for(lambda: (result.refresh(), result.status)[1] == TaskResultStatus.SUCCESSFUL, 10)
        assert target.read_text(encoding="utf-8") == "làm xong"
        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C in the terminal: the server's group, not the worker's
        server.wait(30)
        log = log_file.read_text()
        worker_group = int(re.search(r"process group (\d+)", log).group(1))
        stopped = wait_for(lambda: not group_alive(worker_group), 20)
        assert stopped, f"the worker outlived the server:\n{log}"
    finally:
        # Whatever failed, no worker is left running on the test database: it would take the
        # jobs of the tests that follow.
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        for group in re.findall(r"process group (\d+)", log_file.read_text()):
            if group_alive(int(group)):
                os.killpg(int(group), signal.SIGKILL)
