"""ImplementationPlan, moved here from reporting with its table (reporting_implementationplan):
the model enters plans' state only, no table is created and no row moves. Its content type is
renamed to plans, so that the audit trail's entries about plans (and the model's permissions)
follow the model instead of pointing at a model that no longer exists."""

import django.db.models.deletion
import plans.models
from django.conf import settings
from django.db import migrations, models


def content_type_to(app_label):
    """Move the model's content type row to `app_label` (a rename: its id, which the
    append-only audit entries hold, stays)."""
    def move(apps, schema_editor):
        ContentType = apps.get_model('contenttypes', 'ContentType')
        old_label = 'reporting' if app_label == 'plans' else 'plans'
        old = ContentType.objects.filter(app_label=old_label, model='implementationplan').first()
        if old is None:  # a new database: post_migrate creates it under the new app
            return
        # A row for the new label exists only if created before this ran (e.g. by a flush):
        # no entry can point at it yet, so it gives way.
        ContentType.objects.filter(app_label=app_label, model='implementationplan').delete()
        old.app_label = app_label
        old.save(update_fields=['app_label'])
    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('programs', '0001_initial'),
        ('reporting', '0004_implementation_plan_to_plans'),
        ('units', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImplementationPlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name='ID')),
                        ('file', models.FileField(upload_to=plans.models.plan_upload_path)),
                        ('original_name', models.CharField(max_length=255)),
                        ('size', models.PositiveIntegerField()),
                        ('content_type', models.CharField(max_length=100)),
                        ('document_number', models.CharField(blank=True, max_length=60,
                                                             verbose_name='document number')),
                        ('issued_on', models.DateField(verbose_name='issued on')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                        ('deadline', models.ForeignKey(blank=True, null=True,
                                                       on_delete=django.db.models.deletion.SET_NULL,
                                                       related_name='plans', to='programs.deadline')),
                        ('program', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                      related_name='plans', to='programs.program')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                   related_name='plans', to='units.unit')),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                          related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'reporting_implementationplan',
                        'ordering': ['-uploaded_at', '-id'],
                        'verbose_name': 'Implementation plan',
                        'verbose_name_plural': 'Implementation plans',
                        'indexes': [models.Index(fields=['program', 'unit'], name='reporting_i_program_a81ca9_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to('plans'), content_type_to('reporting')),
    ]
