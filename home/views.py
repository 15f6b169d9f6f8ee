"""The top floor's pages, which compose several features: Today (the home page), the
profile and the step after sign-up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

import nudges.services
from accounts.two_step import has_two_step
from core.http import HtmxHttpRequest, number_from, page_is_seen
from journal import selectors, situations
from journal.forms import FORMS
from lessons import selectors as lesson_selectors
from nudges.services import failed_notice_take
from practice import selectors as practice_selectors
from sharing import selectors as sharing_selectors
from sharing.pages import clients_page

from . import services
from .forms import FirstRunForm, ProfileForm

# Today lists at most this many of today's entries; the journal has the rest.
TODAY_SHOWN = 10


@require_safe
def today(request: HtmxHttpRequest):
    """The home page: what Closer is for a visitor; today's practice for a user."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    if request.user.is_therapist:
        return clients_page(request, home=True)  # their clients first, their own practice below
    day = request.user.local_today()
    todays = list(selectors.entries_for_day(user=request.user, day=day)[: TODAY_SHOWN + 1])
    done = lesson_selectors.lessons_done(user=request.user)
    now = practice_selectors.practice_now(user=request.user, today=day)
    context = {
        "today": day,
        "next_step": practice_selectors.next_step(
            user=request.user,
            today=day,
            next_lesson=lesson_selectors.next_lesson_for_user(user=request.user, done=done),
            lessons_done=lesson_selectors.lessons_done_count(user=request.user, done=done),
            ended_break=now.ended_break,
        ),
        "homework": next(
            iter(sharing_selectors.homework_open_for_client(client=request.user)), None
        ),
        "running_break": now.running_break,
        "next_rung": now.next_rung,
        "check_in_today": practice_selectors.check_in_today(request.user),
        "just_saved": _just_saved(request),
        "nudge_failed": failed_notice_take(user=request.user) if page_is_seen(request) else None,
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


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_save(user=request.user, **form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect("home:profile")
    context = {"form": form, "two_step": has_two_step(request.user)}
    return render(request, "home/profile_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def first_run(request):
    """The step after sign-up (ACCOUNT_SIGNUP_REDIRECT_URL); skipping it changes nothing.
    A therapist or coach without a journal of their own has nothing to answer here."""
    if not request.user.journal_prompts:
        messages.success(request, "Welcome. Invite your first client below.")
        return redirect("home")
    schedule = nudges.services.schedule_create_default(user=request.user)
    initial = FirstRunForm.initial_for(request.user, schedule)
    form = FirstRunForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.first_run_save(user=request.user, **form.cleaned_data)
        messages.success(request, "Saved. You can change both at any time on your profile.")
        return redirect("home")
    return render(request, "home/first_run.html", {"form": form})
