"""Emailed links that act once: a random token whose hash the row keeps, carried signed in
the link's URL, so a database copy cannot be used to follow one."""

import hashlib
import secrets
from datetime import timedelta

from django.core import signing


class LinkExpired(Exception):
    """The link's signature is genuine but older than it may be."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_token(*, salt: str) -> tuple[str, str]:
    """A new link's token: the hash its row keeps, and the signed form its URL carries."""
    token = secrets.token_urlsafe(32)
    return token_hash(token), signing.dumps(token, salt=salt)


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
