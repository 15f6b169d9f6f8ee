from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from nudges.selectors import overdue_deliveries_count

from . import selectors


@never_cache
@require_safe
def healthz(request):
    """The web tier: 503 when this process cannot serve (a load balancer's check). The nudge
    backlog is reported too, but a mail backlog never takes a web server out of rotation."""
    database = selectors.database_ok()
    broker = selectors.broker_ok()
    age = selectors.heartbeat_age() if database else None
    worker = age is not None and age <= settings.HEARTBEAT_MAX_AGE
    body = {
        "database": "ok" if database else "down",
        "broker": "ok" if broker else "down",
        "worker": "ok" if worker else "stale",
        "heartbeat_age_seconds": None if age is None else round(age.total_seconds(), 1),
        "nudges_overdue": _nudges_overdue() if database else None,
    }
    healthy = database and broker and worker
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **body}, status=200 if healthy else 503
    )


@never_cache
@require_safe
def healthz_nudges(request):
    """The daily nudge pipeline, for an operator's monitor: 503 while any nudge due more than
    ten minutes ago is still unsent (or the database cannot say)."""
    overdue = _nudges_overdue()
    healthy = overdue == 0
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "nudges_overdue": overdue},
        status=200 if healthy else 503,
    )


def _nudges_overdue() -> int | None:
    try:
        return overdue_deliveries_count(now=timezone.now())
    except Exception:  # the database is down: the other checks say so
        return None
