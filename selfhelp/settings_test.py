"""Test settings: the real settings, with a fast hasher, an in-memory outbox and plain HTTP."""

import os

# Under pytest-xdist each process has a Redis database of its own, as it has a test database:
# the cache one process clears between tests and the Celery queue its worker tests read are
# then never the other's. The number given is kept for a process a test starts with this
# environment (manage.py in tests/lessons/test_loader.py), which reads these settings again and
# so lands on its worker's database, not the next one.
if (worker := os.environ.get("PYTEST_XDIST_WORKER")) and os.environ.get("REDIS_URL"):
    given = os.environ.setdefault("TEST_REDIS_URL_GIVEN", os.environ["REDIS_URL"])
    server, _, number = given.rpartition("/")
    os.environ["REDIS_URL"] = f"{server}/{int(number or 0) + 1 + int(worker.removeprefix('gw'))}"

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
HTTPS = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A folder of the tests' own, empty (whitenoise warns without one): every test client's
# whitenoise walks STATIC_ROOT on its first request, and the files scripts/run collects into
# var/staticfiles made each test that starts one slower (plain pytest 201 s against 129 s).
STATIC_ROOT = VAR_DIR / "test-static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
if REDIS_URL:  # noqa: F405
    # Every connection this process opens to Redis carries this name, so that
    # tests/conftest.py can tell another client on its database (another test run, whose
    # flushes empty this one's rate limits, sessions and queues mid-test) from its own.
    TEST_REDIS_CLIENT_NAME = f"closer-tests-{os.getpid()}"
    CACHES["default"]["OPTIONS"]["client_name"] = TEST_REDIS_CLIENT_NAME  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS["client_name"] = TEST_REDIS_CLIENT_NAME  # noqa: F405
else:
    # Tests clear the cache between runs; an in-memory one needs no table.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A fixed master key, so tests seal and open journal text as production does.
CLOSER_ENCRYPTION_KEYS = ["dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE"]
