"""A target carried on from one term to the next (`continues`): the file's checks and the link."""

from pathlib import Path

import pytest

from programs.definition import ProgramFileError, check_program
from programs.loading import load_program
from programs.models import Target
from programs.testing import two_terms

pytestmark = pytest.mark.django_db


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_a_continuing_target_is_linked_to_the_predecessor_s(tmp_path, no_program):
    old, new = two_terms()
    load_program(_write(tmp_path, "old.yaml", old))
    program, _ = load_program(_write(tmp_path, "new.yaml", new))
    target = program.targets.get(code="N01")
    assert (target.continues.program.code, target.continues.code) == ("old-term", "T01")
    assert list(target.continues.continued_by.all()) == [target]


def test_a_code_naming_no_target_of_the_predecessor_is_refused_at_its_line(tmp_path, no_program):
    old, new = two_terms(continues="T99")
    load_program(_write(tmp_path, "old.yaml", old))
    path = _write(tmp_path, "new.yaml", new)
    with pytest.raises(ProgramFileError) as caught:
        load_program(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (_line_of(new, "continues: T99"), "target N01.continues")
    assert "old-term has no target 'T99'" in problem.message
    assert not Target.objects.filter(program__code="new-term").exists()


def test_a_file_without_follows_cannot_continue_a_target(tmp_path, no_program):
    _old, new = two_terms(follows=None)
    path = _write(tmp_path, "new.yaml", new)
    [problem] = check_program(path)
    assert problem.line == _line_of(new, "continues: T01")
    assert "continues" in problem.field and "program.follows" in problem.message


def test_a_target_continues_only_one_measured_in_the_same_unit(tmp_path, no_program):
    old, new = two_terms()
    # The old T01 as a count of members: a percent cannot carry it on.
    old = old.replace("unit: percent", "unit: count").replace(
        "        denominator: {sum: workers, where: {kind: [grassroots]}}\n", "")
    load_program(_write(tmp_path, "old.yaml", old))
    with pytest.raises(ProgramFileError) as caught:
        load_program(_write(tmp_path, "new.yaml", new))
    [problem] = caught.value.problems
    assert problem.field == "target N01.continues"
    assert "count" in problem.message and "percent" in problem.message


def test_the_real_2025_2030_file_continues_the_2020_2025_targets(world, program):
    # The program fixture is the 2020–2025 program, loaded first; world holds its issuer, the province AG.
    new, _ = load_program(Path(__file__).resolve().parents[1] / "data" / "an-giang-2025-2030.yaml")
    links = dict(new.targets.filter(continues__isnull=False).values_list("code", "continues__code"))
    assert links == {"T02": "T19", "T03": "T20", "T08": "T06", "T09": "T08", "T11": "T15", "T15": "T16"}
    assert set(new.targets.filter(continues__isnull=False).values_list("continues__program", flat=True)) == {
        program.pk}
    assert not new.targets.get(code="T17").continues  # yearly against the old cumulative T22: not one series
