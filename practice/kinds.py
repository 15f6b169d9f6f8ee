"""The practice tools' kinds of entry: breaks, urges, the day's question, the weekly
check-in, the two self-checks and the vulnerability ladder.

Declared here beside the tools and stored as journal entries: practice/apps.py registers
KINDS into the journal's registry (journal/kinds/__init__.py says why from there). The
words come from practice/content/*.yaml.
"""

from django.db.models import TextChoices

from journal.kinds import EntryField, EntryKind, Words

from . import content


class WentBack(TextChoices):
    YES = "yes", "Yes, I went back"
    LATER = "later", "Later than I said"
    NO = "no", "Not yet"


# The answers that say they came back, on time or late: nothing is left to ask.
CAME_BACK = (WentBack.YES, WentBack.LATER)


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


# "Did last week's plan happen?": the choices as practice/content/check_in.yaml words them.
PlanHappened = TextChoices(
    "PlanHappened",
    [(key.upper(), (key, label)) for key, label in content.check_in().happened_choices],
)


def _scores_text(scores: dict[str, float]) -> str:
    names = {a.key: a.name for a in content.four_abilities().abilities}
    return " · ".join(f"{names.get(k, k)} {v:.1f}" for k, v in scores.items())


def _ratings_text(ratings: list[int]) -> str:
    statements = [text for _, _, text in content.four_abilities().statements]
    return "\n".join(
        f"{rating} · {text}" for text, rating in zip(statements, ratings, strict=False)
    )


def _order_text(order: list[str]) -> str:
    names = {lang.key: lang.name for lang in content.love_languages().languages}
    return ", ".join(f"{n}. {names.get(k, k)}" for n, k in enumerate(order, start=1))


BREAK = EntryKind(
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
    actions="practice/_break_actions.html",
    actions_context="practice.views.breaks.break_actions",
    practice_page="practice:break_new",
    headline=("partner_message",),
    card=("went_back",),
    safety_note=content.text("breaks", "safety"),
    fields=(
        EntryField(
            "return_at",
            "When will you come back?",
            Words("You said you would come back", "I said I would come back", "Back by"),
            input="datetime",
            editable=False,
        ),
        EntryField(
            "called_off_at",
            "Called off",
            Words("You called it off", "I called it off", "Called off"),
            input="datetime",
            editable=False,
            card=Words.same("Called off"),
        ),
        EntryField(
            "partner_message",
            "Your message to them",
            Words("Your message to them", "My message to them", "Their message"),
            rows=4,
        ),
        EntryField(
            "went_back",
            "Did you go back?",
            Words("Did you go back?", "Did I go back?", "Did they go back?"),
            input="radio",
            choices=WentBack,
            choice_words={
                WentBack.YES: Words("Yes, you went back", "Yes, I went back", "Yes"),
                WentBack.LATER: Words("Later than you said", "Later than I said", "Later"),
                WentBack.NO: Words.same("Not yet"),
            },
        ),
        EntryField("note", "How did it go? (optional)", Words.same("How it went"), rows=2),
    ),
)

URGE = EntryKind(
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
    private_by_default=True,
    actions="practice/_urge_actions.html",
    actions_context="practice.urges.actions_context",
    headline=("trigger", "story"),
    card=("action",),
    safety_note=content.text("urges", "safety"),
    fields=(
        EntryField(
            "strength",
            "How strong is the pull? (1 to 10)",
            Words.same("How strong (1 to 10)"),
            input="scale",
            required=True,
            help_text="1 is a passing thought, 10 the strongest pull you have felt. Go with "
            "your first number.",
        ),
        EntryField(
            "trigger",
            "What set it off?",
            Words.same("What set it off"),
            rows=2,
            help_text="What happened just before? A request, a plan, a look, a quiet evening. "
            "Stick to what a camera would have seen.",
        ),
        EntryField(
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
        EntryField(
            "action",
            "What did you do?",
            Words("What you did", "What I did", "What they did"),
            input="radio",
            choices=UrgeAction,
        ),
        EntryField(
            "helped",
            "What helped?",
            Words.same("What helped"),
            input="choices",
            choices=Helped,
        ),
        EntryField(
            "note",
            "Anything else that helped? (optional)",
            Words.same("Also helped"),
            rows=2,
        ),
    ),
)

ANSWER = EntryKind(
    value="answer",
    label="Question of the day",
    noun="answer",
    practice_label="A question a day",
    practice_action="See today's question",
    url_segment="questions",
    form_title="Today's question",
    form_heading="Today's question",
    form_lead="Some questions are for you, some for them, some for both. Skipping is always fine.",
    safety_note="Ask only someone who is safe to open up to. If someone close hurts, controls "
    "or frightens you, skip these:",
    scope="share_answers",
    scope_label="Answers to the daily question",
    practice_page="practice:answer_new",
    headline=("question",),
    fields=(
        EntryField(
            "question",
            "The question",
            Words.same("The question"),
            editable=False,
        ),
        EntryField(
            "answer",
            "Your answer",
            Words("Your answer", "My answer", "Their answer"),
            required=True,
            required_message="Write a few words to save an answer, or skip the question: "
            "skipping is fine.",
            rows=4,
        ),
    ),
)


def _check_in_step(key: str) -> EntryField:
    step = content.check_in().step(key)
    return EntryField(key, step.prompt, Words.same(step.title), rows=3)


CHECK_IN = EntryKind(
    value="check_in",
    label="Weekly check-in",
    noun="weekly check-in",
    practice_label="Weekly check-in",
    practice_action="Start the weekly check-in",
    url_segment="check-in",
    form_title="Weekly check-in",
    form_heading="Your weekly check-in",
    form_lead=content.check_in().intro,
    safety_note="A check-in is for a relationship where you feel safe. If someone close hurts, "
    "controls or frightens you, stop:",
    scope="share_check_ins",
    scope_label="Weekly check-ins",
    practice_page="practice:check_in_new",
    headline=("went_well", "next_week", "need", "appreciation", "felt_distant"),
    card=("plan_happened",),
    fields=(
        EntryField(
            "last_plan",
            "Last week's plan",
            Words("Last week's plan", "Last week's plan", "Their plan from the week before"),
            rows=2,
            editable=False,
        ),
        EntryField(
            "plan_happened",
            "Did it happen?",
            Words.same("Did it happen?"),
            input="radio",
            choices=PlanHappened,
            choice_words={
                value: Words(f"Last week's plan: {label.lower()}", label, label)
                for value, label in PlanHappened.choices
            },
        ),
        EntryField(
            "plan_note",
            content.check_in().follow_up,
            Words.same("What got in the way"),
            rows=2,
        ),
        *(_check_in_step(step.key) for step in content.check_in().steps),
    ),
)

FOUR_ABILITIES = EntryKind(
    value="four_abilities",
    label="Four abilities self-check",
    noun="four abilities self-check",
    practice_label="Four abilities self-check",
    practice_action="Take the four abilities self-check",
    url_segment="self-checks/four-abilities",
    form_title="The four abilities",
    form_heading="The four abilities: a self-check",
    form_lead=content.four_abilities().not_a_diagnosis,
    safety_note="This looks at your own habits. If you are struggling, or someone close hurts, "
    "controls or frightens you:",
    scope="share_four_abilities",
    scope_label="Four abilities self-checks",
    practice_page="practice:four_abilities_new",
    headline=("scores",),
    fields=(
        EntryField(
            "scores",
            "Your four abilities",
            Words(
                "Your four abilities (1 to 5)",
                "My four abilities (1 to 5)",
                "Four abilities (1 to 5)",
            ),
            input="scores",
            as_text=_scores_text,
            editable=False,
        ),
        EntryField(
            "ratings",
            "Your ratings",
            Words("Your ratings", "My ratings", "Their ratings"),
            input="ratings",
            as_text=_ratings_text,
            editable=False,
        ),
    ),
)

LOVE_LANGUAGES = EntryKind(
    value="love_languages",
    label="Love languages",
    noun="love languages order",
    practice_label="Love languages",
    practice_action="Put the love languages in order",
    url_segment="self-checks/love-languages",
    form_title="Love languages",
    form_heading="Love languages",
    form_lead=content.love_languages().intro,
    safety_note="Acts of love are for someone safe. If someone close hurts, controls or "
    "frightens you, you owe them none:",
    scope="share_love_languages",
    scope_label="Love languages",
    practice_page="practice:love_languages_new",
    headline=("suggested_act",),
    fields=(
        EntryField(
            "my_order",
            "Your order",
            Words("Your order", "My order", "Their own order"),
            input="order",
            as_text=_order_text,
            editable=False,
        ),
        EntryField(
            "their_order",
            "Their order, as you see it",
            Words(
                "Their order, as you see it",
                "Their order, as I see it",
                "The other person's order, as they see it",
            ),
            input="order",
            as_text=_order_text,
            editable=False,
        ),
        EntryField(
            "suggested_act",
            "One thing to do this week",
            Words.same("One thing to do this week"),
            editable=False,
        ),
    ),
)

RUNG = EntryKind(
    value="rung",
    label="Ladder rung",
    noun="rung",
    practice_label="Vulnerability ladder",
    practice_action="Open your ladder",
    url_segment="ladder",
    form_title="A rung of your ladder",
    form_heading="A rung of your ladder",
    form_lead=content.ladder().intro,
    safety_note=content.ladder().safety,
    scope="share_ladder",
    scope_label="Vulnerability ladder",
    practice_page="practice:ladder",
    headline=("rung_text",),
    card=("who",),
    fields=(
        EntryField(
            "rung_text",
            "What will you share?",
            Words.same("The rung"),
            required=True,
            required_message="Write what you will share: a few words are enough.",
            rows=2,
            placeholder="Tell a friend about a worry instead of saying I'm fine",
        ),
        EntryField(
            "who",
            "Who with?",
            Words.same("Who with"),
            input="radio",
            required=True,
            required_message="Pick who you would share it with.",
            choices=Who,
            initial=Who.FRIEND,
        ),
        EntryField("position", "Place", Words.same("Place"), input="position", editable=False),
        EntryField(
            "done_on",
            "Done on",
            Words.same("Done on"),
            input="date",
            editable=False,
            card=Words.same("Done"),
        ),
        EntryField(
            "how_it_went", "How did it go?", Words.same("How it went"), rows=3, editable=False
        ),
        EntryField(
            "feeling_before",
            "How nervous were you before? (0 to 10)",
            Words.same("How nervous before (0 to 10)"),
            input="feeling",
            editable=False,
        ),
        EntryField(
            "feeling_after",
            "And after? (0 to 10)",
            Words.same("How nervous after (0 to 10)"),
            input="feeling",
            editable=False,
        ),
    ),
)


KINDS = (BREAK, URGE, ANSWER, CHECK_IN, FOUR_ABILITIES, LOVE_LANGUAGES, RUNG)
