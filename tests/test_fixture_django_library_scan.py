"""fwlint on the Django fixture, compared with its hand-written expected routes and inventory
(``fixtures/django_library/expected_*.json``, proven against Django by test_fixture_django_library)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from .conftest import FIXTURES, scan_dir, scan_source, validated_json

LIBRARY = FIXTURES / "django_library"
EXPECTED_ROUTES: list[dict[str, Any]] = json.loads((LIBRARY / "expected_routes.json").read_text())
INVENTORY: dict[str, Any] = json.loads((LIBRARY / "expected_inventory.json").read_text())


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return validated_json(scan_dir(LIBRARY))


def test_the_direction_is_detected(report: dict[str, Any]) -> None:
    assert report["project"]["source_framework"] == "django"
    assert report["project"]["target_framework"] == "flask"
    assert report["errors"] == []


def test_every_url_is_found_once(report: dict[str, Any]) -> None:
    found = Counter((r["file"], r["line"], r["path"]) for r in report["inventory"]["routes"])
    expected = Counter((e["file"], e["line"], e["path"]) for e in EXPECTED_ROUTES)
    assert found == expected


ROUTE_IDS = [f"{e['file']}:{e['line']}:{e['path']}" for e in EXPECTED_ROUTES]


@pytest.mark.parametrize("entry", EXPECTED_ROUTES, ids=ROUTE_IDS)
def test_each_route_matches_the_expected_one(report: dict[str, Any], entry: dict[str, Any]) -> None:
    route = next(
        r
        for r in report["inventory"]["routes"]
        if (r["file"], r["line"], r["path"]) == (entry["file"], entry["line"], entry["path"])
    )
    assert route["methods"] == entry["methods"]
    assert route["target"]["path"] == entry["flask_rule"]
    assert route["is_async"] == entry["is_async"]
    handler = entry["view"] + (f".{entry['action']}" if entry["action"] else "")
    if entry["view_kind"] != "include-admin":
        assert route["handler"] == handler
    if entry["name"]:
        assert route["endpoint"] == entry["name"]


MODELS = INVENTORY["models"]


@pytest.mark.parametrize("expected", MODELS, ids=[m["qualname"] for m in MODELS])
def test_each_model_has_every_field_with_its_sqlalchemy_code(report: dict[str, Any], expected: dict[str, Any]) -> None:
    model = next(m for m in report["inventory"]["models"] if m["qualname"] == expected["qualname"])
    assert (model["file"], model["line"], model["table"]) == (expected["file"], expected["line"], expected["table"])
    assert sorted(f["name"] for f in model["fields"]) == sorted(f["name"] for f in expected["fields"])
    by_name = {f["name"]: f for f in model["fields"]}
    for field in expected["fields"]:
        found = by_name[field["name"]]
        assert found["target"] is not None and found["target"]["code"], field["name"]
        if field["line"] is not None and field["inherited_from"] is None:
            assert found["line"] == field["line"], field["name"]
        if field["target"] is not None:
            # A relation names its target model, in the inventory and in the SQLAlchemy code.
            target = field["target"].rsplit(".", 1)[-1]
            assert found["kind"] == "relationship" and target in found["type"], field["name"]
    assert f"class {expected['name']}(" in model["target"]["code"]


def test_no_other_model_is_reported(report: dict[str, Any]) -> None:
    assert sorted(m["qualname"] for m in report["inventory"]["models"]) == sorted(m["qualname"] for m in MODELS)


@pytest.mark.parametrize("expected", INVENTORY["auth"], ids=[f"{a['file']}:{a['line']}" for a in INVENTORY["auth"]])
def test_each_auth_site_is_reported(report: dict[str, Any], expected: dict[str, Any]) -> None:
    at_line = [a for a in report["inventory"]["auth"] if (a["file"], a["line"]) == (expected["file"], expected["line"])]
    assert any(a["source_api"].startswith(expected["api"]) for a in at_line), at_line


def _beyond_static_reach(site: dict[str, Any]) -> bool:
    """Query sites whose receiver no static analysis of names can tie to a model: related managers
    on instances (``book.copies.filter``), ``super()`` calls, querysets passed in as parameters
    (admin actions), and chains that start with the project's own QuerySet methods."""
    code = site["code"]
    return site["kind"] == "related" or code.startswith(
        ("super()", "self.filter_queryset", "queryset.", "self.active()")
    )


QUERIES = [q for q in INVENTORY["queries"] if not _beyond_static_reach(q)]


def _compact(code: str) -> str:
    """Code without whitespace or trailing commas, as the inventory writes it on one line."""
    text = "".join(code.split())
    for closing in ")]}":
        text = text.replace("," + closing, closing)
    return text


def test_every_query_site_is_found_and_nothing_else(report: dict[str, Any]) -> None:
    found = {(q["file"], q["line"]) for q in report["inventory"]["queries"]}
    assert found == {(q["file"], q["line"]) for q in QUERIES}
    # What cannot be found is the documented remainder, not a silent loss: 21 of 140 sites.
    assert len(INVENTORY["queries"]) - len(QUERIES) == 21


@pytest.mark.parametrize("expected", QUERIES, ids=[f"{q['file']}:{q['line']}" for q in QUERIES])
def test_each_query_site_has_its_sqlalchemy_code(report: dict[str, Any], expected: dict[str, Any]) -> None:
    at_line = [
        q for q in report["inventory"]["queries"] if (q["file"], q["line"]) == (expected["file"], expected["line"])
    ]
    # One site per chain (a queryset passed to get_object_or_404() is part of that site's code);
    # a subscript after the chain (``[:5]``, ``[0]``) is not part of the call.
    written = _compact(expected["code"])
    site = next(q for q in at_line if _compact(q["code"]) in written or written in _compact(q["code"]))
    if site["target"] is not None:
        compile(site["target"]["code"], "<query>", "exec")


def test_the_suggested_flask_rules_build_a_werkzeug_map_that_routes_every_url(report: dict[str, Any]) -> None:
    """fwlint's own rules and converter classes, as a Flask app would register them: every URL the
    fixture's Django project resolves (a sample per pattern) reaches the route fwlint derived from it."""
    from werkzeug.routing import BaseConverter, Map, Rule, ValidationError

    from .test_fixture_django_library import sample_url

    routes = report["inventory"]["routes"]
    converters: dict[str, type[BaseConverter]] = {}
    for route in routes:
        for name, source in route["target"]["converter_code"].items():
            namespace: dict[str, Any] = {"BaseConverter": BaseConverter, "ValidationError": ValidationError}
            exec(source, namespace)
            converters[name] = next(
                v
                for v in namespace.values()
                if isinstance(v, type) and issubclass(v, BaseConverter) and v is not BaseConverter
            )
    rules = [
        Rule(r["target"]["path"], endpoint=i, strict_slashes=r["target"].get("strict_slashes", True))
        for i, r in enumerate(routes)
    ]
    adapter = Map(rules, converters=converters).bind("library.test")
    for route in routes:
        endpoint, _ = adapter.match("/" + sample_url(route["path"]), method=route["methods"][0])
        assert routes[endpoint]["path"] == route["path"], route["path"]


def test_the_settings_in_use_and_what_they_declare(report: dict[str, Any]) -> None:
    structure = report["inventory"]["project_structure"]
    assert structure["settings_module"] == "library_site.settings.dev"  # manage.py's DJANGO_SETTINGS_MODULE
    assert structure["named_by"] == "manage.py"
    assert structure["settings_modules"] == ["library_site.settings.base", "library_site.settings.dev"]
    assert structure["root_urlconf"] == "library_site.urls"
    assert structure["auth_user_model"] == "accounts.User"
    assert structure["databases"] == {"default": "django.db.backends.sqlite3"}
    base, dev = "library_site/settings/base.py", "library_site/settings/dev.py"
    apps = [(e["name"], e["kind"], e["file"], e["line"]) for e in structure["installed_apps"]]
    contrib = ["admin", "auth", "contenttypes", "sessions", "messages", "staticfiles", "sitemaps"]
    assert apps == [
        *[(f"django.contrib.{name}", "django", base, 13 + i) for i, name in enumerate(contrib)],
        ("rest_framework", "django", base, 20),
        ("rest_framework.authtoken", "django", base, 21),
        ("accounts.apps.AccountsConfig", "project", base, 22),
        ("catalog.apps.CatalogConfig", "project", base, 23),
        ("loans.apps.LoansConfig", "project", base, 24),
        ("api.apps.ApiConfig", "project", base, 25),
        ("django.contrib.humanize", "django", dev, 8),  # INSTALLED_APPS += [...] in dev.py
    ]
    middleware = [(e["name"], e["kind"], e["file"], e["line"]) for e in structure["middleware"]]
    assert middleware[-1] == ("library_site.middleware.RequestTimingMiddleware", "project", dev, 9)
    assert [m[3] for m in middleware[:-1]] == list(range(29, 36))


def test_each_installed_app_and_middleware_has_its_flask_answer(report: dict[str, Any]) -> None:
    structure = report["inventory"]["project_structure"]
    by_place = {(f["file"], f["line"]): f for f in report["findings"] if f["source_api"].startswith("settings.")}
    rules = {}
    for entry in structure["installed_apps"] + structure["middleware"]:
        finding = by_place[(entry["file"], entry["line"])]
        assert finding["rule"] != "DF000", entry
        rules[entry["name"]] = finding["rule"]
    assert rules["django.contrib.admin"] == "DF944"  # Flask-Admin
    assert rules["catalog.apps.CatalogConfig"] == "DF942"  # a blueprint
    assert rules["django.middleware.csrf.CsrfViewMiddleware"] == "DF960"  # Flask-WTF CSRFProtect
    assert rules["library_site.middleware.RequestTimingMiddleware"] == "DF965"  # before/after_request


def test_units_are_django_apps_even_when_one_package_holds_them(tmp_path: Path) -> None:
    """``shop`` is installed as one app, yet ``shop/orders`` declares an AppConfig: it is a unit of its own."""
    report = scan_source(
        tmp_path,
        {
            "settings.py": 'INSTALLED_APPS = ["django.contrib.auth", "shop"]\nROOT_URLCONF = "shop.urls"\n',
            "shop/__init__.py": "",
            "shop/views.py": "from django.http import HttpResponse\n\ndef home(request):\n    return HttpResponse()\n",
            "shop/orders/__init__.py": "",
            "shop/orders/apps.py": "from django.apps import AppConfig\n\nclass OrdersConfig(AppConfig):\n    pass\n",
            "shop/orders/views.py": "from django.http import Http404\n\ndef orders(request):\n    raise Http404\n",
        },
    )
    units = {f.file: f.unit for f in report.findings}
    assert units["shop/views.py"] == "shop"
    assert units["shop/orders/views.py"] == "shop.orders"
