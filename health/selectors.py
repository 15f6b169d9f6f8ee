from datetime import timedelta

from celery import current_app
from django.db import connection
from django.utils import timezone

from .models import Heartbeat


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def broker_ok() -> bool:
    try:
        with current_app.connection_for_write() as conn:  # the project's app (selfhelp)
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def heartbeat_age() -> timedelta | None:
    """Time since any worker last beat, or None if none ever has (or the database is down)."""
    try:
        latest = Heartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    except Exception:
        return None
    return None if latest is None else timezone.now() - latest
