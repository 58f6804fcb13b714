"""Reading a program from its document (issue #19): the seed's text, and the seed turned into
.docx and .pdf by the project's own writers, give the hand-written program file's sections,
objectives, 22 targets and tasks; two more texts of the genre give their expected drafts."""

import textwrap
import unicodedata
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from exports.writers.docx import write_docx
from exports.writers.pdf import write_pdf
from programs.definition import check_program, read_definition, read_program_file
from programs.reader import read_document, read_text
from programs.reader.draft_file import draft_data, draft_yaml
from programs.reader.normalise import normalise
from programs.reader.score import score
from programs.reader.targets import figures
from programs.testing import SEED_FILE
from programs.tests.seed_documents import program_document

DATA = Path(__file__).resolve().parents[1] / "data"
PROGRAM_FILE = DATA / "an-giang-xi-2020-2025.yaml"
TEXTS = Path(__file__).resolve().parent / "reader_data"


@pytest.fixture(scope="module")
def reference():
    return read_definition(PROGRAM_FILE)


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_files(tmp_path_factory, seed_text) -> dict[str, Path]:
    """The seed as the project's writers print it: .docx and .pdf."""
    folder = tmp_path_factory.mktemp("seed")
    document = program_document(seed_text)
    files = {"txt": SEED_FILE, "docx": folder / "seed.docx", "pdf": folder / "seed.pdf"}
    files["docx"].write_bytes(write_docx(document))
    files["pdf"].write_bytes(write_pdf(document))
    return files


def scored(draft, reference, expected_file: Path):
    result = score(draft_data(draft, reference), read_program_file(expected_file))
    print("\n".join(result.lines))
    print(result.summary())
    return result


def assert_complete(result, targets: int) -> None:
    assert (result.targets_expected, result.targets_drafted) == (targets, targets)
    assert result.targets_right == result.targets_exact == targets
    for name, (found, expected) in result.counts.items():
        assert found == expected, f"{name}: {found} of {expected}"


@pytest.mark.parametrize("kind", ["txt", "docx", "pdf"])
def test_the_seed_reads_as_the_hand_written_program(kind, seed_files, reference):
    """All 22 targets with the file's values, comparisons, units, periods, deadlines and
    units measured; every section, objective and task word for word; preamble, recipients,
    signature."""
    draft = read_document(seed_files[kind])
    result = scored(draft, reference, PROGRAM_FILE)
    assert_complete(result, 22)
    assert result.counts["tasks"] == (39, 39)
    assert result.counts["sections"] == (14, 14)


@pytest.mark.parametrize("name, targets", [("district-plan", 8), ("province-2025-2030", 14)])
def test_other_programs_of_the_genre_read_as_expected(name, targets):
    draft = read_document(TEXTS / f"{name}.txt")
    result = scored(draft, None, TEXTS / f"{name}.expected.yaml")
    assert result.precision >= 0.95 and result.recall >= 0.95
    assert_complete(result, targets)


def test_every_item_keeps_the_span_it_was_read_from(seed_text):
    draft = read_text(seed_text)
    items = [*draft.targets, *draft.tasks, *draft.objectives, *draft.preamble, *draft.recipients,
             *draft.deadlines, *(p for s in draft.walk_sections() for p in s.target_statements)]
    assert len(items) > 80
    for item in items:
        assert draft.text[item.span.start:item.span.end] == item.text
    for section in draft.walk_sections():
        assert draft.text[section.span.start:section.span.end] == section.title


def test_a_sentence_with_several_targets_is_split(seed_text):
    draft = read_text(seed_text)
    texts = [t.text for t in draft.targets]
    assert "Hàng năm, có 100% doanh nghiệp nhà nước" in texts
    assert "80% trở lên doanh nghiệp khu vực ngoài nhà nước tổ chức Hội nghị người lao động" in texts
    assert "có 100% doanh nghiệp nhà nước" in texts


def test_figures_that_qualify_or_measure_size_are_not_targets():
    sentence = ("Hàng năm có 100% Công đoàn cấp trên trực tiếp cơ sở, 80% CĐCS doanh nghiệp có đông lao động đề xuất "
                "cấp ủy tổ chức ít nhất 01 cuộc đối thoại; vận động doanh nghiệp có từ 2.000 lao động trở lên, "
                "theo Nghị quyết số 20-NQ/TW ngày 28/01/2008, tổng kết 10 năm.")
    assert [(f.value, f.unit) for f in figures(sentence)] == [(100, "percent"), (80, "percent")]


def test_comparisons_units_and_horizons_in_the_genres_words():
    draft = read_text("II. NỘI DUNG\n\n1. Chỉ tiêu\n\n- Mục tiêu\n\nPhấn đấu hằng năm có trên 60% đoàn viên được "
                      "học tập; đến năm 2030 có từ 90% trở lên CĐCS đạt chuẩn; bình quân mỗi CĐCS giới thiệu ít "
                      "nhất 02 đoàn viên ưu tú; kết nạp mới 500 đoàn viên, hoàn thành trong tháng 8/2026.\n\n"
                      "III. TỔ CHỨC THỰC HIỆN\n\nnhiệm kỳ 2025 - 2030")
    readings = [(t.comparison, t.value, t.unit, t.period, t.deadline and t.deadline.isoformat())
                for t in draft.targets]
    assert readings == [(">", 60, "percent", "yearly", None), (">=", 90, "percent", "term", None),
                        (">=", 2, "average", "term", None), (">=", 500, "count", "deadline", "2026-08-31")]


def test_the_text_is_normalised_but_its_words_are_kept():
    raw = ("- **Mục tiêu:** Phân đấu trên 80% đoàn viên được phổ biến, học tập và chấp hành tốt đường lối, "
           "chủ trương của Đảng, chính sách, pháp luật của\nNhà nước; trang feab-\nook công đoàn\u00a0 và Zalo.\n\n"
           "Phần đầu có từ 90%")
    text = normalise(unicodedata.normalize("NFD", raw))
    assert text == ("- Mục tiêu: Phân đấu trên 80% đoàn viên được phổ biến, học tập và chấp hành tốt đường lối, "
                    "chủ trương của Đảng, chính sách, pháp luật của Nhà nước; trang feabook công đoàn và Zalo.\n\n"
                    "Phần đầu có từ 90%")
    assert unicodedata.is_normalized("NFC", text)


def test_decomposed_wrapped_text_with_other_bullets_reads_the_same(seed_text, reference):
    """The seed as pasted from a PDF: decomposed letters, every paragraph hard-wrapped at 70
    characters, "•" for "+" bullets."""
    paragraphs = seed_text.split("\n\n")
    wrapped = "\n\n".join(textwrap.fill(p, 70, break_on_hyphens=False) if len(p) > 70 and "\n" not in p else p
                          for p in paragraphs).replace("\n+ ", "\n• ")
    draft = read_text(unicodedata.normalize("NFD", wrapped))
    assert_complete(scored(draft, reference, PROGRAM_FILE), 22)


def test_the_draft_is_a_program_file_check_program_reads(seed_text, reference, tmp_path):
    draft = read_text(seed_text)
    for name, elements in (("suggested.yaml", reference), ("proposed.yaml", None)):
        path = tmp_path / name
        path.write_text(draft_yaml(draft, elements, "seed.txt"), encoding="utf-8")
        assert check_program(path) == []
    text = (tmp_path / "proposed.yaml").read_text(encoding="utf-8")
    assert "# unsure:" in text and "# proposed: a new data element" in text
    suggested = read_definition(tmp_path / "suggested.yaml")
    assert {t.code: t.numerator.element for t in suggested.targets}["T15"] == "union_homes"


def test_import_program_prints_its_counts_and_the_score(tmp_path):
    out = StringIO()
    call_command("import_program", str(TEXTS / "district-plan.txt"), "-o", str(tmp_path / "draft.yaml"),
                 "--elements-from", str(PROGRAM_FILE), "--score", str(TEXTS / "district-plan.expected.yaml"),
                 stdout=out)
    printed = out.getvalue()
    assert "district-plan.txt: 8 sections, 2 objectives, 8 targets, 7 tasks" in printed
    assert "targets: precision 100.0%, recall 100.0%" in printed
    assert check_program(tmp_path / "draft.yaml") == []


def test_import_program_refuses_what_it_cannot_read(tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"not a pdf at all")
    with pytest.raises(CommandError, match="not a readable PDF"):
        call_command("import_program", str(scan), "-o", str(tmp_path / "d.yaml"), "--elements-from",
                     str(PROGRAM_FILE), stdout=StringIO())
    with pytest.raises(CommandError, match="only .txt"):
        call_command("import_program", str(tmp_path / "x.odt"), "-o", str(tmp_path / "d.yaml"),
                     "--elements-from", str(PROGRAM_FILE), stdout=StringIO())
