from django.conf import settings
from django.db import models
from django.db.models import Q

from core.fields import EncryptedTextField

from . import kinds
from .kinds import BID, KINDS, NEGATIVE, POSITIVE, ApologyStatus, MadeBy, Response, field_choices


class EntryQuerySet(models.QuerySet):
    def positive(self):
        """Entries that count toward the positive side of the ratio (see journal.kinds)."""
        return self.filter(kinds.moment_condition(POSITIVE))

    def negative(self):
        return self.filter(kinds.moment_condition(NEGATIVE))


class LiveEntryManager(models.Manager.from_queryset(EntryQuerySet)):
    """Entries the user has not deleted (deleted ones wait a few minutes for undo)."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Entry(models.Model):
    """One journal entry of any kind; the fields of the other kinds stay empty."""

    # Indexes are the Meta's, each starting with the user: every write of an entry updates
    # each one, so none is kept that no query reads.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    kind = models.CharField(max_length=20, choices=kinds.CHOICES)
    day = models.DateField(help_text="The day the entry is about, in the user's time zone.")
    lesson_slug = models.SlugField(max_length=80, blank=True, db_index=False)
    is_private = models.BooleanField("keep private", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The one-time token of the form the entry was made from (journal.forms.OneEntryForm),
    # so the same form sent twice (a double tap, a retried POST) makes one entry. Null for
    # entries made otherwise (a seeded journal, an old tab whose form had none).
    submission = models.UUIDField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    # The fields of every kind, as the kinds declare them (journal/kinds/). The practice
    # tools' columns are here too, and take their choices from the tools' declarations.
    # Every free text is stored encrypted with the owner's key (EncryptedTextField).
    # Gratitude.
    moment_kinds = models.JSONField(default=list, blank=True)
    moments = EncryptedTextField(blank=True)
    why = EncryptedTextField(blank=True)
    told_partner = models.BooleanField(default=False)

    # Bid for connection.
    made_by = models.CharField(max_length=10, choices=MadeBy.choices, blank=True)
    at_time = models.TimeField(null=True, blank=True)
    what = EncryptedTextField(blank=True)
    response = models.CharField(max_length=10, choices=Response.choices, blank=True)
    note = EncryptedTextField(blank=True)

    # Apology.
    acknowledgement = EncryptedTextField(blank=True)
    empathy = EncryptedTextField(blank=True)
    reassurance = EncryptedTextField(blank=True)
    why_it_happened = EncryptedTextField(blank=True)
    next_time = EncryptedTextField(blank=True)
    their_needs = EncryptedTextField(blank=True)
    status = models.CharField(max_length=12, choices=ApologyStatus.choices, blank=True)
    follow_up = EncryptedTextField(blank=True)

    # Break: when they said they would be back, their message to the partner, did they go,
    # and when they called it off (null for a break that ran its course).
    return_at = models.DateTimeField(null=True, blank=True)
    partner_message = EncryptedTextField(blank=True)
    went_back = models.CharField(max_length=8, choices=field_choices("went_back"), blank=True)
    called_off_at = models.DateTimeField(null=True, blank=True)

    # Urge to leave (its "anything else that helped" is `note`).
    strength = models.PositiveSmallIntegerField(null=True, blank=True)
    trigger = EncryptedTextField(blank=True)
    story = EncryptedTextField(blank=True)
    action = models.CharField(max_length=20, choices=field_choices("action"), blank=True)
    helped = models.JSONField(default=list, blank=True)

    # Answer to the day's question: the question as it was asked, and the answer.
    question = EncryptedTextField(blank=True)
    answer = EncryptedTextField(blank=True)

    # Weekly check-in: last week's plan as it was then, whether it happened, the five steps.
    last_plan = EncryptedTextField(blank=True)
    plan_happened = models.CharField(
        max_length=8, choices=field_choices("plan_happened"), blank=True
    )
    plan_note = EncryptedTextField(blank=True)
    went_well = EncryptedTextField(blank=True)
    felt_distant = EncryptedTextField(blank=True)
    need = EncryptedTextField(blank=True)
    appreciation = EncryptedTextField(blank=True)
    next_week = EncryptedTextField(blank=True)

    # Four abilities self-check: the mean rating per ability, and every rating in order.
    scores = models.JSONField(default=dict, blank=True)
    ratings = models.JSONField(default=list, blank=True)

    # Love languages: the five keys in order, for oneself and for the other person.
    my_order = models.JSONField(default=list, blank=True)
    their_order = models.JSONField(default=list, blank=True)
    suggested_act = EncryptedTextField(blank=True)

    # A rung of the vulnerability ladder: ordered by position, ticked with how it went.
    rung_text = EncryptedTextField(blank=True)
    who = models.CharField(max_length=8, choices=field_choices("who"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    done_on = models.DateField(null=True, blank=True)
    how_it_went = EncryptedTextField(blank=True)
    feeling_before = models.PositiveSmallIntegerField(null=True, blank=True)
    feeling_after = models.PositiveSmallIntegerField(null=True, blank=True)

    with_deleted = models.Manager()
    objects = LiveEntryManager()

    class Meta:
        verbose_name_plural = "entries"
        ordering = ["-day", "-created_at"]
        default_manager_name = "objects"
        base_manager_name = "with_deleted"
        indexes = [
            models.Index(fields=["user", "-day", "-created_at"], name="entry_user_day"),
            models.Index(fields=["user", "kind", "-day"], name="entry_user_kind_day"),
            models.Index(
                fields=["deleted_at"], name="entry_deleted", condition=Q(deleted_at__isnull=False)
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "submission"],
                condition=Q(submission__isnull=False),
                name="entry_one_per_submission",
            ),
            models.CheckConstraint(condition=Q(kind__in=list(KINDS)), name="entry_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind=BID.value)
                | Q(response__in=Response.values, made_by__in=MadeBy.values),
                name="entry_bid_has_response",
            ),
            models.CheckConstraint(
                condition=~Q(kind="apology") | Q(status__in=ApologyStatus.values),
                name="entry_apology_has_status",
            ),
            models.CheckConstraint(
                condition=~Q(kind="break") | Q(return_at__isnull=False),
                name="entry_break_has_return",
            ),
            models.CheckConstraint(
                condition=~Q(kind="urge") | Q(strength__gte=1, strength__lte=10),
                name="entry_urge_strength_1_to_10",
            ),
            models.CheckConstraint(
                condition=~Q(kind="rung") | Q(who__in=[value for value, _ in field_choices("who")]),
                name="entry_rung_has_who",
            ),
            models.CheckConstraint(
                condition=(Q(feeling_before__isnull=True) | Q(feeling_before__lte=10))
                & (Q(feeling_after__isnull=True) | Q(feeling_after__lte=10)),
                name="entry_feelings_0_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.day:%Y-%m-%d}"

    @property
    def spec(self) -> kinds.EntryKind:
        """This entry's kind, as it is declared (journal/kinds/)."""
        return KINDS[self.kind]

    @property
    def moment(self) -> str | None:
        """'positive', 'negative' or None: how the entry counts toward the 5:1 ratio."""
        return self.spec.moment_of(self.__dict__)

    @property
    def is_positive(self) -> bool:
        return self.moment == POSITIVE

    def assembled(self, name: str) -> str:
        """The fields that are parts of `name` (the apology), as one text in their order."""
        parts = [f.name for f in self.spec.fields if f.part_of == name]
        return "\n\n".join(getattr(self, part) for part in parts if getattr(self, part))

    @property
    def assembled_apology(self) -> str:
        """The apology as the user would say it, in the order the steps teach."""
        return self.assembled("apology")

    @property
    def tell_them_text(self) -> str:
        """A gratitude entry's words, as the user sends them with the share sheet."""
        return "\n\n".join(part for part in (self.moments, self.why) if part)

    @property
    def headline(self) -> str:
        """A one-line summary for lists: the kind's first headline field with a value."""
        for name in self.spec.headline:
            value, field = getattr(self, name), self.spec.get(name)
            if field.input == "choices":
                value = ", ".join(field.words_for(v, "you") for v in value)
            elif field.input != "text":
                value = field.text_of(value)
            if value:
                return value
        return ""


class DailyQuestion(models.Model):
    """The question a user is offered on one local day, the same all day.

    `cycle` counts the user's passes through the deck: no question comes back within one.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="daily_questions"
    )
    day = models.DateField()
    question_id = models.CharField(max_length=8)
    cycle = models.PositiveIntegerField(default=1)
    skipped_at = models.DateTimeField(null=True, blank=True)
    answer = models.OneToOneField(
        Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="dailyquestion_one_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.day:%Y-%m-%d} · {self.question_id}"


class SearchWord(models.Model):
    """One word of an entry's text, as a keyed hash of its owner's (journal/search.py).

    The text itself is encrypted, so SQL cannot search it; these numbers can be matched
    exactly, and mean nothing without the owner's key. They go with the entry.
    """

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+", db_index=False)
    token = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["token", "entry"], name="searchword_token_entry")]
        constraints = [
            models.UniqueConstraint(fields=["entry", "token"], name="searchword_once_per_entry")
        ]

    def __str__(self) -> str:
        return f"A word of entry {self.entry_id}"
