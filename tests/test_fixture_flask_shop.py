"""Prove ``fixtures/flask_shop/expected_routes.json`` against real Flask.

The expected route table is written by hand and is what fwlint's route
extraction is compared against. This test builds the fixture app with Flask
and checks that the table matches ``app.url_map``, that every handler
resolves to the view Flask dispatches to, that each file/line really holds
the decorator or ``add_url_rule`` call, and that the Django patterns follow
the conversion rules.
"""

import ast
import importlib
import importlib.util
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

pytest.importorskip("flask")
pytest.importorskip("flask_sqlalchemy")
pytest.importorskip("flask_login")
pytest.importorskip("flask_wtf")

from werkzeug.routing.rules import _part_re, parse_converter_args

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "flask_shop"
EXPECTED = json.loads((FIXTURE_DIR / "expected_routes.json").read_text(encoding="utf-8"))

KEYS = ["methods", "path", "endpoint", "handler", "file", "line", "django_path"]
AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}
ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}
ENV_VARS = ("SHOP_CONFIG", "SHOP_SETTINGS", "DATABASE_URL")


def _purge_shop_modules():
    for name in list(sys.modules):
        if name == "shop" or name.startswith("shop.") or name == "flask_shop_wsgi":
            del sys.modules[name]


@pytest.fixture(scope="module")
def shop_path():
    """Put the fixture on ``sys.path`` and clean up ``shop*`` modules afterwards."""
    _purge_shop_modules()
    with pytest.MonkeyPatch.context() as mp:
        for var in ENV_VARS:
            mp.delenv(var, raising=False)
        mp.syspath_prepend(str(FIXTURE_DIR))
        try:
            yield FIXTURE_DIR
        finally:
            _purge_shop_modules()


@pytest.fixture(scope="module")
def app(shop_path):
    shop = importlib.import_module("shop")
    return shop.create_app("testing")


def _flask_rules(app):
    return [
        rule for rule in app.url_map.iter_rules() if rule.endpoint != "static" and not rule.endpoint.endswith(".static")
    ]


def _resolve(dotted):
    """Import the longest importable module prefix, then getattr the rest."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


# --------------------------------------------------------------------------
# Shape of the table
# --------------------------------------------------------------------------


def test_table_shape_and_order():
    assert EXPECTED, "expected_routes.json is empty"
    for entry in EXPECTED:
        assert list(entry) == KEYS, entry
        assert entry["methods"] == sorted(entry["methods"]), entry
        assert all(m == m.upper() and m not in AUTOMATIC_METHODS for m in entry["methods"])
        assert isinstance(entry["line"], int) and entry["line"] >= 1
        assert "\\" not in entry["file"]
    keys = [(e["file"], e["line"], e["methods"]) for e in EXPECTED]
    assert keys == sorted(keys), "table must be sorted by (file, line, methods)"
    assert len(set(map(repr, keys))) == len(keys), "duplicate (file, line, methods)"


# --------------------------------------------------------------------------
# Against Flask's url_map
# --------------------------------------------------------------------------


def test_route_table_matches_url_map(app):
    actual = Counter(
        (rule.rule, rule.endpoint, frozenset(rule.methods - AUTOMATIC_METHODS)) for rule in _flask_rules(app)
    )

    # MethodView routes are listed once per method at the same file/line;
    # fold them back into one rule.
    grouped = defaultdict(set)
    for entry in EXPECTED:
        grouped[(entry["file"], entry["line"], entry["path"], entry["endpoint"])].update(entry["methods"])
    expected = Counter(
        (path, endpoint, frozenset(methods)) for (_file, _line, path, endpoint), methods in grouped.items()
    )

    missing = expected - actual
    unexpected = actual - expected
    assert not missing and not unexpected, (
        f"in table but not in Flask: {sorted(missing)}\nin Flask but not in table: {sorted(unexpected)}"
    )


@pytest.mark.parametrize("entry", EXPECTED, ids=lambda e: f"{e['endpoint']}:{e['methods']}")
def test_handler_resolves_to_view(app, entry):
    view_func = app.view_functions[entry["endpoint"]]
    handler = entry["handler"]

    if "<locals>" in handler:
        # A view defined inside the factory: only its qualified name is checkable.
        target = f"{view_func.__module__}.{view_func.__qualname__}"
        assert target == handler
        return

    resolved = _resolve(handler)
    view_class = getattr(view_func, "view_class", None)
    if view_class is None:
        assert resolved is view_func, f"{handler} is not the view behind {entry['endpoint']}"
        return

    class_path, _, method_name = handler.rpartition(".")
    assert _resolve(class_path) is view_class
    assert resolved is getattr(view_class, method_name)

    from flask.views import MethodView

    if issubclass(view_class, MethodView):
        assert entry["methods"] == [method_name.upper()]
    else:
        assert method_name == "dispatch_request"
        assert set(entry["methods"]) == set(view_class.methods) - AUTOMATIC_METHODS


# --------------------------------------------------------------------------
# Source locations
# --------------------------------------------------------------------------


def _first_str_arg(call):
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _source_index(rel_path):
    """Map line -> (kind, rule literal, target name) for route registrations."""
    source = (FIXTURE_DIR / rel_path).read_text(encoding="utf-8")
    tree = ast.parse(source)
    index = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for dec in node.decorator_list:
                if (
                    isinstance(dec, ast.Call)
                    and isinstance(dec.func, ast.Attribute)
                    and dec.func.attr in ROUTE_DECORATORS
                ):
                    index[dec.lineno] = ("decorator", _first_str_arg(dec), node.name)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_url_rule":
            view = next((kw.value for kw in node.keywords if kw.arg == "view_func"), None)
            if view is None and len(node.args) >= 3:
                view = node.args[2]
            index[node.lineno] = ("add_url_rule", _first_str_arg(node), ast.unparse(view))
    return source.splitlines(), index


@pytest.mark.parametrize("entry", EXPECTED, ids=lambda e: f"{e['file']}:{e['line']}")
def test_file_and_line_hold_the_registration(entry):
    lines, index = _source_index(entry["file"])
    text = lines[entry["line"] - 1]
    assert entry["line"] in index, f"no route decorator/add_url_rule at line: {text!r}"
    kind, literal, target = index[entry["line"]]

    assert literal is not None
    assert literal in text, "the rule string must be on the reported line"
    assert entry["path"].endswith(literal), (entry["path"], literal)

    if kind == "decorator":
        assert "add_url_rule" not in text
        assert entry["handler"].rsplit(".", 1)[-1] == target
    else:
        assert "add_url_rule(" in text
        # ``BookAPI.as_view("books")`` for class views, ``ping`` for functions.
        handler_parts = entry["handler"].split(".")
        name = handler_parts[-1] if target.isidentifier() else handler_parts[-2]
        assert re.match(rf"{re.escape(name)}\b", target), (target, entry["handler"])


# --------------------------------------------------------------------------
# Django patterns (independent re-derivation of the stated rules)
# --------------------------------------------------------------------------

REGEX_GROUPS = {
    "default": "[^/]+",
    "string": "[^/]+",
    "int": "[0-9]+",
    "path": ".+",
    "uuid": "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
}
PLAIN = {"default": "str", "string": "str", "int": "int", "path": "path", "uuid": "uuid"}
BUILTIN = {"default", "string", "int", "float", "path", "uuid", "any"}


def _parts(rule):
    pos = 0
    while pos < len(rule):
        m = _part_re.match(rule, pos)
        assert m is not None, rule
        if m.group("slash") or m.group("static"):
            yield ("static", m.group(0), None, None)
        else:
            conv = m.group("converter") or "default"
            args, kwargs = parse_converter_args(m.group("arguments") or "")
            # keep argument order as written in the source
            order = re.findall(r"(\w+)\s*=", m.group("arguments") or "")
            yield ("var", m.group("variable"), conv, (args, kwargs, order))
        pos = m.end()


def _django_path(app, path):
    parts = list(_parts(path))
    convs = [p for p in parts if p[0] == "var"]
    werkzeug_rule = next(r for r in app.url_map.iter_rules() if r.rule == path)

    def has_args(p):
        return bool(p[3][0] or p[3][1])

    uses_path_converters = any(c[2] == "float" or (c[2] == "int" and has_args(c)) or c[2] not in BUILTIN for c in convs)
    uses_re_path = any(c[2] == "any" or (c[2] in ("string", "default") and has_args(c)) for c in convs)
    # re_path would pass every value as a str: next to an int/uuid, registered converters keep the types.
    if uses_re_path and any(c[2] in ("int", "uuid") for c in convs):
        uses_path_converters = True

    if uses_path_converters or not uses_re_path:
        out = []
        for kind, value, conv, extra in parts:
            if kind == "static":
                out.append(value)
            elif conv == "float" or conv not in BUILTIN:
                out.append(f"<{conv}:{value}>")
            elif has_args((kind, value, conv, extra)):
                args, kwargs, order = extra
                bits = [re.sub(r"\W+", "", str(a)) for a in args]
                bits += [k if kwargs[k] is True else f"{k}{kwargs[k]}" for k in order]
                out.append(f"<{conv}_{'_'.join(bits)}:{value}>")
            else:
                out.append(f"<{PLAIN[conv]}:{value}>")
        return "".join(out)[1:]

    out = []
    for kind, value, conv, extra in parts:
        if kind == "static":
            out.append(re.escape(value))
        elif conv == "any":
            out.append(f"(?P<{value}>{'|'.join(re.escape(x) for x in extra[0])})")
        elif conv in ("string", "default") and has_args((kind, value, conv, extra)):
            out.append(f"(?P<{value}>{werkzeug_rule._converters[value].regex})")
        else:
            out.append(f"(?P<{value}>{REGEX_GROUPS[conv]})")
    return "^" + "".join(out)[1:] + "$"


@pytest.mark.parametrize("entry", EXPECTED, ids=lambda e: f"{e['endpoint']}:{e['methods']}")
def test_django_path_follows_rules(app, entry):
    assert entry["django_path"] == _django_path(app, entry["path"])
    if entry["django_path"].startswith("^"):
        re.compile(entry["django_path"])


# --------------------------------------------------------------------------
# The fixture is a real, working Flask app
# --------------------------------------------------------------------------


def test_app_serves_requests(app):
    from shop.extensions import db
    from shop.seed import seed_database

    with app.app_context():
        db.create_all()
        seed_database(book_count=8)
        isbn = db.session.scalars(db.select(db.metadata.tables["books"].c.isbn)).first()

    client = app.test_client()
    assert client.get("/healthz").get_json()["database"] == "ok"
    assert client.get("/catalog/books/").status_code == 200
    assert client.get("/catalog/books/page/2").status_code == 200
    assert client.get("/catalog/authors").status_code == 200  # strict_slashes=False
    assert client.get("/catalog/authors/italo-calvino").status_code == 200
    assert client.get("/pages/privacy?ref=footer").status_code == 200
    assert client.get("/lists/staff-picks/page/1").status_code == 200
    assert client.get("/catalog/rated/6").status_code == 404  # int(max=5)
    assert client.get(f"/catalog/isbn/{isbn}").status_code == 301
    assert client.get(f"/catalog/isbn/{isbn[:-1]}{(int(isbn[-1]) + 1) % 10}").status_code == 404
    assert client.get("/catalog/feed/-2").get_json()["offset"] == -2
    assert client.get("/api/v1/books?limit=3").get_json()["next"] == 3
    assert client.get("/api/v1/stats").get_json()["books"] == 8
    assert client.get("/nowhere").status_code == 404
    assert client.get("/admin/").status_code == 302  # anonymous -> login


def test_wsgi_module_builds_app(shop_path):
    spec = importlib.util.spec_from_file_location("flask_shop_wsgi", shop_path / "wsgi.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    assert module.app.name == "shop"
    assert "catalog.by_isbn" in module.app.view_functions
