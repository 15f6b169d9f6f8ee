"""Realistic data for the benchmark: people with months of entries, therapists with clients."""

import random
from datetime import date, timedelta

from django.db import transaction

from accounts.models import User
from drills.seed import shares_create, two_step_set_up
from journal.models import Entry

BATCH = 5_000
MOMENTS = [
    "Made me tea",
    "Listened after a long day",
    "Laughed at my joke",
    "Fixed the shelf",
    "Sent a kind message",
    "Walked the dog in the rain",
    "Planned a quiet evening",
]
BIDS = ["Showed me a photo", "Asked about my day", "Reached for my hand", "Told a story"]


def _entry(user: User, day: date, rng: random.Random) -> Entry:
    roll = rng.random()
    if roll < 0.6:
        return Entry(
            user=user,
            kind="gratitude",
            day=day,
            moment_kinds=["caring"],
            moments=rng.choice(MOMENTS),
            why="They are patient with me",
        )
    if roll < 0.9:
        return Entry(
            user=user,
            kind="bid",
            day=day,
            made_by="partner",
            what=rng.choice(BIDS),
            response=rng.choice(["toward", "toward", "toward", "away", "against"]),
        )
    return Entry(
        user=user,
        kind="apology",
        day=day,
        status="given",
        acknowledgement="I'm sorry I went quiet",
        empathy="I know it felt lonely",
        reassurance="You matter to me",
    )


def entries_create(*, user: User, count: int, today: date, seed: int = 1) -> None:
    """`count` entries spread back from today, several a day, newest today."""
    rng = random.Random(seed)
    per_day = max(1, count // 365)
    batch: list[Entry] = []
    for n in range(count):
        batch.append(_entry(user, today - timedelta(days=n // per_day), rng))
        if len(batch) == BATCH:
            Entry.objects.bulk_create(batch)
            batch = []
    Entry.objects.bulk_create(batch)


def user_create(*, email: str, role: str = User.Role.CLIENT) -> User:
    user, _ = User.objects.get_or_create(
        email=email,
        defaults={"display_name": email.split("@")[0], "role": role, "time_zone": "Europe/London"},
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_people(*, today: date) -> dict[str, User]:
    """The journal users of the benchmark; idempotent (existing users keep their entries)."""
    people = {}
    # "writer" starts empty: the POST benchmark adds its entries there, not to the others.
    for name, count in (("small", 10), ("big", 100_000), ("typical", 400), ("writer", 0)):
        user = user_create(email=f"bench-{name}@example.com")
        if not Entry.objects.filter(user=user).exists():
            entries_create(user=user, count=count, today=today)
        people[name] = user
    return people


@transaction.atomic
def seed_therapists(*, today: date) -> dict[str, User]:
    """Two therapists: one with one client, one with 200, each client with months of entries."""
    from sharing.models import Share

    therapists = {}
    for clients in (1, 200):
        therapist = user_create(
            email=f"bench-therapist-{clients}@example.com", role=User.Role.THERAPIST
        )
        two_step_set_up(therapist)
        for n in range(clients):
            client = user_create(email=f"bench-client-{clients}-{n}@example.com")
            if Share.objects.filter(client=client, therapist=therapist).exists():
                continue
            entries_create(user=client, count=90, today=today, seed=n)
            shares_create(therapist=therapist, clients=[client], today=today)
        therapists[f"therapist-{clients}"] = therapist
    return therapists


MIX_PASSWORD = "bench-mix-correct-horse-battery"


@transaction.atomic
def seed_mix(*, today: date, clients: int, entries: int, per_therapist: int) -> dict:
    """The traffic mix's people, in an empty database: `clients` users with `entries` entries
    each, a therapist per `per_therapist` of them with everything shared, and one user who
    signs in with MIX_PASSWORD."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    unusable = make_password(None)
    people = User.objects.bulk_create(
        User(
            email=f"mix-client-{n}@example.com",
            display_name=f"Client {n}",
            time_zone="Europe/London",
            password=unusable,
        )
        for n in range(clients)
    )
    # Everyone has confirmed their address: signing up asks for it before first use.
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in people
    )
    rng = random.Random(1)
    batch: list[Entry] = []
    per_day = max(1, entries // 365)
    for user in people:
        days = (today - timedelta(days=n // per_day) for n in range(entries))
        batch.extend(_entry(user, day, rng) for day in days)
        if len(batch) >= BATCH:
            Entry.objects.bulk_create(batch)
            batch = []
    Entry.objects.bulk_create(batch)
    therapists = [
        _therapist_sharing(f"mix-therapist-{t}@example.com", people[t : t + per_therapist], today)
        for t in range(0, clients, per_therapist)
    ]
    signer = user_create(email="mix-sign-in@example.com")
    signer.set_password(MIX_PASSWORD)
    signer.save(update_fields=["password"])
    EmailAddress.objects.create(user=signer, email=signer.email, verified=True, primary=True)
    return {"clients": people, "therapists": therapists, "sign_in": signer}


@transaction.atomic
def _therapist_sharing(email: str, clients: list[User], today: date) -> User:
    therapist = user_create(email=email, role=User.Role.THERAPIST)
    two_step_set_up(therapist)  # or their clients' pages send them to set it up instead
    shares_create(therapist=therapist, clients=clients, today=today)
    return therapist
