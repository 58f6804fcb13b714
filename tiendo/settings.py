"""Settings for tiendo, read from environment variables with safe defaults.

Only configuration lives here. Every value that changes between machines comes from the
environment; the defaults give a working development system on SQLite under var/.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from tiendo.env import env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else "")
if not DEBUG and not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "treebeard",
    "axes",
    "auditlog",
    "csp",
    "django_tables2",  # list pages (tiendo/lists.py)
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "jobs",
    "units",
    "programs",
    "reporting",
    "plans",
    "indicators",
    "dashboards",
    "exports",
    "accounts",
    "backups",
    "audit",
    "reorganising",  # the reorganisation tool: above units, reporting, accounts, plans
    "registries",  # the records behind the figures (agreements, houses, initiatives, disputes)
    "notifications",  # above reporting: it listens to reporting.signals, reporting never imports it
    "demo",  # the demo commands (setup_demo & co.); no other app imports it
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files served from our own static files (no CDN)
    "api",  # the JSON API (/api/v1/); nothing imports it
]

MIDDLEWARE = [
    "api.errors.JsonErrors",  # an API address answers JSON even when Django refuses it first
    "django.middleware.security.SecurityMiddleware",
    # Before anything looks up a unit, a user or a session with what the address says.
    "tiendo.middleware.RejectControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tiendo.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tiendo.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "audit.middleware.AuditActorMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tiendo.urls"
WSGI_APPLICATION = "tiendo.wsgi.application"

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
                "notifications.context.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tiendo.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the dashboard read while a report is being saved; the timeout makes a
    # writer wait for another writer instead of failing at once with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # A file, not the in-memory default: threads in tests then share the database through
    # SQLite's own locking (busy timeout), as the running server does.
    # One file per test process, so that parallel runs never share it; the test runner deletes it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # With DEBUG off, nobody chooses the published demo password (accounts/demo.py).
    {"NAME": "accounts.forms.DemoPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Vietnamese dates are dd/mm/yyyy and numbers use "." for thousands and "," for decimals;
# the vi locale of Django already formats them so, as long as localisation stays on.
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["tiendo.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

# --- Login and sessions -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's password check, refusing the demo password when DEBUG is off (accounts/demo.py).
    "accounts.backends.PasswordBackend",
]
# Five wrong passwords for one account from one address lock that pair out for 15 minutes.
# Locking the pair, not the address alone: many officers reach us through one mobile
# carrier's shared address, and one forgetful colleague must not lock out the district.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Password spraying (a few passwords on each of many accounts, from one address): logins to this
# many different accounts failing from one address within the cool-off pause that address for
# every account. Failures a right password followed do not count (accounts/throttle.py).
AXES_HANDLER = "accounts.throttle.AddressThrottleHandler"
LOGIN_ADDRESS_USERNAME_LIMIT = env_int("LOGIN_ADDRESS_USERNAME_LIMIT", 15)
# The address is REMOTE_ADDR, except from a trusted reverse proxy, whose own last entry of
# X-Forwarded-For is used (tiendo/proxy.py). The same list is gunicorn's forwarded_allow_ips
# when BEHIND_HTTPS_PROXY is on (gunicorn.conf.py). Empty by default: no header is trusted.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
AXES_CLIENT_IP_CALLABLE = "tiendo.proxy.client_address"

# A working day: an officer on a shared phone is logged out by the next morning.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Email (password resets, new accounts' "set your password" links) -----------------------------
# With EMAIL_HOST set, mail goes out by SMTP; without it, each message is written to a file under
# var/mail/ (a development machine, or a server whose mail is not set up yet: nothing is lost).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # port 465; otherwise STARTTLS on EMAIL_PORT
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tiến độ <khong-tra-loi@localhost>")
# A reset link (and a new account's "set your password" link) works for this long, and once.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_DAYS", 3) * 24 * 60 * 60
# Reset requests within an hour (accounts/throttle.py): from one address, whatever the addresses
# typed (then 429); for one email address (then no more mail, and the same answer as always).
PASSWORD_RESETS_PER_ADDRESS_HOUR = env_int("PASSWORD_RESETS_PER_ADDRESS_HOUR", 10)
PASSWORD_RESETS_PER_EMAIL_HOUR = env_int("PASSWORD_RESETS_PER_EMAIL_HOUR", 3)

# --- HTTPS and security headers (on by default whenever DEBUG is off) ------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own static files (Chart.js and htmx are vendored); inline style
# attributes are allowed because progress bars set their width with one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Audit trail ------------------------------------------------------------------------------
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
# auditlog's own migrations would still create its unused log table (they predate swappable
# entry models), and that table's foreign keys would block PostgreSQL's TRUNCATE of content
# types in tests. Without migrations, the swapped-out model gets no table at all.
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_STORE_JSON_CHANGES = True
# A changed link is written as what it pointed to ("LĐLĐ Long Xuyên"), not as a bare id.
AUDITLOG_USE_FK_STRING_REPRESENTATION = True
# The address recorded is the connection's own; X-Forwarded-For can be forged by anyone.
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- Limits on what one user or unit can make the server store or build ---------------------------
# Implementation plans (plans/actions.py): the newest files kept per unit and deadline, uploads
# per user and hour, and the total size of one unit's plans.
PLAN_FILES_KEPT = env_int("PLAN_FILES_KEPT", 5)
PLAN_UPLOADS_PER_USER_HOUR = env_int("PLAN_UPLOADS_PER_USER_HOUR", 20)
PLAN_UNIT_QUOTA_MB = env_int("PLAN_UNIT_QUOTA_MB", 30)
# Official documents one user may have waiting for the job worker or being built (exports/limits.py):
# 3, the .docx, .pdf and .xlsx of one report at once; the worker builds them one after another.
DOCUMENT_BUILDS_PER_USER = env_int("DOCUMENT_BUILDS_PER_USER", 3)

# --- Background jobs (jobs/queue.py) ------------------------------------------------------------
# The queue is a table of this database; `manage.py db_worker` runs the jobs (README, "Jobs").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failing job is run again up to this many runs in all, the retries waiting 30 s, 2 min, 8 min …
JOB_ATTEMPTS = env_int("JOB_ATTEMPTS", 3)
JOB_RETRY_DELAY_SECONDS = env_int("JOB_RETRY_DELAY_SECONDS", 30)

# Notifications and reminders (notifications/): the address mails link to, the reminder schedule in
# days from a period's due date, and the hour the daily pass (reminders, approvers' digest) runs.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
REMINDER_DAYS_BEFORE = [int(d) for d in env_list("REMINDER_DAYS_BEFORE", "7,1")]
REMINDER_DAYS_AFTER = [int(d) for d in env_list("REMINDER_DAYS_AFTER", "1,7")]
REMINDER_ESCALATE_AFTER_DAYS = env_int("REMINDER_ESCALATE_AFTER_DAYS", 14)
DAILY_PASS_HOUR = env_int("DAILY_PASS_HOUR", 7)

# Enterprises with at least this many workers count as "doanh nghiệp có đông lao động".
LARGE_ENTERPRISE_WORKERS = env_int("LARGE_ENTERPRISE_WORKERS", 1000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- The JSON API (api/) ------------------------------------------------------------------------
# Personal tokens (api.models.ApiToken) or the browser's session; every answer JSON; each token
# (or, with the session, each user) gets API_REQUESTS_PER_MINUTE requests a minute.
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 120)
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.access.SignedIn"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerToken"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "EXCEPTION_HANDLER": "api.errors.handle",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tiến độ API",
    "DESCRIPTION": ("API của hệ thống Tiến độ: đơn vị, chương trình, chỉ tiêu và kết quả, kỳ báo cáo, báo cáo, "
                    "kế hoạch, nhật ký; trao đổi dữ liệu CSV và ADX. / The Tiến độ API: units, programs, targets "
                    "and results, periods, reports, plans, the audit trail; data exchange as CSV and ADX."),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.describe"],
}
