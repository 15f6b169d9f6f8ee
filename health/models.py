from django.db import models


class Heartbeat(models.Model):
    """The last time a Celery worker ran the periodic heartbeat task, one row per worker."""

    worker = models.CharField(max_length=200, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
