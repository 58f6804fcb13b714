"""The JSON API, version 1. Views only translate: who may see or do what is asked of
accounts.permissions, figures come from indicators.engine, completeness from
reporting.completeness, every step of a report from reporting.actions — as on the pages."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Substr
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import parsers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

import programs
from accounts.permissions import (
    can_approve_report,
    can_browse_audit_trail,
    can_edit_unit_data,
    can_return_report,
    can_view_unit,
    get_visible_unit_or_404,
    home_unit,
    visible_units,
)
from api import serializers as s
from api.audit import writes_by
from api.choice import REPORT_RELATED, kind_of, period_label, period_of, periods_of, program_of, report_programs
from api.entry import as_json, checked_values
from api.exchange import (
    ExchangeError,
    adx_lines,
    csv_lines,
    exported_values,
    import_rows,
    read_adx,
    read_csv,
)
from api.models import ApiToken
from audit.models import AuditEntry
from indicators import reading
from indicators.engine import Engine
from plans.files import plan_file_response
from plans.models import ImplementationPlan
from programs.definition import ProgramFileError, read_definition
from programs.models import Program
from reporting import actions
from reporting.completeness import completeness
from reporting.elements import elements_for
from reporting.models import Report
from units import placement
from units.models import Reorganisation, Unit, UnitLink

PROBLEMS = {400: s.ProblemSerializer, 401: s.ProblemSerializer, 403: s.ProblemSerializer,
            404: s.ProblemSerializer, 429: s.ProblemSerializer}
WRITE_PROBLEMS = {**PROBLEMS, 409: s.ProblemSerializer}


def _p(name: str, vi: str, en: str, type_=str, required=False, enum=None, **kwargs) -> OpenApiParameter:
    return OpenApiParameter(name, type_, required=required, enum=enum, description=f"{vi} / {en}", **kwargs)


PROGRAM = _p("program", "Mã chương trình (mặc định: chương trình đang thực hiện)",
             "The program's code (default: the current program)")
YEAR = _p("year", "Năm", "Year", int, required=True)
HALF = _p("half", "Nửa năm: 1, 2; 0 (mặc định) là cả năm", "Half: 1 or 2; 0 (the default) for the whole year", int,
          enum=[0, 1, 2])
UNIT = _p("unit", "Mã đơn vị (mặc định: đơn vị của bạn)", "The unit's code (default: your own unit)")
VIEW = _p("view", "Cách nhìn cây đơn vị: then (như lúc đó, mặc định), now (như hiện nay)",
          "View of a changing hierarchy: then (as it was, the default), now (as it is now)", enum=list(placement.VIEWS))


def _int(request, name: str, default=None, low=None, high=None) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        if default is None:
            raise ValidationError({name: "Bắt buộc. / Required."})
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: "Phải là số nguyên. / Must be an integer."}) from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValidationError({name: f"Ngoài khoảng {low}–{high}. / Out of range {low}–{high}."})
    return value


def _view(request) -> str:
    view = request.query_params.get("view") or placement.THEN
    if view not in placement.VIEWS:
        raise ValidationError({"view": "then hoặc now. / then or now."})
    return view


def _unit(request) -> Unit:
    code = request.query_params.get("unit")
    if code:
        return get_visible_unit_or_404(request.user, code)
    unit = home_unit(request.user)
    if unit is None:
        raise Http404
    return unit


def _token(request):
    return request.auth if isinstance(request.auth, ApiToken) else None


def with_etag(request, data, status_code: int = 200) -> Response:
    """The answer with an ETag of its content; a GET whose If-None-Match names it gets 304."""
    body = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    tag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    asked = [t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")]
    if tag in asked or "*" in asked:
        response = Response(status=status.HTTP_304_NOT_MODIFIED)
    else:
        response = Response(data, status=status_code)
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    return response


class PathCursor(CursorPagination):
    """Keyset pagination: each page is `WHERE path > last ORDER BY path LIMIT n`, whatever the table's size."""

    ordering = "path"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    page_size_query_description = "Số dòng mỗi trang (tối đa 500). / Rows per page (at most 500)."
    cursor_query_description = "Vị trí trang, lấy từ next/previous. / The page's position, from next/previous."

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        words = {"next": "Địa chỉ trang sau (trống: hết) / The next page's address (empty: the last page)",
                 "previous": "Địa chỉ trang trước / The previous page's address",
                 "results": "Các dòng của trang / The page's rows"}
        for name, text in words.items():
            described["properties"][name]["description"] = text
        return described

    def get_page_size(self, request):
        if self.page_size_query_param in request.query_params:
            return _int(request, self.page_size_query_param, low=1, high=self.max_page_size)
        return self.page_size


class IdCursor(PathCursor):
    ordering = "-id"


# --- units ---------------------------------------------------------------------------------------
def _parent_code():
    """The parent's code of each row, in the same query (treebeard: the path without its last step)."""
    parent_path = Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Unit.steplen)
    return Subquery(Unit.objects.filter(path=parent_path).values("code")[:1])


def _then_parent_code(day: datetime.date):
    links = UnitLink.objects.on(day).filter(unit=OuterRef("pk"))
    return Subquery(links.values("parent__code")[:1])


UNIT_FILTERS = [
    _p("parent", "Chỉ các đơn vị trực thuộc đơn vị này (mã)", "Only the units directly below this one (code)"),
    _p("kind", "Loại đơn vị", "Kind of unit"),
    _p("q", "Tìm theo tên hoặc mã (không cần dấu)", "Search by name or code (diacritics ignored)"),
    _p("on", "Cây đơn vị của ngày này (YYYY-MM-DD); mặc định: hôm nay, kể cả đơn vị đã đóng",
       "The tree of this day (YYYY-MM-DD); default: today's, closed units included", OpenApiTypes.DATE),
]


def _hide_unseen_parents(user, rows: list[dict]) -> list[dict]:
    """A unit's parent is named only to whoever may see it (a user's own unit has its parent
    outside the user's subtree): one query for the page."""
    codes = {row["parent"] for row in rows if row["parent"]}
    seen = set(visible_units(user).filter(code__in=codes).values_list("code", flat=True)) if codes else set()
    for row in rows:
        if row["parent"] not in seen:
            row["parent"] = None
    return rows


class UnitList(GenericAPIView):
    serializer_class = s.UnitSerializer
    pagination_class = PathCursor

    @extend_schema(operation_id="units_list", parameters=UNIT_FILTERS, responses={200: s.UnitSerializer(many=True),
                                                                                  **PROBLEMS},
                   summary="Đơn vị / Units", description="Các đơn vị bạn được xem, theo trang. / The units you may "
                   "see, page by page.")
    def get(self, request):
        units = visible_units(request.user)
        day = request.query_params.get("on")
        if day:
            try:
                day = datetime.date.fromisoformat(day)
            except ValueError:
                raise ValidationError({"on": "YYYY-MM-DD."}) from None
            units = units.tree_on(day).annotate(parent_code=_then_parent_code(day))
        else:
            units = units.annotate(parent_code=_parent_code())
        if parent := request.query_params.get("parent"):
            upper = get_visible_unit_or_404(request.user, parent)
            units = units.filter(then_parent_id=upper.pk) if day else units.filter(
                path__under=upper.path, depth=upper.depth + 1)
        if kind := request.query_params.get("kind"):
            units = units.filter(kind=kind)
        if query := request.query_params.get("q"):
            units = units.search(query)
        page = self.paginate_queryset(units)
        rows = _hide_unseen_parents(request.user, self.get_serializer(page, many=True).data)
        response = self.get_paginated_response(rows)
        return with_etag(request, response.data)


class UnitDetail(APIView):
    @extend_schema(operation_id="units_retrieve", responses={200: s.UnitSerializer, **PROBLEMS},
                   summary="Một đơn vị / One unit")
    def get(self, request, code: str):
        unit = get_visible_unit_or_404(request.user, code)
        unit = Unit.objects.annotate(parent_code=_parent_code()).get(pk=unit.pk)
        return with_etag(request, _hide_unseen_parents(request.user, [s.UnitSerializer(unit).data])[0])


class ReorganisationList(GenericAPIView):
    serializer_class = s.ReorganisationSerializer
    pagination_class = IdCursor

    @extend_schema(operation_id="reorganisations_list", responses={200: s.ReorganisationSerializer(many=True),
                                                                   **PROBLEMS},
                   summary="Các đợt sắp xếp đơn vị / Reorganisations",
                   description="Cho người xem được cả tỉnh. / For those who see the whole province.")
    def get(self, request):
        province = Unit.objects.filter(depth=1).first()
        if province is None or not can_view_unit(request.user, province):
            raise PermissionDenied("Chỉ người xem được cả tỉnh. / Only for those who see the whole province.")
        page = self.paginate_queryset(Reorganisation.objects.prefetch_related("changes"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- programs and periods ----------------------------------------------------------------------------
def _program_data(program) -> dict:
    return {"code": program.code, "title": program.title, "term_start": program.term_start,
            "term_end": program.term_end, "reporting_years": list(program.reporting_years)}


class ProgramList(APIView):
    @extend_schema(operation_id="programs_list", responses={200: s.ProgramSerializer(many=True), **PROBLEMS},
                   summary="Chương trình / Programs")
    def get(self, request):
        return Response([_program_data(p) for p in Program.objects.all()])


class ProgramDetail(APIView):
    @extend_schema(operation_id="programs_retrieve", responses={200: s.ProgramFileSerializer, **PROBLEMS},
                   summary="Tệp chương trình / The program file")
    def get(self, request, code: str):
        program = get_object_or_404(Program, code=code)
        path = Path(programs.__file__).resolve().parent / "data" / program.source_file
        if not program.source_file or not path.is_file():
            raise Http404("Không có tệp của chương trình. / The program's file is not here.")
        try:
            definition = read_definition(path)
        except ProgramFileError as error:
            raise Http404(str(error)) from error
        return Response({**_program_data(program), "definition": definition.model_dump(mode="json")})


def _period_data(period) -> dict:
    return {"year": period.year, "half": period.half, "kind": period.kind, "iso": period_label(period),
            "starts_on": period.starts_on, "ends_on": period.ends_on, "due_on": period.due_on,
            "status": period.status}


class PeriodList(APIView):
    @extend_schema(operation_id="periods_list", parameters=[PROGRAM, _p("year", "Năm", "Year", int)],
                   responses={200: s.PeriodSerializer(many=True), **PROBLEMS}, summary="Kỳ báo cáo / Periods")
    def get(self, request):
        periods = periods_of(program_of(request)).order_by("year", "half")
        if request.query_params.get("year"):
            periods = periods.filter(year=_int(request, "year", low=0, high=9999))
        return Response([_period_data(p) for p in periods])


# --- results: the dashboard's numbers ----------------------------------------------------------------------
class Results(APIView):
    @extend_schema(operation_id="results_list", parameters=[
        PROGRAM, UNIT, _p("year", "Năm (mặc định: năm báo cáo gần nhất)", "Year (default: the latest reporting year)",
                          int), VIEW,
        _p("submitted", "1: tính cả báo cáo đã gửi chưa duyệt", "1: count submitted reports too", int, enum=[0, 1])],
        responses={200: s.ResultsSerializer, **PROBLEMS}, summary="Kết quả các chỉ tiêu / Results of the targets",
        description="Đúng các số của bảng điều khiển. / The very numbers of the dashboard.")
    def get(self, request):
        program = program_of(request)
        unit = _unit(request)
        years = list(program.reporting_years)
        this_year = timezone.localdate().year
        default_year = max([y for y in years if y <= this_year] or years)
        year = _int(request, "year", default_year)
        if year not in years:
            raise ValidationError({"year": f"Năm báo cáo: {years}. / Reporting years: {years}."})
        submitted = _int(request, "submitted", 0, 0, 1) == 1
        view = _view(request)
        engine = Engine(program, submitted, view)
        series = engine.series(unit)
        results = []
        for target in engine.targets:
            result = series[target.code][year]
            results.append({**result.as_dict(), "section": target.section.number,
                            "label": target.short_label or target.text, "applies": reading.applies(result)})
        return with_etag(request, {"program": program.code, "unit": unit.code, "year": year, "view": view,
                                   "submitted": submitted, "results": results})


# --- reports ------------------------------------------------------------------------------------------------------
def _report_data(report: Report) -> dict:
    return {"id": report.pk, "programs": report_programs(report), "unit": report.unit.code,
            "year": report.period.year, "half": report.period.half, "status": report.status,
            "version": report.version, "submitted_at": report.submitted_at, "updated_at": report.updated_at,
            "values": {code: as_json(v) for code, v in actions.values_of(report).items()},
            "comments": actions.comments_of(report)}


def _visible_report(request, pk: int) -> Report:
    report = get_object_or_404(Report.objects.select_related(*REPORT_RELATED), pk=pk)
    if not can_view_unit(request.user, report.unit):
        raise Http404
    return report


def _refusal(message: str, code: int, errors=None) -> Response:
    data = {"detail": message}
    if errors:
        data["errors"] = errors
    return Response(data, status=code)


def _save(request, report: Report, values: dict, comments: dict, version: int) -> Response | None:
    """Values through the form's rules and reporting.actions; a refusal, or None when saved."""
    cleaned, cleaned_comments, problems = checked_values(elements_for(report.period, report.unit),
                                                         values, comments)
    if problems:
        return _refusal("Một số giá trị không hợp lệ; không có gì được lưu. / Some values are not valid; nothing "
                        "was saved.", 400, problems)
    try:
        with writes_by(_token(request)):
            actions.do_save_values(report, cleaned, cleaned_comments, request.user, version)
    except actions.StaleReport as error:
        return _refusal(actions.stale_message(error.report, "đọc lại báo cáo rồi gửi lại. / read the report again."),
                        409)
    except actions.InvalidTransition as error:
        return _refusal(f"Báo cáo không sửa được lúc này. / The report cannot be changed now ({error}).", 409)
    return None


class ReportList(GenericAPIView):
    pagination_class = IdCursor
    serializer_class = s.ReportSerializer

    @extend_schema(operation_id="reports_list", parameters=[
        PROGRAM, _p("unit", "Báo cáo của cây đơn vị này (mã)", "Reports of this unit's subtree (code)"),
        _p("year", "Năm", "Year", int), HALF,
        _p("status", "Trạng thái", "Status", enum=[c for c, _ in Report.Status.choices])],
        responses={200: s.ReportSerializer(many=True), **PROBLEMS}, summary="Báo cáo / Reports")
    def get(self, request):
        program = program_of(request)
        reports = Report.objects.filter(period__in=periods_of(program), unit__in=visible_units(request.user))
        if code := request.query_params.get("unit"):
            reports = reports.filter(**Unit.objects.subtree_lookup(get_visible_unit_or_404(request.user, code),
                                                                  "unit__path"))
        if request.query_params.get("year"):
            half = _int(request, "half", 0, 0, 2)
            reports = reports.filter(period__year=_int(request, "year", low=0, high=9999), period__half=half,
                                     period__kind=kind_of(half))
        if state := request.query_params.get("status"):
            reports = reports.filter(status=state)
        page = self.paginate_queryset(reports.select_related(*REPORT_RELATED))
        return self.get_paginated_response([_report_data(r) for r in page])

    @extend_schema(operation_id="reports_create", request=s.ReportCreateSerializer,
                   responses={201: s.ReportSerializer, **WRITE_PROBLEMS},
                   summary="Lập báo cáo nháp / Create a draft report",
                   description="Cùng quy tắc với trang nhập liệu. / The same rules as the entry page.")
    def post(self, request):
        given = s.ReportCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        program = program_of(request, data.get("program") or "")
        unit = get_visible_unit_or_404(request.user, data["unit"])
        if not can_edit_unit_data(request.user, unit):
            raise PermissionDenied("Bạn không được nhập số liệu của đơn vị này. / Not yours to enter.")
        period = period_of(program, data["year"], data["half"])
        if not elements_for(period, unit):
            raise Http404("Đơn vị này không có gì để báo cáo. / The unit reports nothing.")
        existing = Report.objects.filter(period=period, unit=unit).first()
        if existing is not None and existing.version > 0:
            return _refusal(f"Báo cáo đã có (số {existing.pk}): sửa bằng PATCH. / The report exists (id {existing.pk}):"
                            " change it with PATCH.", 409)
        if existing is None and not period.is_open:
            return _refusal("Kỳ báo cáo đã đóng. / The period is closed.", 409)
        report = existing or Report(period=period, unit=unit)
        cleaned, comments, problems = checked_values(elements_for(period, unit), data.get("values") or {},
                                                     data.get("comments") or {})
        if problems:
            return _refusal("Một số giá trị không hợp lệ; không có gì được lưu. / Some values are not valid.", 400,
                            problems)
        report = actions.get_or_create_report(period, unit)
        refused = _save(request, report, data.get("values") or {}, data.get("comments") or {}, report.version)
        if refused:
            return refused
        report.refresh_from_db()
        return Response(_report_data(report), status=201)


class ReportDetail(APIView):
    @extend_schema(operation_id="reports_retrieve", responses={200: s.ReportSerializer, **PROBLEMS},
                   summary="Một báo cáo / One report")
    def get(self, request, pk: int):
        return Response(_report_data(_visible_report(request, pk)))

    @extend_schema(operation_id="reports_partial_update", request=s.ReportUpdateSerializer,
                   responses={200: s.ReportSerializer, **WRITE_PROBLEMS},
                   summary="Sửa báo cáo nháp / Change a draft",
                   description="Gửi kèm version đã đọc; 409 nếu người khác đã sửa. / Send the version read; 409 "
                               "when someone changed it since.")
    def patch(self, request, pk: int):
        report = _visible_report(request, pk)
        if not can_edit_unit_data(request.user, report.unit):
            raise PermissionDenied("Bạn không được nhập số liệu của đơn vị này. / Not yours to enter.")
        given = s.ReportUpdateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        refused = _save(request, report, data.get("values") or {}, data.get("comments") or {}, data["version"])
        if refused:
            return refused
        report.refresh_from_db()
        return Response(_report_data(report))


class ReportStep(APIView):
    """submit, approve, return: one step of the workflow, through reporting.actions."""

    step = ""

    def allowed(self, user, report) -> bool:
        raise NotImplementedError

    def act(self, report, user, data):
        raise NotImplementedError

    def post(self, request, pk: int):
        report = _visible_report(request, pk)
        if not self.allowed(request.user, report):
            raise PermissionDenied("Bạn không được làm bước này. / Not yours to do.")
        given = self.serializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            with writes_by(_token(request)):
                self.act(report, request.user, given.validated_data)
        except actions.StaleReport as error:
            return _refusal(actions.stale_message(error.report, "đọc lại báo cáo. / read the report again."), 409)
        except actions.SubmissionBlocked as error:
            return _refusal("Chưa gửi được: còn lỗi hoặc cảnh báo chưa giải trình. / Not submitted: errors, or "
                            "warnings not explained.", 409,
                            [{"field": f.element, "message": str(f.message)} for f in error.findings])
        except actions.InvalidTransition as error:
            return _refusal(f"Không làm được lúc này. / Not possible now ({error}).", 409)
        report.refresh_from_db()
        return Response(_report_data(report))


class SubmitReport(ReportStep):
    serializer = s.VersionSerializer

    def allowed(self, user, report):
        return can_edit_unit_data(user, report.unit)

    def act(self, report, user, data):
        actions.do_submit(report, user, data["version"])

    @extend_schema(operation_id="reports_submit", request=s.VersionSerializer,
                   responses={200: s.ReportSerializer, **WRITE_PROBLEMS}, summary="Gửi báo cáo / Submit")
    def post(self, request, pk: int):
        return super().post(request, pk)


class ApproveReport(ReportStep):
    serializer = s.DecisionSerializer

    def allowed(self, user, report):
        return can_approve_report(user, report)

    def act(self, report, user, data):
        actions.do_approve(report, user, data["version"], data.get("comment", ""))

    @extend_schema(operation_id="reports_approve", request=s.DecisionSerializer,
                   responses={200: s.ReportSerializer, **WRITE_PROBLEMS}, summary="Duyệt báo cáo / Approve")
    def post(self, request, pk: int):
        return super().post(request, pk)


class ReturnReport(ReportStep):
    serializer = s.DecisionSerializer

    def allowed(self, user, report):
        return can_return_report(user, report)

    def act(self, report, user, data):
        actions.do_return(report, user, data["version"], data.get("comment", ""))

    @extend_schema(operation_id="reports_return", request=s.DecisionSerializer,
                   responses={200: s.ReportSerializer, **WRITE_PROBLEMS}, summary="Trả lại báo cáo / Return")
    def post(self, request, pk: int):
        return super().post(request, pk)


# --- completeness, plans, audit -------------------------------------------------------------------------------
def _counts(unit, counts) -> dict:
    return {"unit": unit.code if unit else None, "expected": counts.expected, "submitted": counts.submitted,
            "on_time": counts.on_time, "late": counts.late, "approved": counts.approved, "missing": counts.missing,
            "percent": counts.percent}


class CompletenessView(APIView):
    @extend_schema(operation_id="completeness_retrieve", parameters=[PROGRAM, UNIT, YEAR, HALF, VIEW],
                   responses={200: s.CompletenessSerializer, **PROBLEMS},
                   summary="Tình hình nộp báo cáo / Completeness")
    def get(self, request):
        program = program_of(request)
        unit = _unit(request)
        half = _int(request, "half", 0, 0, 2)
        period = period_of(program, _int(request, "year", low=0, high=9999), half)
        found = completeness(period, unit, _view(request))
        return Response({"unit": unit.code, "year": period.year, "half": period.half,
                         "total": _counts(None, found.total),
                         "children": [_counts(child, counts) for child, counts in found.by_child]})


class PlanList(GenericAPIView):
    pagination_class = IdCursor
    serializer_class = s.PlanSerializer

    @extend_schema(operation_id="plans_list", parameters=[PROGRAM, _p("unit", "Kế hoạch của cây đơn vị này (mã)",
                                                                      "Plans of this unit's subtree (code)")],
                   responses={200: s.PlanSerializer(many=True), **PROBLEMS}, summary="Kế hoạch / Plans")
    def get(self, request):
        plans = ImplementationPlan.objects.filter(program=program_of(request), unit__in=visible_units(request.user))
        if code := request.query_params.get("unit"):
            plans = plans.filter(**Unit.objects.subtree_lookup(get_visible_unit_or_404(request.user, code),
                                                              "unit__path"))
        page = self.paginate_queryset(plans.select_related("program", "unit", "deadline"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class PlanDownload(APIView):
    @extend_schema(operation_id="plans_download",
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **PROBLEMS},
                   summary="Tải tệp kế hoạch / Download a plan's file")
    def get(self, request, pk: int):
        return plan_file_response(request.user, pk, content_type="application/octet-stream")


class AuditTrail(GenericAPIView):
    pagination_class = IdCursor
    serializer_class = s.AuditEntrySerializer

    @extend_schema(operation_id="audit_list", responses={200: s.AuditEntrySerializer(many=True), **PROBLEMS},
                   summary="Nhật ký thay đổi / Audit trail", description="Chỉ cho quản trị tỉnh. / For the province "
                   "administrator only.")
    def get(self, request):
        if not can_browse_audit_trail(request.user):
            raise PermissionDenied("Chỉ quản trị tỉnh. / For the province administrator only.")
        page = self.paginate_queryset(AuditEntry.objects.select_related("content_type"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- data exchange ------------------------------------------------------------------------------------------
class BodyParser(parsers.BaseParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read() if stream else b""


class CsvParser(BodyParser):
    media_type = "text/csv"


class AdxParser(BodyParser):
    media_type = "application/adx+xml"


class XmlParser(BodyParser):
    media_type = "application/xml"


EXPORT_PARAMETERS = [PROGRAM, UNIT, YEAR, HALF]


class Exchange(APIView):
    media_type = ""

    def lines(self, values):
        raise NotImplementedError

    def rows(self, content: bytes):
        raise NotImplementedError

    def export(self, request):
        program = program_of(request)
        unit = _unit(request)
        period = period_of(program, _int(request, "year", low=0, high=9999), _int(request, "half", 0, 0, 2))
        response = StreamingHttpResponse(self.lines(exported_values(request.user, unit, program, [period])),
                                         content_type=f"{self.media_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{unit.code}-{period.year}-{period.half}.{self.ext}"'
        return response

    def load(self, request):
        content = request.data if isinstance(request.data, bytes) else b""
        try:
            with writes_by(_token(request)):
                written, values = import_rows(self.rows(content), request.user, program_of(request))
        except ExchangeError as error:
            return _refusal("Tệp có lỗi; không có gì được ghi. / The file has problems; nothing was written.", 400,
                            error.problems)
        return Response({"reports": written, "values": values})


IMPORT_DOC = ("Tất cả hoặc không: một dòng sai thì không ghi gì, mỗi lỗi nêu dòng và trường. / All or nothing: "
              "one bad row and nothing is written; each problem names its row or line and field.")


class CsvExchange(Exchange):
    media_type, ext = "text/csv", "csv"
    parser_classes = [CsvParser]

    def lines(self, values):
        return csv_lines(values)

    def rows(self, content):
        return read_csv(content)

    @extend_schema(operation_id="values_csv_export", parameters=EXPORT_PARAMETERS,
                   responses={(200, "text/csv"): OpenApiTypes.STR, **PROBLEMS},
                   summary="Xuất số liệu CSV / Export data values as CSV",
                   description="Cột: dataSet, period, orgUnit, dataElement, value, comment. / Columns: dataSet, "
                               "period, orgUnit, dataElement, value, comment.")
    def get(self, request):
        return self.export(request)

    @extend_schema(operation_id="values_csv_import", parameters=[PROGRAM], request={"text/csv": OpenApiTypes.STR},
                   responses={200: s.ImportResultSerializer, **PROBLEMS},
                   summary="Nhập số liệu CSV / Import data values from CSV", description=IMPORT_DOC)
    def post(self, request):
        return self.load(request)


class AdxExchange(Exchange):
    media_type, ext = "application/adx+xml", "xml"
    parser_classes = [AdxParser, XmlParser]

    def lines(self, values):
        return adx_lines(values)

    def rows(self, content):
        return read_adx(content)

    @extend_schema(operation_id="values_adx_export", parameters=EXPORT_PARAMETERS,
                   responses={(200, "application/adx+xml"): OpenApiTypes.STR, **PROBLEMS},
                   summary="Xuất số liệu ADX / Export data values as ADX (IHE)")
    def get(self, request):
        return self.export(request)

    @extend_schema(operation_id="values_adx_import", parameters=[PROGRAM],
                   request={"application/adx+xml": OpenApiTypes.STR},
                   responses={200: s.ImportResultSerializer, **PROBLEMS},
                   summary="Nhập số liệu ADX / Import data values from ADX", description=IMPORT_DOC)
    def post(self, request):
        return self.load(request)


def not_found(request, exception=None):
    return HttpResponse(json.dumps({"detail": "Không có. / Not found."}), status=404,
                        content_type="application/json")
