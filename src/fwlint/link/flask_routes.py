"""The Flask URL map, rebuilt statically: apps, blueprints, their registrations and routes.

Mirrors Flask's own composition (``flask/sansio/blueprints.py``): a
registration's ``url_prefix`` overrides the blueprint's, nested blueprints join
their parent's prefix and name, and endpoints are ``parent.child.function``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fwlint.extract.symbols import ITEM, PARAM
from fwlint.facts import Call, CallValue, FileFacts, Opaque, Ref, Span, Value
from fwlint.link.index import Instance, ProjectIndex
from fwlint.translate.urls import (
    CustomConverter,
    DjangoRoute,
    RuleSyntaxError,
    compose_nested_prefix,
    compose_prefix,
    to_django,
)
from fwlint.translate.values import code_of

ROUTE_DECORATORS = {"route": None, "get": "GET", "post": "POST", "put": "PUT", "delete": "DELETE", "patch": "PATCH"}
HTTP_METHOD_FUNCS = ("get", "post", "put", "patch", "delete", "trace")
SCAFFOLDS = ("flask.Flask", "flask.Blueprint")


@dataclass(slots=True)
class Blueprint:
    path: str  # where it is defined: shop.catalog.bp
    name: str
    url_prefix: str | None
    subdomain: str | None
    file: str
    line: int


@dataclass(slots=True)
class Mount:
    """One place a blueprint is registered: its full name and effective prefix."""

    name: str
    url_prefix: str | None
    subdomain: str | None


@dataclass(slots=True)
class RouteSite:
    methods: list[str]
    path: str
    endpoint: str
    handler: str
    file: str
    span: Span
    blueprint: str | None
    django: DjangoRoute | None
    django_code: str
    django_name: str
    defaults: dict[str, Value] | None = None
    strict_slashes: bool | None = None
    subdomain: str | None = None
    host: str | None = None
    is_async: bool = False
    view_kind: str = "function"  # function | method-view | view
    error: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FlaskStructure:
    apps: list[Instance] = field(default_factory=list)
    blueprints: dict[str, Blueprint] = field(default_factory=dict)
    mounts: dict[str, list[Mount]] = field(default_factory=dict)
    routes: list[RouteSite] = field(default_factory=list)
    converters: dict[str, CustomConverter] = field(default_factory=dict)
    # (file, line, column) of each route-declaring call -> its routes.
    by_call: dict[tuple[str, int, int], list[RouteSite]] = field(default_factory=dict)
    # blueprint path -> include() line for its registration.
    registrations: dict[tuple[str, int, int], str] = field(default_factory=dict)
    # Calls of project helpers that register routes for their caller (``register_view(bp, ...)``).
    helper_calls: list[tuple[FileFacts, Call]] = field(default_factory=list)
    # (file, line) of ``app.url_map.converters[key] = Cls`` -> the register_converter() line.
    converter_sites: dict[tuple[str, int], str] = field(default_factory=dict)


def _string(value: Value) -> str | None:
    return value if isinstance(value, str) else None


def _prefix(value: Value) -> str | None:
    """A literal prefix, or the prefix expression in braces when it is computed at run time."""
    if value is None or isinstance(value, str):
        return value
    code = value.code if isinstance(value, (Opaque, CallValue)) else str(value)
    # ``app.config["AUTH_URL_PREFIX"]`` → ``{AUTH_URL_PREFIX}``: a placeholder safe inside a string.
    names = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", code)
    return "{" + (names[-1] if names else "prefix") + "}"


def _methods(value: Value) -> list[str] | None:
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return sorted({str(v).upper() for v in value} - {"HEAD", "OPTIONS"})
    return None


def _arg(call: Call | CallValue, index: int, name: str) -> Value:
    if isinstance(call, Call):
        args, kwargs = call.args, call.kwargs
    else:
        args, kwargs = list(call.args), dict(call.kwargs)
    if name in kwargs:
        return kwargs[name]
    return args[index] if index < len(args) else None


class FlaskRouteBuilder:
    def __init__(self, index: ProjectIndex) -> None:
        self.index = index
        self.result = FlaskStructure()

    def build(self) -> FlaskStructure:
        index = self.index
        for instance in index.instances.values():
            canonical = index.framework_class(instance.call.callee)
            if canonical == "flask.Flask":
                self.result.apps.append(instance)
            elif canonical == "flask.Blueprint":
                constructor = instance.call
                self.result.blueprints[instance.path] = Blueprint(
                    instance.path,
                    _string(_arg(constructor, 0, "name")) or instance.path.rsplit(".", 1)[-1],
                    _string(dict(constructor.kwargs).get("url_prefix")),
                    _string(dict(constructor.kwargs).get("subdomain")),
                    instance.file.path,
                    instance.line,
                )
        self._collect_converters()
        registrations = self._registrations()
        self._compute_mounts(registrations)
        for facts in index.files:
            for call in facts.calls:
                self._route(facts, call)
        self._helper_routes()
        self.result.routes.sort(key=lambda r: (r.file, r.span.line, r.methods))
        return self.result

    # ----------------------------------------------------------- converters
    def _collect_converters(self) -> None:
        for facts in self.index.files:
            for assignment in facts.assignments:
                if not assignment.target.endswith("]") or "[" not in assignment.target:
                    continue
                owner, key = assignment.target[:-1].split("[", 1)
                if self.index.canonical(owner) != "flask.Flask.url_map.converters":
                    continue
                class_path = assignment.value.path if isinstance(assignment.value, Ref) else None
                regex = None
                class_name = key.capitalize() + "Converter"
                if class_path is not None:
                    resolved = self.index.resolve_project(class_path)
                    class_name = resolved.rsplit(".", 1)[-1]
                    value = self.index.class_attribute(resolved, "regex")
                    regex = value if isinstance(value, str) else None
                self.result.converters[key] = CustomConverter(key, class_name, regex)
                self.result.converter_sites[(facts.path, assignment.span.line)] = (
                    f'register_converter({class_name}, "{key}")'
                )

    # -------------------------------------------------------- registrations
    def _registrations(self) -> list[tuple[str | None, str, dict[str, Value], Call, FileFacts]]:
        found = []
        for facts in self.index.files:
            for call in facts.calls:
                receiver, _, method = call.callee.rpartition(".")
                # ``def init_app(app): app.register_blueprint(bp)``: the parameter is the app.
                on_parameter = PARAM in receiver and "." not in receiver.partition(PARAM)[2]
                if method != "register_blueprint" or not (on_parameter or self._scaffold_method(call.callee)):
                    continue
                child_ref = _arg(call, 0, "blueprint")
                if not isinstance(child_ref, Ref):
                    continue
                child = self.index.instance_of(child_ref.path)
                if child is None or child.path not in self.result.blueprints:
                    continue
                parent = self.index.instance_of(self.index.receiver(call.callee))
                parent_path = parent.path if parent is not None and parent.path in self.result.blueprints else None
                found.append((parent_path, child.path, dict(call.kwargs), call, facts))
        return found

    def _compute_mounts(self, registrations: list[tuple[str | None, str, dict[str, Value], Call, FileFacts]]) -> None:
        blueprints = self.result.blueprints
        children: dict[str | None, list[tuple[str, dict[str, Value], Call, FileFacts]]] = {}
        registered: set[str] = set()
        for parent, child, options, call, facts in registrations:
            children.setdefault(parent, []).append((child, options, call, facts))
            registered.add(child)

        def mount(path: str, options: dict[str, Value], outer: Mount | None, depth: int) -> None:
            if depth > 8:
                return
            bp = blueprints[path]
            own_prefix = _prefix(options["url_prefix"]) if "url_prefix" in options else None
            if own_prefix is None:
                own_prefix = bp.url_prefix
            own_subdomain = _string(options.get("subdomain")) or bp.subdomain
            name = _string(options.get("name")) or bp.name
            if outer is None:
                this = Mount(name, own_prefix, own_subdomain)
            else:
                subdomain = own_subdomain
                if outer.subdomain is not None and own_subdomain is not None:
                    subdomain = f"{own_subdomain}.{outer.subdomain}"
                elif outer.subdomain is not None:
                    subdomain = outer.subdomain
                this = Mount(f"{outer.name}.{name}", compose_nested_prefix(outer.url_prefix, own_prefix), subdomain)
            self.result.mounts.setdefault(path, []).append(this)
            for child, child_options, _, _ in children.get(path, []):
                mount(child, child_options, this, depth + 1)

        for child, options, call, facts in children.get(None, []):
            mount(child, options, None, 0)
            prefix = self.result.mounts[child][-1].url_prefix
            module = self._blueprint_module(child)
            self.result.registrations[(facts.path, call.span.line, call.span.column)] = (
                f'path("{(prefix or "").lstrip("/").rstrip("/") + "/" if (prefix or "").strip("/") else ""}", '
                f'include("{module}.urls"))'
            )
        for path in blueprints:
            if path not in registered:
                mount(path, {}, None, 0)

    def _blueprint_module(self, bp_path: str) -> str:
        """The Django app a blueprint becomes: its package (``shop.catalog``, not ``shop.catalog.views``)."""
        module = self.index.resolve_project(bp_path).rsplit(".", 1)[0]
        facts = self.index.modules.get(module)
        if facts is not None and not facts.is_package and "." in module:
            return module.rsplit(".", 1)[0]
        return module

    # ----------------------------------------------------------------- routes
    def _route(self, facts: FileFacts, call: Call) -> None:
        method = self._scaffold_method(call.callee)
        if method is None:
            return
        if method in ROUTE_DECORATORS and call.decorates is not None and not call.bare:
            self._decorated_route(facts, call, ROUTE_DECORATORS[method])
        elif method == "add_url_rule":
            self._add_url_rule(facts, call)

    def _helper_routes(self) -> None:
        """Routes registered through a project helper, e.g. flaskbb's
        ``def register_view(bp_or_app, routes, view_func, **kw): for r in routes: bp_or_app.add_url_rule(r, ...)``:
        each call of the helper is the ``add_url_rule`` with the caller's arguments substituted."""
        helpers: dict[str, list[Call]] = {}
        for facts in self.index.files:
            for call in facts.calls:
                receiver, _, method = call.callee.rpartition(".")
                function, marker, param = receiver.partition(PARAM)
                if marker and method == "add_url_rule" and "." not in param:
                    helpers.setdefault(function, []).append(call)
        if not helpers:
            return
        for facts in self.index.files:
            for call in facts.calls:
                function = self.index.resolve_project(call.callee)
                if function not in helpers or call.scope == function:
                    continue
                definition = self.index.functions.get(function)
                if definition is None:
                    continue
                bound = _bind_arguments(definition[0].params, call)
                for inner in helpers[function]:
                    for synthetic in _substitute(function, inner, bound, call):
                        self._add_url_rule(facts, synthetic)
                        self.result.helper_calls.append((facts, synthetic))

    def _scaffold_method(self, callee: str) -> str | None:
        """The method name when ``callee`` is a method of a Flask app or blueprint (or a subclass's)."""
        receiver, _, method = callee.rpartition(".")
        instance = self.index.instance_of(receiver)
        if instance is not None:
            kind = self.index.framework_class(instance.call.callee)
            return method if kind in SCAFFOLDS else None
        canonical = self.index.canonical(callee)
        if canonical is None:
            return None
        owner, _, method = canonical.rpartition(".")
        return method if owner in (*SCAFFOLDS, "flask.current_app") else None

    def _mounts_for(self, call: Call) -> list[Mount | None]:
        """Where a route call's blueprint is mounted (``[None]``: on the app itself)."""
        receiver = self.index.instance_of(self.index.receiver(call.callee))
        if receiver is not None and receiver.path in self.result.blueprints:
            return list(self.result.mounts.get(receiver.path, []))
        return [None]

    def _decorated_route(self, facts: FileFacts, call: Call, shortcut: str | None) -> None:
        rule = _string(_arg(call, 0, "rule"))
        handler = call.decorates or "?"
        function = self.index.functions.get(handler)
        if shortcut is not None:
            methods = [shortcut]
        else:
            methods = _methods(call.kwargs.get("methods")) or ["GET"]
        endpoint = _string(call.kwargs.get("endpoint")) or handler.rsplit(".", 1)[-1]
        self._emit(
            facts, call, rule, endpoint, [(methods, handler)], "function", function[0].is_async if function else False
        )

    def _add_url_rule(self, facts: FileFacts, call: Call) -> None:
        rule = _string(_arg(call, 0, "rule"))
        endpoint = _string(_arg(call, 1, "endpoint"))
        view = _arg(call, 2, "view_func")
        explicit_methods = _methods(call.kwargs.get("methods"))
        if isinstance(view, CallValue) and view.callee.endswith(".as_view"):
            class_path = self.index.resolve_project(view.callee[: -len(".as_view")])
            view_name = _string(view.args[0]) if view.args else None
            endpoint = endpoint or view_name or class_path.rsplit(".", 1)[-1]
            bases = self.index.class_canonical_bases(class_path)
            methods_by_name = self.index.class_methods(class_path)
            if "flask.views.MethodView" in bases:
                handlers = [
                    ([name.upper()], f"{class_path}.{name}")
                    for name in HTTP_METHOD_FUNCS
                    if name in methods_by_name and (explicit_methods is None or name.upper() in explicit_methods)
                ]
                is_async = any(methods_by_name[name].is_async for name in HTTP_METHOD_FUNCS if name in methods_by_name)
                self._emit(facts, call, rule, endpoint, handlers or [(["GET"], class_path)], "method-view", is_async)
                return
            declared = _methods(self.index.class_attribute(class_path, "methods"))  # type: ignore[arg-type]
            dispatch = methods_by_name.get("dispatch_request")
            self._emit(
                facts,
                call,
                rule,
                endpoint,
                [(explicit_methods or declared or ["GET"], f"{class_path}.dispatch_request")],
                "view",
                dispatch.is_async if dispatch else False,
            )
            return
        if isinstance(view, Ref):
            handler = self.index.resolve_project(view.path)
            function = self.index.functions.get(handler)
            endpoint = endpoint or handler.rsplit(".", 1)[-1]
            self._emit(
                facts,
                call,
                rule,
                endpoint,
                [(explicit_methods or ["GET"], handler)],
                "function",
                function[0].is_async if function else False,
            )
            return
        handler = view.code if isinstance(view, Opaque) else "?"
        self._emit(facts, call, rule, endpoint or "?", [(explicit_methods or ["GET"], handler)], "function", False)

    def _emit(
        self,
        facts: FileFacts,
        call: Call,
        rule: str | None,
        endpoint: str,
        handlers: list[tuple[list[str], str]],
        view_kind: str,
        is_async: bool,
    ) -> None:
        mounts = self._mounts_for(call)
        defaults = call.kwargs.get("defaults")
        strict = call.kwargs.get("strict_slashes")
        key = (facts.path, call.span.line, call.span.column)
        for mount in mounts:
            full = compose_prefix(mount.url_prefix if mount else None, rule) if rule is not None else None
            full_endpoint = f"{mount.name}.{endpoint}" if mount else endpoint
            django: DjangoRoute | None = None
            error = None
            if full is None:
                error = "the rule is not a string literal"
            else:
                try:
                    django = to_django(full, self.result.converters, strict is not False)
                    if "{" in full:
                        django.notes.append("the blueprint's URL prefix is computed at run time: `{NAME}` marks it")
                except RuleSyntaxError as exc:
                    error = str(exc)
            subdomain = _string(call.kwargs.get("subdomain")) or (mount.subdomain if mount else None)
            for methods, handler in handlers:
                site = RouteSite(
                    methods=methods,
                    path=full if full is not None else "?",
                    endpoint=full_endpoint,
                    handler=handler,
                    file=facts.path,
                    span=call.span,
                    blueprint=mount.name if mount else None,
                    django=django,
                    django_code="",
                    django_name=full_endpoint.replace(".", ":"),
                    defaults=defaults if isinstance(defaults, dict) else None,
                    strict_slashes=strict if isinstance(strict, bool) else None,
                    subdomain=subdomain,
                    host=_string(call.kwargs.get("host")),
                    is_async=is_async,
                    view_kind=view_kind,
                    error=error,
                )
                site.django_code = django_line(site)
                self.result.routes.append(site)
                self.result.by_call.setdefault(key, []).append(site)


def _bind_arguments(params: list[str], call: Call) -> dict[str, Value]:
    bound: dict[str, Value] = {}
    positional = [p for p in params if p not in ("self", "cls")]
    for name, value in zip(positional, call.args, strict=False):
        bound[name] = value
    extra: dict[str, Value] = {}
    for name, value in call.kwargs.items():
        if name in params:
            bound[name] = value
        else:
            extra[name] = value
    bound["**"] = extra  # forwarded through the helper's **kwargs
    return bound


def _substitute(function: str, inner: Call, bound: dict[str, Value], site: Call) -> list[Call]:
    """The helper's ``add_url_rule`` call as seen from one call site (one per rule in a list)."""
    prefix = f"{function}{PARAM}"
    receiver, _, method = inner.callee.rpartition(".")
    target = bound.get(receiver[len(prefix) :])
    if not isinstance(target, Ref):
        return []
    expansions: list[Value] = [None]

    def resolve(value: Value) -> Value:
        if isinstance(value, Ref) and value.path.startswith(prefix):
            name = value.path[len(prefix) :]
            if name.endswith(ITEM):
                return "__ITEM__"
            return bound.get(name)
        return value

    args = [resolve(v) for v in inner.args]
    kwargs = {k: resolve(v) for k, v in inner.kwargs.items() if k != "**"}
    forwarded = bound.get("**")
    if "**" in inner.kwargs and isinstance(forwarded, dict):
        kwargs.update({k: v for k, v in forwarded.items() if k not in kwargs})
    iterated = [
        v.path[len(prefix) : -len(ITEM)]
        for v in (*inner.args, *inner.kwargs.values())
        if isinstance(v, Ref) and v.path.startswith(prefix) and v.path.endswith(ITEM)
    ]
    if iterated:
        items = bound.get(iterated[0])
        expansions = list(items) if isinstance(items, (list, tuple)) else [None]

    calls = []
    for item in expansions:
        calls.append(
            Call(
                f"{target.path}.{method}",
                [item if a == "__ITEM__" else a for a in args],
                {k: (item if v == "__ITEM__" else v) for k, v in kwargs.items()},
                site.span,
                site.scope,
            )
        )
    return calls


def view_reference(handler: str, view_kind: str) -> str:
    parts = handler.split(".")
    if view_kind in ("method-view", "view"):
        class_parts = parts[:-1]
        module = class_parts[-2] if len(class_parts) > 1 else ""
        return f"{module + '.' if module else ''}{class_parts[-1]}.as_view()"
    if "<locals>" in parts:
        return f"views.{parts[-1]}"  # defined inside a factory: it moves to a views module
    module = parts[-2] if len(parts) > 1 else ""
    return f"{module + '.' if module else ''}{parts[-1]}"


def django_line(site: RouteSite) -> str:
    if site.django is None:
        return ""
    view = view_reference(site.handler, site.view_kind)
    name = site.endpoint.rsplit(".", 1)[-1]
    pattern = f'r"{site.django.pattern}"' if site.django.function == "re_path" else f'"{site.django.pattern}"'
    extra = ""
    if site.defaults:
        extra = ", {" + ", ".join(f"{k!r}: {code_of(v)}" for k, v in site.defaults.items()) + "}"
    return f'{site.django.function}({pattern}, {view}{extra}, name="{name}")'


def method_decorator(methods: list[str]) -> str:
    if methods == ["GET"]:
        return "@require_safe"
    if methods == ["POST"]:
        return "@require_POST"
    quoted = ", ".join(f'"{m}"' for m in methods)
    return f"@require_http_methods([{quoted}])"


def build_flask_structure(index: ProjectIndex) -> FlaskStructure:
    return FlaskRouteBuilder(index).build()
