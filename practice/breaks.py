"""Take a break, and come back: when the user said they would be back, in their own zone.

Pure calculations over aware datetimes; the views and services call them. A break is a
pause with a return in it, so a return more than a day away is refused.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from . import content

LONGEST = timedelta(hours=24)
EVENING = time(19, 0)
CHOICES = [(c["key"], c["label"]) for c in content.load("breaks")["return_choices"]]
OFFSETS = {"in_20_minutes": timedelta(minutes=20), "in_1_hour": timedelta(hours=1)}


def over(*, now: datetime) -> Q:
    """The breaks that are over at `now`: their return time has passed, or the reader said
    whether they went back (coming back early says so). `is_over` says the same of one
    break already loaded: change both together."""
    return Q(return_at__lte=now) | ~Q(went_back="")


def is_over(entry, *, now: datetime) -> bool:
    """Whether this break is over at `now`, as `over` asks the database."""
    return entry.return_at <= now or entry.went_back != ""


class NotAReturn(ValueError):
    """The chosen return time cannot be used; the message says why, for the user."""


def return_at(choice: str, *, now: datetime, zone: ZoneInfo, chosen: datetime | None = None):
    """The instant the user will be back, for a choice of CHOICES. Raises NotAReturn."""
    local_now = timezone.localtime(now, zone)
    if choice in OFFSETS:
        return (now + OFFSETS[choice]).replace(second=0, microsecond=0)
    if choice == "tomorrow":
        return (now + LONGEST).replace(second=0, microsecond=0)
    if choice == "this_evening":
        evening = _aware(datetime.combine(local_now.date(), EVENING), zone)
        if evening <= now + timedelta(minutes=20):
            raise NotAReturn("It is already evening. Pick a time instead.")
        return evening
    if choice == "choose":
        if chosen is None:
            raise NotAReturn("Pick the day and time you will come back.")
        return checked(_aware(chosen, zone), now=now)
    raise NotAReturn("Pick when you will come back.")


def _aware(local: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in the zone; NotAReturn for one the clocks skip (a DST gap). A time
    the clocks show twice (when they go back) is taken the first time (fold=0)."""
    aware = local.replace(tzinfo=zone, fold=0)
    round_trip = aware.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NotAReturn(
            "That time does not exist where you are: the clocks go forward then. "
            "Pick a time after the change."
        )
    return aware


def comes_twice(at: datetime, *, zone: ZoneInfo) -> bool:
    """Whether the clocks in `zone` show `at`'s wall time twice (the hour they go back)."""
    local = timezone.localtime(at, zone).replace(tzinfo=None)
    return (
        local.replace(tzinfo=zone, fold=0).utcoffset()
        != local.replace(tzinfo=zone, fold=1).utcoffset()
    )


def checked(at: datetime, *, now: datetime) -> datetime:
    if at <= now:
        raise NotAReturn("That time has already passed. Pick a time later today or tomorrow.")
    if at - now > LONGEST:
        raise NotAReturn(content.text("breaks", "why_no_longer"))
    return at


def when_words(at: datetime, *, now: datetime, zone: ZoneInfo) -> str:
    """'20:15', '09:00 tomorrow': the return time as the message to the partner says it, on
    the 24-hour clock every other time in Closer uses."""
    local, today = timezone.localtime(at, zone), timezone.localtime(now, zone).date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return clock
    if local.date() == today + timedelta(days=1):
        return f"{clock} tomorrow"
    return f"{clock} on {local:%A}"


def messages_for(when: str) -> list[str]:
    """The message for the partner and its alternatives, with the return time put in."""
    data = content.load("breaks")
    return [t.replace("{when}", when) for t in [data["message_template"], *data["alternatives"]]]
