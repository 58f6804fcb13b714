"""Which rows: one `Document` built from the data, whatever file it is written to.

A yearly evaluation ("hàng năm có đánh giá kết quả thực hiện") or the 5-year review
("5 năm tiến hành tổng kết") of a program, for a unit's subtree:

- every figure comes from indicators.engine: the unit's series for the totals and the
  engine's breakdown (what the target page shows) for the tables by child unit;
- reporting completeness from reporting.completeness;
- the narrative parts and the document's number, date, signature and distribution list from
  exports.models.Narrative, with defaults taken from the program's own document.

The document is an official Vietnamese document whatever the reader's interface language:
it is built with Vietnamese active, and its wording lives in the translation catalogue.
"""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exports.document import Cell, Column, Document, Heading, Paragraph, Sheet, Signature, Table
from exports.formatting import (
    EXCEL_FORMATS,
    EXCEL_INTEGER,
    EXCEL_PERCENT,
    abbreviated,
    capitals,
    comparison_format,
    exact_share,
    excel_value,
    figure,
    figure_percent,
    first_upper,
    place_and_date,
    place_of,
    points,
    sentence_case,
)
from exports.hierarchy import hierarchy_changes
from exports.models import Kind, Narrative
from indicators import reading
from indicators import status as rules
from indicators.engine import HUNDRED, Bridge, Engine, Result
from programs.models import Program, Section, Target
from reporting.completeness import Completeness, completeness, missing_units
from reporting.models import Period
from reporting.stamps import data_stamp
from tiendo.formatting import integer, short_date
from units import placement
from units.models import Unit, UnitKind, named_as_on, names_on

REPORT_CODE = "BC"  # the document-type code of a report in its number ("Số: 12/BC-LĐLĐ")
# The issuing body's code in the number, by kind of unit.
BODY_CODES = {
    UnitKind.PROVINCE: "LĐLĐ",
    UnitKind.DISTRICT: "LĐLĐ",
    UnitKind.SECTOR: "CĐN",
    UnitKind.INDUSTRIAL_ZONE: "CĐKCN",
}
KIND_ORDER = {kind: position for position, kind in enumerate(
    (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.SECTOR, UnitKind.INDUSTRIAL_ZONE, UnitKind.GRASSROOTS))}
ROMAN = ("I", "II", "III", "IV", "V", "VI")
GRASSROOTS_PRINTED = 30  # more grassroots unions directly below than this: one summary line in print
MISSING_PRINTED = 100  # more units not reported than this: counted by parent in print, listed in the .xlsx
MISSING_INLINE = 10  # up to this many units not reported are named in the body; all are in the appendix
BLANK_NUMBER = " " * 8


def unit_order(unit: Unit) -> tuple:
    """Units in tables: district federations, sector unions, the industrial-zones union, then
    grassroots unions, each by name."""
    return (KIND_ORDER.get(unit.kind, 9), unit.name)


class DocumentChoiceError(ValueError):
    """A unit, kind or year a document cannot be made for."""


def check_choice(program: Program, unit: Unit, kind: str, year: int) -> None:
    if kind not in Kind.values:
        raise DocumentChoiceError(_("Unknown kind of document."))
    if unit.kind == UnitKind.GRASSROOTS:
        raise DocumentChoiceError(_("Documents are made for the province or an upper-level union."))
    if kind == Kind.TERM_REVIEW and year != program.term_end:
        raise DocumentChoiceError(_("The 5-year review is made for the last year of the term."))
    if year not in program.reporting_years:
        raise DocumentChoiceError(_("This year is not a reporting year of the program."))


def document_years(program: Program, kind: str, year: int) -> list[int]:
    """The years a document reads: the year evaluated, or every reporting year up to it."""
    return [y for y in program.reporting_years if y <= year] if kind == Kind.TERM_REVIEW else [year]


def document_periods(program: Program, kind: str, year: int):
    """The yearly periods a document reads (whose reports its data stamp covers)."""
    return Period.objects.filter(kind=Period.Kind.YEAR, half=0,
                                 year__in=document_years(program, kind, year))


def document_units(units):
    """Of some units, those a document can be made for (the province and upper-level unions)."""
    return units.exclude(kind=UnitKind.GRASSROOTS)


def default_details(program: Program, unit: Unit, named_on: datetime.date | None = None) -> dict:
    """The signature and distribution list a document starts from.

    The province signs as the program does (its `signature`) and sends to the program's
    distribution list; an upper-level union signs for its own standing committee (the name
    left for the department to fill in) and sends to the province's lead department. With
    `named_on`, the unit and its parent are named as they were named that day (UnitName)."""
    with translation.override("vi"):
        if unit.is_root():
            signature = program.document.get("signature") or {}
            recipients = list(program.document.get("recipients") or [])
            if not recipients or not _is_file_copy(recipients[-1]):
                recipients.append(_("File copy: VT"))
            return {
                "signer_on_behalf": signature.get("on_behalf") or _("ON BEHALF OF THE STANDING COMMITTEE"),
                "signer_title": signature.get("title") or _("CHAIRPERSON"),
                "signer_name": signature.get("signer", ""),
                "recipients": "\n".join(recipients),
            }
        parent, unit = named_as_on([Unit.objects.get_parent(unit), copy.copy(unit)], named_on)
        lead = program.lead_department or _("the lead department")
        return {
            "signer_on_behalf": _("ON BEHALF OF THE STANDING COMMITTEE"),
            "signer_title": _("CHAIRPERSON"),
            "signer_name": "",
            "recipients": "\n".join([
                _("%(department)s of %(body)s") % {"department": lead, "body": abbreviated(parent.name)},
                _("Standing committee of %(body)s") % {"body": abbreviated(unit.name)},
                _("File copy: VT"),
            ]),
        }


def _is_file_copy(line: str) -> bool:
    return line.strip().lower().startswith(("lưu", _("File copy").lower()))


def recipient_lines(text: str) -> list[str]:
    """"- …;" a line, the last one (the file copy) ending with a full stop."""
    names = [line.strip().lstrip("-–•").strip().rstrip(";.").strip() for line in text.splitlines()]
    names = [name for name in names if name]
    return [f"- {name}{'.' if i == len(names) - 1 else ';'}" for i, name in enumerate(names)]


def build_document(program: Program, unit: Unit, kind: str, year: int, *, number: str | None = None,
                   issued_on: datetime.date | None = None, view: str = placement.THEN) -> Document:
    """The whole document; `number` and `issued_on` override what the narrative record says.
    `view` is how its figures add up over a changing hierarchy (units.placement: "then", each
    year over the units of that year; "now", every year over today's units)."""
    if view not in placement.VIEWS:
        raise DocumentChoiceError(_("Unknown view."))
    with translation.override("vi"):
        check_choice(program, unit, kind, year)
        return _Builder(program, unit, kind, year, number, issued_on, view).build()


class _Builder:
    def __init__(self, program, unit, kind, year, number, issued_on, view=placement.THEN):
        # "As it was", a past period's document names every unit as it was named at the end of
        # its year (units.models.UnitName): its header, its recipients and its tables.
        self.named_on = datetime.date(year, 12, 31) if view == placement.THEN else None
        self.past_names = names_on(self.named_on) if self.named_on else {}
        unit = named_as_on([copy.copy(unit)], self.named_on)[0]
        self.program, self.unit, self.kind, self.year, self.view = program, unit, kind, year, view
        self.term = kind == Kind.TERM_REVIEW
        self.years = document_years(program, kind, year)
        self.narrative = Narrative.objects.filter(program=program, unit=unit, kind=kind, year=year).first() \
            or Narrative(program=program, unit=unit, kind=kind, year=year)
        defaults = default_details(program, unit, self.named_on)
        self.details = {key: getattr(self.narrative, key) or value for key, value in defaults.items()}
        self.number = (number if number is not None else self.narrative.number).strip()
        self.issued_on = issued_on or self.narrative.issued_on or timezone.localdate()
        self.table_count = 0
        self.engine = Engine(program, view=view)
        self.targets: list[Target] = self.engine.targets
        self.series = self.engine.series(unit)
        self._breakdowns: dict[str, dict[Unit, Result]] | None = None
        self.periods = {p.year: p for p in document_periods(program, kind, year)}

    # --- words used throughout -----------------------------------------------------------

    @staticmethod
    def status_label(status: str) -> str:
        return reading.status_word(status)

    def unit_name(self, unit: Unit) -> str:
        """The unit's name as the document names it (the name of its year, "as it was")."""
        return self.past_names.get(unit.pk, (unit.name,))[0]

    def unit_label(self, unit: Unit) -> str:
        name, short_name = self.past_names.get(unit.pk, (unit.name, unit.short_name))
        return short_name or name

    @staticmethod
    def target_label(target: Target) -> str:
        return target.short_label or target.text

    def goal(self, target: Target) -> str:
        return f"{target.get_comparison_display()} {reading.goal(target)}"

    def goal_cell(self, target: Target) -> Cell:
        return Cell(self.goal(target), excel_value(target.value, target.unit),
                    comparison_format(target.get_comparison_display(), target.unit))

    @staticmethod
    def value_cell(result: Result) -> Cell:
        unit = result.target.unit
        return Cell(figure(result.value, unit), excel_value(result.value, unit), EXCEL_FORMATS[unit])

    @staticmethod
    def count_cell(n: int | None) -> Cell:
        return Cell(integer(n), n, EXCEL_INTEGER)

    def percent_cell(self, value) -> Cell:
        return Cell(figure_percent(value), excel_value(value, "percent"), EXCEL_PERCENT)

    def table(self, title: str, columns: list[Column], sheet: str, **options) -> Table:
        # Every table says how its figures add up over the changing hierarchy (issue #14).
        title = _("%(title)s (units %(view)s)") % {"title": title, "view": self.view_words()}
        if options.get("printed", True):
            self.table_count += 1
            title = _("Table %(n)s. %(title)s") % {"n": self.table_count, "title": title}
        return Table(title, columns, sheet=sheet, **options)

    def view_words(self, view: str | None = None) -> str:
        return _("as it was") if (view or self.view) == placement.THEN else _("as it is now")

    @staticmethod
    def numbered(part: int, title: str) -> Heading:
        return Heading(f"{ROMAN[part]}. {title}", 1)

    def reporter(self) -> str:
        return _("the Standing Committee of %(unit)s") % {"unit": self.unit.name}

    def program_name(self) -> str:
        return self.program.title

    # --- the document ----------------------------------------------------------------------

    def build(self) -> Document:
        program, unit = self.program, self.unit
        superior = program.superior_body if unit.is_root() else \
            self.unit_name(Unit.objects.get_parent(unit))
        issuing = (program.issuing_unit or unit.name) if unit.is_root() else unit.name
        code = BODY_CODES.get(unit.kind, "CĐ")
        number = f"{self.number or BLANK_NUMBER}/{REPORT_CODE}-{code}"
        place = place_of(unit.name) or place_of(Unit.objects.get_root(unit).name) or ""
        subject = self.subject()
        body = self.intro() + self.reporting_part() + self.results_part() + self.shortcomings_part() + \
            self.directions_part()
        appendix = self.appendix()
        signature = Signature(self.details["signer_on_behalf"], self.details["signer_title"],
                              self.details["signer_name"])
        document_type = _("REPORT")
        base = "bao-cao-tong-ket" if self.term else "bao-cao-ket-qua"
        years = f"{self.years[0]}-{self.years[-1]}" if self.term else str(self.year)
        return Document(
            kind=self.kind, year=self.year, years=self.years, unit_code=unit.code,
            superior_body=capitals(abbreviated(superior)),
            issuing_body=capitals(issuing),
            number_line=_("No.: %(number)s") % {"number": number},
            national_title=_("SOCIALIST REPUBLIC OF VIETNAM"),
            national_motto=_("Independence - Freedom - Happiness"),
            place_date=place_and_date(place, self.issued_on),
            issued_on=self.issued_on,
            document_type=document_type,
            subject=subject,
            body=body,
            closing=self.closing(),
            recipients_label=_("Recipients:"),
            recipients=recipient_lines(self.details["recipients"]),
            signature=signature,
            appendix_heading=[
                _("APPENDIX"),
                _("(Attached to Report No. %(number)s dated %(date)s of %(reporter)s)") % {
                    "number": number, "date": short_date(self.issued_on), "reporter": self.reporter()},
            ],
            appendix=appendix,
            sheets=self.sheets(),
            data_stamp=data_stamp(self.periods.values(), unit).line,
            filename=f"{base}-{years}-{unit.code}",
            title=f"{document_type} {' '.join(subject)}",
        )

    def subject(self) -> list[str]:
        lines = list(self.program.document.get("title_lines") or [self.program.title])
        first = sentence_case(lines[0])
        if self.term:
            lines[0] = _("%(years)s-year review of implementing the %(program)s") % {
                "years": self.program.term_end - self.program.term_start, "program": first}
        else:
            lines[0] = _("Results of implementing the %(program)s") % {"program": first}
            lines[-1] = _("%(text)s, year %(year)s") % {"text": lines[-1], "year": self.year}
        return lines

    def intro(self) -> list:
        issuer = self.program.issuer
        values = {"program": self.program_name(), "issuer": issuer, "reporter": self.reporter(),
                  "year": self.year, "years": self.program.term_end - self.program.term_start,
                  "first": self.years[0], "last": self.years[-1]}
        if self.unit.is_root():  # the program is the province's own: no "of the issuer"
            if self.term:
                text = _("Pursuant to the %(program)s, %(reporter)s reports the review of %(years)s years of its "
                         "implementation (%(first)s - %(last)s) as follows:") % values
            else:
                text = _("Pursuant to the %(program)s, %(reporter)s reports the results of its implementation in "
                         "%(year)s as follows:") % values
        elif self.term:
            text = _("Pursuant to the %(program)s of the %(issuer)s, %(reporter)s reports the review of "
                     "%(years)s years of its implementation (%(first)s - %(last)s) as follows:") % values
        else:
            text = _("Pursuant to the %(program)s of the %(issuer)s, %(reporter)s reports the results of its "
                     "implementation in %(year)s as follows:") % values
        return [Paragraph(first_upper(text))]

    # --- I. reporting ------------------------------------------------------------------------

    def reporting_part(self) -> list:
        blocks: list = [self.numbered(0, _("IMPLEMENTATION AND REPORTING OF RESULTS"))]
        if self.term:
            table = self.table(_("Reports sent by the units, %(first)s - %(last)s") % {
                "first": self.years[0], "last": self.years[-1]}, self.completeness_columns(_("Year")),
                "reporting")
            for year in self.years:
                period = self.periods.get(year)
                counts = completeness(period, self.unit, self.view).total if period else Completeness()
                table.rows.append([Cell(str(year)), *self.completeness_cells(counts)])
            blocks.append(Paragraph(_("Every year the units report their results to the level above; the table "
                                      "below shows how many units were due to report, how many sent their report, "
                                      "on time or late, and how many did not.")))
            blocks.append(table)
        blocks += self.reporting_paragraphs(self.year)
        blocks += self.hierarchy_part()
        return blocks

    # --- the hierarchy's changes (issue #14) ----------------------------------------------------

    def hierarchy_part(self) -> list:
        """How the hierarchy changed in the document's years (from the units' dated records),
        which view the tables use, and the structural bridge of the targets across the change."""
        first_day = datetime.date(self.years[0], 1, 1)
        last_day = min(datetime.date(self.years[-1], 12, 31), max(timezone.localdate(), first_day))
        changes = hierarchy_changes(self.unit, first_day, last_day)
        if not changes.any:
            return []
        blocks: list = [Heading(_("Reorganisation of the union units"), 2)]
        for day, units in sorted(changes.closed_upper.items()):
            names = "; ".join(self.unit_label(u) for u in units)
            blocks.append(Paragraph(_("On %(day)s, %(count)s upper-level unions were dissolved or merged: "
                                      "%(names)s.") % {"day": short_date(day), "count": integer(len(units)),
                                                      "names": names}))
        if changes.formed:
            shown = "; ".join(self.unit_label(u) for u in changes.formed[:MISSING_INLINE])
            more = len(changes.formed) - MISSING_INLINE
            blocks.append(Paragraph(_("%(count)s upper-level unions were formed (commune, ward and special-zone "
                                      "unions among them): %(names)s%(more)s.") % {
                "count": integer(len(changes.formed)), "names": shown,
                "more": (_(" and %(count)s others") % {"count": integer(more)}) if more > 0 else ""}))
        blocks.append(Paragraph(_(
            "Grassroots unions: %(moved)s moved to another upper-level union, %(merged)s merged into another unit, "
            "%(dissolved)s dissolved without a successor; %(before)s grassroots unions with %(members_before)s "
            "members under %(unit)s the day before the first change, %(after)s with %(members_after)s members "
            "on %(last)s.") % {
            "moved": integer(changes.grassroots_moved), "merged": integer(changes.grassroots_merged),
            "dissolved": integer(changes.grassroots_dissolved), "before": integer(changes.grassroots_before),
            "members_before": integer(changes.members_before), "after": integer(changes.grassroots_after),
            "members_after": integer(changes.members_after), "unit": self.unit_label(self.unit),
            "last": short_date(changes.last_day)}))
        blocks.append(Paragraph(_(
            "The tables of this report add up the figures %(view)s: %(explained)s") % {
            "view": self.view_words(), "explained": _(
                "each year over the units of that year (a closed year does not change after a reorganisation)."
            ) if self.view == placement.THEN else _(
                "every year over today's units, each closed unit's figures carried onto its successor.")}))
        bridge = self.bridge_table(changes)
        if bridge is not None:
            blocks.append(Paragraph(_(
                "The table below splits each target's change from %(earlier)s to %(later)s into what the "
                "reorganisation brought (the units that joined, left or were dissolved: %(earlier)s as it is now "
                "minus as it was) and what came from the units' own performance (%(later)s minus %(earlier)s as "
                "it is now).") % {"earlier": bridge[0], "later": bridge[1]}))
            blocks.append(bridge[2])
        return blocks

    def bridge_table(self, changes) -> tuple[int, int, Table] | None:
        """The structural bridge (indicators.engine.Bridge) of every target with figures across
        the year of the first change, from one series per view (the same few queries)."""
        first = changes.first_change
        if first is None:
            return None
        earlier, later = first.year - 1, first.year
        if earlier not in self.program.reporting_years or later not in self.years:
            return None
        then = self.series if self.view == placement.THEN else Engine(self.program).series(self.unit)
        now = self.series if self.view == placement.NOW else \
            Engine(self.program, view=placement.NOW).series(self.unit)
        columns = [Column(_("Target"), width=3.0),
                   Column(_("%(year)s as it was") % {"year": earlier}, True),
                   Column(_("%(year)s as it is now") % {"year": earlier}, True),
                   Column(str(later), True), Column(_("Change in the year"), True),
                   Column(_("of which: reorganisation"), True), Column(_("of which: performance"), True)]
        table = Table(_("Table %(n)s. Change of the targets from %(earlier)s to %(later)s: reorganisation and "
                        "performance") % {"n": self.table_count + 1, "earlier": earlier, "later": later},
                      columns, sheet="reporting", small=True)
        for target in self.targets:
            if target.period == Target.Horizon.DEADLINE or reading.is_contribution(then[target.code][later]):
                continue
            bridge = Bridge(target, earlier, later, then[target.code][earlier].value, now[target.code][earlier].value,
                            then[target.code][later].value)
            if bridge.change is None:
                continue
            table.rows.append([Cell(self.target_label(target)), *[
                self.number_cell(target, n) for n in (bridge.earlier_then, bridge.earlier_now, bridge.later_then,
                                                       bridge.change, bridge.structural, bridge.performance)]])
        if not table.rows:
            return None
        self.table_count += 1
        return earlier, later, table

    @staticmethod
    def number_cell(target: Target, value) -> Cell:
        return Cell(figure(value, target.unit), excel_value(value, target.unit), EXCEL_FORMATS[target.unit])

    def reporting_paragraphs(self, year: int) -> list:
        period = self.periods.get(year)
        if period is None:
            return [Paragraph(_("No reporting period has been opened for %(year)s.") % {"year": year})]
        report = completeness(period, self.unit, self.view)
        counts = report.total
        values = {"year": year, "submitted": integer(counts.submitted), "expected": integer(counts.expected),
                  "percent": figure_percent(exact_share(counts.submitted, counts.expected)),
                  "on_time": integer(counts.on_time),
                  "due": short_date(period.due_on), "late": integer(counts.late), "missing": integer(counts.missing),
                  "approved": integer(counts.approved)}
        blocks = [Paragraph(_(
            "In %(year)s, %(submitted)s of the %(expected)s units due to report sent their report (%(percent)s): "
            "%(on_time)s on time (by %(due)s) and %(late)s late; %(missing)s units have not reported. "
            "%(approved)s reports have been approved; the figures of this report are compiled from approved "
            "reports only.") % values)]
        missing = list(missing_units(period, self.unit, self.view))
        if missing and len(missing) <= MISSING_INLINE:
            blocks.append(Paragraph(_("Units that have not reported in %(year)s: %(units)s.") % {
                "year": year, "units": "; ".join(u.name for u in missing)}))
        elif missing:
            per_child, direct = [], 0
            for child, child_counts in sorted(report.by_child, key=lambda pair: unit_order(pair[0])):
                if child.kind == UnitKind.GRASSROOTS:
                    direct += child_counts.missing
                elif child_counts.missing:
                    per_child.append(f"{self.unit_label(child)}: {integer(child_counts.missing)}")
            if direct:
                per_child.append(_("grassroots unions directly under it: %(count)s") % {"count": integer(direct)})
            blocks.append(Paragraph(_("Units that have not reported in %(year)s, by unit: %(counts)s (the list is "
                                      "in the appendix).") % {"year": year, "counts": "; ".join(per_child)}))
        return blocks

    def completeness_columns(self, first: str) -> list[Column]:
        return [Column(first, width=3.6), Column(_("Due to report"), True), Column(_("Reports sent"), True),
                Column(_("Sent on time"), True), Column(_("Sent late"), True), Column(_("Not sent"), True),
                Column(_("Share sent"), True)]

    def completeness_cells(self, counts: Completeness) -> list[Cell]:
        return [self.count_cell(counts.expected), self.count_cell(counts.submitted), self.count_cell(counts.on_time),
                self.count_cell(counts.late), self.count_cell(counts.missing),
                self.percent_cell(exact_share(counts.submitted, counts.expected))]

    # --- II. results, following the program's sections ---------------------------------------

    def sections_with_targets(self) -> list[tuple[Section, list[Target]]]:
        by_section: dict[int, list[Target]] = {}
        for target in self.targets:
            by_section.setdefault(target.section_id, []).append(target)
        sections = list(self.program.sections.all())
        numbers_with_targets = {s.number for s in sections if s.id in by_section}
        kept = []
        for section in sections:
            if section.depth == 0 and section.id not in by_section:
                continue  # "II. NỘI DUNG CHƯƠNG TRÌNH": the document's own part II stands for it
            concerned = any(n == section.number or n.startswith(section.number + ".") for n in numbers_with_targets)
            if concerned:
                kept.append((section, by_section.get(section.id, [])))
        return kept

    @staticmethod
    def shown_number(section: Section) -> str:
        parts = section.number.split(".")
        return ".".join(parts[1:]) if len(parts) > 1 else parts[0]

    def results_part(self) -> list:
        blocks: list = [self.numbered(1, _("RESULTS AGAINST THE TARGETS"))]
        blocks += self.narrative_blocks(self.narrative.achievements)
        blocks.append(Paragraph(self.status_summary()))
        for section, targets in self.sections_with_targets():
            level = min(section.depth + 1, 3)
            blocks.append(Heading(f"{self.shown_number(section)}. {section.title}", level))
            if not targets:
                continue
            if self.term:
                blocks.append(self.term_section_table(section, targets))
            for target in targets:
                sentence = self.term_sentence(target) if self.term else self.year_sentence(target)
                blocks.append(Paragraph(f"- {sentence}"))
        return blocks

    def verdict(self, target: Target) -> tuple[str, str]:
        """How a target stands in the document: its status in the year looked at, or over the
        term (indicators.reading.verdict)."""
        found = reading.verdict(self.series[target.code], self.year, self.years if self.term else None)
        return found.status, found.words

    def status_summary(self) -> str:
        counts = reading.status_counts(self.verdict(target)[0] for target in self.targets)
        listed = ", ".join(f"{integer(n)} {self.status_label(s)}" for s, n in counts)
        values = {"year": self.year, "total": integer(len(self.targets)), "counts": listed}
        if self.term:
            return _("By %(year)s, of the program's %(total)s targets: %(counts)s.") % values
        return _("In %(year)s, of the program's %(total)s targets: %(counts)s.") % values

    def coverage_words(self, result: Result) -> str:
        if not result.expected:
            return ""
        values = {"reported": integer(result.reported), "expected": integer(result.expected),
                  "percent": figure_percent(exact_share(result.reported, result.expected))}
        if result.counts_plans:
            return _("%(reported)s/%(expected)s units uploaded a plan (%(percent)s)") % values
        if result.low_coverage:
            return _("only %(reported)s of %(expected)s units reported (%(percent)s), the figure is incomplete") \
                % values
        return _("%(reported)s/%(expected)s units reported (%(percent)s)") % values

    @staticmethod
    def gap_words(target: Target, gap: Decimal) -> str:
        """A distance to the target in its unit: "3,5 điểm %" for a percentage, else "12", "0,15"."""
        if target.unit == Target.Measure.PERCENT:
            return _("%(points)s percentage points") % {"points": points(abs(gap))}
        return figure(abs(gap), target.unit)

    def basis_words(self, result: Result, in_year: bool = False) -> str:
        """What a verdict rests on, beside it ("Cơ sở đánh giá"): how many units' reports (or
        plans) the figure counts, and the rule's own basis (indicators.status) — the projection to
        the term's end for a term target looked at before its last year, else the figure itself —
        with its gap to the target; short of it, whether the gap lies within the "at risk" margin
        (AT_RISK_GAP of the target). So 86,5% "not met" beside 86,4% "at risk" reads at once.
        `in_year`: the words name the year (a table over the term judges on its last year)."""
        words = self._basis(result, over_term=self.term)
        return f"{result.year}: {words}" if in_year and words else words

    def _basis(self, result: Result, over_term: bool = False) -> str:
        target = result.target
        parts = []
        if result.expected:
            values = {"reported": integer(result.reported), "expected": integer(result.expected)}
            parts.append((_("%(reported)s/%(expected)s units uploaded a plan") if result.counts_plans
                          else _("%(reported)s/%(expected)s units reported")) % values)
        if result.value is None or reading.is_contribution(result):
            return "; ".join(parts)
        compared = result.value
        if reading.shows_projection(result, self.program):
            compared = result.projected
            parts.append(_("projected to %(end)s: %(projected)s") % {
                "end": self.program.term_end, "projected": figure(compared, target.unit)})
        gap = compared - target.value
        if rules.satisfies(compared, target.comparison, target.value):
            parts.append(_("above the target by %(gap)s") % {"gap": self.gap_words(target, gap)} if gap > 0
                         else _("on the target"))
        else:
            margin = abs(target.value) * rules.AT_RISK_GAP
            words = {"gap": self.gap_words(target, gap), "margin": self.gap_words(target, margin)}
            if target.comparison == Target.Comparison.EQUAL:
                parts.append(_("%(gap)s off the target") % words)
            elif result.status == rules.AT_RISK and not over_term:
                parts.append(_("short of the target by %(gap)s, within the at-risk margin of %(margin)s") % words)
            elif over_term or (target.period != Target.Horizon.YEARLY
                               and not reading.shows_projection(result, self.program)):
                # A deadline, a term target in its last year, or any target in the 5-year review
                # (a yearly one is met there if met every year): met or not, no margin.
                parts.append(_("short of the target by %(gap)s") % words)
            else:
                parts.append(_("short of the target by %(gap)s, more than the at-risk margin of %(margin)s")
                             % words)
        return "; ".join(parts)

    def year_sentence(self, target: Target) -> str:
        result = self.series[target.code][self.year]
        values = {"label": self.target_label(target), "value": figure(result.value, target.unit),
                  "goal": self.goal(target), "status": self.status_label(result.status)}
        if result.value is None:
            text = _("%(label)s: no figures yet, target %(goal)s") % values
        elif reading.is_contribution(result):
            # A province-wide target seen from a subtree: its part, never a verdict.
            text = _("%(label)s: %(value)s, %(share)s of the province's result (a province-wide target "
                     "%(goal)s, judged for the whole province only)") % {
                **values, "share": figure_percent(result.share) if result.share is not None else "—"}
        else:
            text = _("%(label)s: reached %(value)s, target %(goal)s (%(status)s)") % values
        extras = []
        if result.value is not None and target.unit == Target.Measure.COUNT and target.value and \
                not reading.is_contribution(result):
            extras.append(_("%(share)s of the target") % {
                "share": figure_percent(exact_share(result.value, target.value))})
        if target.period == Target.Horizon.DEADLINE and target.deadline:
            extras.append(_("judged on the figures of %(year)s, due %(due)s") % {
                "year": target.deadline.year, "due": short_date(target.deadline)})
        if reading.shows_projection(result, self.program):
            extras.append(_("trend to %(end)s: %(projected)s") % {
                "end": self.program.term_end, "projected": figure(result.projected, target.unit)})
        coverage = self.coverage_words(result)
        if coverage:
            extras.append(coverage)
        return "; ".join([text, *extras]) + "."

    def term_sentence(self, target: Target) -> str:
        if target.period == Target.Horizon.DEADLINE:
            return self.year_sentence(target)
        by_year = self.series[target.code]
        shown = [f"{y}: {figure(by_year[y].value, target.unit)}" if by_year[y].value is not None
                 else f"{y}: {self.status_label(rules.NO_DATA)}" for y in self.years]
        _status, words = self.verdict(target)
        text = _("%(label)s: %(values)s; target %(goal)s (%(verdict)s)") % {
            "label": self.target_label(target), "values": ", ".join(shown), "goal": self.goal(target),
            "verdict": words}
        last = by_year[self.year]
        coverage = self.coverage_words(last)
        if coverage:
            text += "; " + _("in %(year)s: %(coverage)s") % {"year": self.year, "coverage": coverage}
        return text + "."

    def year_columns(self) -> list[Column]:
        return [Column(str(y), True) for y in self.years]

    def term_section_table(self, section: Section, targets: list[Target]) -> Table:
        columns = [Column(_("Target"), width=2.3), *self.year_columns(), Column(_("Target value"), True, 1.0),
                   Column(_("Assessment"), width=1.3), Column(_("Basis of the assessment"), width=1.9)]
        table = self.table(_("Targets of section %(number)s, %(first)s - %(last)s") % {
            "number": self.shown_number(section), "first": self.years[0], "last": self.years[-1]},
            columns, section.number, small=True, fit=8)
        for target in targets:
            table.rows.append([Cell(self.target_label(target)), *self.year_cells(target),
                               self.goal_cell(target), Cell(self.verdict(target)[1]),
                               Cell(self.basis_words(self.series[target.code][self.year], in_year=True))])
        return table

    def year_cells(self, target: Target) -> list[Cell]:
        """A target's value in each year of the term; a deadline target's in its deadline's
        year only (the engine judges it on that year whatever year is looked at)."""
        by_year = self.series[target.code]
        anchor = self.engine.anchor_year(target, self.year)
        return [self.value_cell(by_year[y]) if target.period != Target.Horizon.DEADLINE or y == anchor else Cell("")
                for y in self.years]

    # --- III, IV. narratives ----------------------------------------------------------------

    @staticmethod
    def narrative_blocks(text: str) -> list:
        paragraphs = Narrative.paragraphs(text)
        if not paragraphs:
            return [Paragraph("…" * 60, placeholder=True)]
        return [Paragraph(p) for p in paragraphs]

    def shortcomings_part(self) -> list:
        blocks: list = [self.numbered(2, _("SHORTCOMINGS, LIMITATIONS AND THEIR CAUSES")),
                        Heading("1. " + _("Shortcomings and limitations"), 2)]
        blocks += self.narrative_blocks(self.narrative.shortcomings)
        behind, no_data = [], []
        for target in self.targets:
            status, _words = self.verdict(target)
            result = self.series[target.code][self.year]
            if status in (rules.AT_RISK, rules.NOT_MET):
                behind.append(_("%(label)s (%(value)s, target %(goal)s)") % {
                    "label": self.target_label(target), "value": figure(result.value, target.unit),
                    "goal": self.goal(target)})
            elif status == rules.NO_DATA:
                no_data.append(self.target_label(target))
        if behind:
            blocks.append(Paragraph(_("Targets not met or at risk: %(targets)s.") % {"targets": "; ".join(behind)}))
        if no_data:
            blocks.append(Paragraph(_("Targets without figures to assess them: %(targets)s.") % {
                "targets": "; ".join(no_data)}))
        blocks.append(Heading("2. " + _("Causes"), 2))
        blocks += self.narrative_blocks(self.narrative.causes)
        return blocks

    def directions_part(self) -> list:
        if self.term:
            title = _("DIRECTIONS AND TASKS AHEAD")
        else:
            title = _("DIRECTIONS AND TASKS FOR %(year)s") % {"year": self.year + 1}
        return [self.numbered(3, title), *self.narrative_blocks(self.narrative.directions)]

    def closing(self) -> str:
        if self.term:
            return _("Above is the review of %(years)s years of implementing the %(program)s by %(reporter)s./.") % {
                "years": self.program.term_end - self.program.term_start, "program": self.program_name(),
                "reporter": self.reporter()}
        return _("Above is the report on the results of implementing the %(program)s in %(year)s by "
                 "%(reporter)s./.") % {"program": self.program_name(), "year": self.year, "reporter": self.reporter()}

    # --- appendix: tables ----------------------------------------------------------------------

    def appendix(self) -> list:
        blocks: list = [self.summary_table()]
        blocks += self.completeness_tables()
        for section, targets in self.sections_with_targets():
            if targets:
                blocks.append(self.breakdown_table(section, targets))
        return blocks

    def summary_table(self) -> Table:
        if self.term:
            # The body already prints these figures section by section: the spreadsheet only.
            columns = [Column(_("Code"), width=0.6), Column(_("Target"), width=3.2), *self.year_columns(),
                       Column(_("Target value"), True, 1.1), Column(_("Assessment"), width=1.6),
                       Column(_("Basis of the assessment"), width=2.6)]
            title = _("Results of the targets, %(first)s - %(last)s") % {"first": self.years[0],
                                                                        "last": self.years[-1]}
            table = self.table(title, columns, "summary", small=True, printed=False, fit=8)
        else:
            columns = [Column(_("Code"), width=0.6), Column(_("Target"), width=2.6), Column(_("Result"), True, 1.0),
                       Column(_("Target value"), True, 1.0), Column(_("Assessment"), width=1.1),
                       Column(_("Basis of the assessment"), width=2.6),
                       Column(_("Units reported"), True, 0.8), Column(_("Units due"), True, 0.8)]
            title = _("Results of the targets in %(year)s") % {"year": self.year}
            table = self.table(title, columns, "summary", small=True, fit=7)
        for target in self.targets:
            by_year = self.series[target.code]
            if self.term:
                cells = self.year_cells(target)
                table.rows.append([Cell(target.code), Cell(self.target_label(target)), *cells, self.goal_cell(target),
                                   Cell(self.verdict(target)[1]),
                                   Cell(self.basis_words(by_year[self.year], in_year=True))])
            else:
                result = by_year[self.year]
                table.rows.append([Cell(target.code), Cell(self.target_label(target)), self.value_cell(result),
                                   self.goal_cell(target), Cell(self.status_label(result.status)),
                                   Cell(self.basis_words(result)),
                                   self.count_cell(result.reported), self.count_cell(result.expected)])
        return table

    def completeness_tables(self) -> list:
        period = self.periods.get(self.year)
        if period is None:
            return []
        report = completeness(period, self.unit, self.view)
        table = self.table(_("Reports sent by the units below, %(year)s") % {"year": self.year},
                           self.completeness_columns(_("Unit")), "reporting", small=True)
        direct = Completeness()  # the grassroots unions directly below, on one line: counts add up
        for child, counts in sorted(report.by_child, key=lambda pair: unit_order(pair[0])):
            if child.kind == UnitKind.GRASSROOTS:
                for name in ("expected", "submitted", "on_time", "approved"):
                    setattr(direct, name, getattr(direct, name) + getattr(counts, name))
            else:
                table.rows.append([Cell(self.unit_label(child)), *self.completeness_cells(counts)])
        if direct.expected:
            table.rows.append([Cell(_("Grassroots unions directly under %(unit)s") % {
                "unit": self.unit_label(self.unit)}), *self.completeness_cells(direct)])
        table.total = [Cell(_("Total")), *self.completeness_cells(report.total)]
        missing = list(missing_units(period, self.unit, self.view))
        parents = {u.path: u for u in Unit.objects.filter(path__in={m.parent_path for m in missing})}
        listed = self.table(_("Units that have not reported, %(year)s") % {"year": self.year},
                            [Column(_("No."), True, 0.6), Column(_("Unit"), width=3.0),
                             Column(_("Belongs to"), width=1.8), Column(_("Contact person"), width=1.8),
                             Column(_("Phone"), width=1.2)], "missing", small=True)
        for n, unit in enumerate(missing, start=1):
            parent = parents.get(unit.parent_path)
            listed.rows.append([self.count_cell(n), Cell(self.unit_name(unit)),
                                Cell(self.unit_label(parent) if parent else ""),
                                Cell(unit.contact_name), Cell(unit.phone)])
        if not missing:
            listed.note = _("Every unit due to report has sent its report.")
        elif len(missing) > MISSING_PRINTED:
            # Thousands of lines at a province's size: printed, a count per unit they belong to.
            listed.sheet_rows = listed.rows
            by_parent: dict[str, int] = {}
            for unit in missing:
                parent = parents.get(unit.parent_path)
                label = self.unit_label(parent) if parent else ""
                by_parent[label] = by_parent.get(label, 0) + 1
            listed.rows = [[self.count_cell(n), Cell(_("%(count)s units") % {"count": integer(count)}), Cell(label),
                            Cell(""), Cell("")] for n, (label, count) in enumerate(sorted(by_parent.items()), 1)]
            listed.note = _("%(count)s units have not reported; each of them, with its contact person and phone, is "
                            "in the spreadsheet (.xlsx) of this report, sheet \"%(sheet)s\".") % {
                "count": integer(len(missing)), "sheet": _("Not reported")}
        return [table, listed]

    def breakdown(self, target: Target) -> dict[Unit, Result]:
        """The target for each child unit in the year looked at (the engine's breakdown, of
        every target at once: one plan, the same few queries as for one target)."""
        if self._breakdowns is None:
            self._breakdowns = {code: dict(rows) for code, rows in
                                self.engine.breakdowns(self.unit, self.year, self.targets).items()}
        return self._breakdowns[target.code]

    def breakdown_table(self, section: Section, targets: list[Target]) -> Table:
        """A section's targets (columns) for each unit directly below (rows), in the year looked
        at, the whole subtree last; units none of the targets concerns are left out."""
        by_target = {target.code: self.breakdown(target) for target in targets}
        children = sorted({child for rows in by_target.values() for child, result in rows.items()
                           if result.expected}, key=unit_order)
        columns = [Column(_("Unit"), width=4.0)] + [
            Column(target.code, True, 1.0, legend=_("%(code)s: %(label)s, target %(goal)s") % {
                "code": target.code, "label": self.target_label(target), "goal": self.goal(target)})
            for target in targets]
        table = self.table(_("Section %(number)s: results by unit, %(year)s") % {
            "number": self.shown_number(section), "year": self.year}, columns, section.number, small=True,
            continued=_("continued"))
        def row(child: Unit) -> list[Cell]:
            cells = []
            for target in targets:
                result = by_target[target.code].get(child)
                cells.append(self.value_cell(result) if result is not None and result.expected else Cell(""))
            return [Cell(self.unit_label(child)), *cells]

        table.rows = [row(child) for child in children]
        table.total = [Cell(_("Total")), *[self.value_cell(self.series[t.code][self.year]) for t in targets]]
        direct = [child for child in children if child.kind == UnitKind.GRASSROOTS]
        if len(direct) > GRASSROOTS_PRINTED:
            # Printed, a line per grassroots union is hundreds of pages at a province's size:
            # they are one line added up in print, every one of them in the spreadsheet.
            table.sheet_rows = table.rows
            table.rows = [row(child) for child in children if child.kind != UnitKind.GRASSROOTS]
            table.rows.append([Cell(_("Grassroots unions directly under %(unit)s (%(count)s units)") % {
                "unit": self.unit_label(self.unit), "count": integer(len(direct))}),
                *[self.value_cell(self.added_up(target, [by_target[target.code][c] for c in direct]))
                  for target in targets]])
            table.note = _("Each grassroots union's figures are in the spreadsheet (.xlsx) of this report, "
                           "sheet \"%(sheet)s\".") % {"sheet": self.sheet_name(section)}
        return table

    def added_up(self, target: Target, results: list[Result]) -> Result:
        """Several units' figures of a target as one (their numerators and denominators added
        up, as the engine adds up a subtree); the value alone, for a summary line."""
        counted = [r for r in results if r.value is not None]
        numerator = sum((r.numerator for r in counted if r.numerator is not None), Decimal(0))
        denominator = sum((r.denominator for r in counted if r.denominator is not None), Decimal(0))
        value = None
        if counted and target.unit == Target.Measure.COUNT:
            value = numerator
        elif counted and denominator:
            value = numerator / denominator * (HUNDRED if target.unit == Target.Measure.PERCENT else 1)
        return Result(target, self.year, value, numerator, denominator,
                      sum(r.reported for r in results), sum(r.expected for r in results))

    @staticmethod
    def sheet_name(section: Section) -> str:
        return (_("Section %(number)s") % {"number": section.number})[:31]

    def sheets(self) -> list[Sheet]:
        sheets = [Sheet("summary", _("Summary"), _("Results of the targets")),
                  Sheet("reporting", _("Reporting status"), _("Reports sent by the units")),
                  Sheet("missing", _("Not reported"), _("Units that have not reported"))]
        for section, targets in self.sections_with_targets():
            if targets:
                sheets.append(Sheet(section.number, self.sheet_name(section),
                                    f"{self.shown_number(section)}. {section.title}"))
        return sheets
