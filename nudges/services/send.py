"""The sender: claimed deliveries handed to the mail server (or push service), each once.

Each delivery goes from claimed to sending, one at a time, just before it is handed over,
and to sent (or failed) just after. Taking it is conditional on its still being claimed, so
a second task holding the same ids (a redelivered batch, the sweeper's requeue) finds it
taken. The outcome of one nudge is written before the next is taken, so a worker holds at most
one row "sending": the one in its hands.

A worker killed with SIGKILL therefore leaves one row whose fate is unknown (the sweeper
marks it failed and never resends it: a second nudge hurts trust more than a missed one),
every row it finished known as sent or not, and every later row still claimed, which the
redelivered task sends. On PostgreSQL these per-nudge writes commit without waiting for the
disk (`SET LOCAL synchronous_commit TO OFF`, which lasts for that one transaction and so
is safe behind a transaction pooler): a worker's death cannot lose a commit the server
already has; only a crash of the PostgreSQL server itself (not a restart, which flushes
first) can forget the last fraction of a second of them.

What keeps a nudge cheap: one round trip a nudge. The outcome of the nudge just handed over
and the take of the next travel together (on PostgreSQL one UPDATE inside another's WITH,
sent behind the SET LOCAL as one query string, which PostgreSQL runs as one transaction);
what a batch reads (users, schedules, entries, suggestions) is read once, and each distinct
email is rendered once (emails.NudgeEmails).
"""

import smtplib
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from journal.models import Entry
from outbox.services import TRANSPORT_ERRORS

from .. import emails, push, selectors
from ..models import Channel, NudgeDelivery
from .dispatch import GIVE_UP_AFTER

Status = NudgeDelivery.Status
SkipReason = NudgeDelivery.SkipReason


@dataclass
class Batch:
    """What a batch of deliveries needs, read in four queries rather than a few per nudge.

    Reading ahead changes nothing about sending once: a row another worker took is skipped
    when this one tries to take it.
    """

    deliveries: dict[int, NudgeDelivery]
    written: set[tuple[int, date]]
    suggestions: dict[int, selectors.Suggestion]
    emails: emails.NudgeEmails


def batch_load(*, delivery_ids: list[int]) -> Batch:
    loaded = NudgeDelivery.objects.select_related("user__reminder_schedule")
    deliveries = {d.pk: d for d in loaded.filter(pk__any=delivery_ids)}
    rows = list(deliveries.values())
    entries = Entry.objects.filter(
        user_id__any=list({d.user_id for d in rows}), day__in={d.local_date for d in rows}
    )
    return Batch(
        deliveries=deliveries,
        written=set(entries.values_list("user_id", "day")),
        suggestions=selectors.suggestions_for(deliveries=rows),
        emails=emails.NudgeEmails(),
    )


def deliveries_send(*, delivery_ids: list[int]) -> int:
    """Send a batch over one mail connection, a nudge at a time; returns how many this call
    sent.

    Raises one of TRANSPORT_ERRORS (or push.PushTransportError) when a message could not be
    handed over; it is then claimed again, like the rest, for the task's retry.
    """
    batch = batch_load(delivery_ids=delivery_ids)
    with _Ledger() as ledger, mail.mailers.default as mailer:
        return sum(
            _send_one(batch.deliveries[pk], batch=batch, mailer=mailer, ledger=ledger)
            for pk in delivery_ids
            if pk in batch.deliveries
        )


def handle_one_delivery(*, delivery_id: int) -> bool:
    """Send one claimed delivery; True only if this call sent it (see deliveries_send)."""
    return deliveries_send(delivery_ids=[delivery_id]) == 1


class _Ledger:
    """Each delivery's changes, written as they happen: what happened to the nudge just
    handed over is written by the statement that takes the next one.

    The outcome is written unconditionally (if the sweeper gave up on the row meanwhile,
    what happened wins); the take only if the row is still claimed. On PostgreSQL the
    outcome's UPDATE runs inside the take's, as a WITH: one statement, one commit, one round
    trip a nudge. Both write every column the sender changes, from the delivery as this task
    knows it: once taken, a row is this task's alone.

    Used as a context manager: one cursor for the batch, every statement committed on its own
    (in autocommit; on PostgreSQL without waiting for the disk), and the last outcome written
    on the way out, whatever ended the batch.
    """

    COLUMNS = ("status", "sending_at", "sent_at", "error", "skip_reason", "suggestion")
    COLUMNS += ("push_fell_back",)
    _UPDATE = f"UPDATE {NudgeDelivery._meta.db_table} SET " + ", ".join(
        f"{name} = %s" for name in COLUMNS
    )
    RECORD = f"{_UPDATE} WHERE id = %s"
    TAKE = f"{_UPDATE} WHERE id = %s AND status = '{Status.CLAIMED}'"
    RECORD_AND_TAKE = f"WITH recorded AS ({RECORD}) {TAKE}"

    def __init__(self) -> None:
        self.done: NudgeDelivery | None = None  # handed over; its outcome not yet written
        self.together = connection.vendor == "postgresql"  # outcome and take in one statement
        # psycopg takes every column as it is (text, an aware datetime or None, a bool);
        # another database gets each through its field.
        self._row = attrgetter(*self.COLUMNS, "pk") if self.together else _row_through_fields

    def __enter__(self) -> "_Ledger":
        self.cursor = connection.cursor()
        # Each write is a transaction of its own, which commits without waiting for the disk
        # on PostgreSQL: the SET LOCAL and the write go as one query string (client-side
        # binding, Django's default), run by PostgreSQL as one transaction. Inside an outer
        # transaction (tests, a caller's atomic block) the writes are simply part of it.
        self.prefix = ""
        server_side = connection.settings_dict["OPTIONS"].get("server_side_binding")
        if self.together and connection.get_autocommit() and not server_side:
            self.prefix = "SET LOCAL synchronous_commit TO OFF; "
        return self

    def __exit__(self, *exc) -> None:
        with self.cursor:
            self.flush()

    def record(self, delivery: NudgeDelivery, **fields) -> None:
        _assign(delivery, fields)
        self.done = delivery

    def take(self, delivery: NudgeDelivery, **fields) -> bool:
        """Move `delivery` from claimed to `fields`, once what came before is written;
        False if someone else has it or it is finished."""
        _assign(delivery, fields)
        done, self.done = self.done, None
        if done is not None and self.together:
            taken = self._execute(self.RECORD_AND_TAKE, [*self._row(done), *self._row(delivery)])
        else:
            if done is not None:
                self._execute(self.RECORD, self._row(done))
            taken = self._execute(self.TAKE, self._row(delivery))
        return taken == 1

    def flush(self) -> None:
        done, self.done = self.done, None
        if done is not None:
            self._execute(self.RECORD, self._row(done))

    def _execute(self, sql: str, params) -> int:
        self.cursor.execute(self.prefix + sql, params)
        if self.prefix:
            self.cursor.nextset()  # the write's result follows the SET's
        return self.cursor.rowcount


def _row_through_fields(delivery: NudgeDelivery) -> list:
    fields = [NudgeDelivery._meta.get_field(name) for name in _Ledger.COLUMNS]
    return [f.get_db_prep_save(getattr(delivery, f.attname), connection) for f in fields] + [
        delivery.pk
    ]


def _assign(delivery: NudgeDelivery, fields: dict) -> None:
    for name, value in fields.items():
        setattr(delivery, name, value)


def _send_one(
    delivery: NudgeDelivery, *, batch: Batch, mailer: BaseEmailBackend, ledger: _Ledger
) -> bool:
    """Take one claimed delivery of the batch and send it; True if this call handed it over."""
    now = timezone.now()
    if now - delivery.due_at > GIVE_UP_AFTER:
        ledger.take(delivery, status=Status.FAILED, error="Too late to send.")
        return False
    if reason := _skip_reason(delivery, batch.written):
        ledger.take(delivery, status=Status.SKIPPED, skip_reason=reason)
        return False
    if not ledger.take(delivery, status=Status.SENDING, sending_at=now):
        return False
    suggestion = batch.suggestions[delivery.pk]
    if delivery.channel == Channel.PUSH and _send_push(delivery, suggestion, ledger):
        return True
    return _send_email(delivery, mailer, suggestion, ledger, emails=batch.emails)


def _skip_reason(delivery: NudgeDelivery, written: set[tuple[int, date]]) -> str:
    """Why the user no longer wants this nudge, if they changed something since it was due."""
    user = delivery.user
    schedule = getattr(user, "reminder_schedule", None)
    if schedule is None or not schedule.enabled:
        return SkipReason.OFF
    if not schedule.runs_on(delivery.local_date):
        return SkipReason.PAUSED
    if schedule.skip_if_written and (delivery.user_id, delivery.local_date) in written:
        return SkipReason.WRITTEN
    return ""


def _send_email(
    delivery: NudgeDelivery,
    mailer: BaseEmailBackend,
    suggestion: selectors.Suggestion,
    ledger: _Ledger,
    *,
    emails: emails.NudgeEmails,
) -> bool:
    user = delivery.user
    message = emails.build(user=user, schedule=user.reminder_schedule, suggestion=suggestion)
    try:
        sent = mailer.send_messages([message])
    except smtplib.SMTPRecipientsRefused as error:
        ledger.record(delivery, status=Status.FAILED, error=_describe(error))  # for good
        return False
    except TRANSPORT_ERRORS as error:
        # The server did not take the message, so a retry cannot make it arrive twice.
        ledger.record(delivery, status=Status.CLAIMED, sending_at=None, error=_describe(error))
        raise
    if not sent:
        ledger.record(delivery, status=Status.FAILED, error="The mail server took no message.")
        return False
    _record_sent(ledger, delivery, suggestion)
    return True


def _send_push(delivery: NudgeDelivery, suggestion: selectors.Suggestion, ledger: _Ledger) -> bool:
    """Send `delivery` as browser notifications; True if a browser took it. False when none
    can (none subscribed, or push not configured): the caller emails it instead.

    Raises push.PushTransportError, with the delivery claimed again for the retry, when no
    browser took it but a later try may; once one has, it is never sent again.
    """
    result = push.nudge_push(user=delivery.user, suggestion=suggestion)
    if result.delivered:
        _record_sent(ledger, delivery, suggestion)
        return True
    if result.errors:
        error = "; ".join(result.errors)[:1000]
        ledger.record(delivery, status=Status.CLAIMED, sending_at=None, error=error)
        raise push.PushTransportError(result.errors[0])
    ledger.record(delivery, push_fell_back=True)
    return False


def _record_sent(ledger: _Ledger, delivery: NudgeDelivery, suggestion: selectors.Suggestion):
    ledger.record(delivery, status=Status.SENT, sent_at=timezone.now(), suggestion=suggestion.text)


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:1000]
