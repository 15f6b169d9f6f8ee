"""Whole pages cached per signed-in user until someone they show writes something.

A page is stored under its path, the reader and their local date, stamped with the *version*
of each person it shows (the reader, and for a therapist their clients). Any POST by a signed-in
user bumps their version (`BumpOnWriteMiddleware`); the few writes that change another
person's pages, or that happen on a GET, bump explicitly (`bump`); `load_lessons` bumps
everyone's (`bump_everyone`). Entries expire after PAGE_CACHE_SECONDS whatever happens,
which bounds how stale a write made outside the web (the admin, a shell) can leave a page.

Pages are never cached for htmx requests, with a message waiting, or for anything but a
200; the CSRF token and the CSP nonce are put back fresh into every copy served.
PAGE_CACHE_SECONDS=0 turns it off (the default without Redis, and in the tests).
"""

import functools
import hashlib
import re
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token

EVERYONE = "pagecache:v:all"
CSRF_MARK = "\x00csrf\x00"
NONCE_MARK = "\x00nonce\x00"
_MASKED_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")


def _version_key(user_id: int) -> str:
    return f"pagecache:v:{user_id}"


def _index_key(user_id: int) -> str:
    return f"pagecache:pages:{user_id}"


# The newest pages of a reader's that `forget` can name (their index); a reader who opens
# more distinct pages within PAGE_CACHE_SECONDS leaves the oldest to expire on their own.
INDEXED = 200


def bump(*user_ids: int) -> None:
    """Every cached page that shows one of these people is out of date once this commits."""
    transaction.on_commit(lambda: _set_versions([_version_key(pk) for pk in user_ids if pk]))


def bump_everyone() -> None:
    """Every cached page is out of date once this commits (the lessons changed)."""
    transaction.on_commit(lambda: _set_versions([EVERYONE]))


def forget(user_id: int) -> None:
    """Delete every page cached for this reader, once this commits (their account went):
    their version moves on too, so a copy stored meanwhile is never served."""

    def delete() -> None:
        index = _index_key(user_id)
        cache.delete_many([*cache.get(index, []), index])
        cache.set(_version_key(user_id), time.time_ns(), settings.PAGE_CACHE_SECONDS or None)

    transaction.on_commit(delete)


def _set_versions(keys: list[str]) -> None:
    now = time.time_ns()
    if len(keys) == 1:  # one SET, not a pipeline: every signed-in POST bumps its writer
        cache.set(keys[0], now, timeout=None)
    else:
        cache.set_many(dict.fromkeys(keys, now), timeout=None)


def cached_page(*, unless: Callable[..., bool] | None = None):
    """Cache a signed-in GET view's 200 responses; `unless(request)` is true for requests
    whose page must always be rendered afresh."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            def render() -> HttpResponse:
                return view(request, *args, **kwargs)

            if unless and _cacheable(request) and unless(request):
                return render()
            return cached_response(request, render)

        return wrapper

    return decorate


def _cacheable(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and request.user.is_authenticated
        and not getattr(request, "htmx", False)
        and not len(get_messages(request))
    )


def cached_response(
    request, render: Callable[[], HttpResponse], *, people: Iterable[int] = ()
) -> HttpResponse:
    """The page render() makes for this reader, from the cache while it and `people` (the
    others it shows) have not written since.

    For a view that must run some of its code on every visit (a therapist's reads are
    logged each time): it runs that code, then hands the rest of the page to this.
    """
    if not _cacheable(request):
        return render()
    key, stamp, stored, index = _lookup(request, people)
    if stored is not None and stored[0] == stamp:
        return _serve(request, stored[1:])
    response = render()
    if response.status_code == 200 and not response.streaming:
        pages = [key, *(k for k in index if k != key)][:INDEXED]  # newest first, for forget
        cache.set_many(
            {key: (stamp, *_store(request, response)), _index_key(request.user.pk): pages},
            settings.PAGE_CACHE_SECONDS,
        )
    return response


def _lookup(request, people: Iterable[int]) -> tuple[str, str, tuple | None, list[str]]:
    """Where this page is kept for this reader on their local day, the stamp of the
    versions of all it shows, what is kept there (its stamp first) and the reader's index
    of pages, in one round trip to Redis: a copy is served only if its stamp is current."""
    place = f"{request.get_full_path()}\n{request.user.local_today().isoformat()}"
    key = f"pagecache:page:{request.user.pk}:{hashlib.sha256(place.encode()).hexdigest()}"
    versions = [EVERYONE, *map(_version_key, [request.user.pk, *people])]
    index = _index_key(request.user.pk)
    found = cache.get_many([*versions, key, index])
    stamp = hashlib.sha256(
        "\n".join(f"{version}={found.get(version, 0)}" for version in versions).encode()
    ).hexdigest()
    return key, stamp, found.get(key), found.get(index, [])


def _store(request, response: HttpResponse) -> tuple[str, str]:
    """The page with this request's CSRF tokens and nonce replaced by marks."""
    html = response.content.decode()
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        html = _MASKED_TOKEN.sub(
            lambda m: CSRF_MARK if _unmask_cipher_token(m.group()) == secret else m.group(), html
        )
    nonce = getattr(request, "_csp_nonce", None)
    if nonce is not None:
        html = html.replace(str(nonce), NONCE_MARK)
    return response["Content-Type"], html


def _serve(request, stored: tuple[str, str]) -> HttpResponse:
    content_type, html = stored
    if CSRF_MARK in html:
        html = html.replace(CSRF_MARK, get_token(request))
    if NONCE_MARK in html:
        html = html.replace(NONCE_MARK, str(request._csp_nonce))
    return HttpResponse(html, content_type=content_type)


class BumpOnWriteMiddleware:
    """Any POST (or other write) by a signed-in user may change what their pages show."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writer = None
        if request.method not in ("GET", "HEAD", "OPTIONS") and request.user.is_authenticated:
            writer = request.user.pk  # read now: logging out leaves request.user anonymous
        response = self.get_response(request)
        if writer:
            _set_versions([_version_key(writer)])  # the view's writes are committed by now
        return response
