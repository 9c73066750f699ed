"""The one settings module. Every value comes from the environment (see .env.example).

With nothing set, dlgrade runs on SQLite and an embedded file-system broker: nothing to install.
DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ

ROOT = Path(__file__).resolve().parent.parent.parent
PLATFORM_DIR = ROOT / "platform"
VAR_DIR = Path(os.environ.get("DLGRADE_VAR_DIR", ROOT / "var"))

env = environ.Env()
if (ROOT / ".env").exists():
    env.read_env(str(ROOT / ".env"))

# A key that is fine on a laptop and refused in production: config.checks makes the server
# refuse to start with DEBUG off and this key.
INSECURE_DEV_SECRET_KEY = "django-insecure-dlgrade-development-only-never-deploy-this-key"
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=INSECURE_DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "accounts",  # before allauth: its templates and adapter come first
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "catalog",
    "submissions",
    "quizzes",
    "courses",
    "dashboard",
    "api",
    "batches",
    "lti_tool",  # django-lti: LMS registrations, deployments, contexts, keys (the lti app builds on it)
    "lti",
    "operations",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "operations.middleware.ProbeMiddleware",  # /healthz, /readyz: before host checks and the HTTPS redirect
    "operations.middleware.RequestCountMiddleware",  # it counts every other response, redirects included
    "django.middleware.security.SecurityMiddleware",
    "config.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: it sees the session cookie set, and relaxes framing for LTI pages only.
    "lti.middleware.LtiFramingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.error_pages.StyledErrorPagesMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lockout page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PLATFORM_DIR / "templates"],
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

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'dlgrade.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web and worker are separate processes: wait for the write lock instead of failing, and
    # keep the test database in a file so a real worker process can see it.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-dlgrade.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard:landing"  # staff to their course dashboard, students to the exercises
LOGOUT_REDIRECT_URL = "account_login"
# Axes first: it refuses a locked-out sign-in before a password is checked; allauth's backend takes
# a username or an email (and is Django's ModelBackend underneath, so the admin keeps working).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Accounts: sign-up, sign-in, email verification, password reset (django-allauth) ----------
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True  # one address per account; a new one is verified before it replaces the old
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a mail scanner following the link must not confirm it
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True  # sign-up and reset answer alike whether an account exists or not
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = env.int("DLGRADE_EMAIL_CONFIRMATION_DAYS", default=3)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[dlgrade] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = True  # as before: a session lasts SESSION_COOKIE_AGE, no "remember me" box
# Rate limits (allauth's "count/period/key" syntax). Sign-in failures per username+address are
# also counted by django-axes, which keeps the records staff see and lift in the admin.
ACCOUNT_RATE_LIMITS = {
    "signup": env.str("DLGRADE_SIGNUP_RATE", default="10/h/ip"),
    "reset_password": env.str("DLGRADE_RESET_RATE", default="20/h/ip,3/h/key"),
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_email": "3/h/user",
    "manage_email": "10/m/user",
    "change_password": "5/m/user",
    # A class behind one NAT shares an address: the per-address ceiling is generous.
    "login": "60/m/ip",
    "login_failed": "60/5m/ip,10/5m/key",
}
# The real client address: behind DJANGO_BEHIND_TLS_PROXY the proxy appends it to X-Forwarded-For;
# only the last DLGRADE_TRUSTED_PROXY_COUNT entries are trusted (those the proxies wrote).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int(
    "DLGRADE_TRUSTED_PROXY_COUNT", default=1 if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False) else 0
)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("DLGRADE_TRUSTED_CLIENT_IP_HEADER", default="") or None

# Single sign-on through OpenID Connect: configured only here, from the environment. Accounts are
# matched by a verified email only (accounts.adapter.SocialAccountAdapter).


def oidc_provider_settings(*, issuer: str, client_id: str, secret: str, label: str) -> dict:
    """allauth's openid_connect configuration for one identity provider (also used by the SSO tests)."""
    return {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": label,
                    "client_id": client_id,
                    "secret": secret,
                    "settings": {"server_url": issuer},
                }
            ],
        }
    }


def csp_allowing_form_action_to(policy: str, url: str) -> str:
    """The sign-in button's form is redirected to the provider: Chromium checks form-action on the redirect."""
    origin = "/".join(url.split("/")[:3])
    return policy.replace("form-action 'self'", f"form-action 'self' {origin}")


OIDC_ISSUER = env.str("DLGRADE_OIDC_ISSUER", default="")
SOCIALACCOUNT_PROVIDERS = {}
if OIDC_ISSUER:
    SOCIALACCOUNT_PROVIDERS = oidc_provider_settings(
        issuer=OIDC_ISSUER,
        client_id=env.str("DLGRADE_OIDC_CLIENT_ID", default=""),
        secret=env.str("DLGRADE_OIDC_CLIENT_SECRET", default=""),
        label=env.str("DLGRADE_OIDC_LABEL", default="Single sign-on"),
    )
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True  # sign in to the account whose verified email the provider vouches for
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"  # an address the provider did not verify is verified by mail
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False

# Sign-in lockout (django-axes): 5 failures for one username from one address lock that pair for
# the cool-off; the records are in the admin ("Access attempts"), where staff delete one to lift it.
AXES_ENABLED = env.bool("DLGRADE_AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("DLGRADE_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("DLGRADE_LOGIN_COOLOFF_H", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.adapter.client_ip"
AXES_USERNAME_CALLABLE = "accounts.adapter.sign_in_name"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False

# --- Email ------------------------------------------------------------------------------------
# EMAIL_URL: smtp://user:password@host:587 (STARTTLS: smtp+tls://, TLS: smtp+ssl://); by default
# mails are printed in the log of the process that sends them (`make run` shows them).
globals().update(env.email_url("EMAIL_URL", default="consolemail://"))  # EMAIL_BACKEND, EMAIL_HOST, ..._USE_TLS
DEFAULT_FROM_EMAIL = env.str("DLGRADE_FROM_EMAIL", default="dlgrade <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("DLGRADE_EMAIL_TIMEOUT_S", default=20)
# Links in mails sent by workers (invitations), where there is no request to take the host from.
SITE_URL = env.str("DLGRADE_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
INVITATION_DAYS = env.int("DLGRADE_INVITATION_DAYS", default=14)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [PLATFORM_DIR / "locale"]
TIME_ZONE = env.str("DLGRADE_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # also creates var/ for SQLite and the embedded broker
NODE_MODULES = ROOT / "node_modules"
# Front-end packages come pinned from npm (package.json); only the folders the pages use are served.
STATICFILES_DIRS = [PLATFORM_DIR / "static"] + [
    (f"vendor/{name}", NODE_MODULES / name / sub)
    for name, sub in (("codemirror", ""), ("htmx.org", "dist"), ("katex", "dist"), ("chart.js", "dist"))
    if (NODE_MODULES / name / sub).is_dir()
]
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False) else None
)
# The pages use no inline script, so the policy forbids it; KaTeX and CodeMirror need style attributes.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
if OIDC_ISSUER:
    CONTENT_SECURITY_POLICY = csp_allowing_form_action_to(CONTENT_SECURITY_POLICY, OIDC_ISSUER)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DLGRADE_MAX_REQUEST_BYTES", default=512 * 1024)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# --- dlgrade ---------------------------------------------------------------------------------
EXERCISES_DIR = Path(env.str("DLGRADE_EXERCISES_DIR", default=str(ROOT / "exercises")))
QUIZZES_DIR = Path(env.str("DLGRADE_QUIZZES_DIR", default=str(ROOT / "quizzes")))
# More content folders for the whole deployment, each holding exercises/ (bundles checked by the
# quality gate on every sync_exercises, listed for everyone, slugs "<folder name>--<slug>").
CONTENT_DIRS = [Path(path) for path in env.list("DLGRADE_CONTENT_DIRS", default=[])]
# Where course content repositories are cloned and every checked version is kept.
CONTENT_ROOT = Path(env.str("DLGRADE_CONTENT_ROOT", default=str(VAR_DIR / "content")))
# How often every course content repository is pulled (seconds); how long a clone may take.
CONTENT_SYNC_EVERY_S = env.float("DLGRADE_CONTENT_SYNC_EVERY_S", default=3600.0)
CONTENT_GIT_TIMEOUT_S = env.float("DLGRADE_CONTENT_GIT_TIMEOUT_S", default=120.0)
DLGRADE_SANDBOX = env.str("DLGRADE_SANDBOX", default="auto")  # auto | bwrap | plain
MAX_SOURCE_BYTES = env.int("DLGRADE_MAX_SOURCE_BYTES", default=64 * 1024)
# Every task is stopped after this long (a grading normally takes its submission's time budget, a
# few seconds, at most): a hostile submission or a fault of ours can never hold a worker for good.
TASK_TIME_LIMIT_S = env.int("DLGRADE_TASK_TIME_LIMIT_S", default=120)
# A queued submission whose task seems lost is re-enqueued by the sweeper after this long...
GRADING_STALE_AFTER_S = env.int("DLGRADE_GRADING_STALE_AFTER_S", default=60)
# ...and a running one only once no live worker can still be grading it (past the hard time limit).
GRADING_RUNNING_STALE_AFTER_S = env.int("DLGRADE_GRADING_RUNNING_STALE_AFTER_S", default=TASK_TIME_LIMIT_S + 30)
GRADING_MAX_PLATFORM_ATTEMPTS = env.int("DLGRADE_GRADING_MAX_PLATFORM_ATTEMPTS", default=3)
DEMO_PASSWORD = env.str("DLGRADE_DEMO_PASSWORD", default="")
# --- operations: health, metrics, the status page (platform/operations) ---
WORKER_HEARTBEAT_S = env.float("DLGRADE_WORKER_HEARTBEAT_S", default=15.0)  # how often a worker says it is up
# A worker re-runs its sandbox's confinement self-test this often; /readyz wants a recent pass.
WORKER_SELFTEST_EVERY_S = env.float("DLGRADE_WORKER_SELFTEST_EVERY_S", default=600.0)
# /metrics: a Prometheus server sends "Authorization: Bearer <token>"; empty: staff sessions only.
METRICS_TOKEN = env.str("DLGRADE_METRICS_TOKEN", default="")
# Batch jobs: an item claimed longer ago than this (its worker was lost), or queued while its job
# made no progress for this long (its message was lost), is sent again; grading an item is idempotent.
BATCH_LEASE_S = env.int("DLGRADE_BATCH_LEASE_S", default=TASK_TIME_LIMIT_S + 30)
BATCH_MAX_UPLOAD_BYTES = env.int("DLGRADE_BATCH_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)

# --- LTI 1.3 (platform/lti, docs/lti.md) -------------------------------------------------------
# Every call to an LMS (its JWKS, token endpoint, grade and roster services) gives up after this.
LTI_HTTP_TIMEOUT_S = env.float("DLGRADE_LTI_HTTP_TIMEOUT_S", default=10.0)
LTI_CLOCK_SKEW_S = env.int("DLGRADE_LTI_CLOCK_SKEW_S", default=60)  # tolerated between the LMS's clock and ours
# Scores owed to an LMS: the beat compares gradebooks with what was sent this often; a failed send
# is tried again after BASE, 2*BASE, 4*BASE... seconds, at most MAX apart, for as long as it takes.
LTI_SYNC_EVERY_S = env.float("DLGRADE_LTI_SYNC_EVERY_S", default=10.0)
LTI_RETRY_BASE_S = env.int("DLGRADE_LTI_RETRY_BASE_S", default=10)
LTI_RETRY_MAX_S = env.int("DLGRADE_LTI_RETRY_MAX_S", default=3600)
LTI_SEND_LEASE_S = env.int("DLGRADE_LTI_SEND_LEASE_S", default=120)  # a send not finished by then is sent again
LTI_TOKEN_CACHE_S = env.int("DLGRADE_LTI_TOKEN_CACHE_S", default=1800)  # LMS access tokens usually live an hour
LTI_PLACED_DUE_DAYS = env.int("DLGRADE_LTI_PLACED_DUE_DAYS", default=14)  # an exercise or quiz placed from the LMS
# Key rotation without downtime: a new key is published this long before it signs, the key it
# replaces stays published this long after, and the beat rotates keys older than MAX_AGE_DAYS.
LTI_KEY_PUBLISH_AHEAD_S = env.int("DLGRADE_LTI_KEY_PUBLISH_AHEAD_S", default=3600)
LTI_KEY_RETIRE_AFTER_S = env.int("DLGRADE_LTI_KEY_RETIRE_AFTER_S", default=86400)
LTI_KEY_MAX_AGE_DAYS = env.int("DLGRADE_LTI_KEY_MAX_AGE_DAYS", default=90)

# --- REST API (/api/v1/) ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.json_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "dlgrade API",
    "DESCRIPTION": "Exercises, quizzes, submissions and their verdicts; batch jobs for staff. Authenticate with "
    "`Authorization: Bearer <token>` (tokens are made on your profile page) or the browser session.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],  # the schema and docs are public: a stale token must not break them
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",  # served by whitenoise: no CDN needed
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SubmissionStatusEnum": "submissions.models.Submission.Status",
        "CaseStatusEnum": "graders.verdict.CASE_STATUSES",
        "RecordStatusEnum": "api.serializers.RECORD_STATUSES",
    },
}

# Limits that protect the service ("count/seconds").
SUBMIT_RATE = env.str("DLGRADE_SUBMIT_RATE", default="12/60")
INVITATION_RATE = env.str("DLGRADE_INVITATION_RATE", default="10/3600")  # invitation resends per instructor
RUN_RATE = env.str("DLGRADE_RUN_RATE", default="20/60")  # Run (no attempt) uses the same sandboxes

# One cache shared by every web process (rate limits, login throttling).
if env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("REDIS_URL"),
            "KEY_PREFIX": "dlgrade",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Celery ----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 300}
else:
    # Embedded broker: messages are files under var/broker, shared by web and worker processes.
    CELERY_BROKER_URL = "dlgrade-fs://localhost//"  # (a host, or kombu warns it has none) kombu's file-system transport, made atomic (config/broker.py)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.05,
    }
    for folder in ("queue", "processed", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_TIME_LIMIT = TASK_TIME_LIMIT_S
CELERY_TASK_SOFT_TIME_LIMIT = max(1, TASK_TIME_LIMIT_S - 15)  # raised in the task first: recorded, retried
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery closes the worker's database connection around every task unless this is set: N keeps it
# for N tasks. Reconnecting to PostgreSQL for every task cost ~8 ms: distributed batches ran at 39
# submissions/s against 57/s with reuse (bench/batch_bench.py). A connection that broke, failed its
# health check or outlived CONN_MAX_AGE is still replaced before each task (config/celery.py).
# 0: Celery's default, a new connection for every task.
CELERY_DB_REUSE_MAX = env.int("DLGRADE_WORKER_DB_REUSE_MAX", default=1000) or None
# Results are not used, so a killed pool process is declared lost at once and its task re-queued
# (the default waits 10 s for a result that will never come).
CELERY_WORKER_LOST_WAIT = 1.0
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_GRADING_QUEUE = env.str("DLGRADE_GRADING_QUEUE", default="grading")
# Batch jobs (manage.py grade --distributed, zip uploads) fan out one task per file on their own queue.
CELERY_BATCH_QUEUE = env.str("DLGRADE_BATCH_QUEUE", default="batch")
CELERY_TASK_ROUTES = {
    "submissions.grade_submission": {"queue": CELERY_GRADING_QUEUE},
    "submissions.sweep_stale_submissions": {"queue": CELERY_GRADING_QUEUE},
    "submissions.run_trial": {"queue": CELERY_GRADING_QUEUE},
    "batches.*": {"queue": CELERY_BATCH_QUEUE},
    "courses.send_invitations": {"queue": CELERY_BATCH_QUEUE},  # a roster's mails: off the grading queue
    "lti.*": {"queue": env.str("DLGRADE_LTI_QUEUE", default="lti")},
}
# Calls to LMSs wait on the network: their own queue keeps them from delaying grading.
CELERY_LTI_QUEUE = CELERY_TASK_ROUTES["lti.*"]["queue"]
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-submissions": {
        "task": "submissions.sweep_stale_submissions",
        "schedule": env.float("DLGRADE_SWEEP_EVERY_S", default=30.0),
        "options": {"expires": 25},
    },
}
CELERY_BEAT_SCHEDULE["requeue-stale-batch-items"] = {
    "task": "batches.requeue_stale",
    "schedule": env.float("DLGRADE_SWEEP_EVERY_S", default=30.0),
    "options": {"expires": 25},
}
CELERY_BEAT_SCHEDULE["lti-sync-scores"] = {
    "task": "lti.sync_scores",
    "schedule": LTI_SYNC_EVERY_S,
    "options": {"expires": max(1.0, LTI_SYNC_EVERY_S - 1)},
}
CELERY_BEAT_SCHEDULE["content-sync-repositories"] = {
    "task": "courses.content_sync_all",
    "schedule": CONTENT_SYNC_EVERY_S,
    "options": {"expires": max(1.0, CONTENT_SYNC_EVERY_S - 1)},
}
CELERY_BEAT_SCHEDULE["lti-rotate-keys"] = {"task": "lti.rotate_keys", "schedule": 86400.0, "options": {"expires": 3600}}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_DEFAULT_QUEUE = CELERY_GRADING_QUEUE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DLGRADE_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
