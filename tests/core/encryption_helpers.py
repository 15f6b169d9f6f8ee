"""Writing a marker into every free text of the app, and reading what the database holds."""

from datetime import date

from django.db import connection
from django.utils import timezone

from journal.kinds import KINDS
from journal.models import Entry
from lessons import services as lesson_services
from partners import services as partner_services
from partners.models import Link, PairQuestion
from practice import services as practice_services
from sharing import services as sharing_services
from sharing.models import Comment
from tests import factories
from tests.sharing.conftest import make_share

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
    a reflection, the conversation about a share, homework, the therapist's session note, and
    what passes through a partner link: (model, pk, field, text, id of the sealing key's
    owner) for each text written."""
    planted = []
    for value, kind in KINDS.items():
        texts = {f.name: f"{marker}-{value}-{f.name}" for f in kind.fields if f.input == "text"}
        factory = FACTORIES.get(value, factories.EntryFactory)
        entry = factory(user=owner, kind=value, **texts)
        planted += [(Entry, entry.pk, name, text, owner.pk) for name, text in texts.items()]
    for author in (therapist, owner):
        comment = sharing_services.comment_create(
            entry=entry, author=author, therapist=therapist, body=f"{marker}-comment-{author.pk}"
        )
        planted.append((Comment, comment.pk, "body", comment.body, owner.pk))
    lesson = factories.LessonFactory(slug=f"reflect-{owner.pk}")
    draft = practice_services.check_in_draft_keep(
        user=owner, screen=2, answers={"went_well": [f"{marker}-check-in-left-midway"]}
    )
    planted.append((type(draft), draft.pk, "answers_json", draft.answers_json, owner.pk))
    reflection = lesson_services.reflection_save(
        user=owner, lesson=lesson, answer=f"{marker}-reflection"
    )
    planted.append((type(reflection), reflection.pk, "answer", reflection.answer, owner.pk))
    share = make_share(owner, therapist)
    for by_therapist in (True, False):
        message = sharing_services.share_message_create(
            share=share, by_therapist=by_therapist, body=f"{marker}-message-{by_therapist}"
        )
        planted.append((type(message), message.pk, "body", message.body, owner.pk))
    homework = sharing_services.homework_suggest(
        therapist=therapist, client=owner, lesson_slug="", kind="gratitude",
        note=f"{marker}-homework", due_on=None,
    )  # fmt: skip
    planted.append((type(homework), homework.pk, "note", homework.note, owner.pk))
    note = sharing_services.session_note_save(
        therapist=therapist, client=owner, session_date=date(2026, 12, 1), body=f"{marker}-note"
    )
    planted.append((type(note), note.pk, "body", note.body, therapist.pk))
    partner = factories.UserFactory()
    now = timezone.now()
    link = Link.objects.create(
        reader=owner, partner=partner, status=Link.Status.ACTIVE, token_hash=f"t{owner.pk}",
        expires_at=now, accepted_at=now, appreciation_on=True, plan_on=True,
    )  # fmt: skip
    question = PairQuestion.objects.create(link=link, day=now.date(), question_id="q")
    answer = partner_services.pair_answer(question=question, user=owner, text=f"{marker}-answer")
    planted.append((type(answer), answer.pk, "text", answer.text, owner.pk))
    told = factories.GratitudeFactory(user=owner, moments=f"{marker}-told", why=f"{marker}-why")
    planted += [
        (Entry, told.pk, name, getattr(told, name), owner.pk) for name in ("moments", "why")
    ]
    thanks = partner_services.appreciation_send(link=link, entry=told)
    planted.append((type(thanks), thanks.pk, "words", thanks.words, owner.pk))
    plan = partner_services.plan_save(link=link, by=partner, text=f"{marker}-plan")
    planted.append((type(plan), plan.pk, "text", plan.text, owner.pk))
    return planted


def stored(model, pk: int, field: str) -> str:
    """The column as the database holds it, past the field's decryption."""
    table, column = model._meta.db_table, model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s", [pk]
        )
        return cursor.fetchone()[0]
