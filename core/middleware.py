"""The ground floor's middleware: what any app's views may raise, answered the same way."""

from django.shortcuts import render

from core.http import NotFoundPage


class NotFoundPageMiddleware:
    """Answer `core.http.NotFoundPage` with its own page, still as a 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, NotFoundPage):
            return None
        return render(request, exception.template, exception.context, status=404)
