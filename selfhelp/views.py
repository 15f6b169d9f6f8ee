"""Pages that belong to the whole app rather than to one feature."""

import hashlib
import json
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_safe

from journal import selectors as journal_selectors
from journal.forms import GratitudeForm
from lessons import selectors as lesson_selectors
from nudges.services import failed_notice_take

# The home page lists at most this many of today's entries; the journal has the rest.
TODAY_SHOWN = 10


@require_safe
def home(request):
    if not request.user.is_authenticated:
        return render(request, "home.html")
    today = request.user.local_today()
    todays_entries = list(
        journal_selectors.entries_for_day(user=request.user, day=today)[: TODAY_SHOWN + 1]
    )
    context = {
        "today": today,
        "quick_form": GratitudeForm(user=request.user),
        "todays_entries": todays_entries[:TODAY_SHOWN],
        "more_today": len(todays_entries) > TODAY_SHOWN,
        "days_practised_this_week": journal_selectors.days_practised_this_week(
            user=request.user, today=today
        ),
        "next_lesson": lesson_selectors.next_lesson_for_user(user=request.user),
        "nudge_failed": failed_notice_take(user=request.user),
    }
    return render(request, "home.html", context)


@require_GET
def get_help(request):
    return render(request, "get_help.html")


# Installable on a phone: the manifest, the service worker and the page it shows offline.
THEME_COLOUR = "#2f5d62"  # --accent in static/css/app.css
BACKGROUND_COLOUR = "#fbf8f3"  # --paper
ICONS = [
    ("img/icon-192.png", "192x192", "any"),
    ("img/icon-512.png", "512x512", "any"),
    ("img/icon-maskable-512.png", "512x512", "maskable"),
]
# The app shell: files the service worker keeps so the offline page looks like the app.
# Nothing here carries anything a user wrote.
SHELL = [
    "css/app.css",
    "js/app.js",
    "django_htmx/htmx-2.min.js",
    "img/icon.svg",
    "img/icon-192.png",
]


@require_GET
def manifest(request):
    data = {
        "name": "Closer",
        "short_name": "Closer",
        "description": "Guided self-help for people who pull away when relationships get close.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@require_GET
def service_worker(request):
    """static/js/sw.js from the root path, so its scope is the whole site.

    It is told the current (hashed) addresses of the app shell; when any of them changes,
    so does its cache name, and the old cache is dropped.
    """
    shell = [reverse("offline"), *(static(path) for path in SHELL)]
    source = Path(finders.find("js/sw.js")).read_text()
    version = hashlib.sha256(json.dumps(shell).encode() + source.encode()).hexdigest()[:12]
    preamble = f"const SHELL = {json.dumps(shell)};\nconst VERSION = {json.dumps(version)};\n"
    response = HttpResponse(preamble + source, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request):
    """Shown by the service worker when a page cannot load. Kept by the browser, so it
    carries no user's details: it is always rendered as for a visitor."""
    request.user = AnonymousUser()
    return render(request, "offline.html")
