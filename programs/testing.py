"""Program files for the tests of the program language (programs/tests): VALID, a tiny program
file that checks clean, which each test breaks in one place."""

import textwrap
from pathlib import Path

# The seed: the An Giang 2020–2025 program's own text, kept beside its program file.
SEED_FILE = Path(__file__).resolve().parent / "data" / "an-giang-xi-2020-2025.seed.txt"

VALID = textwrap.dedent("""\
    program:
      code: tiny
      title: "Chương trình nhỏ"
      issuer: "Ban Thường vụ"
      term_start: 2020
      term_end: 2025
      reporting_years: [2021, 2022]
    deadlines:
      - code: plan
        text: "trong tháng 8/2021"
        due: 2021-08-31
        applies_to: [grassroots]
    data_elements:
      - code: workers
        label: "Số người lao động"
        type: count
        reported_by: grassroots
        aggregation: sum
      - code: members
        label: "Số đoàn viên"
        type: count
        reported_by: grassroots
        aggregation: sum
      - code: cba_signed
        label: "Đã ký thỏa ước"
        type: boolean
        reported_by: grassroots
        aggregation: count_true
    validation_rules:
      - code: members_le_workers
        check: "members <= workers"
        severity: error
        message: "Số đoàn viên không được lớn hơn số người lao động."
    sections:
      - number: "II"
        title: "NỘI DUNG"
        targets:
          - code: T01
            text: "95% người lao động gia nhập Công đoàn"
            comparison: ">="
            value: 95
            unit: percent
            period: term
            accumulate: last
            applies_to: [grassroots]
            numerator: {sum: members, where: {kind: [grassroots]}}
            denominator: {sum: workers, where: {kind: [grassroots]}}
        tasks:
          - code: task_1
            text: "Tuyên truyền"
            responsible: [grassroots]
            deadlines: [plan]
""")


def add_element(program, code: str, label: str, type: str, *, reported_by=("grassroots",), aggregation="none",
                asked_of=None, **fields):
    """A catalogue element `program` asks for, after its file's own (for tests needing an element
    of a type the program lacks)."""
    from programs.models import DataElement, ProgramElement

    last = program.element_uses.order_by("-position").values_list("position", flat=True).first()
    element = DataElement.objects.create(code=code, label=label, type=type, aggregation=aggregation, **fields)
    ProgramElement.objects.create(program=program, element=element, reported_by=list(reported_by),
                                  asked_of=asked_of or {}, position=(last or 0) + 1)
    return element


def district_plan(code="long-xuyen-plan", issuer="AG.883", members_aggregation="sum", extra=""):
    """A district's own plan: it asks for `members` (shared with the province's program) and
    `volunteer_hours` (its own), of the grassroots unions of its subtree."""
    return textwrap.dedent(f"""\
        program:
          code: {code}
          title: "Kế hoạch của {code}"
          issuer: "Ban Thường vụ"
          issued_by_unit: {issuer}
          status: in_force
          term_start: 2021
          term_end: 2025
          reporting_years: [2024, 2025]
        data_elements:
          - code: members
            label: "Đoàn viên (cách gọi của kế hoạch)"
            type: count
            reported_by: grassroots
            aggregation: {members_aggregation}
          - code: volunteer_hours
            label: "Số giờ tình nguyện"
            type: count
            reported_by: grassroots
            aggregation: sum
        sections:
          - number: "I"
            title: "CHỈ TIÊU"
            targets:
              - code: D01
                text: "Có ít nhất 100 đoàn viên"
                comparison: ">="
                value: 100
                unit: count
                period: yearly
                applies_to: [grassroots]
                numerator: {{sum: members, where: {{kind: [grassroots]}}}}
        """).replace("sections:\n", extra + "sections:\n", 1)


def two_terms(continues: str = "T01", follows: str | None = "old-term") -> tuple[str, str]:
    """Two little programs one after the other, for the tests of a target carried across terms:
    "old-term" (2023, T01 members ÷ workers ≥ 85%) and "new-term" (2024, following it, whose N01
    ≥ 96% `continues` old T01)."""
    old = (VALID.replace("code: tiny", "code: old-term").replace("term_end: 2025", "term_end: 2023")
           .replace("reporting_years: [2021, 2022]", "reporting_years: [2023]").replace("value: 95", "value: 85"))
    new = (VALID.replace("code: tiny", "code: new-term").replace("term_start: 2020", "term_start: 2023")
           .replace("term_end: 2025", "term_end: 2024")
           .replace("reporting_years: [2021, 2022]", "reporting_years: [2024]")
           .replace("code: T01", "code: N01").replace("value: 95", "value: 96")
           .replace("        denominator: {sum: workers, where: {kind: [grassroots]}}\n",
                    "        denominator: {sum: workers, where: {kind: [grassroots]}}\n"
                    f"        continues: {continues}\n"))
    if follows:
        new = new.replace("  term_start: 2023\n", f"  follows: {follows}\n  term_start: 2023\n")
    return old, new
