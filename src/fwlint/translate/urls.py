"""Werkzeug URL rules → Django URL patterns.

A rule like ``/books/<int(min=1):n>`` is parsed with werkzeug's own grammar
(``werkzeug/routing/rules.py``: ``_rule_re`` and ``parse_converter_args``) and
written back as the most direct Django form that matches the same URLs and
hands the view the same Python types:

* ``path()`` with Django's built-in converters (``str``, ``int``, ``path``,
  ``uuid``) when every converter has a built-in twin;
* ``path()`` plus ``register_converter()`` when a converter carries a type or
  a check Django lacks (``float``, ``int`` with arguments, custom converters);
* ``re_path()`` when only the *shape* differs (``string`` with lengths,
  ``any(...)``) and every value is a ``str`` anyway; next to an ``int`` or
  ``uuid`` the shaped parts become registered converters instead, since
  ``re_path`` would hand the view strings.

The URL itself is preserved: no leading slash, the trailing slash kept or
left out exactly as in the Flask rule.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

# werkzeug.routing.rules._part_re, reduced to one converter placeholder.
_CONVERTER = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<arguments>.*?)\))?:)?(?P<variable>[a-zA-Z_][a-zA-Z0-9_]*)>"
)
BUILTIN_TWINS = {"default": "str", "string": "str", "int": "int", "path": "path", "uuid": "uuid"}
# Regexes Django's own converters use (django/urls/converters.py), for re_path groups.
DJANGO_REGEX = {
    "str": "[^/]+",
    "int": "[0-9]+",
    "path": ".+",
    "uuid": "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
}
WERKZEUG_CONVERTERS = frozenset({"default", "string", "any", "path", "int", "float", "uuid"})


class RuleSyntaxError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Converter:
    name: str
    args: tuple[object, ...]
    kwargs: tuple[tuple[str, object], ...]
    variable: str

    @property
    def has_arguments(self) -> bool:
        return bool(self.args or self.kwargs)


@dataclass(frozen=True, slots=True)
class CustomConverter:
    """A converter the project registers (``app.url_map.converters[key] = Class``)."""

    key: str
    class_name: str
    regex: str | None


@dataclass(slots=True)
class DjangoRoute:
    function: str  # path | re_path
    pattern: str
    converters: list[str] = field(default_factory=list)  # register_converter(...) lines
    converter_classes: list[str] = field(default_factory=list)  # class definitions to write
    notes: list[str] = field(default_factory=list)


def parse_converter_args(text: str) -> tuple[tuple[object, ...], tuple[tuple[str, object], ...]]:
    """werkzeug's converter-argument grammar: Python literals, bare words as strings."""
    try:
        call = ast.parse(f"f({text})", mode="eval").body
    except SyntaxError as exc:
        raise RuleSyntaxError(f"cannot parse converter arguments {text!r}") from exc
    assert isinstance(call, ast.Call)

    def literal(node: ast.expr) -> object:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
            return -node.operand.value  # type: ignore[operator]
        if isinstance(node, ast.Constant):
            return node.value
        raise RuleSyntaxError(f"unsupported converter argument in {text!r}")

    args = tuple(literal(a) for a in call.args)
    kwargs = tuple((k.arg or "", literal(k.value)) for k in call.keywords)
    return args, kwargs


def parse_rule(rule: str) -> list[str | Converter]:
    parts: list[str | Converter] = []
    position = 0
    for match in _CONVERTER.finditer(rule):
        if match.start() > position:
            parts.append(rule[position : match.start()])
        name = match.group("converter") or "default"
        arguments = match.group("arguments")
        args, kwargs = parse_converter_args(arguments) if arguments else ((), ())
        parts.append(Converter(name, args, kwargs, match.group("variable")))
        position = match.end()
    if position < len(rule):
        tail = rule[position:]
        if "<" in tail or ">" in tail:
            raise RuleSyntaxError(f"malformed converter in rule {rule!r}")
        parts.append(tail)
    return parts


def _werkzeug_regex(converter: Converter, custom: dict[str, CustomConverter]) -> str | None:
    kwargs = dict(converter.kwargs)
    if converter.name in ("default", "string"):
        positional = dict(zip(("minlength", "maxlength", "length"), converter.args, strict=False))
        kwargs = {**positional, **kwargs}
        if kwargs.get("length") is not None:
            return f"[^/]{{{int(kwargs['length'])}}}"  # type: ignore[call-overload]
        maximum = kwargs.get("maxlength")
        return f"[^/]{{{int(kwargs.get('minlength', 1))},{'' if maximum is None else int(maximum)}}}"  # type: ignore[call-overload]
    if converter.name == "any":
        return "|".join(re.escape(str(item)) for item in converter.args)
    if converter.name == "int":
        digits = dict(kwargs).get("fixed_digits") or 0
        signed = "-?" if kwargs.get("signed") else ""
        return f"{signed}\\d{{{digits}}}" if digits else f"{signed}\\d+"
    if converter.name == "float":
        return ("-?" if kwargs.get("signed") else "") + r"\d+\.\d+"
    if converter.name in custom:
        return custom[converter.name].regex
    return None


def converter_slug(converter: Converter) -> str:
    """Name for a registered Django converter: ``int(min=1, max=5)`` → ``int_min1_max5``."""
    pieces = [converter.name]
    for value in converter.args:
        pieces.append(re.sub(r"\W+", "", str(value)))
    for key, value in converter.kwargs:
        pieces.append(key if value is True else f"{key}{re.sub(r'[^0-9A-Za-z]+', '', str(value))}")
    return "_".join(pieces)


def _class_name(slug: str) -> str:
    return "".join(part.capitalize() for part in slug.split("_")) + "Converter"


def _typed_converter_class(converter: Converter, slug: str, regex: str) -> str:
    kwargs = dict(converter.kwargs)
    number = "float" if converter.name == "float" else "int"
    checks = []
    if kwargs.get("min") is not None:
        checks.append(f'        if value < {kwargs["min"]!r}:\n            raise ValueError("below minimum")')
    if kwargs.get("max") is not None:
        checks.append(f'        if value > {kwargs["max"]!r}:\n            raise ValueError("above maximum")')
    digits = kwargs.get("fixed_digits") or 0
    to_url = f'        return f"{{value:0{digits}d}}"' if digits else "        return str(value)"
    body = "\n".join(checks)
    return (
        f"class {_class_name(slug)}:\n"
        f'    regex = r"{regex}"\n\n'
        f"    def to_python(self, value):\n"
        f"        value = {number}(value)\n" + (body + "\n" if body else "") + "        return value\n\n"
        "    def to_url(self, value):\n" + to_url + "\n"
    )


def _regex_converter_class(slug: str, regex: str) -> str:
    return (
        f"class {_class_name(slug)}:\n"
        f'    regex = r"{regex}"\n\n'
        "    def to_python(self, value):\n        return value\n\n"
        "    def to_url(self, value):\n        return str(value)\n"
    )


def to_django(rule: str, custom: dict[str, CustomConverter] | None = None, strict_slashes: bool = True) -> DjangoRoute:
    """Translate one full Flask rule (prefixes already composed)."""
    custom = custom or {}
    parts = parse_rule(rule)
    if parts and isinstance(parts[0], str):
        parts[0] = parts[0].lstrip("/")
    converters = [p for p in parts if isinstance(p, Converter)]
    unknown = [c.name for c in converters if c.name not in WERKZEUG_CONVERTERS and c.name not in custom]
    typed = [
        c
        for c in converters
        if c.name == "float" or c.name in custom or (c.name == "int" and c.has_arguments) or c.name in unknown
    ]
    shaped = [c for c in converters if c.name == "any" or (c.name in ("string", "default") and c.has_arguments)]
    # re_path hands every group to the view as a string: with an int or uuid next to a shaped
    # converter, registered converters keep the types Flask passes.
    keeps_type = any(c.name in ("int", "uuid") for c in converters)
    route = DjangoRoute("path", "")
    if typed or (shaped and keeps_type):
        pattern = []
        seen: set[str] = set()
        for part in parts:
            if isinstance(part, str):
                pattern.append(part)
                continue
            if part.name in BUILTIN_TWINS and not part.has_arguments:
                pattern.append(f"<{BUILTIN_TWINS[part.name]}:{part.variable}>")
                continue
            if part.name in custom:
                slug = part.name
                class_name = custom[slug].class_name
                if slug not in seen:
                    route.notes.append(
                        f"`{class_name}` keeps its `regex`, `to_python` and `to_url`; drop the werkzeug "
                        "`BaseConverter` base (Django instantiates converters without arguments)"
                    )
            else:
                slug = converter_slug(part)
                class_name = _class_name(slug)
                regex = _werkzeug_regex(part, custom)
                if regex is None:
                    route.notes.append(f"converter `{part.name}` is not registered in the scanned code")
                    regex = "[^/]+"
                if slug not in seen:
                    if part.name in ("int", "float"):
                        route.converter_classes.append(_typed_converter_class(part, slug, regex))
                    else:
                        route.converter_classes.append(_regex_converter_class(slug, regex))
            if slug not in seen:
                route.converters.append(f'register_converter({class_name}, "{slug}")')
                seen.add(slug)
            pattern.append(f"<{slug}:{part.variable}>")
        route.pattern = "".join(pattern)
    elif shaped:
        route.function = "re_path"
        pattern = ["^"]
        for part in parts:
            if isinstance(part, str):
                pattern.append(re.escape(part))
            elif part.name in BUILTIN_TWINS and not part.has_arguments:
                pattern.append(f"(?P<{part.variable}>{DJANGO_REGEX[BUILTIN_TWINS[part.name]]})")
            else:
                pattern.append(f"(?P<{part.variable}>{_werkzeug_regex(part, custom)})")
        pattern.append("$")
        route.pattern = "".join(pattern)
    else:
        route.pattern = "".join(
            part if isinstance(part, str) else f"<{BUILTIN_TWINS[part.name]}:{part.variable}>" for part in parts
        )
    if any(c.name == "path" for c in converters):
        route.notes.append("werkzeug's `path` cannot start with `/`; Django's `path` converter (`.+`) can")
    if not strict_slashes:
        route.notes.append(
            "`strict_slashes=False` matches with and without the trailing slash: add a pattern for the other form"
        )
    return route


def compose_prefix(prefix: str | None, rule: str) -> str:
    """Flask's BlueprintSetupState.add_url_rule prefix composition."""
    if prefix is None:
        return rule
    if rule:
        return "/".join((prefix.rstrip("/"), rule.lstrip("/")))
    return prefix


def compose_nested_prefix(outer: str | None, inner: str | None) -> str | None:
    """Flask's Blueprint.register composition of a parent's and a child's prefix."""
    if outer is not None and inner is not None:
        return outer.rstrip("/") + "/" + inner.lstrip("/")
    return inner if inner is not None else outer
