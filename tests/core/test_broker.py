"""After losing Redis, the worker's broker channel fails with a connection error, which the
worker survives, instead of AttributeError, which stopped it (core/broker.py)."""

import pytest
from django.conf import settings
from kombu import Connection

from tests.services import require_redis


@pytest.mark.redis
def test_a_channel_whose_broker_connection_was_closed_raises_a_connection_error():
    require_redis()
    connection = Connection(settings.CELERY_BROKER_URL, transport=settings.CELERY_BROKER_TRANSPORT)
    connection_errors = connection.connection_errors
    channel = connection.default_channel
    # What the worker's consumer does once Redis has gone: drop the pools, detach the transport.
    channel._disconnect_pools()
    connection._do_close_transport()

    with pytest.raises(connection_errors):
        channel.qos.ack("a task that was running")  # acknowledged late, when it finished
    with pytest.raises(connection_errors):
        channel.qos.restore_unacked()  # running tasks handed back as the channel closes
