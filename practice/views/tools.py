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
        {**group, "tools": [_linked(tool) for tool in group["tools"]]} for group in words["groups"]
    ]
    context = {"lead": words["lead"], "groups": groups}
    return render(request, "practice/practice_index.html", context)


def _linked(tool: dict) -> dict:
    """A tool of tools.yaml with the address of its page and of each of its parts."""
    parts = [{**part, "href": reverse(part["url"])} for part in tool.get("parts", [])]
    return {**tool, "href": reverse(tool["url"]), "parts": parts}
