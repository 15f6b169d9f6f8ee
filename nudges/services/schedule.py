"""When a user's next reminder falls: the one function the page and the dispatcher share."""

from collections.abc import Container
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ..models import Channel, NudgeDelivery, ReminderSchedule, weekdays_mask


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local `day` at `at`. A repeated time is its first occurrence
    (fold=0); a time skipped by a spring-forward jump is the first instant after the gap."""
    wall = datetime.combine(day, at)
    first = wall.replace(tzinfo=zone, fold=0)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
        return first.astimezone(UTC)
    # In a gap: find the transition, the first instant whose local time is past `wall`.
    low = int(wall.replace(tzinfo=zone, fold=1).timestamp())
    high = int(first.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) < wall:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


def schedule_next_due(
    *, schedule: ReminderSchedule, after: datetime, nudged_dates: Container[date] = ()
) -> datetime | None:
    """The first reminder instant strictly after `after`, in UTC, on a local date that has no
    nudge yet (`nudged_dates`: one a day); None while reminders are off.

    The settings page shows it, and the dispatcher sends at it: `next_due_at` is this value,
    saved whenever the zone, time, days, pause or on/off change.
    """
    if not schedule.enabled or not schedule.weekdays:
        return None
    zone = schedule.user.zone
    day = after.astimezone(zone).date()
    if schedule.paused_until and schedule.paused_until >= day:
        day = schedule.paused_until + timedelta(days=1)
    for offset in range(16):
        candidate = day + timedelta(days=offset)
        if schedule.runs_on(candidate) and candidate not in nudged_dates:
            instant = local_instant(candidate, schedule.local_time, zone)
            if instant > after:
                return instant
    return None  # unreachable: a chosen weekday falls twice in any 15 days


def schedule_create_default(*, user: User) -> ReminderSchedule:
    """The user's schedule, created with the defaults (on, 20:00, every day, email) if missing."""
    schedule, created = ReminderSchedule.objects.get_or_create(user=user)
    if created:
        schedule.next_due_at = schedule_next_due(schedule=schedule, after=timezone.now())
        schedule.save(update_fields=["next_due_at"])
    return schedule


def schedule_update(
    *,
    schedule: ReminderSchedule,
    enabled: bool,
    local_time: time,
    weekdays: list[int],
    paused_until: date | None,
    skip_if_written: bool,
    channel: str = Channel.EMAIL,
) -> ReminderSchedule:
    schedule.enabled = enabled
    schedule.local_time = local_time
    schedule.weekdays = weekdays_mask(weekdays)
    schedule.paused_until = paused_until
    schedule.skip_if_written = skip_if_written
    schedule.channel = channel
    return _reschedule(
        schedule,
        fields=["enabled", "local_time", "weekdays", "paused_until", "skip_if_written", "channel"],
    )


def schedule_turn_off(*, schedule: ReminderSchedule) -> ReminderSchedule:
    schedule.enabled = False
    return _reschedule(schedule, fields=["enabled"])


def schedule_pause(*, schedule: ReminderSchedule, until: date) -> ReminderSchedule:
    schedule.paused_until = until
    return _reschedule(schedule, fields=["paused_until"])


@transaction.atomic
def schedule_time_zone_change(*, user: User, time_zone: str) -> None:
    """Move `user` to `time_zone`, and their reminders (the daily one and the weekly
    check-in's) to their local times there."""
    from ..weekly import reminder_time_zone_moved  # weekly imports this module

    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])
    # The user read afresh with the schedule: `user.zone` may be cached from the old zone.
    schedule = ReminderSchedule.objects.select_related("user").filter(user=user).first()
    if schedule is not None:
        _reschedule(schedule, fields=[])
    reminder_time_zone_moved(user=user)


def _reschedule(schedule: ReminderSchedule, *, fields: list[str]) -> ReminderSchedule:
    now = timezone.now()
    # A date already nudged (or skipped) is not due again: a delivery is once per local date.
    nudged = NudgeDelivery.objects.filter(
        user_id=schedule.user_id, local_date__gte=now.date() - timedelta(days=1)
    )
    schedule.next_due_at = schedule_next_due(
        schedule=schedule, after=now, nudged_dates=set(nudged.values_list("local_date", flat=True))
    )
    schedule.save(update_fields=[*fields, "next_due_at", "updated_at"])
    return schedule
