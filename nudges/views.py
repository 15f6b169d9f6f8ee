import json
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.http.request import RawPostDataException
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User

from . import push, selectors, services
from .forms import PushSubscriptionForm, ReminderForm
from .models import Channel, PushSubscription
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
    if push.is_configured():
        context["push_public_key"] = settings.VAPID_PUBLIC_KEY
        context["push_browsers"] = push.subscriptions_for_user(user=request.user).count()
    return render(request, "nudges/reminder_settings.html", context)


# The browser posts its push subscription as JSON (static/js/push.js), with the CSRF token
# in the X-CSRFToken header.
@login_required
@require_POST
def push_subscribe(request):
    if not push.is_configured():
        raise Http404("Browser notifications are not set up on this site.")
    data = _json_object(request)
    if data is None:
        return _bad_request({"__all__": ["Send the subscription as a JSON object."]})
    form = PushSubscriptionForm.from_subscription(data)
    if not form.is_valid():
        return _bad_request({name: list(errors) for name, errors in form.errors.items()})
    push.subscription_save(user=request.user, **form.cleaned_data)
    message = "This browser will show your daily reminder."
    return JsonResponse({"message": message, "channel": Channel.PUSH}, status=201)


@login_required
@require_POST
def push_unsubscribe(request):
    data = _json_object(request)
    if data is None or not isinstance(data.get("endpoint"), str):
        return _bad_request({"endpoint": ["Say which browser to stop: send its endpoint."]})
    subscription = _get_subscription_for_user(request, data["endpoint"])
    push.subscription_delete(subscription=subscription)
    channel = services.schedule_create_default(user=request.user).channel
    message = "This browser will no longer show your reminders."
    if channel == Channel.EMAIL:
        message += " They come by email again."
    return JsonResponse({"message": message, "channel": channel})


def _get_subscription_for_user(request, endpoint: str) -> PushSubscription:
    return get_object_or_404(PushSubscription, user=request.user, endpoint=endpoint)


def _json_object(request) -> dict | None:
    try:
        data = json.loads(request.body)
    # Not JSON, not UTF-8, or a form whose stream the CSRF middleware has already read.
    except (ValueError, RawPostDataException):
        return None
    return data if isinstance(data, dict) else None


def _bad_request(errors: dict[str, list[str]]) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=400)


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
