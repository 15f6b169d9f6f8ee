"""Kombu's Redis transport, with one fix: a worker that loses Redis mid-task stays alive.

After a lost connection kombu 5.7 detaches the transport from its connection, then still
tries to reach Redis through it: to give running tasks (acknowledged late) back to the
queue, and to acknowledge them when they finish. Building a client from the detached
transport raises AttributeError, which the worker treats as unrecoverable: it exits
(found by scripts/drills, redis_outage). Raising the connection error those callers
expect instead lets the worker log it, reconnect and carry on; an unacknowledged task is
handed out again after the visibility timeout, and a repeated nudge batch skips what was
already sent.

It overrides a private kombu method, which the app otherwise never does: a workaround for
a bug, not for speed. ``CELERY_BROKER_TRANSPORT=redis`` turns it off, and
tests/core/test_broker.py fails once stock kombu no longer needs it.
"""

from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous: bool = False) -> dict:
        if self.connection is None or self.connection.client is None:
            raise ConnectionError("The connection to Redis was closed after an error.")
        return super()._connparams(asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel
