from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from selfhelp.paging import page_of

from . import export, selectors, services
from .forms import FORMS, ApologyStatusForm, PrintRangeForm
from .models import Entry, Kind

PAGE_SIZE = 20
PRINT_DEFAULT_SPAN = timedelta(days=27)  # four weeks, counting today
CREATE = {
    Kind.GRATITUDE: services.gratitude_create,
    Kind.BID: services.bid_create,
    Kind.APOLOGY: services.apology_create,
}
SAVED = {
    Kind.GRATITUDE: "Saved your gratitude entry.",
    Kind.BID: "Saved your bid for connection.",
    Kind.APOLOGY: "Saved your apology.",
}


def _get_entry_for_user(request, pk: int) -> Entry:
    entry = selectors.entry_for_user(user=request.user, pk=pk)
    if entry is None:
        raise Http404("No such entry")
    return entry


def _entry_new(request, kind: str) -> HttpResponse:
    form_class = FORMS[kind]
    initial = {"lesson_slug": request.GET.get("lesson", "")}
    form = form_class(
        request.POST or None,
        user=request.user,
        initial=initial,
        instance=Entry(user=request.user, kind=kind),
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if kind == Kind.APOLOGY and "save" not in request.POST:
            preview = Entry(kind=kind, **form.cleaned_data)
        else:
            entry = CREATE[kind](user=request.user, **form.cleaned_data)
            messages.success(request, SAVED[kind])
            return redirect("home" if kind == Kind.GRATITUDE else entry_url(entry))
    return render(
        request, "journal/entry_form.html", {"form": form, "kind": kind, "preview": preview}
    )


def entry_url(entry: Entry) -> str:
    return reverse("journal:entry_detail", args=[entry.pk])


@login_required
@require_http_methods(["GET", "POST"])
def gratitude_new(request):
    return _entry_new(request, Kind.GRATITUDE)


@login_required
@require_http_methods(["GET", "POST"])
def bid_new(request):
    return _entry_new(request, Kind.BID)


@login_required
@require_http_methods(["GET", "POST"])
def apology_new(request):
    return _entry_new(request, Kind.APOLOGY)


@login_required
@require_GET
def entry_detail(request, pk: int):
    entry = _get_entry_for_user(request, pk)
    status_form = ApologyStatusForm(initial={"status": entry.status})
    return render(
        request, "journal/entry_detail.html", {"entry": entry, "status_form": status_form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk: int):
    entry = _get_entry_for_user(request, pk)
    form = FORMS[entry.kind](request.POST or None, instance=entry, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.entry_update(entry=entry, data=form.cleaned_data)
        messages.success(request, "Your changes are saved.")
        return redirect(entry_url(entry))
    return render(
        request,
        "journal/entry_form.html",
        {"form": form, "kind": entry.kind, "entry": entry, "preview": None},
    )


@login_required
@require_POST
def apology_status(request, pk: int):
    entry = _get_entry_for_user(request, pk)
    form = ApologyStatusForm(request.POST)
    if entry.kind != Kind.APOLOGY or not form.is_valid():
        messages.error(request, "That status could not be saved. Pick one of the choices.")
        return redirect(entry_url(entry))
    services.apology_set_status(entry=entry, **form.cleaned_data)
    messages.success(request, f"Marked as {entry.get_status_display().lower()}.")
    return redirect(entry_url(entry))


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request, pk: int):
    entry = _get_entry_for_user(request, pk)
    if request.method == "POST":
        services.entry_delete(entry=entry)
        target = reverse("journal:timeline") + f"?deleted={entry.pk}"
        if request.htmx:
            return HttpResponseClientRedirect(target)
        return redirect(target)
    return render(request, "journal/entry_confirm_delete.html", {"entry": entry})


@login_required
@require_POST
def entry_restore(request, pk: int):
    if services.entry_restore(user=request.user, pk=pk):
        messages.success(request, "Your entry is back.")
        return redirect("journal:entry_detail", pk=pk)
    messages.error(request, "That entry can no longer be brought back.")
    return redirect("journal:timeline")


@login_required
@require_GET
def timeline(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    # PostgreSQL refuses NUL in text (a 500 found by scripts/drills); no entry holds one.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    entries = selectors.entries_for_user(user=request.user, kind=kind, query=query)
    page = page_of(entries, request.GET.get("page"), size=PAGE_SIZE)
    context = {
        "page": page,
        "kind": kind,
        "query": query,
        "kinds": Kind.choices,
        "undo_pk": _undoable(request),
    }
    template = "journal/timeline.html#results" if request.htmx else "journal/timeline.html"
    return render(request, template, context)


def _undoable(request) -> int | None:
    """The entry just deleted, if the user can still bring it back."""
    raw = request.GET.get("deleted", "")
    if not raw.isdigit():
        return None
    return int(raw) if services.entry_can_restore(user=request.user, pk=int(raw)) else None


@login_required
@require_GET
def insights(request):
    today = request.user.local_today()
    data = selectors.insights_for(user=request.user, kinds=set(Kind.values), today=today)
    return render(request, "journal/insights.html", {"insights": data})


def _download(chunks, *, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_GET
def export_json(request):
    entries = selectors.entries_for_export(user=request.user).iterator(chunk_size=500)
    chunks = export.json_chunks(user=request.user, entries=entries, exported_at=timezone.now())
    return _download(
        chunks,
        content_type="application/json; charset=utf-8",
        filename=export.filename(request.user, "json"),
    )


@never_cache
@login_required
@require_GET
def export_csv(request):
    entries = selectors.entries_for_export(user=request.user).iterator(chunk_size=500)
    return _download(
        export.csv_chunks(user=request.user, entries=entries),
        content_type="text/csv; charset=utf-8",
        filename=export.filename(request.user, "csv"),
    )


@never_cache
@login_required
@require_GET
def print_range(request):
    """A printable page of the entries between two days; the last four weeks to begin with."""
    today = request.user.local_today()
    data = request.GET if "start" in request.GET or "end" in request.GET else None
    default = {"start": today - PRINT_DEFAULT_SPAN, "end": today}
    form = PrintRangeForm(data or default, user=request.user)
    entries = None
    if form.is_valid():
        entries = selectors.entries_between(
            user=request.user,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            include_private=not form.cleaned_data["hide_private"],
        )
    return render(request, "journal/print.html", {"form": form, "entries": entries})
