"""The job queue for real: django-tasks-db's worker loop runs the jobs on the test database; a
failing job is retried and then reported; a job enqueued in a transaction rolled back never runs."""

import logging

import pytest
from django.db import transaction
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.testing import login
from jobs.queue import attempts_of
from jobs.testing import run_jobs
from jobs.tests.sample_jobs import flaky, write_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _retry_at_once(settings):
    settings.JOB_RETRY_DELAY_SECONDS = 0


def test_a_job_runs_in_the_worker_not_when_enqueued(tmp_path):
    target = tmp_path / "done.txt"
    result = write_file.enqueue(str(target), "xong")
    assert result.status == TaskResultStatus.READY and not target.exists()
    run_jobs()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == "xong"
    assert target.read_text(encoding="utf-8") == "xong"


def test_a_failing_job_is_retried_until_it_succeeds():
    result = flaky.enqueue(3)
    run_jobs()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 3 and result.attempts == 3


def test_a_job_failing_every_time_is_reported_after_its_last_attempt(caplog, client, world):
    assert attempts_of(flaky) == 3
    with caplog.at_level(logging.WARNING, logger="jobs"):
        result = flaky.enqueue(99)
        run_jobs()
    result.refresh()
    assert result.status == TaskResultStatus.FAILED and result.attempts == 3
    assert "RuntimeError: attempt 3 failed" in result.errors[-1].traceback
    ours = [r for r in caplog.records if r.name == "jobs"]
    warnings = [r for r in ours if r.levelno == logging.WARNING]
    errors = [r for r in ours if r.levelno == logging.ERROR]
    assert len(warnings) == 2 and "attempt 1 of 3" in warnings[0].getMessage()
    assert len(errors) == 1 and "failed after 3 attempts (builtins.RuntimeError)" in errors[0].getMessage()
    # The province's administrator sees it among the failed jobs of the Django admin.
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    login(client, world.admin)
    failed = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"), {"status": "FAILED"})
    page = failed.content.decode()
    assert str(result.id) in page and "flaky" in page


def test_a_job_asked_for_in_a_transaction_rolled_back_does_not_exist(tmp_path):
    with pytest.raises(RuntimeError), transaction.atomic():
        write_file.enqueue(str(tmp_path / "never.txt"), "x")
        raise RuntimeError("the write that asked for it failed")
    assert not DBTaskResult.objects.exists()
    run_jobs()
    assert not (tmp_path / "never.txt").exists()
