"""The ground floor's middleware: what any app's views may raise, answered the same way."""

from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin

from core.http import NotFoundPage


class NotFoundPageMiddleware(MiddlewareMixin):
    """Answer `core.http.NotFoundPage` with its own page, still as a 404."""

    def process_exception(self, request, exception):
        if not isinstance(exception, NotFoundPage):
            return None
        return render(request, exception.template, exception.context, status=404)
