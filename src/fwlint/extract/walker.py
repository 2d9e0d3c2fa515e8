"""One pass over a libcst tree that records facts and keeps the symbol table.

Positions: libcst's PositionProvider regenerates the whole module and costs
more than twice the parse.  The standard library's ``ast`` parser is about ten
times cheaper than libcst's and carries exact positions, so the walker pairs
each libcst node with its ``ast`` twin as it descends and reads positions from
the twin.  Where the two trees' shapes differ, a node takes the position of its
nearest paired ancestor.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import libcst as cst
from libcst.metadata import CodeRange

from fwlint.extract.symbols import ITEM, PARAM, ROUTE_HELPER_METHODS, STDLIB_ROOTS, SymbolTable, resolve_relative
from fwlint.facts import (
    Assignment,
    Call,
    CallValue,
    ClassDef,
    FileFacts,
    FunctionDef,
    Import,
    Opaque,
    Ref,
    Reference,
    Span,
    Value,
)
from fwlint.frameworks import DJANGO_ROOTS

OPAQUE_CODE_LIMIT = 160
# Django hands every view its request as a parameter, not as an import: in a file that imports
# Django, ``request`` parameters and ``self.request`` denote an ``HttpRequest``.
DJANGO_REQUEST = "django.http.HttpRequest()"
SETTINGS_MODULE_CALL = "os.environ.setdefault"
QUERYSET_BASE_SUFFIXES = ("QuerySet", "Manager")
# Calls that are queries whatever their receiver (``books.filter(...)``, ``Loan.objects.create(...)``):
# their text is kept, as for chains, so that their translation sees the arguments as written.
QUERY_METHODS = frozenset(
    {
        "filter", "exclude", "get", "create", "get_or_create", "update_or_create", "update", "delete", "annotate",
        "aggregate", "values", "values_list", "order_by", "select_related", "prefetch_related", "count",
        "exists", "first", "last", "get_object_or_404", "get_list_or_404", "only", "defer", "in_bulk",
        "bulk_create", "bulk_update", "raw", "distinct", "earliest", "latest", "select_for_update", "filter_by",
    }
)  # fmt: skip
# Query chains are translated from their source text, so they keep more of it.
QUERY_CODE_LIMIT = 2000


def _dotted(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def _is_queryset_class(cls: ClassDef) -> bool:
    """A class whose base is named like a Django QuerySet or Manager (project or framework)."""
    return any(base.rsplit(".", 1)[-1].endswith(QUERYSET_BASE_SUFFIXES) for base in cls.bases)


class ModuleWalker:
    def __init__(
        self,
        facts: FileFacts,
        source: str,
        tree: cst.Module,
        twin: ast.Module | None,
        positions: Mapping[cst.CSTNode, CodeRange] | None = None,
    ) -> None:
        self.facts = facts
        self.source_lines = source.splitlines()
        self.tree = tree
        self.twin = twin
        # Only when the ast parse failed (newer syntax than this Python reads): libcst's positions.
        self.positions = positions
        self.symbols = SymbolTable(facts.module)
        self._anchor: Span = Span(1, 1, 1, 1)
        self._function_stack: list[FunctionDef] = []
        self._class_stack: list[ClassDef] = []
        self._imports_seen = 0
        self._imports_django = False
        # Module-level names bound to a recorded literal: ``urlpatterns = base + extra_patterns``.
        self._module_literals: set[str] = set()

    @property
    def imports_django(self) -> bool:
        """Whether the file has imported Django so far (checked incrementally: imports come first)."""
        imports = self.facts.imports
        if len(imports) != self._imports_seen:
            self._imports_django = any(i.module.split(".", 1)[0] in DJANGO_ROOTS for i in imports)
            self._imports_seen = len(imports)
        return self._imports_django

    # ----------------------------------------------------------------- positions
    def _col(self, line: int, byte_col: int) -> int:
        text = self.source_lines[line - 1] if 0 < line <= len(self.source_lines) else ""
        if text.isascii():
            return byte_col + 1
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", "ignore")) + 1

    def span(self, twin: ast.AST | None, node: cst.CSTNode | None = None) -> Span:
        if twin is None or not hasattr(twin, "lineno"):
            if self.positions is not None and node is not None and node in self.positions:
                where = self.positions[node]
                return Span(where.start.line, where.start.column + 1, where.end.line, where.end.column + 1)
            return self._anchor
        line = twin.lineno
        end_line = getattr(twin, "end_lineno", None) or line
        end_col = getattr(twin, "end_col_offset", None)
        return Span(
            line,
            self._col(line, getattr(twin, "col_offset", 0)),
            end_line,
            self._col(end_line, end_col) if end_col is not None else self._col(line, getattr(twin, "col_offset", 0)),
        )

    def source_of(self, node: cst.CSTNode, twin: ast.AST | None, limit: int = OPAQUE_CODE_LIMIT) -> str:
        """Source text of an expression: a slice of the file when its twin is known."""
        if twin is not None and hasattr(twin, "lineno") and getattr(twin, "end_lineno", None):
            sp = self.span(twin)
            lines = self.source_lines[sp.line - 1 : sp.end_line]
            if len(lines) == 1:
                text = lines[0][sp.column - 1 : sp.end_column - 1]
            elif any("#" in line for line in lines):
                # Joining the lines would turn a comment into one swallowing the rest: ``ast`` drops it.
                text = ast.unparse(twin)
            elif lines:
                text = " ".join([lines[0][sp.column - 1 :], *lines[1:-1], lines[-1][: sp.end_column - 1]])
            else:
                text = self.tree.code_for_node(node)
        else:
            text = self.tree.code_for_node(node)
        text = " ".join(text.split())
        return text if len(text) <= limit else text[: limit - 1] + "…"

    # -------------------------------------------------------------- name paths
    def resolve(self, node: cst.BaseExpression) -> str | None:
        """The path of a Name/Attribute/Call chain, or None when its root is unknown."""
        suffix: list[str] = []
        while True:
            if isinstance(node, cst.Attribute):
                suffix.append(node.attr.value)
                node = node.value
            elif isinstance(node, cst.Call):
                suffix.append("()")
                node = node.func
            else:
                break
        if not isinstance(node, cst.Name):
            return None
        root = self.symbols.lookup(node.value)
        if root is None:
            if node.value == "self" and suffix and suffix[-1] == "request" and self.imports_django:
                suffix.pop()
                root = DJANGO_REQUEST
            else:
                return None
        path = root
        for part in reversed(suffix):
            path = path + "()" if part == "()" else f"{path}.{part}"
        return path

    @staticmethod
    def _recordable(path: str) -> bool:
        if PARAM in path:
            # Calls on a parameter matter only where a helper registers routes for its caller.
            return path.rsplit(".", 1)[-1] in ROUTE_HELPER_METHODS
        root = path.split(".", 1)[0].removesuffix("()")
        # ``os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)`` names a Django project's settings.
        return root not in STDLIB_ROOTS or path == SETTINGS_MODULE_CALL

    # ------------------------------------------------------------------ values
    def value(self, node: cst.BaseExpression, twin: ast.AST | None) -> Value:
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            if isinstance(twin, ast.Constant):
                evaluated = twin.value
            else:
                evaluated = node.evaluated_value
            if isinstance(evaluated, str):
                return evaluated
            return Opaque(self.source_of(node, twin))
        if isinstance(node, (cst.Integer, cst.Float)):
            if isinstance(twin, ast.Constant) and isinstance(twin.value, (int, float)):
                return twin.value
            try:
                digits = node.value.replace("_", "")
                return int(digits, 0) if isinstance(node, cst.Integer) else float(digits)
            except ValueError:
                return Opaque(node.value)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
            inner = self.value(node.expression, None)
            if isinstance(inner, (int, float)) and not isinstance(inner, bool):
                return -inner
        if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[node.value]
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            elts = getattr(twin, "elts", None)
            items: list[Value] = []
            for i, element in enumerate(node.elements):
                if isinstance(element, cst.StarredElement):
                    return Opaque(self.source_of(node, twin))
                items.append(self.value(element.value, elts[i] if elts and i < len(elts) else None))
            return tuple(items) if isinstance(node, cst.Tuple) else items
        if isinstance(node, cst.Dict):
            result: dict[str, Value] = {}
            values = getattr(twin, "values", None)
            for i, entry in enumerate(node.elements):
                if not isinstance(entry, cst.DictElement):
                    return Opaque(self.source_of(node, twin))
                key = self.value(entry.key, None)
                if not isinstance(key, str):
                    return Opaque(self.source_of(node, twin))
                result[key] = self.value(entry.value, values[i] if values and i < len(values) else None)
            return result
        if isinstance(node, (cst.Name, cst.Attribute)):
            path = self.resolve(node)
            return Ref(path) if path is not None else Opaque(self.source_of(node, twin))
        if isinstance(node, cst.Call):
            callee = self.resolve(node.func)
            if callee is not None:
                args, kwargs = self.arguments(node, twin)
                return CallValue(callee, tuple(args), tuple(kwargs.items()), self.source_of(node, twin))
        return Opaque(self.source_of(node, twin))

    def arguments(self, node: cst.Call, twin: ast.AST | None) -> tuple[list[Value], dict[str, Value]]:
        args: list[Value] = []
        kwargs: dict[str, Value] = {}
        for arg, arg_twin in self._pair_args(node, twin):
            if arg.keyword is not None:
                kwargs[arg.keyword.value] = self.value(arg.value, arg_twin)
            elif arg.star == "**":
                kwargs["**"] = Opaque(self.source_of(arg.value, arg_twin))
            elif arg.star == "*":
                args.append(Opaque("*" + self.source_of(arg.value, arg_twin)))
            else:
                args.append(self.value(arg.value, arg_twin))
        return args, kwargs

    @staticmethod
    def _pair_args(node: cst.Call, twin: ast.AST | None) -> Iterator[tuple[cst.Arg, ast.AST | None]]:
        """Each argument with its twin: ast keeps positional and keyword arguments apart."""
        positional: list[ast.AST] = []
        keywords_values: list[ast.AST] = []
        if isinstance(twin, ast.Call):
            positional = [a.value if isinstance(a, ast.Starred) else a for a in twin.args]
            keywords_values = [k.value for k in twin.keywords]
        p = k = 0
        for arg in node.args:
            if arg.keyword is None and arg.star != "**":
                yield arg, positional[p] if p < len(positional) else None
                p += 1
            else:
                yield arg, keywords_values[k] if k < len(keywords_values) else None
                k += 1

    # -------------------------------------------------------------- statements
    def run(self) -> None:
        self.body(self.tree.body, self.twin.body if self.twin is not None else None)

    def body(self, statements: Sequence[cst.CSTNode], twins: Sequence[ast.stmt] | None) -> None:
        index = 0
        twins = twins or ()
        for statement in statements:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    twin = twins[index] if index < len(twins) else None
                    index += 1
                    self.small_statement(small, twin)
            else:
                twin = twins[index] if index < len(twins) else None
                index += 1
                self.compound_statement(statement, twin)

    def block(self, suite: cst.BaseSuite, twins: Sequence[ast.stmt] | None) -> None:
        if isinstance(suite, cst.IndentedBlock):
            self.body(suite.body, twins)
        elif isinstance(suite, cst.SimpleStatementSuite):
            twins = twins or ()
            for i, small in enumerate(suite.body):
                self.small_statement(small, twins[i] if i < len(twins) else None)

    def _set_anchor(self, twin: ast.AST | None) -> Span:
        previous = self._anchor
        if twin is not None and hasattr(twin, "lineno"):
            self._anchor = self.span(twin)
        return previous

    def small_statement(self, node: cst.BaseSmallStatement, twin: ast.AST | None) -> None:
        previous = self._set_anchor(twin)
        try:
            if isinstance(node, cst.Expr):
                self.expr(node.value, getattr(twin, "value", None))
            elif isinstance(node, cst.Assign):
                self.assign(node, twin)
            elif isinstance(node, cst.AnnAssign):
                if self._class_stack and self.symbols.current.kind == "class" and isinstance(node.target, cst.Name):
                    cls = self._class_stack[-1]
                    cls.annotations[node.target.value] = self.source_of(
                        node.annotation.annotation, getattr(twin, "annotation", None)
                    )
                    cls.attribute_spans[node.target.value] = self._anchor
                if node.value is not None:
                    self.expr(node.value, getattr(twin, "value", None))
                    self.bind_target(node.target, node.value, getattr(twin, "value", None))
            elif isinstance(node, cst.AugAssign):
                self.expr(node.value, getattr(twin, "value", None))
                if isinstance(node.operator, cst.AddAssign) and isinstance(node.target, cst.Name):
                    self.module_literal(node.target.value, node.value, getattr(twin, "value", None), augmented=True)
            elif isinstance(node, cst.Return):
                if node.value is not None:
                    self.expr(node.value, getattr(twin, "value", None))
                    if self._function_stack and isinstance(node.value, cst.Name):
                        returned = self.symbols.lookup(node.value.value)
                        if returned is not None:
                            self._function_stack[-1].returns = returned
            elif isinstance(node, (cst.Import, cst.ImportFrom)):
                self.import_(node, twin)
            elif isinstance(node, cst.Raise):
                if node.exc is not None:
                    self.expr(node.exc, getattr(twin, "exc", None))
            elif isinstance(node, cst.Assert):
                self.expr(node.test, getattr(twin, "test", None))
            elif isinstance(node, cst.Del):
                self.expr(node.target, None)
            elif isinstance(node, cst.Global):
                for name in node.names:
                    self.symbols.bind(name.name.value, f"{self.facts.module}.{name.name.value}")
        finally:
            self._anchor = previous

    def assign(self, node: cst.Assign, twin: ast.AST | None) -> None:
        value_twin = getattr(twin, "value", None)
        self.expr(node.value, value_twin)
        target_twins = getattr(twin, "targets", None) or ()
        for i, target in enumerate(node.targets):
            self.bind_target(target.target, node.value, value_twin)
            if not isinstance(target.target, cst.Name):
                self.expr(target.target, target_twins[i] if i < len(target_twins) else None)
            if isinstance(target.target, cst.Subscript):
                self.keyed_assignment(target.target, node.value, value_twin)

    def keyed_assignment(self, target: cst.Subscript, value: cst.BaseExpression, value_twin: ast.AST | None) -> None:
        """``app.url_map.converters["isbn"] = IsbnConverter`` and the like."""
        owner = self.resolve(target.value)
        if owner is None or len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
            return
        key = target.slice[0].slice.value
        if isinstance(key, cst.SimpleString) and isinstance(key.evaluated_value, str):
            self.facts.assignments.append(
                Assignment(
                    f"{owner}[{key.evaluated_value}]", self.value(value, value_twin), self.span(value_twin, value)
                )
            )

    def bind_target(self, target: cst.BaseExpression, value: cst.BaseExpression, value_twin: ast.AST | None) -> None:
        if isinstance(target, cst.Name):
            name = target.value
            if self.symbols.current.kind == "class":
                self._class_stack_attr(name, value, value_twin)
            if isinstance(value, cst.Call):
                callee = self.resolve(value.func)
                if callee is not None and PARAM not in callee:
                    path = self.symbols.local_path(name)
                    self.symbols.bind(name, path)
                    self.facts.assignments.append(
                        Assignment(path, self.value(value, value_twin), self.span(value_twin, value))
                    )
                    return
            elif isinstance(value, (cst.Name, cst.Attribute)):
                aliased = self.resolve(value)
                if aliased is not None and PARAM not in aliased:
                    self.symbols.bind(name, aliased)
                    if not self.symbols.in_function:
                        self.facts.aliases[self.symbols.local_path(name)] = aliased
                    return
            self.symbols.bind(name, None)
            self.module_literal(name, value, value_twin)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.bind_target(element.value, cst.Ellipsis(), None)

    def module_literal(
        self, name: str, value: cst.BaseExpression, twin: ast.AST | None, augmented: bool = False
    ) -> None:
        """``urlpatterns = [...]``, ``ROOT_URLCONF = "site.urls"``: module-level data the
        Django linker reads (URL lists, settings)."""
        if self.symbols.current.kind != "module":
            return
        if (
            isinstance(value, cst.BinaryOperation)
            and isinstance(value.operator, cst.Add)
            and isinstance(value.left, cst.Name)
            and value.left.value == name
        ):
            # ``MIDDLEWARE = MIDDLEWARE + [...]`` extends the list like ``+=``.
            value, twin, augmented = value.right, getattr(twin, "right", None), True
        recorded = self._concatenation(value, twin)
        if recorded is None:
            if not name.isupper():
                return
            # A setting computed at import time (``SECRET_KEY = os.environ["KEY"]``): its text.
            recorded = Opaque(self.source_of(value, twin)), []
        literal, item_spans = recorded
        path = f"{self.facts.module}.{name}"
        spans = tuple(item_spans) if isinstance(literal, list) else ()
        self.facts.assignments.append(Assignment(path, literal, self.span(twin, value), augmented, spans))
        self._module_literals.add(name)

    def _concatenation(self, node: cst.BaseExpression, twin: ast.AST | None) -> tuple[Value, list[Span]] | None:
        """A literal, or a ``+`` of lists and list-valued names/calls, with each item's span."""
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            items: list[Value] = []
            spans: list[Span] = []
            for side, side_twin in (
                (node.left, getattr(twin, "left", None)),
                (node.right, getattr(twin, "right", None)),
            ):
                recorded = self._concatenation(side, side_twin)
                if recorded is None:
                    return None
                value, side_spans = recorded
                if isinstance(value, list):
                    items.extend(value)
                    spans.extend(side_spans)
                else:
                    items.append(value)
                    spans.append(self.span(side_twin, side))
            return items, spans
        if isinstance(node, cst.Name) and node.value in ("True", "False"):
            return self.value(node, twin), []
        if isinstance(node, (cst.List, cst.Tuple)):
            value = self.value(node, twin)
            elements = getattr(twin, "elts", None) or ()
            spans = [
                self.span(elements[i] if i < len(elements) else None, e.value) for i, e in enumerate(node.elements)
            ]
            return (list(value) if isinstance(value, tuple) else value), spans
        if isinstance(node, (cst.Dict, cst.SimpleString, cst.ConcatenatedString, cst.Integer)):
            return self.value(node, twin), []
        if isinstance(node, cst.Name) and node.value in self._module_literals:
            # Another module-level list: ``urlpatterns = base_patterns + extra_patterns``.
            return Ref(f"{self.facts.module}.{node.value}"), []
        if isinstance(node, (cst.Name, cst.Attribute, cst.Call)):
            # An operand of ``+`` or ``+=`` (``urlpatterns += router.urls``, ``+ static(...)``);
            # resolvable ones assigned alone are already aliases or instances.
            value = self.value(node, twin)
            return (value, []) if isinstance(value, (Ref, CallValue)) else None
        return None

    def _class_stack_attr(self, name: str, value: cst.BaseExpression, twin: ast.AST | None) -> None:
        if self._class_stack:
            self._class_stack[-1].attributes[name] = self.value(value, twin)
            self._class_stack[-1].attribute_spans[name] = self._anchor

    def import_(self, node: cst.Import | cst.ImportFrom, twin: ast.AST | None) -> None:
        line = self._anchor.line
        if isinstance(node, cst.Import):
            for alias in node.names:
                dotted = _dotted(alias.name) or ""
                self.facts.imports.append(Import(dotted, line))
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self._bind_import(alias.asname.name.value, dotted)
                else:
                    root = dotted.split(".", 1)[0]
                    self._bind_import(root, root)
            return
        level = len(node.relative)
        target = _dotted(node.module) if node.module is not None else None
        if level:
            module = resolve_relative(self.facts.module, self.facts.is_package, level, target)
        else:
            module = target
        if module is None:
            return
        self.facts.imports.append(Import(module, line, isinstance(node.names, cst.ImportStar)))
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = _dotted(alias.name) or ""
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self._bind_import(local, f"{module}.{name}")

    def _bind_import(self, local: str, path: str) -> None:
        self.symbols.bind(local, path)
        if not self.symbols.in_function:
            self.facts.aliases[self.symbols.local_path(local)] = path

    def compound_statement(self, node: cst.CSTNode, twin: ast.AST | None) -> None:
        previous = self._set_anchor(twin)
        try:
            if isinstance(node, cst.FunctionDef):
                self.function(node, twin)
            elif isinstance(node, cst.ClassDef):
                self.class_(node, twin)
            elif isinstance(node, cst.If):
                self.if_(node, twin)
            elif isinstance(node, cst.For):
                self.expr(node.iter, getattr(twin, "iter", None))
                self.bind_target(node.target, cst.Ellipsis(), None)
                iterated = self.resolve(node.iter)
                if iterated is not None and PARAM in iterated and isinstance(node.target, cst.Name):
                    self.symbols.bind(node.target.value, iterated + ITEM)
                self.block(node.body, getattr(twin, "body", None))
                if node.orelse is not None:
                    self.block(node.orelse.body, getattr(twin, "orelse", None))
            elif isinstance(node, cst.While):
                self.expr(node.test, getattr(twin, "test", None))
                self.block(node.body, getattr(twin, "body", None))
                if node.orelse is not None:
                    self.block(node.orelse.body, getattr(twin, "orelse", None))
            elif isinstance(node, (cst.Try, cst.TryStar)):
                self.block(node.body, getattr(twin, "body", None))
                handler_twins = getattr(twin, "handlers", None) or ()
                handlers: Sequence[Any] = node.handlers
                for i, handler in enumerate(handlers):
                    handler_twin = handler_twins[i] if i < len(handler_twins) else None
                    if handler.type is not None:
                        self.expr(handler.type, getattr(handler_twin, "type", None))
                    if handler.name is not None and isinstance(handler.name.name, cst.Name):
                        self.symbols.bind(handler.name.name.value, None)
                    self.block(handler.body, getattr(handler_twin, "body", None))
                if node.orelse is not None:
                    self.block(node.orelse.body, getattr(twin, "orelse", None))
                if node.finalbody is not None:
                    self.block(node.finalbody.body, getattr(twin, "finalbody", None))
            elif isinstance(node, cst.With):
                item_twins = getattr(twin, "items", None) or ()
                for i, item in enumerate(node.items):
                    item_twin = item_twins[i] if i < len(item_twins) else None
                    self.expr(item.item, getattr(item_twin, "context_expr", None))
                    if item.asname is not None:
                        self.bind_target(item.asname.name, cst.Ellipsis(), None)
                self.block(node.body, getattr(twin, "body", None))
            elif isinstance(node, cst.Match):
                self.expr(node.subject, getattr(twin, "subject", None))
                case_twins = getattr(twin, "cases", None) or ()
                for i, case in enumerate(node.cases):
                    case_twin = case_twins[i] if i < len(case_twins) else None
                    if case.guard is not None:
                        self.expr(case.guard, getattr(case_twin, "guard", None))
                    self.block(case.body, getattr(case_twin, "body", None))
        finally:
            self._anchor = previous

    def if_(self, node: cst.If, twin: ast.AST | None) -> None:
        self.expr(node.test, getattr(twin, "test", None))
        self.block(node.body, getattr(twin, "body", None))
        orelse_twins = getattr(twin, "orelse", None)
        if isinstance(node.orelse, cst.If):
            elif_twin = orelse_twins[0] if orelse_twins else None
            previous = self._set_anchor(elif_twin)
            self.if_(node.orelse, elif_twin)
            self._anchor = previous
        elif isinstance(node.orelse, cst.Else):
            self.block(node.orelse.body, orelse_twins)

    # ------------------------------------------------------ functions, classes
    def decorators(self, decorators: Sequence[cst.Decorator], twins: Sequence[ast.expr] | None, target: str) -> None:
        twins = twins or ()
        for i, decorator in enumerate(decorators):
            twin = twins[i] if i < len(twins) else None
            expression = decorator.decorator
            if isinstance(expression, cst.Call):
                self.call(expression, twin, decorates=target)
            else:
                path = self.resolve(expression)
                if path is not None and self._recordable(path):
                    self.facts.calls.append(
                        Call(
                            path,
                            [],
                            {},
                            self.span(twin, expression),
                            self.symbols.scope_name(),
                            decorates=target,
                            bare=True,
                        )
                    )

    def function(self, node: cst.FunctionDef, twin: ast.AST | None) -> None:
        name = node.name.value
        qualname = self.symbols.local_path(name)
        if self.symbols.current.kind == "class":
            qualname = f"{self.symbols.current.qualname}.{name}"
        self.decorators(node.decorators, getattr(twin, "decorator_list", None), qualname)
        params = [p.name.value for p in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params)]
        for param in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params):
            if param.default is not None:
                self.expr(param.default, None)
        span = self.span(twin, node)
        header = Span(span.line, span.column, span.line, span.column)
        fact = FunctionDef(qualname, header, node.asynchronous is not None, params)
        if self.symbols.current.kind == "class" and self._class_stack:
            self._class_stack[-1].methods[name] = fact
        else:
            self.facts.functions.append(fact)
        self.symbols.bind(name, qualname)
        self.symbols.push("function", qualname)
        owner = self._class_stack[-1] if self._class_stack and self.symbols.scopes[-2].kind == "class" else None
        for position, param_name in enumerate(params):
            if param_name == "request" and self.imports_django:
                self.symbols.bind(param_name, DJANGO_REQUEST)
            elif position == 0 and owner is not None and self.imports_django and _is_queryset_class(owner):
                # ``self.filter(...)`` in a custom QuerySet or Manager is a query on the model.
                self.symbols.bind(param_name, f"{owner.qualname}()")
            elif param_name in ("self", "cls"):
                self.symbols.bind(param_name, None)
            else:
                self.symbols.bind(param_name, f"{qualname}{PARAM}{param_name}")
        for star in (node.params.star_arg, node.params.star_kwarg):
            if isinstance(star, cst.Param):
                self.symbols.bind(star.name.value, None)
        self._function_stack.append(fact)
        try:
            self.block(node.body, getattr(twin, "body", None))
        finally:
            self._function_stack.pop()
            self.symbols.pop()

    def class_(self, node: cst.ClassDef, twin: ast.AST | None) -> None:
        name = node.name.value
        qualname = self.symbols.local_path(name)
        self.decorators(node.decorators, getattr(twin, "decorator_list", None), qualname)
        bases: list[str] = []
        base_twins = getattr(twin, "bases", None) or ()
        for i, base in enumerate(node.bases):
            base_twin = base_twins[i] if i < len(base_twins) else None
            self.expr(base.value, base_twin)
            # ``models.Manager["Book"]`` (a generic base for type checkers) is ``models.Manager``.
            base_value = base.value.value if isinstance(base.value, cst.Subscript) else base.value
            path = self.resolve(base_value)
            if path is not None:
                bases.append(path)
        span = self.span(twin, node)
        fact = ClassDef(qualname, Span(span.line, span.column, span.line, span.column), bases)
        self.facts.classes.append(fact)
        self.symbols.bind(name, qualname)
        self.symbols.push("class", qualname)
        self._class_stack.append(fact)
        try:
            self.block(node.body, getattr(twin, "body", None))
        finally:
            self._class_stack.pop()
            self.symbols.pop()

    # -------------------------------------------------------------- expressions
    def call(self, node: cst.Call, twin: ast.AST | None, decorates: str | None = None, link: bool = False) -> None:
        """``link``: the call is an inner link of a longer chain, whose outermost call keeps the text."""
        callee = self.resolve(node.func)
        if callee is not None and self._recordable(callee):
            args, kwargs = self.arguments(node, twin)
            code = None
            if not link and (
                "()" in callee
                or any(isinstance(arg.value, cst.Call) for arg in node.args)
                or callee.rsplit(".", 1)[-1] in QUERY_METHODS
            ):
                code = self.source_of(node, twin, QUERY_CODE_LIMIT)
            self.facts.calls.append(
                Call(
                    callee,
                    args,
                    kwargs,
                    self.span(twin, node),
                    self.symbols.scope_name(),
                    decorates=decorates,
                    code=code,
                )
            )
        self.chain_inner(node.func, getattr(twin, "func", None))
        for arg, arg_twin in self._pair_args(node, twin):
            self.expr(arg.value, arg_twin)

    def chain_inner(self, node: cst.BaseExpression, twin: ast.AST | None) -> None:
        """Descend into a callee/reference chain without recording the chain itself."""
        while isinstance(node, cst.Attribute):
            node = node.value
            twin = getattr(twin, "value", None)
        if isinstance(node, cst.Call):
            self.call(node, twin, link=True)
        elif not isinstance(node, cst.Name):
            self.expr(node, twin)

    def expr(self, node: cst.BaseExpression, twin: ast.AST | None) -> None:
        if isinstance(node, cst.Call):
            self.call(node, twin)
        elif isinstance(node, (cst.Name, cst.Attribute)):
            path = self.resolve(node)
            if path is not None and self._recordable(path):
                self.facts.references.append(Reference(path, self.span(twin, node), self.symbols.scope_name()))
            self.chain_inner(node, twin)
        elif isinstance(node, cst.Subscript):
            self.expr(node.value, getattr(twin, "value", None))
            slice_twin = getattr(twin, "slice", None)
            many = len(node.slice) > 1
            slice_twins = getattr(slice_twin, "elts", None) if many else None
            for i, element in enumerate(node.slice):
                element_twin = (
                    (slice_twins[i] if slice_twins and i < len(slice_twins) else None) if many else slice_twin
                )
                inner = element.slice
                if isinstance(inner, cst.Index):
                    self.expr(inner.value, element_twin)
                elif isinstance(inner, cst.Slice):
                    for bound, attr in ((inner.lower, "lower"), (inner.upper, "upper"), (inner.step, "step")):
                        if bound is not None:
                            self.expr(bound, getattr(element_twin, attr, None))
        elif isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis)):
            return
        elif isinstance(node, cst.BinaryOperation):
            self.expr(node.left, getattr(twin, "left", None))
            self.expr(node.right, getattr(twin, "right", None))
        elif isinstance(node, cst.BooleanOperation):
            # ``a and b and c`` nests to the left in libcst and is one ``BoolOp`` in ast.
            operands: list[cst.BaseExpression] = [node.right]
            left = node.left
            while isinstance(left, cst.BooleanOperation) and type(left.operator) is type(node.operator):
                operands.append(left.right)
                left = left.left
            operands.append(left)
            operands.reverse()
            values = getattr(twin, "values", None) or ()
            paired = len(values) == len(operands)
            for i, operand in enumerate(operands):
                self.expr(operand, values[i] if paired else None)
        elif isinstance(node, cst.Comparison):
            self.expr(node.left, getattr(twin, "left", None))
            comparators = getattr(twin, "comparators", None) or ()
            for i, target in enumerate(node.comparisons):
                self.expr(target.comparator, comparators[i] if i < len(comparators) else None)
        elif isinstance(node, cst.UnaryOperation):
            self.expr(node.expression, getattr(twin, "operand", None))
        elif isinstance(node, cst.IfExp):
            self.expr(node.test, getattr(twin, "test", None))
            self.expr(node.body, getattr(twin, "body", None))
            self.expr(node.orelse, getattr(twin, "orelse", None))
        elif isinstance(node, (cst.Tuple, cst.List, cst.Set)):
            elts = getattr(twin, "elts", None) or ()
            for i, member in enumerate(node.elements):
                member_twin = elts[i] if i < len(elts) else None
                if isinstance(member, cst.StarredElement):
                    member_twin = getattr(member_twin, "value", None)
                self.expr(member.value, member_twin)
        elif isinstance(node, cst.Dict):
            keys = getattr(twin, "keys", None) or ()
            values = getattr(twin, "values", None) or ()
            for i, entry in enumerate(node.elements):
                if isinstance(entry, cst.DictElement):
                    self.expr(entry.key, keys[i] if i < len(keys) else None)
                self.expr(entry.value, values[i] if i < len(values) else None)
        elif isinstance(node, cst.Await):
            self.expr(node.expression, getattr(twin, "value", None))
        elif isinstance(node, cst.Yield):
            if isinstance(node.value, cst.From):
                self.expr(node.value.item, getattr(twin, "value", None))
            elif node.value is not None:
                self.expr(node.value, getattr(twin, "value", None))
        elif isinstance(node, cst.NamedExpr):
            self.expr(node.value, getattr(twin, "value", None))
            self.bind_target(node.target, node.value, getattr(twin, "value", None))
        elif isinstance(node, cst.Lambda):
            self.symbols.push("function", self.symbols.local_path("<lambda>"))
            for param in node.params.params:
                self.symbols.bind(param.name.value, None)
            self.expr(node.body, getattr(twin, "body", None))
            self.symbols.pop()
        elif isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            self.comprehension(node, twin)
        elif isinstance(node, cst.FormattedString):
            formatted = [v for v in (getattr(twin, "values", None) or ()) if isinstance(v, ast.FormattedValue)]
            expressions = [p for p in node.parts if isinstance(p, cst.FormattedStringExpression)]
            for i, expression in enumerate(expressions):
                self.expr(expression.expression, formatted[i].value if i < len(formatted) else None)
        elif isinstance(node, cst.ConcatenatedString):
            for side in (node.left, node.right):
                self.expr(side, None)
        elif isinstance(node, cst.StarredElement):
            self.expr(node.value, None)
        else:
            self._generic(node)

    def comprehension(self, node: Any, twin: ast.AST | None) -> None:
        self.symbols.push("function", self.symbols.local_path("<comprehension>"))
        try:
            generators = getattr(twin, "generators", None) or ()
            for_in: cst.CompFor | None = node.for_in
            i = 0
            while for_in is not None:
                generator = generators[i] if i < len(generators) else None
                self.expr(for_in.iter, getattr(generator, "iter", None))
                self.bind_target(for_in.target, cst.Ellipsis(), None)
                if_twins = getattr(generator, "ifs", None) or ()
                for j, condition in enumerate(for_in.ifs):
                    self.expr(condition.test, if_twins[j] if j < len(if_twins) else None)
                for_in = for_in.inner_for_in
                i += 1
            if isinstance(node, cst.DictComp):
                self.expr(node.key, getattr(twin, "key", None))
                self.expr(node.value, getattr(twin, "value", None))
            else:
                self.expr(node.elt, getattr(twin, "elt", None))
        finally:
            self.symbols.pop()

    def _generic(self, node: cst.CSTNode) -> None:
        # Rare node kinds: descend through their children without positions of their own.
        for child in node.children:
            if isinstance(child, cst.BaseExpression):
                self.expr(child, None)
            else:
                self._generic(child)


def walk_module(facts: FileFacts, source: str, tree: cst.Module, twin: ast.Module | None) -> None:
    positions = None
    if twin is None:
        from libcst.metadata import MetadataWrapper, PositionProvider

        positions = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    ModuleWalker(facts, source, tree, twin, positions).run()
