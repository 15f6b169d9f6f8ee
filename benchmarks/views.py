"""Reference pages the benchmark compares every real page against."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from journal.models import Entry


@require_safe
def bare(request):
    """The floor: the full middleware stack, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_safe
def naive_list(request):
    """The naive page of the targets: 20 rows, Paginator, template filters, full layout."""
    entries = Entry.objects.filter(user=request.user).order_by("-day", "-created_at")
    page = Paginator(entries, 20).get_page(request.GET.get("page"))
    return render(request, "benchmarks/naive_list.html", {"page": page})
