"""A Django project's settings, read from facts: which modules are settings, and what they set.

Settings are plain module-level assignments (``INSTALLED_APPS = [...]``), often split over a
package whose modules build on each other with ``from .base import *`` and ``+=``.  The
settings module in use is the one ``manage.py``/``wsgi.py``/``asgi.py`` name in
``os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)``; a project without those still has
modules that define ``INSTALLED_APPS`` or ``ROOT_URLCONF``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fwlint.facts import Assignment, FileFacts, Span, Value
from fwlint.link.index import ProjectIndex

# Settings whose presence marks a module as Django settings.
MARKERS = ("INSTALLED_APPS", "ROOT_URLCONF", "MIDDLEWARE")
MAX_DEPTH = 16
# What a locale's ``formats.py`` (or a FORMAT_MODULE_PATH module) defines: not settings modules.
FORMAT_SETTINGS = frozenset(
    {
        "DATE_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT", "YEAR_MONTH_FORMAT", "MONTH_DAY_FORMAT",
        "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "FIRST_DAY_OF_WEEK", "DATE_INPUT_FORMATS",
        "TIME_INPUT_FORMATS", "DATETIME_INPUT_FORMATS", "DECIMAL_SEPARATOR", "THOUSAND_SEPARATOR",
        "NUMBER_GROUPING", "USE_THOUSAND_SEPARATOR",
    }
)  # fmt: skip
# Settings Django itself reads (django/conf/global_settings.py, plus a few removed ones and SITE_ID):
# any other upper-case module name in a settings module is the project's own.
DJANGO_SETTINGS = frozenset(
    {
        "ABSOLUTE_URL_OVERRIDES", "ADMINS", "ALLOWED_HOSTS", "APPEND_SLASH", "AUTHENTICATION_BACKENDS",
        "AUTH_PASSWORD_VALIDATORS", "AUTH_USER_MODEL", "CACHES", "CACHE_MIDDLEWARE_ALIAS",
        "CACHE_MIDDLEWARE_KEY_PREFIX", "CACHE_MIDDLEWARE_SECONDS", "CSRF_COOKIE_AGE", "CSRF_COOKIE_DOMAIN",
        "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_NAME", "CSRF_COOKIE_PATH", "CSRF_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE", "CSRF_FAILURE_VIEW", "CSRF_HEADER_NAME", "CSRF_TRUSTED_ORIGINS",
        "CSRF_USE_SESSIONS", "DATABASES", "DATABASE_ROUTERS", "DATA_UPLOAD_MAX_MEMORY_SIZE",
        "DATA_UPLOAD_MAX_NUMBER_FIELDS", "DATA_UPLOAD_MAX_NUMBER_FILES", "DATETIME_FORMAT",
        "DATETIME_INPUT_FORMATS", "DATE_FORMAT", "DATE_INPUT_FORMATS", "DEBUG", "DEBUG_PROPAGATE_EXCEPTIONS",
        "DECIMAL_SEPARATOR", "DEFAULT_AUTO_FIELD", "DEFAULT_CHARSET", "DEFAULT_EXCEPTION_REPORTER",
        "DEFAULT_EXCEPTION_REPORTER_FILTER", "DEFAULT_FILE_STORAGE", "DEFAULT_FROM_EMAIL",
        "DEFAULT_INDEX_TABLESPACE", "DEFAULT_TABLESPACE", "DISALLOWED_USER_AGENTS", "EMAIL_BACKEND", "EMAIL_HOST",
        "EMAIL_HOST_PASSWORD", "EMAIL_HOST_USER", "EMAIL_PORT", "EMAIL_SSL_CERTFILE", "EMAIL_SSL_KEYFILE",
        "EMAIL_SUBJECT_PREFIX", "EMAIL_TIMEOUT", "EMAIL_USE_LOCALTIME", "EMAIL_USE_SSL", "EMAIL_USE_TLS",
        "FILE_UPLOAD_DIRECTORY_PERMISSIONS", "FILE_UPLOAD_HANDLERS", "FILE_UPLOAD_MAX_MEMORY_SIZE",
        "FILE_UPLOAD_PERMISSIONS", "FILE_UPLOAD_TEMP_DIR", "FIRST_DAY_OF_WEEK", "FIXTURE_DIRS",
        "FORCE_SCRIPT_NAME", "FORMAT_MODULE_PATH", "FORMS_URLFIELD_ASSUME_HTTPS", "FORM_RENDERER",
        "IGNORABLE_404_URLS", "INSTALLED_APPS", "INTERNAL_IPS", "LANGUAGES", "LANGUAGES_BIDI", "LANGUAGE_CODE",
        "LANGUAGE_COOKIE_AGE", "LANGUAGE_COOKIE_DOMAIN", "LANGUAGE_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_NAME",
        "LANGUAGE_COOKIE_PATH", "LANGUAGE_COOKIE_SAMESITE", "LANGUAGE_COOKIE_SECURE", "LOCALE_PATHS", "LOGGING",
        "LOGGING_CONFIG", "LOGIN_REDIRECT_URL", "LOGIN_URL", "LOGOUT_REDIRECT_URL", "MANAGERS", "MEDIA_ROOT",
        "MEDIA_URL", "MESSAGE_STORAGE", "MIDDLEWARE", "MIDDLEWARE_CLASSES", "MIGRATION_MODULES",
        "MONTH_DAY_FORMAT", "NUMBER_GROUPING", "PASSWORD_HASHERS", "PASSWORD_RESET_TIMEOUT", "PREPEND_WWW",
        "SECRET_KEY", "SECRET_KEY_FALLBACKS", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_CROSS_ORIGIN_OPENER_POLICY",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER",
        "SECURE_REDIRECT_EXEMPT", "SECURE_REFERRER_POLICY", "SECURE_SSL_HOST", "SECURE_SSL_REDIRECT",
        "SERVER_EMAIL", "SESSION_CACHE_ALIAS", "SESSION_COOKIE_AGE", "SESSION_COOKIE_DOMAIN",
        "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_NAME", "SESSION_COOKIE_PATH", "SESSION_COOKIE_SAMESITE",
        "SESSION_COOKIE_SECURE", "SESSION_ENGINE", "SESSION_EXPIRE_AT_BROWSER_CLOSE", "SESSION_FILE_PATH",
        "SESSION_SAVE_EVERY_REQUEST", "SESSION_SERIALIZER", "SHORT_DATETIME_FORMAT", "SHORT_DATE_FORMAT",
        "SIGNED_COOKIE_LEGACY_SALT_FALLBACK", "SIGNING_BACKEND", "SILENCED_SYSTEM_CHECKS", "SITE_ID",
        "STATICFILES_DIRS", "STATICFILES_FINDERS", "STATICFILES_STORAGE", "STATIC_ROOT", "STATIC_URL", "STORAGES",
        "TEMPLATES", "TEMPLATE_DIRS", "TEST_NON_SERIALIZED_APPS", "TEST_RUNNER", "THOUSAND_SEPARATOR",
        "TIME_FORMAT", "TIME_INPUT_FORMATS", "TIME_ZONE", "USE_I18N", "USE_L10N", "USE_THOUSAND_SEPARATOR",
        "USE_TZ", "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT", "WSGI_APPLICATION", "X_FRAME_OPTIONS",
        "YEAR_MONTH_FORMAT",
    }
)  # fmt: skip


@dataclass(frozen=True)
class SettingEntry:
    """One item of a list setting (an installed app, a middleware class) and where it is written."""

    value: Value
    file: str
    span: Span


@dataclass
class Setting:
    name: str
    value: Value
    file: str  # where the effective value (or its last ``+=``) is written
    span: Span
    # For list settings: every item with its own position, in the composed order.
    entries: list[SettingEntry] = field(default_factory=list)


@dataclass
class DjangoSettings:
    module: str | None = None  # the settings module in use (or the most complete one found)
    modules: list[str] = field(default_factory=list)  # every module that is settings
    named_by: str | None = None  # the file whose DJANGO_SETTINGS_MODULE names ``module``
    values: dict[str, Setting] = field(default_factory=dict)

    def text(self, name: str) -> str | None:
        setting = self.values.get(name)
        return setting.value if setting is not None and isinstance(setting.value, str) else None

    def strings(self, name: str) -> list[str]:
        setting = self.values.get(name)
        if setting is None or not isinstance(setting.value, list):
            return []
        return [item for item in setting.value if isinstance(item, str)]

    @property
    def root_urlconf(self) -> str | None:
        return self.text("ROOT_URLCONF")

    @property
    def auth_user_model(self) -> str | None:
        return self.text("AUTH_USER_MODEL")

    @property
    def installed_apps(self) -> list[str]:
        return self.strings("INSTALLED_APPS")

    @property
    def middleware(self) -> list[str]:
        return self.strings("MIDDLEWARE") or self.strings("MIDDLEWARE_CLASSES")


def read_settings(index: ProjectIndex) -> DjangoSettings:
    """The project's settings: the module DJANGO_SETTINGS_MODULE names when the project has it,
    else the settings module that sets the most (a ``dev``/``local`` module importing ``base``
    sets everything ``base`` does and more)."""
    candidates = [f.module for f in index.files if _is_settings(f)]
    named: list[tuple[str, str]] = []
    for facts in index.files:
        for call in facts.calls:
            if call.callee == "os.environ.setdefault" and call.args[:1] == ["DJANGO_SETTINGS_MODULE"]:
                target = call.args[1] if len(call.args) > 1 else None
                if isinstance(target, str) and target in index.modules:
                    named.append((target, facts.path))
    result = DjangoSettings(modules=sorted(set(candidates) | {m for m, _ in named}))
    if named:
        # manage.py first: it is what developers run; wsgi/asgi name the production settings.
        named.sort(key=lambda pair: (not pair[1].endswith("manage.py"), pair[1]))
        result.module, result.named_by = named[0]
    elif candidates:
        composed = {module: compose(index, module) for module in candidates}
        result.module = max(candidates, key=lambda module: (len(composed[module]), module))
    if result.module is not None:
        result.values = compose(index, result.module)
    return result


def _is_settings(facts: FileFacts) -> bool:
    """A module that sets INSTALLED_APPS/ROOT_URLCONF/MIDDLEWARE, or at least two of Django's own
    settings (a ``prod.py`` overriding ``DEBUG`` and ``ALLOWED_HOSTS``)."""
    names = {a.target.rsplit(".", 1)[-1] for a in facts.assignments if a.target.startswith(facts.module + ".")}
    if "urlpatterns" in names:
        return False
    # Locale format modules (``formats.py``: DATE_FORMAT, DECIMAL_SEPARATOR...) set Django settings names too.
    return any(marker in names for marker in MARKERS) or len((names & DJANGO_SETTINGS) - FORMAT_SETTINGS) >= 2


def compose(index: ProjectIndex, module: str, depth: int = 0, seen: frozenset[str] = frozenset()) -> dict[str, Setting]:
    """The settings a module ends up with: star-imported modules first, then its own
    assignments in order (``+=`` extends a list)."""
    facts = index.modules.get(module)
    if facts is None or module in seen or depth > MAX_DEPTH:
        return {}
    seen = seen | {module}
    values: dict[str, Setting] = {}
    # Star imports and assignments interleave by line: ``from .base import *`` may follow overrides.
    events: list[tuple[int, object]] = [(i.line, i) for i in facts.imports if i.star and i.module in index.modules]
    events += [(a.span.line, a) for a in facts.assignments if _is_setting_name(facts, a)]
    for _, event in sorted(events, key=lambda pair: pair[0]):
        if isinstance(event, Assignment):
            _apply(values, facts, event)
        else:
            values.update(compose(index, event.module, depth + 1, seen))  # type: ignore[attr-defined]
    return values


def _is_setting_name(facts: FileFacts, assignment: Assignment) -> bool:
    prefix = facts.module + "."
    if not assignment.target.startswith(prefix):
        return False
    name = assignment.target[len(prefix) :]
    return name.isupper() and "." not in name and "[" not in name


def _apply(values: dict[str, Setting], facts: FileFacts, assignment: Assignment) -> None:
    name = assignment.target.rsplit(".", 1)[-1]
    entries = [SettingEntry(item, facts.path, span) for item, span in _items(assignment)]
    previous = values.get(name)
    if assignment.augmented and previous is not None and isinstance(previous.value, list):
        if isinstance(assignment.value, list):
            values[name] = Setting(
                name,
                [*previous.value, *assignment.value],
                facts.path,
                assignment.span,
                [*previous.entries, *entries],
            )
        return
    values[name] = Setting(name, assignment.value, facts.path, assignment.span, entries)


def _items(assignment: Assignment) -> list[tuple[Value, Span]]:
    if not isinstance(assignment.value, list):
        return []
    spans = assignment.item_spans or tuple(assignment.span for _ in assignment.value)
    return list(zip(assignment.value, spans, strict=False))
