"""Extraction: names resolved by the one-pass symbol table, positions from the ast twin."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fwlint.extract import SourceFile, extract_source
from fwlint.facts import CallValue, FileFacts, Opaque, Ref

from .conftest import scan_source


def facts_of(source: str, module: str = "app", is_package: bool = False) -> FileFacts:
    result = extract_source(SourceFile("x", "app.py", module, is_package), source.encode(), 10_000_000)
    assert isinstance(result, FileFacts), result
    return result


def test_import_styles_resolve_to_qualified_names() -> None:
    facts = facts_of(
        "import flask\n"
        "from flask import Flask as F, request\n"
        "import werkzeug.utils\n"
        "app = F(__name__)\n"
        "flask.jsonify(a=1)\n"
        "request.args\n"
        "werkzeug.utils.secure_filename('x')\n"
    )
    assert [c.callee for c in facts.calls] == ["flask.Flask", "flask.jsonify", "werkzeug.utils.secure_filename"]
    assert [r.path for r in facts.references] == ["flask.request.args"]


def test_relative_imports_resolve_against_the_package() -> None:
    facts = facts_of("from . import bp\nfrom ..models import User\nbp.route\n", module="shop.catalog", is_package=True)
    assert facts.aliases == {"shop.catalog.bp": "shop.catalog.bp", "shop.catalog.User": "shop.models.User"}
    module_facts = facts_of("from . import bp\n", module="shop.catalog.views")
    assert module_facts.aliases == {"shop.catalog.views.bp": "shop.catalog.bp"}


def test_parameters_shadow_imports() -> None:
    facts = facts_of("from flask import request\ndef view(request):\n    return request.GET\n")
    assert facts.references == []


def test_instances_in_factories_get_local_paths() -> None:
    facts = facts_of("from flask import Flask\ndef create_app():\n    app = Flask(__name__)\n    return app\n")
    assert [a.target for a in facts.assignments] == ["app.create_app.<locals>.app"]
    assert facts.functions[0].returns == "app.create_app.<locals>.app"
    assert isinstance(facts.assignments[0].value, CallValue)


def test_positions_are_exact_and_count_characters_not_bytes() -> None:
    facts = facts_of('from flask import jsonify\nx = {"é": jsonify(\n    a=1)}\n')
    span = facts.calls[0].span
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 11, 3, 9)


def test_decorator_calls_know_what_they_decorate() -> None:
    facts = facts_of(
        "from flask import Blueprint\nbp = Blueprint('b', __name__)\n\n"
        "class V:\n    @bp.route('/x')\n    def m(self):\n        pass\n"
    )
    route = next(c for c in facts.calls if c.callee.endswith(".route"))
    assert route.decorates == "app.V.m" and route.span.line == 5
    assert route.args == ["/x"]


def test_keyed_assignment_is_recorded() -> None:
    facts = facts_of(
        "from flask import Flask\nfrom conv import Isbn\napp = Flask(__name__)\napp.url_map.converters['isbn'] = Isbn\n"
    )
    keyed = [a for a in facts.assignments if a.target.endswith("]")]
    assert keyed[0].target == "app.app.url_map.converters[isbn]"
    assert keyed[0].value == Ref("conv.Isbn")


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="this Python's ast already reads 3.12 f-strings")
def test_newer_syntax_falls_back_to_libcst_positions(tmp_path: Path) -> None:
    source = (
        "from flask import Flask, request\napp = Flask(__name__)\n\n"
        '@app.route("/x")\ndef x():\n    names = {"a": 1}\n    return f"{names["a"]} {request.args.get("q")}"\n'
    )
    report = scan_source(tmp_path, {"app.py": source})
    assert report.errors == []
    assert [(r.path, r.line) for r in report.routes] == [("/x", 4)]
    use = next(f for f in report.findings if f.source_api == "flask.request.args.get")
    assert (use.line, use.column) == (7, 28)


def test_the_result_of_an_api_call_is_not_another_use(tmp_path: Path) -> None:
    source = (
        "from flask import Flask, request\napp = Flask(__name__)\n\n"
        '@app.route("/s")\ndef search():\n    q = request.args.get("q")\n    return q.lower() + q\n'
    )
    report = scan_source(tmp_path, {"app.py": source})
    uses = [f.line for f in report.findings if f.source_api.startswith("flask.request")]
    assert uses == [6]


def test_package_attribute_named_like_its_submodule_does_not_loop(tmp_path: Path) -> None:
    # pkg/__init__.py re-exports `plugins` from pkg/plugins.py: `pkg.plugins` names both.
    report = scan_source(
        tmp_path,
        {
            "pkg/__init__.py": "from .plugins import plugins\n",
            "pkg/plugins.py": "import flask\nplugins = flask.Blueprint('plugins', __name__)\n"
            "@plugins.route('/p')\ndef index():\n    return ''\n",
            "use.py": "from pkg.plugins import index\nfrom pkg import plugins\nplugins.url_prefix\n",
        },
    )
    assert [(r.path, r.handler) for r in report.routes] == [("/p", "pkg.plugins.index")]


# ----------------------------------------------------------------- Django facts


def test_module_level_literals_are_recorded_with_item_positions() -> None:
    facts = facts_of(
        "from .base import *\n"
        "INSTALLED_APPS = [\n"
        '    "django.contrib.auth",\n'
        '    "catalog",\n'
        "]\n"
        'INSTALLED_APPS += ("debug_toolbar",)\n'
        'MIDDLEWARE = MIDDLEWARE + ["app.Timing"]\n'
        'ROOT_URLCONF = "site.urls"\n'
        "DEBUG = True\n"
        "PAGE_SIZE = 20\n",
        module="site.settings",
    )
    recorded = [(a.target, a.value, a.augmented, [s.line for s in a.item_spans]) for a in facts.assignments]
    assert recorded == [
        ("site.settings.INSTALLED_APPS", ["django.contrib.auth", "catalog"], False, [3, 4]),
        ("site.settings.INSTALLED_APPS", ["debug_toolbar"], True, [6]),
        ("site.settings.MIDDLEWARE", ["app.Timing"], True, [7]),
        ("site.settings.ROOT_URLCONF", "site.urls", False, []),
        ("site.settings.DEBUG", True, False, []),
        ("site.settings.PAGE_SIZE", 20, False, []),
    ]
    assert [(i.module, i.star) for i in facts.imports] == [("site.base", True)]


def test_url_lists_keep_their_calls_and_concatenated_operands() -> None:
    facts = facts_of(
        "from django.urls import path, include\n"
        "from rest_framework.routers import DefaultRouter\n"
        "from . import views\n"
        "router = DefaultRouter()\n"
        'urlpatterns = [path("books/", views.books, name="books")] + router.urls\n'
        'urlpatterns += [path("api/", include(router.urls))]\n',
        module="shop.urls",
    )
    lists = [a for a in facts.assignments if a.target == "shop.urls.urlpatterns"]
    first, second = lists
    assert isinstance(first.value, list) and len(first.value) == 2
    book_path, router_urls = first.value
    assert isinstance(book_path, CallValue) and book_path.callee == "django.urls.path"
    assert book_path.args == ("books/", Ref("shop.views.books"))
    assert router_urls == Ref("shop.urls.router.urls")
    assert second.augmented
    # Calls inside the lists are facts of their own, with their positions.
    assert [(c.callee, c.span.line) for c in facts.calls if c.callee == "django.urls.path"] == [
        ("django.urls.path", 5),
        ("django.urls.path", 6),
    ]


def test_literals_inside_functions_and_classes_are_not_module_assignments() -> None:
    facts = facts_of('def f():\n    X = [1]\nclass C:\n    Y = ["a"]\n')
    assert facts.assignments == []


def test_a_request_parameter_is_djangos_request_in_a_django_module() -> None:
    facts = facts_of(
        "from django.http import HttpResponse\n"
        "def search(request):\n"
        '    return HttpResponse(request.GET.get("q"))\n'
        "class Search:\n"
        "    def get(self, request):\n"
        "        return self.request.user\n"
    )
    calls = [c.callee for c in facts.calls]
    assert "django.http.HttpRequest().GET.get" in calls
    assert "django.http.HttpRequest().user" in [r.path for r in facts.references]


def test_a_request_parameter_outside_django_stays_a_parameter() -> None:
    facts = facts_of("import json\ndef handle(request):\n    return request.GET.get('q')\n")
    assert not [c for c in facts.calls if "HttpRequest" in c.callee]


def test_the_settings_module_call_is_recorded_though_os_is_stdlib() -> None:
    facts = facts_of('import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\nos.getcwd()\n')
    assert [(c.callee, c.args) for c in facts.calls] == [
        ("os.environ.setdefault", ["DJANGO_SETTINGS_MODULE", "site.settings"])
    ]


def test_a_module_level_list_used_in_a_concatenation_is_a_reference() -> None:
    facts = facts_of(
        "from django.urls import path\n"
        "from . import views\n"
        'extra_patterns = [path("a/", views.a)]\n'
        'urlpatterns = [path("b/", views.b)] + extra_patterns\n'
        "urlpatterns += extra_patterns\n",
        module="shop.urls",
    )
    values = [a.value for a in facts.assignments if a.target == "shop.urls.urlpatterns"]
    assert values[0][-1] == Ref("shop.urls.extra_patterns")  # type: ignore[index]
    assert values[1] == Ref("shop.urls.extra_patterns")


def test_each_operand_of_a_boolean_chain_has_its_own_position() -> None:
    facts = facts_of(
        "from django.http import HttpResponse\n"
        "def view(request):\n"
        "    ok = request.user.is_authenticated and request.user.is_staff or request.user.is_superuser\n"
        "    return HttpResponse(ok)\n"
    )
    spans = {r.path.rsplit(".", 1)[-1]: r.span.column for r in facts.references if ".user." in r.path}
    assert spans == {"is_authenticated": 10, "is_staff": 44, "is_superuser": 69}


def test_a_subscripted_base_is_the_generic_class() -> None:
    facts = facts_of('from django.db import models\nclass BookManager(models.Manager["Book"]):\n    pass\n')
    assert facts.classes[0].bases == ["django.db.models.Manager"]


def test_a_computed_setting_is_recorded_as_its_text() -> None:
    facts = facts_of(
        'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nAPPS = list(BASE) + ["x"]\nlower = [i for i in "ab"]\n'
    )
    assert [(a.target, a.value) for a in facts.assignments] == [
        ("app.SECRET_KEY", Opaque('os.environ["SECRET_KEY"]')),
        ("app.APPS", Opaque('list(BASE) + ["x"]')),
    ]


def test_self_in_a_custom_queryset_is_a_query_only_in_django_code() -> None:
    django = facts_of(
        "from django.db import models\n"
        "class BookQuerySet(models.QuerySet):\n"
        "    def available(self):\n"
        "        return self.filter(on_loan=False)\n"
    )
    assert [c.callee for c in django.calls if c.callee.endswith(".filter")] == ["app.BookQuerySet().filter"]
    flask = facts_of(
        "from flask_login import LoginManager\n"
        "class SecurityManager(LoginManager):\n"
        "    def users(self):\n"
        "        return self.session.query(User)\n"
    )
    assert not [c for c in flask.calls if "query" in c.callee]
