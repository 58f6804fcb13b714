"""Data elements become a catalogue shared by code across programs (ProgramElement says who
each program asks), and a program gains its issuer unit, status, dates and predecessor.

Until now one program held every element, so codes are unique and each element becomes one
ProgramElement of its program with the fields that move there."""

import django.db.models.deletion
from django.db import migrations, models


def elements_to_uses(apps, schema_editor):
    DataElement = apps.get_model("programs", "DataElement")
    ProgramElement = apps.get_model("programs", "ProgramElement")
    ProgramElement.objects.bulk_create(
        ProgramElement(program_id=e.program_id, element_id=e.pk, reported_by=e.reported_by, asked_of=e.asked_of,
                       position=e.position)
        for e in DataElement.objects.all()
    )


def uses_to_elements(apps, schema_editor):
    ProgramElement = apps.get_model("programs", "ProgramElement")
    DataElement = apps.get_model("programs", "DataElement")
    for use in ProgramElement.objects.order_by("program_id", "position"):
        DataElement.objects.filter(pk=use.element_id).update(
            program_id=use.program_id, reported_by=use.reported_by, asked_of=use.asked_of, position=use.position)


class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0004_verbose_names"),
        ("units", "0006_delete_unitparentchange"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProgramElement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reported_by", models.JSONField(default=list, verbose_name="reported by")),
                ("asked_of", models.JSONField(blank=True, default=dict, verbose_name="asked of")),
                ("position", models.PositiveIntegerField(default=0, verbose_name="position")),
                ("element", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="uses",
                                              to="programs.dataelement", verbose_name="data element")),
                ("program", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                              related_name="element_uses", to="programs.program",
                                              verbose_name="program")),
            ],
            options={
                "verbose_name": "program's data element",
                "verbose_name_plural": "program's data elements",
                "ordering": ["position"],
                "constraints": [models.UniqueConstraint(fields=("program", "element"), name="program_element_unique")],
            },
        ),
        # Nullable first, so that going back re-adds the column before uses_to_elements fills it.
        migrations.AlterField(
            model_name="dataelement", name="program",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="data_elements", to="programs.program", verbose_name="program"),
        ),
        migrations.RunPython(elements_to_uses, uses_to_elements),
        migrations.RemoveConstraint(model_name="dataelement", name="data_element_code_unique"),
        migrations.RemoveField(model_name="dataelement", name="program"),
        migrations.RemoveField(model_name="dataelement", name="reported_by"),
        migrations.RemoveField(model_name="dataelement", name="asked_of"),
        migrations.RemoveField(model_name="dataelement", name="position"),
        migrations.AlterField(
            model_name="dataelement", name="code",
            field=models.CharField(max_length=60, unique=True, verbose_name="code"),
        ),
        migrations.AlterModelOptions(
            name="dataelement",
            options={"ordering": ["code"], "verbose_name": "data element", "verbose_name_plural": "data elements"},
        ),
        migrations.AddField(
            model_name="program", name="data_elements",
            field=models.ManyToManyField(related_name="programs", through="programs.ProgramElement",
                                         to="programs.dataelement", verbose_name="data elements"),
        ),
        migrations.AddField(
            model_name="program", name="issuer_unit",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="programs_issued", to="units.unit",
                                    verbose_name="issuing unit (in the tree)"),
        ),
        migrations.AddField(
            model_name="program", name="status",
            field=models.CharField(choices=[("draft", "draft"), ("issued", "issued"), ("in_force", "in force"),
                                            ("closed", "closed")], default="in_force", max_length=10,
                                   verbose_name="status"),
        ),
        migrations.AddField(model_name="program", name="issued_on",
                            field=models.DateField(blank=True, null=True, verbose_name="issued on")),
        migrations.AddField(model_name="program", name="in_force_from",
                            field=models.DateField(blank=True, null=True, verbose_name="in force from")),
        migrations.AddField(model_name="program", name="closed_on",
                            field=models.DateField(blank=True, null=True, verbose_name="closed on")),
        migrations.AddField(
            model_name="program", name="predecessor",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="successors", to="programs.program", verbose_name="follows"),
        ),
    ]
