"""The weekly check-in: five steps, one a screen, each skippable; past check-ins; the
plain-text version to do it together; the weekly reminder's settings.

Each screen is a plain form (no JavaScript needed) that sends every answer so far, the
other steps' as hidden inputs. Each one sent is kept as the week's draft (sealed like
entries' text), and the page is then shown again from it: a reload, a tab closed or a
phone that locked comes back to the same screen with every answer, until the check-in is
saved or the reader starts over (and confirms it).

Each screen also carries what it was shown from (`CheckInDraft.fingerprint`): a screen sent
from a tab left open since the check-in started over or had that screen answered elsewhere
is refused with what was typed on it, rather than bringing old answers back; one sent after
the check-in was saved leads to it, with what was typed on it beside it (one a week).
"""

from datetime import date, timedelta
from uuid import uuid4

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from core.forms import words_sent
from core.http import HtmxHttpRequest, number_from
from core.paging import page_of
from journal.insights import week_start
from journal.models import Entry
from lessons.services import progress_mark_practised
from nudges import weekly
from nudges.forms import CheckInReminderForm

from .. import content, selectors, services
from ..forms import CheckInForm
from ..kinds import CHECK_IN
from ..models import CheckInDraft

# Screen 0 opens the check-in (and asks about last week's plan); then one screen a step.
# ANSWERS: what each screen asks (what skipping it blanks); SCREENS: what each one shows,
# the last one also the "Keep private" box.
START = ["plan_happened", "plan_note"]
ANSWERS = [START, *([step.key] for step in content.check_in().steps)]
SCREENS = [*ANSWERS[:-1], [*ANSWERS[-1], "is_private"]]
LAST = len(SCREENS) - 1
PAGE_SIZE = 10
# What a draft keeps: every answer and the lesson, not the day (a check-in finished later
# is about the day it is saved) nor the form's one-time token (each page shown has its own).
KEPT = [name for name in CheckInForm.base_fields if name not in ("day", "submission")]
SAVED = "Saved your weekly check-in."
CHANGED_ELSEWHERE = (
    "This check-in changed since this page opened: it was started over, or this screen was "
    "answered again, in another tab or on another device. So nothing from this screen was "
    "kept. What you typed is below, with the other answers as they are now: send this "
    "screen again to keep it."
)


def _screen_of_first_error(form: CheckInForm) -> int | None:
    """The first screen with a problem; the last one for fields no screen shows (the day)."""
    if not form.errors:
        return None
    for number, names in enumerate(SCREENS):
        if any(name in form.errors for name in names):
            return number
    return LAST


def _requested_screen(request: HtmxHttpRequest) -> int:
    screen = number_from(request.POST.get("screen"))
    return 0 if screen is None else min(screen, LAST)


def _form(request: HtmxHttpRequest, data: QueryDict | None) -> CheckInForm:
    today = request.user.local_today()
    initial = {"lesson_slug": request.GET.get("lesson", ""), "day": today}
    return CheckInForm(
        data,
        user=request.user,
        alone=request.user.practises_alone,
        initial=initial,
        instance=Entry(kind=CHECK_IN.value),
    )


def _seen(draft: CheckInDraft | None, screen: int) -> str:
    """What a screen shows its answers from; empty for a check-in not begun."""
    return draft.fingerprint(SCREENS[screen]) if draft else ""


def _day_of(draft: CheckInDraft | None, today: date) -> date:
    """The day a check-in is saved for: today, or the Sunday of the week a draft left late
    last week was begun in (its answers are about that week)."""
    return min(today, draft.week_start + timedelta(days=6)) if draft else today


def _from_draft(request: HtmxHttpRequest, draft: CheckInDraft | None) -> QueryDict:
    """The form's data as the draft keeps it (none for a check-in not begun or started over)."""
    data = QueryDict(mutable=True)
    for name, values in (draft.answers if draft else {}).items():
        data.setlist(name, values)
    data["day"] = _day_of(draft, request.user.local_today()).isoformat()
    data["submission"] = str(uuid4())
    if request.GET.get("lesson"):
        data["lesson_slug"] = request.GET["lesson"]
    return data


def _sent(request: HtmxHttpRequest, draft: CheckInDraft | None, screen: int) -> QueryDict:
    """The answers: this screen's as sent; the others as the draft keeps them, which is
    newer than the hidden copies on a page the browser kept (its Back button)."""
    data = request.POST.copy()
    if draft is not None:
        for name, values in draft.answers.items():
            if name not in SCREENS[screen]:
                data.setlist(name, values)
    return data


def _keep(
    request: HtmxHttpRequest, data: QueryDict, screen: int, week: date | None
) -> CheckInDraft:
    """Keep the answers as the draft of the week starting `week` (None: this week)."""
    answers = {name: data.getlist(name) for name in KEPT}
    return services.check_in_draft_keep(
        user=request.user, screen=screen, answers=answers, week=week
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def check_in_new(request: HtmxHttpRequest):
    today = request.user.local_today()
    draft = selectors.check_in_draft_for(user=request.user, today=today)
    if request.method == "POST":
        return _check_in_step(request, draft)
    saved = selectors.check_in_of_week(user=request.user, day=_day_of(draft, today))
    if saved is not None:
        return _checked_in(request, saved, draft)
    if draft is None:
        services.check_in_draft_forget_old(user=request.user, today=today)
        return _show(request, _form(request, None), screen=0, draft=None)
    return _show(request, _form(request, _from_draft(request, draft)), draft.screen, draft)


def _check_in_step(request: HtmxHttpRequest, draft: CheckInDraft | None):
    """One screen sent: on to the next (or back), kept as the draft; the last one saves."""
    screen = _requested_screen(request)
    if _changed_since_shown(request, draft, screen):
        saved = None if draft else _saved_since_shown(request)
        if saved is not None:
            return _saved_meanwhile(request, saved, screen)
        return _changed_elsewhere(request, draft, screen)
    data = _sent(request, draft, screen)
    week = draft.week_start if draft else None
    go = data.get("go")
    if go == "start_over":  # keep this screen's words too, in case the reader thinks again
        _keep(request, data, screen, week)
        return redirect("practice:check_in_start_over")
    if go == "skip":
        for name in ANSWERS[screen]:
            data[name] = ""
    form = _form(request, data)
    errors_at = _screen_of_first_error(form)
    # Kept as the form holds them once checked: a refused hidden field (the lesson) is not
    # kept to be refused again.
    if go == "back":
        screen = max(screen - 1, 0)  # going back asks nothing of this screen
    elif errors_at is not None and errors_at <= screen:
        return _show(request, form, errors_at, _keep(request, form.data, errors_at, week))
    elif screen == LAST:
        return _save(request, form)
    else:
        screen += 1  # a later screen's problem is shown when it is reached
    _keep(request, form.data, screen, week)
    return redirect("practice:check_in_new")


def _changed_since_shown(request: HtmxHttpRequest, draft: CheckInDraft | None, screen: int):
    """Whether the screen sent was shown from a draft since started over or saved, or from
    answers to it since changed, and sends other answers to it than the draft holds now.
    (The other screens' answers are taken from the draft: see _sent.)"""
    seen = request.POST.get("seen")  # None from a page shown before screens carried it
    if seen is None or seen == _seen(draft, screen):
        return False
    if draft is None:
        return True
    return any(request.POST.getlist(n) != draft.answers.get(n, []) for n in SCREENS[screen])


def _saved_since_shown(request: HtmxHttpRequest) -> Entry | None:
    """The check-in saved for the week of the day the screen carried (this week for a day
    refused, or one whose draft is no longer offered)."""
    form = _form(request, request.POST)
    form.is_valid()
    today = request.user.local_today()
    day = form.cleaned_data.get("day")
    if day is None or day < selectors.check_in_drafts_from(today):
        day = today
    return selectors.check_in_of_week(user=request.user, day=day)


def _saved_meanwhile(request: HtmxHttpRequest, saved: Entry, screen: int):
    """A screen of a check-in saved since it was shown: the same form sent again (a double
    tap) is led where the first was; another keeps what was typed on it beside the saved
    check-in, in its week, rather than beginning a check-in of this week with it."""
    if request.POST.get("submission") == str(saved.submission):
        messages.success(request, SAVED)
        return redirect("practice:check_in_past")
    return _saved_already(
        request, saved, _typed_on(request, screen, QueryDict(mutable=True)), screen
    )


def _saved_already(request: HtmxHttpRequest, saved: Entry, data: QueryDict, screen: int):
    """Keep `data` as the draft of the week `saved` is in, to be shown beside it, and say why."""
    week = week_start(saved.day)
    _keep(request, data, screen, week)
    which = "This" if week == week_start(request.user.local_today()) else "Last"
    messages.info(request, f"{which} week's check-in was saved already, so this one was not.")
    return redirect("practice:check_in_new")


def _changed_elsewhere(request: HtmxHttpRequest, draft: CheckInDraft | None, screen: int):
    """The screen again with what was typed on it, the other answers as the draft holds them
    now (none after Start over), and why; nothing is kept."""
    data = _typed_on(request, screen, _from_draft(request, draft))
    return _show(request, _form(request, data), screen, draft, changed_elsewhere=True)


def _typed_on(request: HtmxHttpRequest, screen: int, data: QueryDict) -> QueryDict:
    """`data` with the answers this screen sent in place of its own."""
    for name in SCREENS[screen]:
        data.setlist(name, request.POST.getlist(name))
    return data


def _show(
    request: HtmxHttpRequest,
    form: CheckInForm,
    screen: int,
    draft: CheckInDraft | None,
    *,
    changed_elsewhere: bool = False,
):
    screen = min(screen, LAST)  # a draft kept before the check-in lost a step
    today = request.user.local_today()
    plan = selectors.last_plan(user=request.user, before=today)
    late = draft is not None and draft.week_start < week_start(today)  # begun last week
    context = {
        "form": form,
        "screen": screen,
        "last": LAST,
        "steps": len(SCREENS) - 1,
        "shown": SCREENS[screen],
        "step": content.check_in().steps[screen - 1] if screen else None,
        "content": content.check_in(),
        "plan": plan,
        "plan_prompt": content.check_in().did_it_happen.split("{plan}"),
        "kind": CHECK_IN,
        "draft": draft,
        "seen": _seen(draft, screen),
        "changed_elsewhere": CHANGED_ELSEWHERE if changed_elsewhere else "",
        "late_for": _day_of(draft, today) if late else None,
    }
    return render(request, "practice/check_in.html", context)


def _save(request: HtmxHttpRequest, form: CheckInForm):
    data = form.cleaned_data
    plan = selectors.last_plan(user=request.user, before=request.user.local_today())
    if not plan:  # nothing was asked about a plan that did not exist
        data |= {"plan_happened": "", "plan_note": ""}
    try:
        services.check_in_create(user=request.user, last_plan=plan, **data)
    except services.CheckedIn as already:  # from another tab or device, since this began
        return _saved_already(request, already.entry, form.data, LAST)
    if data["lesson_slug"]:
        progress_mark_practised(user=request.user, slug=data["lesson_slug"], kind=CHECK_IN.value)
    messages.success(request, SAVED)
    return redirect("practice:check_in_past")


def _unsaved_words(draft: CheckInDraft | None, saved: Entry) -> list[tuple[str, str]]:
    """The draft's words that the saved check-in does not hold, as (label, text)."""
    if draft is None:
        return []
    differ = {
        name: text
        for name, values in draft.answers.items()
        if (text := "".join(values[-1:]).replace("\r\n", "\n").strip())
        != str(getattr(saved, name, ""))
    }
    return words_sent(CheckInForm, differ)


def _checked_in(request: HtmxHttpRequest, saved: Entry, draft: CheckInDraft | None):
    """The week's check-in, saved already; with the words of another page that were not
    saved as a second one (kept as the draft until read and deleted)."""
    words = _unsaved_words(draft, saved)
    if draft and not words:  # nothing in it that the check-in does not hold
        services.check_in_draft_discard(user=request.user)
    today = request.user.local_today()
    context = {
        "entry": saved,
        "words": words,
        "this_week": week_start(saved.day) == week_start(today),
        "next_opens": week_start(today) + timedelta(days=7),
        "kind": CHECK_IN,
    }
    return render(request, "practice/check_in_saved.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def check_in_start_over(request: HtmxHttpRequest):
    """Delete the answers so far: a page that asks first, then its button."""
    if request.method != "POST":
        draft = selectors.check_in_draft_for(user=request.user, today=request.user.local_today())
        if draft is None:
            return redirect("practice:check_in_new")
        return render(request, "practice/check_in_start_over.html")
    today = request.user.local_today()
    draft = selectors.check_in_draft_for(user=request.user, today=today)
    services.check_in_draft_discard(user=request.user)
    if selectors.check_in_of_week(user=request.user, day=_day_of(draft, today)):
        messages.success(request, "Those words are deleted. Your saved check-in is as it was.")
    else:
        messages.success(request, "Your answers so far are deleted. The check-in starts afresh.")
    return redirect("practice:check_in_new")


@login_required
@require_safe
def check_in_past(request: HtmxHttpRequest):
    page = page_of(
        selectors.check_ins_for(user=request.user), request.GET.get("page"), size=PAGE_SIZE
    )
    return render(request, "practice/check_in_past.html", {"page": page})


@login_required
@require_safe
def check_in_together(request: HtmxHttpRequest):
    alone = request.user.practises_alone
    words = content.check_in()
    questions = [step.alone_prompt if alone else step.prompt for step in words.steps]
    lines = [words.together_intro, ""]
    lines += [f"{n}. {question}" for n, question in enumerate(questions, start=1)]
    return render(
        request,
        "practice/check_in_together.html",
        {"text": "\n".join(lines), "questions": questions, "content": words, "kind": CHECK_IN},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def check_in_reminder(request: HtmxHttpRequest):
    reminder = weekly.reminder_for(user=request.user)
    form = CheckInReminderForm(
        request.POST or None, initial=CheckInReminderForm.initial_for(reminder)
    )
    if request.method == "POST" and form.is_valid():
        reminder = weekly.reminder_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Your check-in reminder is saved.")
        return redirect("practice:check_in_reminder")
    return render(request, "practice/check_in_reminder.html", {"form": form, "reminder": reminder})
