"""The vulnerability ladder: rungs from easiest to hardest, moved with buttons, ticked when
done with how it went; suggested first rungs for anyone who does not know where to begin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.http import HtmxHttpRequest, found_or_404, number_from
from journal.forms import OneEntryForm
from journal.models import Entry
from lessons.selectors import VULNERABILITY_MODULE, next_in_module
from lessons.services import progress_mark_practised

from .. import content, selectors, services
from ..forms import RungDoneForm, RungForm
from ..kinds import RUNG


def _rung(request: HtmxHttpRequest, pk: int) -> Entry:
    return found_or_404(selectors.rung_for_user(user=request.user, pk=pk), "rung")


def _ladder_url(lesson: str = "") -> str:
    url = reverse("practice:ladder")
    return url + "?" + urlencode({"lesson": lesson}) if lesson else url


def _ladder_page(request: HtmxHttpRequest, *, form: RungForm | None = None, status: int = 200):
    lesson = request.GET.get("lesson", "") or request.POST.get("lesson_slug", "")
    rungs = list(selectors.rungs_for(user=request.user))
    form = form or RungForm(
        user=request.user,
        instance=Entry(user=request.user, kind=RUNG.value),
        initial={"lesson_slug": lesson},
    )
    context = {
        "rungs": rungs,
        "form": form,
        "content": content.ladder(),
        "first_rungs": content.ladder().first_rungs,
        # No id on its token: the rung form's token has id_submission, and an id is one a page.
        "first_rungs_form": OneEntryForm(auto_id=False),
        "kind": RUNG,
        "full": len(rungs) >= services.LADDER_MAX,
        "most": services.LADDER_MAX,
        "lesson": lesson,
    }
    return render(request, "practice/ladder.html", context, status=status)


@login_required
@require_safe
def ladder(request: HtmxHttpRequest):
    return _ladder_page(request)


@login_required
@require_POST
def rung_new(request: HtmxHttpRequest):
    form = RungForm(
        request.POST, user=request.user, instance=Entry(user=request.user, kind=RUNG.value)
    )
    if not form.is_valid():
        return _ladder_page(request, form=form)
    try:
        services.rung_add(user=request.user, **form.cleaned_data)
    except services.LadderFull:
        form.add_error(
            None,
            f"Your ladder has {services.LADDER_MAX} rungs, the most it can hold. Tick or delete "
            "one before adding another.",
        )
        return _ladder_page(request, form=form)
    _practised(request, form.cleaned_data["lesson_slug"])
    messages.success(request, "Added to your ladder.")
    return redirect(_ladder_url(form.cleaned_data["lesson_slug"]) + "#ladder")


@login_required
@require_POST
def ladder_first_rungs(request: HtmxHttpRequest):
    """Copy the suggested first rungs the user ticked onto their ladder. Their form sent again
    makes no more (services.first_rungs_add) and answers as the first copy did: the rungs it
    made take no more room."""
    suggestions = content.ladder().first_rungs
    picked = sorted(
        {
            n
            for raw in request.POST.getlist("rung")
            if (n := number_from(raw, below=len(suggestions))) is not None
        }
    )
    token = OneEntryForm(request.POST)
    submission = token.cleaned_data["submission"] if token.is_valid() else None
    lesson = request.POST.get("lesson_slug", "")
    if not picked:
        messages.error(request, "Tick at least one suggestion to add it.")
        return redirect(_ladder_url(lesson) + "#ladder")
    try:
        services.first_rungs_add(
            user=request.user,
            day=request.user.local_today(),
            numbers=picked,
            submission=submission,
        )
    except services.LadderFull as full:
        messages.error(
            request,
            f"Your ladder has room for {full.room} more rungs. "
            "Tick fewer, or tick or delete some rungs first.",
        )
    else:
        _practised(request, lesson)
        messages.success(
            request, f"Added {len(picked)} to your ladder. Change any of them to fit you."
        )
    return redirect(_ladder_url(lesson) + "#ladder")


@login_required
@require_POST
def rung_move(request: HtmxHttpRequest, pk: int):
    rung = _rung(request, pk)
    harder = request.POST.get("direction") == "harder"
    if not services.rung_move(rung=rung, harder=harder):
        messages.error(request, f"That rung is already the {'hardest' if harder else 'easiest'}.")
    return HttpResponseRedirect(reverse("practice:ladder") + f"#rung-{rung.pk}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rung_done(request: HtmxHttpRequest, pk: int):
    rung = _rung(request, pk)
    form = RungDoneForm(
        request.POST or None, initial={"lesson_slug": request.GET.get("lesson", "")}
    )
    if request.method == "POST" and form.is_valid():
        lesson = form.cleaned_data.pop("lesson_slug")
        services.rung_mark_done(rung=rung, done_on=request.user.local_today(), **form.cleaned_data)
        _practised(request, lesson)
        messages.success(request, "Rung done. Well done for taking it.")
        return redirect("practice:rung_taken", pk=rung.pk)
    return render(request, "practice/rung_done.html", {"rung": rung, "form": form})


@login_required
@require_safe
def rung_taken(request: HtmxHttpRequest, pk: int):
    """After a rung: how it went, the next rung, and the next lesson on opening up."""
    rung = _rung(request, pk)
    context = {
        "rung": rung,
        "next_rung": selectors.next_rung(request.user),
        "next_lesson": next_in_module(module_slug=VULNERABILITY_MODULE, user=request.user),
    }
    return render(request, "practice/rung_taken.html", context)


def _practised(request: HtmxHttpRequest, slug: str) -> None:
    if slug:
        progress_mark_practised(user=request.user, slug=slug, kind=RUNG.value)
