"""Reading a Django project's settings from facts: which module is in use and what it ends up with."""

from __future__ import annotations

from fwlint.link.django_settings import read_settings

from .conftest import index_of

BASE = """\
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "base-secret"
DEBUG = False
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "catalog.apps.CatalogConfig",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
]
ROOT_URLCONF = "site_config.urls"
AUTH_USER_MODEL = "accounts.User"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
"""

DEV = """\
from .base import *

DEBUG = True
INSTALLED_APPS += ["debug_toolbar"]
MIDDLEWARE = MIDDLEWARE + ["debug_toolbar.middleware.DebugToolbarMiddleware"]
"""

MANAGE = """\
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""


def project(**extra: str) -> dict[str, str]:
    files = {
        "manage.py": MANAGE,
        "site_config/__init__.py": "",
        "site_config/settings/__init__.py": "",
        "site_config/settings/base.py": BASE,
        "site_config/settings/dev.py": DEV,
        "site_config/urls.py": "from django.urls import path\nurlpatterns = []\n",
        "catalog/__init__.py": "",
    }
    files.update(extra)
    return files


def test_manage_py_names_the_settings_module_and_star_imports_compose() -> None:
    settings = read_settings(index_of(project()))
    assert settings.module == "site_config.settings.dev"
    assert settings.named_by == "manage.py"
    assert settings.modules == ["site_config.settings.base", "site_config.settings.dev"]
    assert settings.values["DEBUG"].value is True
    assert settings.values["DEBUG"].file == "site_config/settings/dev.py"
    assert settings.values["SECRET_KEY"].file == "site_config/settings/base.py"
    assert settings.installed_apps == [
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "catalog.apps.CatalogConfig",
        "debug_toolbar",
    ]
    # ``X = X + [...]`` extends the list like ``+=``.
    assert settings.middleware == [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "debug_toolbar.middleware.DebugToolbarMiddleware",
    ]
    assert settings.root_urlconf == "site_config.urls"
    assert settings.auth_user_model == "accounts.User"


def test_each_list_entry_keeps_its_own_line() -> None:
    settings = read_settings(index_of(project()))
    entries = settings.values["INSTALLED_APPS"].entries
    assert [(e.value, e.file, e.span.line) for e in entries] == [
        ("django.contrib.auth", "site_config/settings/base.py", 7),
        ("django.contrib.contenttypes", "site_config/settings/base.py", 8),
        ("catalog.apps.CatalogConfig", "site_config/settings/base.py", 9),
        ("debug_toolbar", "site_config/settings/dev.py", 4),
    ]


def test_without_manage_py_the_most_complete_settings_module_wins() -> None:
    files = project()
    del files["manage.py"]
    settings = read_settings(index_of(files))
    # dev.py sets everything base.py does, through the star import.
    assert settings.module == "site_config.settings.dev"
    assert settings.named_by is None


def test_a_star_import_after_an_assignment_overrides_it() -> None:
    files = project(
        **{
            "site_config/settings/dev.py": "DEBUG = True\nfrom .base import *\n",
        }
    )
    settings = read_settings(index_of(files))
    assert settings.values["DEBUG"].value is False


def test_star_import_cycles_end() -> None:
    files = {
        "manage.py": MANAGE.replace("site_config.settings.dev", "conf.a"),
        "conf/__init__.py": "",
        "conf/a.py": 'from conf.b import *\nINSTALLED_APPS = ["django.contrib.auth"]\n',
        "conf/b.py": 'from conf.a import *\nROOT_URLCONF = "conf.urls"\n',
    }
    settings = read_settings(index_of(files))
    assert settings.module == "conf.a"
    assert settings.root_urlconf == "conf.urls"
    assert settings.installed_apps == ["django.contrib.auth"]


def test_a_project_without_settings_has_none() -> None:
    settings = read_settings(index_of({"app.py": "from django.http import HttpResponse\n"}))
    assert settings.module is None
    assert settings.values == {}
    assert settings.installed_apps == []


def test_a_locale_formats_module_is_not_settings() -> None:
    formats = 'DATE_FORMAT = "N j, Y"\nDECIMAL_SEPARATOR = "."\nFIRST_DAY_OF_WEEK = 0\n'
    files = project(**{"site_config/formats/en/formats.py": formats})
    assert "site_config.formats.en.formats" not in read_settings(index_of(files)).modules
