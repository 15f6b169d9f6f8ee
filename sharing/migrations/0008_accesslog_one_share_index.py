import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0007_outbox_digest_due_at"),
    ]

    # Only the index goes: Django's AlterField would also drop the foreign key and add it
    # back, checking every row of the table under its lock.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="accesslog",
                    name="share",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="access_logs",
                        to="sharing.share",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "sharing_accesslog_share_id_d84414b5"',
                    reverse_sql='CREATE INDEX "sharing_accesslog_share_id_d84414b5" ON sharing_accesslog(share_id)',
                ),
            ],
        ),
    ]
