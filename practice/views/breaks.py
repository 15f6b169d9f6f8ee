"""Take a break, and come back: start one, send the message, come back early or call it off,
say how it went."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.http import HtmxHttpRequest, found_or_404
from journal.models import Entry
from journal.selectors import entry_for_user
from journal.services import entry_mark

from .. import breaks, content, selectors, services
from ..forms import BreakForm, BreakNoteForm, WentBackForm
from ..kinds import BREAK, CAME_BACK


def _entry_url(entry: Entry) -> str:
    return reverse("journal:entry_detail", args=[entry.pk])


def _after_break_form(entry: Entry, data=None) -> BreakNoteForm:
    """Whether they went back and how it went. Once they have said they came back (coming
    back early says so), the page asks how it went and keeps their answer folded away, to
    correct a mis-tap; a page sent without it (an older one) saves only how it went."""
    if entry.went_back in CAME_BACK and data is not None and "went_back" not in data:
        return BreakNoteForm(data, initial={"note": entry.note})
    return WentBackForm(data, initial={"went_back": entry.went_back, "note": entry.note})


def break_actions(entry: Entry, now: datetime) -> dict:
    """What a break's page offers (BREAK.actions_context): its message, calling it off,
    saying whether they went back and how it went."""
    reminder = selectors.break_reminder(entry=entry)
    when = breaks.when_words(entry.return_at, now=entry.created_at, zone=entry.user.zone)
    return {
        "after_break_form": _after_break_form(entry),
        "came_back": entry.went_back in CAME_BACK,  # the answer is shown, and folded away
        "reminder": reminder,
        "break_cancelled": entry.called_off_at is not None,
        "break_over": breaks.is_over(entry, now=now),
        "words": content.load("breaks"),
        "alternatives": breaks.messages_for(when)[1:],
    }


def _get_break(request: HtmxHttpRequest, pk: int):
    entry = entry_for_user(user=request.user, pk=pk)
    return found_or_404(entry if entry and entry.kind == BREAK.value else None, "break")


def _back_to(
    request: HtmxHttpRequest, entry: Entry, message: str, *, level: int = messages.SUCCESS
) -> HttpResponse:
    """The break's own page again, with a word on what just happened."""
    messages.add_message(request, level, message)
    return redirect(_entry_url(entry))


def _on_a_break(request: HtmxHttpRequest, running: Entry, now: datetime) -> HttpResponse:
    """The break in progress instead of a second one: one break at a time, one way back."""
    when = breaks.when_words(running.return_at, now=now, zone=request.user.zone)
    then = "To start a new one, come back early or call this one off below."
    if request.method == "POST":
        said = f"You are already on a break until {when}, so no second one was started. {then}"
        return _back_to(request, running, said, level=messages.ERROR)
    return _back_to(
        request, running, f"You are on a break until {when}. {then}", level=messages.INFO
    )


def _sent_again(request: HtmxHttpRequest, running: Entry) -> bool:
    """Whether this is the form that started `running`, sent again (a double tap, a phone
    resending, even once its chosen time has passed): it gets back the break it started, not
    a refusal."""
    return request.method == "POST" and request.POST.get("submission") == str(running.submission)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def break_new(request: HtmxHttpRequest):
    now = timezone.now()
    initial = {"lesson_slug": request.GET.get("lesson", "")}
    form = BreakForm(request.POST or None, user=request.user, now=now, initial=initial)
    running = selectors.running_break(user=request.user, now=now)
    if running and _sent_again(request, running):
        return redirect(_entry_url(running))
    if running:
        return _on_a_break(request, running, now)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.break_start(
                user=request.user,
                return_at=form.cleaned_data["return_at"],
                now=now,
                lesson_slug=form.cleaned_data["lesson_slug"],
                submission=form.cleaned_data["submission"],
            )
        except services.OnABreak as started:  # in another tab, since this page's check
            return _on_a_break(request, started.running, now)
        when = breaks.when_words(entry.return_at, now=now, zone=request.user.zone)
        messages.success(request, f"Your break runs until {when}. Closer will remind you then.")
        if breaks.comes_twice(entry.return_at, zone=request.user.zone):
            messages.info(
                request,
                f"The clocks go back that night, so {when} comes twice: "
                "the reminder comes the first time.",
            )
        return redirect(_entry_url(entry))
    context = {"form": form, "kind": BREAK, "words": content.load("breaks")}
    return render(request, "practice/break_new.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def break_message(request: HtmxHttpRequest, pk: int):
    entry = _get_break(request, pk)
    message = request.POST.get("partner_message", "").replace("\x00", "").strip()[:3000]
    entry_mark(entry=entry, partner_message=message)
    return _back_to(request, entry, "Message saved.")


@login_required
@require_POST
def break_cancel(request: HtmxHttpRequest, pk: int):
    entry = _get_break(request, pk)
    if services.break_cancel(entry=entry, now=timezone.now()):
        return _back_to(request, entry, "Break called off. No reminder will be sent for it.")
    return _back_to(
        request, entry, "The reminder for this break has already gone out.", level=messages.ERROR
    )


@login_required
@require_POST
def break_back_early(request: HtmxHttpRequest, pk: int):
    entry = _get_break(request, pk)
    if services.break_back_early(entry=entry):
        return _back_to(request, entry, "Welcome back. You came back before the time you gave.")
    return _back_to(request, entry, "This break is over already: say below how it went.")


@login_required
@require_POST
def break_back(request: HtmxHttpRequest, pk: int):
    entry = _get_break(request, pk)
    form = _after_break_form(entry, request.POST)
    if not form.is_valid():
        # The break's page again, as journal:entry_detail shows it, with the form's errors.
        now = timezone.now()
        context = {
            "entry": entry,
            "now": now,
            **break_actions(entry, now),
            "after_break_form": form,
        }
        return render(request, "journal/entry_detail.html", context, status=400)
    entry_mark(entry=entry, **form.cleaned_data)
    return _back_to(request, entry, "Saved. Whatever happened, noting it is the practice.")
