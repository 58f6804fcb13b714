"""The documents, read back from each file format: header block, title, every figure equal to
the indicator engine's, reporting completeness, the narratives, the signature; and a
document for an upper-level union holds only its own subtree."""

import datetime
import re
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import docx
import openpyxl
import pytest
from django.conf import settings
from django.utils import translation

from exports.builder import build_document
from exports.document import balanced_lines
from exports.formatting import document_date, excel_value, figure
from exports.models import Kind, Narrative
from exports.writers import WRITERS
from indicators.engine import Engine
from indicators.reading import STATUS_LOOK
from tiendo.formatting import number

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2025, 1, 5)
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"
ACHIEVEMENTS = "Các cấp công đoàn đã chủ động triển khai Chương trình, nhiều mô hình hay được nhân rộng."


@pytest.fixture
def narrative(world, program, reported):
    return Narrative.objects.create(
        program=program, unit=world.province, kind=Kind.YEARLY_REVIEW, year=2024, number="12", issued_on=ISSUED,
        achievements=ACHIEVEMENTS + "\nCông tác chăm lo cho đoàn viên được quan tâm.",
        shortcomings="Một số CĐCS báo cáo chậm.", causes="Cán bộ công đoàn kiêm nhiệm.",
        directions="Tiếp tục nâng chất hoạt động CĐCS.")


def expected_figures(program, unit, year):
    """{code: (label, shown value, status word)} as the engine computes them."""
    engine = Engine(program)
    series = engine.series(unit)
    with translation.override("vi"):
        return {target.code: (target.short_label, figure(series[target.code][year].value, target.unit),
                              str(STATUS_LOOK[series[target.code][year].status]["label"]), series[target.code][year])
                for target in engine.targets}


def flat(text: str) -> str:
    return " ".join(text.split())


def docx_text(data: bytes) -> tuple[docx.document.Document, str]:
    document = docx.Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return document, flat("\n".join(parts))


def pdf_text(path: Path) -> str:
    return flat(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)


# --- the document model --------------------------------------------------------------------------

def test_the_document_says_what_the_engine_computes(world, program, narrative):
    document = build_document(program, world.province, Kind.YEARLY_REVIEW, 2024)
    text = flat(document.text())
    figures = expected_figures(program, world.province, 2024)
    assert figures["T19"][3].value is not None, "the fixture reports members and workers"
    for _code, (label, shown, status, result) in figures.items():
        if result.value is None:
            assert f"{label}: chưa có số liệu" in text
        else:
            assert f"{label}: đạt {shown}, chỉ tiêu" in text and f"({status})" in text
    summary = next(t for t in document.tables() if t.sheet == "summary")
    for row in summary.rows:
        assert row[2].text == figures[row[0].text][1]
    # The tables by unit hold the engine's breakdown, child by child.
    engine = Engine(program)
    totals = engine.series(world.province)
    section_tables = {t.sheet: t for t in document.tables() if t.sheet.startswith("II")}
    for target in engine.targets:
        table = section_tables[target.section.number]
        column = [c.label for c in table.columns].index(target.code)
        shown = {row[0].text: row[column].text for row in table.rows}
        with translation.override("vi"):
            for child, result in engine.breakdown(target, world.province, 2024):
                if result.expected:
                    assert shown[child.short_name or child.name] == figure(result.value, target.unit)
            assert table.total[column].text == figure(totals[target.code][2024].value, target.unit)


def test_completeness_and_missing_units_are_in_the_document(world, program, narrative):
    text = flat(build_document(program, world.province, Kind.YEARLY_REVIEW, 2024).text())
    # Expected: the province, 3 upper-level unions, 4 grassroots unions = 8; sent: 4 approved and
    # Châu Đốc's submitted = 5, the factory's late; missing: the province itself, the health sector
    # union and the hospital.
    assert ("Năm 2024, có 5/8 đơn vị thuộc diện báo cáo đã gửi báo cáo kết quả (đạt 62,5%), trong đó "
            "4 đơn vị gửi đúng hạn (hạn 15/01/2025), 1 đơn vị gửi trễ hạn; còn 3 đơn vị chưa gửi báo cáo. "
            "Đã duyệt 4 báo cáo") in text
    assert "Công đoàn Bệnh viện Đa khoa Trung tâm An Giang" in text.split("Các đơn vị chưa gửi báo cáo năm 2024:")[1]


def test_a_district_document_holds_only_its_subtree(world, program, reported):
    document = build_document(program, world.long_xuyen, Kind.YEARLY_REVIEW, 2024, issued_on=ISSUED)
    text = document.text()
    assert "Châu Đốc" not in text and "Bệnh viện" not in text and "Y tế" not in text
    assert "Công đoàn Trường Tiểu học Mỹ Bình" in text and "Phú Thịnh" in text
    assert document.superior_body == "LĐLĐ TỈNH AN GIANG"
    assert document.issuing_body == "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ LONG XUYÊN"
    assert document.place_date == "Long Xuyên, ngày 05 tháng 01 năm 2025"
    figures = expected_figures(program, world.long_xuyen, 2024)
    assert figures["T06"][1] == "100,0%"  # the factory signed; Châu Đốc's units do not count here
    assert "DN có công đoàn ký kết thỏa ước LĐTT: đạt 100,0%" in flat(text)
    assert document.signature.on_behalf == "TM. BAN THƯỜNG VỤ" and document.signature.title == "CHỦ TỊCH"
    assert document.recipients[-1] == "- Lưu: VT."


def test_the_five_year_review_puts_the_years_side_by_side(world, program, reported):
    document = build_document(program, world.province, Kind.TERM_REVIEW, 2025, issued_on=datetime.date(2026, 1, 5))
    assert document.subject[0] == "Tổng kết 5 năm thực hiện Chương trình hành động"
    series = Engine(program).series(world.province)
    table = next(t for t in document.tables() if t.sheet == "II.2.5")
    assert [c.label for c in table.columns][1:6] == ["2021", "2022", "2023", "2024", "2025"]
    with translation.override("vi"):
        row = next(r for r in table.rows if r[0].text.startswith("CNVCLĐ gia nhập"))
        assert [c.text for c in row[1:6]] == [figure(series["T19"][y].value, "percent")
                                              for y in (2021, 2022, 2023, 2024, 2025)]
    assert row[7].text == "chưa có số liệu"  # a term target is judged on 2025, not reported yet
    assert "Đến năm 2025, trong 22 chỉ tiêu của Chương trình" in document.text()


# --- the three files -----------------------------------------------------------------------------

def test_the_docx_file(world, program, narrative):
    data = WRITERS["docx"].write(build_document(program, world.province, Kind.YEARLY_REVIEW, 2024))
    word, text = docx_text(data)
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm), round(section.left_margin.mm),
            round(section.right_margin.mm)) == (20, 20, 30, 15)
    assert section.different_first_page_header_footer and "PAGE" in section.header._element.xml
    head = word.tables[0]
    left, right = (cell.paragraphs for cell in head.rows[0].cells)
    assert [p.text for p in left if p.text] == ["TỔNG LĐLĐ VIỆT NAM", "LIÊN ĐOÀN LAO ĐỘNG", "TỈNH AN GIANG"]
    assert not left[0].runs[0].bold and all(p.runs[0].bold for p in left[1:3])
    assert [p.text for p in right if p.text] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert head.rows[1].cells[0].text == "Số: 12/BC-LĐLĐ"
    date = head.rows[1].cells[1].paragraphs[0]
    assert date.text == "An Giang, ngày 05 tháng 01 năm 2025" and date.runs[0].italic
    title = next(p for p in word.paragraphs if p.text == "BÁO CÁO")
    assert title.runs[0].bold
    assert "Kết quả thực hiện Chương trình hành động" in text
    for _code, (label, shown, _status, result) in expected_figures(program, world.province, 2024).items():
        assert (f"{label}: đạt {shown}" if result.value is not None else f"{label}: chưa có số liệu") in text
    assert "có 5/8 đơn vị thuộc diện báo cáo đã gửi báo cáo" in text
    body = next(p for p in word.paragraphs if p.text == ACHIEVEMENTS)
    assert body.paragraph_format.first_line_indent.cm == pytest.approx(1.0, abs=0.01)
    assert (body.runs[0].font.size or word.styles["Normal"].font.size).pt == 14
    assert word.styles["Normal"].font.name == "Times New Roman"
    foot = next(t for t in word.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))
    recipients, signature = foot.rows[0].cells
    label, first = recipients.paragraphs[:2]
    assert label.text == "Nơi nhận:" and label.runs[0].bold and label.runs[0].italic
    assert label.runs[0].font.size.pt == 12
    assert first.text == "- Đoàn Chủ tịch TLĐLĐVN;" and first.runs[0].font.size.pt == 11
    assert recipients.paragraphs[-1].text == "- Lưu: VT, Ban TG."
    lines = [p.text for p in signature.paragraphs]
    assert lines[:2] == ["TM. BAN THƯỜNG VỤ", "ĐOÀN CHỦ TỊCH"] and lines[-1] == "Phan Thị Diễm"
    assert all(p.runs[0].bold for p in signature.paragraphs if p.text)


def test_the_xlsx_file(world, program, narrative):
    data = WRITERS["xlsx"].write(build_document(program, world.province, Kind.YEARLY_REVIEW, 2024))
    book = openpyxl.load_workbook(BytesIO(data))
    assert book.sheetnames[:3] == ["Tổng hợp", "Tình hình báo cáo", "Chưa báo cáo"]
    assert {"Mục II.1", "Mục II.2.2", "Mục II.3"} <= set(book.sheetnames)
    summary = book["Tổng hợp"]
    assert summary["A1"].value == "LIÊN ĐOÀN LAO ĐỘNG TỈNH AN GIANG"
    assert summary["A2"].value.startswith("BÁO CÁO Kết quả thực hiện Chương trình hành động")
    header = [c.value for c in summary[6]]
    assert header[:5] == ["Mã", "Chỉ tiêu", "Kết quả", "Mục tiêu", "Đánh giá"]
    rows = {row[0].value: row for row in summary.iter_rows(min_row=7) if row[0].value}
    for code, (_label, _shown, status, result) in expected_figures(program, world.province, 2024).items():
        value = rows[code][2]
        expected = excel_value(result.value, result.target.unit)
        assert value.value == (pytest.approx(expected) if expected is not None else None)
        if result.value is not None:
            assert value.number_format == {"percent": "0.0%", "count": "#,##0", "average": "0.00"}[
                result.target.unit]
        assert rows[code][4].value == status
    goal = rows["T19"][3]
    assert goal.value == pytest.approx(0.95) and goal.number_format == '"≥ "0.0%'
    reporting = book["Tình hình báo cáo"]
    total = next(row for row in reporting.iter_rows() if row[0].value == "Tổng cộng")
    assert [c.value for c in total[1:6]] == [8, 5, 4, 1, 3]
    missing = [row[1].value for row in book["Chưa báo cáo"].iter_rows(min_row=7)]
    assert "Công đoàn Bệnh viện Đa khoa Trung tâm An Giang" in missing


@pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdftoppm"), reason="needs poppler-utils")
def test_the_pdf_file_reads_and_looks_right(world, program, narrative, tmp_path):
    data = WRITERS["pdf"].write(build_document(program, world.province, Kind.YEARLY_REVIEW, 2024))
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(data)
    text = pdf_text(path)
    for line in ("TỔNG LĐLĐ VIỆT NAM", "LIÊN ĐOÀN LAO ĐỘNG", "TỈNH AN GIANG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Số: 12/BC-LĐLĐ", "An Giang, ngày 05 tháng 01 năm 2025", "BÁO CÁO",
                 "Kết quả thực hiện Chương trình hành động", "TM. BAN THƯỜNG VỤ", "Phan Thị Diễm", "Nơi nhận:",
                 "- Lưu: VT, Ban TG.", ACHIEVEMENTS, "có 5/8 đơn vị thuộc diện báo cáo đã gửi báo cáo"):
        assert line in text, line
    for _code, (label, shown, status, result) in expected_figures(program, world.province, 2024).items():
        if result.value is not None:
            assert f"{label}: đạt {shown}, chỉ tiêu {result.target.get_comparison_display()}" in text
            assert f"({status})" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=False).stdout
    assert re.search(r"(Times|Tinos|Liberation-?Serif|Noto-?Serif)", fonts)

    # What it looks like: every page to PNG (kept under var/test-artifacts/), none blank.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("exports-yearly-AG-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(ARTIFACTS / "exports-yearly-AG")], check=True)
    pages = sorted(ARTIFACTS.glob("exports-yearly-AG-*.png"))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert len(pages) == int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 3
    from PIL import Image

    with Image.open(pages[0]) as first:
        grey = first.convert("L")
        assert abs(grey.size[0] - 496) <= 1 and abs(grey.size[1] - 702) <= 1  # A4 at 60 dpi, portrait
        dark = sum(grey.histogram()[:128])
        assert dark > 2000, "the first page has text on it"
        # Nothing is printed in the right margin (15 mm = 35 px at 60 dpi): tables stay inside.
        right_margin = grey.crop((grey.size[0] - 30, 0, grey.size[0], grey.size[1]))
        assert sum(right_margin.histogram()[:128]) == 0


# --- small rules -----------------------------------------------------------------------------------

def test_dates_and_header_lines_follow_decree_30():
    assert document_date(datetime.date(2026, 1, 5)) == ("05", "01", "2026")
    assert document_date(datetime.date(2025, 3, 15)) == ("15", "3", "2025")
    assert document_date(datetime.date(2025, 12, 1)) == ("01", "12", "2025")
    assert balanced_lines("LIÊN ĐOÀN LAO ĐỘNG TỈNH AN GIANG") == ["LIÊN ĐOÀN LAO ĐỘNG", "TỈNH AN GIANG"]
    assert balanced_lines("TỔNG LĐLĐ VIỆT NAM") == ["TỔNG LĐLĐ VIỆT NAM"]
    with translation.override("vi"):
        assert number(Decimal("92.16"), "percent") == "92,16%"
        assert number(Decimal("103.10"), "percent") == "103,1%"
        assert number(Decimal("5157"), "count") == "5.157"
        assert number(None, "percent") == "—"
