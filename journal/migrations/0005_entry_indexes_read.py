import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0004_tools_over_weeks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="entry",
            name="lesson_slug",
            field=models.SlugField(blank=True, db_index=False, max_length=80),
        ),
        # Only the index goes: Django's AlterField would also drop the foreign key and add it
        # back, checking every entry under the table's lock.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="entry",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entries",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "journal_entry_user_id_286e1456"',
                    reverse_sql='CREATE INDEX "journal_entry_user_id_286e1456" '
                    "ON journal_entry (user_id)",
                ),
            ],
        ),
    ]
