from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.fields import EncryptedTextField
from outbox.models import QueuedDelivery

# What may pass through a link, declared once: (field, label, what it does, on at first).
# The reader who made the link turns each on or off; nothing else ever passes.
SWITCHES = [
    (
        "question_on",
        "The day's question for two",
        "You both get the same question. Each answer stays hidden until you have both answered.",
        True,
    ),
    (
        "breaks_on",
        "My breaks",
        "When you take a break, their Today says when you will be back, and that you are back "
        "once you say so. Never why.",
        False,
    ),
    (
        "appreciation_on",
        "Appreciation",
        "From a gratitude entry you choose, its words can go to their Today. They can react "
        "with one tap.",
        False,
    ),
    (
        "plan_on",
        "The check-in plan",
        "The one plan you agree on when you do the weekly check-in together, for both to see "
        "until the next one.",
        False,
    ),
]
SWITCH_FIELDS = [name for name, *_ in SWITCHES]


class Link(models.Model):
    """A reader's link with their partner: made by the reader, confirmed by the partner,
    ended by either at once. Only a hash of the invitation's token is kept."""

    class Status(models.TextChoices):
        INVITED = "invited", "Waiting for them"
        ACTIVE = "active", "Linked"
        ENDED = "ended", "Ended"

    # Empty only on an ended link whose reader deleted their account, kept so that the
    # partner is still told "the link has ended" (services.links_end_for_leaving_user).
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        related_name="partner_links_made",
    )
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_links_joined",
    )
    # Empty for a link the reader hands over themselves; else only that address can confirm.
    invited_email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Who has still to be told "the link has ended" (the one who did not end it), once.
    ended_tell = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Each person's own choice: an email, without content, when something new arrives.
    reader_notices = models.BooleanField(default=False)
    partner_notices = models.BooleanField(default=False)
    for _name, _label, _help, _default in SWITCHES:
        locals()[_name] = models.BooleanField(_label, default=_default, help_text=_help)
    del _name, _label, _help, _default

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["invited", "active", "ended"]), name="link_status_valid"
            ),
            models.UniqueConstraint(
                fields=["reader"], condition=Q(status="active"), name="link_one_active_reader"
            ),
            models.UniqueConstraint(
                fields=["partner"], condition=Q(status="active"), name="link_one_active_partner"
            ),
            models.UniqueConstraint(
                fields=["reader"], condition=Q(status="invited"), name="link_one_waiting"
            ),
            models.CheckConstraint(condition=~Q(reader=F("partner")), name="link_not_oneself"),
        ]

    def __str__(self) -> str:
        return f"Link {self.pk} ({self.status})"

    def other(self, user) -> object:
        """The other person on the link, for either of the two."""
        return self.partner if user.pk == self.reader_id else self.reader


class PairQuestion(models.Model):
    """The question both people on a link get on one day (the reader's local day)."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="questions")
    day = models.DateField()
    question_id = models.CharField(max_length=8)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "day"], name="pairquestion_one_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.link_id} · {self.day:%Y-%m-%d} · {self.question_id}"


class PairAnswer(models.Model):
    """One person's answer to the day's question for two, or their skip (empty text)."""

    question = models.ForeignKey(PairQuestion, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(blank=True)  # sealed with the answerer's key
    skipped = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="pairanswer_one_each"),
            models.CheckConstraint(
                condition=Q(skipped=True, text="") | (Q(skipped=False) & ~Q(text="")),
                name="pairanswer_text_or_skip",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer by {self.user_id} to {self.question_id}"


class Appreciation(models.Model):
    """A gratitude entry's words, sent by its writer to the other person's Today."""

    class Reaction(models.TextChoices):
        THANKS = "thanks", "Thank you"
        SMILE = "smile", "Made me smile"
        HEART = "heart", "Warmed my heart"

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="appreciations")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entry = models.OneToOneField("journal.Entry", on_delete=models.CASCADE, related_name="+")
    words = EncryptedTextField(owner="sender_id")  # what was sent, as it was then
    created_at = models.DateTimeField(auto_now_add=True)
    reaction = models.CharField(max_length=10, choices=Reaction.choices, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Appreciation {self.pk} on link {self.link_id}"


class Plan(models.Model):
    """The one plan two people agreed at their weekly check-in together, until the next."""

    link = models.OneToOneField(Link, on_delete=models.CASCADE, related_name="plan")
    text = EncryptedTextField(owner="link.reader_id")  # sealed with the inviter's key
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    agreed_on = models.DateField()

    def __str__(self) -> str:
        return f"Plan of link {self.link_id}"


class NoticeDelivery(QueuedDelivery):
    """The one email a day that says, without content, that something new came through
    the link: the claim, then its outcome (outbox/services.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    local_date = models.DateField()

    class Meta:
        verbose_name_plural = "partner notice deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "local_date"], name="partnernotice_once_per_user_day"
            )
        ]

    def __str__(self) -> str:
        return f"Partner notice for {self.user_id} on {self.local_date}: {self.status}"
