from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import User

from . import selectors, services
from .forms import ReminderForm
from .tokens import TokenProblem, user_id_from_token

PAUSE_DAYS = 7


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    schedule = services.schedule_create_default(user=request.user)
    initial = ReminderForm.initial_for(schedule, today=request.user.local_today())
    form = ReminderForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.schedule_update(schedule=schedule, **form.cleaned_data)
        messages.success(request, "Your reminder settings are saved.")
        return redirect("nudges:settings")
    context = {
        "form": form,
        "schedule": schedule,
        "deliveries": selectors.recent_deliveries(user=request.user),
    }
    return render(request, "nudges/reminder_settings.html", context)


# RFC 8058: mail providers POST "List-Unsubscribe=One-Click" with no cookie or CSRF token;
# the signed link itself is the authority, and it can only turn reminders off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    user = _user_for_token(token)
    if isinstance(user, TokenProblem):
        return render(request, "nudges/unsubscribe.html", {"problem": user}, status=400)
    if request.method == "GET":
        return render(request, "nudges/unsubscribe.html", {"pause_days": PAUSE_DAYS})
    schedule = services.schedule_create_default(user=user)
    if request.POST.get("action") == "pause":
        until = user.local_today() + timedelta(days=PAUSE_DAYS - 1)
        services.schedule_pause(schedule=schedule, until=until)
        return render(request, "nudges/unsubscribe.html", {"paused_until": until})
    services.schedule_turn_off(schedule=schedule)
    return render(request, "nudges/unsubscribe.html", {"turned_off": True})


def _user_for_token(token: str) -> User | TokenProblem:
    found = user_id_from_token(token)
    if isinstance(found, TokenProblem):
        return found
    return User.objects.filter(pk=found, is_active=True).first() or TokenProblem.INVALID
