"""Django URL pattern chains → werkzeug rules: before/after cases for every converter,
regex feature and mixed include chain, and the Flask code written for them."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from fwlint.translate.flask_rules import (
    CONVERTER_IMPORTS,
    DjangoConverter,
    FlaskRule,
    PatternPart,
    can_match_slash,
    converter_registration,
    custom_converter_source,
    django_display_path,
    flask_route_code,
    translate_pattern,
)

werkzeug_routing = pytest.importorskip("werkzeug.routing")

YEAR = DjangoConverter("yyyy", "FourDigitYearConverter", "[0-9]{4}", "return int(value)", 'return "%04d" % value')
UNREAD = DjangoConverter("isbn", "IsbnConverter", r"[0-9]{9}[0-9X]")
CUSTOM = {"yyyy": YEAR, "isbn": UNREAD}


def route(text: str) -> PatternPart:
    return PatternPart(text, is_regex=False)


def regex(text: str) -> PatternPart:
    return PatternPart(text, is_regex=True)


# (chain, werkzeug rule, exact, registered converters, a note fragment or "")
EXACT_OR_FLAGGED: list[tuple[list[PatternPart], str, bool, set[str], str]] = [
    # path() converters
    ([route("books/<str:title>/")], "/books/<title>/", True, set(), ""),
    ([route("books/<title>")], "/books/<title>", True, set(), ""),
    ([route("books/<int:pk>/")], "/books/<int:pk>/", True, set(), ""),
    ([route("books/<slug:slug>/")], "/books/<slug:slug>/", True, {"slug"}, ""),
    ([route("tokens/<uuid:token>/")], "/tokens/<uuid:token>/", False, set(), "upper-case"),
    ([route("files/<path:name>")], "/files/<path:name>", False, set(), "cannot start with `/`"),
    ([route("years/<yyyy:year>/")], "/years/<yyyy:year>/", True, {"yyyy"}, "tries the next pattern"),
    ([route("covers/<isbn:code>/")], "/covers/<isbn:code>/", False, {"isbn"}, "was not read"),
    ([route("odd/<zzz:value>/")], "/odd/<zzz:value>/", False, set(), "not registered"),
    ([route("")], "/", True, set(), ""),
    ([route("about")], "/about", True, set(), ""),
    # re_path() named groups
    ([regex(r"^archive/(?P<year>[0-9]{4})/$")], '/archive/<regex("[0-9]{4}"):year>/', True, {"regex"}, ""),
    ([regex(r"^tag/(?P<tag>[^/]+)/$")], "/tag/<tag>/", True, set(), ""),
    ([regex(r"^(?P<kind>news|blog)/$")], "/<any(news, blog):kind>/", True, set(), ""),
    ([regex(r"^(?P<level>1|2)/$")], '/<any("1", "2"):level>/', True, set(), ""),
    ([regex(r"^(?P<slug>a-b|c\.d)/$")], '/<any("a-b", "c.d"):slug>/', True, set(), ""),
    ([regex(r"^(?P<flag>True|x)/$")], '/<any("True", x):flag>/', True, set(), ""),
    ([regex(r'^q/(?P<q>[^"/]+)/$')], "/q/<regex('[^\"/]+'):q>/", True, {"regex"}, ""),
    ([regex(r"^code/(?P<code>(?!admin)[a-z]+)/$")], '/code/<regex("(?!admin)[a-z]+"):code>/', True, {"regex"}, ""),
    (
        [regex(r"^d/(?P<d>(?P<y>[0-9]{4})-[0-9]{2})/$")],
        '/d/<regex("(?P<y>[0-9]{4})-[0-9]{2}"):d>/',
        False,
        {"regex"},
        "named groups of its own",
    ),
    # anchors, literals and slashes
    ([regex(r"^$")], "/", True, set(), ""),
    ([regex(r"^robots\.txt$")], "/robots.txt", True, set(), ""),
    ([regex(r"^robots.txt$")], "/robots.txt", False, set(), "unescaped `.`"),
    ([regex(r"^a\/b\-c/$")], "/a/b-c/", True, set(), ""),
    ([regex(r"anywhere/$")], "/anywhere/", True, set(), ""),
    ([regex(r"^price\$$")], "/price$", True, set(), ""),
    ([regex(r"^prefix/")], "/prefix/", False, set(), "no `$`"),
    ([regex(r"anywhere/")], "/anywhere/", False, set(), "no `^`"),
    ([regex(r"^tail/\Z")], "/tail/", True, set(), ""),
    ([regex(r"tail/\Z")], "/tail/", False, set(), "no `^`"),
    ([regex(r"^(?#a comment)books/$")], "/books/", True, set(), ""),
    ([regex(r"(?i)^shout/$")], "/shout/", False, set(), "inline flags"),
    ([regex(r"^(?i:shout)/$")], "/shout/", False, set(), "flags of"),
    ([regex(r"^\bword/$")], "/word/", False, set(), "word boundary"),
    ([regex(r"^(?!admin)(?P<page>[a-z]+)/$")], '/<regex("[a-z]+"):page>/', False, {"regex"}, "lookaround"),
    # optional parts and unnamed groups
    ([regex(r"^feed/?$")], "/feed/", True, set(), ""),
    ([regex(r"^items(?:/(?P<page>[0-9]+))?/$")], '/items/<regex("[0-9]+"):page>/', False, {"regex"}, "`/items/`"),
    ([regex(r"^(?P<lang>[a-z]{2})?/$")], '/<regex("[a-z]{2}"):lang>/', False, {"regex"}, "second rule"),
    ([regex(r"^colou?r/$")], "/colour/", False, set(), "`/color/`"),
    ([regex(r"^(?:books/)$")], "/books/", True, set(), ""),
    ([regex(r"^old/(\d+)/(\d+)/$")], '/old/<regex("\\d+"):arg1>/<regex("\\d+"):arg2>/', False, {"regex"}, "positional"),
    (
        [regex(r"^(\d+)/(?P<slug>[-\w]+)/$")],
        '/<regex("\\d+"):_group1>/<regex("[-\\w]+"):slug>/',
        False,
        {"regex"},
        "without passing it",
    ),
    ([regex(r"^(?:en|fr)/home/$")], "/<any(en, fr):_group1>/home/", False, set(), "without passing it"),
    # mixed chains: include() prefixes of either kind
    ([route("api/"), regex(r"^books/$")], "/api/books/", True, set(), ""),
    ([regex(r"^archive/"), route("<int:year>/")], "/archive/<int:year>/", True, set(), ""),
    (
        [route("shop/<int:shop>/"), regex(r"^(?P<item>[0-9]+)/$")],
        '/shop/<int:shop>/<regex("[0-9]+"):item>/',
        True,
        {"regex"},
        "",
    ),
    (
        [route("shop/<int:shop>/"), regex(r"^(\d+)/$")],
        '/shop/<int:shop>/<regex("\\d+"):_group1>/',
        False,
        {"regex"},
        "without passing it",
    ),
    ([route(""), regex(r"^"), route("deep/")], "/deep/", True, set(), ""),
    ([regex(r"^legacy/$"), route("x/")], "/legacy/x/", False, set(), "include() prefix"),
    ([regex(r"legacy/"), route("x/")], "/legacy/x/", False, set(), "no `^`"),
    ([route("files/<path:root>/"), route("x/")], "/files/<path:root>/x/", False, set(), "include() prefix"),
    (
        [PatternPart("en/", False, is_locale=True), route("about/")],
        "/<lang_code>/about/",
        False,
        set(),
        "url_value_preprocessor",
    ),
    ([route("/slash/")], "//slash/", False, set(), "starts with `/`"),
]

ERRORS: list[tuple[list[PatternPart], str]] = [
    ([regex(r"^x+/$")], "repeats"),
    ([regex(r"^a/$|^b/$")], "alternates whole patterns"),
    ([regex(r"^(?P<n>[0-9])/(?P=n)/$")], "back-reference"),
    ([regex(r"^page/\d+/$")], "outside a named group"),
    ([regex(r"^page/[0-9]/$")], "outside a named group"),
    ([regex(r"^a/(?(1)b|c)/$")], "conditional"),
    ([regex(r"^(?P<n>[0-9]+/$")], "unbalanced"),
    ([regex(r"^a/$/b/$")], "inside the pattern"),
    ([regex(r"^(?P<x>a):b)/$")], "unbalanced"),
    ([regex(r"^(?P<x>(a):b)/$")], "`):`"),
    ([regex(r"^(?P<x>['\"]+)/$")], "both quote characters"),
    ([regex(r"^a<b/$")], "`<` in literal text"),
    ([route("<int:pk>/"), route("<int:pk>/")], "captured twice"),
    ([route("<int: pk>/")], "whitespace"),
    ([route("<int:1st>/")], "identifier"),
    ([route("<int:clé>/")], "werkzeug variable name"),
]


@pytest.mark.parametrize(("parts", "expected", "exact", "converters", "note"), EXACT_OR_FLAGGED)
def test_translation(parts: list[PatternPart], expected: str, exact: bool, converters: set[str], note: str) -> None:
    rule = translate_pattern(parts, CUSTOM)
    assert rule.error is None
    assert (rule.rule, rule.exact, set(rule.converters)) == (expected, exact, converters)
    if note:
        assert note in " ".join(rule.notes)
    if not exact:
        assert rule.notes, "every inexact rule says why"


@pytest.mark.parametrize(("parts", "why"), ERRORS)
def test_untranslatable_patterns_say_why(parts: list[PatternPart], why: str) -> None:
    rule = translate_pattern(parts, CUSTOM)
    assert rule.error is not None and why in rule.error
    assert not rule.exact


def _werkzeug_map(rules: list[FlaskRule]) -> Any:
    converters: dict[str, type] = {}
    for rule in rules:
        for name, source in rule.converters.items():
            namespace: dict[str, Any] = {}
            exec(CONVERTER_IMPORTS + "\n\n" + source, namespace)
            converters[name] = namespace[source.split("(", 1)[0].removeprefix("class ")]
    converters.setdefault("zzz", werkzeug_routing.BaseConverter)
    return werkzeug_routing.Map(
        [werkzeug_routing.Rule(r.rule, endpoint=str(i), strict_slashes=r.strict_slashes) for i, r in enumerate(rules)],
        converters=converters,
    )


def test_werkzeug_accepts_every_translated_rule_and_its_arguments() -> None:
    rules = [translate_pattern(parts, CUSTOM) for parts, *_ in EXACT_OR_FLAGGED]
    url_map = _werkzeug_map(rules)
    for rule, compiled in zip(rules, url_map.iter_rules(), strict=True):
        assert compiled.rule == rule.rule
        assert set(compiled.arguments) == set(rule.arguments)


@pytest.mark.parametrize(
    ("parts", "arguments"),
    [
        ([route("a/<int:x>/b/<y>/")], ["x", "y"]),
        ([route("shop/<int:shop>/"), regex(r"^(?P<item>[0-9]+)/(?P<part>[a-z]+)/$")], ["shop", "item", "part"]),
        ([regex(r"^(\d+)/(\d+)/$")], ["arg1", "arg2"]),
    ],
)
def test_arguments_are_listed_in_url_order(parts: list[PatternPart], arguments: list[str]) -> None:
    assert translate_pattern(parts).arguments == arguments


def test_optional_trailing_slash_matches_both_forms_without_redirect() -> None:
    rule = translate_pattern([regex(r"^feed/?$")])
    adapter = _werkzeug_map([rule]).bind("localhost")
    assert not rule.strict_slashes
    assert adapter.match("/feed") == ("0", {})
    assert adapter.match("/feed/") == ("0", {})


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([route("api/"), regex(r"^books/$")], "api/books/$"),
        ([route(""), regex(r"^a/$")], "^a/$"),
        ([regex(r"^a/"), regex(r"^b/$")], "^a/b/$"),
        ([route("a/"), route(""), regex(r"^b")], "a/b"),
        ([route("catalog/"), route("books/<int:pk>/")], "catalog/books/<int:pk>/"),
        ([], ""),
    ],
)
def test_display_path_joins_like_djangos_resolver(parts: list[PatternPart], expected: str) -> None:
    assert django_display_path(parts) == expected


CODE_CASES: list[tuple[dict[str, Any], str]] = [
    (
        {"endpoint": "catalog.book_detail", "view": "catalog.views.book_detail", "blueprint": "catalog"},
        '@catalog.route("/catalog/books/<int:pk>/", methods=["GET"])',
    ),
    (
        {"endpoint": "catalog.book-detail", "view": "catalog.views.book_detail", "blueprint": "catalog"},
        '@catalog.route("/catalog/books/<int:pk>/", endpoint="book-detail", methods=["GET"])',
    ),
    (
        {"endpoint": "book-detail", "view": "catalog.views.BookDetail", "blueprint": None, "view_kind": "class"},
        'app.add_url_rule("/catalog/books/<int:pk>/", view_func=BookDetail.as_view("book-detail"), methods=["GET"])',
    ),
    (
        {"endpoint": "catalog.reviews.list", "view": "catalog.views.review_list", "blueprint": "catalog.reviews"},
        '@reviews.route("/catalog/books/<int:pk>/", endpoint="list", methods=["GET"])',
    ),
    (
        {
            "endpoint": "book-api.serve",
            "view": "django.views.static.serve",
            "blueprint": "book-api",
            "view_kind": "reference",
        },
        'book_api.add_url_rule("/catalog/books/<int:pk>/", "serve", view_func=serve, methods=["GET"])',
    ),
    (
        {"endpoint": "feed", "view": "blog.views.feed", "blueprint": None, "defaults": {"page": "1"}},
        '@app.route("/catalog/books/<int:pk>/", methods=["GET"], defaults={"page": 1})',
    ),
]


@pytest.mark.parametrize(("options", "expected"), CODE_CASES)
def test_flask_route_code(options: dict[str, Any], expected: str) -> None:
    rule = translate_pattern([route("catalog/books/<int:pk>/")])
    code = flask_route_code(
        rule, options.pop("endpoint"), options.pop("view"), ["GET"], options.pop("blueprint"), **options
    )
    assert code == expected


def test_route_code_keeps_regex_backslashes_and_quotes_and_the_slash_option() -> None:
    rule = translate_pattern([route("api/"), regex(r"^books\.(?P<format>[a-z0-9]+)/?$")])
    code = flask_route_code(rule, "api.book-list", "api.views.BookViewSet", ["GET", "POST"], "api", view_kind="class")
    call = ast.parse(code).body[0]
    assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)
    assert ast.literal_eval(call.value.args[0]) == rule.rule == '/api/books.<regex("[a-z0-9]+"):format>/'
    assert code.endswith('methods=["GET", "POST"], strict_slashes=False)')
    backslashes = translate_pattern([regex(r"^(?P<n>\d+)/$")])
    decorator = flask_route_code(backslashes, "n", "views.n", ["GET"], None)
    assert decorator.startswith("@app.route(r'/")
    parsed = ast.parse(decorator.removeprefix("@") + "\n").body[0]
    assert isinstance(parsed, ast.Expr) and isinstance(parsed.value, ast.Call)
    assert ast.literal_eval(parsed.value.args[0]) == backslashes.rule


def test_custom_converter_source_keeps_djangos_behaviour() -> None:
    even = DjangoConverter(
        "even",
        "EvenConverter",
        "[0-9]+",
        "n = int(value)\nif n % 2:\n    raise ValueError(n)\nreturn n",
        "return str(value)",
    )
    namespace: dict[str, Any] = {}
    exec(CONVERTER_IMPORTS + "\n\n" + custom_converter_source(even), namespace)
    converter = namespace["EvenConverter"](werkzeug_routing.Map())
    assert converter.to_python("12") == 12
    with pytest.raises(werkzeug_routing.ValidationError):
        converter.to_python("7")
    assert converter.to_url(4) == "4"
    assert converter.part_isolating is True
    slashy = DjangoConverter("rest", "RestConverter", ".+")
    exec(CONVERTER_IMPORTS + "\n\n" + custom_converter_source(slashy), namespace)
    assert namespace["RestConverter"].part_isolating is False
    assert namespace["RestConverter"](werkzeug_routing.Map()).to_python("a/b") == "a/b"


def test_registration_line_names_the_generated_class() -> None:
    rule = translate_pattern([route("<slug:s>/")])
    assert converter_registration("slug", rule.converters["slug"]) == 'app.url_map.converters["slug"] = SlugConverter'


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("[0-9]+", False),
        ("[^/]+", False),
        ("[-a-zA-Z0-9_]+", False),
        (r"\d{4}", False),
        ("news|blog", False),
        (".+", True),
        ("[^a]+", True),
        (r"\W", True),
        (r"\S+", True),
        ("[!-0]", True),
        ("a/b", True),
        ("[a-z/]", True),
        (r"\/", True),
        (r"[^\d]", True),
        (r"[^\W]", False),
        ("(?s:x)", True),
    ],
)
def test_can_match_slash(pattern: str, expected: bool) -> None:
    assert can_match_slash(pattern) is expected
