"""The document kinds are called by the glossary's names (yearly_review, term_review); the old
names ("yearly", "term") of stored rows are migrated, and old addresses still lead to the page."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts.testing import login
from exports.models import Kind, Narrative


def test_the_kinds_have_the_glossarys_names():
    assert Kind.values == ["yearly_review", "term_review"]
    assert Kind.current("yearly") == "yearly_review" and Kind.current("term") == "term_review"
    assert Kind.current("term_review") == "term_review" and Kind.current("monthly") is None


@pytest.mark.parametrize(("name", "old", "new"), [
    ("exports:preview", ["AG.883", "yearly", 2024], ["AG.883", "yearly_review", 2024]),
    ("exports:narratives", ["AG", "term", 2025], ["AG", "term_review", 2025]),
    ("exports:download", ["AG.883", "yearly", 2024, "pdf"], ["AG.883", "yearly_review", 2024, "pdf"]),
])
def test_an_old_address_is_sent_to_the_current_one(client, world, name, old, new):
    login(client, world.admin)
    response = client.get(reverse(name, args=old))
    assert response.status_code == 301
    assert response["Location"] == reverse(name, args=new)


def test_an_old_choice_on_the_documents_page_is_sent_to_the_current_one(client, world):
    login(client, world.admin)
    response = client.get(reverse("exports:index"), {"unit": "AG", "kind": "term", "year": 2025, "format": "pdf"})
    assert response.status_code == 301
    assert response["Location"] == reverse("exports:index") + "?unit=AG&kind=term_review&year=2025&format=pdf"


def test_an_unknown_kind_is_still_404(client, world):
    login(client, world.admin)
    assert client.get(reverse("exports:preview", args=["AG", "monthly", 2024])).status_code == 404


def test_the_command_takes_the_new_names_only(world, program, tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'yearly'"):
        call_command("make_report", "--unit", "AG", "--kind", "yearly", "-o", str(tmp_path / "x.docx"))


@pytest.mark.django_db(transaction=True)
def test_the_migration_renames_the_stored_narratives():
    from accounts.testing import build_world
    from programs.loading import load_program
    from programs.management.commands.load_program import DEFAULT_FILE

    program = load_program(DEFAULT_FILE)[0]
    world = build_world()
    executor = MigrationExecutor(connection)
    executor.migrate([("exports", "0004_verbose_names")])
    old_apps = executor.loader.project_state([("exports", "0004_verbose_names")]).apps
    OldNarrative = old_apps.get_model("exports", "Narrative")
    OldNarrative.objects.create(program_id=program.pk, unit_id=world.province.pk, kind="yearly", year=2024,
                                achievements="Đạt")
    OldNarrative.objects.create(program_id=program.pk, unit_id=world.province.pk, kind="term", year=2025)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("exports"))
    assert sorted(Narrative.objects.values_list("kind", "year", "achievements")) == [
        ("term_review", 2025, ""), ("yearly_review", 2024, "Đạt")]
