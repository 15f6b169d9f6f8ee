from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from core.fields import EncryptedTextField
from journal.kinds import KINDS
from lessons.models import Lesson
from outbox.models import QueuedDelivery

PROGRESS_SCOPE = ("share_progress", "Lesson progress")
# What a client can share: each kind of entry under its own flag (the kinds registry,
# journal/kinds/), then their lesson progress. (flag, label) in the order the sharing page
# lists them.
SCOPES = [(kind.scope, kind.scope_label) for kind in KINDS.values()] + [PROGRESS_SCOPE]
SCOPE_FIELDS = [flag for flag, _ in SCOPES]


class Share(models.Model):
    """A client's grant to one therapist: what they may read, from which day, until revoked."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Active"
        REVOKED = "revoked", "Revoked by the client"
        ENDED = "ended", "Ended by the therapist"

    # The database deletes (or empties) what hangs off a share with it, in the same statement:
    # its invitations and access log go with the client's account (DB_CASCADE all the way).
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="shares_given"
    )
    # Empty until the invitation is accepted; kept empty if the therapist deletes their account.
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DB_SET_NULL,
        null=True,
        blank=True,
        related_name="shares_received",
    )
    invited_email = models.EmailField()
    for _flag, _label in SCOPES:
        locals()[_flag] = models.BooleanField(_label.lower(), default=False)
    del _flag, _label
    shared_from = models.DateField(help_text="Entries about earlier days stay unshared.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    therapist_last_visit_at = models.DateTimeField(null=True, blank=True)
    comments_allowed = models.BooleanField(
        "let them comment", default=True, help_text="Off: no new messages on any entry."
    )
    # The range the therapist last prepared a session for, offered again next time.
    prep_start = models.DateField(null=True, blank=True)
    prep_end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["therapist", "status"], name="share_therapist_status"),
            models.Index(fields=["client", "status"], name="share_client_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["invited", "active", "revoked", "ended"]),
                name="share_status_valid",
            ),
            models.UniqueConstraint(
                fields=["client", "therapist"],
                condition=Q(status="active"),
                name="share_one_active_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(client=F("therapist")), name="share_not_with_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} → {self.therapist or self.invited_email} ({self.status})"

    @property
    def kinds(self) -> list[str]:
        """The entry kinds this share opens, in the journal's order."""
        return [value for value, kind in KINDS.items() if getattr(self, kind.scope)]

    @property
    def scopes(self) -> dict[str, bool]:
        return {flag: getattr(self, flag) for flag in SCOPE_FIELDS}

    @property
    def scope_labels(self) -> list[str]:
        return [label.lower() for flag, label in SCOPES if getattr(self, flag)]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def declined(self) -> bool:
        """The invited therapist said no: it ended without ever opening
        (services.invitation_decline)."""
        return self.status == self.Status.ENDED and not self.accepted_at


class Invitation(models.Model):
    """The emailed link to a Share. Only a hash of its token is kept, so a database copy
    cannot be used to accept it."""

    share = models.ForeignKey(Share, on_delete=models.DB_CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.email}"


class AccessLog(models.Model):
    """A therapist's read of a client's data, as the client sees it in their access log.

    A page that shows entries is one row per read. The list of clients, which a therapist may
    open many times a day, is one row per therapist, client and day (the client's local day,
    which the log's "that day" means), counting the visits from `created_at` to `last_at`.
    The app never changes a row otherwise; rows older than ACCESS_LOG_RETENTION_DAYS are
    deleted (services.access_logs_expire).
    """

    share = models.ForeignKey(
        Share,
        on_delete=models.DB_CASCADE,  # deleted with the client's account, by the database
        related_name="access_logs",
        db_index=False,  # accesslog_share_time starts with the share: one index, not two
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+"
    )
    # Who it was as the client knew them then, kept if the therapist's account goes.
    who = models.CharField(max_length=320)
    what = models.CharField(max_length=200)
    path = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    # One row a day for the list of clients: the day, how many visits, and the last one.
    daily = models.BooleanField(default=False)
    day = models.DateField(null=True, blank=True)
    count = models.PositiveIntegerField(default=1)
    last_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["share", "-created_at"], name="accesslog_share_time"),
            models.Index(fields=["created_at"], name="accesslog_time"),  # for the retention
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["share", "therapist", "day"],
                condition=Q(daily=True),
                name="accesslog_one_daily_row",
            ),
            models.CheckConstraint(
                condition=Q(daily=False) | Q(day__isnull=False), name="accesslog_daily_has_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.who} opened {self.what} at {self.created_at:%Y-%m-%d %H:%M}"


class Comment(models.Model):
    """One message in the conversation between a client and one therapist on one entry.

    The therapist starts it with a comment; the client can reply and the therapist answer.
    `therapist` names whose conversation it is, so a client's reply to Bob is never shown
    to another therapist who reads the same entry.
    """

    entry = models.ForeignKey("journal.Entry", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing_comments"
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Sealed with the journal owner's key, whoever wrote it: the conversation is about their
    # entry, and deleting their account forgets all of it (README, "Encryption at rest").
    body = EncryptedTextField(owner="entry.user_id")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    read_by_client_at = models.DateTimeField(null=True, blank=True)
    # The client's replies, read by the therapist (their own comments are read as written).
    read_by_therapist_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["entry", "therapist"], name="comment_thread")]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.entry}"

    @property
    def was_edited(self) -> bool:
        return (self.updated_at - self.created_at).total_seconds() > 1

    @property
    def by_therapist(self) -> bool:
        return self.author_id == self.therapist_id


class CommentsOff(models.Model):
    """The client turned comments off for this entry: no new messages from anyone."""

    entry = models.OneToOneField(
        "journal.Entry", on_delete=models.CASCADE, related_name="comments_off"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "comments off"

    def __str__(self) -> str:
        return f"Comments off on {self.entry}"


class ClientInvitation(models.Model):
    """A therapist's emailed invitation to a client. It shares nothing: the client chooses
    what to share and confirms, or declines, or ignores it. Only a hash of the token is kept."""

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="client_invitations"
    )
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    # The therapist took it back, or sent a new one in its place ("Resend").
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    share = models.ForeignKey(Share, on_delete=models.DB_SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.therapist} invites {self.email}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        """Where the invitation stands, in the therapist's words."""
        if self.used_at:
            return "answered"
        if self.withdrawn_at:
            return "withdrawn"
        if self.declined_at:
            return "declined"
        if self.is_expired:
            return "expired, nothing shared"
        return "waiting for an answer"

    @property
    def can_resend(self) -> bool:
        return not (self.used_at or self.withdrawn_at or self.declined_at)

    @property
    def can_withdraw(self) -> bool:
        return self.can_resend and not self.is_expired


class NoticePreference(models.Model):
    """Which content-free emails a user wants. Each `*_since` is when it was last turned
    on, so the first email counts only what came after."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference"
    )
    comments_email = models.BooleanField(default=False)
    comments_since = models.DateTimeField(null=True, blank=True)
    entries_email = models.BooleanField(default=False)
    entries_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Email notices for {self.user}"


class DigestDelivery(QueuedDelivery):
    """One notice email for one recipient, kind and local date: the claim, then its outcome.
    It is due when claimed (`due_at`)."""

    class Kind(models.TextChoices):
        COMMENTS = "comments", "New comments, to the client"
        ENTRIES = "entries", "Newly shared entries, to the therapist"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    local_date = models.DateField()
    # What the email said, as counts only: {"entries": 2} or {"<share id>": 3, ...}.
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "digest deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "local_date"], name="digest_once_per_user_kind_day"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["comments", "entries"]), name="digest_kind_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "queued_at"],
                name="digest_unfinished",
                condition=Q(status__in=["claimed", "sending"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user} on {self.local_date}: {self.status}"


class SessionNote(models.Model):
    """A therapist's own note about one client's session on one day. Never shown to the
    client; exported for the therapist; deleted with either account."""

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="session_notes"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    session_date = models.DateField("session date")
    body = EncryptedTextField("note", owner="therapist_id")  # the therapist's own writing
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-session_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["therapist", "client", "session_date"], name="session_note_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.therapist}'s note on {self.client}, {self.session_date}"


class TalkAbout(models.Model):
    """The client flagged this entry "talk about this" in a session. Seen only by a therapist
    whose share opens the entry."""

    entry = models.OneToOneField(
        "journal.Entry", on_delete=models.CASCADE, related_name="talk_about"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Talk about {self.entry}"


class Homework(models.Model):
    """A therapist's suggestion to a client: one lesson or one practice tool (an entry kind),
    with a short note and an optional date. The client accepts it or sets it aside; it is
    done when they finish the lesson or write an entry of that kind after it was suggested."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        ACCEPTED = "accepted", "Accepted"
        SET_ASIDE = "set_aside", "Set aside"

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="homework_given"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="homework"
    )
    lesson_slug = models.SlugField(max_length=200, blank=True)  # a lesson, by its slug
    kind = models.CharField(max_length=20, blank=True)  # a practice tool: an entry kind
    note = EncryptedTextField(max_length=300, blank=True, owner="client_id")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client", "status"], name="homework_client_status")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="") & ~Q(lesson_slug="")) | (Q(lesson_slug="") & ~Q(kind="")),
                name="homework_lesson_or_tool",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["suggested", "accepted", "set_aside"]),
                name="homework_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.therapist} suggests {self.title} to {self.client}"

    @cached_property
    def lesson(self):
        """The suggested lesson, if it is one and still published."""
        if not self.lesson_slug:
            return None
        return Lesson.objects.filter(slug=self.lesson_slug).first()

    @property
    def title(self) -> str:
        if self.lesson_slug:
            return f"the lesson “{self.lesson.title}”" if self.lesson else "a lesson"
        return KINDS[self.kind].practice_label if self.kind in KINDS else self.kind

    @property
    def url(self) -> str:
        if self.lesson_slug:
            return self.lesson.get_absolute_url() if self.lesson else reverse("lessons:path")
        return reverse(KINDS[self.kind].new_page)

    @property
    def tool(self):
        """The practice tool's kind (its where-this-stops line), when it is one."""
        return KINDS.get(self.kind)


class ShareMessage(models.Model):
    """One message in the conversation between a client and one therapist about their
    sharing as a whole, rather than about one entry."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    by_therapist = models.BooleanField()
    body = EncryptedTextField(owner="client_id")  # as comments: the client's deletion forgets it
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)  # by the other person

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["client", "therapist"], name="sharemessage_pair")]

    def __str__(self) -> str:
        return f"Message between {self.client} and {self.therapist}"
