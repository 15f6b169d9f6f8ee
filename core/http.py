"""What every app's views share: the typed htmx request, one way to answer 404, one way to
send a logged-out answer to log in, one way to follow an emailed invitation, one way to
tell whether anyone reads the page, and one way to read a number from the address or a
form."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from core import links


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it (see django-htmx's docs)."""

    htmx: HtmxDetails
    user: AbstractBaseUser


def found_or_404[T](obj: T | None, what: str = "object") -> T:
    """The object a selector found through its owner or an active share; 404 otherwise.

    A visitor who may not see an object learns nothing from the answer: it is the same 404
    whether the object is someone else's or does not exist.
    """
    if obj is None:
        raise Http404(f"No such {what}")
    return obj


class NotFoundPage(Http404):
    """A 404 with a page of its own (`template`, rendered by core.middleware.NotFoundPage
    Middleware), for a visitor entitled to know why something is no longer there. Raise it
    only after checking that; anyone else gets the plain 404 of found_or_404. `context`
    holds what the page shows besides, such as the words a POST sent and could not save."""

    def __init__(self, template: str, context: dict | None = None) -> None:
        super().__init__(template)
        self.template = template
        self.context = context or {}


def log_in_before_post(request: HttpRequest) -> HttpResponse | None:
    """For someone not logged in on a page anyone may read (an invitation): their POST goes
    to the login page, which brings them back here; None for a GET, to show the page."""
    if request.method == "POST":
        return redirect_to_login(request.get_full_path())
    return None


def page_is_seen(request: HttpRequest) -> bool:
    """Whether someone reads the page this request answers: not for a HEAD, which gets the
    headers alone (a link checker, a prefetch, `curl -I`). What a page marks read, or says
    only once, waits for a request whose page someone reads."""
    return request.method != "HEAD"


def invitation_from_link[T](
    request: HttpRequest,
    token: str,
    *,
    find: Callable[..., T | None],
    closed: Callable[..., str | None],
    page: Callable[..., HttpResponse],
    expired: str = links.EXPIRED,
) -> tuple[T, None] | tuple[None, HttpResponse]:
    """Open an emailed invitation (core.links): (the invitation, None) while it can still
    be answered; else (None, its page saying why, as 410 Gone) once it is past its days
    (`expired`) or `closed`. A link we never made is a 404.

    Each app brings its own: `find(signed=token)`, its selector; `closed(invitation=...)`,
    why nobody may answer it any more; `page(request, invitation=None, *, problem, status)`.
    """
    try:
        invitation = find(signed=token)
    except links.LinkExpired:
        return None, page(request, problem=expired, status=410)
    if invitation is None:
        raise Http404("No such invitation")
    if problem := closed(invitation=invitation):
        return None, page(request, problem=problem, status=410)
    return invitation, None


@dataclass(frozen=True)
class InvitationPage[T]:
    """An emailed invitation that one button accepts, declared once in its app's views.

    `find`, `closed` and `page` are as invitation_from_link takes them. `refusal(invitation=...,
    user=...)` says why this person may not accept it; `accepted(request, invitation)` accepts
    it and answers, and may still raise core.links.InvitationRefused (its service checks
    again, under a lock).
    """

    find: Callable[..., T | None]
    closed: Callable[..., str | None]
    refusal: Callable[..., str | None]
    page: Callable[..., HttpResponse]
    accepted: Callable[[HttpRequest, T], HttpResponse]

    def answer(self, request: HttpRequest, token: str) -> HttpResponse:
        """The page for `token`, in the order every such invitation keeps: a closed one says
        so to anyone; a visitor's POST goes to log in first; a signed-in person sees why
        they may not accept it, if so; and only a POST accepts, never a GET or a HEAD."""
        invitation, gone = self.from_link(request, token)
        if invitation is None:
            return gone
        if not request.user.is_authenticated:
            return log_in_before_post(request) or self.page(request, invitation)
        return self.answer_open(request, invitation)

    def from_link(
        self, request: HttpRequest, token: str
    ) -> tuple[T, None] | tuple[None, HttpResponse]:
        """invitation_from_link with this invitation's own `find`, `closed` and `page`: for
        another answer to the same link, such as declining it."""
        return invitation_from_link(
            request, token, find=self.find, closed=self.closed, page=self.page
        )

    def answer_open(self, request: HttpRequest, invitation: T) -> HttpResponse:
        """A signed-in person's answer to an open invitation, reached by its link or found
        in the app: why they may not accept it, if so; and only a POST accepts."""
        problem = self.refusal(invitation=invitation, user=request.user)
        if problem or request.method != "POST":
            return self.page(request, invitation, problem=problem or "")
        try:
            return self.accepted(request, invitation)
        except links.InvitationRefused as refused:
            return self.page(request, invitation, problem=str(refused))


# Long enough for any id (PostgreSQL's bigint has 19 digits), short enough that int() never
# refuses it (Python turns down strings of more than 4,300 digits).
MAX_DIGITS = 18


def number_from(raw: str | None, *, below: int | None = None) -> int | None:
    """The whole number `raw` spells in ASCII digits, or None for anything else: a sign, a
    space, "²" or "٣" (str.isdigit() accepts those two, int() does not), too many digits, or
    a number not `below` the limit."""
    if not (raw and len(raw) <= MAX_DIGITS and raw.isascii() and raw.isdigit()):
        return None
    number = int(raw)
    return number if below is None or number < below else None
