"""Where allauth sends someone once they are logged in. The outbox's adapter (ACCOUNT_ADAPTER)
builds on this one.

A person's first arrival goes to the step after sign-up (ACCOUNT_SIGNUP_REDIRECT_URL), however
they got there: typing the sign-up code at once, or confirming their address at a later log-in
because that code ran out or the page was closed. allauth counts the second as a log-in, which
would open Today and skip the welcome."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.http import HttpRequest

# Set on the request (never the session, so nothing outlives it) that confirms the address
# of someone who has never logged in: the log-in that follows in the same request is their
# first arrival.
FIRST_ARRIVAL = "closer_first_arrival"


def first_arrival_note(*, request: HttpRequest, email_address: EmailAddress, **signal) -> None:
    """Receiver of allauth's email_confirmed."""
    if email_address.user.last_login is None:
        setattr(request, FIRST_ARRIVAL, email_address.user_id)


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        if getattr(request, FIRST_ARRIVAL, None) == request.user.pk:
            return self.get_signup_redirect_url(request)
        return super().get_login_redirect_url(request)
