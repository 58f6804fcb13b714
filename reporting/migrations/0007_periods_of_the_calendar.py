"""A period is the calendar's, no program's: the programs asking for it are those whose
reporting years hold its year. Until now one program held every period, so (kind, year, half)
is already unique."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0006_report_steps_in_the_audit_trail"),
        ("programs", "0005_shared_data_elements_and_program_life"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="period", name="period_unique"),
        migrations.RemoveField(model_name="period", name="program"),
        migrations.AddConstraint(
            model_name="period",
            constraint=models.UniqueConstraint(fields=("kind", "year", "half"), name="period_unique"),
        ),
    ]
