"""The losing request of a double submit: the report was sent between the form's check and
the write (two taps on "Submit", two officers of one union). It must be told so, not get a 500."""

import pytest

from accounts.testing import login
from reporting import actions
from reporting.models import Report
from reporting.testing import GOOD_GRASSROOTS, entry_url, form_data, report_of, report_steps

pytestmark = pytest.mark.django_db


def test_the_second_of_two_submits_of_one_version_is_told_it_was_already_submitted(
        client, world, period, monkeypatch):
    login(client, world.reporter)
    client.post(entry_url(period, "AG.883.00001"), form_data({"workers": 40}, save="1"))
    version = report_of(period, world.school).version
    real_save = actions.do_save_values

    def the_other_submit_wins_first(report, *args, **kwargs):
        # The other request, with the same form (same version), goes through first: exactly the
        # interleaving of two requests on SQLite, where the second waits for the first's write.
        winner = Report.objects.get(pk=report.pk)
        real_save(winner, *args, **kwargs)
        winner.refresh_from_db()
        actions.do_submit(winner, world.reporter, winner.version)
        return real_save(report, *args, **kwargs)

    monkeypatch.setattr(actions, "do_save_values", the_other_submit_wins_first)
    response = client.post(entry_url(period, "AG.883.00001"), form_data(GOOD_GRASSROOTS, version=version, submit="1"),
                           follow=True)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Báo cáo này đã được gửi" in body
    report = report_of(period, world.school)
    assert report.status == Report.Status.SUBMITTED
    assert report_steps(report).filter(additional_data__event="submitted").count() == 1


def test_a_submit_arriving_after_the_first_one_says_the_same(client, world, period):
    login(client, world.reporter)
    first = client.post(entry_url(period, "AG.883.00001"), form_data(GOOD_GRASSROOTS, submit="1"))
    assert first.status_code == 302
    again = client.post(entry_url(period, "AG.883.00001"), form_data(GOOD_GRASSROOTS, submit="1"), follow=True)
    assert again.status_code == 200
    assert "Báo cáo này đã được gửi" in again.content.decode()
    assert report_steps(report_of(period, world.school)).filter(additional_data__event="submitted").count() == 1
