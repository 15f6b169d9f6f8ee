"""Where allauth sends someone once they are logged in. The outbox's adapter (ACCOUNT_ADAPTER)
builds on this one.

A person's first arrival goes to the step after sign-up (ACCOUNT_SIGNUP_REDIRECT_URL), however
they got there: typing the sign-up code at once, or confirming their address at a later log-in
because that code ran out or the page was closed. allauth counts the second as a log-in, which
would open Today and skip the welcome."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.http import HttpRequest

FIRST_ARRIVAL = "accounts.first_arrival"


def first_arrival_note(*, request: HttpRequest, email_address: EmailAddress, **signal) -> None:
    """Receiver of allauth's email_confirmed: an address confirmed by someone who has never
    logged in is confirmed on their way in for the first time."""
    if email_address.user.last_login is None:
        request.session[FIRST_ARRIVAL] = email_address.user_id


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        if request.session.pop(FIRST_ARRIVAL, None) == request.user.pk:
            return super().get_signup_redirect_url(request)
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        request.session.pop(FIRST_ARRIVAL, None)
        return super().get_signup_redirect_url(request)
