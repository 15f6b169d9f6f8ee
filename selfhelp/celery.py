"""The Celery app: `celery -A selfhelp worker` and `celery -A selfhelp beat`."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfhelp.settings")

app = Celery("selfhelp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _keep_db_connections() -> None:
    # The Django fixup reads this key without the namespace; without it every task
    # closes and reopens its database connection.
    from django.conf import settings

    app.conf.CELERY_DB_REUSE_MAX = settings.CELERY_DB_REUSE_MAX


app.on_after_configure.connect(lambda **_: _keep_db_connections(), weak=False)


@signals.task_prerun.connect
@signals.task_postrun.connect
def _close_old_connections(sender=None, **kwargs) -> None:
    # What Django does around every request: a connection that failed (PostgreSQL or
    # PgBouncer restarted) or is past CONN_MAX_AGE is closed, so the next task reconnects
    # instead of failing on it until the fixup's next recycle (CELERY_DB_REUSE_MAX tasks).
    # Not for a task run in the caller's process (`.apply()`), which may be inside the
    # caller's transaction: Celery's own fixup spares those too.
    from django.db import close_old_connections

    if sender is not None and sender.request.is_eager:
        return
    close_old_connections()
