from datetime import date, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from outbox.models import Delivery, QueuedDelivery

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EVERY_DAY = 0b1111111  # bit d is set when weekday d (Monday = 0) is chosen


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    PUSH = "push", "Browser notification"


class ReminderSchedule(models.Model):
    """When a user wants their daily nudge; `next_due_at` is the next instant in UTC."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_schedule"
    )
    enabled = models.BooleanField(default=True)
    local_time = models.TimeField(default=time(20, 0))
    weekdays = models.PositiveSmallIntegerField(default=EVERY_DAY)
    paused_until = models.DateField(
        null=True, blank=True, help_text="No nudges up to and including this local date."
    )
    skip_if_written = models.BooleanField(default=False)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    # Recomputed from the user's zone and these settings after every nudge and every change;
    # empty while reminders are off. The dispatcher reads only this, through the index below.
    next_due_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["next_due_at"], name="reminder_due", condition=Q(enabled=True))
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekdays__gte=0, weekdays__lte=EVERY_DAY), name="reminder_weekdays_bits"
            ),
            models.CheckConstraint(
                condition=Q(enabled=False) | Q(weekdays__gt=0), name="reminder_enabled_has_days"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminders for {self.user}: {'on' if self.enabled else 'off'}"

    @property
    def weekday_list(self) -> list[int]:
        return [day for day in range(7) if self.weekdays & (1 << day)]

    @property
    def days_label(self) -> str:
        """The chosen days in words: "every day", "on weekdays", "on Monday and Friday"."""
        if self.weekdays == EVERY_DAY:
            return "every day"
        if self.weekdays == 0b0011111:
            return "on weekdays"
        names = [WEEKDAY_NAMES[day] for day in self.weekday_list]
        if len(names) < 2:
            return f"on {''.join(names)}" if names else "on no days"
        return f"on {', '.join(names[:-1])} and {names[-1]}"

    def runs_on(self, day: date) -> bool:
        """True when a nudge belongs on this local date (chosen weekday, not paused)."""
        if self.paused_until and day <= self.paused_until:
            return False
        return bool(self.weekdays & (1 << day.weekday()))


def weekdays_mask(days: list[int]) -> int:
    return sum(1 << day for day in set(days))


# How far back the sweeper and the health check look for nudges still waiting or being sent.
# A nudge is given up two hours after its time, so a sweep every five minutes meets each many
# times; one older than this is left as it is.
UNFINISHED_WITHIN = timedelta(days=1)


class NudgeDelivery(QueuedDelivery):
    """One nudge for one user and local date: the claim, then the log of its outcome."""

    class SkipReason(models.TextChoices):
        WRITTEN = "written", "You had already written that day."
        OFF = "off", "Reminders were turned off."
        PAUSED = "paused", "Reminders were paused for that day."

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="nudge_deliveries",
        db_index=False,  # nudge_once_per_user_day starts with the user: one index, not two
    )
    local_date = models.DateField()
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    skip_reason = models.CharField(max_length=12, choices=SkipReason.choices, blank=True)
    suggestion = models.TextField(blank=True)
    push_fell_back = models.BooleanField(
        default=False, help_text="Browser notification chosen, but no browser could take it."
    )
    failure_shown = models.BooleanField(
        default=False,
        db_default=False,  # rows written by code older than this field (a rolling deploy)
        help_text="The home page has told the user this nudge was not sent.",
    )

    class Meta:
        verbose_name_plural = "nudge deliveries"
        constraints = [
            models.UniqueConstraint(fields=["user", "local_date"], name="nudge_once_per_user_day")
        ]
        # By due time, not by status: the sender writes each nudge's status twice, and a
        # write that changes no indexed column stays on its page (a HOT update, with the
        # table's fillfactor leaving room, migration 0008) instead of adding an entry to
        # every index. The sweeper and the health check read the last UNFINISHED_WITHIN.
        indexes = [models.Index(fields=["due_at"], name="nudge_due")]

    def __str__(self) -> str:
        return f"Nudge for {self.user} on {self.local_date:%Y-%m-%d}: {self.status}"

    @property
    def failure_reason(self) -> str:
        """Why it was not sent, in the user's words rather than the mail server's."""
        for start, reason in FAILURE_REASONS:
            if self.error.startswith(start):
                return reason
        return "The mail server could not take it."


# What the sender and the sweeper write in `error` (nudges/services), and what a user reads.
FAILURE_REASONS = [
    ("Too late to send", "It could not go out within two hours of its time, so we let it go."),
    (
        "The worker stopped",
        "Our server stopped while sending it. We did not try again, in case "
        "it had gone out: you never get the same reminder twice.",
    ),
    ("SMTPRecipientsRefused", "The mail server refused your email address."),
]


class PushSubscription(models.Model):
    """A browser that shows the user's nudges as notifications (a Push API subscription)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    # The push service's address for this browser: a secret, like a password.
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100, help_text="The browser's public key (base64url).")
    auth = models.CharField(max_length=50, help_text="The browser's auth secret (base64url).")
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True, help_text="The last failed try.")

    def __str__(self) -> str:
        return f"Browser notifications for {self.user}"

    @property
    def info(self) -> dict:
        """The subscription in the shape the browser gave it, as pywebpush takes it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class OneOffReminder(Delivery):
    """A reminder sent once at a set instant, by the user's channel: the end of a break.

    `key` names what it is for within its purpose (a break's entry id), so the same thing is
    never reminded twice. It waits for its time (and may be cancelled until then); the
    every-minute run claims it then (nudges/services/one_off.py).
    """

    class Purpose(models.TextChoices):
        BREAK_END = "break_end", "The end of a break"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_off_reminders"
    )
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    key = models.CharField(max_length=40)
    # The entry it is about, if any (a break): deleted with it, so no reminder outlives
    # what it was for.
    entry = models.ForeignKey(
        "journal.Entry",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        max_length=10, choices=Delivery.Status.choices, default=Delivery.Status.WAITING
    )
    channel = models.CharField(max_length=8, choices=Channel.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose", "key"], name="oneoffreminder_once_per_thing"
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"], name="oneoffreminder_waiting", condition=Q(status="waiting")
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} for {self.user} at {self.due_at:%Y-%m-%d %H:%M}"


class CheckInReminder(models.Model):
    """When a user wants the weekly check-in reminder: one weekday and time, in their zone.
    Kept apart from the daily ReminderSchedule so each can be turned off on its own."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_in_reminder"
    )
    enabled = models.BooleanField(default=True)
    weekday = models.PositiveSmallIntegerField(default=6)  # Monday = 0
    local_time = models.TimeField(default=time(19, 0))
    next_due_at = models.DateTimeField(null=True, blank=True)  # UTC; empty while off
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_due_at"], name="check_in_reminder_due", condition=Q(enabled=True)
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="check_in_reminder_weekday"
            )
        ]

    def __str__(self) -> str:
        return f"Check-in reminder for {self.user}: {'on' if self.enabled else 'off'}"

    @property
    def label(self) -> str:
        return f"on {WEEKDAY_NAMES[self.weekday]}s at {self.local_time:%H:%M}"


class CheckInDelivery(QueuedDelivery):
    """One weekly check-in reminder for one user and local week (its Monday): the claim,
    then the log of its outcome. The unique pair is what makes it once a week."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_in_deliveries"
    )
    week_start = models.DateField(help_text="The Monday of the user's local week.")

    class Meta:
        verbose_name_plural = "check-in deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "week_start"], name="check_in_reminder_once_a_week"
            )
        ]

    def __str__(self) -> str:
        return (
            f"Check-in reminder for {self.user}, week of {self.week_start:%Y-%m-%d}: {self.status}"
        )
