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


def _rows_passing(world, **params):
    from django.http import QueryDict

    from tiendo.lists import UnitListFilter, filter_rows

    rows = [{"unit": unit} for unit in (world.school, world.factory, world.long_xuyen)]
    query = QueryDict(mutable=True)
    query.update(params)
    filterset = UnitListFilter(query, user=world.admin, root=world.province)
    return [row["unit"].code for row in filter_rows(filterset, rows, unit_of=lambda row: row["unit"])]


def test_computed_rows_are_filtered_by_search_and_parent_and_kept_whole_without_a_query(
        world, django_assert_num_queries):
    # No search and no parent: every row passes, without asking the database about the rows'
    # units (a district's 1,600 ids); a search or a parent asks once.
    with django_assert_num_queries(0):
        assert _rows_passing(world) == ["AG.883.00001", "AG.883.00002", "AG.883"]
    with django_assert_num_queries(1):
        assert _rows_passing(world, q="my binh") == ["AG.883.00001"]
    assert _rows_passing(world, parent="AG.883") == ["AG.883.00001", "AG.883.00002", "AG.883"]
    assert _rows_passing(world, parent="AG.884") == []
    assert _rows_passing(world, parent="NOPE") == []  # not in the picker: nothing, not everything


def test_computed_rows_sort_as_django_tables2_sorts_them():
    """ListTable sorts a list of rows by each row's value read once (tiendo.lists._RowsSortedByKey):
    the same order as django-tables2's own comparator, no value first ascending and last
    descending, ties in the order given, on any column and either way, and on two columns."""
    from decimal import Decimal

    import django_tables2 as tables
    from django_tables2.data import TableListData

    from tiendo.lists import ListTable

    class Table(ListTable):
        name = tables.Column()
        value = tables.Column(accessor="figure__value")
        n = tables.Column()

    def rows():
        values = [Decimal("2.5"), None, Decimal("10"), Decimal("2.5"), None, Decimal("-1"), Decimal("0"), 3]
        return [{"name": f"Đơn vị {i % 3}", "figure": {"value": value}, "n": i % 2, "i": i}
                for i, value in enumerate(values)]

    for order in ("name", "-name", "value", "-value", "n", "-n", ("n", "-value"), ("-name", "value")):
        ours = Table(rows(), order_by=order)
        theirs = Table(TableListData(rows()), order_by=order)
        assert [row["i"] for row in ours.data.data] == [row["i"] for row in theirs.data.data], order
    ascending = Table(rows(), order_by="value").data.data
    assert [row["i"] for row in ascending][:2] == [1, 4] and ascending[-1]["i"] == 2
