"""What every app's views share: the typed htmx request, one way to answer 404, one way to
send a logged-out answer to log in, and one way to read a number from the address or a form."""

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails


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


def log_in_before_post(request: HttpRequest) -> HttpResponse | None:
    """For someone not logged in on a page anyone may read (an invitation): their POST goes
    to the login page, which brings them back here; None for a GET, to show the page."""
    if request.method == "POST":
        return redirect_to_login(request.get_full_path())
    return None


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
