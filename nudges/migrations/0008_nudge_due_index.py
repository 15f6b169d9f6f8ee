from django.db import migrations, models

TABLE = "nudges_nudgedelivery"


def leave_room_on_each_page(apps, schema_editor):
    """Half of each new page stays free for the rows' later versions: the sender's two writes
    a nudge then stay on the row's page, with no new index entries (HOT updates)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET (fillfactor = 50)")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("nudges", "0007_delivery_one_user_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="nudgedelivery",
            name="nudge_unfinished",
        ),
        migrations.AddIndex(
            model_name="nudgedelivery",
            index=models.Index(fields=["due_at"], name="nudge_due"),
        ),
        migrations.RunPython(leave_room_on_each_page, fill_pages),
    ]
