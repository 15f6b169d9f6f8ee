"""The self-checks that show change: the four abilities and love languages.

Each take is an entry; a retake is a new one, so the insights can draw them over time.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from core.http import HtmxHttpRequest, found_or_404
from journal.models import Entry
from journal.selectors import entry_for_user
from lessons.selectors import lessons_by_slug
from lessons.services import progress_mark_practised

from .. import content, selectors, services
from ..forms import FourAbilitiesForm, LoveLanguagesForm
from ..kinds import FOUR_ABILITIES, LOVE_LANGUAGES

LOW, HIGH = 2.5, 3.5  # a score below LOW reads as low, above HIGH as high


def band(score: float) -> str:
    return "low" if score < LOW else "high" if score > HIGH else "middle"


@login_required
@require_safe
def self_checks(request: HtmxHttpRequest):
    rows = []
    for kind in (FOUR_ABILITIES, LOVE_LANGUAGES):
        takes = selectors.self_checks_for(user=request.user, kind=kind.value)
        rows.append((kind, takes.last(), takes.count()))
    context = {"rows": rows, "due": selectors.self_check_due(request.user)}
    return render(request, "practice/self_checks.html", context)


def _take_form[F: forms.Form](request: HtmxHttpRequest, form_class: type[F]) -> F:
    """A self-check's form, remembering the lesson it was opened from."""
    return form_class(request.POST or None, initial={"lesson_slug": request.GET.get("lesson", "")})


def _taken(request: HtmxHttpRequest, form: forms.Form) -> dict:
    """What every take is saved with: who took it, today, the lesson it came from, and the
    form's token."""
    return {
        "user": request.user,
        "day": request.user.local_today(),
        "lesson_slug": form.cleaned_data["lesson_slug"],
        "submission": form.cleaned_data["submission"],
    }


def _saved(request: HtmxHttpRequest, entry: Entry, message: str) -> HttpResponse:
    """A take is saved: its lesson is practised, and the result page shows it."""
    if entry.lesson_slug:
        progress_mark_practised(user=request.user, slug=entry.lesson_slug, kind=entry.kind)
    messages.success(request, message)
    return redirect("practice:self_check_result", pk=entry.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def four_abilities_new(request: HtmxHttpRequest):
    form = _take_form(request, FourAbilitiesForm)
    if request.method == "POST" and form.is_valid():
        entry = services.four_abilities_create(ratings=form.ratings(), **_taken(request, form))
        return _saved(request, entry, "Saved your four abilities self-check.")
    context = {"form": form, "content": content.four_abilities(), "kind": FOUR_ABILITIES}
    return render(request, "practice/four_abilities_form.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def love_languages_new(request: HtmxHttpRequest):
    form = _take_form(request, LoveLanguagesForm)
    if request.method == "POST" and form.is_valid():
        entry = services.love_languages_create(
            my_order=form.order("mine"), their_order=form.order("theirs"), **_taken(request, form)
        )
        return _saved(request, entry, "Saved your love languages.")
    context = {
        "form": form,
        "content": content.love_languages(),
        "kind": LOVE_LANGUAGES,
        "alone": request.user.practises_alone,
    }
    return render(request, "practice/love_languages_form.html", context)


@login_required
@require_safe
def self_check_result(request: HtmxHttpRequest, pk: int):
    entry = found_or_404(entry_for_user(user=request.user, pk=pk), "self-check")
    if entry.kind == FOUR_ABILITIES.value:
        return render(request, "practice/four_abilities_result.html", _abilities_context(entry))
    if entry.kind == LOVE_LANGUAGES.value:
        return render(request, "practice/love_languages_result.html", _languages_context(entry))
    return redirect(reverse("journal:entry_detail", args=[entry.pk]))


def _earlier(entry: Entry) -> Entry | None:
    """The take of the same self-check before this one, to compare with."""
    takes = selectors.self_checks_for(user=entry.user, kind=entry.kind)
    return takes.filter(day__lte=entry.day, pk__lt=entry.pk).last()


def _abilities_context(entry: Entry) -> dict:
    abilities = content.four_abilities()
    earlier = _earlier(entry)
    rows = []
    for ability in abilities.abilities:
        score = entry.scores.get(ability.key, 0)
        before = earlier.scores.get(ability.key) if earlier else None
        rows.append(
            {
                "ability": ability,
                "score": score,
                "band": band(score),
                "reading": ability.reading[band(score)],
                "before": before,
            }
        )
    lowest = min(rows, key=lambda row: row["score"])["ability"]
    return {
        "entry": entry,
        "content": abilities,
        "rows": rows,
        "earlier": earlier,
        "lowest": lowest,
        "lessons": lessons_by_slug(list(lowest.lessons)),
    }


def _languages_context(entry: Entry) -> dict:
    languages = content.love_languages()
    first = languages.language(entry.their_order[0])
    earlier = _earlier(entry)
    return {
        "entry": entry,
        "mine": [languages.language(key) for key in entry.my_order],
        "theirs": [languages.language(key) for key in entry.their_order],
        "first": first,
        "earlier": earlier,
        "earlier_mine": _names(languages, earlier.my_order) if earlier else "",
        "earlier_theirs": _names(languages, earlier.their_order) if earlier else "",
    }


def _names(languages: content.LoveLanguages, order: list[str]) -> str:
    return ", ".join(languages.language(key).name for key in order)
