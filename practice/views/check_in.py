"""The weekly check-in: five steps, one a screen, each skippable; past check-ins; the
plain-text version to do it together; the weekly reminder's settings.

The steps' answers travel with the form from screen to screen (hidden inputs), so nothing
is stored until the last screen is saved and the flow needs no JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from core.http import HtmxHttpRequest, number_from
from core.paging import page_of
from journal.models import Entry
from journal.services import entry_create
from lessons.services import progress_mark_practised
from nudges import weekly
from nudges.forms import CheckInReminderForm

from .. import content, selectors
from ..forms import CheckInForm
from ..kinds import CHECK_IN

# Screen 0 opens the check-in (and asks about last week's plan); then one screen a step.
START = ["plan_happened", "plan_note"]
SCREENS = [START, *([step.key] for step in content.check_in().steps)]
SCREENS[-1] = [*SCREENS[-1], "is_private"]
LAST = len(SCREENS) - 1
PAGE_SIZE = 10


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


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def check_in_new(request: HtmxHttpRequest):
    today = request.user.local_today()
    alone = request.user.practises_alone
    plan = selectors.last_plan(user=request.user, before=today)
    screen = _requested_screen(request) if request.method == "POST" else 0
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and data.get("go") == "skip":
        for name in SCREENS[screen]:
            data[name] = ""
    initial = {"lesson_slug": request.GET.get("lesson", ""), "day": today}
    form = CheckInForm(
        data, user=request.user, alone=alone, initial=initial, instance=Entry(kind=CHECK_IN.value)
    )
    if data is not None:
        valid = form.is_valid()
        errors_at = _screen_of_first_error(form)
        if data.get("go") == "back":
            screen = max(screen - 1, 0)
            form.errors.clear()  # going back asks nothing of this screen
        elif errors_at is not None and errors_at <= screen:
            screen = errors_at
        elif screen == LAST and valid:
            return _save(request, form, plan=plan)
        else:
            screen += 1
            form.errors.clear()  # a later screen's problem is shown when it is reached
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
    }
    return render(request, "practice/check_in.html", context)


def _save(request: HtmxHttpRequest, form: CheckInForm, *, plan: str):
    data = form.cleaned_data
    if not plan:  # nothing was asked about a plan that did not exist
        data |= {"plan_happened": "", "plan_note": ""}
    entry_create(user=request.user, kind=CHECK_IN.value, last_plan=plan, **data)
    if data["lesson_slug"]:
        progress_mark_practised(user=request.user, slug=data["lesson_slug"], kind=CHECK_IN.value)
    messages.success(request, "Saved your weekly check-in.")
    return redirect("practice:check_in_past")


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
