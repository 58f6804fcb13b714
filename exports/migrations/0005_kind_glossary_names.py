"""The document kinds take the glossary's names: "yearly" -> "yearly_review", "term" ->
"term_review" (issue #13). The stored narratives follow; going back restores the old names."""

from django.db import migrations, models

NEW_NAMES = {"yearly": "yearly_review", "term": "term_review"}


def rename(apps, names):
    Narrative = apps.get_model("exports", "Narrative")
    for old, new in names.items():
        Narrative.objects.filter(kind=old).update(kind=new)


def forwards(apps, schema_editor):
    rename(apps, NEW_NAMES)


def backwards(apps, schema_editor):
    rename(apps, {new: old for old, new in NEW_NAMES.items()})


class Migration(migrations.Migration):

    dependencies = [
        ('exports', '0004_verbose_names'),
    ]

    operations = [
        migrations.AlterField(
            model_name='narrative',
            name='kind',
            field=models.CharField(choices=[('yearly_review', 'yearly evaluation'), ('term_review', '5-year review')], max_length=20, verbose_name='kind of document'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
