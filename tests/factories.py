import re
import time
from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.utils import timezone

from accounts.models import User

PASSWORD = "a-long-enough-passphrase"
# The authenticator app's key of every TherapistFactory user (base32, as apps take it).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# A gratitude entry's every field beyond its user and day, in text that trips up exports:
# quotes, a comma, a line break, accents and a symbol.
EVERY_GRATITUDE_FIELD = {
    "moment_kinds": ["caring", "funny"],
    "moments": 'Sang "our" song,\nbadly',
    "why": "Ünïcode and emoji ✓",
    "told_partner": True,
    "is_private": True,
    "lesson_slug": "accentuate-the-positive",
}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Sequence(lambda n: f"User {n}")
    time_zone = "Europe/London"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Users have confirmed their email unless built with verified=False."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class TherapistFactory(UserFactory):
    """A therapist with two-step login set up (an authenticator app with TOTP_SECRET), as
    every therapist has before they can open a client's pages; two_step=False for one
    without."""

    role = User.Role.THERAPIST

    @factory.post_generation
    def two_step(self, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(self, TOTP_SECRET)


def emailed_code(body: str) -> str:
    """The code in the body of an email that confirms an address: the line that is only it."""
    return re.search(r"^([0-9A-Z]+(?:-[0-9A-Z]+)+)$", body, re.M).group(1)


def totp_code(secret: str = TOTP_SECRET, *, lasting: float = 0) -> str:
    """The code an authenticator app with `secret` shows now (RFC 6238, 30-second steps).

    With `lasting`, one the app will still show for that many seconds: if the code is about
    to change, wait for the next, as a person typing it does. The server takes only the
    current step's code (allauth's MFA_TOTP_TOLERANCE is 0), so a code typed just before the
    change and checked just after it is refused."""
    left = 30 - time.time() % 30
    if left < lasting:
        time.sleep(left)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


class EntryFactory(factory.django.DjangoModelFactory):
    """What every kind's entry has: its writer, and today in the writer's zone as its day."""

    class Meta:
        model = "journal.Entry"

    user = factory.SubFactory(UserFactory)
    day = factory.LazyAttribute(lambda e: e.user.local_today())


class GratitudeFactory(EntryFactory):
    kind = "gratitude"
    moment_kinds = factory.LazyFunction(lambda: ["caring"])
    moments = factory.Sequence(lambda n: f"Brought me coffee #{n}")
    why = "They notice what I need"


class BidFactory(EntryFactory):
    kind = "bid"
    made_by = "partner"
    what = factory.Sequence(lambda n: f"Showed me a photo #{n}")
    response = "toward"


class ApologyFactory(EntryFactory):
    kind = "apology"
    acknowledgement = "I'm sorry I went quiet when you wanted to talk."
    empathy = "I know that left you feeling alone."
    reassurance = "You matter to me."
    status = "draft"


class BreakFactory(EntryFactory):
    """A break that ends in an hour, with the message the tool wrote."""

    kind = "break"
    return_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
    partner_message = "I need a break to calm down. I'll come back to this at 20:00."


class UrgeFactory(EntryFactory):
    kind = "urge"
    strength = 7
    trigger = "They asked about moving in"
    story = "They want too much from me"
    action = "withdrew"
    is_private = True


class CheckInFactory(EntryFactory):
    kind = "check_in"
    went_well = "We cooked together on Sunday"
    next_week = "A walk on Saturday morning"


class FourAbilitiesFactory(EntryFactory):
    kind = "four_abilities"
    ratings = factory.LazyFunction(lambda: [3] * 20)
    scores = factory.LazyFunction(
        lambda: {"seeking_care": 3.0, "giving_care": 3.0, "autonomy": 3.0, "negotiating": 3.0}
    )


class LoveLanguagesFactory(EntryFactory):
    kind = "love_languages"
    my_order = factory.LazyFunction(lambda: ["time", "words", "touch", "acts", "gifts"])
    their_order = factory.LazyFunction(lambda: ["acts", "time", "words", "gifts", "touch"])
    suggested_act = "Fix the small broken thing they keep mentioning."


class RungFactory(EntryFactory):
    kind = "rung"
    rung_text = factory.Sequence(lambda n: f"Tell a friend about a worry #{n}")
    who = "friend"
    position = factory.Sequence(lambda n: n + 1)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "lessons.Module"

    slug = factory.Sequence(lambda n: f"module-{n}")
    title = factory.Sequence(lambda n: f"Module {n}")
    summary = "A short module."
    position = factory.Sequence(lambda n: n + 1)


class LessonFactory(factory.django.DjangoModelFactory):
    """A published lesson whose practice is a reflection unless built with practice_kind."""

    class Meta:
        model = "lessons.Lesson"

    module = factory.SubFactory(ModuleFactory)
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    title = factory.Sequence(lambda n: f"Lesson {n}")
    summary = "A short lesson."
    body_html = "<p>Body</p>"
    why_it_matters = "Because."
    practice_kind = "reflection"
    practice_title = "Practice"
    practice_instructions = "Write it down."
    practice_question = factory.LazyAttribute(
        lambda lesson: "What did you notice?" if lesson.practice_kind == "reflection" else ""
    )
    position = factory.Sequence(lambda n: n + 1)
    word_count = 300
