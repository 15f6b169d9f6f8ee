import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("nudges", "0006_outbox_delivery_states"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Only the index goes: Django's AlterField would also drop the foreign key and add it
    # back, checking every row of the table under its lock.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="nudgedelivery",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="nudge_deliveries",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "nudges_nudgedelivery_user_id_5e4b28be"',
                    reverse_sql='CREATE INDEX "nudges_nudgedelivery_user_id_5e4b28be" ON nudges_nudgedelivery(user_id)',
                ),
            ],
        ),
    ]
