from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("units", "0005_initial_links")]
    operations = [migrations.DeleteModel(name="UnitParentChange")]
