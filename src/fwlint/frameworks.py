"""Which top-level modules belong to which framework's ecosystem."""

from __future__ import annotations

FLASK_ROOTS = frozenset(
    {
        "flask",
        "werkzeug",
        "jinja2",
        "itsdangerous",
        "flask_sqlalchemy",
        "flask_login",
        "flask_wtf",
        "flask_migrate",
        "wtforms",
        "wtforms_sqlalchemy",
        "wtforms_alchemy",
        "sqlalchemy",
        "alembic",
        "flask_restful",
        "flask_restx",
        "flask_smorest",
        "flask_admin",
        "flask_mail",
        "flask_caching",
        "flask_babel",
        "flask_cors",
        "flask_limiter",
        "flask_socketio",
        "flask_session",
        "flask_security",
        "flask_jwt_extended",
        "flask_httpauth",
        "flask_principal",
        "flask_bcrypt",
        "flask_marshmallow",
        "flask_debugtoolbar",
        "flask_talisman",
        "flask_uploads",
        "flask_appbuilder",
        "blinker",
        "markupsafe",
        "marshmallow",
        "click",
    }
)
DJANGO_ROOTS = frozenset({"django", "rest_framework", "channels", "corsheaders", "debug_toolbar", "django_filters"})

# APIs whose absence of a rule is reported as ``unmapped`` (flask, werkzeug, flask_*).
UNMAPPED_PREFIXES = {
    "flask": ("flask", "werkzeug", "flask_", "sqlalchemy", "wtforms", "wtforms_"),
    "django": ("django", "rest_framework", "django_filters"),
}


# The category an unmapped API is counted under: the longest dotted prefix listed wins
# (``django.contrib.auth.X`` is auth, other ``django.contrib.X`` extensions, other ``django.X`` other).
UNMAPPED_CATEGORIES = {
    "flask_sqlalchemy": "orm",
    "sqlalchemy": "orm",
    "alembic": "orm",
    "flask_migrate": "orm",
    "wtforms": "forms",
    "wtforms_sqlalchemy": "forms",
    "wtforms_alchemy": "forms",
    "flask_wtf": "forms",
    "flask_login": "auth",
    "flask_security": "auth",
    "flask_jwt_extended": "auth",
    "flask_httpauth": "auth",
    "flask_principal": "auth",
    "flask_bcrypt": "auth",
    "werkzeug.security": "auth",
    "jinja2": "templates",
    "django": "other",
    "django.contrib.auth": "auth",
    "django.contrib.admin": "extensions",
    "django.contrib.messages": "views",
    "django.contrib": "extensions",
    "django.db": "orm",
    "django.forms": "forms",
    "django.core.validators": "forms",
    "django.template": "templates",
    "django.templatetags": "templates",
    "django.urls": "routing",
    "django.conf.urls": "routing",
    "django.http": "request",
    "django.shortcuts": "request",
    "django.views": "views",
    "django.middleware": "middleware",
    "django.conf": "config",
    "django.apps": "config",
    "django.core.management": "config",
    "rest_framework": "extensions",
    "rest_framework.permissions": "auth",
    "rest_framework.authentication": "auth",
}


def unmapped_category(canonical: str) -> str:
    parts = canonical.split(".")
    for i in range(len(parts), 0, -1):
        category = UNMAPPED_CATEGORIES.get(".".join(parts[:i]).removesuffix("()"))
        if category is not None:
            return category
    root = root_of(canonical)
    if root.startswith("flask_") or root.startswith("django_"):
        return "extensions"
    return "other"


def root_of(path: str) -> str:
    return path.split(".", 1)[0].removesuffix("()")


def framework_of_root(root: str) -> str | None:
    if root in FLASK_ROOTS or root.startswith("flask_"):
        return "flask"
    if root in DJANGO_ROOTS or root.startswith("django_"):
        return "django"
    return None


def is_reportable_unmapped(canonical: str, source_framework: str) -> bool:
    """Whether a framework name no rule matches should be listed as ``unmapped``."""
    root = root_of(canonical)
    for prefix in UNMAPPED_PREFIXES.get(source_framework, ()):
        if prefix.endswith("_") and root.startswith(prefix):
            return True
        if root == prefix:
            return True
    return False
