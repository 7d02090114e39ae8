"""The one settings module.

Everything that differs between a laptop, CI and production comes from environment variables,
and every default works with nothing else installed: SQLite and in-process tasks unless
DATABASE_URL and REDIS_URL say otherwise.
"""

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


DEBUG = env_bool("DJANGO_DEBUG", False)
# Production is reached only over https, through a proxy that terminates TLS (README, "Running
# in production"): plain http is redirected, cookies are Secure, emailed links say https. Off
# with DEBUG (`make run`), and for a server reached over plain http on purpose: the test suite's
# client and live server, the bench's gunicorn (both set DJANGO_HTTPS=0).
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("DJANGO_REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY in production.")
    # Good enough for a laptop or a test run; production sets DJANGO_REQUIRE_SECRET_KEY=1.
    SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105

ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]
# A refused form answers with the site's own 403 page (templates/403.html), navigation and all.
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "template_partials",
    # Ours, lowest first: an app imports only those listed before it.
    "core",
    "regulators",
    "accounts",
    "portfolio",
    "resources",
    "capture",
    "summaries",
    "packs",
    "imports",
    "peer_confirmations",
    "programmes",
    "credentials",
    "account_data",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "api",
    "demo",
]

MIDDLEWARE = [
    # First, so every log line of a request carries its id (core/request_ids.py).
    "core.request_ids.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files carry the policy too (an SVG opened on its own
    # is a document).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Closed by default: every view needs a login unless marked @login_not_required (the
    # home page, the library and events, /verify/, the web app's manifest and service worker,
    # an invitation's landing page, sign-up and log-in) or, for the API, its own
    # authentication (api/views.py).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A request over a rate limit answers 429 (core/rate_limits.py), not the 403 it would be.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Ours, after authentication and messages: first a session idle too long (or too old) is
    # ended, then a signed-in programme leader or admin without a second factor is sent to set
    # one up (accounts/middleware.py).
    "accounts.middleware.SessionIdleTimeoutMiddleware",
    "accounts.middleware.RequireMfaForLeadingRolesMiddleware",
]

ROOT_URLCONF = "cpd_portal.urls"
WSGI_APPLICATION = "cpd_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

FORM_RENDERER = "cpd_portal.forms.FormRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# DATABASE_URL names a PgBouncer in transaction pooling (README "Behind PgBouncer").
DATABASE_PGBOUNCER = env_bool("DATABASE_PGBOUNCER", False)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
    postgresql = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if postgresql and DATABASE_PGBOUNCER:
        # Each transaction may run on another of PgBouncer's server connections, and nothing
        # outlives a transaction there. So PgBouncer is the pool (none of psycopg's, and a
        # connection per request, as Django's docs advise), .iterator() fetches in chunks
        # from an ordinary cursor rather than a named one declared on the server, and
        # statements are never prepared on the server (Django's default too; PgBouncer 1.18
        # cannot route them).
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
    elif postgresql and env_bool("DATABASE_POOL", True):
        # psycopg 3's pool; Django requires persistent connections to be off when it is used.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": env_int("DATABASE_POOL_MAX", 10),
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            # Background work writes from its own threads (core/embedded_worker.py) while
            # requests read and write: WAL lets readers go on beside the writer, a writer
            # waits its turn rather than failing at once, and a transaction takes the write
            # lock when it starts, so two never deadlock upgrading a read lock.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "cpd"),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    EMBEDDED_WORKER_THREADS = 0
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # No broker: tasks run in threads of the web process once the request that sent them
    # commits (core/embedded_worker.py), so the app works with nothing else running and a
    # long build shows its progress page at once instead of holding the request.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = False
    CELERY_TASK_EAGER_PROPAGATES = True
    EMBEDDED_WORKER_THREADS = env_int("EMBEDDED_WORKER_THREADS", 2)
# How long a rendered part of a page stays in the cache (core/fragments.py): keys change with
# the data, so this only bounds what unread fragments cost. Off unless the cache is Redis,
# shared by every process: a renewal written to one process's memory would not reach the
# others. Off with DEBUG, so an edited template shows at once.
FRAGMENT_CACHE_SECONDS = env_int(
    "FRAGMENT_CACHE_SECONDS", 24 * 60 * 60 if REDIS_URL and not DEBUG else 0
)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/London"
# Two queues, so a burst of slow work never delays what someone is waiting for. "heavy": builds
# that take minutes (packs, summaries, imports, account exports, the library's link check, and
# the nightly run that requests summaries); "light": work of a second or two that should go at
# once (emails and the sweep of unsent ones, reminders and their notifications, the requeue,
# expiries and sweeps, the heartbeat). Every task of ours is routed here by name, to a queue
# (tests/core/test_queues.py checks); anything else (Celery's own) goes to the default, light.
# A worker started without -Q consumes both, as in development; production runs one pool per
# queue (README, "Running in production").
CELERY_HEAVY_QUEUE = "heavy"
CELERY_LIGHT_QUEUE = "light"
CELERY_TASK_QUEUES = (Queue(CELERY_HEAVY_QUEUE), Queue(CELERY_LIGHT_QUEUE))
CELERY_TASK_DEFAULT_QUEUE = CELERY_LIGHT_QUEUE
CELERY_TASK_ROUTES = {
    **dict.fromkeys(
        [
            "packs.tasks.build_evidence_pack",
            "summaries.tasks.generate_summary",
            "summaries.tasks.request_nightly_summaries",
            "imports.tasks.stage_import",
            "account_data.tasks.build_account_export",
            "resources.tasks.check_library_links",
        ],
        CELERY_HEAVY_QUEUE,
    ),
    **dict.fromkeys(
        [
            "core.tasks.send_outgoing_email",
            "core.tasks.send_unsent_emails",
            "core.tasks.sweep_leftovers",
            "core.tasks.requeue_stuck_requests",
            "core.tasks.beat_heartbeat",
            "programmes.tasks.send_cpd_reminders",
            "packs.tasks.delete_expired_evidence_packs",
            "account_data.tasks.delete_expired_account_exports",
            "imports.tasks.discard_abandoned_imports",
            # One link, checked again while a curator waits (bounded by its timeout).
            "resources.tasks.check_resource_link",
            # A captured link's page title (bounded by CAPTURE_TITLE_FETCH_SECONDS).
            "capture.tasks.fetch_draft_title",
        ],
        CELERY_LIGHT_QUEUE,
    ),
}
CELERY_BEAT_SCHEDULE = {
    # Run exactly one `celery -A cpd_portal beat`; each task is still safe if two ever overlap
    # (tests/packs/test_beat_overlap.py). Quiet hours, once a day.
    "check-library-links": {
        "task": "resources.tasks.check_library_links",
        "schedule": crontab(hour=3, minute=17),
    },
    # Deadline reminders, in the morning; safe to run twice (see programmes/reminders.py).
    "send-cpd-reminders": {
        "task": "programmes.tasks.send_cpd_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # Summaries, evidence packs and imports whose message or worker was lost (core/background.py).
    "requeue-stuck-requests": {
        "task": "core.tasks.requeue_stuck_requests",
        "schedule": crontab(minute="*/5"),
    },
    # Emails owed but still unsent: their message or their sender was lost (core/outbox.py).
    "send-unsent-emails": {
        "task": "core.tasks.send_unsent_emails",
        "schedule": crontab(minute="*/5"),
    },
    # Partial files and working folders of killed work (core/leftovers.py).
    "sweep-leftovers": {
        "task": "core.tasks.sweep_leftovers",
        "schedule": crontab(minute=37),
    },
    "delete-expired-exports": {
        "task": "packs.tasks.delete_expired_evidence_packs",
        "schedule": crontab(hour=2, minute=41),
    },
    "delete-expired-account-exports": {
        "task": "account_data.tasks.delete_expired_account_exports",
        "schedule": crontab(hour=2, minute=47),
    },
    "request-nightly-summaries": {
        "task": "summaries.tasks.request_nightly_summaries",
        "schedule": crontab(hour=1, minute=23),
    },
    "discard-abandoned-imports": {
        "task": "imports.tasks.discard_abandoned_imports",
        "schedule": crontab(hour=2, minute=53),
    },
    # Proves to /health/ that beat sends and a worker runs (core/health.py). A beat that is
    # down leaves none queued: a heartbeat nobody ran in time expires unrun.
    "beat-heartbeat": {
        "task": "core.tasks.beat_heartbeat",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
}
# /health/ fails when no heartbeat ran for this long: a few beats, so one slow moment in a
# worker's queue is not an alarm.
BEAT_HEARTBEAT_MAX_AGE_SECONDS = env_int("BEAT_HEARTBEAT_MAX_AGE_SECONDS", 5 * 60)
# A monitor that sends `Authorization: Bearer <this>` to /health/ sees each check's result;
# anyone else sees only whether all passed (as does a signed-in admin, who sees the details).
HEALTH_CHECK_TOKEN = os.environ.get("HEALTH_CHECK_TOKEN", "")
# A queued or running summary or export with no heartbeat for this long lost its message or its
# worker and is queued again. Longer than any one step of a build takes.
WORK_REQUEUE_AFTER_SECONDS = env_int("WORK_REQUEUE_AFTER_SECONDS", 10 * 60)
# After this many attempts a summary, pack or import is failed, with a reason, until its owner
# asks to try again; an owed email is no longer sent.
WORK_MAX_ATTEMPTS = env_int("WORK_MAX_ATTEMPTS", 3)
# Where builds keep their working folders, and how old a leftover (a working folder or a
# partial or unrecorded file of killed work) must be before the sweep removes it: longer than
# any build's time limit (25 minutes), so nothing in progress is touched.
WORK_TEMP_DIR = os.environ.get("WORK_TEMP_DIR") or str(
    Path(tempfile.gettempdir()) / "cpd-portal-work"
)
WORK_LEFTOVERS_AFTER_SECONDS = env_int("WORK_LEFTOVERS_AFTER_SECONDS", 60 * 60)
# An owed email still unsent this long after it was owed (or claimed by a sender) is sent by
# the sweep: its message or its sender was lost.
EMAIL_RESEND_AFTER_SECONDS = env_int("EMAIL_RESEND_AFTER_SECONDS", 10 * 60)

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Sign-up also asks for the name programme leaders will see; both forms are labelled in the
# site's way (accounts/forms.py).
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "set_password": "accounts.forms.SetPasswordForm",
    "add_email": "accounts.forms.AddEmailForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_REDIRECT_URL = "accounts:profile"
# The site's one name, in every page title and email (emails also use SITE_URL, below, for
# every link: never the host a request happened to arrive at).
SITE_NAME = os.environ.get("SITE_NAME", "CPD Portal")
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# allauth's emailed links (verification, password reset).
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
# Multi-factor authentication (allauth.mfa): an authenticator app, passkeys and security keys,
# and recovery codes. Programme leaders and admins must set one up (accounts/mfa.py); anyone
# else may, from their profile. Once set up, signing in asks for it.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# A code from the step before or after is accepted too: phones' clocks drift.
MFA_TOTP_TOLERANCE = 1
# WebAuthn needs https, except on http://localhost while developing (and in the browser tests,
# which set it themselves). Never in production: it would accept a credential for any origin.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portfolio:dashboard"
LOGOUT_REDIRECT_URL = "home"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The mail server, for the SMTP backend production uses.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <no-reply@cpd.localhost>")

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "British English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "static/"
# Production serves what `manage.py collectstatic` gathers here: every file also under a name
# carrying a hash of its content, listed in a manifest, so WhiteNoise lets browsers keep it for
# good. With no STATIC_ROOT, or no manifest in it, every page fails rather than link stale files.
# Under DEBUG (`make run`) WhiteNoise serves static/ as it is, with no collectstatic step.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
STATICFILES_DIRS = [BASE_DIR / "static"]
# Private files: evidence, import uploads and their staged attachments, evidence packs and
# account exports. Each kind is read and written through its own named storage
# (core/file_stores.py), never a path: on S3, web servers and workers share no disk. By
# default all of them are one local folder outside any served directory; with S3_BUCKET, an
# S3-compatible object store (django-storages), the same keys each kind's names already start
# with (evidence/, imports/, exports/, account-exports/) under S3_PREFIX. Either way only a
# permission-checked view reads them: no public ACL, no public URL.


def private_files_storage(environ: Mapping[str, str]) -> dict[str, Any]:
    """The STORAGES entry of every kind of private file, from the environment."""
    endpoint_url = environ.get("S3_ENDPOINT_URL", "")
    if not environ.get("S3_BUCKET"):
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": environ.get("PRIVATE_MEDIA_ROOT") or BASE_DIR / "var" / "private"
            },
        }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": environ["S3_BUCKET"],
            "location": environ.get("S3_PREFIX", ""),
            # Empty: AWS itself. Keys empty: boto3's own chain (an instance role, say).
            "endpoint_url": endpoint_url or None,
            "region_name": environ.get("S3_REGION") or None,
            "access_key": environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("S3_SECRET_ACCESS_KEY") or None,
            # Other S3-compatible servers are mostly reached by path, not by bucket host name.
            "addressing_style": environ.get("S3_ADDRESSING_STYLE")
            or ("path" if endpoint_url else None),
            "signature_version": "s3v4",
            # The bucket's own ACL, which must be private; a name already taken gets a new one.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            # A file read back (a download, a pack's evidence) spills to a temporary file past
            # this, rather than holding a whole pack in memory.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }


PRIVATE_FILES_STORAGE = private_files_storage(os.environ)
STORAGES = {
    "default": PRIVATE_FILES_STORAGE,
    "evidence": PRIVATE_FILES_STORAGE,
    "imports": PRIVATE_FILES_STORAGE,
    "exports": PRIVATE_FILES_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# Files chosen on an entry's form that came back with an error are held until the entry is
# saved; a form abandoned this long leaves them to the hourly sweep (core/leftovers.py).
PENDING_EVIDENCE_KEEP_SECONDS = env_int("PENDING_EVIDENCE_KEEP_SECONDS", 24 * 60 * 60)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Evidence packs and account exports ("Download everything"): kept for this many days, then
# deleted; a file uploaded to /verify/ to check its hash may be at most this large (it is
# hashed as it streams and never stored).
EXPORT_EXPIRY_DAYS = env_int("EXPORT_EXPIRY_DAYS", 7)
VERIFY_UPLOAD_MAX_BYTES = env_int("VERIFY_UPLOAD_MAX_BYTES", 100 * 1024 * 1024)
# Imports: an X archive with its media runs to gigabytes, but importers read only the few
# members they need, each counted as it is unpacked (headers can lie about sizes).
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 2 * 1024 * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 500 * 1024 * 1024)
# An import staged (or refused) and never confirmed is discarded, files and all, after this.
IMPORT_KEEP_DAYS = env_int("IMPORT_KEEP_DAYS", 14)
# Processes that render a pack's PDF parts side by side (1: render in the worker itself).
EXPORT_RENDER_PROCESSES = env_int("EXPORT_RENDER_PROCESSES", 2)
# Seconds to pause at each step of building a pack. Only the reliability tests set it, to kill a
# worker in the middle of a build.
EXPORT_STEP_DELAY_SECONDS = float(os.environ.get("CPD_EXPORT_TEST_DELAY") or 0)

# --- Security -------------------------------------------------------------------------------
# Behind a reverse proxy, where every rate limit finds the client (core/client_address.py):
# the request header the proxies append the address they received from to, as Django names
# it (HTTP_X_FORWARDED_FOR for X-Forwarded-For), and how many trusted proxies append to it.
# Unset, the header is ignored and the client is the connection's own address.
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if TRUSTED_PROXY_HEADER else 0)
# Rate limits (core/rate_limits.py), counted in the cache: Redis when REDIS_URL is set, so
# every process shares the counts. Each is "count/period" (s, m, h, d; "5/10m" is five in ten
# minutes), per user unless it says per address.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "core.client_address.client_address"
RATELIMIT_VIEW = "core.rate_limits.too_many_requests"
RATE_LIMITS = {
    # Files checked on the public /verify/ page, per client address: each is hashed in full.
    "verify-upload": os.environ.get("RATE_LIMIT_VERIFY_UPLOAD", "30/h"),
    # Credentials checked on the public /credentials/verify/ page, per client address.
    "credential-verify": os.environ.get("RATE_LIMIT_CREDENTIAL_VERIFY", "60/h"),
    # Captures sent from a device's offline queue, which may hold a day's worth.
    "capture-sync": os.environ.get("RATE_LIMIT_CAPTURE_SYNC", "120/h"),
    # Blog feeds fetched by address: each makes the server fetch whatever was typed.
    "feed-import": os.environ.get("RATE_LIMIT_FEED_IMPORT", "10/h"),
    # Sends of a cohort's invitation form (each may invite many people by email).
    "invitations": os.environ.get("RATE_LIMIT_INVITATIONS", "20/h"),
    "token-creation": os.environ.get("RATE_LIMIT_TOKEN_CREATION", "10/h"),
    # The confidentiality check asked while typing: one request a pause, per field.
    "confidentiality-check": os.environ.get("RATE_LIMIT_CONFIDENTIALITY_CHECK", "120/m"),
    # Links asking colleagues to confirm a peer discussion: each emails someone.
    "peer-confirmation-requests": os.environ.get("RATE_LIMIT_PEER_CONFIRMATION_REQUESTS", "20/h"),
    # Answers to those links, per client address: each types an address to be checked.
    "peer-confirmation-answers": os.environ.get("RATE_LIMIT_PEER_CONFIRMATION_ANSWERS", "30/h"),
}
# A signed-in session ends after this long with no request, and, however busy, this long after
# signing in; "Remember me" only lets it outlive the browser within both bounds
# (accounts/middleware.py).
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 60)
SESSION_COOKIE_AGE = env_int("SESSION_MAX_AGE_HOURS", 12) * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# The load balancer may probe over plain http: the health check answers it where it asks.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
# Browsers remember to use https only (sent on https responses only). A year, this domain's
# subdomains too, and the consent to be preloaded into browsers (which still needs submitting
# at hstspreload.org, and is hard to undo): each can be turned down with its variable.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# The header by which the TLS-terminating proxy says a request came over https, e.g.
# "X-Forwarded-Proto". Set it only when every request passes through a proxy that sets or
# overwrites it: otherwise a client could claim https itself.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + os.environ["SECURE_PROXY_SSL_HEADER"].upper().replace("-", "_"), "https")
    if os.environ.get("SECURE_PROXY_SSL_HEADER")
    else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy ----------------------------------------------------------------
# Every response says a page may load script, style, images, fonts and requests from this site
# only: no inline script or style and no eval, so markup that slips into a page runs nothing.
# Pages keep their code and style in static/ files, not in nonces: parts of pages come from the
# fragment cache (core/fragments.py), where a per-response nonce would go stale. Downloads of
# evidence send a stricter policy of their own (core/private_files.py), which CSPMiddleware
# leaves in place as it never replaces a header already set.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Pico's form controls draw their icons as data: SVGs in its CSS, and allauth's TOTP
        # set-up shows its QR code as a data: image.
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        # Every form posts here, and what it redirects to after is here too (no social log-in).
        "form-action": ["'self'"],
    },
}

# --- The CPD year ---------------------------------------------------------------------------
# Social Work England's registration year runs 1 December to 30 November; records are due by
# 23:59 on its last day. Month and day of the first day, so another regulator's year fits too.
CPD_YEAR_START_MONTH = env_int("CPD_YEAR_START_MONTH", 12)
CPD_YEAR_START_DAY = env_int("CPD_YEAR_START_DAY", 1)

# --- Programmes: invitations, notifications, deadline reminders ------------------------------
# Emails are sent by background tasks, which have no request to take the site's address from.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The private key (PEM) that signs the Open Badges credentials issued on sign-off
# (credentials/keys.py). Made there on first use when missing, which suits development; in
# production point it at a file kept and backed up outside the code, mode 0600.
CREDENTIALS_SIGNING_KEY_PATH = os.environ.get(
    "CREDENTIALS_SIGNING_KEY_PATH", str(BASE_DIR / "var" / "credentials-signing-key.pem")
)
PROGRAMME_INVITATION_DAYS = env_int("PROGRAMME_INVITATION_DAYS", 14)
# How long a link asking a colleague to confirm a peer discussion works, and how many links of
# one entry may wait for an answer at once.
PEER_CONFIRMATION_DAYS = env_int("PEER_CONFIRMATION_DAYS", 14)
PEER_CONFIRMATION_MAX_OPEN = env_int("PEER_CONFIRMATION_MAX_OPEN", 3)
# Days before the end of the CPD year when practitioners short of the minimum are reminded.
CPD_REMINDER_DAYS = [
    int(days) for days in os.environ.get("CPD_REMINDER_DAYS", "60,30,7").split(",") if days
]

# --- The resource library's link checker ------------------------------------------------------
LINK_CHECK_TIMEOUT_SECONDS = float(os.environ.get("LINK_CHECK_TIMEOUT_SECONDS", "10"))
LINK_CHECK_MAX_REDIRECTS = env_int("LINK_CHECK_MAX_REDIRECTS", 5)
LINK_CHECK_CONCURRENCY = env_int("LINK_CHECK_CONCURRENCY", 4)
# One bad day is not a broken link: it takes this many failed daily checks in a row.
LINK_CHECK_FAILURES_BEFORE_BROKEN = env_int("LINK_CHECK_FAILURES_BEFORE_BROKEN", 3)
LINK_CHECK_USER_AGENT = os.environ.get(
    "LINK_CHECK_USER_AGENT",
    "CPDPortalLinkChecker/1.0 (checks that links in a social work CPD library still work)",
)
# Never on in production: it would let a curated link reach the servers behind the firewall.
LINK_CHECK_ALLOW_PRIVATE = env_bool("LINK_CHECK_ALLOW_PRIVATE", False)
# Quick capture fetches a bare link's page title with the same client, in the background: a
# title is a nicety, so a page that takes longer than this keeps the link as its title.
CAPTURE_TITLE_FETCH_SECONDS = float(os.environ.get("CAPTURE_TITLE_FETCH_SECONDS", "3"))

# --- The REST API (/api/v1/) ------------------------------------------------------------------
# Personal access tokens (Authorization: Bearer) first, so an anonymous call answers 401 with
# WWW-Authenticate; the signed-in browser's session works too, with CSRF enforced.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScopeAllows",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Counted in the cache, which is Redis when REDIS_URL is set, so every process shares them.
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonThrottle",
        "api.throttling.UserThrottle",
        "api.throttling.TokenThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_RATE_ANON", "60/hour"),
        "user": os.environ.get("API_RATE_USER", "2000/hour"),
        "token": os.environ.get("API_RATE_TOKEN", "1000/hour"),
    },
}
# One FilterSet per list serves its page and the API: a filter's help text describes the API
# parameter in the schema, and the pages' filter forms show only the labels.
FILTERS_DISABLE_HELP_TEXT = True
SPECTACULAR_SETTINGS = {
    "TITLE": "CPD Portal API",
    "VERSION": "1",
    "DESCRIPTION": (
        "Your CPD log, the capabilities you map it to, the resource library and events.\n\n"
        "Authenticate with a personal access token from your profile "
        "(`Authorization: Bearer cpd_…`). A read token may only read; a read and write token "
        "may also create, change and delete your entries. You only ever see your own entries: "
        "anyone else's answer 404.\n\n"
        "Entries follow the same rules as the web form: a complete entry needs the three parts "
        "of the reflection, the time spent and a date that is not in the future. Evidence "
        "files are not part of the API: attach them on the website.\n\n"
        "Lists are paginated (`page`, `page_size` up to 100). Requests are rate-limited per "
        "user and per token; over the limit the answer is 429 with Retry-After."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ResourceKindEnum": "resources.models.ResourceKind",
        "EventKindEnum": "resources.models.EventKind",
    },
}

# LOG_FORMAT=json: one JSON object a line, for a log collector; each line of a request carries
# its request_id (core/request_ids.py), as the X-Request-ID header of its response does.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_ids.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step at INFO, and pikepdf announces itself there when
    # imported; their warnings are what matter.
    "loggers": {"weasyprint": {"level": "WARNING"}, "pikepdf": {"level": "WARNING"}},
}

# --- Error reporting ------------------------------------------------------------------------
# With SENTRY_DSN set, unhandled errors in requests and tasks go to Sentry. Never what a
# practitioner wrote: no personal data, no request bodies, no local variables of the frames
# (a reflection is often one of them).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
    )
