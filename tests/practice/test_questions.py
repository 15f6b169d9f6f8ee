"""The day's question follows the reader's situation: no partner, no partner questions."""

from datetime import date, timedelta

from practice import questions
from practice.services import question_for_day
from tests.factories import UserFactory


def _questions_over(user, days: int) -> set[str]:
    start = date(2026, 3, 1)
    picked = [
        question_for_day(user=user, day=start + timedelta(days=n), lessons_done=0).question_id
        for n in range(days)
    ]
    return set(picked)


def test_a_single_reader_is_never_offered_a_question_for_partners(db):
    partner_only = {q.id for q in questions.deck().values() if q.partner_only}
    light = [q for q in questions.deck().values() if q.depth == "light"]

    single = _questions_over(UserFactory(situation="single"), len(light))
    together = _questions_over(UserFactory(situation="together"), len(light))

    assert single and not single & partner_only
    assert together & partner_only
