"""Plausible progress notes on the programs' tasks, as the departments would write them.

The 2020–2025 program is closed: its tasks were followed from 2021 to its final review, most
of them done, some still under way at the end of the term (carried on by the next program).
The 2025–2030 program is in its first year: as of today some tasks are under way, a few done,
a few not started, and a few not written on yet (so that the overview shows every column).

Every note is dated no later than today and no earlier than the program's term; the numbers in
the notes come from a generator seeded by the demo's seed and the task's code, so the same seed
writes the same notes. A task that already has a note (written by a user, or by an earlier run)
is left as it is: running the demo again writes nothing.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from programs.models import Program, Task, TaskProgress

NOT_STARTED, IN_PROGRESS, DONE = (TaskProgress.Status.NOT_STARTED, TaskProgress.Status.IN_PROGRESS,
                                  TaskProgress.Status.DONE)

# What each department reports while a task is under way, with figures filled in.
UNDER_WAY = {
    "propaganda": [
        "Đã tổ chức {a} hội nghị quán triệt, tuyên truyền với {b} lượt cán bộ, đoàn viên tham dự; đăng {c} tin, "
        "bài trên trang thông tin điện tử của Liên đoàn Lao động tỉnh.",
        "Hướng dẫn công đoàn cấp trên cơ sở xây dựng kế hoạch; {a} đơn vị đã gửi kế hoạch, còn {c} đơn vị chưa gửi.",
        "Phối hợp Báo An Giang và Đài PT-TH tỉnh thực hiện {c} chuyên mục; tuyên truyền qua nhóm Zalo tới {b} "
        "đoàn viên.",
    ],
    "organisation": [
        "Thành lập mới {a} công đoàn cơ sở, kết nạp {b} đoàn viên; đang rà soát {c} doanh nghiệp có từ 20 lao "
        "động trở lên chưa có tổ chức công đoàn.",
        "Mở {c} lớp tập huấn nghiệp vụ cho {b} cán bộ công đoàn cơ sở; {a} đơn vị chưa cử người tham dự.",
        "Giới thiệu {a} đoàn viên ưu tú cho tổ chức Đảng xem xét kết nạp; {c} đồng chí đã được kết nạp.",
    ],
    "policy_law": [
        "Hướng dẫn {a} công đoàn cơ sở doanh nghiệp tổ chức đối thoại tại nơi làm việc; {c} thỏa ước lao động "
        "tập thể được ký mới hoặc sửa đổi.",
        "Tư vấn pháp luật cho {b} lượt người lao động; tham gia giải quyết {c} vụ ngừng việc tập thể.",
        "Kiểm tra việc thực hiện chế độ, chính sách tại {a} doanh nghiệp; kiến nghị khắc phục {c} trường hợp nợ "
        "bảo hiểm xã hội.",
    ],
    "women": [
        "Thăm hỏi, hỗ trợ {b} đoàn viên có hoàn cảnh khó khăn; khởi công {c} căn nhà “Mái ấm công đoàn”.",
        "Tổ chức {c} buổi truyền thông về bình đẳng giới, chăm sóc sức khỏe cho {b} nữ công nhân, viên chức, lao "
        "động.",
    ],
    "office": [
        "Ban hành kế hoạch thi đua; tổng hợp {a} sáng kiến, giải pháp đăng ký của các công đoàn cơ sở.",
        "Tổng hợp báo cáo 6 tháng của {a} đơn vị, trình Ban Thường vụ; còn {c} đơn vị gửi chậm.",
    ],
}
DONE_WORDS = [
    "Hoàn thành theo kế hoạch; kết quả đã đưa vào báo cáo đánh giá của Ban Thường vụ.",
    "Đã hoàn thành; tiếp tục duy trì thường xuyên trong các năm sau.",
    "Hoàn thành; {a} đơn vị thực hiện đạt yêu cầu, {c} đơn vị được biểu dương.",
]
NOT_STARTED_WORDS = [
    "Chưa triển khai; chờ hướng dẫn của Tổng Liên đoàn, dự kiến thực hiện trong quý I/{next}.",
    "Chưa triển khai do các công đoàn xã, phường mới kiện toàn bộ máy; đưa vào kế hoạch năm {next}.",
]
STARTED_WORDS = "Đã ban hành kế hoạch triển khai, phân công cán bộ theo dõi."
# The 2025–2030 program's tasks, as of its first year: (status of the newest note, or None for a
# task nobody has written on yet). Kept here so that the overview's demo mix is deliberate.
FIRST_YEAR = {
    "task_IV_1_01": DONE,
    "task_IV_1_02": IN_PROGRESS,
    "task_IV_2_01": IN_PROGRESS,
    "task_IV_2_02": NOT_STARTED,
    "task_IV_3_01": IN_PROGRESS,
    "task_IV_3_02": IN_PROGRESS,
    "task_IV_4_01": IN_PROGRESS,
    "task_IV_4_02": DONE,
    "task_IV_5_01": IN_PROGRESS,
    "task_IV_6_01": IN_PROGRESS,
    "task_IV_7_01": None,
    "task_V_1_01": IN_PROGRESS,
    "task_V_2_01": None,
    "task_V_3_01": NOT_STARTED,
}
SHARE_DONE_AT_TERM_END = 0.8  # of the closed program's tasks, done by its final review


def _words(rng: random.Random, status: str, department: str, year: int) -> str:
    figures = {"a": rng.randint(3, 40), "b": _grouped(rng.randint(80, 2500)), "c": rng.randint(2, 18),
               "next": year + 1}
    if status == DONE:
        return rng.choice(DONE_WORDS).format(**figures)
    if status == NOT_STARTED:
        return rng.choice(NOT_STARTED_WORDS).format(**figures)
    return rng.choice(UNDER_WAY.get(department) or UNDER_WAY["office"]).format(**figures)


def _grouped(n: int) -> str:
    """5157 → "5.157", as Vietnamese writes it (whatever language the command runs in)."""
    return f"{n:,}".replace(",", ".")


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return last
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


Note = tuple[str, datetime.date, str]  # status, date, words


def planned_notes(program: Program, task: Task, seed: int, today: datetime.date) -> list[Note]:
    """(status, date, note) of the notes the demo writes on one task, oldest first."""
    rng = random.Random(f"{seed}:{program.code}:{task.code}")
    # From its issue (else its first reporting year: the 2020–2025 program reports from 2021).
    began = program.in_force_from or program.issued_on or datetime.date(program.reporting_years[0], 1, 1)
    start = max(datetime.date(program.term_start, 1, 1), began)
    end = min(today, program.closed_on or today, datetime.date(program.term_end, 12, 31))
    if end < start:
        return []
    if program.status == Program.Status.CLOSED or today > datetime.date(program.term_end, 12, 31):
        # Followed from its first year to the final review: started, under way, then its final word.
        final_year = min(end.year, program.term_end)
        final = DONE if rng.random() < SHARE_DONE_AT_TERM_END else IN_PROGRESS
        middle = list(range(start.year + 1, final_year))
        years = [start.year, *sorted(rng.sample(middle, k=min(2, len(middle)))), final_year]
        statuses = [IN_PROGRESS] * (len(years) - 1) + [final]
        days = sorted(_day(rng, max(start, datetime.date(y, 1, 1)), min(end, datetime.date(y, 12, 31))) for y in years)
        notes = [(status, day, _words(rng, status, task.department, day.year))
                 for status, day in zip(statuses, days, strict=True)]
        notes[0] = (notes[0][0], notes[0][1], STARTED_WORDS)
        return notes
    status = FIRST_YEAR.get(task.code, rng.choice([IN_PROGRESS, IN_PROGRESS, NOT_STARTED, None]))
    if status is None:
        return []
    if status == NOT_STARTED:
        return [(NOT_STARTED, _day(rng, start, end), _words(rng, NOT_STARTED, task.department, end.year))]
    first = _day(rng, start, start + (end - start) / 2)
    notes = [(IN_PROGRESS, first, STARTED_WORDS)]
    notes.append((status, _day(rng, first + datetime.timedelta(days=1), end),
                  _words(rng, status, task.department, end.year)))
    return notes


def write_task_notes(program: Program, by, seed: int, today: datetime.date | None = None) -> int:
    """The demo's notes on every task of `program` that has none yet, recorded by `by` for the
    department that follows the task; how many notes were written."""
    today = today or timezone.localdate()
    followed = set(TaskProgress.objects.filter(task__program=program).values_list("task_id", flat=True))
    notes = [
        TaskProgress(task=task, status=status, on_date=day, note=words, department=task.department, recorded_by=by)
        for task in program.tasks.exclude(pk__in=followed)
        for status, day, words in planned_notes(program, task, seed, today)
    ]
    # One insert: demo notes are not users' writes, so they are not in the audit trail one by one.
    TaskProgress.objects.bulk_create(notes)
    return len(notes)
