"""Memorial's one settings module: every deploy-specific value comes from the environment.

The defaults make `make run` and `make test` work on a fresh machine; production sets DEBUG off
(the default), a SECRET_KEY, ALLOWED_HOSTS, SITE_URL and usually DATABASE_URL and REDIS_URL.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from environs import Env

from memorial import embedded_postgres, page_styles

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()

DEBUG = env.bool("DEBUG", False)
TESTING = env.bool("TESTING", False)

SECRET_KEY = env.str("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "insecure-local-development-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
# Links in emails and robots.txt: without SITE_URL they follow the port `make run` serves on.
SITE_URL = env.str("SITE_URL", f"http://127.0.0.1:{env.int('PORT', 8000)}").rstrip("/")
SITE_NAME = env.str("SITE_NAME", "Memorial")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Trigram search of memorial names (find a memorial): lookups and the pg_trgm migration.
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_tasks_db",
    "axes",
    # Installed for its system check, which makes sure rate limits run on a shared cache.
    # Family accounts (sign-up, verified email, login, password reset, email change): only the
    # account app of django-allauth, no social logins, no MFA, no headless API.
    "allauth",
    "allauth.account",
    "tributes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Refuses oversized bodies before anything reads them (photos, forms, the admin).
    "tributes.security.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tributes.security.middleware.PermissionsPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, so that its process_exception sees a view's database error first (issue 13).
    "tributes.security.middleware.DatabaseOutageMiddleware",
]

# Benchmarks select an extra urlconf (bench/bench_urls.py); the site itself never does.
ROOT_URLCONF = env.str("ROOT_URLCONF", "memorial.urls")
WSGI_APPLICATION = "memorial.wsgi.application"

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
                "tributes.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL when given, otherwise (for local use only) a private PostgreSQL started
# on demand. A deployment that forgets DATABASE_URL must fail, not quietly get a private database.
DATABASE_URL = env.str("DATABASE_URL", "")
if not DATABASE_URL:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "Set DATABASE_URL (for example postgres://memorial:secret@127.0.0.1:5432/memorial). "
            "The embedded PostgreSQL is for local development only: it starts when DEBUG=1 "
            "(make run) or TESTING=1 (make test)."
        )
    DATABASE_URL = embedded_postgres.database_url(BASE_DIR)
# psycopg 3's connection pool, one per process (on unless DATABASE_POOL=0). A gthread worker
# never runs more than GUNICORN_THREADS requests at once, so a pool of that size serves it, and
# PostgreSQL sees at most workers x threads connections per host (4 x 4 = 16 on 2 CPUs, well
# inside max_connections = 100); between requests a connection goes back to the pool instead of
# staying tied to an idle thread. Django's pool replaces persistent connections: CONN_MAX_AGE
# applies only with the pool off (for example behind PgBouncer in transaction mode).
DATABASE_POOL = env.bool("DATABASE_POOL", True)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=0 if DATABASE_POOL else env.int("CONN_MAX_AGE", 60),
        # With the pool: each connection is checked as it is taken, so one broken by a
        # database restart is replaced before a request uses it.
        conn_health_checks=True,
    )
}
if DATABASE_POOL:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": env.int("DATABASE_POOL_SIZE", env.int("GUNICORN_THREADS", 4)),
        # A request waits this long for a connection; with the database away it then gets the
        # kind 503 page (DatabaseOutageMiddleware) instead of hanging.
        "timeout": 3,
    }
# Behind PgBouncer in transaction mode (README, Several machines) a cursor cannot outlive its
# transaction, so Django's server-side cursors (QuerySet.iterator()) must be off.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DATABASE_TRANSACTION_POOLER", False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out login (admin or family) never reaches the others.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Families sign in with their email address (django-allauth).
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "family:dashboard"
LOGOUT_REDIRECT_URL = "tributes:home"

# Family accounts (django-allauth's account app): email and password, the email verified before
# the first sign-in, changed and reset by email. Usernames are made up by allauth and never shown.
ACCOUNT_ADAPTER = "tributes.families.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = SITE_URL.partition("://")[0] or "https"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", BASE_DIR / "var" / "media")
# Production serves static files under names carrying their content's hash, kept forever.
HASHED_STATIC_NAMES = not (DEBUG or TESTING)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if HASHED_STATIC_NAMES
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Photos: uploads stream to a temporary file (never held in memory) and stop being written once
# over PHOTO_MAX_UPLOAD_MB; the reverse proxy's body limit must be a little higher (see README).
FILE_UPLOAD_HANDLERS = ["tributes.photos.fields.PhotoUploadHandler"]
PHOTO_MAX_UPLOAD_BYTES = env.int("PHOTO_MAX_UPLOAD_MB", 20) * 1024 * 1024
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_MEGAPIXELS", 50) * 1_000_000
PHOTO_MAX_FRAMES = env.int("PHOTO_MAX_FRAMES", 100)
# How long browsers and shared caches may keep a photo of a public memorial.
PHOTO_PUBLIC_CACHE_SECONDS = env.int("PHOTO_PUBLIC_CACHE_SECONDS", 86_400)
# With AWS_STORAGE_BUCKET_NAME set, photos live in an S3-compatible bucket (pip install '.[s3]'):
# the bucket stays private and the photo view answers with a short-lived signed address.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", "")
PHOTOS_IN_BUCKET = bool(AWS_STORAGE_BUCKET_NAME)
if PHOTOS_IN_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", "") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", "") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", "") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", 300),
            "signature_version": "s3v4",
            "file_overwrite": False,
            "object_parameters": {"ContentType": "image/webp"},
            # With a custom endpoint, addresses are endpoint/bucket/name: one origin to allow.
            "addressing_style": "path" if env.str("AWS_S3_ENDPOINT_URL", "") else "virtual",
        },
    }
    _region = env.str("AWS_S3_REGION_NAME", "")
    PHOTOS_BUCKET_ORIGINS = env.list(
        "PHOTOS_BUCKET_ORIGINS",
        [env.str("AWS_S3_ENDPOINT_URL", "").rstrip("/")]
        if env.str("AWS_S3_ENDPOINT_URL", "")
        else [
            f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com",
            f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{_region or 'us-east-1'}.amazonaws.com",
        ],
    )

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Caches: Redis when REDIS_URL is set (shared by every worker), else one process's memory.
REDIS_URL = env.str("REDIS_URL", "")
if REDIS_URL:
    # Django's RedisCache, reusing its Redis clients (memorial/redis_cache.py says why).
    CACHES = {"default": {"BACKEND": "memorial.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: Django's tasks framework on a database-backed queue, run by
# `manage.py run_worker` (db_worker kept alive through database outages, plus housekeeping).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /healthz says "unavailable" once a task has waited this long: the worker has stopped.
HEALTH_MAX_TASK_WAIT_SECONDS = env.int("HEALTH_MAX_TASK_WAIT_SECONDS", 600)
# Housekeeping by the worker: finished task results older than this are deleted, and photo files
# that no photo refers to are swept, once every HOUSEKEEPING_INTERVAL_HOURS.
TASK_RESULTS_KEEP_DAYS = env.int("TASK_RESULTS_KEEP_DAYS", 14)
HOUSEKEEPING_INTERVAL_HOURS = env.float("HOUSEKEEPING_INTERVAL_HOURS", 6)
# A task RUNNING for longer than this is taken to be abandoned by a dead worker and run again
# (tributes/task_leases.py); longer than any of our tasks can take (one email, 20 s at most).
TASK_LEASE_SECONDS = env.int("TASK_LEASE_SECONDS", 300)
# A worker's claim on one email's send runs out after this (a worker that died mid-send), so
# that another may send it; shorter than the lease, so a task taken back can claim it.
EMAIL_SEND_CLAIM_SECONDS = env.int("EMAIL_SEND_CLAIM_SECONDS", 120)
# Waits before the next attempt when the mail server fails: 1, 3, then 10 minutes.
EMAIL_RETRY_DELAYS = env.list("EMAIL_RETRY_DELAYS", [60, 180, 600], subcast=int)

# Email: console in development, SMTP when EMAIL_HOST is set, captured in memory by tests.
_email_host = env.str("EMAIL_HOST", "")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env.int("EMAIL_PORT", 587),
                "username": env.str("EMAIL_HOST_USER", ""),
                "password": env.str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env.bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    _email_backend = env.str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    MAILERS = {"default": {"BACKEND": _email_backend}}
    if _email_backend == "django.core.mail.backends.filebased.EmailBackend":
        # Django's file backend writes each message to a file in this folder.
        MAILERS["default"]["OPTIONS"] = {
            "file_path": str(env.path("EMAIL_FILE_PATH", BASE_DIR / "var" / "mail"))
        }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Memorial <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Admin lives at a configurable address, so scanners looking for /admin/ can be sent elsewhere.
ADMIN_URL = env.str("ADMIN_URL", "admin/").strip("/") + "/"

# Security headers and cookies. HTTPS settings follow DEBUG so that local runs work over http.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", not DEBUG)
# Monitors on the machine itself ask for /healthz over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF cookie (forms carry the token), so scripts may not read it at all.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

# The site loads nothing from any other origin and runs no inline script or style but its own
# stylesheet in each page's head, allowed by its hash (memorial/page_styles.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # STATIC_URL as served: Django puts the leading slash on a relative one.
    "style-src": [CSP.SELF, page_styles.csp_hash("/" + STATIC_URL, HASHED_STATIC_NAMES)],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if PHOTOS_IN_BUCKET:
    # Photo addresses redirect to the bucket: browsers check the redirect against img-src.
    SECURE_CSP["img-src"] += PHOTOS_BUCKET_ORIGINS

# Login throttling, for the admin's login and the families' (allauth) alike: lock a username from one client after repeated failures, for a while.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", 0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", True)
# No raw IP address reaches axes: it sees a daily-rotating keyed hash shaped as a private IPv6
# address (its table column is an `inet`), and logs only a short tag of that hash, never names.
AXES_CLIENT_IP_CALLABLE = "tributes.security.clients.pseudonymous_address"
AXES_CLIENT_STR_CALLABLE = "tributes.security.clients.axes_client_str"
AXES_VERBOSE = False
# Successful logins are logged by tributes.security.log without personal data, not in axes' table.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password"]
AXES_LOCKOUT_TEMPLATE = "axes_locked_out.html"
# The admin posts "username", allauth's login an email as "login": both name the same lock.
AXES_USERNAME_CALLABLE = "tributes.families.accounts.login_name"

# How many proxies in front of the site append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 0)

# Rate limits (tributes/security/ratelimits.py, on the default cache): "count/period" per action
# and per scope.
# Scopes: "visitor" (the visitor cookie, checked first), "client" (keyed hash of the address:
# a church or care home shares one, hence the high candle ceiling), "memorial" (the memorial or
# event being written to) and "email" (a keyed hash of the address a confirmation goes to).
# RATE_LIMIT_SCALE multiplies every count: the candle benchmark runs with RATE_LIMIT_SCALE=1000.
RATE_LIMIT_SCALE = env.float("RATE_LIMIT_SCALE", 1.0)
RATE_LIMITS = {
    "tribute": {"visitor": "5/10m", "client": "30/h", "memorial": "120/h"},
    "comment": {"visitor": "10/10m", "client": "60/h", "memorial": "300/h"},
    "love": {"visitor": "60/10m", "client": "600/10m"},
    "candle": {"visitor": "5/10m", "client": "600/m", "memorial": "3000/m"},
    "reminder": {"visitor": "5/h", "client": "60/h", "email": "3/d"},
    # Confirming, unsubscribing and choosing a time zone: cheap, but not to be hammered.
    "preference": {"visitor": "60/10m", "client": "600/10m"},
    # Pages that cost more than a read: searching names, drawing a PDF memory book. Reading sets
    # no visitor cookie, so these count per address and per memorial only.
    "search": {"client": "60/m"},
    "memory_book": {"client": "20/h", "memorial": "60/h"},
    # Admin sign-in from one address whatever the username (axes locks one username at a time).
    "login": {"client": "30/10m"},
    # Every other account page (sign up, reset, change email or password): on top of allauth's.
    "account": {"client": "60/10m"},
    # The family's own pages that write (memorials, invitations, the queue, candle times).
    "family": {"visitor": "120/10m", "client": "600/10m"},
    "invitation": {"visitor": "30/h", "client": "60/h", "email": "5/d"},
}
RATE_LIMIT_ENABLED = env.bool("RATE_LIMIT_ENABLED", True)
# allauth's own limits (counted on the same cache, per pseudonymous client, user or email hash).
ACCOUNT_RATE_LIMITS = (
    {
        "change_password": "5/m/user",
        "manage_email": "10/m/user",
        "reset_password": "20/m/ip,5/m/key",
        "reauthenticate": "10/m/user",
        "reset_password_from_key": "20/m/ip",
        "signup": "20/m/ip",
        "login": "30/m/ip",
        # Failures per email from everywhere would let a stranger lock a family out: django-axes
        # locks an email from one client instead, as for the admin.
        "login_failed": "10/m/ip",
        "confirm_email": "1/3m/key",
    }
    if RATE_LIMIT_ENABLED
    else False
)
# The cache the limits count on (tests point it at another). If it cannot count, posts go
# through (moderation still screens them) rather than turning every grieving visitor away;
# tributes/security/ratelimits.py logs the outage.
RATE_LIMIT_CACHE = "default"

# Spam: what gets a message held for moderation (tributes/moderation/screening.py).
SPAM_MAX_LINKS = 1
SPAM_FORM_MIN_SECONDS = 3
SPAM_FORM_MAX_AGE_HOURS = 48
SPAM_REPEAT_WINDOW_MINUTES = 30

# Request sizes: form posts are small; a whole request (a photo upload) may be larger.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", 25 * 1024 * 1024)
CSRF_FAILURE_VIEW = "tributes.views.errors.csrf_failure"

# Where people report a security problem (served at /.well-known/security.txt).
SECURITY_CONTACT = env.str("SECURITY_CONTACT", "security@localhost")

SILENCED_SYSTEM_CHECKS = [
    # HSTS preloading is a commitment the operator makes for the whole domain (SECURE_HSTS_PRELOAD).
    "security.W021",
]

# Logging: every line once, on stderr, with its time. Django's own "django" logger would print
# each line a second time through its console handler, so it only passes lines up to the root.
# Requests refused with a 4xx are warnings without a traceback; errors are mailed to ADMINS.
ADMINS = env.list("ADMINS", [])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "client_errors_as_warnings": {"()": "memorial.logs.ClientErrorsAsWarnings"},
        "token_paths_left_out": {"()": "memorial.logs.TokenPathsLeftOut"},
        "errors_only": {"()": "memorial.logs.ErrorsOnly"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors_as_warnings", "token_paths_left_out"],
        },
        # No level here: ErrorsOnly decides after a 4xx has been turned into a warning.
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "filters": [
                "client_errors_as_warnings",
                "token_paths_left_out",
                "errors_only",
                "require_debug_false",
            ],
        },
    },
    "root": {"handlers": ["console", "mail_admins"], "level": env.str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "axes": {"level": "WARNING"},
        # WeasyPrint tells every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Moderation decisions, logins and rate-limit hits: ids and reasons, no personal data.
        "tributes.security": {"level": "INFO"},
        # The connection pool warns at every failed attempt to reconnect during a database
        # outage; the outage middleware already says it once per answer, with its reason.
        "psycopg.pool": {"level": "ERROR"},
    },
}
# Error mails (and the debug page) leave out client addresses, cookies, query strings and the
# tokens of secret links.
DEFAULT_EXCEPTION_REPORTER = "memorial.logs.PrivateExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "memorial.logs.PrivateExceptionReporterFilter"

# Optional error tracking: with SENTRY_DSN set, errors go to Sentry (or a compatible service such
# as GlitchTip) without IP addresses, cookies or user details, and with token paths left out.
SENTRY_DSN = env.str("SENTRY_DSN", "")
if SENTRY_DSN:
    from memorial import sentry

    sentry.start(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", 0.0),
    )

if TESTING:
    # Tests: fast password hashing; uploads go to a temporary folder set by tests/conftest.py.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    SECURE_SSL_REDIRECT = False
