"""DocumentBuild becomes the stored document built by the job worker (exports.jobs), instead of a
slot held while a request built it. Its old rows were builds in progress: nothing to keep."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exports', '0005_kind_glossary_names'),
        ('programs', '0001_initial'),
        ('units', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.DeleteModel(name='DocumentBuild'),
        migrations.CreateModel(
            name='DocumentBuild',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('yearly_review', 'yearly evaluation'), ('term_review', '5-year review')], max_length=20, verbose_name='kind of document')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('format', models.CharField(max_length=10, verbose_name='file format')),
                ('source', models.CharField(max_length=200, verbose_name='built from')),
                ('state', models.CharField(choices=[('queued', 'waiting for its turn'), ('building', 'being built'), ('done', 'ready'), ('failed', 'could not be built')], default='queued', max_length=10, verbose_name='state')),
                ('requested_at', models.DateTimeField(db_index=True, verbose_name='asked for at')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('file', models.FileField(blank=True, upload_to='documents/%Y/', verbose_name='file')),
                ('filename', models.CharField(blank=True, max_length=200, verbose_name='file name')),
                ('title', models.CharField(blank=True, max_length=500, verbose_name='title')),
                ('data_stamp', models.CharField(blank=True, max_length=300, verbose_name='data stamp')),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.program', verbose_name='program')),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='asked for by')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='units.unit', verbose_name='unit')),
            ],
            options={
                'verbose_name': 'document build',
                'verbose_name_plural': 'document builds',
                'constraints': [models.UniqueConstraint(fields=('program', 'unit', 'kind', 'year', 'format', 'source'), name='document_build_once')],
            },
        ),
        ]
