"""Pages that belong to the whole app rather than to one feature."""

from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    return render(request, "home.html")


@require_GET
def get_help(request):
    return render(request, "get_help.html")
