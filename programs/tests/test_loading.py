"""Loading a program file: idempotent, updates in place, keeps a history of changes."""

import datetime
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from programs.definition import ProgramFileError
from programs.loading import load_program
from programs.models import DataElement, Program, Target, Task, TaskProgress

AN_GIANG = Path(__file__).resolve().parents[1] / "data" / "an-giang-xi-2020-2025.yaml"

# Each test starts from a database without the program (see conftest.no_program).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_program")]


@pytest.fixture
def program_file(tmp_path) -> Path:
    path = tmp_path / "program.yaml"
    shutil.copy(AN_GIANG, path)
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_loading_the_an_giang_program(program_file):
    program, revision = load_program(program_file)

    assert program.code == "an-giang-xi-2020-2025"
    assert program.targets.count() == 22
    assert program.tasks.count() == 39
    assert program.objectives.count() == 7
    assert program.sections.count() == 14
    assert program.data_elements.count() == 24
    assert program.document["signature"]["signer"] == "Phan Thị Diễm"
    t19 = program.targets.get(code="T19")
    assert (t19.comparison, t19.value, t19.section.number) == (">=", 95, "II.2.5")
    assert program.sections.get(number="II.2.5").parent.number == "II.2"
    assert revision is not None


def test_loading_twice_changes_nothing(program_file):
    load_program(program_file)
    rows = {model: list(model.objects.values()) for model in (Program, Target, Task, DataElement)}
    program, revision = load_program(program_file)

    assert revision is None
    for model, before in rows.items():
        after = list(model.objects.values())
        for row in before + after:
            row.pop("loaded_at", None)
        assert after == before
    assert program.revisions.count() == 1


def test_a_changed_file_updates_the_program_and_records_what_changed(program_file):
    program, _ = load_program(program_file)
    t15_id = program.targets.get(code="T15").id
    edit(program_file, "                value: 1000\n", "                value: 1200\n")
    edit(program_file, 'short_label: "Nhà “Mái ấm công đoàn” xây dựng, sửa chữa"',
         'short_label: "Mái ấm công đoàn"')

    program, revision = load_program(program_file)

    assert program.targets.get(code="T16").value == 1200
    assert program.targets.get(code="T15").id == t15_id, "rows are updated in place"
    changes = {c["path"]: (c["before"], c["after"]) for c in revision.changes}
    assert changes == {
        "targets.T16.value": (1000, 1200),
        "targets.T15.short_label": ("Nhà “Mái ấm công đoàn” xây dựng, sửa chữa", "Mái ấm công đoàn"),
    }
    assert program.revisions.count() == 2


def test_a_removed_task_disappears_with_its_notes(program_file, world):
    program, _ = load_program(program_file)
    task = program.tasks.get(code="task_II_2_3_02")
    TaskProgress.objects.create(task=task, status="done", on_date=datetime.date(2024, 5, 1), recorded_by=world.admin)
    text = program_file.read_text(encoding="utf-8")
    start = text.index("              - code: task_II_2_3_02")
    end = text.index("            children:", start)
    program_file.write_text(text[:start] + text[end:], encoding="utf-8")

    program, revision = load_program(program_file)

    assert not program.tasks.filter(code="task_II_2_3_02").exists()
    assert not TaskProgress.objects.exists()
    assert {"path": "tasks.task_II_2_3_02.section", "before": "II.2.3", "after": None} in revision.changes


def test_a_broken_file_is_refused_whole(program_file):
    load_program(program_file)
    edit(program_file, "                value: 1000\n", "                value: 1200\n")
    edit(program_file, "numerator: {sum: initiatives,", "numerator: {sum: inventions,")

    with pytest.raises(ProgramFileError) as caught:
        load_program(program_file)

    assert "target T16.numerator.sum: unknown data element 'inventions'" in str(caught.value)
    assert Target.objects.get(code="T16").value == 1000


def test_show_program_prints_the_whole_program_as_json(program_file):
    load_program(program_file)
    out = StringIO()
    call_command("show_program", "an-giang-xi-2020-2025", "--json", stdout=out)
    data = json.loads(out.getvalue())

    assert [s["number"] for s in data["sections"]] == ["I", "II", "III"]
    targets = [t for s in data["sections"] for c in s["children"] for g in [c, *c["children"]] for t in g["targets"]]
    assert [t["code"] for t in targets] == [f"T{n:02d}" for n in range(1, 23)]
    t22 = targets[-1]
    assert (t22["comparison"], t22["value"], t22["unit"]) == (">=", 1, "average")
    assert t22["numerator"] == {"sum": "party_referrals", "where": {"kind": ["grassroots"]}}
    assert "Số đoàn viên ưu tú giới thiệu cho Đảng" in t22["numerator_text"]
    assert data["program"]["recipients"][-1] == "Lưu: VT, Ban TG"
