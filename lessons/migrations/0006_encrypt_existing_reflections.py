from django.db import migrations

from core.fields import encrypt_existing_rows


def encrypt(apps, schema_editor):
    Reflection = apps.get_model("lessons", "Reflection")
    encrypt_existing_rows(Reflection)


class Migration(migrations.Migration):
    """Seal the text written before it was encrypted (README, "Encryption at rest")."""

    dependencies = [
        ("accounts", "0003_data_key"),
        ("lessons", "0005_encrypt_reflection_answer"),
    ]

    # No way back: the text stays sealed (decrypt it with the app if you must).
    operations = [migrations.RunPython(encrypt, elidable=True)]
