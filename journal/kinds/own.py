"""The journal's own kinds: gratitude, bids for connection and apologies.

They are the kinds the 5:1 ratio counts; journal/kinds/__init__.py registers them first.
"""

from django.db.models import TextChoices

from . import NEGATIVE, POSITIVE, EntryField, EntryKind, Words


class MomentKind(TextChoices):
    CARING = "caring", "Caring"
    FUNNY = "funny", "Funny"
    HELPFUL = "helpful", "Helpful"
    CONSIDERATE = "considerate", "Considerate"
    SMALL = "small", "A small thing"


class MadeBy(TextChoices):
    PARTNER = "partner", "My partner"
    ME = "me", "Me"
    SOMEONE = "someone", "Someone close"  # a friend or family: a reader may have no partner


class Response(TextChoices):
    TOWARD = "toward", "Turned toward"
    AWAY = "away", "Turned away"
    AGAINST = "against", "Turned against"


class ApologyStatus(TextChoices):
    DRAFT = "draft", "Draft"
    GIVEN = "given", "Given"
    FOLLOWED_UP = "followed_up", "Followed up"


GRATITUDE = EntryKind(
    value="gratitude",
    label="Gratitude",
    noun="gratitude entry",
    practice_label="Gratitude entry",
    practice_action="Write a gratitude entry",
    url_segment="gratitude",
    form_title="Gratitude",
    form_heading="Something your partner did",
    form_lead="Notice one thing, however small. Noticing is the practice.",
    saved_to_home=True,
    actions="journal/_gratitude_actions.html",
    safety_note="This is for people who treat you well. If someone close hurts, controls or "
    "frightens you, you owe them no thanks:",
    scope="share_gratitude",
    scope_label="Gratitude entries",
    shared_by_default=True,
    headline=("moments", "moment_kinds"),
    moment=POSITIVE,
    one_of=(
        ("moment_kinds", "moments"),
        "moments",
        "Tap what they did, or write a few words about it.",
    ),
    fields=(
        EntryField(
            "moment_kinds",
            "What did they do?",
            Words("What they did", "What they did", "What their partner did"),
            input="choices",
            choices=MomentKind,
        ),
        EntryField(
            "moments",
            "In a few words",
            Words("In your words", "In my words", "In their words"),
            rows=2,
            placeholder="They made me tea before I asked",
        ),
        EntryField(
            "why",
            "Why are you glad they are in your life?",
            Words(
                "Why you are glad they are in your life",
                "Why I am glad they are in my life",
                "Why they are glad their partner is in their life",
            ),
            rows=2,
        ),
        EntryField(
            "told_partner",
            "I told them",
            Words("Told them", "Told them", "Told their partner"),
            input="checkbox",
            card=Words("You told them", "I told them", "Told their partner"),
        ),
    ),
)

BID = EntryKind(
    value="bid",
    label="Bid for connection",
    noun="bid for connection",
    practice_label="Bid for connection",
    practice_action="Note a bid for connection",
    url_segment="bids",
    form_title="Log a bid",
    form_heading="Log a bid for connection",
    form_lead="A bid is any small reach for attention, warmth or help: a look, a question, "
    "a story, a touch. Missed ones you notice later count too.",
    safety_note="Turning toward is for safe moments. If someone close hurts, controls or "
    "frightens you, keeping yourself safe comes first:",
    scope="share_bids",
    scope_label="Bids for connection",
    shared_by_default=True,
    headline=("what",),
    card=("made_by", "response"),
    moment_field="response",
    moments={Response.TOWARD: POSITIVE, Response.AWAY: NEGATIVE, Response.AGAINST: NEGATIVE},
    fields=(
        EntryField(
            "made_by",
            "Who made the bid?",
            Words.same("Who made the bid"),
            input="radio",
            required=True,
            required_message="Pick who made the bid.",
            choices=MadeBy,
            choice_words={
                MadeBy.PARTNER: Words("My partner", "My partner", "Their partner"),
                MadeBy.ME: Words("Me", "Me", "They did"),
                MadeBy.SOMEONE: Words("Someone close", "Someone close", "Someone close to them"),
            },
        ),
        EntryField(
            "what",
            "What was the bid?",
            Words.same("The bid"),
            required=True,
            required_message="Write what the bid was: a few words are enough.",
            rows=2,
            placeholder="They showed me a photo from their walk",
        ),
        EntryField(
            "response",
            "How was it answered?",
            Words.same("How it was answered"),
            input="radio",
            required=True,
            required_message="Pick how it was answered.",
            choices=Response,
        ),
        EntryField("at_time", "Roughly when? (optional)", Words.same("When"), input="time"),
        EntryField(
            "note", "What could you do next time? (optional)", Words.same("Next time"), rows=2
        ),
    ),
)

APOLOGY = EntryKind(
    value="apology",
    label="Apology",
    noun="apology",
    practice_label="Apology",
    practice_action="Plan your apology",
    url_segment="apologies",
    form_title="Build an apology",
    form_heading="Build an apology",
    form_lead="Three steps: say what you did, show you understand how it felt, then make it "
    "right. You will see the whole apology before you save it.",
    safety_note="An apology repairs ordinary hurts. If someone close hurts, controls or "
    "frightens you, the blame is not yours:",
    scope="share_apologies",
    scope_label="Apologies",
    shared_by_default=True,
    headline=("acknowledgement",),
    card=("status",),
    assembled=Words.same("The apology"),
    preview_before_save=True,
    actions="journal/_apology_actions.html",
    actions_context="journal.views.entries.apology_actions",
    one_of=(
        ("reassurance", "why_it_happened", "next_time", "their_needs"),
        "reassurance",
        "Write at least one part of step 3 before saving.",
    ),
    fields=(
        EntryField(
            "acknowledgement",
            "Step 1 · Acknowledgement: what did you do?",
            Words.same("Acknowledgement"),
            required=True,
            required_message="Write what you did: step 1 needs a line.",
            part_of="apology",
            help_text="Name it plainly, without “but”. For example: I'm sorry I went quiet "
            "and left the room when you wanted to talk.",
        ),
        EntryField(
            "empathy",
            "Step 2 · Empathy: how did it make them feel?",
            Words.same("Empathy"),
            required=True,
            required_message="Write how it made them feel: step 2 needs a line.",
            part_of="apology",
            help_text="For example: I know that when I shut down, you feel alone and unimportant.",
        ),
        EntryField(
            "reassurance",
            "Step 3 · Reassurance: what do you want them to know?",
            Words.same("Reassurance"),
            rows=2,
            part_of="apology",
            help_text="For example: You matter to me and I want us to be close.",
        ),
        EntryField(
            "why_it_happened",
            "Why it happened (without excusing it)",
            Words.same("Why it happened"),
            rows=2,
            part_of="apology",
        ),
        EntryField(
            "next_time",
            "What you will do differently next time",
            Words.same("Next time"),
            rows=2,
            part_of="apology",
        ),
        EntryField(
            "their_needs",
            "Ask what they need from you now",
            Words.same("What they need"),
            rows=2,
            part_of="apology",
            placeholder="What would help you feel better about this?",
        ),
        EntryField(
            "status",
            "Status",
            Words.same("Status"),
            input="select",
            required=True,
            required_message="Pick where this apology stands.",
            choices=ApologyStatus,
            initial=ApologyStatus.DRAFT,
        ),
        EntryField(
            "follow_up",
            "How did it go? (optional)",
            Words.same("How it went"),
            rows=2,
            editable=False,  # written with the status, on the apology's page
        ),
    ),
)
