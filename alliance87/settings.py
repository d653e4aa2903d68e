"""Settings for alliance87, read from the environment (and an optional .env file).

Every variable is documented in .env.example. Defaults are safe: DEBUG is off, and a
missing SECRET_KEY stops the app unless DEBUG is on.
"""

import datetime
from email.utils import formataddr, getaddresses, parseaddr
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from alliance87.sentry import sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "alliance87.admin_site.SecretariatAdminConfig",  # django.contrib.admin
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "simple_history",
    "csp",
    "axes",
    "django.contrib.postgres",  # search vectors (used only when the database is PostgreSQL)
    "rest_framework",
    "django_filters",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the API docs page's assets, served by the app
    "coordination",
    "pathfinders",
    "actiongroups",
    "api",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "coordination.caching.GenerationFirst",  # before any view reads the record
    "django.contrib.sessions.middleware.SessionMiddleware",
    "coordination.middleware.language_reset",  # around LocaleMiddleware, which never resets
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "coordination.middleware.user_time_zone",
    "coordination.middleware.user_language",  # the account's, over the cookie's
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "alliance87.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "coordination.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "alliance87.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The shared cache: Redis in production (redis://127.0.0.1:6379/1); by default each process's
# own memory, so `make demo` needs nothing.
CACHES = {
    "default": env.cache_url_config(env("CACHE_URL", default="") or "locmemcache://"),
    # Rendered Markdown, keyed by the hash of its text (coordination.text.render_markdown): an
    # entry never goes stale, so each process keeps its own and never waits on the network.
    "markdown": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "markdown",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 5000},  # the least recently used go first
    },
    # Rendered fragments of pages, keyed by the record's generation (coordination.caching): a
    # write moves it on in the database, so each process can keep its own.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
# How long a fragment is kept at most (0: render every time). Only a write makes one stale,
# so this only bounds the memory that old generations hold.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=24 * 3600)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that is away makes the cache fail within a second, never hang a page.
    CACHES["default"].setdefault("OPTIONS", {}).update(socket_connect_timeout=1, socket_timeout=1)

AUTH_USER_MODEL = "coordination.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Invitation and password-reset links: one use, and no longer than this (seconds).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["alliance87.formats"]  # dates in each language's words and order
TIME_ZONE = env("TIME_ZONE", default="Europe/Zurich")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default="") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded annexes: never served as static files, only through a view that checks access.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default="") or BASE_DIR / "media")
MEDIA_URL = "/media/"
ANNEX_MAX_UPLOAD_BYTES = env.int("ANNEX_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_BACKEND = env("EMAIL_BACKEND", default=EMAIL_CONFIG["EMAIL_BACKEND"])  # tests, mostly
# Written back with formataddr, which quotes a name holding "." ("Alliance 8.7"): RFC 5322.
DEFAULT_FROM_EMAIL = formataddr(
    parseaddr(
        env("DEFAULT_FROM_EMAIL", default="Alliance 8.7 Secretariat <noreply@alliance87.org>")
    )
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def admins_from(value: str) -> list[tuple[str, str]]:
    """ADMINS as an email header writes it: "Ana Ops <ana@example.org>, ops@example.org"."""
    admins = []
    for name, address in getaddresses([value]):
        if not (name or address):
            continue  # "a@example.org," : a trailing comma
        if "@" not in address:
            raise ImproperlyConfigured(f"ADMINS: {address or value!r} is not an email address.")
        admins.append((name or address, address))
    return admins


# Who receives the site's errors by email (with DEBUG off): recorded in the outbox and sent
# after the failed request, like every other email (coordination.outbox).
ADMINS = admins_from(env("ADMINS", default=""))

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_TASK_ACKS_LATE = True
# A page that queues a task after its commit never waits long for a broker that is down (the
# outbox's next sweep sends what the task would have sent).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Only for `make demo`, which has no Redis: tasks run in the web process, so the outbox's emails
# are printed right after the request that recorded them.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Redis may restart or be away for a while: the worker reconnects for as long as it takes
# (Celery's default gives up after 100 attempts, about 46 minutes, and the worker exits).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TIMEZONE = TIME_ZONE
# Reminders: a claim older than this (seconds) was left by a dead worker and is retried.
REMINDER_CLAIM_TIMEOUT = env.int("REMINDER_CLAIM_TIMEOUT", default=600)
CELERY_TASK_REJECT_ON_WORKER_LOST = False  # a killed sweep is simply run again by beat
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "coordination.tasks.send_reminders",
        "schedule": env.int("REMINDER_SWEEP_SECONDS", default=300),
        "options": {"expires": 240},
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# A strict policy: no inline scripts or styles anywhere, every asset from this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_HTTPS_PROXY", default=False) else None
)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "coordination.error_reports.OutboxAdminEmailHandler",
        },
    },
    "loggers": {
        # Replaces Django's default, which mails every error of "django" (and so would mail
        # a failed request twice): to the console through the root logger only.
        "django": {"handlers": [], "level": "INFO"},
        # A request that failed (500): its traceback to ADMINS (the handler takes errors only).
        "django.request": {"handlers": ["mail_admins"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Errors of the site and of the Celery tasks also go to Sentry when SENTRY_DSN is set.
sentry_init(
    dsn=env("SENTRY_DSN", default=""),
    environment=env("SENTRY_ENVIRONMENT", default=""),
    release=env("SENTRY_RELEASE", default=""),
)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an address is locked out
    "coordination.backends.EmailBackend",
]
# Reverse proxies in front of the app (0: clients connect directly). Behind N proxies, the client
# is the address the outermost one saw, read from X-Forwarded-For (coordination.clients).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account from
# one address, that pair waits AXES_COOLOFF_MINUTES; a success resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field, which holds the email
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "coordination.clients.client_ip"  # the real client behind the proxy
AXES_VERBOSE = False

# Public forms (pathfinder interest, partner application): anti-spam without third parties.
PUBLIC_FORM_MIN_SECONDS = env.int("PUBLIC_FORM_MIN_SECONDS", default=3)
PUBLIC_FORM_RATE_LIMIT = env.int("PUBLIC_FORM_RATE_LIMIT", default=5)  # per address and hour
# Who hears of new public submissions (besides the secretariat's accounts with an address).
SECRETARIAT_EMAIL = env("SECRETARIAT_EMAIL", default="")

# Password reset: emails per account, and requests per address, in any hour.
PASSWORD_RESET_LIMIT_PER_ACCOUNT = env.int("PASSWORD_RESET_LIMIT_PER_ACCOUNT", default=3)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=10)

# `make bench-pages` only: mounts /bench/baseline/ (bare Django, one query), the yardstick each
# page's requests/s is measured against. Off in production.
BENCH_BASELINE = env.bool("BENCH_BASELINE", default=False)

# The read-only API (/api/v1/): knox tokens (Preferences) or the site's session; JSON only (DRF's
# browsable pages need inline script, which the CSP refuses: the docs page at /api/v1/docs/
# browses it instead).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",  # first: an anonymous request gets a 401 naming it
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env("API_RATE", default="1200/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Alliance 8.7 coordination API",
    "DESCRIPTION": "Read-only: what the reader may see on the site, as JSON.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],  # it describes, holds no data
    "SWAGGER_UI_DIST": "SIDECAR",  # served by the app (drf_spectacular_sidecar): no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "MeetingStatusEnum": "coordination.models.MeetingStatus",
        "VersionStatusEnum": "coordination.models.DocumentVersionStatus",
        "ActionItemStatusEnum": "coordination.models.ActionItemStatus",
    },
}
# Personal API tokens (knox's, named by api.TokenName): knox stores a digest, never the key.
KNOX_TOKEN_MODEL = "knox.AuthToken"  # noqa: S105  (a model, which api's migration names)
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=365),  # the longest a person may choose on Preferences
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 10,
}
