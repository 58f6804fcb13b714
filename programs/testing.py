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
