"""Take a break, and come back: start one, send the message, call it off, say how it went."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.http import HtmxHttpRequest, found_or_404

from .. import breaks, selectors, services, texts
from ..forms import BreakForm, WentBackForm
from ..kinds import BREAK
from ..models import Entry
from .entries import entry_page, entry_url


def _get_break(request: HtmxHttpRequest, pk: int):
    entry = selectors.entry_for_user(user=request.user, pk=pk)
    return found_or_404(entry if entry and entry.kind == BREAK.value else None, "break")


def _back_to(
    request: HtmxHttpRequest, entry: Entry, message: str, *, level: int = messages.SUCCESS
) -> HttpResponse:
    """The break's own page again, with a word on what just happened."""
    messages.add_message(request, level, message)
    return redirect(entry_url(entry))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def break_new(request: HtmxHttpRequest):
    now = timezone.now()
    initial = {"lesson_slug": request.GET.get("lesson", "")}
    form = BreakForm(request.POST or None, user=request.user, now=now, initial=initial)
    if request.method == "POST" and form.is_valid():
        entry = services.break_start(
            user=request.user,
            return_at=form.cleaned_data["return_at"],
            now=now,
            lesson_slug=form.cleaned_data["lesson_slug"],
        )
        when = breaks.when_words(entry.return_at, now=now, zone=request.user.zone)
        messages.success(request, f"Your break runs until {when}. Closer will remind you then.")
        return redirect(entry_url(entry))
    context = {"form": form, "kind": BREAK, "words": texts.load("breaks")}
    return render(request, "journal/break_new.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def break_message(request: HtmxHttpRequest, pk: int):
    entry = _get_break(request, pk)
    message = request.POST.get("partner_message", "").replace("\x00", "").strip()[:3000]
    services.entry_mark(entry=entry, partner_message=message)
    return _back_to(request, entry, "Message saved.")


@login_required
@require_POST
def break_cancel(request: HtmxHttpRequest, pk: int):
    entry = _get_break(request, pk)
    if services.break_cancel(entry=entry):
        return _back_to(request, entry, "Break called off. No reminder will be sent for it.")
    return _back_to(
        request, entry, "The reminder for this break has already gone out.", level=messages.ERROR
    )


@login_required
@require_POST
def break_back(request: HtmxHttpRequest, pk: int):
    entry = _get_break(request, pk)
    form = WentBackForm(request.POST)
    if not form.is_valid():
        return entry_page(request, entry, status=400, went_back_form=form)
    services.entry_mark(entry=entry, **form.cleaned_data)
    return _back_to(request, entry, "Saved. Whatever happened, noting it is the practice.")
