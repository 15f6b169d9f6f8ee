from importlib import import_module

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q

from core import crypto

from .models import User
from .signals import account_deleting


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Remove the user and everything of theirs from the database, for good.

    Every row that points to the user (entries, including ones waiting for undo, lesson
    progress, reflections, email addresses, shares with their invitations and access log,
    comments, reminders) goes with it, by its ForeignKey's on_delete: Django's CASCADE or
    the database's DB_CASCADE, in this transaction; so does their data key (DataKey), which
    leaves whatever they wrote undecryptable in backups too. Sessions only hold the user's id inside
    their encoded data, so they are found and removed here, with their copies in the cache
    once the deletion is committed. Feature apps that must do more (end a therapist's
    shares) hear of it first, through `account_deleting`. The admin's history keeps each
    row's name as it was (their name, their email), so its rows about the user and about
    every row that went with them go too.
    """
    account_deleting.send(sender=User, user=user)
    session_keys = _session_keys_of(user)
    Session.objects.filter(session_key__in=session_keys).delete()
    logged = _logged_rows()
    user_id = user.pk
    user.delete()
    _admin_history_forget(logged)
    transaction.on_commit(lambda: crypto.forget_keys(user_id))
    transaction.on_commit(lambda: _sessions_forget(session_keys))


def _logged_rows() -> dict[ContentType, set[str]]:
    """The ids of the rows the admin's history is about that exist now, by their model."""
    logged = {}
    types = LogEntry.objects.order_by().values_list("content_type", flat=True).distinct()
    for content_type in map(ContentType.objects.get_for_id, types):
        if content_type.model_class() is None:
            continue  # a model since removed
        ids = LogEntry.objects.filter(content_type=content_type).values_list("object_id")
        logged[content_type] = _existing(content_type, {i for (i,) in ids})
    return logged


def _existing(content_type: ContentType, ids: set[str]) -> set[str]:
    rows = content_type.get_all_objects_for_this_type(pk__in=ids)
    return {str(pk) for pk in rows.values_list("pk", flat=True)}


def _admin_history_forget(logged: dict[ContentType, set[str]]) -> None:
    """Delete the history about the rows in `logged` that are gone now: the ones the
    deletion took with it, by Django's CASCADE or the database's, however far from the user.
    The history about rows that are still there stays."""
    gone = Q(pk__in=[])
    for content_type, ids in logged.items():
        gone |= Q(content_type=content_type, object_id__in=ids - _existing(content_type, ids))
    LogEntry.objects.filter(gone).delete()


def _session_keys_of(user: User) -> list[str]:
    # Reads every stored session once; deleting an account is rare enough to afford it.
    user_id = str(user.pk)
    return [
        session.session_key
        for session in Session.objects.iterator(chunk_size=1000)
        if session.get_decoded().get(SESSION_KEY) == user_id
    ]


def _sessions_forget(session_keys: list[str]) -> None:
    # A cached engine (cached_db, with Redis) reads a session's copy before its row, and
    # deleting the rows leaves the copies; the store's own delete removes both. After the
    # commit, so that no request in between copies a row back into the cache.
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for session_key in session_keys:
        store.delete(session_key)


def session_create(*, user: User) -> str:
    """A signed-in session, as the login form would leave it; returns its key.

    For the benchmark's and the drills' load generators, which sign in by cookie.
    """
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def user_here_for_set(*, user: User, here_for: str) -> None:
    """Store the answer to "Are you here for yourself, or as a therapist or coach?": a
    therapist's role, and whether they keep a journal of their own."""
    practice = here_for in (User.HereFor.PRACTICE, User.HereFor.BOTH)
    user.role = User.Role.THERAPIST if practice else User.Role.CLIENT
    user.keeps_journal = here_for != User.HereFor.PRACTICE
    user.save(update_fields=["role", "keeps_journal"])
