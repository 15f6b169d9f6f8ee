"""The therapist's list of clients, as a page that sharing's views and the home page serve."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.two_step import has_two_step, require_two_step
from core.http import HtmxHttpRequest
from lessons import selectors as lesson_selectors

from . import selectors, services
from .forms import ClientInviteForm

# The invitations a therapist sent, shown on their list of clients; the rest are older.
SENT_INVITATIONS_SHOWN = 10


def clients_page(
    request: HtmxHttpRequest, *, home: bool = False, form=None, status: int = 200
) -> HttpResponse:
    """The list of clients: every client's figures and the invitation form; as a therapist's
    home page (`home`), their own practice below. The list's views and the home page
    (home.views) answer with it. A therapist without two-step login is first sent to set
    it up (accounts.two_step) once the list names anyone: a new therapist starts here."""
    shares = selectors.client_shares_page(therapist=request.user, page=request.GET.get("page"))
    if shares.items:
        require_two_step(request, after_post=reverse("sharing:clients"))
    services.access_logs_count_visit(
        shares=shares.items,
        therapist=request.user,
        what="Your name in their list of clients, with your last entry date and counts",
        path=request.get_full_path(),
    )

    user = request.user
    figures = selectors.clients_with_figures(
        share_ids=[share.pk for share in shares], today=user.local_today()
    )
    context = {
        "shares": shares,
        "figures": figures,
        "home": home,
        "invite_form": form or ClientInviteForm(therapist=user),
        "sent": selectors.client_invitations_pending(therapist=user)[:SENT_INVITATIONS_SHOWN],
        "own_practice": home and user.keeps_journal,
        "two_step": bool(figures) or has_two_step(user),  # asked only while nobody shares
        "next_lesson": lesson_selectors.next_lesson_for_user(user=user)
        if home and user.keeps_journal
        else None,
    }
    return render(request, "sharing/clients.html", context, status=status)
