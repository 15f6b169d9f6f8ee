"""A question a day: answer it privately, ask them with the share sheet, or skip it.

A question only for them (ask: them) is not answered by the user: they note what they heard.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.http import HtmxHttpRequest
from lessons.selectors import lessons_done_count

from .. import content, questions, services
from ..forms import AnswerForm, QuestionDayForm
from ..kinds import ANSWER


def _shown(request: HtmxHttpRequest, form: QuestionDayForm, today: date):
    """The question of the page sent (the day it carried), or today's for a new page."""
    return services.question_shown(
        user=request.user,
        day=form.shown_day() or today,
        today=today,
        lessons_done=lessons_done_count(user=request.user),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_today(request: HtmxHttpRequest):
    today = request.user.local_today()
    initial = {"lesson_slug": request.GET.get("lesson", ""), "day": today}
    form = AnswerForm(request.POST or None, user=request.user, initial=initial)
    daily = _shown(request, form, today)
    question = questions.deck()[daily.question_id]
    if not question.asks_yourself:  # the user notes what they heard
        form.fields["answer"].label = content.text("questions", "their_answer_label")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = services.question_answer(
            daily=daily,
            answer=data["answer"],
            is_private=data["is_private"],
            lesson_slug=data["lesson_slug"],
            submission=data["submission"],
        )
        messages.success(request, "Saved your answer in your journal.")
        return redirect("journal:entry_detail", entry.pk)
    context = {
        "kind": ANSWER,
        "daily": daily,
        "question": question,
        "form": form,
    }
    return render(
        request, "practice/question_today.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def question_skip(request: HtmxHttpRequest):
    form = QuestionDayForm(request.POST, user=request.user)
    services.question_skip(daily=_shown(request, form, request.user.local_today()))
    messages.success(request, "Skipped. A new question comes tomorrow.")
    return redirect("home")
