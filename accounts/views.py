from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

import nudges.services

from . import services
from .forms import AccountDeleteForm, FirstRunForm, ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def first_run(request):
    """The step after sign-up (ACCOUNT_SIGNUP_REDIRECT_URL); skipping it changes nothing."""
    schedule = nudges.services.schedule_create_default(user=request.user)
    initial = FirstRunForm.initial_for(request.user, schedule)
    form = FirstRunForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.first_run_save(user=request.user, **form.cleaned_data)
        messages.success(request, "Saved. You can change both at any time on your profile.")
        return redirect("home")
    return render(request, "accounts/first_run.html", {"form": form})


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
