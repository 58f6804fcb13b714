"""One user's documents are built one at a time: four PDFs asked for at once by one district
user used to hold four of the five workers, and everybody else's light pages waited 18 s."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.testing import build_world, login
from exports import views
from exports.models import DocumentBuild
from reporting.actions import do_open_period

WAIT = "Đang tạo tài liệu bạn yêu cầu trước đó, vui lòng đợi"


def download(unit, fmt="pdf"):
    return reverse("exports:download", args=[unit.code, "yearly_review", 2024, fmt])


def preview(unit):
    return reverse("exports:preview", args=[unit.code, "yearly_review", 2024])


@pytest.mark.django_db
def test_a_second_build_while_the_first_runs_is_asked_to_wait(client, world, reported):
    login(client, world.approver)
    DocumentBuild.objects.create(user=world.approver)  # the same user's PDF, still being built elsewhere
    response = client.get(download(world.long_xuyen, "xlsx"))
    assert response.status_code == 429
    assert WAIT in response.content.decode() and response["Retry-After"] == "10"
    assert client.get(preview(world.long_xuyen)).status_code == 429
    # Another user is not held back by it …
    assert login(Client(), world.admin).get(download(world.long_xuyen, "xlsx")).status_code == 200
    # … and once the first build is done, the user's document comes.
    DocumentBuild.objects.all().delete()
    assert client.get(download(world.long_xuyen, "xlsx")).status_code == 200
    assert not DocumentBuild.objects.exists(), "a finished build leaves no row"


@pytest.mark.django_db
def test_a_build_its_worker_never_finished_stops_counting(client, world, reported):
    login(client, world.approver)
    stale = DocumentBuild.objects.create(user=world.approver)
    DocumentBuild.objects.filter(pk=stale.pk).update(started_at=timezone.now() - datetime.timedelta(minutes=6))
    assert client.get(download(world.long_xuyen, "xlsx")).status_code == 200
    assert not DocumentBuild.objects.exists()


@pytest.mark.django_db
def test_a_failed_build_frees_its_slot(client, world, reported, monkeypatch):
    login(client, world.approver)
    client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise RuntimeError("the writer failed")

    monkeypatch.setattr(views, "build_document", broken)
    assert client.get(download(world.long_xuyen, "xlsx")).status_code == 500
    assert not DocumentBuild.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_really_take_turns(program_loaded, monkeypatch):
    """Two real requests on two threads (two database connections), the first one inside its build."""
    world = build_world()
    do_open_period(program_loaded, "year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    inside, release = threading.Event(), threading.Event()
    real_build = views.build_document

    def slow_build(*args, **kwargs):
        inside.set()
        release.wait(10)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(views, "build_document", slow_build)
    outcome = {}

    def first():
        try:
            outcome["first"] = login(Client(), world.approver).get(download(world.long_xuyen, "xlsx")).status_code
        finally:
            inside.set()
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(10)
    try:
        second = login(Client(), world.approver).get(download(world.long_xuyen, "xlsx"))
    finally:
        release.set()
        thread.join(20)
    assert second.status_code == 429
    assert outcome["first"] == 200
