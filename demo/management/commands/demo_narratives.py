"""Plausible narratives for the demo's documents: what Ban Tuyên giáo would write."""


from audit.commands import RecordedCommand
from exports.models import Kind, Narrative
from programs.models import Program
from units.models import Unit

YEARLY = {
    "achievements": (
        "Các cấp công đoàn đã tổ chức quán triệt, tuyên truyền Nghị quyết Đại hội XI Đảng bộ tỉnh gắn với "
        "nhiệm vụ chính trị của đơn vị; phong trào thi đua “Lao động giỏi, Lao động sáng tạo” tiếp tục lan "
        "tỏa, số sáng kiến, giải pháp vượt xa chỉ tiêu đề ra.\n"
        "Công tác chăm lo, bảo vệ quyền lợi đoàn viên được quan tâm; Chương trình “Mái ấm công đoàn” được "
        "các cấp công đoàn hưởng ứng, hỗ trợ đoàn viên khó khăn về nhà ở."
    ),
    "shortcomings": (
        "Tỷ lệ doanh nghiệp ngoài nhà nước tổ chức đối thoại tại nơi làm việc và ký kết thỏa ước lao động "
        "tập thể còn thấp so với chỉ tiêu; một số công đoàn cơ sở gửi báo cáo chậm, số liệu chưa đầy đủ."
    ),
    "causes": (
        "Một số chủ doanh nghiệp chưa quan tâm, phối hợp; cán bộ công đoàn cơ sở chủ yếu kiêm nhiệm, "
        "thường xuyên thay đổi, kỹ năng thương lượng còn hạn chế."
    ),
    "directions": (
        "Tập trung hướng dẫn công đoàn cơ sở doanh nghiệp ngoài nhà nước tổ chức đối thoại, thương lượng "
        "ký kết thỏa ước; nâng chất lượng báo cáo định kỳ, bảo đảm đúng hạn, đầy đủ."
    ),
}


class Command(RecordedCommand):
    help = "Write demo narratives for the province's yearly evaluations and 5-year review (kept if present)."

    def add_arguments(self, parser):
        # The 2020–2025 program's: its yearly evaluations and the 5-year review it closed with
        # (the 2025–2030 program has no year behind it yet).
        parser.add_argument("--program", default="an-giang-xi-2020-2025")

    def handle(self, *args, program, **options):
        program = Program.objects.filter(code=program).first()
        province = Unit.objects.filter(depth=1).first()
        if program is None or province is None:
            return
        created = 0
        documents = [(Kind.YEARLY_REVIEW, year) for year in program.reporting_years[:-1]]
        documents.append((Kind.TERM_REVIEW, program.term_end))
        for kind, year in documents:
            _, made = Narrative.objects.get_or_create(
                program=program, unit=province, kind=kind, year=year, defaults=YEARLY)
            created += made
        self.stdout.write(f"demo narratives: {created} created")
