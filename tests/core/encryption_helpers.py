"""Writing a marker into every free text of the app, and reading what the database holds."""

from django.db import connection

from journal.kinds import KINDS
from journal.models import Entry
from lessons import services as lesson_services
from sharing import services as sharing_services
from sharing.models import Comment
from tests import factories

OLD_MASTER = "b2xkLW1hc3Rlci1rZXktZm9yLXRlc3RzLW9ubHktMzI"
NEW_MASTER = "bmV3LW1hc3Rlci1rZXktZm9yLXRlc3RzLW9ubHktMzI"
FACTORIES = {
    "gratitude": factories.GratitudeFactory,
    "bid": factories.BidFactory,
    "apology": factories.ApologyFactory,
    "break": factories.BreakFactory,
    "urge": factories.UrgeFactory,
    "check_in": factories.CheckInFactory,
    "four_abilities": factories.FourAbilitiesFactory,
    "love_languages": factories.LoveLanguagesFactory,
    "rung": factories.RungFactory,
}


def plant_everything(owner, therapist, *, marker: str) -> list[tuple]:
    """An entry of every kind with `marker` in each of its texts, a comment and a reply on one,
    and a reflection: (model, pk, field, text) for each text written."""
    planted = []
    for value, kind in KINDS.items():
        texts = {f.name: f"{marker}-{value}-{f.name}" for f in kind.fields if f.input == "text"}
        factory = FACTORIES.get(value, factories.EntryFactory)
        entry = factory(user=owner, kind=value, **texts)
        planted += [(Entry, entry.pk, name, text) for name, text in texts.items()]
    for author in (therapist, owner):
        comment = sharing_services.comment_create(
            entry=entry, author=author, therapist=therapist, body=f"{marker}-comment-{author.pk}"
        )
        planted.append((Comment, comment.pk, "body", comment.body))
    lesson = factories.LessonFactory(slug=f"reflect-{owner.pk}")
    reflection = lesson_services.reflection_save(
        user=owner, lesson=lesson, answer=f"{marker}-reflection"
    )
    planted.append((type(reflection), reflection.pk, "answer", reflection.answer))
    return planted


def stored(model, pk: int, field: str) -> str:
    """The column as the database holds it, past the field's decryption."""
    table, column = model._meta.db_table, model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s", [pk]
        )
        return cursor.fetchone()[0]
