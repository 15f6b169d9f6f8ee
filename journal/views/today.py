"""Today, the home page: what Closer is for a visitor; today's practice for a user."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.http import HtmxHttpRequest, number_from
from core.pagecache import cached_page
from lessons import selectors as lesson_selectors
from nudges.services import failed_notice_pending, failed_notice_take
from practice import selectors as practice_selectors
from sharing.views import therapist_home

from .. import selectors, situations
from ..forms import FORMS

# Today lists at most this many of today's entries; the journal has the rest.
TODAY_SHOWN = 10


@require_safe
@cached_page(  # a therapist's every visit is in the access log; a failed nudge is said once
    unless=lambda request: request.user.is_therapist or failed_notice_pending(user=request.user)
)
def today(request: HtmxHttpRequest):
    """The home page: what Closer is for a visitor; today's practice for a user."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    if request.user.is_therapist:
        return therapist_home(request)  # their clients first, their own practice below
    day = request.user.local_today()
    todays = list(selectors.entries_for_day(user=request.user, day=day)[: TODAY_SHOWN + 1])
    next_lesson = lesson_selectors.next_lesson_for_user(user=request.user)
    context = {
        "today": day,
        "next_step": practice_selectors.next_step(
            user=request.user,
            today=day,
            next_lesson=next_lesson,
            lessons_done=lesson_selectors.lessons_done_count(user=request.user),
        ),
        "just_saved": _just_saved(request),
        "nudge_failed": failed_notice_take(user=request.user),
        "words": situations.words_for(request.user),
        "quick_form": FORMS["gratitude"](user=request.user),
        "todays_entries": todays[:TODAY_SHOWN],
        "more_today": len(todays) > TODAY_SHOWN,
        "days_practised_this_week": selectors.days_practised_this_week(
            user=request.user, today=day
        ),
    }
    return render(request, "home.html", context)


def _just_saved(request: HtmxHttpRequest):
    """The gratitude entry saved a moment ago, to offer "Tell them" right away."""
    pk = number_from(request.GET.get("saved"))
    if pk is None:
        return None
    entry = selectors.entry_for_user(user=request.user, pk=pk)
    return entry if entry and entry.kind == "gratitude" and not entry.told_partner else None
