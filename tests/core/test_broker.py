"""The broker: after losing Redis, the worker's channel fails with a connection error, which
the worker survives, instead of AttributeError, which stopped it (core/broker.py); the
embedded one keeps its files under var/ (selfhelp/settings.py)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from kombu import Connection

from tests.services import require_redis


def detached_channel(transport: str):
    """A channel as the worker's consumer leaves it once Redis has gone: pools dropped,
    transport detached from its connection."""
    connection = Connection(settings.CELERY_BROKER_URL, transport=transport)
    channel = connection.default_channel
    channel._disconnect_pools()
    connection._do_close_transport()
    return connection, channel


@pytest.mark.redis
def test_a_channel_whose_broker_connection_was_closed_raises_a_connection_error():
    require_redis()
    connection, channel = detached_channel(settings.CELERY_BROKER_TRANSPORT)

    with pytest.raises(connection.connection_errors):
        channel.qos.ack("a task that was running")  # acknowledged late, when it finished
    with pytest.raises(connection.connection_errors):
        channel.qos.restore_unacked()  # running tasks handed back as the channel closes


@pytest.mark.redis
def test_stock_kombu_still_needs_the_fix():
    """When this fails, kombu raises a connection error itself: delete core/broker.py and
    the CELERY_BROKER_TRANSPORT setting, the last private name the app relies on."""
    require_redis()
    _, channel = detached_channel("redis")

    with pytest.raises(AttributeError):
        channel.qos.ack("a task that was running")


def test_the_embedded_broker_writes_only_under_var(tmp_path):
    """kombu's filesystem transport kept its exchange tables in control/ of the working
    directory: an untracked folder at the top of the repository after scripts/run."""
    workdir, var = tmp_path / "cwd", tmp_path / "var"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env |= {"VAR_DIR": str(var), "PYTHONPATH": str(settings.BASE_DIR)}
    # What a worker does as it starts: bind its task queue and its remote-control (pidbox) one.
    declare = (
        "from selfhelp.celery import app\n"
        "with app.connection_for_write() as conn:\n"
        "    app.amqp.queues['celery'].bind(conn).declare()\n"
        "    app.control.mailbox(conn).Node('test@here', channel=conn.default_channel).listen()\n"
    )

    subprocess.run([sys.executable, "-c", declare], cwd=workdir, env=env, check=True)

    assert sorted(p.name for p in workdir.iterdir()) == []
    assert sorted(p.name for p in (var / "broker/control").iterdir()) == [
        "celery.exchange",
        "celery.pidbox.exchange",
    ]
