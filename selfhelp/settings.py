"""Settings for the whole app, read from the environment.

Every variable has an embedded default that runs on one machine with no services
(SQLite and a filesystem broker under var/). Production differs only by environment:
see README.md for the full list.
"""

import base64
import os
import secrets
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_url(name: str, default: str) -> str:
    raw = env_str(name, default)
    if not raw.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"{name}={raw!r} is not an http(s) address")
    return raw


def _development_secret_key() -> str:
    """A random key kept in var/, so development sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _development_encryption_key() -> str:
    """A random master key kept in var/, so development journals stay readable."""
    path = VAR_DIR / "encryption_key"
    if not path.exists():
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    return path.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or _development_secret_key()
# Master keys that wrap each person's data key (core/crypto.py), newest first. Development
# (scripts/run) makes one in var/ and keeps using it; otherwise, with DEBUG off, a system
# check and wsgi refuse to start without them.
CLOSER_ENCRYPTION_KEYS = env_list("CLOSER_ENCRYPTION_KEYS") or (
    [_development_encryption_key()] if DEBUG or (VAR_DIR / "encryption_key").exists() else []
)
# Loopback names are always allowed so health checks inside a container reach /healthz.
ALLOWED_HOSTS = [*env_list("DJANGO_ALLOWED_HOSTS"), "localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "core",
    "accounts",
    "outbox",
    "health",
    "lessons",
    "journal",
    "practice",
    "nudges",
    "sharing",
    "partners",
    "home",
]
# The benchmark's reference pages (/bench/) and commands exist only when scripts/bench asks.
BENCH_VIEWS = env_bool("BENCH_VIEWS", False)
if BENCH_VIEWS:
    INSTALLED_APPS.append("benchmarks")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UserTimeZoneMiddleware",
    "accounts.middleware.TwoStepMiddleware",
    "core.middleware.NotFoundPageMiddleware",
]

ROOT_URLCONF = "selfhelp.urls"
WSGI_APPLICATION = "selfhelp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.quick_exit",
            ],
        },
    },
]

# Django's own, but no ":" after a label that ends in "?", ")" or "…" (core.forms).
FORM_RENDERER = "core.forms.FormRenderer"

# Database: SQLite under var/ unless DATABASE_URL points elsewhere (PostgreSQL in production).
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'selfhelp.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's own backend, as it comes: values bound on the client and no statement prepared
    # on the server, so it works through PgBouncer in transaction mode. Health checks
    # reconnect after a database restart without restarting the server.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # .iterator() (the export, the account deletion's sessions) reads in chunks on the client:
    # a server-side cursor outside a transaction would not survive a transaction pooler.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
else:
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis (broker and cache) when REDIS_URL is set; otherwise nothing needs a server.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # While Redis is down the cache reads as empty (rate limits off) instead of failing
    # every sign-in; a Redis that hangs counts as down after two seconds. See core/cache.py.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Sessions are read from Redis (no query on a warm cache) and written to the database
    # too, so a Redis restart or outage logs no one out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "selfhelp_cache",
        }
    }
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the login; confirming it is required before first use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# An address is confirmed by a code emailed to it and typed in the browser that signed up (or
# added the address on "Your email addresses"), never by a link. With a link, anyone could sign
# up with someone else's address and a password of their own; the owner, confirming in good
# faith, would hand them an account that reads everything the owner then writes ("account
# pre-hijacking"). With a code the owner has nothing to press, and whoever signed up never sees
# it. tests/security/test_pre_hijacking.py pins it.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
# Nine digits (typed on a phone's number pad), three tries, 15 minutes: allauth's defaults but
# for the digits, written down here as the code page and email say them. Each new code takes a
# log-in with the password and goes to the owner, at most one each 10 seconds per address, so
# guessing one takes over a hundred million emails on average. After the 15 minutes, the third
# wrong try or a closed tab, logging in again sends a new code (the page and the email say so);
# nothing else is lost.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_FORMAT = {"numeric": True, "length": 9}
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = 15 * 60
# "Send a new code" on the code page, twice, for an email that never came.
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
# An address added on "Your email addresses" is confirmed back on that page.
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = "/accounts/email/"  # a path, not a name
# Signing up or asking for a new password reads the same whether or not an account uses the
# address; its owner learns which by email instead (allauth's default, written down here;
# tests/accounts pin it).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SIGNUP_FORM_CLASS = "home.forms.SignupForm"
# allauth's forms with labels in our words ("Current password", not "Current Password").
ACCOUNT_FORMS = {
    "signup": "accounts.allauth_forms.SignupForm",
    "login": "accounts.allauth_forms.LoginForm",
    "change_password": "accounts.allauth_forms.ChangePasswordForm",
    "reset_password_from_key": "accounts.allauth_forms.ResetPasswordKeyForm",
    "confirm_email_verification_code": "accounts.allauth_forms.ConfirmEmailCodeForm",
}
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# After the code is typed (which signs the new user in): where they are, and the reminder.
ACCOUNT_SIGNUP_REDIRECT_URL = "home:first_run"
# No "[Closer] " before allauth's subjects, as before none of ours: the From name says who
# writes, and a subject on a lock screen says no more than it must (None would add the site).
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# allauth's emails as each person chose: their sender name; with discreet reminders, nothing
# of what Closer is for (outbox/account_adapter.py).
ACCOUNT_ADAPTER = "outbox.account_adapter.AccountAdapter"
# No notices of a changed password, address or two-step login: each would need a template of
# ours in discreet words too (tests/outbox/test_account_adapter.py reads every one we have).
ACCOUNT_EMAIL_NOTIFICATIONS = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Failed logins are limited per account (5 in 5 minutes) and per address (20 a minute),
# never per address alone: a whole mobile carrier can share one address.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,5/300s/key"}
# Proxies in front of the app that add to X-Forwarded-For (Caddy in docker-compose.yml: 1).
# Without it every request behind a proxy has the proxy's address, and one address's limit
# would lock everyone out.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Two-step login (allauth.mfa): an authenticator app, passkeys or security keys, and
# recovery codes. Offered to everyone; a therapist must have it before reading a client's
# page (accounts/two_step.py). A wrong code counts as a failed login: "login_failed" above
# limits it per account and per address. Passkeys log in without a password, at most ten
# tries a minute from one address (allauth's default, written down here).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# Adding or removing a way to log in asks for the password (or a code) again, unless this
# session logged in, or confirmed it is them, within the last five minutes (allauth's default,
# written down here): a new therapist sets up two-step login right after signing up without
# typing the password again, and a session left open for longer is asked (accounts/adapter.py).
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_RATE_LIMITS = {"webauthn_login": "10/m/ip"}
MFA_TOTP_ISSUER = "Closer"
MFA_FORMS = {
    "activate_totp": "accounts.allauth_forms.ActivateTOTPForm",
    "authenticate": "accounts.allauth_forms.AuthenticateForm",
    "reauthenticate": "accounts.allauth_forms.ReauthenticateForm",
}
# The browser checks that the site is HTTPS (or http://localhost) and the origin matches;
# MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN stays off, so the server checks it as well.

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: console by default; SMTP when EMAIL_HOST is set.
# Where "Exit quickly" (and Escape three times) takes the tab: a neutral site, no trace of ours.
QUICK_EXIT_URL = env_url("QUICK_EXIT_URL", "https://www.bbc.com/weather")

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Closer <hello@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env_str("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST"),
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                # A hung mail server must not hold a nudge in "sending" for ever.
                "timeout": env_int("EMAIL_TIMEOUT", 30),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
        }
    }
    if env_str("EMAIL_FILE_PATH"):
        # The folder of django.core.mail.backends.filebased.EmailBackend (the drills count
        # nudges there).
        MAILERS["default"]["OPTIONS"] = {"file_path": env_str("EMAIL_FILE_PATH")}


def _vapid_key(name: str, size: int) -> str:
    raw = env_str(name).strip()
    try:
        decoded = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except ValueError:
        decoded = b""
    if raw and len(decoded) != size:
        raise ImproperlyConfigured(f"{name} is not a {size}-byte key in base64url")
    return raw


# Web push: nudges as browser notifications, offered only when both VAPID keys are set
# (base64url, as `manage.py vapid_keys` prints them). The subject is whom push services contact.
VAPID_PUBLIC_KEY = _vapid_key("VAPID_PUBLIC_KEY", 65)  # an uncompressed P-256 point
VAPID_PRIVATE_KEY = _vapid_key("VAPID_PRIVATE_KEY", 32)
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:" + parseaddr(DEFAULT_FROM_EMAIL)[1])
if not VAPID_SUBJECT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(f"VAPID_SUBJECT={VAPID_SUBJECT!r} is not a mailto: or https: URL")

# HTTPS: on whenever DEBUG is off, unless the operator says the site is plain HTTP.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probed over plain HTTP from inside the network
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Celery: Redis when REDIS_URL is set, else kombu's filesystem transport under var/.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Kombu's Redis transport, fixed so that a worker survives losing Redis mid-task: a
    # workaround of a kombu 5.7 bug through one of its private methods (core/broker.py).
    # CELERY_BROKER_TRANSPORT=redis runs stock kombu, whose worker exits instead.
    CELERY_BROKER_TRANSPORT = env_str("CELERY_BROKER_TRANSPORT", "core.broker:Transport")
    # Longer than the longest task, so a task lost with its worker is redelivered soon.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY", 900)}
else:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Exchange tables; without this kombu writes them to control/ in the working directory.
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Celery's Django fixup closes the connection around every task unless reuse is allowed.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 100)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Every minute: the worker proves it is alive by writing a heartbeat row.
    "worker-heartbeat": {"task": "health.tasks.heartbeat", "schedule": crontab()},
    # Every minute: entries deleted more than ten minutes ago (past undo) are removed for good.
    "purge-deleted-entries": {"task": "journal.tasks.purge_deleted_entries", "schedule": crontab()},
    # Every minute: reminders due since the last tick are claimed and sent in batches. A tick
    # still queued after 50 s is dropped; the next one picks up the same due reminders.
    "dispatch-nudges": {
        "task": "nudges.tasks.dispatch_nudges",
        "schedule": crontab(),
        "options": {"expires": 50},
    },
    # Every minute: one-off reminders now due (the end of a break) are sent, each once.
    "send-one-off-reminders": {
        "task": "nudges.tasks.send_one_off_reminders",
        "schedule": crontab(),
        "options": {"expires": 50},
    },
    # Every minute: weekly check-in reminders due since the last tick (nudges/weekly.py).
    "dispatch-check-in-reminders": {
        "task": "nudges.tasks.dispatch_check_in_reminders",
        "schedule": crontab(),
        "options": {"expires": 50},
    },
    # Every fifteen minutes: the day's notice emails (new comments, newly shared entries) for
    # opted-in users whose local time is past 18:00, once a day each (see sharing/digests.py).
    "dispatch-digests": {
        "task": "sharing.tasks.dispatch_digests",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 600},
    },
    # Daily at 03:15 UTC: expired sessions are deleted (Django's clearsessions).
    "clear-expired-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    # Daily at 03:45 UTC: nudge deliveries due more than NUDGE_RETENTION_DAYS ago are deleted.
    "expire-old-nudges": {
        "task": "nudges.tasks.expire_old_nudges",
        "schedule": crontab(hour=3, minute=45),
    },
    # Daily at 03:30 UTC: access-log rows older than ACCESS_LOG_RETENTION_DAYS are deleted.
    "expire-access-logs": {
        "task": "sharing.tasks.expire_access_logs",
        "schedule": crontab(hour=3, minute=30),
    },
    # Every five minutes: messages of every kind (check-in and break reminders, notices; the
    # daily nudges below) claimed but never sent are queued again, or given up on when too
    # late; those a stopped worker was sending are marked failed (see outbox/services.py).
    "sweep-deliveries": {
        "task": "outbox.tasks.sweep_deliveries",
        "schedule": crontab(minute="*/5"),
    },
    "sweep-nudges": {
        "task": "nudges.tasks.sweep_stale_nudges",
        "schedule": crontab(minute="*/5"),
    },
}
# A client's record of who read what is kept this long (two years), then deleted.
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 2 * 365)
# The record of each daily nudge (sent, skipped, failed) is kept this long.
NUDGE_RETENTION_DAYS = env_int("NUDGE_RETENTION_DAYS", 90)
# /healthz reports the worker unhealthy when its heartbeat is older than this.
HEARTBEAT_MAX_AGE = timedelta(seconds=env_int("HEARTBEAT_MAX_AGE_SECONDS", 180))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
