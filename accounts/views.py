from allauth.core import ratelimit
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from . import services, two_step
from .forms import AccountDeleteForm


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and not ratelimit.consume(
        request, action="reauthenticate", user=request.user
    ):
        # Someone at an unlocked phone must not get unlimited guesses at the password.
        form.add_error(None, "Too many tries. Wait a minute, then enter your password again.")
    elif request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        logout(request)
        return redirect("accounts:deleted")
    return render(request, "accounts/account_delete.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def confirmation_link_retired(request, key: str):
    """Where the confirmation links emailed before addresses were confirmed by code lead (they
    stay valid for three days): to logging in, which emails a code. POST too, for the
    "Confirm" button of a page still open from then. Confirms nothing."""
    return render(request, "accounts/confirmation_link_retired.html", status=410)


@require_safe
def account_deleted(request):
    return render(request, "accounts/account_deleted.html")


@login_required
@require_safe
def two_step_required(request):
    """Why a therapist needs two-step login, and the ways to set it up; then back."""
    back_to = two_step.safe_return(request, request.GET.get("next"))
    if two_step.has_two_step(request.user):
        return redirect(back_to or "home")
    if back_to:
        request.session[two_step.RETURN_KEY] = back_to
    return render(request, "accounts/two_step_required.html")


@login_required
@require_safe
def two_step_continue(request):
    """After setting it up: back to the page the gate stopped, or to the overview."""
    back_to = two_step.safe_return(request, request.session.pop(two_step.RETURN_KEY, None))
    return redirect(back_to or "mfa_index")
