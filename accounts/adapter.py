"""Where allauth sends someone once they are logged in, and when it asks them to confirm it is
them again. The outbox's adapter (ACCOUNT_ADAPTER) builds on this one.

A person's first arrival goes to the step after sign-up (ACCOUNT_SIGNUP_REDIRECT_URL), however
they got there: typing the sign-up code at once, or confirming their address at a later log-in
because that code ran out or the page was closed. allauth counts the second as a log-in, which
would open Today and skip the welcome."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

# Set on the request (never the session, so nothing outlives it) that confirms the address
# of someone who has never logged in: the log-in that follows in the same request is their
# first arrival.
FIRST_ARRIVAL = "closer_first_arrival"
# When this session finished logging in (every step of it), as a POSIX timestamp, if the
# person had no two-step login then (the first setup it lets through, below).
SIGNED_IN_WITHOUT_TWO_STEP_AT = "closer_signed_in_without_two_step_at"


def first_arrival_note(*, request: HttpRequest, email_address: EmailAddress, **signal) -> None:
    """Receiver of allauth's email_confirmed."""
    if email_address.user.last_login is None:
        setattr(request, FIRST_ARRIVAL, email_address.user_id)


def sign_in_note(*, request: HttpRequest | None, user, **signal) -> None:
    """Receiver of Django's user_logged_in: when this session signed in without two-step
    login (forgotten at the next log-in with it)."""
    if request is None:
        return
    if Authenticator.objects.filter(user=user).exists():
        request.session.pop(SIGNED_IN_WITHOUT_TWO_STEP_AT, None)
    else:
        request.session[SIGNED_IN_WITHOUT_TWO_STEP_AT] = timezone.now().timestamp()


def first_two_step_setup_allowed(request: HttpRequest | None) -> bool:
    """Whether this session logged in, without two-step login, less than
    ACCOUNT_REAUTHENTICATION_TIMEOUT ago."""
    at = request.session.get(SIGNED_IN_WITHOUT_TWO_STEP_AT) if request is not None else None
    if not isinstance(at, float):
        return False
    age = timezone.now().timestamp() - at
    return 0 <= age < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        if getattr(request, FIRST_ARRIVAL, None) == request.user.pk:
            return self.get_signup_redirect_url(request)
        return super().get_login_redirect_url(request)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Setting up two-step login within ACCOUNT_REAUTHENTICATION_TIMEOUT of a log-in made
        without it asks for no password again: allauth 65 counts only a confirmation on its
        own pages, so a new therapist, logged in by the code that finished signing up and
        sent straight to set up two-step login, was asked for the password they had just
        chosen (and again for the recovery codes that follow the app). Anyone who logged in
        with two-step login, or longer ago, is asked as allauth asks: so is a session found
        open later, and any change to two-step login someone already has."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        return not (app == "allauth.mfa" and first_two_step_setup_allowed(self.request))
