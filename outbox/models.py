"""What every message the app sends on its own has in common: its states and columns.

Each purpose keeps its rows in a table of its own (the daily nudge, the check-in and break
reminders, the therapist's notices), a concrete model on these abstract ones.
"""

from django.db import models


class DeliveryStatus(models.TextChoices):
    """Where a message the app sends on its own stands, whatever its purpose
    (outbox/services.py): claimed, taken by a sender, then one outcome."""

    WAITING = "waiting", "Waiting for its time"  # scheduled ahead; may still be cancelled
    CLAIMED = "claimed", "Waiting"  # due, and queued for a sender
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not sent"
    SKIPPED = "skipped", "Skipped"
    CANCELLED = "cancelled", "Cancelled"


class Delivery(models.Model):
    """One message for one user and occasion: the claim, then the log of its outcome."""

    Status = DeliveryStatus

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    due_at = models.DateTimeField(help_text="The instant it is for.")
    sending_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the last try failed.")

    class Meta:
        abstract = True


class QueuedDelivery(Delivery):
    """A delivery a dispatcher creates once it is due and hands to a send task."""

    claimed_at = models.DateTimeField()
    queued_at = models.DateTimeField(help_text="When a send task was last queued for it.")

    class Meta:
        abstract = True
