from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import selectors


@never_cache
@require_safe
def healthz(request):
    database = selectors.database_ok()
    broker = selectors.broker_ok()
    age = selectors.heartbeat_age() if database else None
    worker = age is not None and age <= settings.HEARTBEAT_MAX_AGE
    body = {
        "database": "ok" if database else "down",
        "broker": "ok" if broker else "down",
        "worker": "ok" if worker else "stale",
        "heartbeat_age_seconds": None if age is None else round(age.total_seconds(), 1),
    }
    healthy = database and broker and worker
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **body}, status=200 if healthy else 503
    )
