"""Signed links that turn reminders off without logging in (they expire after 30 days)."""

from datetime import timedelta
from enum import StrEnum

from django.core import signing

from accounts.models import User
from core.http import number_from

SALT = "nudges.unsubscribe"
MAX_AGE = timedelta(days=30)


class TokenProblem(StrEnum):
    EXPIRED = "expired"
    INVALID = "invalid"


def unsubscribe_token(*, user: User) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(user.pk))


def user_id_from_token(token: str) -> int | TokenProblem:
    """The user the link was made for, or what is wrong with it."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE)
    except signing.SignatureExpired:
        return TokenProblem.EXPIRED
    except signing.BadSignature:
        return TokenProblem.INVALID
    user_id = number_from(value)
    return TokenProblem.INVALID if user_id is None else user_id
