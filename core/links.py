"""Emailed links that act once: a random token whose hash the row keeps, carried signed in
the link's URL, so a database copy cannot be used to follow one."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.db.models import Model, QuerySet
from django.utils import timezone

# How long an invitation link stays open, and what one says once it is closed: the same
# words wherever one is followed.
INVITATION_MAX_AGE = timedelta(days=7)
USED = "This invitation has already been used. Each invitation works once."
WITHDRAWN = "This invitation has been withdrawn."
EXPIRED = "This invitation has expired. Ask for a new one: invitations last seven days."
# At most this many invitations of one kind a person sends in any rolling hour.
INVITATIONS_PER_HOUR = 5


class LinkExpired(Exception):
    """The link's signature is genuine but older than it may be."""


class TooManyInvitations(Exception):
    """The sender is past INVITATIONS_PER_HOUR; nothing was sent."""


class InvitationRefused(Exception):
    """An invitation cannot be accepted or confirmed after all (each service checks again,
    under its lock); the message says why, in words for the person who followed it."""


def locked_unless_refused[M: Model](
    invitations: QuerySet[M], pk: int, refusal: Callable[[M], str | None]
) -> M:
    """The invitation read again under a row lock (inside the caller's transaction) and asked
    its refusal question again there, so two answers at the same moment cannot both pass a
    check made before the lock. Raises InvitationRefused with the refusal's words."""
    invitation = invitations.select_for_update(of=("self",)).get(pk=pk)
    if reason := refusal(invitation):
        raise InvitationRefused(reason)
    return invitation


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_token(*, salt: str) -> tuple[str, str]:
    """A new link's token: the hash its row keeps, and the signed form its URL carries."""
    token = secrets.token_urlsafe(32)
    return token_hash(token), signing.dumps(token, salt=salt)


def invitation_create[M: Model](model: type[M], *, salt: str, **fields) -> tuple[M, str]:
    """A new invitation row of `model`, keeping its token's hash and open for
    INVITATION_MAX_AGE, with the signed token for the link's URL (never stored)."""
    token_hash, signed = link_token(salt=salt)
    expires_at = timezone.now() + INVITATION_MAX_AGE
    return model.objects.create(token_hash=token_hash, expires_at=expires_at, **fields), signed


def hash_from_link(signed: str, *, salt: str, max_age: timedelta) -> str | None:
    """The hash of the token inside a link we signed; None for a link we never made.
    Raises LinkExpired for a genuine link older than `max_age`."""
    try:
        token = signing.loads(signed, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        return None
    return token_hash(token) if isinstance(token, str) else None


def invitation_closed(
    *, used: bool, withdrawn: bool, expires_at: datetime, withdrawn_by: str = ""
) -> str | None:
    """Why nobody can follow an invitation any more (used, withdrawn, or past its date), or
    None while it is open. `withdrawn_by` names who took it back, where the page may say."""
    if used:
        return USED
    if withdrawn:
        return f"{withdrawn_by} has withdrawn this invitation." if withdrawn_by else WITHDRAWN
    if expires_at <= timezone.now():
        return EXPIRED
    return None


def sent_elsewhere(*, user: AbstractBaseUser, email: str, answer: str) -> str | None:
    """Why `user` may not `answer` (accept, confirm) a link emailed to `email`: it acts only
    for the address it was sent to, once its owner has confirmed it. None when it is theirs."""
    if EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
        return None
    return (
        "This invitation was sent to a different email address. Only the person it was "
        f"sent to can {answer} it, logged in with that address once they have confirmed it."
    )
