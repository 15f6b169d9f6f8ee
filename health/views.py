from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from nudges.selectors import overdue_deliveries_count

from . import selectors


@never_cache
@require_safe
def healthz_web(request):
    """This web process, for a load balancer: 503 only when it cannot reach the database.
    Nothing shared by every web host (the broker, the worker) is checked, so a fault there
    never takes every host out of rotation at once; Redis down only slows pages."""
    healthy = selectors.database_ok()
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "database": "ok" if healthy else "down"},
        status=200 if healthy else 503,
    )


@never_cache
@require_safe
def healthz(request):
    """The whole service, for an operator's monitor: 503 when the database, the broker or the
    worker is unhealthy. The nudge backlog is reported too (healthz_nudges pages on it)."""
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
