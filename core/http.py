"""What every app's views share: the typed htmx request and one way to answer 404."""

from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest
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
