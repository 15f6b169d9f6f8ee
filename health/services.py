from django.utils import timezone

from .models import Heartbeat


def heartbeat_record(*, worker: str) -> Heartbeat:
    heartbeat, _ = Heartbeat.objects.update_or_create(
        worker=worker, defaults={"beat_at": timezone.now()}
    )
    return heartbeat
