"""The route map of the fixture app, checked against its hand-written table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fwlint.report.model import Report

from .conftest import FIXTURES, scan_source, validated_json

EXPECTED = json.loads((FIXTURES / "flask_shop" / "expected_routes.json").read_text())


def _key(entry: dict[str, object]) -> str:
    return json.dumps(entry, sort_keys=True)


def test_every_route_matches_the_hand_written_table(shop_report: Report) -> None:
    found = [
        {
            "methods": r.methods,
            "path": r.path,
            "endpoint": r.endpoint,
            "handler": r.handler,
            "file": r.file,
            "line": r.line,
            "django_path": r.target["path"],
        }
        for r in shop_report.routes
    ]
    assert sorted(map(_key, found)) == sorted(map(_key, EXPECTED))


def test_route_json_validates_and_carries_django_code(shop_report: Report) -> None:
    data = validated_json(shop_report)
    routes = {(r["path"], tuple(r["methods"])): r for r in data["inventory"]["routes"]}
    detail = routes[("/catalog/books/<int:book_id>", ("GET",))]
    assert detail["target"]["code"] == 'path("catalog/books/<int:book_id>", views.book_detail, name="book_detail")'
    assert detail["target"]["name"] == "catalog:book_detail"
    stars = next(r for r in data["inventory"]["routes"] if "stars" in r["path"])
    assert stars["target"]["converters"] == ['register_converter(IntMin1Max5Converter, "int_min1_max5")']
    api = routes[("/api/v1/books", ("GET",))]
    assert api["target"]["code"] == 'path("api/v1/books", views.BookAPI.as_view(), name="books")'


def test_defaults_become_path_kwargs(shop_report: Report) -> None:
    first_page = next(r for r in shop_report.routes if r.path == "/catalog/books/")
    assert first_page.target["code"] == 'path("catalog/books/", views.book_list, {\'page\': 1}, name="book_list")'


def test_route_findings_carry_the_django_line_and_method_guard(shop_report: Report) -> None:
    route_findings = [f for f in shop_report.findings if f.rule in ("FD101", "FD102", "FD103")]
    declaration_lines = {(r.file, r.line) for r in shop_report.routes}
    assert {(f.file, f.line) for f in route_findings} == declaration_lines
    edit = next(f for f in route_findings if f.file == "shop/catalog/views.py" and "edit" in f.message)
    assert 'path("catalog/books/<int:book_id>/edit", views.edit_book, name="edit_book")' in edit.suggestion
    assert '@require_http_methods(["GET", "POST"])' in edit.suggestion


def test_registrations_become_includes(shop_report: Report) -> None:
    includes = {
        f.line: f.suggestion for f in shop_report.findings if f.rule == "FD105" and f.file == "shop/__init__.py"
    }
    assert includes[55] == 'path("catalog/", include("shop.catalog.urls"))'
    assert includes[54] == 'path("", include("shop.main.urls"))'
    assert includes[56] == 'path("account/", include("shop.auth.urls"))'


def test_async_and_strict_slashes_are_called_out(shop_report: Report) -> None:
    rules = {f.rule for f in shop_report.findings}
    assert "FD204" in rules
    assert "FD110" in rules


FACTORY_APP = {
    "proj/__init__.py": """
from flask import Flask as F

def create_app():
    app = F(__name__)
    from .views import bp
    app.register_blueprint(bp, url_prefix="/v")
    return app
""",
    "proj/views.py": """
import flask

bp = flask.Blueprint("views", __name__)

@bp.route("/items/<int:item_id>")
def item(item_id):
    return flask.jsonify(id=item_id)
""",
    "wsgi.py": """
from proj import create_app
application = create_app()

@application.route("/health")
def health():
    return "ok"
""",
}


def test_names_resolve_through_aliases_factories_and_modules(tmp_path: Path) -> None:
    report = scan_source(tmp_path, FACTORY_APP)
    paths = {(r.path, r.endpoint, r.handler) for r in report.routes}
    assert paths == {
        ("/v/items/<int:item_id>", "views.item", "proj.views.item"),
        ("/health", "health", "wsgi.health"),
    }
    jsonify = [f for f in report.findings if f.source_api == "flask.jsonify"]
    assert [(f.file, f.line) for f in jsonify] == [("proj/views.py", 8)]


@pytest.mark.parametrize(
    ("decorator", "methods"),
    [
        ('@app.route("/x")', ["GET"]),
        ('@app.route("/x", methods=["post", "GET"])', ["GET", "POST"]),
        ('@app.get("/x")', ["GET"]),
        ('@app.delete("/x")', ["DELETE"]),
    ],
)
def test_methods(tmp_path: Path, decorator: str, methods: list[str]) -> None:
    source = f"from flask import Flask\napp = Flask(__name__)\n\n{decorator}\ndef view():\n    return ''\n"
    report = scan_source(tmp_path, {"app.py": source})
    assert [r.methods for r in report.routes] == [methods]


def test_subdomain_route_is_a_blocker(tmp_path: Path) -> None:
    source = (
        "from flask import Flask\napp = Flask(__name__)\n\n"
        '@app.route("/", subdomain="api")\ndef index():\n    return ""\n'
    )
    report = scan_source(tmp_path, {"app.py": source})
    blockers = [f for f in report.blockers if f.rule == "FD109"]
    assert len(blockers) == 1 and blockers[0].line == 4


def test_suppression_comment(tmp_path: Path) -> None:
    source = (
        "from flask import Flask\napp = Flask(__name__)\n\n"
        '@app.route("/a")  # fwlint: ignore[FD101]\ndef a():\n    return ""\n\n'
        '@app.route("/b")  # fwlint: ignore\ndef b():\n    return ""\n\n'
        '@app.route("/c")  # fwlint: ignore[FD999]\ndef c():\n    return ""\n'
    )
    report = scan_source(tmp_path, {"app.py": source})
    assert [f.line for f in report.findings if f.rule == "FD101"] == [12]
    assert len(report.routes) == 3  # suppression hides findings, not inventory


HELPER_APP = {
    "forum/__init__.py": "",
    "forum/helpers.py": """
def register_view(bp_or_app, routes, view_func, *args, **kwargs):
    for route in routes:
        bp_or_app.add_url_rule(route, view_func=view_func, *args, **kwargs)
""",
    "forum/views.py": """
from flask import Blueprint
from flask.views import MethodView
from .helpers import register_view

forum = Blueprint("forum", __name__)


class ViewTopic(MethodView):
    def get(self, topic_id, slug=None):
        return ""


register_view(
    forum,
    routes=["/topic/<int:topic_id>", "/topic/<int:topic_id>-<slug>"],
    view_func=ViewTopic.as_view("view_topic"),
)


def load_blueprints(app):
    app.register_blueprint(forum, url_prefix=app.config["FORUM_URL_PREFIX"])
""",
}


def test_routes_registered_through_a_project_helper(tmp_path: Path) -> None:
    report = scan_source(tmp_path, HELPER_APP)
    assert sorted((r.path, r.endpoint, r.handler, r.line) for r in report.routes) == [
        ("{FORUM_URL_PREFIX}/topic/<int:topic_id>", "forum.view_topic", "forum.views.ViewTopic.get", 14),
        ("{FORUM_URL_PREFIX}/topic/<int:topic_id>-<slug>", "forum.view_topic", "forum.views.ViewTopic.get", 14),
    ]
    findings = [f for f in report.findings if f.rule == "FD103"]
    assert [(f.file, f.line) for f in findings] == [("forum/views.py", 14)]
    assert 'path("{FORUM_URL_PREFIX}/topic/<int:topic_id>", views.ViewTopic.as_view(), name="view_topic")' in (
        findings[0].suggestion
    )
