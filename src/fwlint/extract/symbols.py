"""A per-module symbol table, filled in the same pass that extracts facts.

libcst's ScopeProvider and QualifiedNameProvider cost several times the parse
itself; fwlint only needs "which import or definition does this name come
from", so it keeps its own scopes while walking the tree once.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

# Roots that are never framework code; references to them are not recorded.
STDLIB_ROOTS: frozenset[str] = frozenset(sys.stdlib_module_names) | {"__future__", "builtins"}
# Parameters are bound to ``<function>.<param>.<name>`` so that a helper such as
# ``def register_view(bp, routes, view_func): bp.add_url_rule(...)`` can be linked to its callers;
# ``for route in routes`` binds ``route`` to ``<...>.<param>.routes.<item>``.
PARAM = ".<param>."
ITEM = ".<item>"
ROUTE_HELPER_METHODS = frozenset({"add_url_rule", "register_blueprint"})


@dataclass(slots=True)
class Scope:
    kind: str  # module | class | function
    qualname: str  # dotted prefix for names defined here
    names: dict[str, str | None] = field(default_factory=dict)


class SymbolTable:
    """Name -> path bindings across nested scopes, following Python's lookup rules."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.scopes: list[Scope] = [Scope("module", module)]

    @property
    def current(self) -> Scope:
        return self.scopes[-1]

    def push(self, kind: str, qualname: str) -> None:
        self.scopes.append(Scope(kind, qualname))

    def pop(self) -> None:
        self.scopes.pop()

    def bind(self, name: str, path: str | None) -> None:
        self.current.names[name] = path

    def lookup(self, name: str) -> str | None:
        innermost = True
        for scope in reversed(self.scopes):
            # A class body's names are not visible from functions nested in it.
            if scope.kind == "class" and not innermost:
                continue
            innermost = False
            if name in scope.names:
                return scope.names[name]
        return None

    def local_path(self, name: str) -> str:
        """The path a new binding of ``name`` in the current scope gets."""
        scope = self.current
        if scope.kind == "function":
            return f"{scope.qualname}.<locals>.{name}"
        return f"{scope.qualname}.{name}"

    @property
    def in_function(self) -> bool:
        return any(scope.kind == "function" for scope in self.scopes)

    def scope_name(self) -> str:
        return self.current.qualname


def resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str | None:
    """Absolute module for ``from <level dots><target> import ...`` inside ``module``."""
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        if level - 1 > len(parts):
            return None
        parts = parts[: len(parts) - (level - 1)]
    if target:
        parts.append(target)
    return ".".join(parts) if parts else None
