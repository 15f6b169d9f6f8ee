"""Two-step login (allauth.mfa): who has it, and the gate in front of other people's writing.

A therapist reads clients' private journals, so every page that shows a client's data asks
for two-step login first, as practitioner platforms do. The sharing views call
`require_two_step`; `TwoStepMiddleware` answers its exception with the page that explains
why and sets it up (accounts.views.two_step_required), then comes back.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# Recovery codes alone are a fallback, not a second step of their own.
SECOND_STEPS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
# Where a therapist goes once two-step login is set up: the page they were opening, kept in
# the session (templates/mfa/index.html reads it by this name to offer "Continue").
RETURN_KEY = "two_step_return"


class TwoStepRequired(Exception):
    """A therapist without two-step login reached a page with a client's data."""

    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.back_to = back_to


def has_two_step(user) -> bool:
    return is_mfa_enabled(user, SECOND_STEPS)


def require_two_step(request: HttpRequest, *, after_post: str) -> None:
    """Raise TwoStepRequired for a therapist without two-step login; anyone else passes.

    Once it is set up they come back to the page itself, or to `after_post` when the request
    was a form's POST (its address answers no GET).
    """
    if request.user.is_therapist and not has_two_step(request.user):
        safe = request.method in ("GET", "HEAD")
        raise TwoStepRequired(request.get_full_path() if safe else after_post)


def safe_return(request: HttpRequest, url: str | None) -> str:
    """`url` if it is a path on this site, else the empty string."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""
