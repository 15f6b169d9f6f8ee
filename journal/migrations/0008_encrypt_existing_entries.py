from django.db import migrations

from core.fields import decrypt_existing_rows, encrypt_existing_rows


def encrypt(apps, schema_editor):
    Entry = apps.get_model("journal", "Entry")
    encrypt_existing_rows(Entry)


def decrypt(apps, schema_editor):
    decrypt_existing_rows(apps.get_model("journal", "Entry"), schema_editor)


class Migration(migrations.Migration):
    """Seal the text written before it was encrypted (README, "Encryption at rest")."""

    dependencies = [
        ("accounts", "0005_data_key"),
        ("journal", "0007_encrypt_entry_text"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt, elidable=True)]
