"""Settings, every deployment knob read from the environment.

The defaults are production's: DEBUG off, a secret key of at least 50 characters required, HTTPS only (HSTS, secure
cookies), a strict Content-Security-Policy. The embedded demo (``make demo``, bin/demo) sets what it needs explicitly;
docs/deployment.md lists the production environment.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from liaoning_eco.content_policy import plotly_style_hashes

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"


def strong_secret_key(key: str) -> bool:
    """What Django's deploy check (security.W009) asks of a key: 50 characters or more, at least 5 different ones,
    not the prefix startproject writes."""
    return len(key) >= 50 and len(set(key)) >= 5 and not key.startswith("django-insecure-") and key != DEV_SECRET_KEY


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and not strong_secret_key(SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY 必须是至少 50 个字符的随机字符串。Set SECRET_KEY to a random string of at least 50 characters: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Demo accounts (demo-province, demo-shenyang, …) may only be created where this is on.
DEMO_MODE = env.bool("DEMO_MODE", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    # The project's apps, bottom layer first (the import contract in pyproject.toml holds them to this order).
    "audit",
    "indicators",
    "accounts",
    "targets",
    "uploads",
    "progress",
    "reports",
    "dashboards",
    "tasks_app",
    "api",
]
if DEMO_MODE:  # the demo generator, load_demo and the demo accounts: never installed in production
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "liaoning_eco.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "liaoning_eco.guards.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.sessions.SlidingSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the Chinese lockout page or a 429
]

ROOT_URLCONF = "liaoning_eco.urls"
WSGI_APPLICATION = "liaoning_eco.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so a Celery worker process can see what a test wrote; one per test run.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test_db_{os.getpid()}.sqlite3")}
    # IMMEDIATE transactions take the write lock when they begin, so two writers wait for each other (up to the
    # timeout) instead of one failing at once with "database is locked" when both upgrade from reading.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: a locked account or address is refused before any password check
    "django.contrib.auth.backends.ModelBackend",
]
# Every password set through a form or a command (the admin, createsuperuser, changepassword) passes these; only the
# demo accounts (demo/accounts.py, DEMO_MODE alone) are given "demo" directly.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.min.js straight from the plotly package: the intranet has no CDN.
    "dashboards.staticfiles.PlotlyFinder",
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
WHITENOISE_USE_FINDERS = True  # serve straight from the app folders until collectstatic has run
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}


def page_cache(url: str) -> dict:
    """The page cache from its URL. Redis (which may be the broker's own) through django-redis, told to answer a miss
    instead of raising and to give up on a dead server within half a second: with Redis away the pages are built
    without the cache, slower but never an error."""
    cache = environ.Env.cache_url_config(url)
    if cache["BACKEND"].endswith("RedisCache"):
        cache["BACKEND"] = "django_redis.cache.RedisCache"
        cache.setdefault("OPTIONS", {}).update(IGNORE_EXCEPTIONS=True, SOCKET_CONNECT_TIMEOUT=0.5, SOCKET_TIMEOUT=0.5)
    return cache


CACHES = {"default": page_cache(env("CACHE_URL", default="locmemcache://liaoning-eco"))}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True  # an outage shows in the log, not on the pages

# Celery: with no broker configured every task runs in-process, so the embedded demo needs no server.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_NICE = env.int("CELERY_WORKER_NICE", default=10)  # below the web server when they share the CPU
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a worker process killed mid-task: its task goes back to the queue at once
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing to a broker that is down fails fast: the upload stays stored and queued, the sweep re-sends it.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# A task a lost worker had taken is handed out again after visibility_timeout: ten minutes, above the longest task
# (process_upload_task's hard limit 270 s plus a retry countdown of at most 60 s), so no task runs twice while alive.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 5, "visibility_timeout": 600}
CELERY_BEAT_SCHEDULE = {
    # Cheap (two indexed queries); workers also sweep as soon as they (re)connect to the broker.
    "sweep-stuck-uploads": {"task": "tasks_app.tasks.sweep_uploads_task", "schedule": 30.0},
    "nightly-full-recompute": {
        "task": "tasks_app.tasks.recompute_progress_task",
        "schedule": crontab(hour=2, minute=0),
    },
}

# Behind a TLS-terminating reverse proxy (docs/deployment.md): how many proxies append to X-Forwarded-For. The client
# address (sign-in lockout, throttling) is read that many entries from the right, and X-Forwarded-Proto says HTTPS.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)

REST_FRAMEWORK = {
    # Token first: DRF answers a request without credentials 401 with the first class's WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "api.authentication.LockableBasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.SignedIn"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRate", "api.throttling.UserRate"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="30/minute"),
        "user": env("API_THROTTLE_USER", default="1200/hour"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_HOPS,
    "DEFAULT_PAGINATION_CLASS": "api.pagination.BoundedLimitOffset",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],  # Swagger UI is the way to browse
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "辽宁污染防治攻坚目标跟踪平台 API",
    "DESCRIPTION": "The plan, areas and indicators, quarterly uploads and their observations, progress against every "
    "target and submission completeness. Authenticate with a token (`Authorization: Token …`), HTTP Basic or the "
    "site's session; a city officer sees their own city's data alone.",
    "VERSION": "1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.permissions.SignedIn"],
    "ENUM_NAME_OVERRIDES": {
        "ProgressStatusEnum": "progress.models.Status",
        "UploadStatusEnum": "uploads.models.Upload.Status",
        "CompletenessStatusEnum": "uploads.selectors.COMPLETENESS_LABELS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_error_responses",
    ],
    # Swagger UI from the sidecar package: served by the application itself, no CDN on an intranet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},  # failed sign-ins and lockouts, not every successful one
}

# HTTPS only in production; the demo and the tests, on plain HTTP, turn these off explicitly.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container health check asks over plain HTTP, inside the host
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
if TRUSTED_PROXY_HOPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS preloading is for public domains in browsers' built-in lists; an intranet host cannot be listed.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Sessions end after a working day without activity: each request pushes the expiry back (SlidingSessionMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)

# Sign-in lockout (django-axes): the login form, the admin and HTTP Basic on the API. Five failures for one account,
# or from one address, lock it for 30 minutes; an administrator unlocks in the admin (访问尝试) or with axes_reset.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True  # only failures in a row count
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # tries while locked neither count nor prolong the lock
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are recorded once, by the site's own audit trail
AXES_VERBOSE = False

# Content-Security-Policy, enforced. Every script is a file of this site: no inline script, no eval. Inline <style>
# blocks are refused but for the ones plotly.js writes (allowed by hash); plotly.js also sets style attributes as it
# draws. Browsers without CSP Level 3's style-src-elem/-attr use style-src. docs/deployment.md says why.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "style-src-elem": ["'self'", *plotly_style_hashes()],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Uploads
UPLOAD_DEADLINE_DAYS = env.int("UPLOAD_DEADLINE_DAYS", default=15)  # due on the 15th day after a quarter ends
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
UPLOAD_MAX_ROWS = env.int("UPLOAD_MAX_ROWS", default=200_000)
# Bodies are counted as they stream in and a file past UPLOAD_MAX_BYTES is dropped, nothing of it kept.
FILE_UPLOAD_HANDLERS = [
    "uploads.handlers.UploadSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Reading runs in a child process with this much more address space and this many seconds at most.
UPLOAD_READ_MEMORY_BYTES = env.int("UPLOAD_READ_MEMORY_BYTES", default=1024 * 1024 * 1024)
UPLOAD_READ_TIMEOUT = env.int("UPLOAD_READ_TIMEOUT", default=120)
# A failure of the system's own is retried (after 30 s, then 60 s) up to UPLOAD_MAX_ATTEMPTS attempts, then failed.
UPLOAD_MAX_ATTEMPTS = env.int("UPLOAD_MAX_ATTEMPTS", default=3)
UPLOAD_RETRY_DELAY = env.int("UPLOAD_RETRY_DELAY", default=30)
# The sweep takes back an upload processing longer than this (its worker was lost) …
UPLOAD_STUCK_AFTER = env.int("UPLOAD_STUCK_AFTER", default=300)
# … and sends again one waiting this long since it last moved (a broker restarted without its queue).
UPLOAD_QUEUED_FOR = env.int("UPLOAD_QUEUED_FOR", default=120)
# Progress is recomputed once uploads have stopped arriving for this many seconds (at most a minute after the first):
# a burst of uploads shares one recompute and one page-cache invalidation.
PROGRESS_RECOMPUTE_DELAY = env.int("PROGRESS_RECOMPUTE_DELAY", default=5)
# Request bodies beyond this are refused before they are read (a hostile upload cannot fill the disk).
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

# Reports: a spreadsheet of at most this many target × area rows is built within the request; a larger one, and
# every PDF, by a Celery worker while the page shows its progress.
REPORT_INLINE_MAX_ROWS = env.int("REPORT_INLINE_MAX_ROWS", default=20_000)
