"""tiendo.lists' workbook: what people typed stays text, and any title makes a valid sheet."""

from io import BytesIO

from django.utils.safestring import mark_safe
from openpyxl import load_workbook

from tiendo.lists import xlsx_bytes


def test_a_name_that_starts_with_equals_stays_words_and_any_title_is_a_sheet_name():
    data = xlsx_bytes("T19 Tỷ lệ CĐCS/đơn vị: [2024]?", [
        ["Đơn vị", "Số"],
        ['=HYPERLINK("http://x","bấm")', 12],
        [mark_safe('<a href="/u/">Công đoàn &amp; bạn</a>'), None],
    ])
    sheet = load_workbook(BytesIO(data)).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '=HYPERLINK("http://x","bấm")'
    assert sheet["B2"].value == 12 and sheet["A3"].value == "Công đoàn & bạn" and sheet["B3"].value is None
    assert sheet["A1"].font.bold and not sheet["A2"].font.bold
    assert sheet.title == "T19 Tỷ lệ CĐCS đơn vị   2024  "[:31]
