from django.db import migrations

from core.fields import decrypt_existing_rows, encrypt_existing_rows


def encrypt(apps, schema_editor):
    Reflection = apps.get_model("lessons", "Reflection")
    encrypt_existing_rows(Reflection)


def decrypt(apps, schema_editor):
    decrypt_existing_rows(apps.get_model("lessons", "Reflection"), schema_editor)


class Migration(migrations.Migration):
    """Seal the text written before it was encrypted (README, "Encryption at rest")."""

    dependencies = [
        ("accounts", "0005_data_key"),
        ("lessons", "0005_encrypt_reflection_answer"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt, elidable=True)]
