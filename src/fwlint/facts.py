"""Plain, serialisable facts extracted from one source file.

Extraction produces a :class:`FileFacts` per file; nothing in it refers to libcst
nodes, so facts can cross process boundaries and live in the on-disk cache.

Names are *paths*: dotted strings rooted either at an imported module
(``flask.request.args``) or at the place a name was defined in the project
(``shop.catalog.bp``, ``shop.create_app.<locals>.app``).  A segment ending in
``()`` is the result of calling what precedes it (``shop.create_app()``).  The
linker turns paths into canonical framework names once every file is known.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple, Union


class Span(NamedTuple):
    """1-based lines, 1-based columns (characters), end exclusive like SARIF.

    A named tuple rather than a dataclass: there is one per fact, and tuples are
    several times cheaper to unpickle from the cache."""

    line: int
    column: int
    end_line: int
    end_column: int

    def contains(self, inner: Span) -> bool:
        """Whether ``inner`` lies within this span (both ends included)."""
        return (self.line, self.column) <= (inner.line, inner.column) and (inner.end_line, inner.end_column) <= (
            self.end_line,
            self.end_column,
        )


@dataclass(frozen=True)
class Ref:
    """A reference to a name, as a path (see module docstring)."""

    path: str


@dataclass(frozen=True)
class CallValue:
    """A call used as a value, e.g. ``BookAPI.as_view("books")``."""

    callee: str
    args: tuple[Value, ...]
    kwargs: tuple[tuple[str, Value], ...]
    code: str


@dataclass(frozen=True)
class Opaque:
    """An expression fwlint does not evaluate; ``code`` is its source text."""

    code: str


Literal = Union[str, int, float, bool, None]
Value = Union[Literal, Ref, CallValue, Opaque, list["Value"], dict[str, "Value"], tuple["Value", ...]]


@dataclass
class Call:
    """A call whose callee resolves to a path: ``bp.route("/x")``, ``jsonify(...)``."""

    callee: str
    args: list[Value]
    kwargs: dict[str, Value]
    span: Span
    scope: str
    # When the call is a decorator, the qualified name of what it decorates;
    # ``bare`` marks ``@app.before_request`` (no call in the source).
    decorates: str | None = None
    bare: bool = False
    # Source text of the whole call for chained calls and calls with call arguments
    # (``User.query.filter_by(x=1).first()``, ``db.session.scalars(select(User))``): query sites.
    code: str | None = None


@dataclass
class Reference:
    """A non-call use of a resolvable name: ``request.form``, ``session``, ``g.user``."""

    path: str
    span: Span
    scope: str


@dataclass
class FunctionDef:
    qualname: str
    span: Span
    is_async: bool
    params: list[str]
    # Path of the value returned by a ``return NAME`` whose name is known (app factories).
    returns: str | None = None


@dataclass
class ClassDef:
    qualname: str
    span: Span
    bases: list[str]
    methods: dict[str, FunctionDef] = field(default_factory=dict)
    # Simple class attributes (``methods = ["GET"]``, ``regex = r"..."``).
    attributes: dict[str, Value] = field(default_factory=dict)
    # Where each attribute is assigned, and the annotation of annotated ones as written
    # (``id: Mapped[int] = mapped_column(...)`` → ``"Mapped[int]"``; also bare ``x: Mapped[str]``).
    attribute_spans: dict[str, Span] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass
class Assignment:
    """``target = <call>`` where the call's callee is a path: the target is an instance.

    Module-level literals are recorded too (``urlpatterns = [...]``, ``INSTALLED_APPS = [...]``,
    ``ROOT_URLCONF = "site.urls"``): a ``+`` of lists is one list whose non-list operands are
    items of their own (``[path(...)] + router.urls``), and ``augmented`` marks ``+=``."""

    target: str
    value: Value
    span: Span
    augmented: bool = False
    # For a recorded list: where each item is (settings report per ``INSTALLED_APPS`` entry).
    item_spans: tuple[Span, ...] = ()


@dataclass
class Import:
    module: str
    line: int
    # ``from .base import *``: Django settings modules are composed this way.
    star: bool = False


@dataclass
class FileFacts:
    path: str  # relative to the project root, '/'-separated
    module: str  # dotted module name derived from the path
    is_package: bool
    # Module-level and local names bound by imports: path -> imported path.
    aliases: dict[str, str] = field(default_factory=dict)
    assignments: list[Assignment] = field(default_factory=list)
    functions: list[FunctionDef] = field(default_factory=list)
    classes: list[ClassDef] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    # Inline suppressions: line -> rule codes (empty set = all rules).
    suppressions: dict[int, frozenset[str]] = field(default_factory=dict)
    lines: int = 0
    # True when calls and references were left out (see ``summary``).
    partial: bool = False

    def summary(self) -> FileFacts:
        """What other files need from this one: its definitions, imports and the calls that
        shape the project (blueprint registrations, route-registering helpers).  Enough to
        link the project when only some files are reported; a fraction of the size."""
        shaping = [c for c in self.calls if c.callee.endswith(".register_blueprint") or ".<param>." in c.callee]
        return replace(self, calls=shaping, references=[], partial=True)


@dataclass
class FileError:
    """A file that could not be analysed; one entry in the report's ``errors``."""

    path: str
    kind: str  # syntax-error | python2 | decode-error | binary | unreadable | too-large | too-deep | internal
    message: str
    line: int | None = None


@dataclass
class TemplateFile:
    path: str
    lines: int


ExtractionResult = Union[FileFacts, FileError]
