from datetime import timedelta
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.forms import words_kept
from core.http import HtmxHttpRequest, found_or_404, number_from
from core.paging import page_of, query_without_page

from .. import export, selectors, services
from ..forms import FORMS, ApologyStatusForm, PrintRangeForm
from ..kinds import APOLOGY, CHOICES, KINDS
from ..models import Entry

PAGE_SIZE = 20
PRINT_DEFAULT_SPAN = timedelta(days=27)  # four weeks, counting today
ENTRY_GONE = "That entry was deleted, so your changes were not saved."


def _get_entry_for_user(request: HtmxHttpRequest, pk: int) -> Entry:
    return found_or_404(selectors.entry_for_user(user=request.user, pk=pk), "entry")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry_new(request: HtmxHttpRequest, kind: str):
    """A new entry of any declared kind; an apology is previewed before it is saved."""
    spec = KINDS[kind]
    form = FORMS[kind](
        request.POST or None,
        user=request.user,
        initial={"lesson_slug": request.GET.get("lesson", "")},
        instance=Entry(user=request.user, kind=kind),
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if spec.preview_before_save and "save" not in request.POST:
            preview = Entry(kind=kind, **form.cleaned_data)
        else:
            entry = services.entry_create(user=request.user, kind=kind, **form.cleaned_data)
            messages.success(request, f"Saved your {spec.noun}.")
            if spec.saved_to_home:
                return redirect(reverse("home") + f"?saved={entry.pk}")
            return redirect(entry_url(entry))
    context = {"form": form, "kind": spec, "preview": preview}
    return render(request, "journal/entry_form.html", context)


def entry_url(entry: Entry) -> str:
    return reverse("journal:entry_detail", args=[entry.pk])


@login_required
@require_safe
def entry_detail(request: HtmxHttpRequest, pk: int):
    return entry_page(request, _get_entry_for_user(request, pk))


def entry_page(request: HtmxHttpRequest, entry: Entry, *, status: int = 200, **forms):
    """An entry's page with its kind's own actions (the kind's `actions` template); `forms`
    replaces an action's blank form with one that came back with errors."""
    now = timezone.now()
    context = {"entry": entry, "now": now, **_actions_context(entry, now), **forms}
    return render(request, "journal/entry_detail.html", context, status=status)


def _actions_context(entry: Entry, now) -> dict:
    """What the kind's `actions` template shows, from the function its declaration names."""
    if not entry.spec.actions_context:
        return {}
    return import_string(entry.spec.actions_context)(entry, now)


def apology_actions(entry: Entry, now) -> dict:
    return {"status_form": ApologyStatusForm(initial={"status": entry.status})}


def _entry_gone(request: HtmxHttpRequest, entry: Entry, form) -> HttpResponse:
    """The edit of an entry deleted in another tab: said, with the words kept, as a 404."""
    form = words_kept(form, ENTRY_GONE)
    context = {"form": form, "kind": entry.spec, "entry": entry, "preview": None, "gone": True}
    return render(request, "journal/entry_form.html", context, status=404)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry_edit(request: HtmxHttpRequest, pk: int):
    entry = selectors.entry_for_user(user=request.user, pk=pk)
    if entry is None and request.method == "POST":
        entry = found_or_404(selectors.deleted_entry_for_user(user=request.user, pk=pk))
        return _entry_gone(request, entry, FORMS[entry.kind](request.POST, user=request.user))
    entry = found_or_404(entry, "entry")
    form = FORMS[entry.kind](request.POST or None, instance=entry, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_update(entry=entry, data=form.cleaned_data)
        except services.EntryDeleted:
            return _entry_gone(request, entry, form)
        messages.success(request, "Your changes are saved.")
        return redirect(entry_url(entry))
    context = {"form": form, "kind": entry.spec, "entry": entry, "preview": None}
    return render(request, "journal/entry_form.html", context)


@login_required
@require_POST
def apology_status(request: HtmxHttpRequest, pk: int):
    entry = _get_entry_for_user(request, pk)
    form = ApologyStatusForm(request.POST)
    if entry.kind != APOLOGY.value or not form.is_valid():
        messages.error(request, "That status could not be saved. Pick one of the choices.")
        return redirect(entry_url(entry))
    services.apology_set_status(entry=entry, **form.cleaned_data)
    messages.success(request, f"Marked as {entry.get_status_display().lower()}.")
    return redirect(entry_url(entry))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry_delete(request: HtmxHttpRequest, pk: int):
    entry = _get_entry_for_user(request, pk)
    if request.method == "POST":
        services.entry_delete(entry=entry)
        return redirect(reverse("journal:timeline") + f"?deleted={entry.pk}")
    return render(request, "journal/entry_confirm_delete.html", {"entry": entry})


@login_required
@require_POST
def entry_restore(request: HtmxHttpRequest, pk: int):
    if services.entry_restore(user=request.user, pk=pk):
        messages.success(request, "Your entry is back.")
        return redirect("journal:entry_detail", pk=pk)
    messages.error(request, "That entry can no longer be brought back.")
    return redirect("journal:timeline")


@login_required
@require_safe
def timeline(request: HtmxHttpRequest):
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    # PostgreSQL refuses NUL in text (a 500 found by scripts/drills); no entry holds one.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    entries = selectors.entries_for_user(user=request.user, kind=kind, query=query)
    page = page_of(entries, request.GET.get("page"), size=PAGE_SIZE)
    context = {
        "page": page,
        "kind": kind,
        "query": query,
        "kinds": CHOICES,
        "add_kinds": [spec for spec in KINDS.values() if spec.value != "gratitude"],
        "undo_pk": _undoable(request),
        "filters": query_without_page(request),
    }
    template = "journal/timeline.html#results" if request.htmx else "journal/timeline.html"
    return render(request, template, context)


def _undoable(request: HtmxHttpRequest) -> int | None:
    """The entry just deleted, if the user can still bring it back."""
    pk = number_from(request.GET.get("deleted"))
    if pk is None:
        return None
    return pk if services.entry_can_restore(user=request.user, pk=pk) else None


@login_required
@require_safe
def insights(request: HtmxHttpRequest):
    today = request.user.local_today()
    data = selectors.insights_for(user=request.user, kinds=set(KINDS), today=today)
    return render(request, "journal/insights.html", {"insights": data})


def _export(request: HtmxHttpRequest, extension: str, content_type: str, write):
    """Every entry of the user, streamed through `write(user=, entries=)` as a download."""
    entries = selectors.entries_for_export(user=request.user).iterator(chunk_size=500)
    response = StreamingHttpResponse(
        write(user=request.user, entries=entries), content_type=content_type
    )
    filename = export.filename(request.user, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_safe
def export_json(request: HtmxHttpRequest):
    write = partial(export.json_chunks, exported_at=timezone.now())
    return _export(request, "json", "application/json; charset=utf-8", write)


@never_cache
@login_required
@require_safe
def export_csv(request: HtmxHttpRequest):
    return _export(request, "csv", "text/csv; charset=utf-8", export.csv_chunks)


@never_cache
@login_required
@require_safe
def print_range(request: HtmxHttpRequest):
    """A printable page of the entries between two days: the last four weeks, private entries
    left out, to begin with. A printout is made to be handed to someone (an appointment), so
    what the reader kept private stays off it until they untick the box."""
    today = request.user.local_today()
    data = request.GET if "start" in request.GET or "end" in request.GET else None
    default = {"start": today - PRINT_DEFAULT_SPAN, "end": today, "hide_private": True}
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


@login_required
@require_POST
def entry_told(request: HtmxHttpRequest, pk: int):
    """Gratitude said out loud: the entry now shows "told them"."""
    entry = _get_entry_for_user(request, pk)
    if "told_partner" not in entry.spec.field_names:
        messages.error(request, "Only a gratitude entry can be marked as told.")
        return redirect(entry_url(entry))
    services.entry_mark(entry=entry, told_partner=True)
    messages.success(request, "Marked as told. Saying it out loud is the practice.")
    return redirect(request.POST.get("next") if _is_home(request) else entry_url(entry))


def _is_home(request: HtmxHttpRequest) -> bool:
    return request.POST.get("next") == reverse("home")
