"""What the API answers and accepts. Every field is described in Vietnamese and English
("tiếng Việt / English"), so that the schema reads in both."""

from __future__ import annotations

from rest_framework import serializers

from reporting.models import Report
from units.models import UnitKind


def _d(vi: str, en: str) -> dict:
    return {"help_text": f"{vi} / {en}"}


class UnitSerializer(serializers.Serializer):
    code = serializers.CharField(**_d("Mã đơn vị", "The unit's code"))
    name = serializers.CharField(**_d("Tên đơn vị", "The unit's name"))
    short_name = serializers.CharField(**_d("Tên ngắn", "Short name"))
    kind = serializers.ChoiceField(choices=UnitKind.choices, **_d("Loại đơn vị", "Kind of unit"))
    parent = serializers.CharField(allow_null=True, source="parent_code",
                                   **_d("Mã đơn vị cấp trên (trong cây của ngày được hỏi)",
                                        "The parent's code (in the tree of the day asked)"))
    depth = serializers.IntegerField(**_d("Cấp trong cây (1: tỉnh)", "Depth in the tree (1: the province)"))
    valid_from = serializers.DateField(**_d("Có hiệu lực từ ngày", "Valid from"))
    valid_to = serializers.DateField(allow_null=True, **_d("Có hiệu lực đến ngày (trống: còn hoạt động)",
                                                           "Valid to (empty: still open)"))
    workers = serializers.IntegerField(**_d("Số người lao động", "Workers"))
    members = serializers.IntegerField(**_d("Số đoàn viên", "Union members"))


class ReorganisationChangeSerializer(serializers.Serializer):
    position = serializers.IntegerField(**_d("Thứ tự trong đợt", "Position in the batch"))
    kind = serializers.CharField(**_d("Loại thay đổi (create, rename, move, merge, split, dissolve)",
                                      "Kind of change (create, rename, move, merge, split, dissolve)"))
    effective_on = serializers.DateField(**_d("Ngày có hiệu lực", "Effective on"))
    reason = serializers.CharField(**_d("Lý do", "Reason"))
    details = serializers.JSONField(**_d("Chi tiết như tệp đã ghi (mã đơn vị, tên mới, tỷ lệ)",
                                         "The change as its file gave it (unit codes, new names, shares)"))


class ReorganisationSerializer(serializers.Serializer):
    code = serializers.CharField(**_d("Mã đợt sắp xếp", "The reorganisation's code"))
    title = serializers.CharField(**_d("Tên đợt", "Title"))
    document_number = serializers.CharField(**_d("Số văn bản", "Document number"))
    document_date = serializers.DateField(allow_null=True, **_d("Ngày văn bản", "Document date"))
    applied_at = serializers.DateTimeField(allow_null=True, **_d("Thời điểm áp dụng", "Applied at"))
    undone_at = serializers.DateTimeField(allow_null=True, **_d("Thời điểm hủy áp dụng", "Undone at"))
    changes = ReorganisationChangeSerializer(many=True, source="changes.all",
                                             **_d("Các thay đổi của đợt", "The batch's changes"))


class ProgramSerializer(serializers.Serializer):
    code = serializers.CharField(**_d("Mã chương trình", "The program's code"))
    title = serializers.CharField(**_d("Tên chương trình", "Title"))
    term_start = serializers.IntegerField(**_d("Năm đầu nhiệm kỳ", "First year of the term"))
    term_end = serializers.IntegerField(**_d("Năm cuối nhiệm kỳ", "Last year of the term"))
    reporting_years = serializers.ListField(child=serializers.IntegerField(),
                                            **_d("Các năm báo cáo", "Reporting years"))


class ProgramFileSerializer(ProgramSerializer):
    definition = serializers.JSONField(**_d(
        "Tệp chương trình dạng JSON, đã kiểm tra theo cùng mô hình với tệp (programs/data/program.schema.json)",
        "The program file as JSON, checked by the file's own typed model (programs/data/program.schema.json)"))


class PeriodSerializer(serializers.Serializer):
    year = serializers.IntegerField(**_d("Năm", "Year"))
    half = serializers.IntegerField(**_d("Nửa năm: 1, 2; 0 là cả năm", "Half: 1 or 2; 0 for the whole year"))
    kind = serializers.CharField(**_d("Loại kỳ (year: năm, half: sáu tháng)", "Kind (year, half)"))
    iso = serializers.CharField(**_d("Kỳ theo ISO 8601 (ADX), ví dụ 2024-01-01/P1Y",
                                     "The ISO 8601 period (ADX), e.g. 2024-01-01/P1Y"))
    starts_on = serializers.DateField(**_d("Ngày đầu kỳ", "First day"))
    ends_on = serializers.DateField(**_d("Ngày cuối kỳ", "Last day"))
    due_on = serializers.DateField(**_d("Hạn nộp báo cáo", "Reports due on"))
    status = serializers.CharField(**_d("Trạng thái kỳ (open: đang mở, closed: đã đóng)",
                                        "Status (open, closed)"))


class ResultSerializer(serializers.Serializer):
    code = serializers.CharField(**_d("Mã chỉ tiêu", "The target's code"))
    section = serializers.CharField(**_d("Phần của chương trình", "The program's section"))
    label = serializers.CharField(**_d("Nội dung chỉ tiêu", "What the target says"))
    applies = serializers.BooleanField(**_d(
        "Chỉ tiêu có liên quan đến đơn vị (có đơn vị thuộc loại được tính trong phạm vi); "
        "bảng điều khiển chỉ hiện các chỉ tiêu này",
        "Whether the target concerns the unit (some unit of the kinds it counts lies in its subtree); "
        "the dashboard shows only these"))
    year = serializers.IntegerField(**_d("Năm", "Year"))
    value = serializers.FloatField(allow_null=True, **_d("Giá trị đạt được", "The value reached"))
    numerator = serializers.FloatField(allow_null=True, **_d("Tử số", "Numerator"))
    denominator = serializers.FloatField(allow_null=True, **_d("Mẫu số", "Denominator"))
    target = serializers.FloatField(allow_null=True, **_d("Mức chỉ tiêu", "The target's value"))
    comparison = serializers.CharField(**_d("So sánh với chỉ tiêu (at_least, at_most…)",
                                            "How the value compares with the target (at_least, at_most…)"))
    unit = serializers.CharField(**_d("Đơn vị tính", "Unit of measure"))
    status = serializers.CharField(**_d("Đánh giá (met, on_track, at_risk, not_met, no_data, contribution)",
                                        "Status (met, on_track, at_risk, not_met, no_data, contribution)"))
    projected = serializers.FloatField(allow_null=True, **_d("Dự báo đến cuối nhiệm kỳ",
                                                             "Projection to the term's end"))
    share = serializers.FloatField(allow_null=True, **_d("Phần đóng góp vào số của tỉnh (%)",
                                                         "Share of the province's figure (%)"))
    coverage = serializers.FloatField(allow_null=True, **_d("Tỷ lệ đơn vị đã báo cáo (0–1)",
                                                            "Share of the expected units that reported (0–1)"))
    reported = serializers.IntegerField(**_d("Số đơn vị đã báo cáo", "Units that reported"))
    expected = serializers.IntegerField(**_d("Số đơn vị phải báo cáo", "Units expected to report"))
    low_coverage = serializers.BooleanField(**_d("Ít đơn vị báo cáo (dưới 80%)", "Low coverage (under 80%)"))


class ResultsSerializer(serializers.Serializer):
    program = serializers.CharField(**_d("Mã chương trình", "The program's code"))
    unit = serializers.CharField(**_d("Mã đơn vị", "The unit's code"))
    year = serializers.IntegerField(**_d("Năm", "Year"))
    view = serializers.CharField(**_d("Cách nhìn: then (như lúc đó), now (như hiện nay)",
                                      "View: then (as it was), now (as it is now)"))
    submitted = serializers.BooleanField(**_d("Có tính báo cáo đã gửi chưa duyệt", "Submitted reports counted too"))
    results = ResultSerializer(many=True, **_d("Kết quả từng chỉ tiêu", "Each target's result"))


class ValueField(serializers.JSONField):
    """A data value: a number, a text, true/false, a date (YYYY-MM-DD) or null."""


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(**_d("Số hiệu báo cáo", "The report's id"))
    programs = serializers.ListField(child=serializers.CharField(), **_d(
        "Mã các chương trình hỏi đơn vị trong kỳ này (một báo cáo phục vụ tất cả)",
        "The codes of the programs asking the unit in this period (one report feeds them all)"))
    unit = serializers.CharField(**_d("Mã đơn vị báo cáo", "The reporting unit's code"))
    year = serializers.IntegerField(**_d("Năm của kỳ", "The period's year"))
    half = serializers.IntegerField(**_d("Nửa năm (0: cả năm)", "Half (0: the whole year)"))
    status = serializers.ChoiceField(choices=Report.Status.choices, **_d(
        "Trạng thái (draft, submitted, returned, approved, locked)",
        "Status (draft, submitted, returned, approved, locked)"))
    version = serializers.IntegerField(**_d("Phiên bản: gửi lại khi sửa, để không ghi đè thay đổi của người khác",
                                            "Version: send it back with a change, so no one's change is overwritten"))
    submitted_at = serializers.DateTimeField(allow_null=True, **_d("Thời điểm gửi", "Submitted at"))
    updated_at = serializers.DateTimeField(**_d("Thay đổi lần cuối", "Last changed at"))
    values = serializers.DictField(child=ValueField(allow_null=True), **_d(
        "Số liệu theo mã chỉ tiêu dữ liệu", "Data values by data element code"))
    comments = serializers.DictField(child=serializers.CharField(), **_d(
        "Giải trình theo mã chỉ tiêu dữ liệu", "Explanations by data element code"))


class ReportCreateSerializer(serializers.Serializer):
    unit = serializers.CharField(max_length=40, **_d("Mã đơn vị báo cáo", "The reporting unit's code"))
    year = serializers.IntegerField(min_value=2000, max_value=2100, **_d("Năm của kỳ", "The period's year"))
    half = serializers.IntegerField(min_value=0, max_value=2, default=0, **_d("Nửa năm (0: cả năm)",
                                                                              "Half (0: the whole year)"))
    program = serializers.CharField(required=False, max_length=80, **_d(
        "Mã chương trình (mặc định: chương trình đang thực hiện)", "The program's code (default: the current one)"))
    values = serializers.DictField(child=ValueField(allow_null=True), required=False, **_d(
        "Số liệu theo mã chỉ tiêu dữ liệu", "Data values by data element code"))
    comments = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=2000),
                                     required=False, **_d("Giải trình theo mã", "Explanations by code"))


class ReportUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1, **_d(
        "Phiên bản của báo cáo đã đọc", "The version of the report that was read"))
    values = serializers.DictField(child=ValueField(allow_null=True), required=False, **_d(
        "Số liệu thay đổi theo mã (null: xóa)", "Changed values by code (null clears one)"))
    comments = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=2000),
                                     required=False, **_d("Giải trình theo mã", "Explanations by code"))


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1, **_d(
        "Phiên bản của báo cáo đã đọc", "The version of the report that was read"))


class DecisionSerializer(VersionSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="", **_d(
        "Ý kiến (bắt buộc khi trả lại)", "Comment (required when returning)"))


class ProblemSerializer(serializers.Serializer):
    detail = serializers.CharField(**_d("Lý do", "What went wrong"))
    errors = serializers.ListField(child=serializers.DictField(), required=False, **_d(
        "Từng lỗi: dòng, trường, thông báo", "Each problem: row or line, field, message"))


class CompletenessCountSerializer(serializers.Serializer):
    unit = serializers.CharField(allow_null=True, **_d("Mã đơn vị (trống: cả cây)", "The unit's code (empty: total)"))
    expected = serializers.IntegerField(**_d("Số đơn vị phải báo cáo", "Units expected"))
    submitted = serializers.IntegerField(**_d("Số đã gửi", "Units that sent their report"))
    on_time = serializers.IntegerField(**_d("Số gửi đúng hạn", "Sent on time"))
    late = serializers.IntegerField(**_d("Số gửi trễ", "Sent late"))
    approved = serializers.IntegerField(**_d("Số đã duyệt", "Approved"))
    missing = serializers.IntegerField(**_d("Số chưa gửi", "Not sent"))
    percent = serializers.FloatField(allow_null=True, **_d("Tỷ lệ đã gửi (%)", "Share sent (%)"))


class CompletenessSerializer(serializers.Serializer):
    unit = serializers.CharField(**_d("Mã đơn vị", "The unit's code"))
    year = serializers.IntegerField(**_d("Năm", "Year"))
    half = serializers.IntegerField(**_d("Nửa năm (0: cả năm)", "Half (0: the whole year)"))
    total = CompletenessCountSerializer(**_d("Cả cây của đơn vị", "The unit's whole subtree"))
    children = CompletenessCountSerializer(many=True, **_d("Từng đơn vị trực thuộc", "Each unit directly below"))


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(**_d("Số hiệu kế hoạch", "The plan's id"))
    program = serializers.CharField(source="program.code", **_d("Mã chương trình", "The program's code"))
    unit = serializers.CharField(source="unit.code", **_d("Mã đơn vị", "The unit's code"))
    deadline = serializers.CharField(allow_null=True, source="deadline.code", default=None,
                                     **_d("Mã mốc thời hạn", "The deadline's code"))
    document_number = serializers.CharField(**_d("Số văn bản", "Document number"))
    issued_on = serializers.DateField(**_d("Ngày ban hành", "Issued on"))
    original_name = serializers.CharField(**_d("Tên tệp gốc", "Original file name"))
    size = serializers.IntegerField(**_d("Dung lượng (byte)", "Size (bytes)"))
    content_type = serializers.CharField(**_d("Loại tệp", "File type"))
    uploaded_at = serializers.DateTimeField(**_d("Thời điểm tải lên", "Uploaded at"))


class AuditEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(**_d("Số hiệu", "Id"))
    timestamp = serializers.DateTimeField(**_d("Thời điểm", "When"))
    actor = serializers.CharField(allow_null=True, source="actor_name", **_d("Người thực hiện", "Who"))
    action = serializers.IntegerField(**_d("Thao tác (0 tạo, 1 sửa, 2 xóa)", "Action (0 create, 1 update, 2 delete)"))
    object = serializers.CharField(source="object_repr", **_d("Đối tượng", "What was changed"))
    model = serializers.CharField(source="content_type.model", **_d("Loại đối tượng", "Kind of object"))
    changes = serializers.JSONField(**_d("Thay đổi: trước → sau", "Changes: before → after"))
    details = serializers.JSONField(source="additional_data", **_d(
        "Chi tiết (bước, ý kiến, mã truy cập đã dùng)", "Details (step, comment, the API token used)"))


class ImportResultSerializer(serializers.Serializer):
    reports = serializers.IntegerField(**_d("Số báo cáo đã ghi", "Reports written"))
    values = serializers.IntegerField(**_d("Số giá trị đã ghi", "Values written"))
