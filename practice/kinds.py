"""Every kind of journal entry, declared once.

A kind lists its fields in order. Each field says how the form asks for it, what it is
called in each voice (the owner's pages, the owner's printout, the therapist's pages), and
whether it is editable, searchable, exported and shown to a therapist. The kind says how it
counts toward the 5:1 ratio and which share scope opens it. Forms, services, search, export,
print, the entry pages and cards, insights, the share scopes and the lessons' practice kinds
all read from here: adding a field is one edit below plus a migration.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q, TextChoices
from django.utils.dateformat import format as date_format

from . import tool_content


class Words(NamedTuple):
    """One label in the three voices a journal is read in."""

    you: str  # the owner, on their own pages
    i: str  # the owner's printout, in the first person
    they: str  # the therapist, reading a client's entry

    @classmethod
    def same(cls, text: str) -> "Words":
        return cls(text, text, text)


VOICES = Words._fields


class MomentKind(TextChoices):
    CARING = "caring", "Caring"
    FUNNY = "funny", "Funny"
    HELPFUL = "helpful", "Helpful"
    CONSIDERATE = "considerate", "Considerate"
    SMALL = "small", "A small thing"


class MadeBy(TextChoices):
    PARTNER = "partner", "My partner"
    ME = "me", "Me"


class Response(TextChoices):
    TOWARD = "toward", "Turned toward"
    AWAY = "away", "Turned away"
    AGAINST = "against", "Turned against"


class WentBack(TextChoices):
    YES = "yes", "Yes, I went back"
    LATER = "later", "Later than I said"
    NO = "no", "Not yet"


class UrgeAction(TextChoices):
    STAYED = "stayed_and_said_so", "I stayed and said what was going on"
    BREAK = "took_a_break", "I took a break and said when I'd be back"
    WITHDREW = "withdrew", "I went quiet or withdrew"
    LEFT = "left_the_room", "I left the room"
    OTHER = "other", "Something else"


class Helped(TextChoices):
    BREATHING = "breathing", "Slow breathing"
    MOVING = "moving", "Moving my body"
    TALKING = "talking", "Talking to someone"
    WRITING = "writing", "Writing it down"
    WAITING = "waiting", "Waiting it out"
    ALSO_TRUE = "also_true", "Remembering what is also true about them"


class Who(TextChoices):
    FRIEND = "friend", "A friend"
    FAMILY = "family", "Family"
    PARTNER = "partner", "Partner"
    ANYONE = "anyone", "Anyone"


# "Did last week's plan happen?": the choices as journal/content/check_in.yaml words them.
PlanHappened = TextChoices(
    "PlanHappened",
    [(key.upper(), (key, label)) for key, label in tool_content.check_in().happened_choices],
)


class ApologyStatus(TextChoices):
    DRAFT = "draft", "Draft"
    GIVEN = "given", "Given"
    FOLLOWED_UP = "followed_up", "Followed up"


POSITIVE, NEGATIVE = "positive", "negative"


@dataclass(frozen=True)
class Field:
    """One field of a kind. `name` is the Entry column that stores it.

    `input` is how the form asks for it: text, choices (tick any), radio, select, checkbox,
    time. Fields a tool fills in itself (editable=False) may also be scores (a self-check's
    result per ability), ratings (its answers), order (keys, first to last), feeling (0 to
    10), date, or position (a place in a list: stored and exported, never shown).
    `part_of` names the kind's assembled text this field is a paragraph of (the
    apology is shown as one text, not as six fields). `card` is the line a list card shows
    for a ticked checkbox.
    """

    name: str
    question: str
    label: Words
    input: str = "text"
    required: bool = False
    help_text: str = ""
    placeholder: str = ""
    rows: int = 3
    choices: type[TextChoices] | None = None
    choice_words: dict[str, Words] = field(default_factory=dict)
    editable: bool = True
    exported: bool = True
    shown_to_therapist: bool = True
    part_of: str = ""
    card: Words | None = None
    initial: str = ""

    @property
    def searchable(self) -> bool:
        return self.input == "text"

    def words_for(self, value: str, voice: str) -> str:
        if value in self.choice_words:
            return getattr(self.choice_words[value], voice)
        return dict(self.choices.choices).get(value, "") if self.choices else value

    def text_of(self, value) -> str:
        """A tool's value (scores, ratings, order, feeling, date) as plain text."""
        if value in (None, "", [], {}) or self.input == "position":
            return ""
        if self.input == "scores":
            names = {a.key: a.name for a in tool_content.four_abilities().abilities}
            return " · ".join(f"{names.get(k, k)} {v:.1f}" for k, v in value.items())
        if self.input == "ratings":
            statements = [text for _, _, text in tool_content.four_abilities().statements]
            return "\n".join(
                f"{rating} · {text}" for text, rating in zip(statements, value, strict=False)
            )
        if self.input == "order":
            names = {lang.key: lang.name for lang in tool_content.love_languages().languages}
            return ", ".join(f"{n}. {names.get(k, k)}" for n, k in enumerate(value, start=1))
        if self.input == "feeling":
            return f"{value} of 10"
        if self.input == "date":
            return date_format(value, "j F Y")
        return str(value)


@dataclass(frozen=True)
class Kind:
    """A kind of entry: its fields, its words, its scope and how it counts."""

    value: str
    label: str  # a badge, a filter choice: "Gratitude"
    noun: str  # in a sentence: "gratitude entry"
    practice_label: str  # a lesson's practice of this kind
    practice_action: str  # the lesson's button that opens the form
    url_segment: str  # /journal/<url_segment>/new/
    form_title: str  # the new-entry page's title and heading, and a line under it
    form_heading: str
    form_lead: str
    fields: tuple[Field, ...]
    scope: str  # the Share flag that opens it to a therapist
    scope_label: str
    shared_by_default: bool  # ticked on a new share; a tool's own scope starts off
    headline: tuple[str, ...]  # the first of these with a value heads a list card
    card: tuple[str, ...] = ()  # choice fields shown under the headline, joined by " · "
    # How an entry counts toward the 5:1 ratio: always one way, or by a field's value.
    moment: str = ""
    moment_field: str = ""
    moments: dict[str, str] = field(default_factory=dict)
    # At least one of these fields must be filled; the message goes on the last one.
    one_of: tuple[tuple[str, ...], str, str] | None = None
    assembled: Words | None = None  # the heading of the fields that are `part_of` it
    preview_before_save: bool = False
    safety_note: str = ""  # where this stops applying; the form adds the help link
    saved_to_home: bool = False  # after saving, back to Today rather than to the entry
    private_by_default: bool = False  # "Keep private" starts ticked
    own_pages: bool = False  # the tool has its own new-entry page (journal/views/<tool>.py)
    actions: str = ""  # a template with what can be done on an entry's page (tell them, …)
    # The page a lesson's practice opens, when it is not journal:<value>_new.
    practice_page: str = ""

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def editable_names(self) -> list[str]:
        return [f.name for f in self.fields if f.editable]

    def get(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def moment_condition(self, moment: str) -> Q | None:
        """The entries of this kind that are `moment` (positive or negative), as a Q."""
        if self.moment:
            return Q(kind=self.value) if self.moment == moment else None
        values = [value for value, m in self.moments.items() if m == moment]
        if not values:
            return None
        return Q(kind=self.value, **{f"{self.moment_field}__in": values})

    def moment_of(self, values: dict) -> str | None:
        if self.moment:
            return self.moment
        return self.moments.get(values.get(self.moment_field) or "")


def _text(name, question, label, **options) -> Field:
    return Field(name=name, question=question, label=label, **options)


GRATITUDE = Kind(
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
        Field(
            "moment_kinds",
            "What did they do?",
            Words("What they did", "What they did", "What their partner did"),
            input="choices",
            choices=MomentKind,
        ),
        _text(
            "moments",
            "In a few words",
            Words("In your words", "In my words", "In their words"),
            rows=2,
            placeholder="They made me tea before I asked",
        ),
        _text(
            "why",
            "Why are you glad they are in your life?",
            Words(
                "Why you are glad they are in your life",
                "Why I am glad they are in my life",
                "Why they are glad their partner is in their life",
            ),
            rows=2,
        ),
        Field(
            "told_partner",
            "I told them",
            Words("Told them", "Told them", "Told their partner"),
            input="checkbox",
            card=Words("You told them", "I told them", "Told their partner"),
        ),
    ),
)

BID = Kind(
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
    scope="share_bids",
    scope_label="Bids for connection",
    shared_by_default=True,
    headline=("what",),
    card=("made_by", "response"),
    moment_field="response",
    moments={Response.TOWARD: POSITIVE, Response.AWAY: NEGATIVE, Response.AGAINST: NEGATIVE},
    fields=(
        Field(
            "made_by",
            "Who made the bid?",
            Words.same("Who made the bid"),
            input="radio",
            required=True,
            choices=MadeBy,
            choice_words={
                MadeBy.PARTNER: Words("My partner", "My partner", "Their partner"),
                MadeBy.ME: Words("Me", "Me", "They did"),
            },
        ),
        _text(
            "what",
            "What was the bid?",
            Words.same("The bid"),
            required=True,
            rows=2,
            placeholder="They showed me a photo from their walk",
        ),
        Field(
            "response",
            "How was it answered?",
            Words.same("How it was answered"),
            input="radio",
            required=True,
            choices=Response,
        ),
        Field("at_time", "Roughly when? (optional)", Words.same("When"), input="time"),
        _text("note", "What could you do next time? (optional)", Words.same("Next time"), rows=2),
    ),
)

APOLOGY = Kind(
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
    safety_note="An apology repairs ordinary hurts. If you are the one being hurt or frightened "
    "in this relationship, none of this asks you to take the blame:",
    scope="share_apologies",
    scope_label="Apologies",
    shared_by_default=True,
    headline=("acknowledgement",),
    card=("status",),
    assembled=Words.same("The apology"),
    preview_before_save=True,
    actions="journal/_apology_actions.html",
    one_of=(
        ("reassurance", "why_it_happened", "next_time", "their_needs"),
        "reassurance",
        "Write at least one part of step 3 before saving.",
    ),
    fields=(
        _text(
            "acknowledgement",
            "Step 1 · Acknowledgement: what did you do?",
            Words.same("Acknowledgement"),
            required=True,
            part_of="apology",
            help_text="Name it plainly, without “but”. For example: I'm sorry I went quiet "
            "and left the room when you wanted to talk.",
        ),
        _text(
            "empathy",
            "Step 2 · Empathy: how did it make them feel?",
            Words.same("Empathy"),
            required=True,
            part_of="apology",
            help_text="For example: I know that when I shut down, you feel alone and unimportant.",
        ),
        _text(
            "reassurance",
            "Step 3 · Reassurance: what do you want them to know?",
            Words.same("Reassurance"),
            rows=2,
            part_of="apology",
            help_text="For example: You matter to me and I want us to be close.",
        ),
        _text(
            "why_it_happened",
            "Why it happened (without excusing it)",
            Words.same("Why it happened"),
            rows=2,
            part_of="apology",
        ),
        _text(
            "next_time",
            "What you will do differently next time",
            Words.same("Next time"),
            rows=2,
            part_of="apology",
        ),
        _text(
            "their_needs",
            "Ask what they need from you now",
            Words.same("What they need"),
            rows=2,
            part_of="apology",
            placeholder="What would help you feel better about this?",
        ),
        Field(
            "status",
            "Status",
            Words.same("Status"),
            input="select",
            required=True,
            choices=ApologyStatus,
            initial=ApologyStatus.DRAFT,
        ),
        _text(
            "follow_up",
            "How did it go? (optional)",
            Words.same("How it went"),
            rows=2,
            editable=False,  # written with the status, on the apology's page
        ),
    ),
)

BREAK = Kind(
    value="break",
    label="Break",
    noun="break",
    practice_label="Take a break, and come back",
    practice_action="Plan a break",
    url_segment="breaks",
    form_title="Take a break",
    form_heading="I need a break",
    form_lead="Pick when you will come back. Closer writes a message you can send them, and "
    "reminds you when it is time to go back.",
    scope="share_breaks",
    scope_label="Breaks",
    shared_by_default=False,
    own_pages=True,
    actions="journal/_break_actions.html",
    headline=("partner_message",),
    card=("went_back",),
    safety_note="None of this asks you to stay anywhere you are being hurt, threatened or "
    "frightened. If that is happening, your safety comes first:",
    fields=(
        Field(
            "return_at",
            "When will you come back?",
            Words("You said you would come back", "I said I would come back", "Back by"),
            input="datetime",
            editable=False,
        ),
        _text(
            "partner_message",
            "Your message to them",
            Words("Your message to them", "My message to them", "Their message"),
            rows=4,
        ),
        Field(
            "went_back",
            "Did you go back?",
            Words("Did you go back?", "Did I go back?", "Did they go back?"),
            input="radio",
            choices=WentBack,
            choice_words={
                WentBack.YES: Words("Yes, you went back", "Yes, I went back", "Yes"),
                WentBack.LATER: Words("Later than you said", "Later than I said", "Later"),
                WentBack.NO: Words("Not yet", "Not yet", "Not yet"),
            },
        ),
        _text("note", "How did it go? (optional)", Words.same("How it went"), rows=2),
    ),
)

URGE = Kind(
    value="urge",
    label="Urge to leave",
    noun="urge to leave",
    practice_label="Log an urge to leave",
    practice_action="Log an urge to leave",
    url_segment="urges",
    form_title="The urge to leave",
    form_heading="I want out",
    form_lead="Use this when you want out: of a conversation, a plan, or the relationship "
    "itself. Writing it down takes a minute and puts a gap between the urge and whatever you "
    "do next.",
    scope="share_urges",
    scope_label="Urges to leave",
    shared_by_default=False,
    private_by_default=True,
    actions="journal/_urge_actions.html",
    headline=("trigger", "story"),
    card=("action",),
    safety_note="If you want out because someone is hurting, threatening or frightening you, "
    "that is not an urge to manage. It is a reason to get safe, and to get help:",
    fields=(
        Field(
            "strength",
            "How strong is the pull? (1 to 10)",
            Words("How strong (1 to 10)", "How strong (1 to 10)", "How strong (1 to 10)"),
            input="scale",
            required=True,
            help_text="1 is a passing thought, 10 the strongest pull you have felt. Go with "
            "your first number.",
        ),
        _text(
            "trigger",
            "What set it off?",
            Words.same("What set it off"),
            rows=2,
            help_text="What happened just before? A request, a plan, a look, a quiet evening. "
            "Stick to what a camera would have seen.",
        ),
        _text(
            "story",
            "The story you told yourself about them",
            Words(
                "The story you told yourself",
                "The story I told myself",
                "The story they told themselves",
            ),
            rows=2,
            help_text="For example “They're too needy” or “This is never going to work”. Write "
            "it the way it sounded in your head.",
        ),
        Field(
            "action",
            "What did you do?",
            Words("What you did", "What I did", "What they did"),
            input="radio",
            choices=UrgeAction,
        ),
        Field(
            "helped",
            "What helped?",
            Words.same("What helped"),
            input="choices",
            choices=Helped,
        ),
        _text(
            "note",
            "Anything else that helped? (optional)",
            Words.same("Also helped"),
            rows=2,
        ),
    ),
)

ANSWER = Kind(
    value="answer",
    label="Question of the day",
    noun="answer",
    practice_label="A question a day",
    practice_action="See today's question",
    url_segment="questions",
    form_title="Today's question",
    form_heading="Today's question",
    form_lead="Answer it for yourself, ask them, or skip it: all three are fine.",
    scope="share_answers",
    scope_label="Answers to the daily question",
    shared_by_default=False,
    own_pages=True,
    headline=("question",),
    fields=(
        _text(
            "question",
            "The question",
            Words.same("The question"),
            editable=False,
        ),
        _text(
            "answer",
            "Your answer",
            Words("Your answer", "My answer", "Their answer"),
            required=True,
            rows=4,
        ),
    ),
)


def _check_in_step(key: str) -> Field:
    step = tool_content.check_in().step(key)
    return _text(key, step.prompt, Words(step.title, step.title, step.title), rows=3)


CHECK_IN = Kind(
    value="check_in",
    label="Weekly check-in",
    noun="weekly check-in",
    practice_label="Weekly check-in",
    practice_action="Start the weekly check-in",
    url_segment="check-in",
    form_title="Weekly check-in",
    form_heading="Your weekly check-in",
    form_lead=tool_content.check_in().intro,
    scope="share_check_ins",
    scope_label="Weekly check-ins",
    shared_by_default=False,
    own_pages=True,
    headline=("went_well", "next_week", "need", "appreciation", "felt_distant"),
    card=("plan_happened",),
    fields=(
        _text(
            "last_plan",
            "Last week's plan",
            Words("Last week's plan", "Last week's plan", "Their plan from the week before"),
            rows=2,
            editable=False,
        ),
        Field(
            "plan_happened",
            "Did it happen?",
            Words("Did it happen?", "Did it happen?", "Did it happen?"),
            input="radio",
            choices=PlanHappened,
            choice_words={
                value: Words(f"Last week's plan: {label.lower()}", label, label)
                for value, label in PlanHappened.choices
            },
        ),
        _text(
            "plan_note",
            tool_content.check_in().follow_up,
            Words.same("What got in the way"),
            rows=2,
        ),
        *(_check_in_step(step.key) for step in tool_content.check_in().steps),
    ),
)

FOUR_ABILITIES = Kind(
    value="four_abilities",
    label="Four abilities self-check",
    noun="four abilities self-check",
    practice_label="Four abilities self-check",
    practice_action="Take the four abilities self-check",
    url_segment="self-checks/four-abilities",
    form_title="The four abilities",
    form_heading="The four abilities: a self-check",
    form_lead=tool_content.four_abilities().not_a_diagnosis,
    scope="share_four_abilities",
    scope_label="Four abilities self-checks",
    shared_by_default=False,
    own_pages=True,
    headline=("scores",),
    fields=(
        Field(
            "scores",
            "Your four abilities",
            Words(
                "Your four abilities (1 to 5)",
                "My four abilities (1 to 5)",
                "Four abilities (1 to 5)",
            ),
            input="scores",
            editable=False,
        ),
        Field(
            "ratings",
            "Your ratings",
            Words("Your ratings", "My ratings", "Their ratings"),
            input="ratings",
            editable=False,
        ),
    ),
)

LOVE_LANGUAGES = Kind(
    value="love_languages",
    label="Love languages",
    noun="love languages order",
    practice_label="Love languages",
    practice_action="Put the love languages in order",
    url_segment="self-checks/love-languages",
    form_title="Love languages",
    form_heading="Love languages",
    form_lead=tool_content.love_languages().intro,
    scope="share_love_languages",
    scope_label="Love languages",
    shared_by_default=False,
    own_pages=True,
    headline=("suggested_act",),
    fields=(
        Field(
            "my_order",
            "Your order",
            Words("Your order", "My order", "Their own order"),
            input="order",
            editable=False,
        ),
        Field(
            "their_order",
            "Their order, as you see it",
            Words(
                "Their order, as you see it",
                "Their order, as I see it",
                "The other person's order, as they see it",
            ),
            input="order",
            editable=False,
        ),
        _text(
            "suggested_act",
            "One thing to do this week",
            Words.same("One thing to do this week"),
            editable=False,
        ),
    ),
)

RUNG = Kind(
    value="rung",
    label="Ladder rung",
    noun="rung",
    practice_label="Vulnerability ladder",
    practice_action="Open your ladder",
    url_segment="ladder",
    form_title="A rung of your ladder",
    form_heading="A rung of your ladder",
    form_lead=tool_content.ladder().intro,
    safety_note=tool_content.ladder().safety,
    scope="share_ladder",
    scope_label="Vulnerability ladder",
    shared_by_default=False,
    own_pages=True,
    practice_page="journal:ladder",
    headline=("rung_text",),
    card=("who",),
    fields=(
        _text(
            "rung_text",
            "What will you share?",
            Words.same("The rung"),
            required=True,
            rows=2,
            placeholder="Tell a friend about a worry instead of saying I'm fine",
        ),
        Field(
            "who",
            "Who with?",
            Words.same("Who with"),
            input="radio",
            required=True,
            choices=Who,
            initial=Who.FRIEND,
        ),
        Field("position", "Place", Words.same("Place"), input="position", editable=False),
        Field(
            "done_on",
            "Done on",
            Words.same("Done on"),
            input="date",
            editable=False,
            card=Words.same("Done"),
        ),
        _text("how_it_went", "How did it go?", Words.same("How it went"), rows=3, editable=False),
        Field(
            "feeling_before",
            "How nervous were you before? (0 to 10)",
            Words.same("How nervous before (0 to 10)"),
            input="feeling",
            editable=False,
        ),
        Field(
            "feeling_after",
            "And after? (0 to 10)",
            Words.same("How nervous after (0 to 10)"),
            input="feeling",
            editable=False,
        ),
    ),
)

KINDS: dict[str, Kind] = {
    kind.value: kind
    for kind in (
        GRATITUDE,
        BID,
        APOLOGY,
        BREAK,
        URGE,
        ANSWER,
        CHECK_IN,
        FOUR_ABILITIES,
        LOVE_LANGUAGES,
        RUNG,
    )
}
CHOICES = [(kind.value, kind.label) for kind in KINDS.values()]
# A lesson's practice is a kind of entry or a reflection (an answer kept with the lesson).
REFLECTION = "reflection"
PRACTICE_CHOICES = [(k.value, k.practice_label) for k in KINDS.values()] + [
    (REFLECTION, "Reflection")
]


def moment_condition(moment: str) -> Q:
    """Every kind's entries that count as `moment` (positive or negative), as one Q."""
    condition = Q(pk__in=[])
    for kind in KINDS.values():
        part = kind.moment_condition(moment)
        if part is not None:
            condition |= part
    return condition


def moment_of(kind: str, values: dict) -> str | None:
    """'positive', 'negative' or None for an entry of `kind` with these field values."""
    return KINDS[kind].moment_of(values) if kind in KINDS else None


def moment_fields() -> list[str]:
    """The fields any kind's ratio rule reads, so a count query can group by them."""
    return sorted({k.moment_field for k in KINDS.values() if k.moment_field})


def counted_kinds() -> set[str]:
    """The kinds that can count toward the 5:1 ratio."""
    return {k.value for k in KINDS.values() if k.moment or k.moments}


def searchable_fields() -> list[str]:
    names: list[str] = []
    for kind in KINDS.values():
        names += [f.name for f in kind.fields if f.searchable and f.name not in names]
    return names


def exported_fields() -> set[str]:
    return {f.name for kind in KINDS.values() for f in kind.fields if f.exported}
