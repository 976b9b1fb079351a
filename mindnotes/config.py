"""Settings: the one place that reads the environment (and `.env`).

Every setting has a safe default for the embedded setup: SQLite under
`instance/`, and the MongoDB-wire server and Redis that `flask serve` starts
(with an RQ worker and the cron scheduler) when no store is named. With none of
DATABASE_URL, MONGO_URI and REDIS_URL set, MindNotes runs "embedded" and makes
its own SECRET_KEY once (kept in `instance/secret_key`); otherwise it refuses to
start without SECRET_KEY.
"""

import os
from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent
load_dotenv(PROJECT_ROOT / ".env")

INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", PROJECT_ROOT / "instance"))
# The embedded MongoDB-wire server listens here; `flask serve` starts it and
# every other `flask` command reaches it with no extra settings.
EMBEDDED_MONGO_PORT = int(os.environ.get("EMBEDDED_MONGO_PORT", "27027"))
EMBEDDED_REDIS_PORT = int(os.environ.get("EMBEDDED_REDIS_PORT", "6389"))


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'mindnotes.db'}")
    # SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3; we ship psycopg2.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix) :]
    return url


class Config:
    # Empty: the embedded default makes one (create_app); any other start refuses to run.
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    EMBEDDED = not any(name in os.environ for name in ("DATABASE_URL", "MONGO_URI", "REDIS_URL"))
    SQLALCHEMY_DATABASE_URI = _database_url()
    # No ping before each checkout (a round trip per request): connections are replaced after this many
    # seconds, before a server or proxy drops them idle, and a request whose first statement finds its
    # connection dropped anyway (a restart) runs it again on a new one (services/account/login_sessions.py).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_recycle": int(os.environ.get("DATABASE_POOL_RECYCLE", "300"))}
    MONGO_URI = os.environ.get("MONGO_URI", f"mongodb://127.0.0.1:{EMBEDDED_MONGO_PORT}/mindnotes")
    MONGO_EMBEDDED = "MONGO_URI" not in os.environ
    MONGO_DATA_DIR = os.environ.get("MONGO_DATA_DIR", str(INSTANCE_DIR / "mongo"))
    # A request gives up on an unreachable MongoDB after this long (server selection and connecting)
    # and answers the 503 "can't reach its storage" page.
    MONGO_TIMEOUT_MS = int(os.environ.get("MONGO_TIMEOUT_MS", "1000"))
    # One command's reply on an open connection: long enough for a large export's batches in the worker,
    # shorter than the minute after which the export sweep takes a silent build for dead.
    MONGO_SOCKET_TIMEOUT_MS = int(os.environ.get("MONGO_SOCKET_TIMEOUT_MS", "30000"))
    REDIS_URL = os.environ.get("REDIS_URL", f"redis://127.0.0.1:{EMBEDDED_REDIS_PORT}/0")
    REDIS_EMBEDDED = "REDIS_URL" not in os.environ
    REDIS_DATA_DIR = os.environ.get("REDIS_DATA_DIR", str(INSTANCE_DIR / "redis"))
    RQ_QUEUES = ["default"]

    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    EXPORT_DIR = os.environ.get("EXPORT_DIR", str(INSTANCE_DIR / "exports"))
    # The largest request body we accept (a voice note is at most 25 MB).
    MAX_CONTENT_LENGTH = 26 * 1024 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE")
    # "Keep me signed in": the cookie holds a server session's key; that session still ends
    # after SESSION_IDLE_DAYS unused.
    REMEMBER_COOKIE_NAME = "remember_token"
    REMEMBER_COOKIE_DURATION = 365 * 24 * 3600  # seconds
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE")

    WTF_CSRF_TIME_LIMIT = None  # a journal page may stay open all day
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per minute")
    RATELIMIT_HEADERS_ENABLED = True
    # While Redis is unreachable, limits are counted in this process: people can still sign in.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True

    PASSWORD_MIN_LENGTH = 10
    # Werkzeug's scrypt (memory-hard); tests choose a cheaper cost of the same KDF.
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
    FREE_PLAN_ENTRY_LIMIT = int(os.environ.get("FREE_PLAN_ENTRY_LIMIT", "100"))

    # Mail over SMTP when MAIL_SERVER is set; otherwise each message is written
    # to MAIL_DIR (default: instance/mail/) and its link logged, for local trials.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = _flag("MAIL_USE_TLS", True)
    MAIL_USE_SSL = _flag("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "MindNotes <no-reply@localhost>")
    MAIL_DIR = os.environ.get("MAIL_DIR", "")
    # Links in mail start here (e.g. https://notes.example.org), never at the request's Host header.
    # Set it in production: without it no mail with a link is sent; the embedded default and tests
    # use LOCAL_URL (`flask serve` on this machine). When set, requests for any other host name get a 400.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")
    LOCAL_URL = f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"
    # Web Push reminders (services/reminders/push.py): the server's VAPID key (PEM, or the raw key in
    # base64url; without it one is made once in instance/vapid_private.pem) and the contact push
    # services are given with it (a mailto: or https: address).
    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:admin@localhost")
    # More host names to answer besides PUBLIC_URL's (comma-separated), e.g. an internal health check's.
    TRUSTED_HOSTS = [name.strip() for name in os.environ.get("TRUSTED_HOSTS", "").split(",") if name.strip()] or None
    # HTTPS deployments get HSTS; SESSION_COOKIE_SECURE implies HTTPS too.
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https" if _flag("SESSION_COOKIE_SECURE") else "http")

    PASSWORD_RESET_MINUTES = 60
    EMAIL_VERIFICATION_HOURS = 48
    # Second-step codes (TOTP and recovery codes), per account, across every form that takes one.
    TWO_FACTOR_RATE_LIMIT = os.environ.get("TWO_FACTOR_RATE_LIMIT", "5 per minute")
    # Minutes a signed-in password step waits for its second-factor code.
    TWO_FACTOR_LOGIN_MINUTES = 5
    # A session unused this long is over; each session is a row in user_sessions.
    SESSION_IDLE_DAYS = int(os.environ.get("SESSION_IDLE_DAYS", "30"))

    # Billing. Card payments through Stripe are offered only when a secret key is set;
    # without it an administrator records payments with `flask billing record-payment`.
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
    # A recurring monthly Price in Stripe; when empty the Checkout Session carries
    # PREMIUM_PRICE_MINOR as an inline monthly price.
    STRIPE_PRICE_ID = os.environ.get("STRIPE_PRICE_ID", "")
    # Premium per month, in minor units (cents) of the premium plan's currency.
    PREMIUM_PRICE_MINOR = int(os.environ.get("PREMIUM_PRICE_MINOR", "500"))
    # Accounts (comma-separated emails) that may open the billing report page.
    ADMIN_EMAILS = frozenset(e.strip().lower() for e in os.environ.get("ADMIN_EMAILS", "").split(",") if e.strip())
