"""Sharing pages: the client's Sharing page, the invitation link and the therapist's pages.

Every therapist page loads its Share through `selectors.share_for_therapist` inside the
request's transaction and writes its access-log row before rendering, so the row and the
page stand or fall together.
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.two_step import require_two_step
from core import links
from core.forms import words_kept, words_sent
from core.http import (
    HtmxHttpRequest,
    InvitationPage,
    NotFoundPage,
    found_or_404,
    invitation_from_link,
    log_in_before_post,
    page_is_seen,
)
from core.paging import page_of, query_without_page
from journal import selectors as journal_selectors
from journal.kinds import KINDS
from journal.models import Entry
from lessons import selectors as lesson_selectors

from . import selectors, services
from .forms import (
    ClientInviteForm,
    CommentForm,
    HomeworkForm,
    InviteForm,
    JournalFilterForm,
    MessageForm,
    NoticesForm,
    ReplyForm,
    ScopesForm,
    SessionNoteForm,
    SessionRangeForm,
)
from .models import ClientInvitation, Comment, Invitation, NoticePreference, Share
from .pages import clients_page

PAGE_SIZE = 20
LOG_PAGE_SIZE = 50
RECENT_LOG = 5
SESSION_PAGE_SIZE = 20
TOO_MANY_INVITATIONS = (
    f"You have sent {links.INVITATIONS_PER_HOUR} invitations in the last hour. "
    "Please wait a little before sending another."
)
REPLY_GONE = "That reply was deleted, so your change was not saved."
COMMENT_GONE = "That comment was deleted, so your change was not saved."


# --- The client's side ----------------------------------------------------------------------


def _index(request: HtmxHttpRequest, invite_form: InviteForm, status: int = 200) -> HttpResponse:
    shares = list(selectors.shares_for_client(client=request.user))
    context = {
        "invite_form": invite_form,
        "waiting": [s for s in shares if s.status == Share.Status.INVITED],
        "active": [s for s in shares if s.status == Share.Status.ACTIVE],
        "past": [s for s in shares if (s.accepted_at and not s.is_active) or s.declined],
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
    except links.TooManyInvitations:
        form.add_error(None, TOO_MANY_INVITATIONS)
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
@require_http_methods(["GET", "HEAD", "POST"])
def share_revoke(request: HtmxHttpRequest, share_id: int):
    """Stop sharing, or withdraw an invitation: a page that says what will happen, then its
    button (no JavaScript needed)."""
    share = _share_for_client(request, share_id)
    if not (share.is_active or share.status == Share.Status.INVITED):
        raise Http404("This share has ended")
    if request.method != "POST":
        return render(request, "sharing/share_revoke.html", {"share": share})
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
    if page_is_seen(request):
        shown = [comment.pk for comment in page]
        services.comments_mark_read(client=request.user, comment_ids=shown)
    return response


def _own_entry(request: HtmxHttpRequest, entry_id: int) -> Entry:
    entry = journal_selectors.entry_for_user(user=request.user, pk=entry_id)
    return found_or_404(entry, "entry")


def _entry_url(entry: Entry) -> str:
    return reverse("journal:entry_detail", args=[entry.pk]) + "#comments"


def _reply_refusal(request: HtmxHttpRequest, entry: Entry, therapist, share) -> str:
    """Why the owner cannot write in this conversation now; empty when they can."""
    if share is None:
        return (
            f"{therapist} can no longer see this entry, so your reply was not sent. "
            "Your words are still below if you want to keep them."
        )
    if selectors.entry_comments_off(entry=entry):
        return "You turned comments off for this entry. Turn them on to reply."
    if not share.comments_allowed:
        return f"You turned comments off for {therapist}. Turn them on to reply."
    return ""


@login_required
@require_POST
@transaction.atomic
def reply_create(request: HtmxHttpRequest, entry_id: int, therapist_id: int):
    """The owner's reply in one therapist's conversation on one of their entries."""
    entry = _own_entry(request, entry_id)
    target = found_or_404(
        selectors.reply_target(entry=entry, therapist_id=therapist_id), "conversation"
    )
    therapist, share = target
    form = ReplyForm(request.POST)
    refusal = _reply_refusal(request, entry, therapist, share)
    if refusal:
        form.is_valid()  # the text comes back as typed
        form.add_error(None, refusal)
    if refusal or not form.is_valid():
        context = {
            "entry": entry,
            "therapist": therapist,
            "messages_so_far": selectors.thread_for_therapist(entry=entry, therapist=therapist),
            "form": form,
        }
        return render(request, "sharing/reply.html", context, status=409 if refusal else 200)
    services.comment_create(
        entry=entry, author=request.user, therapist=therapist, body=form.cleaned_data["body"]
    )
    messages.success(request, f"Reply sent. Only {therapist} sees it.")
    return redirect(_entry_url(entry))


def _own_reply(request: HtmxHttpRequest, comment_id: int):
    reply = selectors.own_reply(client=request.user, comment_id=comment_id)
    return found_or_404(reply, "reply")


def _reply_gone(request: HtmxHttpRequest, form: ReplyForm, reply=None) -> HttpResponse:
    """The edit of a reply that is not there, deleted in another tab: said, with the words
    kept. The same 404 for anyone else's, which tells them nothing."""
    context = {"reply": reply, "form": words_kept(form, REPLY_GONE), "gone": True}
    return render(request, "sharing/reply_edit.html", context, status=404)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reply_edit(request: HtmxHttpRequest, comment_id: int):
    reply = selectors.own_reply(client=request.user, comment_id=comment_id)
    form = ReplyForm(request.POST or None, initial={"body": reply.body} if reply else None)
    if request.method == "POST" and reply is None:
        return _reply_gone(request, form)
    reply = found_or_404(reply, "reply")
    if request.method == "POST" and form.is_valid():
        if not services.comment_update(comment=reply, body=form.cleaned_data["body"]):
            return _reply_gone(request, form, reply)
        messages.success(request, "Reply updated.")
        return redirect(_entry_url(reply.entry))
    return render(request, "sharing/reply_edit.html", {"reply": reply, "form": form})


@login_required
@require_POST
def reply_delete(request: HtmxHttpRequest, comment_id: int):
    reply = _own_reply(request, comment_id)
    services.comment_delete(comment=reply)
    messages.success(request, "Reply deleted.")
    return redirect(_entry_url(reply.entry))


def _entry_switch(request: HtmxHttpRequest, entry_id: int, turn, said: tuple[str, str]):
    """Turn something about one of the owner's entries on (`on=1`) or off, and say which
    (`said`: the words for on, then off)."""
    entry = _own_entry(request, entry_id)
    on = request.POST.get("on") == "1"
    turn(entry=entry, on=on)
    messages.success(request, said[0] if on else said[1])
    return redirect(_entry_url(entry))


@login_required
@require_POST
def entry_comments(request: HtmxHttpRequest, entry_id: int):
    """Turn comments on this entry on or off, for every therapist."""
    said = (
        "Comments are on for this entry.",
        "Comments are off for this entry. What was written stays.",
    )
    return _entry_switch(request, entry_id, services.entry_comments_turn, said)


@login_required
@require_POST
def entry_talk_about(request: HtmxHttpRequest, entry_id: int):
    """Flag this entry "talk about this" for a session, or take the flag back."""
    said = ("Flagged: a therapist who sees this entry sees the flag.", "The flag is off.")
    return _entry_switch(request, entry_id, services.entry_talk_about_turn, said)


@login_required
@require_POST
def share_comments(request: HtmxHttpRequest, share_id: int):
    """Turn comments on or off for everything one therapist sees."""
    share = _share_for_client(request, share_id)
    if not share.is_active:
        raise Http404("This share is not active")
    on = request.POST.get("on") == "1"
    services.share_comments_turn(share=share, on=on)
    if on:
        messages.success(request, f"{share.therapist} can comment on your entries again.")
    else:
        messages.success(
            request, f"{share.therapist} can no longer comment. What was written stays."
        )
    return redirect("sharing:share_detail", share_id=share.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notices(request: HtmxHttpRequest):
    """Which content-free emails about sharing the user wants."""
    preference = NoticePreference.objects.filter(user=request.user).first()
    form = NoticesForm(request.POST or None, initial=NoticesForm.initial_for(preference))
    if request.method == "POST" and form.is_valid():
        services.notice_preference_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Saved.")
        return redirect("sharing:notices")
    return render(request, "sharing/notices.html", {"form": form})


# --- A therapist's invitation, from the client's side ----------------------------------------

CLIENT_LINK_EXPIRED = (
    "This invitation has expired. Nothing was shared. Invitations last seven days."
)


def _join_page(request: HtmxHttpRequest, *, invitation=None, problem="", form=None, status=200):
    """A therapist's invitation, answered from the emailed link or from Today (the in-app
    links are `sharing:invitation_*`, by id; only the link carries a token)."""
    decline = _decline_url(
        request, invitation, link="sharing:join_decline", in_app="sharing:invitation_decline"
    )
    context = {"invitation": invitation, "problem": problem, "form": form, "decline_url": decline}
    return render(request, "sharing/join.html", context, status=status)


def _decline_url(request: HtmxHttpRequest, invitation, *, link: str, in_app: str) -> str | None:
    """Where an invitation page's Decline button posts: the emailed link's own decline when
    the page was opened by its token, else the in-app one by id; None without an invitation."""
    if token := request.resolver_match.kwargs.get("token"):
        return reverse(link, args=[token])
    return invitation and reverse(in_app, args=[invitation.pk])


@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HtmxHttpRequest, token: str):
    """A therapist's invitation: the client chooses what to share and confirms, or not."""
    invitation, answer = _open_client_invitation(request, token)
    if answer:
        return answer
    if not request.user.is_authenticated:
        return log_in_before_post(request) or _join_page(request, invitation=invitation)
    return _join_answer(request, invitation)


def _open_client_invitation(request: HtmxHttpRequest, token: str):
    """(invitation, None) while it can be answered; (None, a response saying why) otherwise."""
    return invitation_from_link(
        request,
        token,
        find=selectors.client_invitation_for_link,
        closed=services.client_invitation_problem,
        page=_join_page,
        expired=CLIENT_LINK_EXPIRED,
    )


def _join_answer(request: HtmxHttpRequest, invitation) -> HttpResponse:
    """A signed-in person's answer to an open invitation: what to share, then confirm."""
    refusal = services.client_invitation_refusal(invitation=invitation, user=request.user)
    if refusal:
        return _join_page(request, invitation=invitation, problem=refusal)
    form = ScopesForm(
        request.POST or None, instance=Share(client=request.user), client=request.user
    )
    if request.method != "POST" or not form.is_valid():
        return _join_page(request, invitation=invitation, form=form)
    try:
        share = services.client_invitation_confirm(
            invitation=invitation, client=request.user, **form.cleaned_data
        )
    except links.InvitationRefused as refused:
        return _join_page(request, invitation=invitation, problem=str(refused))
    messages.success(
        request,
        f"You now share {', '.join(share.scope_labels)} with {share.therapist}. "
        "Change it or stop at any time.",
    )
    return redirect("sharing:index")


@login_required
@require_POST
def join_decline(request: HtmxHttpRequest, token: str):
    invitation, answer = _open_client_invitation(request, token)
    if answer:
        return answer
    refusal = services.client_invitation_not_for(invitation=invitation, user=request.user)
    if refusal:
        return _join_page(request, invitation=invitation, problem=refusal)
    return _declined(request, invitation)


def _declined(request: HtmxHttpRequest, invitation) -> HttpResponse:
    services.client_invitation_decline(invitation=invitation)
    invitation.refresh_from_db(fields=["used_at"])
    if invitation.used_at:  # a yes from another window came first
        messages.info(
            request,
            f"You had already said yes to {invitation.therapist} in another window: "
            "what you share is below, and you can stop it there.",
        )
    else:
        messages.success(request, f"Declined. Nothing is shared with {invitation.therapist}.")
    return redirect("sharing:index")


def _invitation_sent_to(request: HtmxHttpRequest, kind, invitation_id: int):
    """An invitation of `kind` the app opens by id for the person it was sent to; 404 for
    anyone else."""
    invitation = selectors.invitation_sent_to(kind, user=request.user, invitation_id=invitation_id)
    return found_or_404(invitation, "invitation")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_answer(request: HtmxHttpRequest, invitation_id: int):
    """A therapist's invitation to one of the person's confirmed addresses, opened from
    Today rather than from the email: the same choice, without the link."""
    return _join_answer(request, _invitation_sent_to(request, ClientInvitation, invitation_id))


@login_required
@require_POST
def invitation_decline(request: HtmxHttpRequest, invitation_id: int):
    return _declined(request, _invitation_sent_to(request, ClientInvitation, invitation_id))


# --- The invitation link --------------------------------------------------------------------


def _accept_page(
    request: HtmxHttpRequest, invitation=None, *, problem: str = "", status: int = 200
):
    """A client's invitation, answered from the emailed link or from the list of clients
    (the in-app links are `sharing:share_invitation_*`, by id; only the link carries a
    token)."""
    decline = _decline_url(
        request,
        invitation,
        link="sharing:accept_decline",
        in_app="sharing:share_invitation_decline",
    )
    context = {
        "invitation": invitation,
        "problem": problem,
        "decline_url": decline,
        # Refused, as they already read the client's journal, but theirs to turn down.
        "decline_only": bool(problem and invitation and request.user.is_authenticated)
        and selectors.share_invitation_declinable(user=request.user, invitation=invitation),
    }
    return render(request, "sharing/accept.html", context, status=status)


def _accepted(request: HtmxHttpRequest, invitation) -> HttpResponse:
    share = services.invitation_accept(invitation=invitation, user=request.user)
    messages.success(request, f"You can now read what {share.client} shares with you.")
    return redirect("home")


INVITATION_PAGE = InvitationPage(
    find=selectors.invitation_for_link,
    closed=services.invitation_problem,
    refusal=services.invitation_refusal,
    page=_accept_page,
    accepted=_accepted,
)


@require_http_methods(["GET", "HEAD", "POST"])
def accept(request: HtmxHttpRequest, token: str):
    """The therapist opens the client's invitation, signs up or logs in, and accepts."""
    return INVITATION_PAGE.answer(request, token)


@login_required
@require_POST
def accept_decline(request: HtmxHttpRequest, token: str):
    """The person the client's invitation was emailed to says no, from the link."""
    invitation, gone = INVITATION_PAGE.from_link(request, token)
    if gone:
        return gone
    if refusal := services.invitation_not_for(invitation=invitation, user=request.user):
        return _accept_page(request, invitation, problem=refusal)
    return _share_declined(request, invitation)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def share_invitation_answer(request: HtmxHttpRequest, invitation_id: int):
    """A client's invitation to one of the person's confirmed addresses, opened from their
    list of clients rather than from the email: the same page and checks, without the link."""
    return INVITATION_PAGE.answer_open(
        request, _invitation_sent_to(request, Invitation, invitation_id)
    )


@login_required
@require_POST
def share_invitation_decline(request: HtmxHttpRequest, invitation_id: int):
    return _share_declined(request, _invitation_sent_to(request, Invitation, invitation_id))


def _share_declined(request: HtmxHttpRequest, invitation) -> HttpResponse:
    """Decline a client's invitation and say what that means, back on the person's home
    (their list of clients, or Today for a reader who is not a therapist yet)."""
    client = invitation.share.client
    if not services.invitation_decline(invitation=invitation):  # answered in the same instant
        messages.info(request, f"{client}'s invitation was already answered or withdrawn.")
    elif selectors.shares_received(therapist=request.user).filter(client=client).exists():
        messages.success(
            request,
            f"Declined. You still read what {client} shares with you already; they see that "
            "you declined this invitation.",
        )
    else:
        messages.success(
            request, f"Declined. Nothing is shared with you; {client} sees only that you declined."
        )
    return redirect("home")


# --- The therapist's side -------------------------------------------------------------------


def _share_for_therapist(
    request: HtmxHttpRequest, client_id: int, *, typed: type[Form] | None = None
) -> Share:
    """The active share this client gives the therapist; 404 for anyone else, with a page
    saying the sharing ended for a therapist it ended for, which gives back what they typed
    into the `typed` form of a POST (their own words, never saved). A therapist without
    two-step login is first sent to set it up (accounts.two_step)."""
    require_two_step(request, after_post=reverse("sharing:client_journal", args=[client_id]))
    share = selectors.share_for_therapist(therapist=request.user, client_id=client_id)
    if share is None and selectors.share_ended_for_therapist(
        therapist=request.user, client_id=client_id
    ):
        words = words_sent(typed, request.POST) if typed and request.method == "POST" else []
        raise NotFoundPage("sharing/share_ended.html", {"words": words})
    return found_or_404(share, "client")


def _log(request: HtmxHttpRequest, share: Share, what: str) -> None:
    services.access_log_write(
        share=share, therapist=request.user, what=what, path=request.get_full_path()
    )


def _client_page(
    request: HtmxHttpRequest, share: Share, what: str, template: str, status: int = 200, **context
) -> HttpResponse:
    """A page about the share's client (`template` in sharing/), logged as `what`."""
    _log(request, share, what)
    context = {"share": share, "client": share.client, **context}
    return render(request, f"sharing/{template}", context, status=status)


@login_required
@require_safe
def clients(request: HtmxHttpRequest):
    return clients_page(request)


@login_required
@require_POST
@transaction.atomic
def client_invite(request: HtmxHttpRequest):
    form = ClientInviteForm(request.POST, therapist=request.user)
    if not form.is_valid():
        return clients_page(request, form=form)
    email = form.cleaned_data["email"]
    try:
        services.client_invite(therapist=request.user, email=email)
    except links.TooManyInvitations:
        form.add_error(None, TOO_MANY_INVITATIONS)
        return clients_page(request, form=form, status=429)
    messages.success(
        request,
        f"Invitation sent to {email}. Nothing is shared until they choose what to share "
        "and confirm.",
    )
    return redirect("sharing:clients")


def _sent_invitation(request: HtmxHttpRequest, invitation_id: int):
    """One of the therapist's own invitations not yet answered; 404 for anyone else's."""
    invitation = selectors.client_invitation_of_therapist(
        therapist=request.user, invitation_id=invitation_id
    )
    return found_or_404(invitation, "invitation")


@login_required
@require_POST
@transaction.atomic
def client_invitation_resend(request: HtmxHttpRequest, invitation_id: int):
    invitation = _sent_invitation(request, invitation_id)
    if not invitation.can_resend:
        messages.error(request, "This invitation was declined, so it cannot be sent again.")
        return redirect("sharing:clients")
    try:
        services.client_invitation_resend(invitation=invitation)
    except links.TooManyInvitations:
        messages.error(request, TOO_MANY_INVITATIONS)
        return redirect("sharing:clients")
    messages.success(
        request,
        f"Sent a new invitation to {invitation.email}. It works for seven days; the old "
        "link no longer does.",
    )
    return redirect("sharing:clients")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def client_invitation_withdraw(request: HtmxHttpRequest, invitation_id: int):
    """Take an invitation back: a page that says what happens, then its button."""
    invitation = _sent_invitation(request, invitation_id)
    if request.method != "POST":
        context = {"invitation": invitation}
        return render(request, "sharing/client_invitation_withdraw.html", context)
    if services.client_invitation_withdraw(invitation=invitation):
        messages.success(request, f"Withdrew the invitation to {invitation.email}.")
    else:  # answered in the same instant
        messages.info(
            request, f"{invitation.email} answered the invitation before it was withdrawn."
        )
    return redirect("sharing:clients")


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
    if page_is_seen(request):
        services.share_mark_visited(share=share)
    return render(request, "sharing/client_journal.html", context)


def _shared_entry(
    request: HtmxHttpRequest, client_id: int, entry_id: int, *, typed: type[Form] | None = None
) -> tuple[Share, Entry]:
    """The entry through the therapist's active share, if its scopes open it; 404 otherwise
    (`typed` as _share_for_therapist takes it)."""
    share = _share_for_therapist(request, client_id, typed=typed)
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
    return _client_page(
        request,
        share,
        f"Entry: {entry}",
        "client_entry.html",
        status=status,
        entry=entry,
        comments=selectors.thread_for_therapist(entry=entry, therapist=request.user),
        comments_open=selectors.comments_open(share=share, entry=entry),
        talk_about=selectors.entry_talk_about(entry=entry),
        form=form,
    )


@login_required
@require_safe
@transaction.atomic
def client_entry(request: HtmxHttpRequest, client_id: int, entry_id: int):
    share, entry = _shared_entry(request, client_id, entry_id)
    response = _entry_page(request, share, entry, CommentForm())
    if page_is_seen(request):  # no longer new in the inbox
        services.replies_mark_read(share=share, entry=entry)
    return response


@login_required
@require_POST
@transaction.atomic
def comment_create(request: HtmxHttpRequest, client_id: int, entry_id: int):
    share, entry = _shared_entry(request, client_id, entry_id, typed=CommentForm)
    form = CommentForm(request.POST)
    if not selectors.comments_open(share=share, entry=entry):
        form.is_valid()  # the text comes back as typed
        form.add_error(None, f"{share.client} has turned comments off. Your comment was not saved.")
        return _entry_page(request, share, entry, form, status=409)
    if not form.is_valid():
        return _entry_page(request, share, entry, form)
    services.comment_create(
        entry=entry, author=request.user, therapist=request.user, body=form.cleaned_data["body"]
    )
    messages.success(request, f"Comment saved. {share.client} will see it under this entry.")
    return redirect("sharing:client_entry", client_id=client_id, entry_id=entry_id)


def _comment_gone(request: HtmxHttpRequest, share: Share, entry: Entry, form: CommentForm):
    """The edit of a comment that is not there, deleted in another tab: said, with the words
    kept. The same 404 for another therapist's comment, which tells nothing about it."""
    what = f"Entry: {entry} (editing a comment)"
    context = {"entry": entry, "form": words_kept(form, COMMENT_GONE), "gone": True}
    return _client_page(request, share, what, "comment_edit.html", status=404, **context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@transaction.atomic
def comment_edit(request: HtmxHttpRequest, client_id: int, entry_id: int, comment_id: int):
    share, entry = _shared_entry(request, client_id, entry_id, typed=CommentForm)
    comment = selectors.own_comment(entry=entry, author=request.user, comment_id=comment_id)
    form = CommentForm(request.POST or None, initial={"body": comment.body} if comment else None)
    if request.method == "POST" and comment is None:
        return _comment_gone(request, share, entry, form)
    comment = found_or_404(comment, "comment")
    if request.method == "POST" and form.is_valid():
        if not services.comment_update(comment=comment, body=form.cleaned_data["body"]):
            return _comment_gone(request, share, entry, form)
        messages.success(request, "Comment updated.")
        return redirect("sharing:client_entry", client_id=client_id, entry_id=entry_id)
    what = f"Entry: {entry} (editing a comment)"
    return _client_page(request, share, what, "comment_edit.html", entry=entry, form=form)


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
    insights = selectors.insights_for_share(share=share, today=share.client.local_today())
    return _client_page(request, share, "Insights", "client_insights.html", insights=insights)


@login_required
@require_safe
@transaction.atomic
def client_progress(request: HtmxHttpRequest, client_id: int):
    share = _share_for_therapist(request, client_id)
    if not share.share_progress:
        raise Http404("Lesson progress is not shared")
    # In the modules' own order: the order a client's situation suggests would tell it.
    path = lesson_selectors.path_for_user(user=share.client, suggested=False)
    return _client_page(request, share, "Lesson progress", "client_progress.html", path=path)


@login_required
@require_safe
@transaction.atomic
def session(request: HtmxHttpRequest, client_id: int):
    """Preparing a session: the range's counts, ratio and chart, then its shared entries,
    oldest first, a page at a time. One access-log row for the page, one per entry shown."""
    share = _share_for_therapist(request, client_id)
    form = SessionRangeForm(request.GET or None, share=share, today=share.client.local_today())
    last_time = (share.prep_start, share.prep_end) if share.prep_end else None
    start, end, notes = form.range()
    page = page_of(
        selectors.session_entries(share=share, start=start, end=end),
        request.GET.get("page"),
        size=SESSION_PAGE_SIZE,
    )
    context = {
        "share": share,
        "client": share.client,
        "form": form.showing(start, end),
        "notes": notes,
        "summary": selectors.session_summary(share=share, start=start, end=end),
        "insights": selectors.insights_for_share(share=share, today=end),
        "page": page,
        "query": urlencode({"start": start.isoformat(), "end": end.isoformat()}),
        "last_time": last_time,
        "since_last": form.since_last_session(),
        "talk_about": list(selectors.talk_about_entries(share=share)),
    }
    services.access_logs_for_entries(
        share=share,
        therapist=request.user,
        summary=f"Session preparation: counts and chart, {start:%Y-%m-%d} to {end:%Y-%m-%d}",
        entries=[*context["talk_about"], *page.items],
        path=request.get_full_path(),
    )
    if page_is_seen(request):
        services.session_range_remember(share=share, start=start, end=end)
    return render(request, "sharing/session.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@transaction.atomic
def share_end(request: HtmxHttpRequest, client_id: int):
    share = _share_for_therapist(request, client_id)
    if request.method == "POST":
        services.share_revoke(share=share, by=request.user)
        messages.success(request, f"You no longer see {share.client}'s journal.")
        return redirect("sharing:clients")
    return _client_page(request, share, "The page to stop reading your journal", "share_end.html")


# --- Session notes: the therapist's own, never the client's ---------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@transaction.atomic
def session_notes(request: HtmxHttpRequest, client_id: int):
    """The therapist's private notes on this client, one per session date."""
    share = _share_for_therapist(request, client_id, typed=SessionNoteForm)
    notes = selectors.session_notes_for(therapist=request.user, client_id=client_id)
    if request.method == "POST":
        form = SessionNoteForm(request.POST)
        if form.is_valid():
            services.session_note_save(
                therapist=request.user, client=share.client, **form.cleaned_data
            )
            messages.success(request, "Note saved. Only you see it.")
            return redirect("sharing:session_notes", client_id=client_id)
    else:
        day = _day_or_today(request.GET.get("day"), share)
        body = notes.filter(session_date=day).values_list("body", flat=True).first() or ""
        form = SessionNoteForm(initial={"session_date": day, "body": body})
    what = "Your therapist's own session notes page (their words; none of your entries)"
    return _client_page(request, share, what, "session_notes.html", form=form, notes=notes)


def _day_or_today(value: str | None, share: Share):
    """The `?day=` of a note to edit, or today; anything unreadable is today."""
    form = SessionNoteForm({"session_date": value, "body": "-"})
    return form.cleaned_data["session_date"] if form.is_valid() else share.client.local_today()


@login_required
@require_POST
def session_note_delete(request: HtmxHttpRequest, client_id: int, note_id: int):
    require_two_step(request, after_post=reverse("sharing:clients"))
    note = selectors.session_note_of(therapist=request.user, client_id=client_id, note_id=note_id)
    services.session_note_delete(note=found_or_404(note, "note"))
    messages.success(request, "Note deleted.")
    return redirect("sharing:session_notes", client_id=client_id)


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_safe
def session_notes_export(request: HtmxHttpRequest):
    """Every note the therapist wrote on each client who shares with them now, as a CSV
    file for their records."""
    require_two_step(request, after_post=reverse("sharing:clients"))
    writer = csv.writer(_Echo())
    notes = selectors.session_notes_export(therapist=request.user)
    rows = (
        [
            str(n.client),
            n.client.email,
            n.session_date.isoformat(),
            n.body,
            n.updated_at.isoformat(),
        ]
        for n in notes.iterator()
    )
    header = [["Client", "Client's email", "Session date", "Note", "Last changed"]]
    response = StreamingHttpResponse(
        (writer.writerow(row) for rows_ in (header, rows) for row in rows_),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="closer-session-notes.csv"'
    return response


# --- Homework -------------------------------------------------------------------------------


def _homework_form(data=None) -> HomeworkForm:
    lessons = lesson_selectors.published_lessons().values_list("slug", "title")
    return HomeworkForm(data, lessons=list(lessons))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@transaction.atomic
def homework(request: HtmxHttpRequest, client_id: int):
    """Suggest a lesson or a practice tool to this client; see what is done."""
    share = _share_for_therapist(request, client_id, typed=HomeworkForm)
    form = _homework_form(request.POST if request.method == "POST" else None)
    if form.is_valid():  # never for a GET: the form is unbound
        services.homework_suggest(therapist=request.user, client=share.client, **form.suggestion())
        messages.success(request, f"Suggested. {share.client} sees it on their Today page.")
        return redirect("sharing:homework", client_id=client_id)
    what = "What your therapist suggested to you, and whether it is done (never its content)"
    homework = selectors.homework_for_share(share=share)
    return _client_page(request, share, what, "homework.html", form=form, homework=homework)


@login_required
@require_POST
def homework_answer(request: HtmxHttpRequest, homework_id: int):
    """The client accepts a suggestion (it stays on Today until done) or sets it aside."""
    suggestion = selectors.homework_of_client(client=request.user, homework_id=homework_id)
    suggestion = found_or_404(suggestion, "suggestion")
    accept = request.POST.get("answer") == "accept"
    services.homework_answer(homework=suggestion, accept=accept)
    if accept:
        messages.success(request, f"Accepted. {suggestion.therapist} sees when it is done.")
    else:
        messages.success(request, "Set aside. It is no longer on your Today page.")
    return redirect("home")


# --- Inbox and conversations ----------------------------------------------------------------


@login_required
@require_safe
@transaction.atomic
def inbox(request: HtmxHttpRequest):
    """Every conversation the person has: with each client who shares with them (about the
    share, and each entry with an unread reply), and with each therapist they share with."""
    user = request.user
    received = list(selectors.shares_received(therapist=user))
    if received:
        require_two_step(request, after_post=reverse("sharing:inbox"))
        services.access_logs_count_visit(
            shares=received,
            therapist=user,
            what="Your name in their inbox, with how many of your messages are unread",
            path=request.get_full_path(),
        )
    unread = selectors.unread_for_therapist(therapist=user) if received else {}
    clients = [
        (share, unread.get(share.client_id, 0), selectors.entries_with_unread_replies(share=share))
        for share in received
    ]
    from_therapists = selectors.unread_from_therapists(client=user)
    given = [
        (share, from_therapists.get(share.therapist_id, 0))
        for share in selectors.shares_for_client(client=user).filter(status=Share.Status.ACTIVE)
    ]
    context = {
        "clients": clients,
        "therapists": given,
        "unread_comments": selectors.unread_comment_count(client=user),
        "homework": selectors.homework_open_for_client(client=user),
    }
    return render(request, "sharing/inbox.html", context)


def _conversation_page(request: HtmxHttpRequest, share: Share, form, *, therapist_side: bool):
    messages_so_far = selectors.conversation(
        client_id=share.client_id, therapist_id=share.therapist_id
    )
    context = {
        "share": share,
        "client": share.client,
        "form": form,
        "messages_so_far": list(messages_so_far),
        "therapist_side": therapist_side,
    }
    if therapist_side:
        _log(request, share, "Your conversation with them about sharing as a whole")
    response = render(request, "sharing/conversation.html", context)
    if page_is_seen(request):
        services.conversation_mark_read(share=share, reader_is_therapist=therapist_side)
    return response


def _conversation(request: HtmxHttpRequest, share: Share, *, therapist_side: bool, back: str):
    if request.method != "POST":
        return _conversation_page(request, share, MessageForm(), therapist_side=therapist_side)
    form = MessageForm(request.POST)
    if not share.comments_allowed:
        form.is_valid()  # the text comes back as typed
        form.add_error(None, "Comments are turned off for this share, so nothing was sent.")
    if not form.is_valid():
        return _conversation_page(request, share, form, therapist_side=therapist_side)
    services.share_message_create(
        share=share, by_therapist=therapist_side, body=form.cleaned_data["body"]
    )
    messages.success(request, "Sent.")
    return redirect(back)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@transaction.atomic
def conversation_with_client(request: HtmxHttpRequest, client_id: int):
    share = _share_for_therapist(request, client_id, typed=MessageForm)
    back = reverse("sharing:conversation_with_client", args=[client_id])
    return _conversation(request, share, therapist_side=True, back=back)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@transaction.atomic
def conversation_with_therapist(request: HtmxHttpRequest, share_id: int):
    share = _share_for_client(request, share_id)
    if not share.is_active:
        raise Http404("This share is not active")
    back = reverse("sharing:conversation_with_therapist", args=[share_id])
    return _conversation(request, share, therapist_side=False, back=back)
