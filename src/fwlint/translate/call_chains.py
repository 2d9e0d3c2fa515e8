"""Call chains as libcst sees them, for the query translators of both directions.

``Book.objects.filter(x)[:3]`` and ``db.session.query(User).all()`` are read the same way: as a
list of links (names, attributes, calls, subscripts) from the root outwards.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

_EMPTY = cst.Module(body=[])


class Unsupported(Exception):
    """Not a chain the translator understands: it returns None."""


@dataclass
class Link:
    """One step of a chain: an attribute, a call or a subscript."""

    name: str
    args: Sequence[cst.Arg] | None
    node: cst.BaseExpression
    subscript: Sequence[cst.SubscriptElement] | None = None

    @property
    def is_call(self) -> bool:
        """Whether the link is a call."""
        return self.args is not None

    @property
    def call_args(self) -> Sequence[cst.Arg]:
        """The call's arguments (none for an attribute or subscript)."""
        return self.args or ()


class Notes:
    """What a translation tells the porter: each note once, and whether the code stayed exact."""

    notes: list[str]
    exact: bool

    def note(self, text: str) -> None:
        """Add a note once."""
        if text not in self.notes:
            self.notes.append(text)

    def lossy(self, text: str) -> None:
        """Add a note and mark the translation as not exact."""
        self.exact = False
        self.note(text)


def flatten(node: cst.BaseExpression) -> list[Link]:
    """``Book.objects.filter(x)[:3]`` → [Book, objects, filter(x), [:3]]."""
    links: list[Link] = []
    current = node
    while True:
        if isinstance(current, cst.Call):
            func = current.func
            if isinstance(func, cst.Attribute):
                links.append(Link(func.attr.value, current.args, current))
                current = func.value
                continue
            if isinstance(func, cst.Name):
                links.append(Link(func.value, current.args, current))
                break
            raise Unsupported
        if isinstance(current, cst.Attribute):
            links.append(Link(current.attr.value, None, current))
            current = current.value
        elif isinstance(current, cst.Name):
            links.append(Link(current.value, None, current))
            break
        elif isinstance(current, cst.Subscript):
            links.append(Link("[]", None, current, current.slice))
            current = current.value
        else:
            raise Unsupported
    links.reverse()
    return links


def plain_prefix(links: Sequence[Link], end: int) -> str | None:
    """The dotted name made of ``links[:end]`` when they are all plain attributes."""
    if end <= 0 or any(link.is_call or link.subscript is not None for link in links[:end]):
        return None
    return ".".join(link.name for link in links[:end])


def source(node: cst.CSTNode) -> str:
    """The source text of a node."""
    return _EMPTY.code_for_node(node).strip()


def argument_source(arg: cst.Arg) -> str:
    """The source of one call argument, without its trailing comma."""
    return source(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT))


def dotted(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a chain of names, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def keyword(args: Sequence[cst.Arg], name: str) -> cst.BaseExpression | None:
    """The value of keyword argument ``name``."""
    for arg in args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def positional(args: Sequence[cst.Arg]) -> list[cst.BaseExpression]:
    """Positional argument values (``*args`` splats excluded)."""
    return [a.value for a in args if a.keyword is None and not a.star]


def python_string(text: str) -> str:
    """A double-quoted Python string literal for ``text``."""
    return json.dumps(text, ensure_ascii=False)


def snake_case(name: str) -> str:
    """``BlogPost`` → ``blog_post``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
