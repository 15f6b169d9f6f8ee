from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_expired_sessions() -> None:
    """Django's own clearsessions: without it expired sessions stay in the table for good."""
    call_command("clearsessions")
