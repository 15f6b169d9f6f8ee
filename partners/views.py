"""The partner link's pages: invite, confirm, end, what passes through it, and the day's
question for two."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import links
from core.http import HtmxHttpRequest, InvitationPage, found_or_404, page_is_seen
from journal.selectors import entry_for_user
from practice import questions

from . import notices, selectors, services
from .forms import InviteForm, PairAnswerForm, PlanForm, SwitchesForm
from .models import SWITCHES, Appreciation, Link

# Where this stops, on every page of the link (templates/_where_this_stops.html).
SAFETY = {
    "safety_note": "A link is for two people who feel safe with each other. If your partner "
    "frightens you, controls you or hurts you, don't link, or end it now: it takes one tap, "
    "and they are told only that the link has ended. If you are in danger,"
}
NOT_FOR_SINGLE = (
    "The partner link is for readers who are together or dating. If that changes, say so "
    "under “Right now I am” on your profile."
)


def _page(request: HtmxHttpRequest, *, status: int = 200, **context):
    link = selectors.active_link(user=request.user)
    context = {
        "link": link,
        "other": link.other(request.user) if link else None,
        "is_reader": bool(link and link.reader_id == request.user.pk),
        "waiting": None if link else selectors.waiting_link(user=request.user),
        "offered": selectors.offered_to(request.user),
        "not_for_single": NOT_FOR_SINGLE,
        "passing": [label for name, label, *_ in SWITCHES if link and getattr(link, name)],
        "safety": SAFETY,
        "ended": page_is_seen(request) and services.ended_notice_take(user=request.user),
        "notices_on": bool(link and notices.wants_notices(link=link, user=request.user)),
        **context,
    }
    if link and context["is_reader"] and "switches_form" not in context:
        context["switches_form"] = SwitchesForm(instance=link)
    if not link and "invite_form" not in context:
        context["invite_form"] = InviteForm(reader=request.user)
    return render(request, "partners/link.html", context, status=status)


@login_required
@require_safe
def link_page(request: HtmxHttpRequest):
    return _page(request)


def _invite(request: HtmxHttpRequest, email: str = "") -> str | None:
    """The new invitation's signed token, or None (with a word why) when none can be made."""
    if not selectors.offered_to(request.user) or selectors.active_link(user=request.user):
        return None
    try:
        return services.link_invite(reader=request.user, email=email)[1]
    except links.TooManyInvitations:
        messages.error(request, "That is five invitations this hour. Try again later.")
        return None


@login_required
@require_POST
def link_invite(request: HtmxHttpRequest):
    form = InviteForm(request.POST, reader=request.user)
    if not form.is_valid():
        return _page(request, invite_form=form, status=400)
    if _invite(request, form.cleaned_data["email"]):
        messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
    return redirect("partners:link")


@login_required
@require_POST
def link_invite_by_hand(request: HtmxHttpRequest):
    """An invitation the reader sends themselves: its address is shown once, here."""
    signed = _invite(request)
    if signed is None:
        return redirect("partners:link")
    url = request.build_absolute_uri(reverse("partners:join", args=[signed]))
    return _page(request, handover_url=url)


def _next_or(request: HtmxHttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@login_required
@require_POST
def link_end(request: HtmxHttpRequest):
    """End the active link, or withdraw a waiting invitation, at once."""
    link = selectors.active_link(user=request.user) or selectors.waiting_link(user=request.user)
    if link is not None:
        services.link_end(link=link, by=request.user)
        ended = "The link has ended." if link.partner_id else "Invitation withdrawn."
        messages.success(request, ended)
    return redirect(_next_or(request, reverse("partners:link")))


@login_required
@require_POST
def link_switches(request: HtmxHttpRequest):
    link = selectors.active_link(user=request.user)
    link = found_or_404(link if link and link.reader_id == request.user.pk else None, "link")
    form = SwitchesForm(request.POST, instance=link)
    if not form.is_valid():  # checkboxes: only a tampered form gets here
        return _page(request, switches_form=form, status=400)
    services.switches_update(link=link, **form.cleaned_data)
    messages.success(request, "Saved. Only what is on passes through the link.")
    return redirect("partners:link")


@login_required
@require_POST
def link_notices(request: HtmxHttpRequest):
    link = found_or_404(selectors.active_link(user=request.user), "link")
    on = request.POST.get("notices") == "on"
    services.notices_turn(link=link, user=request.user, on=on)
    messages.success(
        request, "Emails about the link are on." if on else "No emails about the link."
    )
    return redirect("partners:link")


# --- The invitation link --------------------------------------------------------------------


def _join_page(request: HtmxHttpRequest, link=None, *, problem: str = "", status: int = 200):
    context = {"invitation": link, "problem": problem, "safety": SAFETY}
    return render(request, "partners/join.html", context, status=status)


def _linked(request: HtmxHttpRequest, link: Link) -> HttpResponse:
    services.link_accept(link=link, user=request.user)
    messages.success(request, f"You are linked with {link.reader}.")
    return redirect("partners:link")


INVITATION_PAGE = InvitationPage(
    find=selectors.link_for_invitation,
    closed=lambda invitation: services.invitation_problem(link=invitation),
    refusal=lambda invitation, user: services.invitation_refusal(link=invitation, user=user),
    page=_join_page,
    accepted=_linked,
)


@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HtmxHttpRequest, token: str):
    """The partner opens the invitation, signs up or logs in, and confirms."""
    return INVITATION_PAGE.answer(request, token)


# --- The day's question for two -------------------------------------------------------------


def _question_link(request: HtmxHttpRequest) -> Link:
    link = selectors.active_link(user=request.user)
    return found_or_404(link if link and link.question_on else None, "question")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def question(request: HtmxHttpRequest):
    link = _question_link(request)
    daily = services.question_for_link(link=link, day=selectors.link_day(link))
    state = selectors.question_state(link=link, user=request.user, question=daily)
    form = PairAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and state.mine is None and form.is_valid():
        services.pair_answer(question=daily, user=request.user, text=form.cleaned_data["text"])
        return redirect("partners:question")
    context = {
        "state": state,
        "text": questions.deck()[daily.question_id].text,
        "form": form,
        "other": link.other(request.user),
        "safety": SAFETY,
    }
    status = 400 if form.errors else 200
    return render(request, "partners/question.html", context, status=status)


@login_required
@require_POST
def question_skip(request: HtmxHttpRequest):
    link = _question_link(request)
    daily = services.question_for_link(link=link, day=selectors.link_day(link))
    services.pair_skip(question=daily, user=request.user)
    messages.success(request, "Skipped. That's fine: nothing is shown for today.")
    return redirect("home")


# --- Appreciation ---------------------------------------------------------------------------


@login_required
@require_POST
def appreciation_send(request: HtmxHttpRequest, pk: int):
    """Send one of the user's gratitude entries to the other person's Today."""
    link = selectors.active_link(user=request.user)
    entry = entry_for_user(user=request.user, pk=pk)
    entry = found_or_404(entry if entry and selectors.can_send(link=link, entry=entry) else None)
    services.appreciation_send(link=link, entry=entry)
    messages.success(request, f"Sent to {link.other(request.user)}'s Today.")
    return redirect(_next_or(request, reverse("journal:entry_detail", args=[entry.pk])))


@login_required
@require_POST
def appreciation_react(request: HtmxHttpRequest, pk: int):
    appreciation = found_or_404(selectors.appreciation_received(user=request.user, pk=pk))
    reaction = request.POST.get("reaction", "")
    if reaction not in Appreciation.Reaction.values:
        messages.error(request, "Pick one of the reactions.")
        return redirect("home")
    if not services.appreciation_react(appreciation=appreciation, reaction=reaction):
        messages.error(request, "The partner link has ended, so your reaction was not sent.")
    else:
        label = Appreciation.Reaction(reaction).label
        messages.success(request, f"Sent: “{label}”. It shows on their Today.")
    return redirect("home")


# --- The check-in plan for two --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan(request: HtmxHttpRequest):
    """The one plan both agreed at the check-in together: write it, see it."""
    link = selectors.active_link(user=request.user)
    link = found_or_404(link if link and link.plan_on else None, "plan")
    form = PlanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.plan_save(link=link, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, "Saved. You both see it until the next check-in.")
        return redirect("partners:plan")
    context = {
        "plan": selectors.current_plan(link=link),
        "form": form,
        "other": link.other(request.user),
        "safety": SAFETY,
    }
    return render(request, "partners/plan.html", context, status=400 if form.errors else 200)
