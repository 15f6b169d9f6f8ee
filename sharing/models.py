from django.conf import settings
from django.db import models
from django.db.models import F, Q

from journal.kinds import KINDS

PROGRESS_SCOPE = ("share_progress", "Lesson progress")
# What a client can share: each kind of entry under its own flag (journal/kinds.py), then
# their lesson progress. (flag, label) in the order the sharing page lists them.
SCOPES = [(kind.scope, kind.scope_label) for kind in KINDS.values()] + [PROGRESS_SCOPE]
SCOPE_FIELDS = [flag for flag, _ in SCOPES]


class Share(models.Model):
    """A client's grant to one therapist: what they may read, from which day, until revoked."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Active"
        REVOKED = "revoked", "Revoked by the client"
        ENDED = "ended", "Ended by the therapist"

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shares_given"
    )
    # Empty until the invitation is accepted; kept empty if the therapist deletes their account.
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
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


class Invitation(models.Model):
    """The emailed link to a Share. Only a hash of its token is kept, so a database copy
    cannot be used to accept it."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="invitations")
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
    """One read of a client's data by a therapist. Written once, never changed by the app."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="access_logs")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Who it was as the client knew them then, kept if the therapist's account goes.
    who = models.CharField(max_length=320)
    what = models.CharField(max_length=200)
    path = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["share", "-created_at"], name="accesslog_share_time")]

    def __str__(self) -> str:
        return f"{self.who} opened {self.what} at {self.created_at:%Y-%m-%d %H:%M}"


class Comment(models.Model):
    """A therapist's note on one of their client's shared entries."""

    entry = models.ForeignKey("journal.Entry", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing_comments"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    read_by_client_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.entry}"

    @property
    def was_edited(self) -> bool:
        return (self.updated_at - self.created_at).total_seconds() > 1
