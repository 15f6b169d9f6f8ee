"""A question a day: answer it privately, ask them with the share sheet, or skip it.

A question only for them (ask: them) is not answered by the user: they note what they heard.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.http import HtmxHttpRequest
from lessons.selectors import lessons_done_count

from .. import content, questions, services
from ..forms import AnswerForm
from ..kinds import ANSWER


def _todays(request: HtmxHttpRequest):
    return services.question_for_day(
        user=request.user,
        day=request.user.local_today(),
        lessons_done=lessons_done_count(user=request.user),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_today(request: HtmxHttpRequest):
    daily = _todays(request)
    question = questions.deck()[daily.question_id]
    form = AnswerForm(request.POST or None, initial={"lesson_slug": request.GET.get("lesson", "")})
    if not question.asks_yourself:  # the user notes what they heard
        form.fields["answer"].label = content.text("questions", "their_answer_label")
    if request.method == "POST" and form.is_valid():
        entry = services.question_answer(daily=daily, **form.cleaned_data)
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
    services.question_skip(daily=_todays(request))
    messages.success(request, "Skipped. A new question comes tomorrow.")
    return redirect("home")
