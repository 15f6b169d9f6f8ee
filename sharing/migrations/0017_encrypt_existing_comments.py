from django.db import migrations

from core.fields import decrypt_existing_rows, encrypt_existing_rows


def encrypt(apps, schema_editor):
    Comment = apps.get_model("sharing", "Comment")
    encrypt_existing_rows(Comment, owner="entry__user_id")


def decrypt(apps, schema_editor):
    decrypt_existing_rows(apps.get_model("sharing", "Comment"), schema_editor)


class Migration(migrations.Migration):
    """Seal the text written before it was encrypted (README, "Encryption at rest")."""

    dependencies = [
        ("accounts", "0005_data_key"),
        ("sharing", "0016_encrypt_comment_body"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt, elidable=True)]
