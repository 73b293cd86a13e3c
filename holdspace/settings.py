"""Holdspace settings: one module, everything that differs between machines comes from the
environment (see the README's "Configuration")."""

from __future__ import annotations

from pathlib import Path

import django_stubs_ext
from django.utils.csp import CSP

from holdspace.env import (
    env_bool,
    env_database,
    env_fernet_keys,
    env_int,
    env_list,
    env_secret_key,
    env_str,
)

# Lets Django's generic classes (ModelAdmin[Model], ModelForm[Model]) be subscripted at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret_key("SECRET_KEY", debug=DEBUG)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Keys for data encrypted at rest (notes, messages, avoid entries): Fernet keys, newest first.
# They are separate from SECRET_KEY so that either can be rotated without the other.
ENCRYPTION_KEYS = env_fernet_keys(
    "HOLDSPACE_ENCRYPTION_KEYS",
    debug=DEBUG,
    dev_default="ZGV2LW9ubHktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=",
)
# Key for the keyed hashes (HMAC) of avoid-list entries; never shown, never stored.
HMAC_KEY = env_str("HOLDSPACE_HMAC_KEY", "dev-only-hmac-key" if DEBUG else None)

INSTALLED_APPS = [
    "holdspace.audit.admin_config.LoggedAdminConfig",  # django.contrib.admin, our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_tasks_db",
    "holdspace.accounts",
    "holdspace.directory",
    "holdspace.network",
    "holdspace.matching",
    "holdspace.checkins",
    "holdspace.scheduling",
    "holdspace.outreach",
    "holdspace.audit",
    "holdspace.practice",
    "holdspace.mydata",
    "holdspace.programs",
    "holdspace.home",  # last: the role homes read every app above
]

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
    "axes.middleware.AxesMiddleware",
    # Holdspace's own: end idle/old sessions, then insist on MFA, then keep pages out of caches,
    # then write times in the reader's zone.
    "holdspace.accounts.middleware.SessionTimeoutMiddleware",
    "holdspace.accounts.middleware.RequireMFAMiddleware",
    "holdspace.accounts.middleware.PrivateCacheMiddleware",
    "holdspace.accounts.middleware.TimeZoneMiddleware",
    "holdspace.errors.MethodNotAllowedPage",  # a page for require_http_methods' empty 405s
]

ROOT_URLCONF = "holdspace.urls"
WSGI_APPLICATION = "holdspace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "holdspace" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.csp",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", base_dir=BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
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
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: email login, no usernames, verified email before sign-in in production.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "holdspace.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "holdspace.accounts.forms.SignupDetailsForm"
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Holdspace: "
# Tell people by email when their password, email address or second step changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# Changing email, password or MFA asks for the password (or an MFA code) again if the last
# sign-in is older than five minutes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300

# django-allauth MFA: authenticator apps (TOTP), recovery codes and passkeys. Required for
# therapists, coordinators and staff (holdspace.accounts.middleware.RequireMFAMiddleware).
MFA_ADAPTER = "holdspace.accounts.mfa.MFAAdapter"  # TOTP secrets encrypted with ENCRYPTION_KEYS
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_REAUTHENTICATION_REQUIRED = True
MFA_TOTP_ISSUER = "Holdspace"
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side, for clock drift; codes are single-use
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # passkeys on http://127.0.0.1 in development only

# Every session ends 12 hours after signing in; those of therapists, coordinators and staff
# also after 30 idle minutes (holdspace.accounts.middleware.SessionTimeoutMiddleware).
HOLDSPACE_SESSION_IDLE_SECONDS = 30 * 60
HOLDSPACE_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
# Per user per hour, on the endpoints that reach other people (holdspace.accounts.ratelimit).
HOLDSPACE_RATE_LIMITS = {"outreach_request": 10, "outreach_message": 30, "booking": 20}

# django-axes: lock an account+address after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "holdspace.errors.locked_out"  # a Holdspace page, not a bare line

# Email: SMTP when EMAIL_HOST is set, otherwise printed to the console (development).
_EMAIL_HOST = env_str("EMAIL_HOST", "")
_EMAIL_OPTIONS = (
    {
        "host": _EMAIL_HOST,
        "port": env_int("EMAIL_PORT", 587, minimum=1),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
    }
    if _EMAIL_HOST
    else {}
)
MAILERS = {
    "default": {
        "BACKEND": env_str(
            "EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if _EMAIL_HOST
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": _EMAIL_OPTIONS,
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Holdspace <no-reply@holdspace.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (emails, reminders, expiry): Django's tasks framework with a database-backed
# queue; `manage.py db_worker` runs them (make demo starts one beside the server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "en-us"
# Stored, computed and used by background work in UTC; each page is written in its reader's
# zone (holdspace.accounts.middleware.TimeZoneMiddleware, holdspace.accounts.time_zones).
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "holdspace" / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Security headers. Pages load nothing from third parties: everything is 'self'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "holdspace.errors.csrf_failure"  # a Holdspace page (crisis response first)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)

# Profiles not re-confirmed within this many days are hidden from search (no ghost listings).
PROFILE_CONFIRM_DAYS = 30

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
