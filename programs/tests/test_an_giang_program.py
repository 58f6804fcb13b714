"""The An Giang program file says what the seed says, completely and exactly."""

import re
from pathlib import Path

import pytest

from programs.definition import check_program, read_program_file
from programs.testing import SEED_FILE

DATA = Path(__file__).resolve().parents[1] / "data"
PROGRAM_FILE = DATA / "an-giang-xi-2020-2025.yaml"
# The program's own text, as the federation issued it (a copy of shared/seeds/000_29566804d8cd20a0.txt).

# Written from the seed by reading it, not from the program file.
SEED_TARGETS = {
    # code: (comparison, value, unit, period)
    "T01": (">=", 100, "percent", "deadline"),  # 100% Công đoàn cấp trực tiếp cơ sở … xây dựng kế hoạch
    "T02": (">=", 80, "percent", "deadline"),   # có 80% công đoàn cơ sở trở lên …
    "T03": (">", 80, "percent", "term"),        # trên 80% cán bộ, đoàn viên và người lao động được phổ biến
    "T04": (">=", 70, "percent", "term"),       # từ 70% … nâng cao trình độ chuyên môn, kỹ năng nghề nghiệp
    "T05": (">=", 100, "percent", "term"),      # 100% tranh chấp … có sự tham gia giải quyết của Công đoàn
    "T06": (">=", 90, "percent", "term"),       # từ 90% trở lên doanh nghiệp có Công đoàn ký kết TƯLĐTT
    "T07": (">=", 90, "percent", "term"),       # 90% thỏa ước có lợi hơn pháp luật
    "T08": (">=", 45, "percent", "term"),       # ít nhất 45% thỏa ước đạt loại B trở lên
    "T09": (">=", 100, "percent", "yearly"),    # 100% DNNN tổ chức Hội nghị người lao động
    "T10": (">=", 80, "percent", "yearly"),     # 80% trở lên DN ngoài nhà nước tổ chức HNNLĐ
    "T11": (">=", 100, "percent", "yearly"),    # 100% DNNN tổ chức đối thoại tại nơi làm việc
    "T12": (">=", 70, "percent", "yearly"),     # 70% trở lên DN ngoài nhà nước đối thoại
    "T13": (">=", 100, "percent", "yearly"),    # 100% CĐ cấp trên … đề xuất đối thoại
    "T14": (">=", 80, "percent", "yearly"),     # 80% CĐCS doanh nghiệp có đông lao động đề xuất đối thoại
    "T15": (">=", 100, "count", "yearly"),      # ít nhất 100 căn nhà “Mái ấm công đoàn”
    "T16": (">=", 1000, "count", "yearly"),     # từ 1.000 giải pháp, sáng kiến
    "T17": (">=", 100, "percent", "yearly"),    # mỗi CĐ cấp trên và CĐCS có 01 mô hình, giải pháp sáng tạo
    "T18": (">=", 100, "percent", "term"),      # đến năm 2025 mỗi cấp công đoàn có 01 mô hình hiệu quả
    "T19": (">=", 95, "percent", "term"),       # từ 95% trở lên CNVCLĐ gia nhập Công đoàn
    "T20": (">=", 100, "percent", "term"),      # 100% doanh nghiệp có 20 lao động trở lên có Công đoàn
    "T21": (">=", 70, "percent", "term"),       # 70% trở lên cán bộ CĐCS được tập huấn
    "T22": (">=", 1, "average", "term"),        # bình quân mỗi CĐCS giới thiệu ít nhất 01 đoàn viên ưu tú
}


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def program_data():
    return read_program_file(PROGRAM_FILE)


@pytest.fixture(scope="module")
def seed_text():
    return one_line(SEED_FILE.read_text(encoding="utf-8"))


def walk_sections(sections):
    """Every section of the file's raw data, depth first: this test reads the file as written."""
    for section in sections or []:
        yield section
        yield from walk_sections(section.get("children"))


def all_of(data, kind):
    return [item for section in walk_sections(data["sections"]) for item in section.get(kind) or []]


def test_the_an_giang_file_passes_the_check():
    assert check_program(PROGRAM_FILE) == []


def test_every_target_objective_and_task_is_verbatim_from_the_seed(program_data, seed_text):
    for kind in ("targets", "objectives", "tasks"):
        for item in all_of(program_data, kind):
            assert one_line(item["text"]) in seed_text, f"{kind} {item['code']} is not in the seed"
    for deadline in program_data["deadlines"]:
        assert one_line(deadline["text"]) in seed_text


def test_targets_have_the_seeds_values_and_comparisons(program_data):
    targets = {t["code"]: t for t in all_of(program_data, "targets")}
    assert set(targets) == set(SEED_TARGETS)
    for code, (comparison, value, unit, period) in SEED_TARGETS.items():
        target = targets[code]
        assert (target["comparison"], target["value"], target["unit"], target["period"]) == (
            comparison, value, unit, period,
        ), code


def test_sections_follow_the_seeds_numbering(program_data):
    numbers = [s["number"] for s in walk_sections(program_data["sections"])]
    assert numbers == [
        "I", "II", "II.1", "II.2", "II.2.1", "II.2.2", "II.2.3", "II.2.4", "II.2.5", "II.3",
        "III", "III.1", "III.2", "III.3",
    ]


def test_every_task_paragraph_of_the_seed_is_a_task(program_data):
    # Counted in the seed: the paragraphs under each "Nhiệm vụ, giải pháp", and part III's.
    per_section = {s["number"]: len(s.get("tasks") or []) for s in walk_sections(program_data["sections"])}
    assert per_section == {
        "I": 0, "II": 0, "II.1": 3, "II.2": 0, "II.2.1": 7, "II.2.2": 7, "II.2.3": 2, "II.2.4": 3,
        "II.2.5": 6, "II.3": 5, "III": 0, "III.1": 3, "III.2": 2, "III.3": 1,
    }


def test_deadlines_and_signature(program_data):
    due = {d["code"]: d["due"].isoformat() for d in program_data["deadlines"]}
    assert due == {"plan_upper_union": "2021-06-30", "plan_grassroots": "2021-08-31"}
    meta = program_data["program"]
    assert meta["signature"]["signer"] == "Phan Thị Diễm"
    assert meta["recipients"][0] == "Đoàn Chủ tịch TLĐLĐVN"
    assert meta["recipients"][-1] == "Lưu: VT, Ban TG"
    assert meta["lead_department"] == "Ban Tuyên giáo"
