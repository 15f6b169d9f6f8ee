from functools import reduce
from importlib import import_module
from operator import or_

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast

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
    their rows that went with them go too.
    """
    account_deleting.send(sender=User, user=user)
    session_keys = _session_keys_of(user)
    Session.objects.filter(session_key__in=session_keys).delete()
    history = _history_about(user)
    user_id = user.pk
    user.delete()
    _admin_history_forget(history)
    transaction.on_commit(lambda: crypto.forget_keys(user_id))
    transaction.on_commit(lambda: _sessions_forget(session_keys))


def _history_about(user: User) -> dict[ContentType, set[str]]:
    """The rows the admin's history names that are this person's: their account, and rows
    of a logged model with a foreign key to them (entries, email addresses, shares,
    reminders), by model. The database matches them against the history, so the cost
    follows this person's rows, not the size of the log."""
    about = {}
    for content_type in ContentType.objects.filter(pk__in=LogEntry.objects.values("content_type")):
        model = content_type.model_class()
        if model is None:  # a model since removed
            continue
        to_user = [
            field.name
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is User
        ]
        if model is User:
            theirs = Q(pk=user.pk)
        elif to_user:
            theirs = reduce(or_, (Q(**{name: user}) for name in to_user))
        else:
            continue
        rows = content_type.get_all_objects_for_this_type().filter(theirs)
        ids = rows.annotate(text_pk=Cast("pk", output_field=CharField())).values("text_pk")
        logged = LogEntry.objects.filter(content_type=content_type, object_id__in=ids)
        about[content_type] = set(logged.values_list("object_id", flat=True))
    return about


def _admin_history_forget(about: dict[ContentType, set[str]]) -> None:
    """Delete the history about the rows in `about` that the deletion took with it (by
    Django's CASCADE or the database's); a row that stays (a share whose therapist left keeps
    its client) keeps its history."""
    gone = Q(pk__in=[])
    for content_type, ids in about.items():
        kept = content_type.get_all_objects_for_this_type(pk__in=ids).values_list("pk", flat=True)
        gone |= Q(content_type=content_type, object_id__in=ids - {str(pk) for pk in kept})
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
