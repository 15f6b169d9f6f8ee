from allauth.core import ratelimit
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from . import services
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


@require_safe
def account_deleted(request):
    return render(request, "accounts/account_deleted.html")
