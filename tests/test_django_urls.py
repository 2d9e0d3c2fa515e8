"""The Django URL map rebuilt from facts: include chains, namespaces, DRF routers and
actions, what each view accepts, and what cannot be followed."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from fwlint.facts import Value
from fwlint.link.django_urls import DjangoRouteSite, DjangoStructure, build_django_structure
from fwlint.link.django_views import FRAMEWORK_HANDLERS, FRAMEWORK_METHOD_NAMES, VIEWSET_ACTIONS, view_methods

from .conftest import index_of


def structure_of(
    files: dict[str, str], root_urlconf: str | None = None, settings: dict[str, Value] | None = None
) -> DjangoStructure:
    index = index_of({n: textwrap.dedent(t).lstrip() for n, t in files.items()})
    return build_django_structure(index, root_urlconf, settings)


def by_path(structure: DjangoStructure) -> dict[str, DjangoRouteSite]:
    return {route.path: route for route in structure.routes}


VIEWS = """
    from django.http import HttpResponse


    def index(request):
        return HttpResponse("index")


    def detail(request, pk):
        return HttpResponse("detail")


    def report(request):
        return HttpResponse("report")
    """


def test_include_chain_composes_prefixes_namespaces_and_lines() -> None:
    structure = structure_of(
        {
            "shop/urls.py": """
                from django.urls import include, path

                urlpatterns = [
                    path("catalog/", include("catalog.urls")),
                    path("store/", include("catalog.urls", namespace="store")),
                ]
                """,
            "catalog/views.py": VIEWS,
            "catalog/urls.py": """
                from django.urls import include, path

                from . import views

                app_name = "catalog"
                urlpatterns = [
                    path("", views.index, name="index"),
                    path("reviews/", include("catalog.review_urls")),
                ]
                """,
            "catalog/review_urls.py": """
                from django.urls import path, re_path

                from . import views

                app_name = "reviews"
                urlpatterns = [
                    re_path(r"^(?P<pk>[0-9]+)/$", views.detail, name="detail"),
                ]
                """,
        }
    )
    assert structure.root_urlconfs == ["shop.urls"]
    routes = by_path(structure)
    assert list(routes) == [
        "catalog/",
        "catalog/reviews/(?P<pk>[0-9]+)/$",
        "store/",
        "store/reviews/(?P<pk>[0-9]+)/$",
    ]
    nested = routes["catalog/reviews/(?P<pk>[0-9]+)/$"]
    assert (nested.name, nested.namespace, nested.blueprint, nested.endpoint) == (
        "catalog:reviews:detail",
        "catalog:reviews",
        "catalog.reviews",
        "catalog.reviews.detail",
    )
    assert nested.flask.rule == '/catalog/reviews/<regex("[0-9]+"):pk>/'
    # The local endpoint is the function's name: Flask's default, so no endpoint= is written.
    assert nested.code == (
        '@reviews.route(\'/catalog/reviews/<regex("[0-9]+"):pk>/\', methods=["DELETE", "GET", "PATCH", "POST", "PUT"])'
    )
    assert (nested.file, nested.span.line) == ("catalog/review_urls.py", 7)
    assert routes["store/"].name == "store:index"
    assert routes["store/"].endpoint == "store.index"
    assert (routes["store/"].view, routes["store/"].view_kind) == ("catalog.views.index", "function")
    assert structure.by_call[("catalog/urls.py", 7, 5)] == [routes["catalog/"], routes["store/"]]
    assert structure.unresolved == []


def test_list_variables_tuples_and_inline_lists() -> None:
    structure = structure_of(
        {
            "site_a/urls.py": """
                from django.urls import include, path

                from catalog import views
                from catalog.extra import more_patterns

                extra_patterns = [
                    path("reports/", views.report, name="reports"),
                ]

                urlpatterns = [
                    path("extra/", include(extra_patterns)),
                    path("more/", include(more_patterns)),
                    path("named/", include((extra_patterns, "extras"), namespace="ex")),
                    path("inline/", include([
                        path("", views.index, name="inline-index"),
                        path("<int:pk>/", views.detail, name="inline-detail"),
                    ])),
                ]
                urlpatterns += [path("late/", views.index)]
                """,
            "catalog/views.py": VIEWS,
            "catalog/extra.py": """
                from django.urls import path

                from . import views

                more_patterns = [path("<int:pk>/", views.detail, name="more-detail")]
                """,
        }
    )
    routes = by_path(structure)
    assert [(r.path, r.name, r.file, r.span.line) for r in structure.routes] == [
        ("extra/reports/", "reports", "site_a/urls.py", 7),
        ("more/<int:pk>/", "more-detail", "catalog/extra.py", 5),
        ("named/reports/", "ex:reports", "site_a/urls.py", 7),
        ("inline/", "inline-index", "site_a/urls.py", 15),
        ("inline/<int:pk>/", "inline-detail", "site_a/urls.py", 16),
        ("late/", None, "site_a/urls.py", 19),
    ]
    assert routes["late/"].endpoint == "index"  # unnamed: the view's own name
    assert routes["named/reports/"].code == (
        '@ex.route("/named/reports/", endpoint="reports", methods=["DELETE", "GET", "PATCH", "POST", "PUT"])'
    )
    assert structure.root_urlconfs == ["site_a.urls"]


ROUTER_VIEWS = """
    from rest_framework import mixins, viewsets
    from rest_framework.decorators import action

    from catalog.models import Book


    class BookViewSet(viewsets.ModelViewSet):
        queryset = Book.objects.select_related("author").all()

        @action(detail=True, methods=["post"])
        def borrow(self, request, pk=None):
            pass

        @action(detail=False, url_path="top-rated", url_name="top")
        def top_rated(self, request):
            pass

        @top_rated.mapping.post
        def rate(self, request):
            pass


    class AuthorViewSet(viewsets.ReadOnlyModelViewSet):
        lookup_field = "slug"
        lookup_value_regex = "[-a-z0-9]+"


    class LoanViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
        lookup_url_kwarg = "loan_id"

        async def retrieve(self, request, loan_id=None):
            pass

        @action(["post", "delete"], True, "renew")
        def renew_loan(self, request, loan_id=None):
            pass
    """


def test_routers_expand_like_drf() -> None:
    structure = structure_of(
        {
            "api/views.py": ROUTER_VIEWS,
            "api/urls.py": """
                from django.urls import include, path
                from rest_framework import routers

                from . import views

                router = routers.DefaultRouter()
                router.register(r"books", views.BookViewSet)
                router.register(r"authors", views.AuthorViewSet, basename="author")

                plain = routers.SimpleRouter(trailing_slash=False)
                plain.register("loans", views.LoanViewSet, "loan")

                app_name = "api"  # ignored: this module is the root URLconf, nothing includes it
                urlpatterns = [path("v1/", include(router.urls))]
                urlpatterns += plain.urls
                """,
        }
    )
    found = [(r.path, r.name, r.action, r.methods, r.file, r.span.line) for r in structure.routes]
    assert found == [
        ("v1/books/$", "book-list", "list", ["GET", "POST"], "api/urls.py", 7),
        ("v1/books\\.(?P<format>[a-z0-9]+)/?$", "book-list", "list", ["GET", "POST"], "api/urls.py", 7),
        ("v1/books/top-rated/$", "book-top", "top_rated", ["GET", "POST"], "api/urls.py", 7),
        ("v1/books/top-rated\\.(?P<format>[a-z0-9]+)/?$", "book-top", "top_rated", ["GET", "POST"], "api/urls.py", 7),
        ("v1/books/(?P<pk>[^/.]+)/$", "book-detail", "retrieve", ["DELETE", "GET", "PATCH", "PUT"], "api/urls.py", 7),
        (
            "v1/books/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$",
            "book-detail",
            "retrieve",
            ["DELETE", "GET", "PATCH", "PUT"],
            "api/urls.py",
            7,
        ),
        ("v1/books/(?P<pk>[^/.]+)/borrow/$", "book-borrow", "borrow", ["POST"], "api/urls.py", 7),
        (
            "v1/books/(?P<pk>[^/.]+)/borrow\\.(?P<format>[a-z0-9]+)/?$",
            "book-borrow",
            "borrow",
            ["POST"],
            "api/urls.py",
            7,
        ),
        ("v1/authors/$", "author-list", "list", ["GET"], "api/urls.py", 8),
        ("v1/authors\\.(?P<format>[a-z0-9]+)/?$", "author-list", "list", ["GET"], "api/urls.py", 8),
        ("v1/authors/(?P<slug>[-a-z0-9]+)/$", "author-detail", "retrieve", ["GET"], "api/urls.py", 8),
        (
            "v1/authors/(?P<slug>[-a-z0-9]+)\\.(?P<format>[a-z0-9]+)/?$",
            "author-detail",
            "retrieve",
            ["GET"],
            "api/urls.py",
            8,
        ),
        ("v1/", "api-root", None, ["GET"], "api/urls.py", 6),
        ("v1/<drf_format_suffix:format>", "api-root", None, ["GET"], "api/urls.py", 6),
        ("^loans$", "loan-list", "list", ["GET"], "api/urls.py", 11),
        ("^loans/(?P<loan_id>[^/.]+)$", "loan-detail", "retrieve", ["GET"], "api/urls.py", 11),
        ("^loans/(?P<loan_id>[^/.]+)/renew$", "loan-renew-loan", "renew_loan", ["DELETE", "POST"], "api/urls.py", 11),
    ]
    routes = by_path(structure)
    top = routes["v1/books/top-rated/$"]
    assert top.actions == {"GET": "top_rated", "POST": "rate"}
    assert (top.view, top.view_kind) == ("api.views.BookViewSet", "drf-viewset")
    assert top.code == (
        'app.add_url_rule("/v1/books/top-rated/", view_func=BookViewSet.as_view("book-top"), methods=["GET", "POST"])'
    )
    assert routes["^loans/(?P<loan_id>[^/.]+)$"].is_async
    assert routes["^loans/(?P<loan_id>[^/.]+)$"].flask.rule == '/loans/<regex("[^/.]+"):loan_id>'
    assert routes["v1/"].view == "rest_framework.routers.APIRootView"
    assert "drf_format_suffix" in structure.converters
    assert routes["v1/<drf_format_suffix:format>"].flask.rule == "/v1/<drf_format_suffix:format>"


def test_router_options_path_mode_and_manual_binding() -> None:
    structure = structure_of(
        {
            "api/views.py": ROUTER_VIEWS,
            "api/routers.py": """
                from rest_framework.routers import DefaultRouter


                class QuietRouter(DefaultRouter):
                    include_root_view = False
                    include_format_suffixes = False
                """,
            "api/urls.py": """
                from django.urls import path
                from rest_framework.routers import SimpleRouter

                from .routers import QuietRouter
                from .views import BookViewSet

                quiet = QuietRouter()
                quiet.register("books", BookViewSet, basename="book")
                paths = SimpleRouter(use_regex_path=False)
                paths.register("papers", BookViewSet, basename="paper")

                urlpatterns = quiet.urls + paths.urls + [
                    path("shelf/", BookViewSet.as_view({"get": "list"}), name="shelf"),
                ]
                """,
        }
    )
    paths = [r.path for r in structure.routes]
    assert paths == [
        "^books/$",
        "^books/top-rated/$",
        "^books/(?P<pk>[^/.]+)/$",
        "^books/(?P<pk>[^/.]+)/borrow/$",
        "papers/",
        "papers/top-rated/",
        "papers/<str:pk>/",
        "papers/<str:pk>/borrow/",
        "shelf/",
    ]
    shelf = by_path(structure)["shelf/"]
    assert (shelf.view_kind, shelf.actions, shelf.methods) == ("drf-viewset", {"GET": "list"}, ["GET"])


VIEW_FILES = {
    "app/views.py": """
        from django.contrib.auth.decorators import login_required
        from django.contrib.auth.mixins import LoginRequiredMixin
        from django.utils.decorators import method_decorator
        from django.views import View
        from django.views.decorators.cache import cache_page
        from django.views.decorators.csrf import csrf_exempt
        from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe
        from django.views.generic import DeleteView, FormView, ListView, RedirectView, TemplateView
        from django.views.generic.edit import UpdateView
        from rest_framework import generics
        from rest_framework.decorators import api_view
        from rest_framework.views import APIView


        def plain(request):
            pass


        @login_required
        @require_http_methods(["GET", "POST"])
        def edit(request):
            pass


        @require_GET
        def only_get(request):
            pass


        @require_safe
        def safe(request):
            pass


        @csrf_exempt
        @require_POST
        async def hook(request):
            pass


        @api_view(["GET", "POST"])
        def ping(request):
            pass


        @api_view()
        def pong(request):
            pass


        class Base(LoginRequiredMixin, View):
            def get(self, request):
                pass


        class Child(Base):
            async def post(self, request):
                pass

            async def get(self, request):
                pass


        class Limited(FormView):
            http_method_names = ["get", "post"]


        @method_decorator(cache_page(60), name="dispatch")
        class Listing(ListView):
            @method_decorator(login_required)
            def dispatch(self, request, *args, **kwargs):
                return super().dispatch(request, *args, **kwargs)


        class Remove(DeleteView):
            pass


        class Edit(UpdateView):
            pass


        class Stats(APIView):
            def get(self, request):
                pass

            def post(self, request):
                pass


        class Books(generics.ListCreateAPIView):
            pass
        """,
}


@pytest.mark.parametrize(
    ("view", "methods", "is_async", "decorators"),
    [
        ("app.views.plain", ["DELETE", "GET", "PATCH", "POST", "PUT"], False, []),
        (
            "app.views.edit",
            ["GET", "POST"],
            False,
            ["django.contrib.auth.decorators.login_required", "django.views.decorators.http.require_http_methods"],
        ),
        ("app.views.only_get", ["GET"], False, ["django.views.decorators.http.require_GET"]),
        ("app.views.safe", ["GET"], False, ["django.views.decorators.http.require_safe"]),
        (
            "app.views.hook",
            ["POST"],
            True,
            ["django.views.decorators.csrf.csrf_exempt", "django.views.decorators.http.require_POST"],
        ),
        ("app.views.ping", ["GET", "POST"], False, ["rest_framework.decorators.api_view"]),
        ("app.views.pong", ["GET"], False, ["rest_framework.decorators.api_view"]),
        ("app.views.Base", ["GET"], False, []),
        ("app.views.Child", ["GET", "POST"], True, []),
        ("app.views.Limited", ["GET", "POST"], False, []),
        (
            "app.views.Listing",
            ["GET"],
            False,
            ["django.views.decorators.cache.cache_page", "django.contrib.auth.decorators.login_required"],
        ),
        ("app.views.Remove", ["DELETE", "GET", "POST"], False, []),
        ("app.views.Edit", ["GET", "POST", "PUT"], False, []),
        ("app.views.Stats", ["GET", "POST"], False, []),
        ("app.views.Books", ["GET", "POST"], False, []),
        ("django.views.generic.RedirectView", ["DELETE", "GET", "PATCH", "POST", "PUT"], False, []),
        ("django.views.generic.TemplateView", ["GET"], False, []),
        ("django.contrib.auth.views.LogoutView", ["POST"], False, []),
    ],
)
def test_view_methods(view: str, methods: list[str], is_async: bool, decorators: list[str]) -> None:
    index = index_of({n: textwrap.dedent(t).lstrip() for n, t in VIEW_FILES.items()})
    assert view_methods(index, view) == (methods, is_async, decorators)


def test_views_reexported_by_star_imports_and_unknown_bases() -> None:
    structure = structure_of(
        {
            "app/views/__init__.py": """
                from .generic import *
                from .pages import *
                """,
            "app/views/generic.py": """
                from django.views import View


                class EditBase(View):
                    def get(self, request):
                        pass

                    async def post(self, request):
                        pass
                """,
            "app/views/pages.py": """
                from braces.views import JSONResponseMixin

                from app.views import EditBase


                class PageEdit(EditBase):
                    http_method_names = ["get", "post", "options"]


                class Feed(JSONResponseMixin):
                    pass


                def page_detail(request, pk):
                    pass
                """,
            "app/urls.py": """
                from django.urls import path

                from app import views

                urlpatterns = [
                    path("edit/", views.PageEdit.as_view(), name="edit"),
                    path("feed/", views.Feed.as_view(), name="feed"),
                    path("<int:pk>/", views.page_detail, name="detail"),
                ]
                """,
        }
    )
    found = [(r.view, r.view_kind, r.methods, r.is_async) for r in structure.routes]
    assert found == [
        ("app.views.pages.PageEdit", "class", ["GET", "POST"], True),
        # A base fwlint cannot follow may define any handler.
        ("app.views.pages.Feed", "class", ["DELETE", "GET", "PATCH", "POST", "PUT"], False),
        ("app.views.pages.page_detail", "function", ["DELETE", "GET", "PATCH", "POST", "PUT"], False),
    ]


def test_as_view_method_names_and_url_decorators_reach_the_route() -> None:
    structure = structure_of(
        {
            **VIEW_FILES,
            "app/urls.py": """
                from django.contrib.auth.decorators import login_required
                from django.urls import path
                from django.views.decorators.cache import cache_page
                from django.views.generic import RedirectView, TemplateView

                from . import views

                urlpatterns = [
                    path("one/", views.Stats.as_view(http_method_names=["get"]), name="one"),
                    path("two/", login_required(views.Base.as_view()), name="two"),
                    path("three/", cache_page(60)(views.plain), name="three"),
                    path("about/", TemplateView.as_view(template_name="about.html"), name="about"),
                    path("old/", RedirectView.as_view(url="/new/", permanent=True), name="old"),
                    path("hook/", views.hook, {"source": "github"}, name="hook"),
                ]
                """,
        }
    )
    routes = by_path(structure)
    assert routes["one/"].methods == ["GET"]
    assert routes["one/"].view_kind == "drf-view"
    assert (routes["two/"].view, routes["two/"].decorators) == (
        "app.views.Base",
        ["django.contrib.auth.decorators.login_required"],
    )
    assert routes["three/"].decorators == ["django.views.decorators.cache.cache_page"]
    assert routes["about/"].view == "django.views.generic.TemplateView"
    assert 'render_template("about.html")' in " ".join(routes["about/"].flask.notes)
    assert 'redirect("/new/", 301)' in " ".join(routes["old/"].flask.notes)
    assert routes["hook/"].defaults == {"source": '"github"'}
    assert routes["hook/"].code == '@app.route("/hook/", methods=["POST"], defaults={"source": "github"})'
    assert routes["hook/"].is_async
    assert "308" in " ".join(routes["hook/"].flask.notes)  # POST relying on the slash redirect
    assert "308" not in " ".join(routes["about/"].flask.notes)


def test_a_prefix_from_settings_is_read_or_marked() -> None:
    files = {
        "app/views.py": VIEWS,
        "proj/urls.py": """
            from django.conf import settings
            from django.urls import include, path

            from app import views

            _patterns = [path("", views.index, name="home")]
            urlpatterns = [path(settings.BASE_PATH, include(_patterns))]
            """,
    }
    assert [r.flask.rule for r in structure_of(files, settings={"BASE_PATH": "netbox/"}).routes] == ["/netbox/"]
    marked = structure_of(files).routes[0]
    assert (marked.path, marked.flask.rule, marked.flask.exact) == ("{BASE_PATH}", "/{BASE_PATH}", False)


def test_include_kwargs_reach_included_views_and_aliases_take_appends() -> None:
    structure = structure_of(
        {
            "app/views.py": VIEWS,
            "app/urls.py": """
                from django.urls import path

                from . import views

                urlpatterns = [path("<int:pk>/", views.detail, {"mode": "full"}, name="detail")]
                """,
            "api/views.py": ROUTER_VIEWS,
            "proj/urls.py": """
                from django.urls import include, path
                from rest_framework.routers import SimpleRouter

                from api.views import AuthorViewSet

                router = SimpleRouter()
                router.register("authors", AuthorViewSet, basename="author")

                urlpatterns = router.urls
                urlpatterns += [path("v2/", include("app.urls"), {"version": 2, "mode": "short"})]
                """,
        }
    )
    assert [r.path for r in structure.routes] == ["^authors/$", "^authors/(?P<slug>[-a-z0-9]+)/$", "v2/<int:pk>/"]
    assert structure.routes[-1].defaults == {"version": "2", "mode": '"full"'}
    assert structure.by_call[("proj/urls.py", 7, 1)] == structure.routes[:2]


def test_admin_i18n_and_self_wrapping_format_suffixes() -> None:
    structure = structure_of(
        {
            "app/views.py": VIEWS,
            "proj/urls.py": """
                from django.conf.urls.i18n import i18n_patterns
                from django.contrib import admin
                from django.urls import include, path
                from rest_framework.urlpatterns import format_suffix_patterns

                from app import views

                urlpatterns = [
                    path("admin/", admin.site.urls),
                    path("items/<int:pk>", views.detail, name="item"),
                ]
                urlpatterns = format_suffix_patterns(urlpatterns, allowed=["json", "html"])
                urlpatterns += i18n_patterns(path("about/", views.index, name="about"))
                """,
        }
    )
    found = [(r.path, r.view_kind, r.name) for r in structure.routes]
    assert found == [
        ("admin/", "include-admin", None),
        ("items/<int:pk>", "function", "item"),
        ("items/<int:pk><drf_format_suffix_json_html:format>", "function", "item"),
        ("<lang_code>/about/", "function", "about"),
    ]
    admin, _, suffixed, about = structure.routes
    assert admin.code == 'Admin(app, url="/admin")  # flask_admin.Admin'
    assert suffixed.flask.rule == "/items/<int:pk><drf_format_suffix_json_html:format>"
    assert structure.converters["drf_format_suffix_json_html"].regex == r"\.(?:json|html)/?"
    assert about.flask.rule == "/<lang_code>/about/" and not about.flask.exact


STATIC_URLS = {
    "proj/urls.py": """
        from django.conf import settings
        from django.conf.urls.static import static
        from django.contrib.staticfiles.urls import staticfiles_urlpatterns

        urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
        urlpatterns += static("/downloads/v1.0/", document_root="dist")
        urlpatterns += staticfiles_urlpatterns()
        urlpatterns += static("https://cdn.example.com/", document_root="cdn")
        """,
}


def test_static_serving_patterns_follow_debug_and_the_settings() -> None:
    debug = structure_of(STATIC_URLS, settings={"DEBUG": True, "MEDIA_URL": "/media/", "STATIC_URL": "static/"})
    assert [(r.path, r.view, r.methods, r.flask.rule) for r in debug.routes] == [
        (
            "^media/(?P<path>.*)$",
            "django.views.static.serve",
            ["DELETE", "GET", "PATCH", "POST", "PUT"],
            '/media/<regex(".*"):path>',
        ),
        (
            "^downloads/v1\\.0/(?P<path>.*)$",
            "django.views.static.serve",
            ["DELETE", "GET", "PATCH", "POST", "PUT"],
            '/downloads/v1.0/<regex(".*"):path>',
        ),
        (
            "^static/(?P<path>.*)$",
            "django.contrib.staticfiles.views.serve",
            ["DELETE", "GET", "PATCH", "POST", "PUT"],
            '/static/<regex(".*"):path>',
        ),
    ]
    media = debug.routes[0]
    assert media.defaults == {"document_root": 'app.config["MEDIA_ROOT"]'}
    assert media.code.startswith('app.add_url_rule(\'/media/<regex(".*"):path>\', "serve", view_func=serve')
    assert "DEBUG" in " ".join(media.flask.notes)
    assert structure_of(STATIC_URLS, settings={"DEBUG": False, "MEDIA_URL": "/media/"}).routes == []
    unknown = structure_of(STATIC_URLS)
    assert [r.path for r in unknown.routes] == ["^downloads/v1\\.0/(?P<path>.*)$"]
    assert len(unknown.unresolved) == 2


def test_registered_converters_are_read() -> None:
    structure = structure_of(
        {
            "proj/converters.py": """
                from django.urls.converters import StringConverter


                class FourDigitYearConverter:
                    regex = "[0-9]{4}"

                    def to_python(self, value):
                        return int(value)

                    def to_url(self, value):
                        return "%04d" % value


                class LowerConverter(StringConverter):
                    regex = "[a-z]+"
                """,
            "proj/urls.py": """
                from django.urls import path, register_converter

                from . import converters
                from .converters import LowerConverter

                register_converter(converters.FourDigitYearConverter, "yyyy")
                register_converter(LowerConverter, "lower")

                urlpatterns = []
                """,
        }
    )
    year, lower = structure.converters["yyyy"], structure.converters["lower"]
    assert (year.class_name, year.regex, year.to_python) == ("FourDigitYearConverter", "[0-9]{4}", None)
    assert (lower.class_name, lower.regex, lower.to_python) == ("LowerConverter", "[a-z]+", "return value")


def test_cycles_and_what_cannot_be_followed_are_reported() -> None:
    structure = structure_of(
        {
            "app/views.py": VIEWS,
            "loop/urls.py": """
                from django.urls import include, path

                from app import views

                urlpatterns = [
                    path("a/", include("loop.more_urls")),
                    path("third/", include("allauth.urls")),
                    path(PREFIX, views.index),
                    path("string/", "app.views.index"),
                    path("ns/", include("app.plain_urls", namespace="plain")),
                ]
                """,
            "loop/more_urls.py": """
                from django.urls import include, path

                from app import views

                urlpatterns = [
                    path("", views.index, name="deep"),
                    path("b/", include("loop.urls")),
                ]
                """,
            "app/plain_urls.py": """
                from django.conf import settings
                from django.conf.urls.static import static
                from django.urls import path

                from . import views

                urlpatterns = [path("", views.report)] + static(settings.MEDIA_URL, document_root="media")
                """,
        },
        root_urlconf="loop.urls",
    )
    reasons = [(file, span.line, why) for file, span, why in structure.unresolved]
    assert ("loop/more_urls.py", 7, "include cycle through `loop.urls`") in reasons
    assert ("loop/urls.py", 7, "include() of `allauth.urls` cannot be followed in the scanned code") in reasons
    assert (
        "loop/urls.py",
        8,
        "the pattern of `path(PREFIX, views.index)` is computed at run time: `{PREFIX}` marks it",
    ) in reasons
    assert any(line == 9 and "Django 1.10 removed string views" in why for _, line, why in reasons)
    assert any(line == 10 and "namespace but no app_name" in why for _, line, why in reasons)
    assert any(file == "app/plain_urls.py" and "not known statically" in why for file, _, why in reasons)
    assert [r.path for r in structure.routes] == ["a/", "{PREFIX}", "string/", "ns/"]
    computed = structure.routes[1]
    assert (computed.flask.rule, computed.flask.exact) == ("/{PREFIX}", False)
    assert "`{PREFIX}` marks it" in " ".join(computed.flask.notes)
    assert structure.routes[2].view_kind == "unknown"
    assert structure.routes[3].name is None and structure.routes[3].namespace == "plain"


def test_roots_default_to_urls_modules_nothing_includes() -> None:
    files = {
        "app/views.py": VIEWS,
        "one/urls.py": """
            from django.urls import include, path

            urlpatterns = [path("app/", include("app.urls"))]
            """,
        "two/urls.py": """
            from django.urls import path

            from app import views

            urlpatterns = [path("two/", views.index)]
            """,
        "app/urls.py": """
            from django.urls import path

            from . import views

            urlpatterns = [path("", views.index, name="home")]
            """,
    }
    assert structure_of(files).root_urlconfs == ["one.urls", "two.urls"]
    chosen = structure_of(files, root_urlconf="two.urls")
    assert (chosen.root_urlconfs, [r.path for r in chosen.routes]) == (["two.urls"], ["two/"])
    missing = structure_of(files, root_urlconf="gone.urls")
    assert missing.root_urlconfs == ["one.urls", "two.urls"]
    assert "ROOT_URLCONF `gone.urls`" in missing.unresolved[0][2]


FRAMEWORK_SCRIPT = r"""
import json

import django
from django.conf import settings

settings.configure(INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"])
django.setup()
from django.utils.module_loading import import_string



def load(name):
    # Base classes live in the submodules django.views.generic re-exports from.
    module, _, attribute = name.rpartition(".")
    for where in (module, *(f"{module}.{sub}" for sub in ("base", "list", "detail", "edit", "dates"))):
        try:
            return import_string(f"{where}.{attribute}")
        except ImportError:
            continue
    raise ImportError(name)


handlers, actions, method_names = {}, {}, {}
for name in json.loads(input()):
    cls = load(name)
    handlers[name] = sorted(m for m in ("get", "post", "put", "patch", "delete", "head", "trace") if hasattr(cls, m))
    actions[name] = sorted(
        a for a in ("list", "create", "retrieve", "update", "partial_update", "destroy") if hasattr(cls, a)
    )
    method_names[name] = list(getattr(cls, "http_method_names", []))
print(json.dumps({"handlers": handlers, "actions": actions, "method_names": method_names}))
"""


def test_framework_tables_match_installed_django_and_drf() -> None:
    pytest.importorskip("django")
    pytest.importorskip("rest_framework")
    names = sorted({*FRAMEWORK_HANDLERS, *VIEWSET_ACTIONS})
    completed = subprocess.run(
        [sys.executable, "-c", FRAMEWORK_SCRIPT],
        input=json.dumps(names),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    installed = json.loads(completed.stdout)
    for name, handlers in FRAMEWORK_HANDLERS.items():
        assert sorted(handlers) == installed["handlers"][name], name
    for name, actions in VIEWSET_ACTIONS.items():
        assert sorted(actions) == installed["actions"][name], name
    default_names = installed["method_names"]["django.views.generic.View"]
    narrowed = {
        name: tuple(installed["method_names"][name])
        for name in FRAMEWORK_HANDLERS
        if installed["method_names"][name] and installed["method_names"][name] != default_names
    }
    assert narrowed == FRAMEWORK_METHOD_NAMES
