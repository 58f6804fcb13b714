"""The province administrator's review of a program read from its document, through HTTP:
the document beside the draft, each target's reading in words with its confidence, confirm /
correct / reject, and a program file downloaded only once it passes check_program."""

import datetime

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.testing import login
from programs.definition import check_program
from programs.reader import read_text
from programs.reader.review import checked_file
from programs.testing import SEED_FILE

pytestmark = pytest.mark.django_db

IMPORT, REVIEW = reverse("programs:import"), reverse("programs:import_review")


@pytest.fixture
def reviewing(client, world, program):
    """The administrator has uploaded the seed and is on the review page."""
    login(client, world.admin)
    upload = SimpleUploadedFile("chuong-trinh.txt", SEED_FILE.read_bytes(), content_type="text/plain")
    response = client.post(IMPORT, {"document": upload})
    assert response.status_code == 302 and response["Location"] == REVIEW
    return client


def kept_as_read(client) -> dict:
    """The review form's fields as the page fills them."""
    form = client.get(REVIEW).context
    data = {}
    for _section, targets, _tasks in form["sections"]:
        for target, review, _reading in targets:
            data[f"{target.code}-decision"] = "keep"
            for name in ("comparison", "value", "unit", "period"):
                data[f"{target.code}-{name}"] = str(review.initial[name])
            deadline = review.initial["deadline"]
            data[f"{target.code}-deadline"] = deadline.isoformat() if deadline else ""
            data[f"{target.code}-applies_to"] = review.initial["applies_to"]
            if "element" in review.fields:
                data[f"{target.code}-element"] = review.initial["element"]
    return data


def downloaded(response, tmp_path) -> dict:
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="chuong-trinh.yaml"'
    path = tmp_path / "draft.yaml"
    path.write_bytes(response.content)
    assert check_program(path) == []
    data = yaml.safe_load(response.content)
    targets = {}

    def walk(sections):
        for section in sections:
            targets.update({t["code"]: t for t in section["targets"]})
            walk(section["children"])
    walk(data["sections"])
    return targets


def test_only_the_province_administrator_imports(client, world):
    for user in (world.reporter, world.approver):
        login(client, user)
        assert client.get(IMPORT).status_code == 403
        assert client.get(REVIEW).status_code == 403


def test_the_review_shows_the_document_beside_each_target_read_in_words(reviewing):
    body = reviewing.get(REVIEW).content.decode()
    assert "22 chỉ tiêu" in body and "39 nhiệm vụ" in body
    assert body.count('class="target review-target') == 22
    assert '<mark id="doc-T09"><a href="#T09">Hàng năm, có 100% doanh nghiệp nhà nước</a></mark>' in body
    assert "≥ 100% · hằng năm · công đoàn cơ sở ở doanh nghiệp nhà nước" in body  # T09
    assert "&gt; 80% · đến cuối nhiệm kỳ · công đoàn cơ sở" in body  # T03, "trên 80%"
    assert "theo thời hạn 30/06/2021" in body  # T01
    assert "độ tin cậy 0,95" in body


def test_kept_as_read_the_draft_downloads_as_a_program_file(reviewing, tmp_path):
    targets = downloaded(reviewing.post(REVIEW, kept_as_read(reviewing)), tmp_path)
    assert len(targets) == 22
    assert targets["T15"]["value"] == 100 and targets["T15"]["unit"] == "count"


def test_a_rejected_target_goes_and_a_corrected_one_keeps_the_correction(reviewing, tmp_path):
    data = kept_as_read(reviewing)
    data["T05-decision"] = "reject"
    data["T03-comparison"], data["T03-value"] = ">=", "85"
    data["reject_task"] = ["task_II_1_02"]
    response = reviewing.post(REVIEW, data)
    targets = downloaded(response, tmp_path)
    assert "T05" not in targets and len(targets) == 21
    assert (targets["T03"]["comparison"], targets["T03"]["value"]) == (">=", 85)
    assert "corrected by the reviewer" in targets["T03"]["note"]
    assert "task_II_1_02" not in response.content.decode() and "task_II_1_03" in response.content.decode()


def test_a_correction_that_does_not_hold_downloads_nothing(reviewing):
    data = kept_as_read(reviewing)
    data["T04-period"], data["T04-deadline"] = "deadline", ""
    response = reviewing.post(REVIEW, data)
    assert response.status_code == 400 and "Content-Disposition" not in response
    assert "cần ngày" in response.content.decode()


def test_a_draft_that_fails_check_program_lists_its_problems():
    draft = read_text(SEED_FILE.read_text(encoding="utf-8"))
    draft.targets[0].period, draft.targets[0].deadline = "deadline", None
    _text, problems = checked_file(draft, None, "seed.txt")
    assert [problem.message for problem in problems] == ["a deadline target needs a date YYYY-MM-DD"]
    draft.targets[0].deadline = datetime.date(2021, 6, 30)
    assert checked_file(draft, None, "seed.txt")[1] == []


def test_an_unreadable_document_is_refused_in_words(client, world):
    login(client, world.admin)
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 not really", content_type="application/pdf")
    response = client.post(IMPORT, {"document": upload})
    assert response.status_code == 400
    assert "Không đọc được tệp PDF này" in response.content.decode()


def test_the_reviewer_maps_a_target_to_a_data_element(reviewing, tmp_path):
    """Existing elements are offered first (the likeliest selected), a new one proposed last."""
    page = reviewing.get(REVIEW)
    forms = {target.code: form for _s, targets, _t in page.context["sections"] for target, form, _r in targets}
    choices = [code for code, _label in forms["T15"].fields["element"].choices]
    assert choices[0] == "union_homes" and choices[-1] == "" and forms["T15"].initial["element"] == "union_homes"
    assert "element" not in forms["T01"].fields  # counted on the plans uploaded by the deadline
    data = kept_as_read(reviewing)
    data["T19-element"] = "members"
    data["T16-element"] = ""
    targets = downloaded(reviewing.post(REVIEW, data), tmp_path)
    assert targets["T19"]["numerator"]["sum"] == "members"
    assert targets["T16"]["numerator"]["sum"] == "t16_value"
    assert targets["T15"]["numerator"]["sum"] == "union_homes"
