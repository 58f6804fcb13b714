"""A period is the calendar's, no program's: the programs asking for it are those whose
reporting years hold its year. Until now one program held every period, so (kind, year, half)
is already unique."""

import django.db.models.deletion
from django.db import migrations, models


def programs_of_periods(apps, schema_editor):
    """Going back: each period belongs again to the program whose reporting years hold its year."""
    Program = apps.get_model("programs", "Program")
    Period = apps.get_model("reporting", "Period")
    programs = list(Program.objects.order_by("term_start", "code"))
    for period in Period.objects.all():
        owner = next((p for p in programs if period.year in p.reporting_years), programs[0] if programs else None)
        if owner is not None:
            Period.objects.filter(pk=period.pk).update(program=owner)


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0006_report_steps_in_the_audit_trail"),
        ("programs", "0005_shared_data_elements_and_program_life"),
    ]

    operations = [
        migrations.AlterField(
            model_name="period", name="program",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="periods",
                                    to="programs.program", verbose_name="program"),
        ),
        migrations.RunPython(migrations.RunPython.noop, programs_of_periods),
        migrations.RemoveConstraint(model_name="period", name="period_unique"),
        migrations.RemoveField(model_name="period", name="program"),
        migrations.AddConstraint(
            model_name="period",
            constraint=models.UniqueConstraint(fields=("kind", "year", "half"), name="period_unique"),
        ),
    ]
