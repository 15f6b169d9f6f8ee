"""Sharing pages: the client's Sharing page, the invitation link and the therapist's pages.

Every therapist page loads its Share through `selectors.share_for_therapist` inside the
request's transaction and writes its access-log row before rendering, so the row and the
page stand or fall together.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import pagecache
from core.http import HtmxHttpRequest, found_or_404
from core.paging import page_of, query_without_page
from journal.kinds import KINDS
from journal.models import Entry
from lessons import selectors as lesson_selectors

from . import selectors, services
from .forms import CommentForm, InviteForm, JournalFilterForm, ScopesForm
from .models import Comment, Share

PAGE_SIZE = 20
LOG_PAGE_SIZE = 50
RECENT_LOG = 5


# --- The client's side ----------------------------------------------------------------------


def _index(request: HtmxHttpRequest, invite_form: InviteForm, status: int = 200) -> HttpResponse:
    shares = list(selectors.shares_for_client(client=request.user))
    context = {
        "invite_form": invite_form,
        "waiting": [s for s in shares if s.status == Share.Status.INVITED],
        "active": [s for s in shares if s.status == Share.Status.ACTIVE],
        "past": [s for s in shares if s.accepted_at and not s.is_active],
        "unread_comments": selectors.unread_comment_count(client=request.user),
        "recent_log": selectors.access_logs_for_client(client=request.user)[:RECENT_LOG],
        "reads_others": request.user.is_therapist
        or request.user.shares_received.filter(status=Share.Status.ACTIVE).exists(),
    }
    return render(request, "sharing/index.html", context, status=status)


@login_required
@require_safe
def index(request: HtmxHttpRequest):
    return _index(request, InviteForm(client=request.user, instance=Share(client=request.user)))


def _share_for_client(request: HtmxHttpRequest, share_id: int) -> Share:
    return found_or_404(selectors.share_for_client(client=request.user, share_id=share_id), "share")


@login_required
@require_POST
def invite(request: HtmxHttpRequest):
    form = InviteForm(request.POST, client=request.user, instance=Share(client=request.user))
    if not form.is_valid():
        return _index(request, form)
    data = form.cleaned_data
    try:
        services.share_invite(client=request.user, **data)
    except services.TooManyInvitations:
        form.add_error(
            None,
            f"You have sent {services.INVITATIONS_PER_HOUR} invitations in the last hour. "
            "Please wait a little before sending another.",
        )
        return _index(request, form, status=429)
    messages.success(
        request, f"Invitation sent to {data['email']}. The link works once, for seven days."
    )
    return redirect("sharing:index")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def share_detail(request: HtmxHttpRequest, share_id: int):
    share = _share_for_client(request, share_id)
    if not (share.is_active or share.status == Share.Status.INVITED):
        raise Http404("This share has ended")
    form = ScopesForm(request.POST or None, instance=share, client=request.user)
    if request.method == "POST" and form.is_valid():
        services.share_update_scopes(share=share, **form.cleaned_data)
        messages.success(request, "Saved. The change applies from their next page.")
        return redirect("sharing:index")
    context = {
        "share": share,
        "form": form,
        "recent_log": selectors.access_logs_for_share(share=share)[:RECENT_LOG],
    }
    return render(request, "sharing/share_detail.html", context)


@login_required
@require_POST
def share_revoke(request: HtmxHttpRequest, share_id: int):
    share = _share_for_client(request, share_id)
    was_active = share.is_active
    services.share_revoke(share=share, by=request.user)
    who = share.therapist or share.invited_email
    if was_active:
        messages.success(request, f"Stopped sharing with {who}. They can no longer see anything.")
    else:
        messages.success(request, f"Withdrew the invitation to {who}.")
    return redirect("sharing:index")


@login_required
@require_safe
def access_log(request: HtmxHttpRequest):
    logs = selectors.access_logs_for_client(client=request.user)
    page = page_of(logs, request.GET.get("page"), size=LOG_PAGE_SIZE)
    return render(request, "sharing/access_log.html", {"page": page})


@login_required
@require_safe
def comments(request: HtmxHttpRequest):
    """Every comment on the client's entries; the ones on the page shown are then read."""
    all_comments = selectors.comments_for_client(client=request.user)
    page = page_of(all_comments, request.GET.get("page"), size=PAGE_SIZE)
    response = render(request, "sharing/comments.html", {"page": page})
    shown = [comment.pk for comment in page]
    services.comments_mark_read(client=request.user, comment_ids=shown)
    return response


# --- The invitation link --------------------------------------------------------------------

EXPIRED = "This invitation has expired. Ask for a new one: invitations last seven days."


def _accept_page(
    request: HtmxHttpRequest, *, invitation=None, problem: str = "", status: int = 200
):
    context = {"invitation": invitation, "problem": problem}
    return render(request, "sharing/accept.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def accept(request: HtmxHttpRequest, token: str):
    try:
        invitation = selectors.invitation_for_link(signed=token)
    except selectors.InvitationExpired:
        return _accept_page(request, problem=EXPIRED, status=410)
    if invitation is None:
        raise Http404("No such invitation")
    dead = services.invitation_problem(invitation=invitation)
    if dead:
        return _accept_page(request, problem=dead, status=410)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return _accept_page(request, invitation=invitation)
    refusal = services.invitation_refusal(invitation=invitation, user=request.user)
    if refusal or request.method == "GET":
        return _accept_page(request, invitation=invitation, problem=refusal or "")
    try:
        share = services.invitation_accept(invitation=invitation, user=request.user)
    except services.InvitationRefused as refused:
        return _accept_page(request, invitation=invitation, problem=str(refused))
    messages.success(request, f"You can now read what {share.client} shares with you.")
    return redirect("sharing:client_journal", client_id=share.client_id)


# --- The therapist's side -------------------------------------------------------------------


def _share_for_therapist(request: HtmxHttpRequest, client_id: int) -> Share:
    """The active share this client gives the therapist; 404 for anyone else."""
    share = selectors.share_for_therapist(therapist=request.user, client_id=client_id)
    return found_or_404(share, "client")


def _log(request: HtmxHttpRequest, share: Share, what: str) -> None:
    services.access_log_write(
        share=share, therapist=request.user, what=what, path=request.get_full_path()
    )


@login_required
@require_safe
@transaction.atomic
def clients(request: HtmxHttpRequest):
    shares = selectors.client_shares_page(therapist=request.user, page=request.GET.get("page"))
    services.access_logs_write(
        shares=shares.items,
        therapist=request.user,
        what="Your name in their list of clients, with your last entry date and counts",
        path=request.get_full_path(),
    )

    def cards() -> str:
        figures = selectors.clients_with_figures(
            share_ids=[share.pk for share in shares], today=request.user.local_today()
        )
        return render_to_string("sharing/clients.html#cards", {"shares": figures}, request)

    # The figures change when a client writes, or when the therapist opens a journal.
    clients = [share.client_id for share in shares]
    context = {"shares": shares, "cards": pagecache.fragment(request, clients, cards)}
    return render(request, "sharing/clients.html", context)


def _filter_label(share: Share, form: JournalFilterForm) -> str:
    if not form.is_valid():
        return "Journal"
    data = form.cleaned_data
    parts = [KINDS[data["kind"]].label if data["kind"] else ""]
    if data["start"]:
        parts.append(f"from {data['start']:%Y-%m-%d}")
    if data["end"]:
        parts.append(f"to {data['end']:%Y-%m-%d}")
    detail = " ".join(p for p in parts if p)
    return f"Journal ({detail})" if detail else "Journal"


@login_required
@require_safe
@transaction.atomic
def client_journal(request: HtmxHttpRequest, client_id: int):
    share = _share_for_therapist(request, client_id)
    form = JournalFilterForm(request.GET or None, kinds=share.kinds)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.shared_entries(
        share=share,
        kind=filters.get("kind") or None,
        start=filters.get("start"),
        end=filters.get("end"),
    )
    page = page_of(entries, request.GET.get("page"), size=PAGE_SIZE)
    context = {
        "share": share,
        "client": share.client,
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "last_visit": share.therapist_last_visit_at,
    }
    _log(request, share, _filter_label(share, form))
    services.share_mark_visited(share=share)
    return render(request, "sharing/client_journal.html", context)


def _shared_entry(request: HtmxHttpRequest, client_id: int, entry_id: int) -> tuple[Share, Entry]:
    """The entry through the therapist's active share, if its scopes open it; 404 otherwise."""
    share = _share_for_therapist(request, client_id)
    return share, found_or_404(selectors.shared_entry(share=share, entry_id=entry_id), "entry")


def _own_comment(
    request: HtmxHttpRequest, client_id: int, entry_id: int, comment_id: int
) -> tuple[Share, Entry, Comment]:
    """The therapist's own comment on a shared entry; 404 for anyone else's."""
    share, entry = _shared_entry(request, client_id, entry_id)
    comment = selectors.own_comment(entry=entry, author=request.user, comment_id=comment_id)
    return share, entry, found_or_404(comment, "comment")


def _entry_page(
    request: HtmxHttpRequest, share: Share, entry: Entry, form: CommentForm, status: int = 200
):
    context = {
        "share": share,
        "client": share.client,
        "entry": entry,
        "comments": selectors.comments_by_author(entry=entry, author=request.user),
        "form": form,
    }
    _log(request, share, f"Entry: {entry}")
    return render(request, "sharing/client_entry.html", context, status=status)


@login_required
@require_safe
@transaction.atomic
def client_entry(request: HtmxHttpRequest, client_id: int, entry_id: int):
    share, entry = _shared_entry(request, client_id, entry_id)
    return _entry_page(request, share, entry, CommentForm())


@login_required
@require_POST
@transaction.atomic
def comment_create(request: HtmxHttpRequest, client_id: int, entry_id: int):
    share, entry = _shared_entry(request, client_id, entry_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _entry_page(request, share, entry, form)
    services.comment_create(entry=entry, author=request.user, body=form.cleaned_data["body"])
    messages.success(request, f"Comment saved. {share.client} will see it under this entry.")
    return redirect("sharing:client_entry", client_id=client_id, entry_id=entry_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@transaction.atomic
def comment_edit(request: HtmxHttpRequest, client_id: int, entry_id: int, comment_id: int):
    share, entry, comment = _own_comment(request, client_id, entry_id, comment_id)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        services.comment_update(comment=comment, body=form.cleaned_data["body"])
        messages.success(request, "Comment updated.")
        return redirect("sharing:client_entry", client_id=client_id, entry_id=entry_id)
    context = {"share": share, "client": share.client, "entry": entry, "form": form}
    _log(request, share, f"Entry: {entry} (editing a comment)")
    return render(request, "sharing/comment_edit.html", context)


@login_required
@require_POST
@transaction.atomic
def comment_delete(request: HtmxHttpRequest, client_id: int, entry_id: int, comment_id: int):
    *_, comment = _own_comment(request, client_id, entry_id, comment_id)
    services.comment_delete(comment=comment)
    messages.success(request, "Comment deleted.")
    return redirect("sharing:client_entry", client_id=client_id, entry_id=entry_id)


@login_required
@require_safe
@transaction.atomic
def client_insights(request: HtmxHttpRequest, client_id: int):
    share = _share_for_therapist(request, client_id)
    context = {
        "share": share,
        "client": share.client,
        "insights": selectors.insights_for_share(share=share, today=share.client.local_today()),
    }
    _log(request, share, "Insights")
    return render(request, "sharing/client_insights.html", context)


@login_required
@require_safe
@transaction.atomic
def client_progress(request: HtmxHttpRequest, client_id: int):
    share = _share_for_therapist(request, client_id)
    if not share.share_progress:
        raise Http404("Lesson progress is not shared")
    context = {
        "share": share,
        "client": share.client,
        "path": lesson_selectors.path_for_user(user=share.client),
    }
    _log(request, share, "Lesson progress")
    return render(request, "sharing/client_progress.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@transaction.atomic
def share_end(request: HtmxHttpRequest, client_id: int):
    share = _share_for_therapist(request, client_id)
    if request.method == "POST":
        services.share_revoke(share=share, by=request.user)
        messages.success(request, f"You no longer see {share.client}'s journal.")
        return redirect("sharing:clients")
    _log(request, share, "The page to stop reading your journal")
    return render(request, "sharing/share_end.html", {"share": share, "client": share.client})
