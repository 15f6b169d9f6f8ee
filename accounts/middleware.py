"""The signed-in person's middleware: their time zone, and the two-step login a page needs.

Like core's, each is a class as Django's "Writing your own middleware" shows it: it takes
`get_response` and is called with each request; a hook it needs (`process_exception`) is a
method beside them."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from .two_step import TwoStepRequired


class UserTimeZoneMiddleware:
    """Show every date and time in the signed-in user's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.zone)
        else:
            timezone.deactivate()
        return self.get_response(request)


class TwoStepMiddleware:
    """Answer `two_step.TwoStepRequired` with the page that explains and sets it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TwoStepRequired):
            return None
        url = reverse("accounts:two_step_required") + "?" + urlencode({"next": exception.back_to})
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)
