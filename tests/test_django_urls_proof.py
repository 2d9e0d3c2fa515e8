"""Proof with Django itself: the URL patterns fwlint writes for the fixture match
the same URLs as the Flask app's real URL map and hand the views the same values.

Flask builds a sample URL for every route of the fixture; Django, configured with
a URLconf made by executing fwlint's emitted `path()`/`re_path()`/converter code,
must resolve that URL to the route's name with equal keyword arguments.
"""

from __future__ import annotations

import sys
import types
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from fwlint.report.model import Report

from .conftest import FIXTURES

django = pytest.importorskip("django")
flask = pytest.importorskip("flask")

SAMPLES: dict[str, Any] = {
    "int": 7,
    "float": 2.5,
    "path": "guides/intro.txt",
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "isbn": "0306406152",
}


class _Views:
    """Stands in for the project's views modules in the emitted code."""

    def __getattr__(self, name: str) -> Any:
        def view(*args: Any, **kwargs: Any) -> None:
            return None

        view.as_view = lambda **kw: view  # type: ignore[attr-defined]
        return view


class IsbnConverter:
    """The fixture's werkzeug converter, ported as fwlint's note says (same regex, ValueError)."""

    regex = r"(?:97[89]-?)?\d{1,5}-?\d{1,7}-?\d{1,7}-?[\dXx]"

    def to_python(self, value: str) -> str:
        return value.replace("-", "").upper()

    def to_url(self, value: str) -> str:
        return str(value)


@pytest.fixture(scope="module")
def flask_app() -> Iterator[Any]:
    sys.path.insert(0, str(FIXTURES / "flask_shop"))
    try:
        from shop import create_app  # type: ignore[import-not-found]

        yield create_app("testing")
    finally:
        sys.path.remove(str(FIXTURES / "flask_shop"))
        for name in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def urlconf(shop_report: Report) -> Iterator[types.ModuleType]:
    from django.conf import settings

    if not settings.configured:
        settings.configure(ROOT_URLCONF="fwlint_proof_urls", DEBUG=False, ALLOWED_HOSTS=["*"])
        django.setup()
    from django import urls

    namespace: dict[str, Any] = {
        "path": urls.path,
        "re_path": urls.re_path,
        "register_converter": urls.register_converter,
        "views": _Views(),
        "IsbnConverter": IsbnConverter,
    }
    patterns = []
    for route in shop_report.routes:
        for converter in route.target.get("converters", []):
            cls = converter.split("(", 1)[1].split(",", 1)[0]
            if cls not in namespace:
                suggestion = next(
                    f.suggestion
                    for f in shop_report.findings
                    if f.file == route.file and f.line == route.line and f.rule in ("FD101", "FD102", "FD103")
                )
                exec(suggestion.split(f"register_converter({cls}")[0], namespace)  # the class definitions
            exec(converter, namespace)
        code = route.target["code"].replace('name="', f'name="{route.endpoint}|')
        patterns.append(eval(code, namespace))
    module = types.ModuleType("fwlint_proof_urls")
    module.urlpatterns = patterns  # type: ignore[attr-defined]
    sys.modules["fwlint_proof_urls"] = module
    yield module
    del sys.modules["fwlint_proof_urls"]


def _sample_values(rule: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, conv in rule._converters.items():
        kind = type(conv).__name__
        if kind == "AnyConverter":
            values[name] = sorted(conv.items)[0]
        elif kind == "UnicodeConverter":
            length = conv.regex.split("{", 1)[1].split(",")[0].rstrip("}")
            values[name] = "x" * max(int(length or 1), 2) if "{" in conv.regex else "abc"
            if conv.regex.endswith("{2}"):
                values[name] = "en"
        elif kind == "IntegerConverter":
            values[name] = 3 if conv.max is not None else (-4 if conv.signed else 7)
        elif kind == "FloatConverter":
            values[name] = SAMPLES["float"]
        elif kind == "PathConverter":
            values[name] = SAMPLES["path"]
        elif kind == "UUIDConverter":
            values[name] = SAMPLES["uuid"]
        else:
            values[name] = SAMPLES["isbn"]
    return values


def test_every_flask_url_resolves_in_django_to_the_same_route(
    flask_app: Any, urlconf: types.ModuleType, shop_report: Report
) -> None:
    from django.urls import resolve

    adapter = flask_app.url_map.bind("localhost")
    checked = 0
    endpoints = {r.endpoint for r in shop_report.routes}
    for rule in flask_app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint not in endpoints:
            continue
        values = _sample_values(rule)
        url = adapter.build(rule.endpoint, values, method=sorted(rule.methods - {"HEAD", "OPTIONS"})[0])
        url_path = url.split("?", 1)[0]
        endpoint, flask_kwargs = adapter.match(url_path, method=sorted(rule.methods - {"HEAD", "OPTIONS"})[0])
        match = resolve(url_path)
        assert match.url_name.split("|")[0] == endpoint, url_path
        expected = dict(flask_kwargs)
        if endpoint == "catalog.book_by_isbn" or "isbn" in rule.rule:
            expected = {k: str(v) for k, v in expected.items()}
        assert match.kwargs == expected, url_path
        checked += 1
    assert checked >= 38


def test_emitted_code_parses_and_names_every_endpoint(shop_report: Report) -> None:
    import libcst as cst

    for route in shop_report.routes:
        cst.parse_expression(route.target["code"])
        assert f'name="{route.endpoint.rsplit(".", 1)[-1]}"' in route.target["code"]
