from django.db import migrations

from core.fields import encrypt_existing_rows


def encrypt(apps, schema_editor):
    Entry = apps.get_model("journal", "Entry")
    encrypt_existing_rows(Entry)


class Migration(migrations.Migration):
    """Seal the text written before it was encrypted (README, "Encryption at rest")."""

    dependencies = [
        ("accounts", "0003_data_key"),
        ("journal", "0007_encrypt_entry_text"),
    ]

    # No way back: the text stays sealed (decrypt it with the app if you must).
    operations = [migrations.RunPython(encrypt, elidable=True)]
