"""The Celery app: `celery -A selfhelp worker` and `celery -A selfhelp beat`."""

import os

from celery import Celery

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
