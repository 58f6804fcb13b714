"""ImplementationPlan moved to the plans app. Django's state only: the table
(reporting_implementationplan) and its rows stay where they are; plans 0001 takes the model
into its own state with the same table."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0003_report_event_on_behalf'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ImplementationPlan')],
            database_operations=[],
        ),
    ]
