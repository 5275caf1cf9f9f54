"""Jigsaw settings. Every value comes from the environment (see README)."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from jigsaw import env

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent

SECRET_KEY = env.secret("JIGSAW_SECRET_KEY")
# The audit ledger's HMAC key is deliberately separate from SECRET_KEY, so the
# people who can rotate one need not be able to forge the other.
AUDIT_KEY = env.secret("JIGSAW_AUDIT_KEY").encode()
DEBUG = env.boolean("JIGSAW_DEBUG", default=False)
ALLOWED_HOSTS = env.words("JIGSAW_ALLOWED_HOSTS", "127.0.0.1,localhost")
# Only for the local demo over plain HTTP on the loopback interface.
INSECURE_HTTP = env.boolean("JIGSAW_INSECURE_HTTP", default=False)
# Links in e-mails sent outside a request (escalations, reminders) start with this.
BASE_URL = env.string(
    "JIGSAW_BASE_URL", f"{'http' if INSECURE_HTTP else 'https'}://{ALLOWED_HOSTS[0]}"
    + (":8000" if INSECURE_HTTP else "")
).rstrip("/")
# Scanned notes and photos attached to entries: outside the web root, served only through access checks.
PRIVATE_FILES_ROOT = env.string("JIGSAW_PRIVATE_FILES", str(BASE_DIR.parent / "var" / "private"))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "pgtrigger",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "jigsaw.accounts",
    "jigsaw.audit",
    "jigsaw.people",
    "jigsaw.chronology",
    "jigsaw.sharing",
    "jigsaw.linkage",
    "jigsaw.guidance",
    "jigsaw.web",
]

OIDC_SERVER_URL = env.string("JIGSAW_OIDC_SERVER_URL", "")
if OIDC_SERVER_URL:
    INSTALLED_APPS += ["allauth.socialaccount", "allauth.socialaccount.providers.openid_connect"]
    SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": env.string("JIGSAW_OIDC_PROVIDER_ID", "agency"),
                    "name": env.string("JIGSAW_OIDC_NAME", "Your organisation's sign-in"),
                    "client_id": env.string("JIGSAW_OIDC_CLIENT_ID"),
                    "secret": env.secret("JIGSAW_OIDC_CLIENT_SECRET", minimum_length=8),
                    "settings": {"server_url": OIDC_SERVER_URL},
                }
            ],
            "OAUTH_PKCE_ENABLED": True,
        }
    }
    SOCIALACCOUNT_ONLY = False
    SOCIALACCOUNT_AUTO_SIGNUP = False  # people are invited; SSO signs in existing accounts

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jigsaw.accounts.middleware.SessionLifetimeMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jigsaw.accounts.middleware.RequireMfaMiddleware",
    "jigsaw.accounts.middleware.ActiveMembershipMiddleware",
    "jigsaw.web.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "jigsaw.urls"
WSGI_APPLICATION = "jigsaw.wsgi.application"

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
                "jigsaw.web.context_processors.jigsaw",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(env.string("DATABASE_URL"), conn_max_age=60, conn_health_checks=True)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache so that sign-in throttling and used TOTP codes hold across processes.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "jigsaw_cache",
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
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in (django-allauth). Accounts are created by invitation only.
ACCOUNT_ADAPTER = "jigsaw.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Jigsaw: "
LOGIN_ATTEMPTS_LIMIT = env.integer("JIGSAW_LOGIN_ATTEMPTS_LIMIT", 5)
LOGIN_ATTEMPTS_TIMEOUT = env.integer("JIGSAW_LOGIN_ATTEMPTS_TIMEOUT", 15 * 60)
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Per typed e-mail address, whether or not an account has it: lockout reveals nothing.
    "login_failed": f"20/m/ip,{LOGIN_ATTEMPTS_LIMIT}/{LOGIN_ATTEMPTS_TIMEOUT}s/key",
    "reset_password": "20/m/ip,3/5m/key",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

MFA_ADAPTER = "jigsaw.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Jigsaw"
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = INSECURE_HTTP
USERSESSIONS_TRACK_ACTIVITY = True

# Sessions end on the server: 30 minutes idle, 12 hours at most.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.integer("JIGSAW_IDLE_TIMEOUT_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIMIT_SECONDS = env.integer("JIGSAW_SESSION_LIMIT_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not INSECURE_HTTP
CSRF_COOKIE_SECURE = not INSECURE_HTTP
CSRF_COOKIE_HTTPONLY = True
if not INSECURE_HTTP:
    SESSION_COOKIE_NAME = "__Host-jigsaw-session"
    CSRF_COOKIE_NAME = "__Host-jigsaw-csrf"

# Transport and browser security. TLS ends at a proxy in front of the app.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = not INSECURE_HTTP
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if INSECURE_HTTP else 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

EMAIL_KIND = env.string("JIGSAW_EMAIL_BACKEND", "smtp")
if EMAIL_KIND not in {"smtp", "console", "locmem"}:
    raise ImproperlyConfigured("JIGSAW_EMAIL_BACKEND must be smtp, console or locmem")
MAILERS = {
    "default": {
        "BACKEND": f"django.core.mail.backends.{EMAIL_KIND}.EmailBackend",
        "OPTIONS": {
            "host": env.string("JIGSAW_EMAIL_HOST", "localhost"),
            "port": env.integer("JIGSAW_EMAIL_PORT", 587),
            "username": env.string("JIGSAW_EMAIL_USER", ""),
            "password": env.string("JIGSAW_EMAIL_PASSWORD", ""),
            "use_tls": env.boolean("JIGSAW_EMAIL_USE_TLS", default=True),
            "timeout": 20,
        }
        if EMAIL_KIND == "smtp"
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.string("JIGSAW_EMAIL_FROM", "Jigsaw <no-reply@jigsaw.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.string("JIGSAW_STATIC_ROOT", str(PROJECT_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("JIGSAW_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50

# The partnership's name, shown in the service header.
JIGSAW_PARTNERSHIP_NAME = env.string("JIGSAW_PARTNERSHIP_NAME", "your safeguarding partnership")
