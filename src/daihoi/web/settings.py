"""Django settings. Everything comes from the environment, read by the helpers in `env.py`.

Defaults: SQLite (WAL) in ``$DAIHOI_DATA_DIR`` (``./var``) and an in-memory channel layer.
``DATABASE_URL=postgres://...`` switches to PostgreSQL; ``REDIS_URL=redis://...`` to a Redis channel layer.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from daihoi.web.env import CONN_MAX_AGE, database_from_url, env_bool, env_float, env_int, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DAIHOI_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    configured = env_str("DAIHOI_SECRET_KEY")
    if configured:
        return configured
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DAIHOI_DEBUG", False)
ALLOWED_HOSTS = [
    h for h in env_str("DAIHOI_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("DAIHOI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",  # /admin/ for the site administrator, read-only over the congress data
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "daihoi.audit",
    "daihoi.congress",
    "daihoi.voting",
    "daihoi.web",  # the `serve` command
    "daihoi.term",
    "daihoi.drafts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The app's own CSS, JS and fonts, from memory with cache headers (the hall has no internet).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "daihoi.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "daihoi.web.urls"
ASGI_APPLICATION = "daihoi.web.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "daihoi.congress.wording.context",
            ],
        },
    },
]

# FULL unless a benchmark asks for NORMAL to measure what FULL costs (bench/evote.py).
_SQLITE_SYNCHRONOUS = env_str("DAIHOI_SQLITE_SYNCHRONOUS", "FULL").upper()
if _SQLITE_SYNCHRONOUS not in {"FULL", "EXTRA", "NORMAL"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"DAIHOI_SQLITE_SYNCHRONOUS={_SQLITE_SYNCHRONOUS!r} is not FULL, EXTRA or NORMAL"
    )

_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": database_from_url(_database_url)}
    # No connection pool: each request thread of the server keeps its connection (web/handler.py), which
    # bounds them as a pool would; psycopg's pool (Django's OPTIONS["pool"]) measured no cheaper per
    # request (bench/http_servers.py, bench/checkin.py on PostgreSQL) and Django refuses it together
    # with CONN_MAX_AGE.
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "daihoi.sqlite3",
            # A file, not :memory:, so that a live server in another process sees the test data.
            "TEST": {"NAME": str(DATA_DIR / "test-daihoi.sqlite3")},
            "OPTIONS": {
                # WAL lets the screens read while the desk writes; IMMEDIATE takes the write lock at
                # BEGIN, so two concurrent check-ins queue instead of failing with "database is locked".
                # synchronous=FULL syncs the WAL at every commit: a power cut cannot take back a ballot
                # the voter was told was recorded (NORMAL may lose the last commits; see bench/evote.py).
                "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous={_SQLITE_SYNCHRONOUS};",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
        }
    }

if env_bool("DAIHOI_USE_TEST_DATABASE"):
    # A server started by the browser tests or a benchmark serves the test database the suite built.
    DATABASES["default"]["NAME"] = DATABASES["default"]["TEST"]["NAME"]  # type: ignore[index]
    # ... whose accounts the suite made with a fast hash (tests/conftest.py); never a real hall's.
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]

_redis_url = env_str("REDIS_URL")
if _redis_url:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [_redis_url]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Merge the live pushes of a burst of commits (see daihoi.congress.live.publish); screens still
# update well within a second. The test suite sets 0 so that a push follows its commit at once.
DAIHOI_LIVE_COALESCE_SECONDS = env_float("DAIHOI_LIVE_COALESCE_SECONDS", 0.25, minimum=0.0)
# The address phones in the hall open (e.g. https://192.168.1.10:8000), for congresses without their own.
DAIHOI_HALL_ADDRESS = env_str("DAIHOI_HALL_ADDRESS", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Staff passwords (createsuperuser, changepassword, any password form). Demo and test accounts get
# their hash directly (make_password / create_user), which does not validate.
AUTH_PASSWORD_VALIDATORS: list[dict[str, object]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed sign-ins (daihoi.web.throttle), counted in files beside the database so that every server
# process (`serve --processes N`) sees the same counts.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "throttle"),
    },
}
# Sessions are read from a cache and written through to the database (a page's gate then reads no
# session row): this process's memory, or Redis with `serve --processes N` (REDIS_URL), so that a sign-out
# in one process is seen by the others.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSIONS_IN_MEMORY = 50_000
SESSION_CACHE_ALIAS = "sessions"
if _redis_url:
    CACHES["sessions"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
else:
    # Every phone and laptop of the hall stays in memory: at Django's default of 300 entries a hall of
    # 2,000 phones culled one another and most requests read their session row again.
    CACHES["sessions"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sessions",
        "OPTIONS": {"MAX_ENTRIES": SESSIONS_IN_MEMORY},
    }
# A staff account is locked after this many wrong passwords from one address within the window;
# a phone (one address) after this many wrong card codes.
DAIHOI_LOGIN_ATTEMPTS = env_int("DAIHOI_LOGIN_ATTEMPTS", 5, minimum=1)
DAIHOI_CODE_ATTEMPTS = env_int("DAIHOI_CODE_ATTEMPTS", 10, minimum=1)
DAIHOI_THROTTLE_SECONDS = env_int("DAIHOI_THROTTLE_SECONDS", 900, minimum=1)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("DAIHOI_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise also serves `collectstatic` output from here
# No collectstatic step: WhiteNoise indexes the apps' static folders once at start (re-reads them
# on every request under DAIHOI_DEBUG).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
# `daihoi serve --tls-*` sets DAIHOI_HTTPS: cookies then travel over HTTPS only.
HTTPS = env_bool("DAIHOI_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
