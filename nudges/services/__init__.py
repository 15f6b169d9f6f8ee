"""Reminder schedules, and the dispatcher and sender that give each user one nudge a day.

Exactly once per user and local date, in three steps: `dispatch` turns due schedules into
deliveries, `send` hands each to the mail server, `sweep` queues again what a lost task
left behind. `schedule` says when the next reminder falls, for the settings page and the
dispatcher alike. The outbox app claims, sends, records and sweeps every other message the app
sends on its own (check-in and break reminders, notices), on the same delivery states.
"""

from outbox.services import SEND_BATCH, STALE_AFTER, TRANSPORT_ERRORS

from .dispatch import dispatch_due
from .notice import failed_notice_take
from .schedule import (
    schedule_create_default,
    schedule_next_due,
    schedule_pause,
    schedule_time_zone_change,
    schedule_turn_off,
    schedule_update,
)
from .send import deliveries_send
from .sweep import deliveries_expire, deliveries_sweep

__all__ = [
    "SEND_BATCH",
    "STALE_AFTER",
    "TRANSPORT_ERRORS",
    "deliveries_expire",
    "deliveries_send",
    "deliveries_sweep",
    "dispatch_due",
    "failed_notice_take",
    "schedule_create_default",
    "schedule_next_due",
    "schedule_pause",
    "schedule_time_zone_change",
    "schedule_turn_off",
    "schedule_update",
]
