from django.db import migrations, models


def _threads_of_existing_comments(apps, schema_editor):
    """Every comment so far was a therapist's own: each starts that therapist's thread."""
    Comment = apps.get_model("sharing", "Comment")
    Comment.objects.filter(therapist__isnull=True).update(therapist=models.F("author"))


class Migration(migrations.Migration):
    dependencies = [("sharing", "0003_therapist_workspace")]

    operations = [migrations.RunPython(_threads_of_existing_comments, migrations.RunPython.noop)]
