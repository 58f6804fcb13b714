"""`check_program` names the file, the line and the field of every problem."""


import pytest
from django.core.management import CommandError, call_command

from programs.definition import check_program
from programs.testing import VALID


def problems_for(tmp_path, text):
    path = tmp_path / "program.yaml"
    path.write_text(text, encoding="utf-8")
    return [str(p).replace(str(path), "FILE") for p in check_program(path)]


def test_the_valid_file_has_no_problem(tmp_path):
    assert problems_for(tmp_path, VALID) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "numerator: {sum: members,", "numerator: {sum: memberz,",
            "FILE:46: target T01.numerator.sum: unknown data element 'memberz'",
        ),
        (
            "  - code: members\n", "  - code: workers\n",
            "FILE:19: data element workers: duplicate code (first at line 14)",
        ),
        (
            '        comparison: ">="\n', "",
            "FILE:38: target T01.comparison: is required",
        ),
        (
            'comparison: ">="', 'comparison: "=>"',
            "FILE:40: target T01.comparison: must be one of >=, >, =; got '=>'",
        ),
        (
            "numerator: {sum: members, where: {kind: [grassroots]}}",
            "numerator: {count: members, where: {kind: [grassroots]}}",
            "FILE:46: target T01.numerator.count: 'count' needs a boolean element; 'members' is count",
        ),
        (
            "where: {kind: [grassroots]}}\n        denominator",
            "where: {kind: [grasroots]}}\n        denominator",
            "FILE:46: target T01.numerator.where.kind: must be a list of province, district, sector, "
            "industrial_zone, grassroots, commune (or upper_union)",
        ),
        (
            'check: "members <= workers"', 'check: "members <= staff"',
            "FILE:31: validation rule members_le_workers.check: unknown data element 'staff'",
        ),
        (
            "deadlines: [plan]", "deadlines: [plans]",
            "FILE:52: task task_1.deadlines: unknown deadline 'plans'",
        ),
        (
            "        accumulate: last\n", "",
            "FILE:38: target T01.accumulate: must be one of sum, last; got None",
        ),
        (
            "        denominator: {sum: workers, where: {kind: [grassroots]}}\n", "",
            "FILE:42: target T01.denominator: a percent target needs a denominator",
        ),
    ],
)
def test_each_error_has_its_message(tmp_path, old, new, expected):
    assert old in VALID
    assert expected in problems_for(tmp_path, VALID.replace(old, new, 1))


def test_malformed_yaml_names_its_line(tmp_path):
    broken = VALID.replace('title: "NỘI DUNG"', 'title: "NỘI DUNG\n    oops: [')
    [problem] = problems_for(tmp_path, broken)
    assert problem.startswith("FILE:")
    assert "(yaml): malformed YAML" in problem


def test_duplicate_yaml_keys_are_refused(tmp_path):
    [problem] = problems_for(tmp_path, VALID.replace("  term_end: 2025\n", "  term_end: 2025\n  term_end: 2026\n"))
    assert problem == "FILE:7: (yaml): malformed YAML: duplicate key 'term_end'"


def test_check_program_command_prints_problems_and_fails(tmp_path, capsys):
    path = tmp_path / "program.yaml"
    path.write_text(VALID.replace('        comparison: ">="\n', ""), encoding="utf-8")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("check_program", str(path))
    assert "target T01.comparison: is required" in capsys.readouterr().err
