"""One user cannot start more than a few document builds at a time (exports.limits): the job
worker builds one document after another, and one user asking for twenty would make everybody
else wait. Asking for a document already built or being built starts nothing and is never refused."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.testing import login
from exports.models import DocumentBuild
from jobs.testing import run_jobs

pytestmark = pytest.mark.django_db

WAIT = "Các tài liệu bạn yêu cầu trước đó đang được tạo, vui lòng đợi"


def download(unit, fmt="pdf", year=2024):
    return reverse("exports:download", args=[unit.code, "yearly_review", year, fmt])


def preview(unit):
    return reverse("exports:preview", args=[unit.code, "yearly_review", 2024])


@pytest.fixture
def two_slots(settings):
    settings.DOCUMENT_BUILDS_PER_USER = 2


def test_a_build_beyond_the_users_slots_is_asked_to_wait(client, world, reported, two_slots):
    login(client, world.approver)
    assert client.get(download(world.long_xuyen, "docx")).status_code == 200  # queued
    assert client.get(download(world.long_xuyen, "xlsx")).status_code == 200  # queued
    refused = client.get(download(world.long_xuyen, "pdf"))
    assert refused.status_code == 429
    assert WAIT in refused.content.decode() and refused["Retry-After"] == "10"
    assert DocumentBuild.objects.filter(requested_by=world.approver).count() == 2, "the refused one left no row"
    # Asking again for one under way is no new build: never refused.
    assert client.get(download(world.long_xuyen, "docx")).status_code == 200
    # Another user is not held back …
    assert login(Client(), world.admin).get(download(world.long_xuyen, "pdf")).status_code == 200
    # … and once the worker has built them, the user's next document is queued.
    run_jobs()
    assert client.get(download(world.long_xuyen, "pdf", year=2023)).status_code == 200
    assert DocumentBuild.objects.filter(year=2023, requested_by=world.approver, state="queued").exists()


def test_a_build_its_worker_lost_stops_counting_and_is_queued_again(client, world, reported, settings):
    settings.DOCUMENT_BUILDS_PER_USER = 1
    login(client, world.approver)
    client.get(download(world.long_xuyen, "docx"))
    lost = DocumentBuild.objects.get()
    # Its worker was killed in the middle: the job stays "running" for ever, the build under way.
    DBTaskResult.objects.update(status="RUNNING")
    DocumentBuild.objects.filter(pk=lost.pk).update(state="building",
                                                    requested_at=timezone.now() - datetime.timedelta(minutes=16))
    assert client.get(download(world.long_xuyen, "xlsx")).status_code == 200, "the lost build no longer counts"
    assert DocumentBuild.objects.filter(format="xlsx", state="queued").exists()
    run_jobs()
    client.get(download(world.long_xuyen, "docx"))  # asked for again: queued again, not left lost
    lost.refresh_from_db()
    assert lost.state == DocumentBuild.State.QUEUED
    run_jobs()
    lost.refresh_from_db()
    assert lost.done and client.get(download(world.long_xuyen, "docx"))["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml")
