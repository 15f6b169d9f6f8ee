"""Today, the home page: what Closer is for a visitor; today's practice for a user."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.http import HtmxHttpRequest
from lessons import selectors as lesson_selectors
from sharing.views import therapist_home

from .. import selectors
from ..forms import FORMS

# Today lists at most this many of today's entries; the journal has the rest.
TODAY_SHOWN = 10


@require_safe
def today(request: HtmxHttpRequest):
    """The home page: what Closer is for a visitor; today's practice for a user."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    if request.user.is_therapist:
        return therapist_home(request)  # their clients first, their own practice below
    day = request.user.local_today()
    todays = list(selectors.entries_for_day(user=request.user, day=day)[: TODAY_SHOWN + 1])
    context = {
        "today": day,
        "quick_form": FORMS["gratitude"](user=request.user),
        "todays_entries": todays[:TODAY_SHOWN],
        "more_today": len(todays) > TODAY_SHOWN,
        "days_practised_this_week": selectors.days_practised_this_week(
            user=request.user, today=day
        ),
        "next_lesson": lesson_selectors.next_lesson_for_user(user=request.user),
    }
    return render(request, "home.html", context)
