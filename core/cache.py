"""The Redis cache, made to degrade instead of failing while Redis is unreachable.

The cache holds nothing that must survive: allauth's rate-limit counters. Without this, a
Redis outage turns every sign-in into a 500 page (found by scripts/drills, redis_outage).
While Redis is down the cache reads as empty and drops writes, so rate limits are off
until it is back; /healthz reports the outage, and a warning is logged once a minute.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError, TimeoutError

log = logging.getLogger(__name__)
UNREACHABLE = (ConnectionError, TimeoutError)
WARN_EVERY = 60.0  # seconds
_last_warning = -WARN_EVERY


def _unreachable(error: Exception, answer):
    global _last_warning
    if time.monotonic() - _last_warning >= WARN_EVERY:
        _last_warning = time.monotonic()
        log.warning("Redis cache unreachable (%s); reading it as empty, rate limits off", error)
    return answer


class DegradingRedisCacheClient(RedisCacheClient):
    """Each operation answers as if the key were missing, or as if the write succeeded."""

    def add(self, key, value, timeout):
        try:
            return super().add(key, value, timeout)
        except UNREACHABLE as error:
            return _unreachable(error, True)

    def get(self, key, default):
        try:
            return super().get(key, default)
        except UNREACHABLE as error:
            return _unreachable(error, default)

    def set(self, key, value, timeout):
        try:
            return super().set(key, value, timeout)
        except UNREACHABLE as error:
            return _unreachable(error, None)

    def touch(self, key, timeout):
        try:
            return super().touch(key, timeout)
        except UNREACHABLE as error:
            return _unreachable(error, False)

    def delete(self, key):
        try:
            return super().delete(key)
        except UNREACHABLE as error:
            return _unreachable(error, False)

    def get_many(self, keys):
        try:
            return super().get_many(keys)
        except UNREACHABLE as error:
            return _unreachable(error, {})

    def has_key(self, key):
        try:
            return super().has_key(key)
        except UNREACHABLE as error:
            return _unreachable(error, False)

    def incr(self, key, delta):
        try:
            return super().incr(key, delta)
        except UNREACHABLE as error:
            _unreachable(error, None)
            raise ValueError(f"Key '{key}' not found.") from error

    def set_many(self, data, timeout):
        try:
            return super().set_many(data, timeout)
        except UNREACHABLE as error:
            return _unreachable(error, None)

    def delete_many(self, keys):
        try:
            return super().delete_many(keys)
        except UNREACHABLE as error:
            return _unreachable(error, None)

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as error:
            return _unreachable(error, False)


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = DegradingRedisCacheClient
