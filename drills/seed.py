"""Users, sessions and reminders for the drills, written straight to the throwaway database.

Import only after `Stack.use_in_this_process()` has set Django up.
"""

from datetime import date, datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from nudges.models import EVERY_DAY, ReminderSchedule
from sharing.models import Share


@transaction.atomic
def users_create(*, prefix: str, count: int) -> list[User]:
    """`count` confirmed users in UTC, reminders off, who cannot log in with a password."""
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"{prefix}{n}@drill.example", display_name=f"{prefix} {n}", password=unusable)
        for n in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    return users


def reminders_due(users: list[User], *, at: datetime) -> None:
    """Daily reminders for these UTC users whose next one is due at `at` (whole seconds)."""
    at = at.replace(microsecond=0)
    ReminderSchedule.objects.bulk_create(
        ReminderSchedule(
            user=user, enabled=True, local_time=at.time(), weekdays=EVERY_DAY, next_due_at=at
        )
        for user in users
    )


def therapist_create(*, email: str, clients: list[User], today: date) -> User:
    """A therapist every one of `clients` shares everything with, from a year ago."""
    therapist = User.objects.create(
        email=email, display_name=email.split("@")[0], role=User.Role.THERAPIST
    )
    EmailAddress.objects.create(user=therapist, email=email, verified=True, primary=True)
    two_step_set_up(therapist)
    shares_create(therapist=therapist, clients=clients, today=today)
    return therapist


def two_step_set_up(user: User) -> None:
    """An authenticator app for `user`, as every therapist has before their clients' pages
    open (accounts/two_step.py); the drills sign in by session, so no code is ever typed."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=user).exists():
        TOTP.activate(user, generate_totp_secret())


def shares_create(*, therapist: User, clients: list[User], today: date) -> None:
    """Active shares of everything from a year ago, from each of `clients` to `therapist`."""
    Share.objects.bulk_create(
        Share(
            client=client,
            therapist=therapist,
            invited_email=therapist.email,
            share_gratitude=True,
            share_bids=True,
            share_apologies=True,
            share_progress=True,
            shared_from=today - timedelta(days=365),
            status=Share.Status.ACTIVE,
            accepted_at=timezone.now(),
        )
        for client in clients
    )
