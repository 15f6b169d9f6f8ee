from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import retarget

from core.http import HtmxHttpRequest, found_or_404, page_is_seen

from .forms import CHANGED_ELSEWHERE, ReflectionForm, answer_seen
from .models import Lesson, Practice, Reflection
from .selectors import (
    LessonPlace,
    focus_for,
    lesson_place,
    lessons_by_slug,
    next_lesson_for_user,
    path_for_user,
    practice_url,
    progress_for,
    published_lessons,
    reflection_for,
)
from .services import progress_mark_done, progress_mark_not_done, progress_start, reflection_save

LESSON_PAGE = "lessons/lesson_detail.html"


def _get_lesson(slug: str) -> Lesson:
    """A published Lesson, or 404 (unknown and unpublished look the same)."""
    return found_or_404(published_lessons().filter(slug=slug).first(), "lesson")


@login_required
@require_safe
def lesson_path(request: HtmxHttpRequest) -> HttpResponse:
    path = path_for_user(user=request.user)
    focus = focus_for(user=request.user)
    context = {
        "path": path,
        "next_lesson": path.next_lesson,
        "focus": focus,
        "focus_lessons": lessons_by_slug(list(focus.lesson_slugs)) if focus else [],
    }
    return render(request, "lessons/path.html", context)


@login_required
@require_safe
def lesson_continue(request: HtmxHttpRequest) -> HttpResponse:
    lesson = next_lesson_for_user(user=request.user)
    if lesson is None:
        messages.success(request, "You've finished every lesson. Come back to any of them.")
        return redirect("lessons:path")
    return redirect(lesson)


@login_required
@require_safe
def lesson_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    lesson = _get_lesson(slug)
    if page_is_seen(request):
        progress = progress_start(user=request.user, lesson=lesson)
    else:
        progress = progress_for(user=request.user, lesson=lesson)
    is_done = progress is not None and progress.done_at is not None
    return render(request, LESSON_PAGE, _page_context(request, lesson, is_done=is_done))


@login_required
@require_POST
def lesson_done(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Mark the Lesson done, saving the reflection typed on its page on the way: the button
    sends the reflection form (see the template), so nothing typed is lost by tapping it."""
    lesson = _get_lesson(slug)
    form = _typed_reflection(request, lesson)
    if form is not None and not form.is_valid():
        return _reflection_refused(request, lesson, form)
    if form is not None:
        reflection_save(user=request.user, lesson=lesson, answer=form.cleaned_data["answer"])
    progress_mark_done(user=request.user, lesson=lesson)
    place = lesson_place(lesson=lesson, situation=request.user.situation)
    message = _done_message(lesson, place)
    if form is not None:
        message += " Your reflection is saved."
    if request.htmx:
        context = _done_context(request, lesson, is_done=True, done_message=message)
        context |= {"place": place, "reflection_saved": form is not None}
        if form is not None:  # the reflection form shows the answer saved from now on
            context |= _practice_context(request, lesson)
        return render(request, f"{LESSON_PAGE}#done", context)
    messages.success(request, message)
    return redirect(place.next or "lessons:path")


@login_required
@require_POST
def lesson_not_done(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    lesson = _get_lesson(slug)
    progress_mark_not_done(user=request.user, lesson=lesson)
    context = _done_context(request, lesson, is_done=False)
    if request.htmx:
        return render(request, f"{LESSON_PAGE}#done", context)
    return redirect(lesson.get_absolute_url() + context["version_query"])


@login_required
@require_POST
def lesson_reflection(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    lesson = _get_lesson(slug)
    practice = _practice_shown(request, lesson)
    if not practice.is_reflection:
        raise Http404("This lesson's practice is not a reflection.")
    form = ReflectionForm(request.POST, question=practice.question)
    if not form.is_valid():
        return _reflection_refused(request, lesson, form)
    reflection = reflection_save(
        user=request.user, lesson=lesson, answer=form.cleaned_data["answer"]
    )
    if request.htmx:
        context = _practice_context(request, lesson, reflection=reflection, just_saved=True)
        return render(request, f"{LESSON_PAGE}#reflection", context)
    messages.success(request, "Your reflection is saved.")
    return redirect(lesson.get_absolute_url() + _version_query(lesson, practice) + "#practice")


def _typed_reflection(request: HtmxHttpRequest, lesson: Lesson) -> ReflectionForm | None:
    """The reflection sent with "Mark as done", bound, when it holds words typed on that page;
    None when there is nothing to save (no reflection on the page, an empty box, the box as
    the page showed it, or the answer already saved). Words typed on a page that showed an
    answer since changed elsewhere are refused, not saved over it."""
    practice = _practice_shown(request, lesson)
    if not practice.is_reflection or not request.POST.get("answer", "").strip():
        return None
    form = ReflectionForm(request.POST, question=practice.question)
    if not form.is_valid():
        return form
    saved = reflection_for(user=request.user, lesson=lesson)
    saved_answer = saved.answer if saved else ""
    typed, shown = form.cleaned_data["answer"], form.cleaned_data["shown"]
    if typed == saved_answer or answer_seen(typed) == shown:
        return None
    if shown and answer_seen(saved_answer) != shown:
        form.add_error("answer", CHANGED_ELSEWHERE)
    return form


def _reflection_refused(request: HtmxHttpRequest, lesson: Lesson, form: ReflectionForm):
    """The reflection form again with its error and the text as sent; nothing is saved."""
    if request.htmx:
        # The box with the problem takes the focus as it arrives, whichever button sent it
        # ("Mark as done" stays where it was, so nothing else would move the focus there).
        form.fields["answer"].widget.attrs["autofocus"] = True
        context = _practice_context(request, lesson, form=form)
        response = render(request, f"{LESSON_PAGE}#reflection", context)
        return retarget(response, "#reflection-region")
    progress = progress_for(user=request.user, lesson=lesson)
    is_done = progress is not None and progress.done_at is not None
    return render(request, LESSON_PAGE, _page_context(request, lesson, is_done, form=form))


def _practice_shown(request: HtmxHttpRequest, lesson: Lesson) -> Practice:
    """The practice that fits the reader's situation, unless they asked for the other one
    (?practice=alone or ?practice=partner)."""
    asked = request.GET.get("practice")
    alone = asked == "alone" if asked in ("alone", "partner") else request.user.practises_alone
    return lesson.practice_for(alone=alone)


def _version_query(lesson: Lesson, practice: Practice) -> str:
    """Keeps the version shown across a form's round trip, when the Lesson has two."""
    if not lesson.has_alone_practice:
        return ""
    return "?practice=alone" if practice.alone else "?practice=partner"


def _done_message(lesson: Lesson, place: LessonPlace) -> str:
    """What the user reads right after marking a Lesson done."""
    if place.next is None:
        return f"You've finished the last lesson of “{lesson.module.title}”, the final module."
    if place.next_module:
        return (
            f"You've finished the last lesson of “{lesson.module.title}”. "
            f"Next module: “{place.next_module.title}”."
        )
    return f"“{lesson.title}” is done."


def _done_context(request, lesson: Lesson, *, is_done: bool, done_message: str = "") -> dict:
    """What the done region needs on its own: its button sends the reflection form when the
    practice shown is a reflection."""
    practice = _practice_shown(request, lesson)
    return {
        "lesson": lesson,
        "practice": practice,
        "version_query": _version_query(lesson, practice),
        "is_done": is_done,
        "done_message": done_message,
    }


def _page_context(request, lesson: Lesson, is_done: bool, *, form=None) -> dict:
    return {
        "place": lesson_place(lesson=lesson, situation=request.user.situation),
        "is_done": is_done,
        "done_message": "You've marked this lesson as done.",
        **_practice_context(request, lesson, form=form),
    }


def _practice_context(
    request,
    lesson: Lesson,
    *,
    form: ReflectionForm | None = None,
    reflection: Reflection | None = None,
    just_saved: bool = False,
) -> dict:
    practice = _practice_shown(request, lesson)
    context = {
        "lesson": lesson,
        "practice": practice,
        "version_query": _version_query(lesson, practice),
        "other_query": _version_query(lesson, lesson.practice_for(alone=not practice.alone)),
    }
    if not practice.is_reflection:
        return context | {"practice_url": practice_url(lesson, practice)}
    if reflection is None:
        reflection = reflection_for(user=request.user, lesson=lesson)
    if form is None:
        answer = reflection.answer if reflection else ""
        initial = {"answer": answer, "shown": answer_seen(answer)}
        form = ReflectionForm(question=practice.question, initial=initial)
    return context | {"form": form, "reflection": reflection, "just_saved": just_saved}
