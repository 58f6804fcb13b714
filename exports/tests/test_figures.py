"""Figures in the documents (issue #21): one decimal for every percentage, Vietnamese style,
through one helper (exports.formatting.figure), and a "Cơ sở đánh giá" column that says what each
verdict rests on — the units whose reports count, the projection, the gap and the at-risk margin.
Read back from the real .docx and .xlsx files."""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import docx
import openpyxl
import pytest
from django.utils import translation

from exports.builder import build_document
from exports.formatting import exact_share, figure, points
from exports.models import Kind
from exports.writers import WRITERS

pytestmark = pytest.mark.django_db

TWO_DECIMALS = re.compile(r"\d,\d\d%")
ONE_DECIMAL = re.compile(r"^\d{1,3}(\.\d{3})*,\d%$")
BASIS = "Cơ sở đánh giá"


def test_a_figure_has_one_decimal_rounded_once_from_the_value():
    with translation.override("vi"):
        assert figure(Decimal("72.41"), "percent") == "72,4%"
        assert figure(Decimal("74.6"), "percent") == "74,6%"
        assert figure(Decimal("90"), "percent") == "90,0%"
        assert figure(Decimal("86.55"), "percent") == "86,6%"  # half up
        # Rounded from the value, not from its hundredths (74,649 → 74,65 → 74,7 would be wrong).
        assert figure(Decimal("74.649"), "percent") == "74,6%"
        assert figure(Decimal("1234.56"), "percent") == "1.234,6%"
        assert figure(Decimal("5157"), "count") == "5.157"
        assert figure(Decimal("0.3456"), "average") == "0,35"
        assert figure(None, "percent") == "—"
        assert points(Decimal("9.45")) == "9,5"
        assert figure(exact_share(5, 8), "percent") == "62,5%" and figure(exact_share(2, 3), "percent") == "66,7%"


def docx_tables(data: bytes) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in docx.Document(BytesIO(data)).tables]


def docx_all_text(data: bytes) -> str:
    document = docx.Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in docx_tables(data):
        parts += [cell for row in table for cell in row]
    return "\n".join(parts)


# The basis of four targets in the province's 2024 yearly review, counted by hand from the
# fixture's reports (exports/tests/conftest.py):
# - T19 (term, ≥ 95%): members / workers of the grassroots unions that reported, 2023 (38 + 900) /
#   (40 + 1,100) = 82.28%, 2024 (40 + 1,000 + 22) / (40 + 1,200 + 25) = 83.95%; 3 of the 4
#   grassroots unions reported in 2024 (not the hospital); the line through both years reaches
#   85.62% in 2025, 9.38 points short of 95, within the at-risk margin of 10% × 95 = 9.5 points.
# - T17 (yearly, ≥ 100%): 25% in 2024, 75 points short, more than the margin of 10 points.
# - T15 (yearly, ≥ 100 houses): the factory's 2 houses, 98 short, more than the margin of 10.
# - T01 (deadline, ≥ 100%): none of the 3 upper-level unions uploaded a plan: no margin applies.
BY_HAND = {
    "T19": ("84,0%", "có nguy cơ", "3/4 đơn vị đã báo cáo; dự báo đến năm 2025: 85,6%; thiếu 9,4 điểm % so với "
            "chỉ tiêu, trong ngưỡng “có nguy cơ” (thiếu không quá 9,5 điểm %)"),
    "T17": ("25,0%", "chưa đạt", "4/7 đơn vị đã báo cáo; thiếu 75,0 điểm % so với chỉ tiêu, quá ngưỡng “có nguy "
            "cơ” (thiếu không quá 10,0 điểm %)"),
    "T15": ("2", "chưa đạt", "3/4 đơn vị đã báo cáo; thiếu 98 so với chỉ tiêu, quá ngưỡng “có nguy cơ” (thiếu "
            "không quá 10)"),
    "T01": ("0,0%", "chưa đạt", "0/3 đơn vị đã gửi kế hoạch; thiếu 100,0 điểm % so với chỉ tiêu"),
}


@pytest.fixture
def yearly(world, program, reported):
    return build_document(program, world.province, Kind.YEARLY_REVIEW, 2024, issued_on=datetime.date(2025, 1, 5))


def test_the_docx_writes_every_percentage_with_one_decimal_and_the_basis_of_each_verdict(yearly, program):
    data = WRITERS["docx"].write(yearly)
    text = docx_all_text(data)
    assert not TWO_DECIMALS.search(text), TWO_DECIMALS.findall(text)[:5]
    assert "có 5/8 đơn vị thuộc diện báo cáo đã gửi báo cáo kết quả (đạt 62,5%)" in " ".join(text.split())

    summary = next(table for table in docx_tables(data) if BASIS in table[0])
    header = summary[0]
    assert header[:6] == ["Mã", "Chỉ tiêu", "Kết quả", "Mục tiêu", "Đánh giá", BASIS]
    rows = {row[0]: row for row in summary[1:]}
    for code, (shown, verdict, basis) in BY_HAND.items():
        assert (rows[code][2], rows[code][4], rows[code][5]) == (shown, verdict, basis), code
    percent_targets = program.targets.filter(unit="percent").values_list("code", flat=True)
    for code in percent_targets:
        assert rows[code][2] == "—" or ONE_DECIMAL.match(rows[code][2]), (code, rows[code][2])


def test_the_xlsx_cells_show_one_decimal_and_hold_the_basis(yearly):
    book = openpyxl.load_workbook(BytesIO(WRITERS["xlsx"].write(yearly)))
    summary = book["Tổng hợp"]
    header = [c.value for c in summary[6]]
    assert header[:6] == ["Mã", "Chỉ tiêu", "Kết quả", "Mục tiêu", "Đánh giá", BASIS]
    rows = {row[0].value: row for row in summary.iter_rows(min_row=7) if row[0].value}
    for code, (_shown, verdict, basis) in BY_HAND.items():
        assert (rows[code][4].value, rows[code][5].value) == (verdict, basis)
    assert rows["T19"][2].value == pytest.approx(1062 / 1265) and rows["T19"][2].number_format == "0.0%"
    assert rows["T19"][3].number_format == '"≥ "0.0%'
    assert rows["T15"][2].number_format == "#,##0" and rows["T22"][2].number_format == "0.00"
    reporting = book["Tình hình báo cáo"]
    total = next(row for row in reporting.iter_rows() if row[0].value == "Tổng cộng")
    assert total[6].value == pytest.approx(5 / 8) and total[6].number_format == "0.0%"


def test_the_xlsx_table_cells_are_boxed_in_times_new_roman_numbers_on_the_right(yearly):
    book = openpyxl.load_workbook(BytesIO(WRITERS["xlsx"].write(yearly)))
    rows = {row[0].value: row for row in book["Tổng hợp"].iter_rows(min_row=7) if row[0].value}
    words, figure = rows["T19"][1], rows["T19"][2]
    for cell in (words, figure):
        assert (cell.font.name, cell.font.sz, cell.font.b) == ("Times New Roman", 11, False)
        assert {cell.border.left.style, cell.border.right.style, cell.border.top.style,
                cell.border.bottom.style} == {"thin"}
    assert (words.alignment.horizontal, words.alignment.wrap_text) == ("left", True)
    assert (figure.alignment.horizontal, bool(figure.alignment.wrap_text)) == ("right", False)
    assert figure.number_format == "0.0%"  # the number's own format kept beside the cell's look
    total = next(row for row in book["Tình hình báo cáo"].iter_rows() if row[0].value == "Tổng cộng")
    assert total[0].font.b and total[6].font.b and total[6].alignment.horizontal == "right"


def test_the_term_review_tables_carry_the_basis_column(world, program, reported):
    review = build_document(program, world.province, Kind.TERM_REVIEW, 2025, issued_on=datetime.date(2026, 1, 5))
    data = WRITERS["docx"].write(review)
    assert not TWO_DECIMALS.search(docx_all_text(data))
    sections = [table for table in docx_tables(data) if table[0][-1] == BASIS and "2021" in table[0]]
    assert len(sections) == 7  # every section with targets, the basis on the same printed part
    row = next(r for table in sections for r in table if r[0].startswith("CNVCLĐ gia nhập"))
    assert row[4] == "84,0%"  # 2024
    # 2025 has no period in the fixture: no figure, no unit due, so nothing to rest a verdict on.
    assert row[-2:] == ["chưa có số liệu", ""]


def test_over_the_term_the_basis_names_the_year_it_reads(world, program, reported):
    from exports.builder import _Builder

    with translation.override("vi"):
        builder = _Builder(program, world.province, Kind.YEARLY_REVIEW, 2024, None, None)
        assert builder.basis_words(builder.series["T19"][2024], in_year=True) == "2024: " + BY_HAND["T19"][2]
    with translation.override("vi"):
        # In the 5-year review a yearly target is met only if met every year: no at-risk margin.
        review = _Builder(program, world.province, Kind.TERM_REVIEW, 2025, None, None)
        assert review.basis_words(review.series["T17"][2024], in_year=True) == \
            "2024: 4/7 đơn vị đã báo cáo; thiếu 75,0 điểm % so với chỉ tiêu"
