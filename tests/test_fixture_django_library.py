"""Prove ``fixtures/django_library``'s hand-written expected files with Django itself.

The fixture is a real Django 5.2 + REST framework project. One subprocess (run on a
temporary copy, with an in-memory database, so nothing leaks into this process or the
tree) runs ``manage.py check`` and ``makemigrations --check``, walks the URL resolver,
resolves and reverses a sample URL per expected route, reads every model's ``_meta``
and every form's ``base_fields``, and serves a few requests; it writes what it saw as
JSON. The tests compare that with ``expected_routes.json`` and
``expected_inventory.json``, and check every file:line in them against the source.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("django")
pytest.importorskip("rest_framework")

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "django_library"
ROUTES: list[dict[str, Any]] = json.loads((FIXTURE_DIR / "expected_routes.json").read_text(encoding="utf-8"))
INVENTORY: dict[str, Any] = json.loads((FIXTURE_DIR / "expected_inventory.json").read_text(encoding="utf-8"))

ROUTE_KEYS = ["path", "name", "methods", "view", "view_kind", "action", "actions", "is_async", "file", "line"]
ROUTE_KEYS += ["flask_rule"]
ALL_METHODS = ["DELETE", "GET", "PATCH", "POST", "PUT"]
ADMIN_VIEW = "django.contrib.admin.site.urls"

# Sample values a URL is filled with: by converter, then (for str and regex groups) by keyword.
CONVERTER_SAMPLES = {
    "int": "42",
    "slug": "the-hobbit",
    "uuid": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "path": "circulation/renewals",
    "yyyy": "1937",
    "drf_format_suffix": ".json/",
}
KEYWORD_SAMPLES = {
    "username": "alice",
    "token": "eyJ1c2VyIjo0Mn0:1tVx2B:c2lnbmF0dXJl",
    "year": "1937",
    "month": "09",
    "isbn": "026110221X",
    "tag": "dragons",
    "format": "json",
    "slug": "the-hobbit",
    "pk": "42",
    "path": "covers/2020/hobbit.pdf",
}
# What the view receives for each converter (re_path groups always pass str).
CONVERTER_TYPES = {None: "str", "str": "str", "int": "int", "slug": "str", "uuid": "UUID", "path": "str", "yyyy": "int"}
CONVERTER_TYPES["drf_format_suffix"] = "str"

# --------------------------------------------------------------------------
# The probe: runs in a subprocess, inside the fixture project
# --------------------------------------------------------------------------

PROBE = r'''
import inspect
import io
import json
import sys
import warnings

import django
from django.utils import deprecation

# The fixture must not lean on anything Django is about to remove.
for warning_name in dir(deprecation):
    if warning_name.startswith("RemovedInDjango"):
        warnings.simplefilter("error", getattr(deprecation, warning_name))
django.setup()

from asgiref.sync import iscoroutinefunction
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.forms.models import BaseInlineFormSet, BaseModelForm, BaseModelFormSet
from django.urls import NoReverseMatch, Resolver404, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern
from rest_framework.views import APIView

request = json.loads(open(sys.argv[1], encoding="utf-8").read())
PROJECT_APPS = request["apps"]
HANDLERS = ("get", "post", "put", "patch", "delete")
ALL_METHODS = ["DELETE", "GET", "PATCH", "POST", "PUT"]


def identity(obj):
    """The dotted name of the class or (undecorated) function behind ``obj``."""
    if obj is None:
        return None
    view_class = getattr(obj, "cls", None) or getattr(obj, "view_class", None)
    if view_class is not None:
        obj = view_class
    if not inspect.isclass(obj):
        obj = inspect.unwrap(obj)
    qualname = obj.__qualname__
    if "<locals>" in qualname or qualname.rsplit(".", 1)[-1] != obj.__name__:
        # @api_view builds its class with type() and renames it after the function.
        qualname = obj.__name__
    return f"{obj.__module__}.{qualname}"


def import_name(dotted):
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = __import__(".".join(parts[:cut]), fromlist=["_"])
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def view_facts(callback):
    actions = getattr(callback, "actions", None)
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if actions is not None:
        kind = "drf-viewset"
        methods = sorted({m.upper() for m in actions} - {"HEAD", "OPTIONS"})
        actions = {m.upper(): a for m, a in actions.items()}
    elif view_class is not None:
        kind = "drf-view" if issubclass(view_class, APIView) else "class"
        methods = sorted(
            m.upper() for m in HANDLERS if m in view_class.http_method_names and hasattr(view_class, m)
        )
    else:
        kind = "function"
        allowed = None
        layer = callback
        while layer is not None:
            code = getattr(layer, "__code__", None)
            if code is not None and layer.__closure__:
                cells = dict(zip(code.co_freevars, (c.cell_contents for c in layer.__closure__)))
                if "request_method_list" in cells:
                    these = {"GET" if m == "HEAD" else m for m in cells["request_method_list"]}
                    allowed = these if allowed is None else allowed & these
            layer = getattr(layer, "__wrapped__", None)
        methods = sorted(allowed - {"OPTIONS"}) if allowed is not None else ALL_METHODS
    return {
        "view": identity(callback),
        "view_kind": kind,
        "methods": methods,
        "actions": actions,
        "is_async": iscoroutinefunction(callback),
    }


def walk(patterns, texts, parts, namespaces, found):
    for pattern in patterns:
        text = str(pattern.pattern)
        part = [text, isinstance(pattern.pattern, RegexPattern)]
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                found.append({"route": route_of(texts + [text]), "parts": parts + [part], "name": None, "admin": True})
                continue
            inner = namespaces + ([pattern.namespace] if pattern.namespace else [])
            walk(pattern.url_patterns, texts + [text], parts + [part], inner, found)
            continue
        name = ":".join([*namespaces, pattern.name]) if pattern.name else None
        entry = {"route": route_of(texts + [text]), "parts": parts + [part], "name": name, "admin": False}
        entry.update(view_facts(pattern.callback))
        found.append(entry)


def route_of(texts):
    """Compose the levels the way ResolverMatch.route does."""
    route = ""
    for text in reversed(texts):
        route = URLResolver._join_route(text, route)
    return route


def resolve_sample(url):
    try:
        match = resolve("/" + url)
    except Resolver404:
        return {"error": "404"}
    name = ":".join([*match.namespaces, match.url_name]) if match.url_name else None
    result = {
        "route": match.route,
        "name": name,
        "view": identity(match.func),
        "captured": {key: type(value).__name__ for key, value in match.captured_kwargs.items()},
        "reversed": None,
    }
    if name is not None:
        try:
            result["reversed"] = reverse(name, kwargs=match.captured_kwargs)
        except NoReverseMatch as error:
            result["reversed"] = f"NoReverseMatch: {error}"
    return result


def declaring_class(model, field):
    """The abstract ancestor the field is copied from, if any (the most basic one that has it)."""
    for klass in reversed(model.__mro__[1:]):
        meta = getattr(klass, "_meta", None)
        if meta is not None and meta.abstract:
            if field.name in {f.name for f in meta.local_fields + meta.local_many_to_many}:
                return klass
    return None


def field_facts(model, field):
    relation = field.remote_field
    through = None
    if field.many_to_many and not relation.through._meta.auto_created:
        through = identity(relation.through)
    return {
        "name": field.name,
        "class": identity(type(field)),
        "target": identity(field.related_model) if field.is_relation else None,
        "null": field.null,
        "unique": field.unique,
        "max_length": field.max_length,
        # A many-to-many field has no column in the model's own table.
        "column": field.column if field.concrete and not field.many_to_many else None,
        "primary_key": field.primary_key,
        "on_delete": relation.on_delete.__name__ if field.many_to_one or field.one_to_one else None,
        "through": through,
        "auto_created": field.auto_created,
        "inherited_from": identity(declaring_class(model, field)),
    }


def model_facts(model):
    meta = model._meta
    own = sorted(meta.local_fields + meta.local_many_to_many, key=lambda f: f.creation_counter)
    parents = [identity(p) for p in meta.parents] if not meta.proxy else []
    return {
        "qualname": identity(model),
        "name": model.__name__,
        "app_label": meta.app_label,
        "line": inspect.getsourcelines(model)[1],
        "abstract": meta.abstract,
        "proxy": meta.proxy,
        "parent": parents[0] if parents else None,
        "proxy_for": identity(meta.proxy_for_model) if meta.proxy else None,
        "table": None if meta.abstract else meta.db_table,
        "fields": [field_facts(model, f) for f in own],
        "concrete_fields": None if meta.abstract else [f.name for f in meta.concrete_fields],
        "many_to_many": None if meta.abstract else [f.name for f in meta.many_to_many],
    }


def project_models():
    found = {}
    for label in PROJECT_APPS:
        config = apps.get_app_config(label)
        for model in config.get_models():
            found[identity(model)] = model
        module = config.models_module
        for value in vars(module).values() if module else ():
            if inspect.isclass(value) and issubclass(value, models.Model) and value.__module__ == module.__name__:
                found[identity(value)] = value
    return found


def form_field_facts(form_class):
    facts = []
    for name, field in form_class.base_fields.items():
        declared_in = None
        if form_class.declared_fields.get(name) is field:
            for klass in reversed(form_class.__mro__):
                if getattr(klass, "declared_fields", {}).get(name) is field:
                    declared_in = identity(klass)
                    break
        facts.append(
            {
                "name": name,
                "class": identity(type(field)),
                "required": field.required,
                "widget": identity(type(field.widget)),
                "declared_in": declared_in,
            }
        )
    return facts


def forms_and_formsets():
    forms, formsets = {}, {}
    for label in PROJECT_APPS:
        try:
            module = __import__(f"{label}.forms", fromlist=["_"])
        except ImportError:
            continue
        for attr, value in vars(module).items():
            if not inspect.isclass(value):
                continue
            if issubclass(value, BaseForm) and value.__module__ == module.__name__:
                meta = getattr(value, "_meta", None)
                forms[identity(value)] = {
                    "name": value.__name__,
                    "line": inspect.getsourcelines(value)[1],
                    "base": "ModelForm" if issubclass(value, BaseModelForm) else "Form",
                    "model": identity(meta.model) if meta is not None and meta.model is not None else None,
                    "fields": form_field_facts(value),
                }
            elif issubclass(value, BaseFormSet):
                if issubclass(value, BaseInlineFormSet):
                    factory = "inlineformset_factory"
                elif issubclass(value, BaseModelFormSet):
                    factory = "modelformset_factory"
                else:
                    factory = "formset_factory"
                generated = value.form.__module__.startswith("django.forms")
                parent = value.fk.remote_field.model if factory == "inlineformset_factory" else None
                formsets[f"{module.__name__}.{attr}"] = {
                    "factory": factory,
                    "form": None if generated else identity(value.form),
                    "model": identity(getattr(value, "model", None)),
                    "parent_model": identity(parent),
                    "extra": value.extra,
                    "can_delete": value.can_delete,
                    "max_num": value.max_num,
                    "fields": form_field_facts(value.form),
                }
    return forms, formsets


def smoke():
    """Serve a few requests on a migrated in-memory database."""
    from datetime import date, time

    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from accounts.models import User
    from catalog.models import Author, Book, BookCopy, Branch, Genre
    from loans.models import Loan

    setup_test_environment()  # mail goes to a list, not to the console
    call_command("migrate", verbosity=0)
    branch = Branch.objects.create(
        name="Central", code="central", address="1 High Street", opens_at=time(9), closes_at=time(18), is_main=True
    )
    author = Author.objects.create(first_name="J. R. R.", last_name="Tolkien", born=date(1892, 1, 3))
    genre = Genre.objects.create(name="Fantasy", slug="fantasy")
    book = Book.objects.create(
        title="The Hobbit", slug="the-hobbit", isbn="0261102214", author=author, published_on=date(1937, 9, 21),
        metadata={"tags": ["dragons"]}, is_featured=True,
    )
    book.genres.add(genre)
    copy = BookCopy.objects.create(book=book, barcode="HB-001", acquired_on=date(2020, 5, 4))
    member = User.objects.create_user("alice", "alice@example.org", "correct horse battery", card_number="123456789012")
    staff = User.objects.create_superuser("desk", "desk@example.org", "desk-password-123")
    visitor, reader, librarian = Client(), Client(), Client()
    statuses = {}

    def hit(label, client, method, url, **data):
        response = getattr(client, method)(url, data or None)
        statuses[label] = response.status_code

    hit("home", visitor, "get", "/")
    hit("book list", visitor, "get", "/catalog/books/", q="hob")
    hit("book detail", visitor, "get", "/catalog/books/the-hobbit/")
    hit("book by isbn", visitor, "get", "/catalog/isbn/0261102214/")
    hit("books tagged", visitor, "get", "/catalog/tags/dragons/")
    hit("published in", visitor, "get", "/catalog/published/1937/")
    hit("archive", visitor, "get", "/archive/2020/05/")
    hit("async stats", visitor, "get", "/catalog/stats/")
    hit("sitemap", visitor, "get", "/sitemap.xml")
    hit("help", visitor, "get", "/site/help/circulation/renewals")
    hit("api root", visitor, "get", "/api/")
    hit("api books", visitor, "get", "/api/books.json")
    hit("my loans anonymous", visitor, "get", "/loans/")
    hit("logout by GET", visitor, "get", "/accounts/logout/")
    hit("login", reader, "post", "/accounts/login/", username="Alice", password="correct horse battery")
    hit("my loans", reader, "get", "/loans/")
    hit("reserve", reader, "post", "/loans/reserve/the-hobbit/", pickup_branch=str(branch.pk))
    hit("members without permission", reader, "get", "/accounts/members/")
    librarian.force_login(staff)
    hit("checkout", librarian, "post", "/loans/checkout/", card_number="123456789012", barcode="hb-001")
    loan = Loan.objects.get(copy=copy)
    hit("return form", librarian, "get", f"/loans/{loan.pk}/return/")
    hit("return", librarian, "post", f"/loans/{loan.pk}/return/", paid="")
    hit("overdue report", librarian, "get", "/loans/overdue/")
    hit("admin book", librarian, "get", f"/admin/catalog/book/{book.pk}/change/")
    statuses["copy status after return"] = BookCopy.objects.get(pk=copy.pk).status
    statuses["loan due in days"] = (Loan.objects.get(pk=loan.pk).due_on - timezone.localdate()).days
    return statuses


output = {}
buffer = io.StringIO()
try:
    call_command("check", stdout=buffer, stderr=buffer)
    output["check"] = {"ok": True, "output": buffer.getvalue()}
except Exception as error:
    output["check"] = {"ok": False, "output": buffer.getvalue() + str(error)}
buffer = io.StringIO()
try:
    call_command("makemigrations", check=True, dry_run=True, stdout=buffer, stderr=buffer)
    exit_code = 0
except SystemExit as stop:
    exit_code = stop.code
output["makemigrations"] = {"exit": exit_code, "output": buffer.getvalue()}

found = []
walk(get_resolver().url_patterns, [], [], [], found)
output["patterns"] = found
output["samples"] = {url: resolve_sample(url) for url in request["urls"]}
names = {}
for dotted in request["names"]:
    try:
        names[dotted] = identity(import_name(dotted))
    except (ImportError, AttributeError) as error:
        names[dotted] = f"unimportable: {error}"
output["names"] = names
output["models"] = {qualname: model_facts(model) for qualname, model in project_models().items()}
output["forms"], output["formsets"] = forms_and_formsets()
output["smoke"] = smoke()
with open(sys.argv[2], "w", encoding="utf-8") as result:
    json.dump(output, result)
'''


def _dotted_names() -> set[str]:
    """Every dotted name the expected files refer to, for the probe to resolve to an identity."""
    names = {e["view"] for e in ROUTES if e["view"] != ADMIN_VIEW}
    for model in INVENTORY["models"]:
        names.add(model["qualname"])
        names.update(v for v in (model["parent"], model["proxy_for"]) if v)
        for field in model["fields"]:
            names.update(v for v in (field["class"], field["target"], field["through"], field["inherited_from"]) if v)
    for form in [*INVENTORY["forms"], *INVENTORY["formsets"]]:
        names.update(form[key] for key in ("qualname", "model", "form", "parent_model") if form.get(key))
        for field in form["fields"]:
            names.update(v for v in (field["class"], field["widget"], field["declared_in"]) if v)
    return names


@pytest.fixture(scope="module")
def django_facts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run the probe once on a throwaway copy of the fixture and return what Django reported."""
    work = tmp_path_factory.mktemp("django_library")
    project = work / "django_library"
    shutil.copytree(
        FIXTURE_DIR, project, ignore=shutil.ignore_patterns("__pycache__", ".fwlint_cache", "*.sqlite3", "media")
    )
    request = {
        "apps": ["accounts", "catalog", "loans", "api"],
        "urls": [sample_url(e["path"]) for e in ROUTES],
        "names": sorted(_dotted_names()),
    }
    request_file = work / "request.json"
    request_file.write_text(json.dumps(request), encoding="utf-8")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "library_site.settings.dev",
        "LIBRARY_DATABASE": ":memory:",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": str(project),
    }
    result_file = work / "result.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(request_file), str(result_file)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    facts: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
    return facts


# --------------------------------------------------------------------------
# Helpers that read Django patterns (shared by the URL and werkzeug checks)
# --------------------------------------------------------------------------

_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


def _group_end(text: str, start: int) -> int:
    """Index just past the ``)`` closing the group that opens at ``start``."""
    depth = 0
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unbalanced group in {text!r}")


def _regex_pieces(text: str, optional_slash: bool = False) -> Iterator[tuple[str, str, str]]:
    """Split regex text into ("literal", char, "") and ("group", name, regex) pieces; anchors dropped.
    With ``optional_slash``, an optional trailing ``/?`` is kept as "/" (werkzeug's
    ``strict_slashes=False`` then matches both forms); any other optional ``X?`` is dropped with its
    character (the slashless form is the sample URL)."""
    i = 0
    text = text.removeprefix("^").removesuffix("$")
    while i < len(text):
        if text.startswith("(?P<", i):
            end = _group_end(text, i)
            name, _, regex = text[i + 4 : end - 1].partition(">")
            yield ("group", name, regex)
            i = end
        elif text[i] == "\\":
            yield ("literal", text[i + 1], "")
            i += 2
        elif optional_slash and text[i : i + 2] == "/?" and i + 2 == len(text):
            yield ("literal", "/", "")
            i += 2
        elif i + 1 < len(text) and text[i + 1] == "?":
            i += 2
        else:
            assert text[i] not in "()[]{}*+|.^$", f"regex feature outside a group in {text!r}"
            yield ("literal", text[i], "")
            i += 1


def _converter_sample(converter: str | None, name: str) -> str:
    if converter in (None, "str"):
        return KEYWORD_SAMPLES[name]
    return CONVERTER_SAMPLES[converter]


def sample_url(path: str) -> str:
    """A URL the composed Django pattern matches (without the leading slash)."""
    out: list[str] = []
    i = 0
    while i < len(path):
        converter = _CONVERTER.match(path, i)
        if converter:
            out.append(_converter_sample(converter["converter"], converter["name"]))
            i = converter.end()
            continue
        if path.startswith("(?P<", i) or path[i] in "\\^$" or path.startswith("/?", i):
            # From here on the text is regex (Django drops an inner ``^``; a leading one stays).
            for kind, value, regex in _regex_pieces(path[i:]):
                if kind == "literal":
                    out.append(value)
                else:
                    sample = KEYWORD_SAMPLES[value]
                    assert re.fullmatch(regex, sample), (path, value, sample)
                    out.append(sample)
            break
        out.append(path[i])
        i += 1
    return "".join(out)


def _werkzeug_converter(match: re.Match[str]) -> str:
    """``<str:x>``/``<x>`` → ``<x>``; every other converter keeps its name (registered on the Flask side)."""
    if match["converter"] in (None, "str"):
        return f"<{match['name']}>"
    return f"<{match['converter']}:{match['name']}>"


def flask_rule(parts: list[tuple[str, bool]]) -> str:
    """The werkzeug rule for a chain of pattern levels, by the conventions in the fixture's README."""
    out: list[str] = []
    for text, is_regex in parts:
        if not is_regex:
            out.append(_CONVERTER.sub(_werkzeug_converter, text))
            continue
        for kind, value, regex in _regex_pieces(text, optional_slash=True):
            if kind == "literal":
                out.append(value)
            elif regex == "[^/]+":
                out.append(f"<{value}>")
            else:
                out.append(f'<regex("{regex}"):{value}>')
    return "/" + "".join(out)


def _route_parts(facts: dict[str, Any]) -> dict[str, list[tuple[str, bool]]]:
    return {p["route"]: [(text, is_regex) for text, is_regex in p["parts"]] for p in facts["patterns"]}


# --------------------------------------------------------------------------
# The project is healthy
# --------------------------------------------------------------------------


def test_manage_py_check_is_clean(django_facts: dict[str, Any]) -> None:
    assert django_facts["check"] == {"ok": True, "output": "System check identified no issues (0 silenced).\n"}


def test_migrations_are_up_to_date(django_facts: dict[str, Any]) -> None:
    assert django_facts["makemigrations"] == {"exit": 0, "output": "No changes detected\n"}


def test_the_site_serves_requests(django_facts: dict[str, Any]) -> None:
    assert django_facts["smoke"] == {
        "home": 200,
        "book list": 200,
        "book detail": 200,
        "book by isbn": 302,
        "books tagged": 200,
        "published in": 200,
        "archive": 200,
        "async stats": 200,
        "sitemap": 200,
        "help": 200,
        "api root": 200,
        "api books": 200,
        "my loans anonymous": 302,
        "logout by GET": 405,
        "login": 302,
        "my loans": 200,
        "reserve": 302,
        "members without permission": 403,
        "checkout": 302,
        "return form": 200,
        "return": 302,
        "overdue report": 200,
        "admin book": 200,
        "copy status after return": "available",
        "loan due in days": 21,
    }


# --------------------------------------------------------------------------
# expected_routes.json
# --------------------------------------------------------------------------


def test_route_table_shape() -> None:
    assert ROUTES
    for entry in ROUTES:
        assert list(entry) == ROUTE_KEYS, entry
        assert entry["methods"] == sorted(entry["methods"]) and set(entry["methods"]) <= set(ALL_METHODS), entry
        assert isinstance(entry["line"], int) and entry["line"] >= 1
        assert (entry["view_kind"] == "drf-viewset") == (entry["actions"] is not None) == (entry["action"] is not None)
    keys = [(e["file"], e["line"], e["path"]) for e in ROUTES]
    assert keys == sorted(keys), "the table is sorted by (file, line, path)"
    assert len({e["path"] for e in ROUTES}) == len(ROUTES), "one entry per pattern"


def test_route_table_matches_the_resolver(django_facts: dict[str, Any]) -> None:
    """Every pattern Django resolves is in the table (admin/ as one include), with the same facts."""
    walked = {p["route"]: p for p in django_facts["patterns"]}
    expected = {e["path"]: e for e in ROUTES}
    assert sorted(set(walked) - set(expected)) == [], "patterns missing from expected_routes.json"
    assert sorted(set(expected) - set(walked)) == [], "entries Django does not have"
    names = django_facts["names"]
    for path, entry in expected.items():
        actual = walked[path]
        assert actual["name"] == entry["name"], path
        if actual["admin"]:
            assert (entry["view"], entry["view_kind"]) == (ADMIN_VIEW, "include-admin")
            continue
        assert actual["view"] == names[entry["view"]], path
        assert entry["view"].rsplit(".", 1)[-1] == actual["view"].rsplit(".", 1)[-1], path
        got = {k: actual[k] for k in ("view_kind", "methods", "actions", "is_async")}
        assert got == {k: entry[k] for k in got}, path
        if entry["actions"] is not None:
            actions = entry["actions"]
            assert entry["action"] == actions.get("GET", next(iter(actions.values()))), path


@pytest.mark.parametrize("entry", ROUTES, ids=lambda e: e["path"] or "(root)")
def test_sample_url_resolves_and_reverses(django_facts: dict[str, Any], entry: dict[str, Any]) -> None:
    url = sample_url(entry["path"])
    match = django_facts["samples"][url]
    assert match.get("error") is None, url
    if entry["view"] == ADMIN_VIEW:
        # The include's sample URL lands on the admin index, inside the admin's own namespace.
        assert (match["route"], match["name"]) == (entry["path"], "admin:index")
        return
    assert match["route"] == entry["path"]
    assert match["name"] == entry["name"]
    assert match["view"] == django_facts["names"][entry["view"]]
    if entry["name"] is not None:
        assert match["reversed"] == "/" + url
    # Path converters hand the view typed values; re_path groups are always strings.
    converters = {m["name"]: m["converter"] for m in _CONVERTER.finditer(entry["path"])}
    for keyword, type_name in match["captured"].items():
        assert type_name == CONVERTER_TYPES[converters.get(keyword, "str")], (keyword, type_name)


def _declaring_calls(rel_path: str) -> dict[int, tuple[str, ast.Call]]:
    """line -> (callee name, call) for the calls that declare URL patterns."""
    source = (FIXTURE_DIR / rel_path).read_text(encoding="utf-8")
    calls = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in {"path", "re_path", "register", "static", "DefaultRouter"}:
                calls[node.lineno] = (name, node)
    return calls


@pytest.mark.parametrize("entry", ROUTES, ids=lambda e: f"{e['file']}:{e['line']}:{e['path']}")
def test_file_and_line_hold_the_declaration(entry: dict[str, Any]) -> None:
    found = _declaring_calls(entry["file"]).get(entry["line"])
    assert found is not None, "no path()/re_path()/router.register()/static() call on that line"
    name, call = found
    first = call.args[0].value if call.args and isinstance(call.args[0], ast.Constant) else None
    if name in {"path", "re_path"}:
        assert isinstance(first, str) and entry["path"].endswith(first.removeprefix("^"))
    elif name == "register":
        assert entry["view_kind"] == "drf-viewset"
        assert isinstance(first, str) and entry["path"].startswith(f"api/{first}")
        assert entry["view"].rsplit(".", 1)[-1] == ast.unparse(call.args[1]).rsplit(".", 1)[-1]
    elif name == "DefaultRouter":
        assert entry["view"] == "rest_framework.routers.APIRootView"
    else:
        assert entry["path"].startswith("^media/")


@pytest.mark.parametrize("entry", ROUTES, ids=lambda e: e["path"] or "(root)")
def test_flask_rule_follows_the_conventions(django_facts: dict[str, Any], entry: dict[str, Any]) -> None:
    assert entry["flask_rule"] == flask_rule(_route_parts(django_facts)[entry["path"]])


def test_flask_rules_match_the_sample_urls_in_werkzeug() -> None:
    """Each flask_rule is a valid werkzeug rule that matches its pattern's sample URL, and no other rule wins."""
    pytest.importorskip("werkzeug")
    from werkzeug.routing import BaseConverter, Map, Rule

    class SlugConverter(BaseConverter):
        regex = r"[-a-zA-Z0-9_]+"

    class YearConverter(BaseConverter):
        regex = r"[0-9]{4}"

    class FormatSuffixConverter(BaseConverter):
        regex = r"\.[a-z0-9]+/?"
        part_isolating = False

    class RegexConverter(BaseConverter):
        part_isolating = False

        def __init__(self, url_map: Map, regex: str) -> None:
            super().__init__(url_map)
            self.regex = regex

    converters = {"slug": SlugConverter, "yyyy": YearConverter, "regex": RegexConverter}
    converters["drf_format_suffix"] = FormatSuffixConverter
    rules = [
        Rule(e["flask_rule"], endpoint=i, strict_slashes=not e["path"].endswith("/?$")) for i, e in enumerate(ROUTES)
    ]
    url_map = Map(rules, converters=converters)
    adapter = url_map.bind("library.test")
    for i, entry in enumerate(ROUTES):
        endpoint, _ = adapter.match("/" + sample_url(entry["path"]))
        assert endpoint == i, (entry["flask_rule"], ROUTES[endpoint]["flask_rule"])


# --------------------------------------------------------------------------
# expected_inventory.json: models
# --------------------------------------------------------------------------

MODEL_KEYS = ["name", "qualname", "app_label", "file", "line", "abstract", "proxy", "parent", "proxy_for", "table"]
FIELD_KEYS = ["name", "line", "class", "target", "null", "unique", "max_length", "column", "primary_key"]
FIELD_KEYS += ["on_delete", "through", "auto_created", "inherited_from"]


def test_inventory_lists_every_model(django_facts: dict[str, Any]) -> None:
    expected = Counter(django_facts["names"][m["qualname"]] for m in INVENTORY["models"])
    assert expected == Counter(list(django_facts["models"]))


@pytest.mark.parametrize("model", INVENTORY["models"], ids=lambda m: m["qualname"])
def test_model_matches_django_meta(django_facts: dict[str, Any], model: dict[str, Any]) -> None:
    names = django_facts["names"]
    assert list(model) == [*MODEL_KEYS, "fields"]
    actual = django_facts["models"][names[model["qualname"]]]
    for key in ("name", "app_label", "line", "abstract", "proxy", "table"):
        assert actual[key] == model[key], key
    for key in ("parent", "proxy_for"):
        assert actual[key] == (names[model[key]] if model[key] else None), key
    expected_fields = []
    for field in model["fields"]:
        assert list(field) == FIELD_KEYS, field
        resolved = {k: field[k] for k in FIELD_KEYS if k != "line"}
        for key in ("class", "target", "through", "inherited_from"):
            resolved[key] = names[field[key]] if field[key] else None
        expected_fields.append(resolved)
    assert actual["fields"] == expected_fields
    if model["abstract"]:
        return
    # Concrete fields: the parent's (multi-table inheritance) or the proxied model's, then the model's own.
    by_qualname = {m["qualname"]: m for m in INVENTORY["models"]}
    base = by_qualname.get(model["parent"] or model["proxy_for"] or "")
    inherited = [f["name"] for f in base["fields"] if f["column"]] if base else []
    own = [f["name"] for f in model["fields"] if f["column"]]
    assert actual["concrete_fields"] == ([*inherited, *own] if not model["proxy"] else inherited)
    m2m = "django.db.models.ManyToManyField"
    many = [f["name"] for f in (base["fields"] if base else []) if f["class"] == m2m]
    many += [] if model["proxy"] else [f["name"] for f in model["fields"] if f["class"] == m2m]
    assert actual["many_to_many"] == many


@pytest.mark.parametrize("model", INVENTORY["models"], ids=lambda m: m["qualname"])
def test_model_lines_hold_the_declarations(model: dict[str, Any]) -> None:
    lines = (FIXTURE_DIR / model["file"]).read_text(encoding="utf-8").splitlines()
    assert re.match(rf"class {model['name']}\b", lines[model["line"] - 1])
    by_qualname = {m["qualname"]: m for m in INVENTORY["models"]}
    for field in model["fields"]:
        owner = by_qualname.get(field["inherited_from"] or model["qualname"])
        if field["line"] is None:
            # Only Django's own declarations and the fields Django adds have no line here.
            assert field["auto_created"] or owner is None, field
            continue
        assert owner is not None
        owner_lines = (FIXTURE_DIR / owner["file"]).read_text(encoding="utf-8").splitlines()
        assert re.match(rf"\s+{field['name']} = models\.\w+\(", owner_lines[field["line"] - 1]), field


# --------------------------------------------------------------------------
# expected_inventory.json: forms and formsets
# --------------------------------------------------------------------------

FORM_KEYS = ["name", "qualname", "file", "line", "base", "model", "fields"]
FORM_FIELD_KEYS = ["name", "line", "class", "required", "widget", "declared_in"]
FORMSET_KEYS = ["name", "qualname", "file", "line", "factory", "form", "model", "parent_model", "extra", "can_delete"]
FORMSET_KEYS += ["max_num", "fields"]


def _resolved_fields(fields: list[dict[str, Any]], names: dict[str, str], rel_path: str) -> list[dict[str, Any]]:
    """The fields with dotted names resolved for comparison with the probe; lines checked on the way."""
    lines = (FIXTURE_DIR / rel_path).read_text(encoding="utf-8").splitlines()
    resolved = []
    for field in fields:
        assert list(field) == FORM_FIELD_KEYS, field
        if field["line"] is not None:
            # Declared in this file's form class: the line holds the declaration.
            assert field["declared_in"] is not None and field["declared_in"].startswith(rel_path[:-3].replace("/", "."))
            assert re.match(rf"\s+{field['name']} = forms\.\w+\(", lines[field["line"] - 1]), field
        item = {k: v for k, v in field.items() if k != "line"}
        for key in ("class", "widget", "declared_in"):
            item[key] = names[field[key]] if field[key] else None
        resolved.append(item)
    return resolved


def test_inventory_lists_every_form_and_formset(django_facts: dict[str, Any]) -> None:
    names = django_facts["names"]
    assert sorted(names[f["qualname"]] for f in INVENTORY["forms"]) == sorted(django_facts["forms"])
    assert sorted(f["qualname"] for f in INVENTORY["formsets"]) == sorted(django_facts["formsets"])


@pytest.mark.parametrize("form", INVENTORY["forms"], ids=lambda f: f["qualname"])
def test_form_matches_django_base_fields(django_facts: dict[str, Any], form: dict[str, Any]) -> None:
    names = django_facts["names"]
    assert list(form) == FORM_KEYS
    actual = django_facts["forms"][names[form["qualname"]]]
    assert (actual["name"], actual["line"], actual["base"]) == (form["name"], form["line"], form["base"])
    assert actual["model"] == (names[form["model"]] if form["model"] else None)
    assert actual["fields"] == _resolved_fields(form["fields"], names, form["file"])
    line = (FIXTURE_DIR / form["file"]).read_text(encoding="utf-8").splitlines()[form["line"] - 1]
    assert line.startswith(f"class {form['name']}(")


@pytest.mark.parametrize("formset", INVENTORY["formsets"], ids=lambda f: f["qualname"])
def test_formset_matches_django(django_facts: dict[str, Any], formset: dict[str, Any]) -> None:
    names = django_facts["names"]
    assert list(formset) == FORMSET_KEYS
    actual = django_facts["formsets"][formset["qualname"]]
    for key in ("factory", "extra", "can_delete", "max_num"):
        assert actual[key] == formset[key], key
    for key in ("form", "model", "parent_model"):
        assert actual[key] == (names[formset[key]] if formset[key] else None), key
    assert actual["fields"] == _resolved_fields(formset["fields"], names, formset["file"])
    line = (FIXTURE_DIR / formset["file"]).read_text(encoding="utf-8").splitlines()[formset["line"] - 1]
    assert line.startswith(f"{formset['name']} = forms.{formset['factory']}(")


# --------------------------------------------------------------------------
# expected_inventory.json: auth sites (checked against the source)
# --------------------------------------------------------------------------


def _python_files() -> list[str]:
    return sorted(
        p.relative_to(FIXTURE_DIR).as_posix()
        for p in FIXTURE_DIR.rglob("*.py")
        if "migrations" not in p.parts and "__pycache__" not in p.parts
    )


def _auth_uses(rel_path: str) -> set[tuple[int, str]]:
    """(line, API) for every reference to a name imported from django.contrib.auth (imports excluded)."""
    tree = ast.parse((FIXTURE_DIR / rel_path).read_text(encoding="utf-8"))
    imported = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.contrib.auth"):
            for alias in node.names:
                imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return {
        (node.lineno, imported[node.id])
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in imported
    }


def test_auth_sites_are_complete_and_on_their_lines() -> None:
    entries = INVENTORY["auth"]
    assert all(list(e) == ["file", "line", "api"] for e in entries)
    keys = [(e["file"], e["line"], e["api"]) for e in entries]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    for entry in entries:
        line = (FIXTURE_DIR / entry["file"]).read_text(encoding="utf-8").splitlines()[entry["line"] - 1]
        assert re.search(rf"\b{entry['api'].rsplit('.', 1)[-1]}\b", line), entry
    found = {(path, line, api) for path in _python_files() for line, api in _auth_uses(path)}
    assert set(keys) == found


# --------------------------------------------------------------------------
# expected_inventory.json: query sites (checked against the source)
# --------------------------------------------------------------------------

QUERY_KINDS = {"manager", "related", "queryset", "shortcut", "transaction", "connection"}


def _chains(rel_path: str) -> dict[int, list[ast.expr]]:
    """The outermost attribute/call/subscript chains of a file, by line."""
    tree = ast.parse((FIXTURE_DIR / rel_path).read_text(encoding="utf-8"))
    inner: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Subscript):
            inner.add(id(node.value))
        elif isinstance(node, ast.Call):
            inner.add(id(node.func))
    chains: dict[int, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Call | ast.Subscript) and id(node) not in inner:
            chains.setdefault(node.lineno, []).append(node)
    return chains


def _links(node: ast.expr) -> list[ast.expr]:
    links = [node]
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
        links.append(node)
    return links


def _root_kind(node: ast.expr) -> str | None:
    """The kind the checks can decide from the code alone (managers, shortcuts, transactions, connections)."""
    links = _links(node)
    if any(isinstance(link, ast.Attribute) and link.attr == "objects" for link in links):
        return "manager"
    root = links[-1]
    if isinstance(root, ast.Name) and root.id in {"get_object_or_404", "get_list_or_404"} and len(links) == 2:
        return "shortcut"
    text = ast.unparse(node)
    if text == "transaction.atomic" or text.startswith("transaction.atomic("):
        return "transaction"
    if text == "connection.cursor()":
        return "connection"
    return None


def test_query_sites_are_on_their_lines() -> None:
    entries = INVENTORY["queries"]
    assert all(list(e) == ["file", "line", "kind", "code"] for e in entries)
    keys = [(e["file"], e["line"], e["code"]) for e in entries]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    for entry in entries:
        assert entry["kind"] in QUERY_KINDS and "\n" not in entry["code"], entry
        expected = ast.dump(ast.parse(entry["code"], mode="eval").body)
        chains = _chains(entry["file"]).get(entry["line"], [])
        matching = [chain for chain in chains if ast.dump(chain) == expected]
        assert matching, f"{entry['file']}:{entry['line']} holds no chain {entry['code']!r}"
        decided = _root_kind(matching[0])
        assert decided == entry["kind"] or (decided is None and entry["kind"] in {"related", "queryset"}), entry


def test_every_manager_shortcut_and_transaction_site_is_listed() -> None:
    listed = {(e["file"], e["line"], e["code"]) for e in INVENTORY["queries"]}
    missing = []
    for path in _python_files():
        for line, chains in _chains(path).items():
            for chain in chains:
                if _root_kind(chain) is None:
                    continue
                dump = ast.dump(chain)
                if not any(
                    (f, n) == (path, line) and ast.dump(ast.parse(c, mode="eval").body) == dump for f, n, c in listed
                ):
                    missing.append(f"{path}:{line}: {ast.unparse(chain)}")
    assert missing == []
