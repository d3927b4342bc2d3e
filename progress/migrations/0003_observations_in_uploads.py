# The observations moved to the uploads app (same table): re-point the two plain-id references, in state only.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0002_lean_indexes"),
        ("uploads", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="progress",
                    name="actual_observation",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="uploads.observation",
                    ),
                ),
                migrations.AlterField(
                    model_name="progress",
                    name="baseline_observation",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="uploads.observation",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
