"""Limits on plan uploads: one reporter stored four 9.5 MB plans in a row, with nothing to stop
a fifth or a fiftieth. A unit keeps its newest PLAN_FILES_KEPT plans per deadline, a unit's plans
take at most PLAN_UNIT_QUOTA_MB, a user uploads at most PLAN_UPLOADS_PER_USER_HOUR an hour."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import escape

from accounts.testing import login
from plans import files
from plans.models import ImplementationPlan
from plans.testing import PDF_BYTES, upload

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def big_pdf(megabytes: float) -> bytes:
    return PDF_BYTES + b"%" * int(megabytes * MB - len(PDF_BYTES))


def stored(media) -> list[str]:
    return sorted(p.name for p in (media / "plans").rglob("*") if p.is_file()) if (media / "plans").exists() else []


def age(plans_, hours: float):
    ImplementationPlan.objects.filter(pk__in=[p.pk for p in plans_]).update(
        uploaded_at=timezone.now() - datetime.timedelta(hours=hours))


def test_four_large_plans_in_a_row_pass_the_units_quota_no_more(client, world, program, media, settings):
    settings.PLAN_UNIT_QUOTA_MB = 30
    login(client, world.reporter)
    answers = [upload(client, program, "AG.883.00001", f"kh{n}.pdf", big_pdf(9.5)).status_code for n in range(4)]
    assert answers == [302, 302, 302, 400]
    assert ImplementationPlan.objects.filter(unit=world.school).count() == 3
    assert len(stored(media)) == 3
    response = upload(client, program, "AG.883.00001", "kh5.pdf", big_pdf(9.5))
    assert "đã chiếm 28,5 MB trong số 30 MB" in response.content.decode()


def test_the_newest_plans_are_kept_the_oldest_removed(client, world, program, media, settings,
                                                      django_capture_on_commit_callbacks):
    settings.PLAN_FILES_KEPT = 3
    login(client, world.reporter)
    for n in range(3):
        assert upload(client, program, "AG.883.00001", f"kh{n}.pdf", PDF_BYTES).status_code == 302
    age(ImplementationPlan.objects.all(), hours=2)
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes once the upload commits
        assert upload(client, program, "AG.883.00001", "kh3.pdf", PDF_BYTES).status_code == 302
    kept = list(ImplementationPlan.objects.filter(unit=world.school).values_list("original_name", flat=True))
    assert kept == ["kh3.pdf", "kh2.pdf", "kh1.pdf"]  # newest first; kh0 is gone, its file too
    assert len(stored(media)) == 3


def test_a_unit_that_received_its_quota_of_files_within_the_hour_is_refused(client, world, program, media, settings):
    settings.PLAN_FILES_KEPT = 3
    login(client, world.reporter)
    for n in range(3):
        assert upload(client, program, "AG.883.00001", f"kh{n}.pdf", PDF_BYTES).status_code == 302
    response = upload(client, program, "AG.883.00001", "kh3.pdf", PDF_BYTES)
    assert response.status_code == 400
    assert escape(str(files.MESSAGES["unit_rate"]) % {"count": 3}) in response.content.decode()
    assert ImplementationPlan.objects.filter(unit=world.school).count() == 3 and len(stored(media)) == 3


def test_one_user_uploads_at_most_so_many_files_an_hour(client, world, program, media, settings):
    settings.PLAN_UPLOADS_PER_USER_HOUR = 2
    login(client, world.approver)  # uploads for the unions below: a different unit each time
    assert upload(client, program, "AG.883.00001", "a.pdf", PDF_BYTES).status_code == 302
    assert upload(client, program, "AG.883.00002", "b.pdf", PDF_BYTES).status_code == 302
    response = upload(client, program, "AG.883", "c.pdf", PDF_BYTES)
    assert response.status_code == 400
    assert "trong một giờ qua" in response.content.decode()
    assert ImplementationPlan.objects.count() == 2
    # An hour later, again.
    age(ImplementationPlan.objects.all(), hours=1.1)
    assert upload(client, program, "AG.883", "c.pdf", PDF_BYTES).status_code == 302


def test_another_unit_and_another_user_are_not_held_back(client, world, program, media, settings):
    settings.PLAN_UPLOADS_PER_USER_HOUR = 1
    login(client, world.reporter)
    assert upload(client, program, "AG.883.00001", "a.pdf", PDF_BYTES).status_code == 302
    login(client, world.sibling_reporter)
    assert upload(client, program, "AG.884.00001", "b.pdf", PDF_BYTES).status_code == 302
