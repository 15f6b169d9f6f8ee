from django.db import migrations

from core.fields import encrypt_existing_rows


def encrypt(apps, schema_editor):
    Comment = apps.get_model("sharing", "Comment")
    encrypt_existing_rows(Comment, owner="entry__user_id")


class Migration(migrations.Migration):
    """Seal the text written before it was encrypted (README, "Encryption at rest")."""

    dependencies = [
        ("accounts", "0003_data_key"),
        ("sharing", "0012_encrypt_comment_body"),
    ]

    # No way back: the text stays sealed (decrypt it with the app if you must).
    operations = [migrations.RunPython(encrypt, elidable=True)]
