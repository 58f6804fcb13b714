"""The spreadsheet import: all or none, every bad row named by sheet, row and column, duplicates refused."""

import datetime
import io

import pytest
from openpyxl import Workbook

from audit.models import AuditEntry
from registries.imports import import_file
from registries.kinds import KINDS
from registries.models import UnionHome
from registries.testing import home
from tests.factories import DistrictFactory, GrassrootsFactory, ProvinceAdminFactory, UnitFactory

HEADER = ["Mã đơn vị", "Tên đơn vị", "Đoàn viên được hỗ trợ", "Xây mới hay sửa chữa", "Tổng kinh phí (đồng)",
          "Công đoàn hỗ trợ (đồng)", "Nguồn kinh phí", "Ngày bàn giao"]


def xlsx(*sheets) -> io.BytesIO:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    output.name = "nha.xlsx"
    return output


@pytest.fixture
def place(db):
    province = UnitFactory(code="P")
    district = DistrictFactory(parent=province, code="P.D1")
    g1 = GrassrootsFactory(parent=district, code="P.D1.G1")
    g2 = GrassrootsFactory(parent=district, code="P.D1.G2")
    return province, district, g1, g2, ProvinceAdminFactory()


def test_a_good_file_writes_every_row(place):
    province, district, g1, g2, admin = place
    file = xlsx(("Huyện", [HEADER,
                           ["P.D1.G1", "", "Lê Văn Một", "Xây mới", 150_000_000, 50_000_000, "Quỹ XH", "05/03/2025"],
                           [None] * 8,
                           ["P.D1.G2", "", "Lê Văn Hai", "sửa chữa", "60.000.000", "30.000.000", "",
                            datetime.date(2025, 9, 2)]]),
                ("Ghi chú", [["Không phải bảng dữ liệu"]]))
    result = import_file(KINDS["homes"], file, district, admin)
    assert (result.problems, result.created) == ([], 2)
    two = UnionHome.objects.get(beneficiary="Lê Văn Hai")
    assert (two.unit, two.work, two.cost, two.union_support, two.handed_over_on) == (
        g2, "repaired", 60_000_000, 30_000_000, datetime.date(2025, 9, 2))


def test_one_bad_row_writes_nothing_and_every_problem_is_named(place):
    province, district, g1, g2, admin = place
    home(g1, datetime.date(2024, 8, 1), "Đã Có Sẵn")
    before = (UnionHome.objects.count(), AuditEntry.objects.count())
    file = xlsx(("Nhà 2025", [
        HEADER,
        ["P.D1.G1", "", "Lê Văn Một", "Xây mới", 150_000_000, 50_000_000, "", "05/03/2025"],   # row 2: good
        ["P.D1.G2", "", "Lê Văn Hai", "Xây mới", 150_000_000, 50_000_000, "", "31/02/2025"],   # row 3: no such day
        ["P.D1.G1", "", "le van mot", "Xây mới", 150_000_000, 50_000_000, "", "05/03/2025"],   # row 4: row 2 again
        ["P.D1.G1", "", "Đã có sẵn", "Xây mới", 150_000_000, 50_000_000, "", "01/08/2024"],    # row 5: in the registry
        ["P.D2.X", "", "Người Khác", "xây", 150_000_000, 200_000_000, "", "05/03/2025"],       # row 6: unit, work
        ["P.D1.G2", "", "Trần Ba", "Xây mới", 100_000_000, 120_000_000, "", "06/03/2025"],     # row 7: support > cost
    ]))
    result = import_file(KINDS["homes"], file, district, admin)
    named = {(p.sheet, p.row, p.column.split(" ")[0]) for p in result.problems}
    assert named == {("Nhà 2025", 3, "H"), ("Nhà 2025", 4, ""), ("Nhà 2025", 5, ""), ("Nhà 2025", 6, "A"),
                     ("Nhà 2025", 6, "D"), ("Nhà 2025", 7, "F")}
    assert result.created == 0
    assert (UnionHome.objects.count(), AuditEntry.objects.count()) == before  # row 2 was written, then rolled back
    assert not UnionHome.objects.filter(beneficiary="Lê Văn Một").exists()


def test_rows_of_units_outside_the_page_or_not_the_users_are_refused(place):
    province, district, g1, g2, admin = place
    other = DistrictFactory(parent=province, code="P.D2")
    outside = GrassrootsFactory(parent=other, code="P.D2.G9")
    file = xlsx(("1", [HEADER, [outside.code, "", "Ai Đó", "Xây mới", 1, 1, "", "05/03/2025"]]))
    result = import_file(KINDS["homes"], file, district, admin)
    assert [(p.row, p.column[:1]) for p in result.problems] == [(2, "A")]
    assert not UnionHome.objects.exists()
