"""Data values in and out as CSV and as ADX (IHE Aggregate Data Exchange, the XML that DHIS2
reads and writes): one row or <dataValue> per data element, period, unit and value.

Import is all or nothing: every row is checked (the unit exists and the user may enter its
data, the period is open to the report, the element is asked of the unit, the value passes the
form's rules), every problem named by its row (CSV) or line (ADX) and field, and only a file
with no problem is written, each report through reporting.actions.do_save_values, in one
transaction."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from xml.parsers import expat
from xml.sax.saxutils import quoteattr

from django.db import transaction

from accounts.permissions import can_edit_unit_data, visible_units
from api.choice import period_label, periods_of
from api.entry import as_file_text, checked_values
from programs.models import Program
from reporting import actions
from reporting.elements import program_elements_for
from reporting.models import DataValue, Period, Report, stored_to_value
from units.models import Unit

CSV_COLUMNS = ("dataSet", "period", "orgUnit", "dataElement", "value", "comment")
ADX_NAMESPACE = "urn:ihe:qrph:adx:2015"
MAX_ROWS = 50_000


class ExchangeError(Exception):
    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__("; ".join(f"{p['where']} {p['field']}: {p['message']}" for p in problems[:5]))


@dataclass
class Row:
    where: str  # "row 3" / "line 7"
    data_set: str
    period: str
    org_unit: str
    element: str
    value: str
    comment: str = ""


# --- periods ------------------------------------------------------------------------------------
_PERIOD = re.compile(r"^(?P<year>\d{4})(?:(?:S|-H)(?P<half>[12]))?$"
                     r"|^(?P<start>\d{4}-\d{2}-\d{2})/(?P<length>P1Y|P12M|P6M)$")


def parse_period(text: str) -> tuple[int, int] | None:
    """(year, half) of "2024", "2024S1", "2024-H2" or ISO "2024-01-01/P1Y", "2024-07-01/P6M"; None if not one."""
    match = _PERIOD.match(text.strip())
    if not match:
        return None
    if match["year"]:
        return int(match["year"]), int(match["half"] or 0)
    year, month, day = (int(part) for part in match["start"].split("-"))
    if match["length"] == "P6M":
        return (year, 1) if (month, day) == (1, 1) else (year, 2) if (month, day) == (7, 1) else None
    return (year, 0) if (month, day) == (1, 1) else None


# --- reading files -------------------------------------------------------------------------------
def read_csv(content: bytes) -> list[Row]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExchangeError([{"where": "file", "field": "", "message": "Tệp không phải UTF-8. / Not UTF-8."}]) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS[:5] if c not in (reader.fieldnames or [])]
    if missing:
        raise ExchangeError([{"where": "row 1", "field": c, "message": "Thiếu cột. / Missing column."}
                             for c in missing])
    rows = []
    for number, record in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            raise ExchangeError([{"where": f"row {number}", "field": "", "message":
                                  f"Quá {MAX_ROWS} dòng. / More than {MAX_ROWS} rows."}])
        cells = {c: (record.get(c) or "").strip() for c in CSV_COLUMNS}
        rows.append(Row(f"row {number}", cells["dataSet"], cells["period"], cells["orgUnit"], cells["dataElement"],
                        cells["value"], cells["comment"]))
    return rows


def read_adx(content: bytes) -> list[Row]:
    """ADX's <group orgUnit period dataSet> with its <dataValue dataElement value>, each with its
    line. No DTD is accepted (so no entity can expand or reach outside)."""
    rows: list[Row] = []
    group: dict | None = None
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*args):
        raise ExchangeError([{"where": f"line {parser.CurrentLineNumber}", "field": "", "message":
                              "Không nhận DTD hay thực thể. / No DTD or entity is accepted."}])

    def start(name, attrs):
        nonlocal group
        local = name.rsplit(" ", 1)[-1]
        line = f"line {parser.CurrentLineNumber}"
        if local == "group":
            group = {"orgUnit": attrs.get("orgUnit", ""), "period": attrs.get("period", ""),
                     "dataSet": attrs.get("dataSet", "")}
        elif local == "dataValue":
            if group is None:
                raise ExchangeError([{"where": line, "field": "dataValue",
                                      "message": "dataValue nằm ngoài group. / A dataValue outside a group."}])
            if len(rows) >= MAX_ROWS:
                raise ExchangeError([{"where": line, "field": "", "message":
                                      f"Quá {MAX_ROWS} giá trị. / More than {MAX_ROWS} values."}])
            rows.append(Row(line, group["dataSet"].strip(), group["period"].strip(), group["orgUnit"].strip(),
                            attrs.get("dataElement", "").strip(), attrs.get("value", "").strip(),
                            attrs.get("comment", "").strip()))

    def end(name):
        nonlocal group
        if name.rsplit(" ", 1)[-1] == "group":
            group = None

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(content, True)
    except expat.ExpatError as error:
        raise ExchangeError([{"where": f"line {error.lineno}", "field": "", "message":
                              f"XML không đọc được: {expat.errors.messages[error.code]} / Unreadable XML."}]) from None
    return rows


# --- importing -----------------------------------------------------------------------------------
def _problem(row: Row, field: str, message: str) -> dict:
    return {"where": row.where, "field": field, "message": message}


def import_rows(rows: list[Row], user, default_program: Program) -> tuple[int, int]:
    """Write every row, or nothing: (reports written, values written); ExchangeError names each bad row."""
    if not rows:
        raise ExchangeError([{"where": "file", "field": "", "message": "Tệp không có giá trị nào. / No value."}])
    problems: list[dict] = []
    programs = {p.code: p for p in Program.objects.filter(code__in={r.data_set for r in rows if r.data_set})}
    units = {u.code: u for u in visible_units(user).filter(code__in={r.org_unit for r in rows})}
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        program = programs.get(row.data_set) if row.data_set else default_program
        period = parse_period(row.period)
        unit = units.get(row.org_unit)
        if program is None:
            problems.append(_problem(row, "dataSet", f"Không có chương trình “{row.data_set}”. / No such program."))
        if period is None:
            problems.append(_problem(row, "period", f"Kỳ “{row.period}” không đúng dạng (2024, 2024-01-01/P1Y). / "
                                                    "Not a period (2024, 2024-01-01/P1Y)."))
        if unit is None:
            problems.append(_problem(row, "orgUnit", f"Không có đơn vị “{row.org_unit}” (hoặc bạn không được xem). / "
                                                     "No such unit (or not yours to see)."))
        elif not can_edit_unit_data(user, unit):
            problems.append(_problem(row, "orgUnit", "Bạn không được nhập số liệu của đơn vị này. / "
                                                     "Not yours to enter."))
        if program and period and unit:
            groups[(program.pk, period, unit.code)].append(row)
    plans = []
    for (program_id, (year, half), code), group in groups.items():
        program = next(p for p in [*programs.values(), default_program] if p.pk == program_id)
        unit = units[code]
        period = periods_of(program).filter(year=year, half=half,
                                            kind=Period.Kind.HALF if half else Period.Kind.YEAR).first()
        if period is None:
            problems += [_problem(r, "period", "Không có kỳ báo cáo này. / No such reporting period.") for r in group]
            continue
        report = Report.objects.filter(period=period, unit=unit).first()
        if report is not None and not report.is_editable:
            problems += [_problem(r, "period", "Báo cáo không còn sửa được (đã gửi hoặc kỳ đã đóng). / "
                                              "The report can no longer be changed (sent, or its period closed).")
                         for r in group]
            continue
        if report is None and not period.is_open:
            problems += [_problem(r, "period", "Kỳ báo cáo đã đóng. / The period is closed.") for r in group]
            continue
        seen: dict[str, Row] = {}
        for row in group:
            if row.element in seen:
                problems.append(_problem(row, "dataElement", f"Trùng với {seen[row.element].where}. / "
                                                             f"Repeats {seen[row.element].where}."))
            seen[row.element] = row
        values, comments, found = checked_values(
            program_elements_for(program, unit), {r.element: r.value for r in group},
            {r.element: r.comment for r in group if r.comment})
        for item in found:
            code_of = item["field"].split("__")[0]
            row = seen.get(code_of, group[0])
            problems.append(_problem(row, "value" if code_of == item["field"] else "comment",
                                     f"{row.element}: {item['message']}"))
        plans.append((period, unit, report, values, comments))
    if problems:
        raise ExchangeError(problems)
    written = 0
    with transaction.atomic():
        for period, unit, report, values, comments in plans:
            report = report or actions.get_or_create_report(period, unit)
            try:
                actions.do_save_values(report, values, comments, user, report.version, action=Report.Step.IMPORTED)
            except actions.ReportingError as error:
                raise ExchangeError([{"where": f"{unit.code} {period_label(period)}", "field": "",
                                      "message": str(error)}]) from error
            written += len(values)
    return len(plans), written


# --- exporting -----------------------------------------------------------------------------------
def exported_values(user, root: Unit, program: Program, periods):
    """(data set, period, unit, element, value, comment) of every value of the periods' reports
    in the root's subtree, read in chunks from the database, never all at once."""
    labels = {p.pk: period_label(p) for p in periods}
    in_subtree = Unit.objects.subtree_lookup(root, "report__unit__path")
    rows = (DataValue.objects.filter(report__period__in=list(labels), element__in=program.data_elements.all(),
                                     **in_subtree)
            .filter(report__unit__in=visible_units(user))
            .order_by("report__unit__path", "report__period__starts_on", "element__code")
            .values_list("report__period_id", "report__unit__code", "element__code", "element__type", "number",
                         "text", "comment"))
    for period_id, unit_code, element, kind, number, text, comment in rows.iterator(chunk_size=2000):
        value = as_file_text(stored_to_value(kind, number, text))
        yield program.code, labels[period_id], unit_code, element, value, comment


def csv_lines(values):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    for row in values:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()


def adx_lines(values):
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<adx xmlns="{ADX_NAMESPACE}">\n'
    current = None
    for data_set, period, unit, element, value, comment in values:
        if (data_set, period, unit) != current:
            if current is not None:
                yield "  </group>\n"
            current = (data_set, period, unit)
            yield f"  <group orgUnit={quoteattr(unit)} period={quoteattr(period)} dataSet={quoteattr(data_set)}>\n"
        extra = f" comment={quoteattr(comment)}" if comment else ""
        yield f"    <dataValue dataElement={quoteattr(element)} value={quoteattr(value)}{extra}/>\n"
    if current is not None:
        yield "  </group>\n"
    yield "</adx>\n"
