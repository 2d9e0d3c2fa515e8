"""Django's ``reverse()``/``reverse_lazy()``/``redirect()`` written as Flask's ``url_for()``/``redirect()``.

A Django URL name (``"catalog:book-detail"``) becomes the Flask endpoint of the route that
carries it (blueprint and name joined with a dot); positional ``args=`` become keyword
arguments named after the route's variables, since ``url_for`` accepts keywords only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fwlint.facts import Call, CallValue, Opaque, Value
from fwlint.translate.values import code_of


@dataclass(frozen=True)
class Endpoint:
    """The Flask endpoint of a named Django URL, and its variables in pattern order."""

    endpoint: str
    arguments: tuple[str, ...] = ()


def flask_endpoint(name: str, endpoints: Mapping[str, Endpoint]) -> Endpoint:
    """The endpoint of a named URL; names the project does not route keep their namespaces as dots."""
    return endpoints.get(name) or Endpoint(name.replace(":", "."))


def url_for_code(
    name: str, args: Sequence[Value], kwargs: Sequence[tuple[str, Value]], endpoints: Mapping[str, Endpoint]
) -> str:
    """``url_for("endpoint", var=value, ...)`` for a URL name with positional and keyword values."""
    target = flask_endpoint(name, endpoints)
    parts = [f'"{target.endpoint}"']
    for position, value in enumerate(args):
        if isinstance(value, Opaque) and value.code.startswith("*"):
            parts.append(f"**dict(zip({list(target.arguments)!r}, {value.code[1:]}))")
            continue
        # url_for takes keywords only: a positional value gets the name of the route's variable.
        variable = target.arguments[position] if position < len(target.arguments) else f"arg{position}"
        parts.append(f"{variable}={code_of(value)}")
    for key, value in kwargs:
        parts.append(f"**{code_of(value)}" if key == "**" else f"{key}={code_of(value)}")
    return f"url_for({', '.join(parts)})"


def reverse(call: Call, endpoints: Mapping[str, Endpoint]) -> str | None:
    """``reverse("name", args=[...], kwargs={...})`` → ``url_for("endpoint", ...)``."""
    if not call.args or not isinstance(call.args[0], str):
        return None
    args = call.kwargs.get("args", call.args[2] if len(call.args) > 2 else None)
    kwargs = call.kwargs.get("kwargs", call.args[3] if len(call.args) > 3 else None)
    positional = list(args) if isinstance(args, (list, tuple)) else []
    keywords: list[tuple[str, Value]] = []
    if isinstance(kwargs, dict):
        keywords = list(kwargs.items())
    elif kwargs is not None:
        keywords = [("**", kwargs)]
    if args is not None and not isinstance(args, (list, tuple)):
        positional = [Opaque("*" + code_of(args))]
    code = url_for_code(call.args[0], positional, keywords, endpoints)
    query = call.kwargs.get("query")
    if isinstance(query, dict):
        # Django 5.2's ``query=``: url_for adds unknown keywords to the query string.
        code = code[:-1] + "".join(f", {k}={code_of(v)}" for k, v in query.items()) + ")"
    fragment = call.kwargs.get("fragment")
    if fragment is not None:
        code = code[:-1] + f", _anchor={code_of(fragment)})"
    return code


def redirect(call: Call, endpoints: Mapping[str, Endpoint]) -> str | None:
    """``redirect(to, *args, permanent=False, **kwargs)``: a URL name is reversed, a URL kept,
    a model instance sent to its ``get_absolute_url()``."""
    if not call.args:
        return None
    target = call.args[0]
    permanent = call.kwargs.get("permanent") is True
    status = ", 301" if permanent else ""
    if isinstance(target, str):
        if target.startswith(("/", ".")) or "//" in target:
            return f"redirect({code_of(target)}{status})"
        keywords = [(k, v) for k, v in call.kwargs.items() if k != "permanent"]
        return f"redirect({url_for_code(target, call.args[1:], keywords, endpoints)}{status})"
    if isinstance(target, CallValue) and target.callee.rsplit(".", 1)[-1] in ("reverse", "reverse_lazy"):
        inner_call = Call(target.callee, list(target.args), dict(target.kwargs), call.span, call.scope)
        reversed_code = reverse(inner_call, endpoints)
        return f"redirect({reversed_code}{status})" if reversed_code is not None else None
    # A model instance: Django calls its ``get_absolute_url()``; a computed URL stays as it is.
    inner = code_of(target)
    if isinstance(target, CallValue) or "url" in inner.lower():
        return f"redirect({inner}{status})"
    return f"redirect({inner}.get_absolute_url(){status})"
