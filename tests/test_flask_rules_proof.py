"""Proof with Django and werkzeug themselves: the Flask rules fwlint writes for a Django
URL map match the same URLs and hand the views the same values.

A small Django project (every path converter, a custom converter, re_path groups and
regex features, nested includes and namespaces, i18n_patterns, DRF routers with
actions and format suffixes) is loaded by Django in a subprocess (other tests configure
Django in this process).  Django reports every endpoint's pattern chain and resolves a
list of sample URLs.  Here, each chain goes through ``translate_pattern`` into one
werkzeug ``Map``, whose converters are the generated classes, executed as written.
Every sample URL must then give the same outcome in both (same route, same keyword
values and types; rejected by both), except where the translation says it is not
exact: there the difference must really exist, and the rule must carry the flag.

The linker is proven on the same project: ``build_django_structure`` must list the same
endpoints as Django, in Django's order, with the same names, views and methods.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from fwlint.link.django_names import DJANGO_PUBLIC_NAMES
from fwlint.link.django_urls import DjangoStructure, build_django_structure
from fwlint.translate.flask_rules import (
    CONVERTER_IMPORTS,
    DjangoConverter,
    FlaskRule,
    PatternPart,
    django_display_path,
    translate_pattern,
)

from .conftest import index_of

pytest.importorskip("django")
pytest.importorskip("rest_framework")
werkzeug_routing = pytest.importorskip("werkzeug.routing")
werkzeug_exceptions = pytest.importorskip("werkzeug.exceptions")

PROJECT = {
    "proof_site/__init__.py": "",
    "proof_site/converters.py": """
        class FourDigitYearConverter:
            regex = "[0-9]{4}"

            def to_python(self, value):
                return int(value)

            def to_url(self, value):
                return "%04d" % value


        class EvenNumberConverter:
            regex = "[0-9]+"

            def to_python(self, value):
                number = int(value)
                if number % 2:
                    raise ValueError("odd")
                return number

            def to_url(self, value):
                return str(value)
        """,
    "proof_site/urls.py": """
        from django.conf.urls.i18n import i18n_patterns
        from django.urls import include, path, re_path, register_converter
        from django.views.generic import RedirectView, TemplateView

        from catalog import views as catalog_views
        from proof_site import converters

        register_converter(converters.FourDigitYearConverter, "yyyy")
        register_converter(converters.EvenNumberConverter, "even")

        legacy_patterns = [
            re_path(r"^old/(\\d+)/(\\d+)/$", catalog_views.legacy_pair),
            re_path(r"^feed/?$", catalog_views.feed, name="feed"),
            re_path(r"^items(?:/(?P<page>[0-9]+))?/$", catalog_views.items, name="items"),
            re_path(r"^robots.txt$", catalog_views.robots, name="robots"),
            re_path(r"^prefix/", catalog_views.prefix, name="prefix"),
            re_path(r"anywhere/", catalog_views.anywhere, name="anywhere"),
            re_path(r"(?i)^shout/$", catalog_views.shout, name="shout"),
            re_path(r"^code/(?P<code>(?!admin)[a-z]+)/(?P<n>[0-9]+)/$", catalog_views.code, name="code"),
            re_path(r"^x+/$", catalog_views.repeat, name="repeat"),
            re_path(r"^(?!admin)(?P<page>[a-z]+)/$", catalog_views.page, name="page"),
        ]

        urlpatterns = [
            path("", TemplateView.as_view(template_name="home.html"), name="home"),
            path("catalog/", include("catalog.urls")),
            path("shelf/", include("catalog.urls", namespace="shelf")),
            path("legacy/", include(legacy_patterns)),
            path("go/", RedirectView.as_view(url="/catalog/"), name="go"),
            re_path(
                r"^archive/(?P<year>[0-9]{4})/(?P<month>0[1-9]|1[0-2])/$",
                catalog_views.archive_month,
                name="archive-month",
            ),
            path("years/<yyyy:year>/", catalog_views.archive_year, name="archive-year"),
            path("even/<even:number>/", catalog_views.even, name="even"),
            path("files/<path:file_path>", catalog_views.download, name="download"),
            path("tokens/<uuid:token>/", catalog_views.token, name="token"),
            re_path(r"^kind/(?P<kind>news|blog)/$", catalog_views.kind, name="kind"),
            re_path(r"^tag/(?P<tag>[^/]+)/$", catalog_views.tag, name="tag"),
            path("api/", include("api.urls")),
        ]
        urlpatterns += i18n_patterns(path("about/", catalog_views.about, name="about"))
        """,
    "catalog/__init__.py": "",
    "catalog/views.py": """
        from django.http import HttpResponse
        from django.views.decorators.cache import never_cache
        from django.views.decorators.csrf import csrf_exempt
        from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe
        from django.views.generic import DeleteView, DetailView, FormView, ListView, UpdateView


        def answer(request, *args, **kwargs):
            return HttpResponse("ok")


        @require_safe
        def legacy_pair(request, *args, **kwargs):
            return answer(request)


        @require_GET
        def feed(request, **kwargs):
            return answer(request)


        def items(request, page="1"):
            return answer(request)


        def robots(request):
            return answer(request)


        def prefix(request):
            return answer(request)


        def anywhere(request):
            return answer(request)


        def shout(request):
            return answer(request)


        def code(request, code, n):
            return answer(request)


        def repeat(request):
            return answer(request)


        def page(request, page):
            return answer(request)


        @require_http_methods(["GET", "POST"])
        def archive_month(request, year, month):
            return answer(request)


        def archive_year(request, year):
            return answer(request)


        def even(request, number):
            return answer(request)


        @never_cache
        def download(request, file_path):
            return answer(request)


        @csrf_exempt
        @require_POST
        def token(request, token):
            return answer(request)


        def kind(request, kind):
            return answer(request)


        def tag(request, tag):
            return answer(request)


        def about(request):
            return answer(request)


        @require_GET
        def search(request):
            return answer(request)


        async def recent(request):
            return HttpResponse("recent")


        def author(request, name):
            return answer(request)


        def book_by_slug(request, slug):
            return answer(request)


        def cover(request, isbn):
            return answer(request)


        def review_list(request, book_pk):
            return answer(request)


        @require_http_methods(["GET", "PUT", "DELETE"])
        def review_detail(request, book_pk, review_id):
            return answer(request)


        class BookListView(ListView):
            paginate_by = 20


        class BookDetailView(DetailView):
            pass


        class BookUpdateView(UpdateView):
            fields = ["title"]


        class BookDeleteView(DeleteView):
            success_url = "/catalog/"


        class ContactView(FormView):
            http_method_names = ["get", "post"]
        """,
    "catalog/urls.py": """
        from django.urls import include, path, re_path

        from . import views

        app_name = "catalog"
        urlpatterns = [
            path("", views.BookListView.as_view(), name="book-list"),
            path("books/<int:pk>/", views.BookDetailView.as_view(), name="book-detail"),
            path("books/<int:pk>/edit/", views.BookUpdateView.as_view(), name="book-edit"),
            path("books/<int:pk>/delete/", views.BookDeleteView.as_view(), name="book-delete"),
            path("books/<slug:slug>/", views.book_by_slug, name="book-slug"),
            path("authors/<str:name>/", views.author, name="author"),
            path("search/", views.search, name="search"),
            path("recent/", views.recent, name="recent"),
            path("contact/", views.ContactView.as_view(), name="contact"),
            path("books/<int:book_pk>/reviews/", include("catalog.reviews_urls")),
            re_path(r"^covers/(?P<isbn>[0-9]{9}[0-9X])/$", views.cover, name="cover"),
        ]
        """,
    "catalog/reviews_urls.py": """
        from django.urls import path, re_path

        from . import views

        app_name = "reviews"
        urlpatterns = [
            path("", views.review_list, name="list"),
            re_path(r"^(?P<review_id>[0-9]+)/$", views.review_detail, name="detail"),
        ]
        """,
    "api/__init__.py": "",
    "api/views.py": """
        from rest_framework import mixins, viewsets
        from rest_framework.decorators import action, api_view
        from rest_framework.response import Response
        from rest_framework.views import APIView


        class BookViewSet(viewsets.ModelViewSet):
            @action(detail=True, methods=["post"])
            def borrow(self, request, pk=None):
                return Response({})

            @action(detail=False, url_path="top-rated", url_name="top")
            def top_rated(self, request):
                return Response([])

            @top_rated.mapping.post
            def rate(self, request):
                return Response({})


        class AuthorViewSet(viewsets.ReadOnlyModelViewSet):
            lookup_field = "slug"
            lookup_value_regex = "[-a-z0-9]+"

            @action(detail=True)
            def books(self, request, slug=None):
                return Response([])


        class LoanViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
            lookup_url_kwarg = "loan_id"

            def retrieve(self, request, loan_id=None):
                return Response({})

            @action(detail=True, methods=["post", "delete"], url_path="renew")
            def renew_loan(self, request, loan_id=None):
                return Response({})


        class StatsView(APIView):
            def get(self, request, format=None):
                return Response({})


        @api_view(["GET", "POST"])
        def ping(request, format=None):
            return Response({})
        """,
    "api/urls.py": """
        from django.urls import include, path
        from rest_framework.routers import DefaultRouter, SimpleRouter
        from rest_framework.urlpatterns import format_suffix_patterns

        from . import views

        router = DefaultRouter()
        router.register(r"books", views.BookViewSet, basename="book")
        router.register(r"authors", views.AuthorViewSet, basename="author")

        legacy = SimpleRouter(trailing_slash=False)
        legacy.register(r"loans", views.LoanViewSet, basename="loan")

        app_name = "api"
        urlpatterns = [
            path("", include(router.urls)),
            path("v0/", include(legacy.urls)),
        ]
        urlpatterns += format_suffix_patterns(
            [
                path("stats/", views.StatsView.as_view(), name="stats"),
                path("ping/", views.ping, name="ping"),
            ],
            allowed=["json", "csv"],
        )
        """,
}

# What Django is asked about: the script prints every endpoint and resolves every sample.
DJANGO_SCRIPT = r"""
import asyncio
import inspect
import json
import sys

import django
from django.conf import settings

settings.configure(
    ROOT_URLCONF="proof_site.urls",
    ALLOWED_HOSTS=["*"],
    USE_I18N=True,
    LANGUAGE_CODE="en",
    SECRET_KEY="proof",
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"],
    MIDDLEWARE=[],
    REST_FRAMEWORK={
        "DEFAULT_AUTHENTICATION_CLASSES": [],
        "DEFAULT_PERMISSION_CLASSES": [],
        "UNAUTHENTICATED_USER": None,
    },
)
django.setup()

from asgiref.sync import iscoroutinefunction
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import Resolver404, get_resolver, resolve
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, URLResolver


def part(pattern):
    if isinstance(pattern, LocalePrefixPattern):
        return [str(pattern), False, True]
    return [str(pattern), isinstance(pattern, RegexPattern), False]


def walk(patterns, parts, namespaces):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespaces + ([pattern.namespace] if pattern.namespace else [])
            yield from walk(pattern.url_patterns, parts + [part(pattern.pattern)], inner)
        else:
            yield parts + [part(pattern.pattern)], namespaces, pattern


def fold(methods):
    found = {m.upper() for m in methods} - {"OPTIONS"}
    if "GET" in found:
        found.discard("HEAD")
    return sorted(found)


def view_of(callback):
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is None:
        return callback.__module__ + "." + callback.__qualname__, None
    # api_view() renames its generated class after the function it wraps.
    name = cls.__qualname__ if cls.__qualname__.rsplit(".", 1)[-1] == cls.__name__ else cls.__name__
    return cls.__module__ + "." + name, cls


def methods_of(callback, cls):
    if getattr(callback, "actions", None):
        return fold(callback.actions)
    if cls is not None:
        initkwargs = getattr(callback, "view_initkwargs", None) or getattr(callback, "initkwargs", {})
        names = initkwargs.get("http_method_names", cls.http_method_names)
        return fold(m for m in names if hasattr(cls, m))
    parameters = list(inspect.signature(inspect.unwrap(callback)).parameters.values())[1:]
    arguments = {p.name: "1" for p in parameters if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD}
    allowed = []
    for method in ("DELETE", "GET", "PATCH", "POST", "PUT"):
        request = RequestFactory().generic(method, "/")
        request.user = AnonymousUser()
        response = callback(request, **arguments)
        if iscoroutinefunction(callback):
            response = asyncio.run(response)
        if response.status_code != 405:
            allowed.append(method)
    return allowed


def join(parts):
    route = parts[-1][0]
    for text, _, _ in reversed(parts[:-1]):
        route = URLResolver._join_route(text, route)
    return route


endpoints = []
for parts, namespaces, pattern in walk(get_resolver().url_patterns, [], []):
    view, cls = view_of(pattern.callback)
    endpoints.append(
        {
            "parts": parts,
            "route": join(parts),
            "name": ":".join(namespaces + [pattern.name]) if pattern.name else None,
            "view": view,
            "actions": getattr(pattern.callback, "actions", None),
            "methods": methods_of(pattern.callback, cls),
            "is_async": iscoroutinefunction(pattern.callback) or bool(getattr(cls, "view_is_async", False)),
        }
    )

samples = {}
for url in json.load(sys.stdin):
    try:
        match = resolve(url)
    except Resolver404:
        samples[url] = None
        continue
    samples[url] = {
        "route": match.route,
        "name": match.view_name if match.url_name else None,
        "args": list(match.args),
        "kwargs": {key: [type(value).__name__, str(value)] for key, value in match.kwargs.items()},
    }
print(json.dumps({"endpoints": endpoints, "samples": samples}))
"""

# The custom converters as fwlint would read them with their method bodies.
READ_CONVERTERS = {
    "yyyy": DjangoConverter("yyyy", "FourDigitYearConverter", "[0-9]{4}", "return int(value)", 'return "%04d" % value'),
    "even": DjangoConverter(
        "even",
        "EvenNumberConverter",
        "[0-9]+",
        'number = int(value)\nif number % 2:\n    raise ValueError("odd")\nreturn number',
        "return str(value)",
    ),
}

UUID = "0b9c8d2e-4f1a-4c3b-9e7d-a1b2c3d4e5f6"
# (sample URL, whether Django and werkzeug are expected to disagree on it).
SAMPLES: list[tuple[str, bool]] = [
    ("/", False),
    ("/catalog/", False),
    ("/catalog/books/12/", False),
    ("/catalog/books/12", False),  # werkzeug redirects to the slash (APPEND_SLASH does too)
    ("/catalog/books/12/edit/", False),
    ("/catalog/books/12/delete/", False),
    ("/catalog/books/my-book_2/", False),
    ("/catalog/books/my book/", False),
    ("/catalog/authors/Jane Doe/", False),
    ("/catalog/authors/a/b/", False),
    ("/catalog/search/", False),
    ("/catalog/recent/", False),
    ("/catalog/contact/", False),
    ("/catalog/books/5/reviews/", False),
    ("/catalog/books/5/reviews/12/", False),
    ("/catalog/books/5/reviews/x/", False),
    ("/shelf/books/5/reviews/12/", False),
    ("/shelf/", False),
    ("/shelf/books/3/", False),
    ("/shelf/books/3/edit/", False),
    ("/shelf/books/3/delete/", False),
    ("/shelf/books/a-b/", False),
    ("/shelf/authors/Ann/", False),
    ("/shelf/search/", False),
    ("/shelf/recent/", False),
    ("/shelf/contact/", False),
    ("/shelf/books/3/reviews/", False),
    ("/shelf/covers/123456789X/", False),
    ("/catalog/covers/030640615X/", False),
    ("/catalog/covers/030640615Y/", False),
    ("/go/", False),
    ("/archive/2024/05/", False),
    ("/archive/2024/13/", False),
    ("/archive/24/05/", False),
    ("/years/0999/", False),
    ("/years/99/", False),
    ("/even/4/", False),
    ("/even/3/", False),
    ("/files/guides/intro.txt", False),
    ("/files/", False),
    ("/files//etc/passwd", True),  # Django's path converter takes the leading slash
    (f"/tokens/{UUID}/", False),
    (f"/tokens/{UUID.upper()}/", True),  # werkzeug's uuid also takes upper case
    ("/tokens/not-a-uuid/", False),
    ("/kind/news/", False),
    ("/kind/blog/", False),
    ("/kind/sports/", False),
    ("/tag/a b/", False),
    ("/legacy/old/1/2/", True),  # positional in Django, keyword arguments in Flask
    ("/legacy/feed", False),
    ("/legacy/feed/", False),
    ("/legacy/items/3/", False),
    ("/legacy/items/", True),  # the optional part: werkzeug needs a second rule
    ("/legacy/robots.txt", False),
    ("/legacy/robotsxtxt", True),  # an unescaped "." matches any character in Django
    ("/legacy/prefix/", False),
    ("/legacy/prefix/and/more", True),  # no "$": a prefix match in Django
    ("/legacy/anywhere/", False),
    ("/legacy/somewhere-anywhere/", True),  # no "^": found anywhere by Django
    ("/legacy/shout/", False),
    ("/legacy/SHOUT/", True),  # (?i)
    ("/legacy/code/isbn/7/", False),
    ("/legacy/code/admin/7/", False),  # the lookahead inside a group is kept
    ("/legacy/xxx/", True),  # `x+` cannot be translated; werkzeug finds `page` instead
    ("/legacy/intro/", False),
    ("/legacy/adminpanel/", True),  # the lookahead before a group is dropped
    ("/en/about/", True),  # werkzeug passes the language prefix to the view
    ("/fr/about/", True),  # Django matches the active language only
    ("/api/", False),
    ("/api/.json", False),
    ("/api/books/", False),
    ("/api/books", False),
    ("/api/books.json", False),
    ("/api/books.json/", False),
    ("/api/books/7/", False),
    ("/api/books/7.json", False),
    ("/api/books/7.x.json", False),
    ("/api/books/top-rated/", False),
    ("/api/books/top-rated.json", False),
    ("/api/books/7/borrow/", False),
    ("/api/books/7/borrow.json", False),
    ("/api/books/7/borrow.JSON", False),
    ("/api/authors.json", False),
    ("/api/authors/jane-doe.json", False),
    ("/api/authors/jane-doe/books.json/", False),
    ("/api/authors/", False),
    ("/api/authors/jane-doe/", False),
    ("/api/authors/Jane/", False),
    ("/api/authors/jane-doe/books/", False),
    ("/api/v0/loans", False),
    ("/api/v0/loans/", False),
    ("/api/v0/loans/3", False),
    ("/api/v0/loans/3/renew", False),
    ("/api/stats/", False),
    ("/api/stats.json", False),
    ("/api/stats.csv/", False),
    ("/api/stats.xml", False),
    ("/api/ping/", False),
    ("/api/ping.csv", False),
]


@pytest.fixture(scope="module")
def django_view(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("django_proof")
    for name, text in PROJECT.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-c", DJANGO_SCRIPT],
        input=json.dumps([url for url, _ in SAMPLES]),
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


@pytest.fixture(scope="module")
def structure() -> DjangoStructure:
    return build_django_structure(index_of({n: textwrap.dedent(t).lstrip() for n, t in PROJECT.items()}))


def _parts(endpoint: dict[str, Any]) -> list[PatternPart]:
    return [PatternPart(text, is_regex, is_locale) for text, is_regex, is_locale in endpoint["parts"]]


@pytest.fixture(scope="module")
def translated(django_view: dict[str, Any], structure: DjangoStructure) -> list[FlaskRule]:
    custom = {**structure.converters, **READ_CONVERTERS}
    return [translate_pattern(_parts(endpoint), custom) for endpoint in django_view["endpoints"]]


def _werkzeug_map(rules: list[FlaskRule]) -> Any:
    converters: dict[str, type] = {}
    werkzeug_rules = []
    for index, rule in enumerate(rules):
        if rule.error is not None:
            continue
        for name, source in rule.converters.items():
            namespace: dict[str, Any] = {}
            exec(CONVERTER_IMPORTS + "\n\n" + source, namespace)  # the generated class, as written
            class_name = source.split("(", 1)[0].removeprefix("class ")
            converters[name] = namespace[class_name]
        werkzeug_rules.append(werkzeug_routing.Rule(rule.rule, endpoint=str(index), strict_slashes=rule.strict_slashes))
    return werkzeug_routing.Map(werkzeug_rules, converters=converters)


def _werkzeug_outcome(adapter: Any, url: str) -> tuple[int, dict[str, list[str]]] | None:
    """The rule index and typed values werkzeug gives a URL; None when it rejects or redirects it."""
    try:
        endpoint, values = adapter.match(url, method="GET")
    except (werkzeug_exceptions.NotFound, werkzeug_routing.RequestRedirect):
        return None
    return int(endpoint), {key: [type(value).__name__, str(value)] for key, value in values.items()}


def _django_outcome(django_view: dict[str, Any], url: str) -> tuple[int, dict[str, list[str]]] | None:
    match = django_view["samples"][url]
    if match is None:
        return None
    found = [
        index
        for index, endpoint in enumerate(django_view["endpoints"])
        if endpoint["route"] == match["route"] and endpoint["name"] == match["name"]
    ]
    assert len(found) == 1, (url, match)
    kwargs = dict(match["kwargs"])
    if match["args"]:
        kwargs["*args"] = match["args"]  # werkzeug has no positional values: a difference by itself
    return found[0], kwargs


def test_every_sample_url_gets_the_same_outcome_unless_flagged(
    django_view: dict[str, Any], translated: list[FlaskRule]
) -> None:
    adapter = _werkzeug_map(translated).bind("localhost")
    checked_equal = 0
    for url, divergent in SAMPLES:
        django = _django_outcome(django_view, url)
        werkzeug = _werkzeug_outcome(adapter, url)
        if not divergent:
            assert werkzeug == django, url
            if django is not None:
                assert translated[django[0]].error is None, url
            checked_equal += 1
            continue
        assert werkzeug != django, f"{url}: expected a difference, found none"
        involved = {outcome[0] for outcome in (django, werkzeug) if outcome is not None}
        assert involved, url
        for index in involved:
            assert not translated[index].exact, f"{url}: {translated[index].rule} is not flagged"
            assert translated[index].notes or translated[index].error, url
    assert checked_equal >= 60


def test_every_exact_rule_is_proven_by_a_matching_sample(
    django_view: dict[str, Any], translated: list[FlaskRule]
) -> None:
    adapter = _werkzeug_map(translated).bind("localhost")
    proven = set()
    for url, divergent in SAMPLES:
        outcome = _django_outcome(django_view, url)
        if not divergent and outcome is not None and _werkzeug_outcome(adapter, url) == outcome:
            proven.add(outcome[0])
    unproven = [
        django_view["endpoints"][index]["route"]
        for index, rule in enumerate(translated)
        if rule.exact and index not in proven
    ]
    assert unproven == [], "\n".join(unproven)


def test_display_paths_are_what_django_shows(django_view: dict[str, Any]) -> None:
    for endpoint in django_view["endpoints"]:
        assert django_display_path(_parts(endpoint)) == endpoint["route"]
    resolved = {match["route"] for match in django_view["samples"].values() if match is not None}
    assert resolved <= {endpoint["route"] for endpoint in django_view["endpoints"]}


def test_inexact_rules_are_the_documented_cases(django_view: dict[str, Any], translated: list[FlaskRule]) -> None:
    inexact = {django_view["endpoints"][i]["route"]: rule for i, rule in enumerate(translated) if not rule.exact}
    assert set(inexact) == {
        "legacy/old/(\\d+)/(\\d+)/$",
        "legacy/items(?:/(?P<page>[0-9]+))?/$",
        "legacy/robots.txt$",
        "legacy/prefix/",
        "legacy/anywhere/",
        "legacy/(?i)^shout/$",
        "legacy/x+/$",
        "legacy/(?!admin)(?P<page>[a-z]+)/$",
        "files/<path:file_path>",
        "tokens/<uuid:token>/",
        "en/about/",
    }
    assert inexact["legacy/x+/$"].error is not None
    assert "`/legacy/items/`" in " ".join(inexact["legacy/items(?:/(?P<page>[0-9]+))?/$"].notes)


def _public(name: str) -> str:
    """Django's view class by its public spelling, as fwlint names framework classes."""
    module, _, attribute = name.rpartition(".")
    return f"{DJANGO_PUBLIC_NAMES.get(module, module)}.{attribute}"


def _fwlint_endpoints(structure: DjangoStructure) -> list[tuple[Any, ...]]:
    return [
        (
            site.path.replace("<lang_code>/", "en/"),
            site.name,
            site.view,
            site.actions or None,
            site.methods,
            site.is_async,
        )
        for site in structure.routes
    ]


def test_the_linker_finds_every_django_endpoint_in_order(
    django_view: dict[str, Any], structure: DjangoStructure
) -> None:
    expected = [
        (
            endpoint["route"],
            endpoint["name"],
            _public(endpoint["view"]),
            {m.upper(): a for m, a in endpoint["actions"].items()} if endpoint["actions"] else None,
            endpoint["methods"],
            endpoint["is_async"],
        )
        for endpoint in django_view["endpoints"]
    ]
    assert _fwlint_endpoints(structure) == expected
    assert structure.root_urlconfs == ["proof_site.urls"]
    assert structure.unresolved == []


def test_linker_chains_translate_like_djangos(django_view: dict[str, Any], structure: DjangoStructure) -> None:
    """The chains the linker builds give the same rules as the chains Django reports."""
    custom = {**structure.converters, **READ_CONVERTERS}
    for site, endpoint in zip(structure.routes, django_view["endpoints"], strict=True):
        if any(part.is_locale for part in site.parts):
            continue
        assert site.flask.rule == translate_pattern(_parts(endpoint), custom).rule


def test_generated_converter_classes_behave_like_djangos(translated: list[FlaskRule]) -> None:
    sources = {name: source for rule in translated for name, source in rule.converters.items()}
    namespace: dict[str, Any] = {}
    exec(CONVERTER_IMPORTS + "\n\n" + "\n\n".join(sources.values()), namespace)
    url_map = werkzeug_routing.Map()
    even = namespace["EvenNumberConverter"](url_map)
    assert even.to_python("4") == 4
    with pytest.raises(werkzeug_routing.ValidationError):
        even.to_python("3")
    year = namespace["FourDigitYearConverter"](url_map)
    assert (year.to_python("0999"), year.to_url(999)) == (999, "0999")
    assert year.part_isolating is True
    suffix = namespace["FormatSuffixConverter"](url_map)
    assert (suffix.to_python(".json/"), suffix.part_isolating) == ("json", False)


def test_werkzeug_int_takes_non_ascii_digits_a_documented_leniency() -> None:
    """The one difference ``translate_pattern`` accepts as exact (see the module docstring)."""
    rule = translate_pattern([PatternPart("n/<int:n>/", is_regex=False)])
    assert rule.exact
    adapter = werkzeug_routing.Map([werkzeug_routing.Rule(rule.rule, endpoint="n")]).bind("localhost")
    assert adapter.match("/n/\u0663/") == ("n", {"n": 3})  # ARABIC-INDIC DIGIT THREE; Django's [0-9]+ refuses it
