from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    GRATITUDE = "gratitude", "Gratitude"
    BID = "bid", "Bid for connection"
    APOLOGY = "apology", "Apology"


class MomentKind(models.TextChoices):
    CARING = "caring", "Caring"
    FUNNY = "funny", "Funny"
    HELPFUL = "helpful", "Helpful"
    CONSIDERATE = "considerate", "Considerate"
    SMALL = "small", "A small thing"


class MadeBy(models.TextChoices):
    PARTNER = "partner", "My partner"
    ME = "me", "Me"


class Response(models.TextChoices):
    TOWARD = "toward", "Turned toward"
    AWAY = "away", "Turned away"
    AGAINST = "against", "Turned against"


class ApologyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    GIVEN = "given", "Given"
    FOLLOWED_UP = "followed_up", "Followed up"


class EntryQuerySet(models.QuerySet):
    def positive(self):
        """Gratitude entries and bids turned toward count towards the positive ratio."""
        return self.filter(Q(kind=Kind.GRATITUDE) | Q(kind=Kind.BID, response=Response.TOWARD))

    def negative(self):
        return self.filter(kind=Kind.BID, response__in=[Response.AWAY, Response.AGAINST])


class LiveEntryManager(models.Manager.from_queryset(EntryQuerySet)):
    """Entries the user has not deleted (deleted ones wait a few minutes for undo)."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Entry(models.Model):
    """One journal entry of any kind; the fields of the other kinds stay empty."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    day = models.DateField(help_text="The day the entry is about, in the user's time zone.")
    lesson_slug = models.SlugField(max_length=80, blank=True)
    is_private = models.BooleanField("keep private", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    # Gratitude: what the partner did, why the user is grateful, whether they said so.
    moment_kinds = models.JSONField(default=list, blank=True)
    moments = models.TextField(blank=True)
    why = models.TextField(blank=True)
    told_partner = models.BooleanField(default=False)

    # Bid for connection.
    made_by = models.CharField(max_length=10, choices=MadeBy.choices, blank=True)
    at_time = models.TimeField(null=True, blank=True)
    what = models.TextField(blank=True)
    response = models.CharField(max_length=10, choices=Response.choices, blank=True)
    note = models.TextField(blank=True)

    # Apology: acknowledgement, empathy and the four parts of restitution.
    acknowledgement = models.TextField(blank=True)
    empathy = models.TextField(blank=True)
    reassurance = models.TextField(blank=True)
    why_it_happened = models.TextField(blank=True)
    next_time = models.TextField(blank=True)
    their_needs = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=ApologyStatus.choices, blank=True)
    follow_up = models.TextField(blank=True)

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
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="entry_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind=Kind.BID)
                | Q(response__in=Response.values, made_by__in=MadeBy.values),
                name="entry_bid_has_response",
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.APOLOGY) | Q(status__in=ApologyStatus.values),
                name="entry_apology_has_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.day:%Y-%m-%d}"

    @property
    def is_positive(self) -> bool:
        return self.kind == Kind.GRATITUDE or (
            self.kind == Kind.BID and self.response == Response.TOWARD
        )

    @property
    def moment_kind_labels(self) -> list[str]:
        labels = dict(MomentKind.choices)
        return [labels[value] for value in self.moment_kinds if value in labels]

    @property
    def restitution_parts(self) -> list[str]:
        return [
            p
            for p in (self.reassurance, self.why_it_happened, self.next_time, self.their_needs)
            if p
        ]

    @property
    def assembled_apology(self) -> str:
        """The apology as the user would say it, in the order the steps teach."""
        return "\n\n".join(
            p for p in (self.acknowledgement, self.empathy, *self.restitution_parts) if p
        )

    @property
    def headline(self) -> str:
        """A one-line summary for lists."""
        if self.kind == Kind.GRATITUDE:
            return self.moments or ", ".join(self.moment_kind_labels)
        if self.kind == Kind.BID:
            return self.what
        return self.acknowledgement
