# Upload and Observation now belong to the uploads app (uploads 0001, same tables): forget them here, in state only.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_lean_indexes"),
        ("uploads", "0001_initial"),
        ("progress", "0003_observations_in_uploads"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Observation"),
                migrations.DeleteModel(name="Upload"),
            ],
            database_operations=[],
        ),
    ]
