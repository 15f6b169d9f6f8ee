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

Built on public APIs only: a backend of its own (``BaseCache``, as Django's docs on custom
cache backends describe) that hands every call to Django's stock ``RedisCache`` and answers
for it when Redis does not.
"""

import logging
import threading
import time
from collections import defaultdict

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

log = logging.getLogger(__name__)
UNREACHABLE = (ConnectionError, TimeoutError)
WARN_EVERY = 60.0  # seconds
# Keys remembered at most. Clearing the whole cache instead is no way out: it shares its
# Redis database with Celery's queues.
MISSED_MAX = 100_000


class Missed:
    """The (key, version) pairs whose write or delete Redis did not get, for every cache
    of this process: the next one to reach Redis deletes them."""

    def __init__(self):
        self.keys: set[tuple[str, int | None]] = set()
        self.lock = threading.Lock()
        self.last_warning = -WARN_EVERY

    def add(self, keys, version) -> None:
        with self.lock:
            if len(self.keys) < MISSED_MAX:
                self.keys.update((key, version) for key in keys)

    def delete_from(self, redis: RedisCache) -> None:
        with self.lock:
            by_version = defaultdict(list)
            for key, version in self.keys:
                by_version[version].append(key)
            for version, keys in by_version.items():
                redis.delete_many(keys, version=version)
            self.keys.clear()

    def warn(self, error: Exception) -> None:
        if time.monotonic() - self.last_warning >= WARN_EVERY:
            self.last_warning = time.monotonic()
            log.warning(
                "Redis cache unreachable (%s): it reads as empty, rate limits are off and "
                "sessions come from the database",
                error,
            )


missed = Missed()


class LongKeysRedisCache(RedisCache):
    """Django's Redis cache without the warning about keys memcached would refuse (over
    250 characters, spaces), which Redis takes: the override Django's docs on cache key
    warnings suggest."""

    def validate_key(self, key):
        pass


class DegradingRedisCache(BaseCache):
    """Each operation answers as if the key were missing, or as if the write succeeded."""

    def __init__(self, server, params):
        super().__init__(params)
        self.redis = LongKeysRedisCache(server, params)

    def call(self, name: str, *args, version, answer, written=()):
        try:
            if missed.keys:
                missed.delete_from(self.redis)
            return getattr(self.redis, name)(*args, version=version)
        except UNREACHABLE as error:
            missed.add(written, version)
            missed.warn(error)
            return answer

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.call("add", key, value, timeout, version=version, answer=True)

    def get(self, key, default=None, version=None):
        return self.call("get", key, default, version=version, answer=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.call("set", key, value, timeout, version=version, answer=None, written=[key])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.call("touch", key, timeout, version=version, answer=False)

    def delete(self, key, version=None):
        return self.call("delete", key, version=version, answer=False, written=[key])

    def get_many(self, keys, version=None):
        return self.call("get_many", keys, version=version, answer={})

    def has_key(self, key, version=None):
        return self.call("has_key", key, version=version, answer=False)

    def incr(self, key, delta=1, version=None):
        unreached = object()
        result = self.call("incr", key, delta, version=version, answer=unreached)
        if result is unreached:
            raise ValueError(f"Key '{key}' not found.")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self.call("set_many", data, timeout, version=version, answer=[], written=list(data))

    def delete_many(self, keys, version=None):
        keys = list(keys)
        self.call("delete_many", keys, version=version, answer=None, written=keys)

    def clear(self):
        try:
            return self.redis.clear()
        except UNREACHABLE as error:
            missed.warn(error)
            return False

    def close(self, **kwargs):
        self.redis.close(**kwargs)
