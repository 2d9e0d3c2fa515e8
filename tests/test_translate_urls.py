"""Werkzeug rule → Django pattern, as before → after pairs."""

from __future__ import annotations

import pytest

from fwlint.translate.urls import (
    CustomConverter,
    RuleSyntaxError,
    compose_nested_prefix,
    compose_prefix,
    to_django,
)


def check(rule: str, function: str, pattern: str, **kwargs: object) -> None:
    route = to_django(rule, **kwargs)  # type: ignore[arg-type]
    assert (route.function, route.pattern) == (function, pattern)


@pytest.mark.parametrize(
    ("rule", "pattern"),
    [
        ("/", ""),
        ("/about", "about"),
        ("/about/", "about/"),
        ("/u/<name>", "u/<str:name>"),
        ("/u/<string:name>", "u/<str:name>"),
        ("/u/<default:name>", "u/<str:name>"),
        ("/n/<int:n>", "n/<int:n>"),
        ("/f/<path:rest>", "f/<path:rest>"),
        ("/t/<uuid:token>", "t/<uuid:token>"),
        ("/<int:a>/<int:b>/", "<int:a>/<int:b>/"),
    ],
)
def test_builtin_twins_use_path(rule: str, pattern: str) -> None:
    check(rule, "path", pattern)


@pytest.mark.parametrize(
    ("rule", "pattern"),
    [
        ("/lang/<string(length=2):code>", r"^lang/(?P<code>[^/]{2})$"),
        ("/s/<string(minlength=3, maxlength=40):q>", r"^s/(?P<q>[^/]{3,40})$"),
        ("/s/<string(maxlength=8):q>", r"^s/(?P<q>[^/]{1,8})$"),
        ("/s/<string(minlength=4):q>", r"^s/(?P<q>[^/]{4,})$"),
        ("/p/<any(about, help):page>", r"^p/(?P<page>about|help)$"),
        ("/p/<any(a, 'b-c'):page>/<slug>", r"^p/(?P<page>a|b\-c)/(?P<slug>[^/]+)$"),
        ("/x.y/<any(a,b):k>", r"^x\.y/(?P<k>a|b)$"),
    ],
)
def test_shape_only_converters_use_re_path(rule: str, pattern: str) -> None:
    check(rule, "re_path", pattern)


def test_float_registers_a_typed_converter() -> None:
    route = to_django("/price/<float:amount>")
    assert route.pattern == "price/<float:amount>"
    assert route.converters == ['register_converter(FloatConverter, "float")']
    namespace: dict[str, object] = {}
    exec(route.converter_classes[0], namespace)
    converter = namespace["FloatConverter"]()  # type: ignore[operator]
    assert converter.to_python("2.50") == 2.5
    assert converter.regex == r"\d+\.\d+"


def test_int_arguments_keep_the_range_check() -> None:
    route = to_django("/r/<int(min=1, max=5):stars>")
    assert route.pattern == "r/<int_min1_max5:stars>"
    namespace: dict[str, object] = {}
    exec(route.converter_classes[0], namespace)
    converter = namespace["IntMin1Max5Converter"]()  # type: ignore[operator]
    assert converter.to_python("3") == 3
    with pytest.raises(ValueError):
        converter.to_python("9")


def test_signed_and_fixed_digits() -> None:
    signed = to_django("/o/<int(signed=True):offset>")
    assert signed.pattern == "o/<int_signed:offset>"
    assert 'regex = r"-?\\d+"' in signed.converter_classes[0]
    fixed = to_django("/y/<int(fixed_digits=4):year>")
    namespace: dict[str, object] = {}
    exec(fixed.converter_classes[0], namespace)
    converter = namespace["IntFixedDigits4Converter"]()  # type: ignore[operator]
    assert converter.regex == r"\d{4}"
    assert converter.to_url(7) == "0007"


def test_custom_converter_keeps_its_key() -> None:
    route = to_django("/b/<isbn:code>", {"isbn": CustomConverter("isbn", "IsbnConverter", r"\d{13}")})
    assert route.pattern == "b/<isbn:code>"
    assert route.converters == ['register_converter(IsbnConverter, "isbn")']
    assert route.converter_classes == []


def test_unknown_converter_is_flagged_not_dropped() -> None:
    route = to_django("/b/<mystery:code>")
    assert route.pattern == "b/<mystery:code>"
    assert any("not registered" in note for note in route.notes)


def test_typed_route_turns_shaped_parts_into_converters_too() -> None:
    route = to_django("/m/<float:x>/<any(a, b):k>")
    assert route.function == "path"
    assert route.pattern == "m/<float:x>/<any_a_b:k>"


def test_shaped_next_to_int_keeps_the_int_type() -> None:
    # re_path would hand `n` to the view as a str; Flask passes an int.
    route = to_django("/p/<any(a, b):page>/<int:n>")
    assert (route.function, route.pattern) == ("path", "p/<any_a_b:page>/<int:n>")
    assert route.converters == ['register_converter(AnyABConverter, "any_a_b")']


def test_malformed_rule_raises() -> None:
    with pytest.raises(RuleSyntaxError):
        to_django("/x/<int:>")


def test_strict_slashes_false_is_noted() -> None:
    assert any("strict_slashes" in n for n in to_django("/feed/", strict_slashes=False).notes)


@pytest.mark.parametrize(
    ("prefix", "rule", "full"),
    [
        (None, "/x", "/x"),
        ("/api", "/x", "/api/x"),
        ("/api/", "/x", "/api/x"),
        ("/api", "", "/api"),
        ("/api", "/", "/api/"),
    ],
)
def test_compose_prefix_like_flask(prefix: str | None, rule: str, full: str) -> None:
    assert compose_prefix(prefix, rule) == full


def test_nested_prefix_like_flask() -> None:
    assert compose_nested_prefix("/admin", "/reports") == "/admin/reports"
    assert compose_nested_prefix("/admin/", None) == "/admin/"
    assert compose_nested_prefix(None, "/reports") == "/reports"
