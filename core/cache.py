"""The Redis cache, made to degrade instead of failing while Redis is unreachable.

The cache holds nothing that must survive: allauth's rate-limit counters, and copies of
sessions whose truth is in the database. Without this, a Redis outage turns every sign-in
into a 500 page (found by scripts/drills, redis_outage). While Redis is down the cache reads
as empty and drops writes, so rate limits are off and sessions are read from the database
until it is back; /healthz reports the outage, and a warning is logged once a minute.

A dropped write or delete would leave Redis with an old value once it answers again (after
a network split, or a restart from its append-only file): a session someone logged out of
during the outage would come back. So each process remembers the keys it failed to write
and deletes them before its next cache operation that reaches Redis.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError, TimeoutError

log = logging.getLogger(__name__)
UNREACHABLE = (ConnectionError, TimeoutError)
WARN_EVERY = 60.0  # seconds
_last_warning = -WARN_EVERY
# Keys remembered at most. Clearing the whole cache instead is no way out: it shares its
# Redis database with Celery's queues.
MISSED_MAX = 100_000
_missed: set[str] = set()  # full keys whose write or delete Redis did not get
_missed_lock = threading.Lock()
_UNREACHED = object()


def _unreachable(error: Exception, answer):
    global _last_warning
    if time.monotonic() - _last_warning >= WARN_EVERY:
        _last_warning = time.monotonic()
        log.warning(
            "Redis cache unreachable (%s): it reads as empty, rate limits are off and "
            "sessions come from the database",
            error,
        )
    return answer


def _miss(keys) -> None:
    with _missed_lock:
        if len(_missed) < MISSED_MAX:
            _missed.update(keys)


class DegradingRedisCacheClient(RedisCacheClient):
    """Each operation answers as if the key were missing, or as if the write succeeded."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        # One client per pool, made once: redis-py builds a new client's table of reply
        # callbacks each time, which took as long as the command. A client on a pool is
        # safe to share between threads.
        pool = self._get_connection_pool(write)
        if id(pool) not in self._clients:
            self._clients[id(pool)] = self._client(connection_pool=pool)
        return self._clients[id(pool)]

    def _call(self, name: str, *args, answer, written=()):
        try:
            if _missed:
                self._delete_missed()
            return getattr(super(), name)(*args)
        except UNREACHABLE as error:
            _miss(written)
            return _unreachable(error, answer)

    def _delete_missed(self) -> None:
        with _missed_lock:
            if _missed:
                super().delete_many(list(_missed))
                _missed.clear()

    def add(self, key, value, timeout):
        return self._call("add", key, value, timeout, answer=True)

    def get(self, key, default):
        return self._call("get", key, default, answer=default)

    def set(self, key, value, timeout):
        return self._call("set", key, value, timeout, answer=None, written=[key])

    def touch(self, key, timeout):
        return self._call("touch", key, timeout, answer=False)

    def delete(self, key):
        return self._call("delete", key, answer=False, written=[key])

    def get_many(self, keys):
        return self._call("get_many", keys, answer={})

    def has_key(self, key):
        return self._call("has_key", key, answer=False)

    def incr(self, key, delta):
        result = self._call("incr", key, delta, answer=_UNREACHED)
        if result is _UNREACHED:
            raise ValueError(f"Key '{key}' not found.")
        return result

    def set_many(self, data, timeout):
        return self._call("set_many", data, timeout, answer=None, written=list(data))

    def delete_many(self, keys):
        return self._call("delete_many", keys, answer=None, written=list(keys))

    def clear(self):
        return self._call("clear", answer=False)


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = DegradingRedisCacheClient

    def validate_key(self, key):
        """Nothing to check: Django warns by default about keys memcached would refuse
        (over 250 characters, spaces), which Redis takes."""
