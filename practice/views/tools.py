"""The Practice page: every tool in one list, grouped by when it is for."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.http import HtmxHttpRequest

from .. import content


@login_required
@require_safe
def practice_index(request: HtmxHttpRequest):
    words = content.load("tools")
    groups = [
        {**group, "tools": [{**tool, "href": reverse(tool["url"])} for tool in group["tools"]]}
        for group in words["groups"]
    ]
    context = {"lead": words["lead"], "groups": groups}
    return render(request, "practice/practice_index.html", context)
