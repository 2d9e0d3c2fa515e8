"""The Django URL map, rebuilt statically, with the Flask rule of every route.

Mirrors Django's resolver (``django/urls/conf.py`` and ``resolvers.py``): a root
URLconf's ``urlpatterns`` is walked in order; ``include()`` (a module name, a
module, a ``(patterns, app_name)`` tuple, a list or ``router.urls``) nests a
pattern chain and a namespace (``namespace=`` or the included module's
``app_name``); ``i18n_patterns()`` adds a language prefix and DRF's
``format_suffix_patterns()`` a ``.json``-style twin of each endpoint.  DRF routers
are expanded into the routes ``SimpleRouter``/``DefaultRouter`` generate
(``rest_framework/routers.py``): list and detail routes, one per ``@action``, the
trailing-slash and lookup settings, ``DefaultRouter``'s API root and suffixes.

Flask naming (one convention): a route's Flask blueprint is its Django namespace
with ``:`` written ``.`` (nested namespaces become nested blueprints, whose names
Flask joins the same way), and its endpoint is the blueprint and the Django URL
name joined with ``.`` (``catalog.book-detail``: ``-`` is fine in Flask endpoints),
or the view's own name when the pattern has no name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from fwlint.facts import Call, CallValue, FileFacts, Opaque, Ref, Span, Value
from fwlint.link.django_views import (
    ACTION,
    HANDLER_NAMES,
    class_hierarchy,
    decorator_calls,
    decorator_name,
    is_api_view,
    is_viewset,
    normalise_methods,
    resolve_definition,
    view_methods,
    viewset_actions,
)
from fwlint.link.index import Instance, ProjectIndex
from fwlint.translate.flask_rules import (
    DjangoConverter,
    FlaskRule,
    PatternPart,
    django_display_path,
    flask_route_code,
    translate_pattern,
)
from fwlint.translate.values import code_of

URL_FUNCTIONS = {"django.urls.path": False, "django.urls.re_path": True, "django.conf.urls.url": True}
INCLUDE = "django.urls.include"
REGISTER_CONVERTER = "django.urls.register_converter"
ADMIN_URLS = "django.contrib.admin.site.urls"
I18N_PATTERNS = "django.conf.urls.i18n.i18n_patterns"
FORMAT_SUFFIX_PATTERNS = "rest_framework.urlpatterns.format_suffix_patterns"
STATIC = "django.conf.urls.static.static"
STATICFILES_PATTERNS = "django.contrib.staticfiles.urls.staticfiles_urlpatterns"
SETTINGS = "django.conf.settings."
ROUTERS = frozenset({"rest_framework.routers.DefaultRouter", "rest_framework.routers.SimpleRouter"})
API_ROOT_VIEW = "rest_framework.routers.APIRootView"
# Django's built-in converters a project converter may inherit from: their regex and to_python.
DJANGO_CONVERTERS = {
    "django.urls.converters.StringConverter": ("[^/]+", "return value"),
    "django.urls.converters.SlugConverter": ("[-a-zA-Z0-9_]+", "return value"),
    "django.urls.converters.PathConverter": (".+", "return value"),
    "django.urls.converters.IntConverter": ("[0-9]+", "return int(value)"),
}
HTTP_METHOD_NAMES = frozenset(HANDLER_NAMES)
NAMESPACE_WITHOUT_APP_NAME = "include() with a namespace but no app_name (Django rejects it)"
# Django shows the active language's prefix ("en/"), which only the running site knows.
LOCALE_PART = PatternPart("<lang_code>/", is_regex=False, is_locale=True)


@dataclass
class DjangoRouteSite:
    """One concrete Django URL pattern (an endpoint), its view and its Flask twin.

    ``flask.notes`` also carries what the linker knows about the route (APPEND_SLASH and
    POST, generic views, computed prefixes)."""

    path: str  # django_display_path of the full chain
    parts: list[PatternPart]
    name: str | None  # fully namespaced "catalog:book-detail"
    namespace: str | None  # "catalog" (joined with ":" when nested)
    view: str  # dotted qualname of the view function/class; for DRF: the viewset qualname
    action: str | None  # DRF viewset action of the route's first method ("list", "retrieve", an @action)
    view_kind: str  # function | class | drf-viewset | drf-view | include-admin | unknown
    methods: list[str]  # sorted upper-case HTTP methods
    file: str  # where the pattern is declared: the path()/re_path()/url() call, or router.register(...)
    span: Span
    is_async: bool
    flask: FlaskRule
    endpoint: str  # Flask endpoint: blueprint and Django name joined with "."
    blueprint: str | None  # Flask blueprint: the namespace with ":" written "."
    code: str  # flask_route_code(...)
    decorators: list[str]  # canonical names of view decorators
    actions: dict[str, str] = field(default_factory=dict)  # DRF: HTTP method -> viewset action
    defaults: dict[str, str] = field(default_factory=dict)  # Django's extra view kwargs, as code


@dataclass
class DjangoStructure:
    """The project's URL map, in Django's resolution order."""

    routes: list[DjangoRouteSite] = field(default_factory=list)
    root_urlconfs: list[str] = field(default_factory=list)  # module names used as roots
    converters: dict[str, DjangoConverter] = field(default_factory=dict)  # registered custom converters
    # (file, line, column) of the declaring call -> its routes.
    by_call: dict[tuple[str, int, int], list[DjangoRouteSite]] = field(default_factory=dict)
    # includes/patterns that could not be followed, with why.
    unresolved: list[tuple[str, Span, str]] = field(default_factory=list)


@dataclass
class _Entry:
    """One item of a URL pattern list, with the file it is written in and its call, when located."""

    value: Value
    facts: FileFacts
    call: Call | None
    span: Span
    # ``urlpatterns = format_suffix_patterns(urlpatterns)``: the list's earlier value, which the call wraps.
    wrapped: list[_Entry] | None = None


@dataclass
class _Context:
    """What an include() chain has accumulated on the way to an endpoint."""

    parts: list[PatternPart]
    namespaces: list[str]
    suffix: tuple[bool, tuple[str, ...] | None] | None = None  # format_suffix_patterns(suffix_required, allowed)
    stack: tuple[str, ...] = ()
    defaults: dict[str, str] = field(default_factory=dict)  # extra kwargs of enclosing include()s, as code
    computed: tuple[str, ...] = ()  # placeholders of patterns computed at run time (``{BASE_PATH}``)

    def nested(
        self,
        part: PatternPart | None = None,
        namespace: str | None = None,
        key: str | None = None,
        defaults: dict[str, str] | None = None,
        computed: str | None = None,
    ) -> _Context:
        return _Context(
            [*self.parts, part] if part is not None else list(self.parts),
            [*self.namespaces, namespace] if namespace else list(self.namespaces),
            self.suffix,
            (*self.stack, key) if key else self.stack,
            {**self.defaults, **(defaults or {})},
            (*self.computed, computed) if computed else self.computed,
        )

    def suffixed(self, suffix: tuple[bool, tuple[str, ...] | None]) -> _Context:
        return _Context(self.parts, self.namespaces, suffix, self.stack, self.defaults, self.computed)


@dataclass
class _View:
    qualname: str
    kind: str
    decorators: list[str] = field(default_factory=list)
    mapping: dict[str, str] | None = None  # DRF: method -> action, for a viewset bound by hand
    method_names: list[str] | None = None  # http_method_names given to as_view()
    notes: list[str] = field(default_factory=list)


@dataclass
class _Endpoint:
    """A route before it becomes a site: the pattern chain and the view."""

    parts: list[PatternPart]
    namespaces: list[str]
    name: str | None
    view: _View
    facts: FileFacts
    span: Span
    defaults: dict[str, str] = field(default_factory=dict)
    action_mapping: dict[str, str] | None = None


def _arg(call: Call | CallValue, index: int, name: str) -> Value:
    kwargs = call.kwargs if isinstance(call, Call) else dict(call.kwargs)
    if name in kwargs:
        return kwargs[name]
    return call.args[index] if index < len(call.args) else None


class DjangoURLBuilder:
    """Walks the root URLconfs as Django's resolver would, emitting a site per endpoint."""

    def __init__(self, index: ProjectIndex, root_urlconf: str | None, settings: Mapping[str, Value] | None) -> None:
        self.index = index
        self.root_urlconf = root_urlconf
        self.settings = settings
        self.result = DjangoStructure()
        self._top_calls: dict[tuple[str, Span], list[Call]] = {}
        self._registrations: dict[str, list[tuple[FileFacts, Call]]] = {}
        self._mapping_extras: dict[str, dict[str, str]] = {}

    # ------------------------------------------------------------------ entry
    def build(self) -> DjangoStructure:
        self._collect_converters()
        self._collect_router_registrations()
        roots = self._roots()
        self.result.root_urlconfs = roots
        for module in roots:
            entries = self._module_patterns(module)
            if entries is not None:
                self._expand(entries, _Context([], [], stack=(f"module:{module}",)))
        return self.result

    def _roots(self) -> list[str]:
        if self.root_urlconf is not None:
            if self._module_patterns(self.root_urlconf) is not None:
                return [self.root_urlconf]
            self.result.unresolved.append(
                ("", Span(1, 1, 1, 1), f"ROOT_URLCONF `{self.root_urlconf}` has no urlpatterns in the scanned code")
            )
        included = self._included_modules()
        candidates = [m for m in sorted(self.index.modules) if m not in included]
        roots = [m for m in candidates if m.rsplit(".", 1)[-1] == "urls" and self._module_patterns(m) is not None]
        if not roots:
            # A URLconf under another name (a one-module app, ``routes.py``): any module with urlpatterns.
            roots = [m for m in candidates if self._module_patterns(m) is not None]
        return roots

    def _included_modules(self) -> set[str]:
        """Modules some other module includes, by name or by reference."""
        included: set[str] = set()
        for facts in self.index.files:
            for call in facts.calls:
                if self.index.canonical(call.callee) != INCLUDE:
                    continue
                target = _arg(call, 0, "arg")
                if isinstance(target, tuple) and target:
                    target = target[0]
                if isinstance(target, str):
                    included.add(target)
                elif isinstance(target, Ref):
                    module = self._module_of(target.path)
                    if module is not None and module != facts.module:
                        included.add(module)
            for assignment in facts.assignments:
                if assignment.target.rsplit(".", 1)[-1] != "urlpatterns":
                    continue
                items = assignment.value if isinstance(assignment.value, list) else [assignment.value]
                for ref in (item for item in items if isinstance(item, Ref)):
                    module = self._module_of(ref.path)
                    if module is not None and module != facts.module:
                        included.add(module)
        return included

    def _module_of(self, path: str) -> str | None:
        resolved = self.index.resolve_project(path)
        if resolved in self.index.modules:
            return resolved
        owner = resolved.rsplit(".", 1)[0]
        return owner if owner in self.index.modules else None

    # ------------------------------------------------------------- converters
    def _collect_converters(self) -> None:
        for facts in self.index.files:
            for call in facts.calls:
                if self.index.canonical(call.callee) != REGISTER_CONVERTER:
                    continue
                converter = _arg(call, 0, "converter")
                name = _arg(call, 1, "type_name")
                if not isinstance(converter, Ref) or not isinstance(name, str):
                    self._unresolved(facts, call.span, "register_converter() with a computed class or name")
                    continue
                self.result.converters[name] = self._read_converter(facts, call, name, converter.path)

    def _read_converter(self, facts: FileFacts, call: Call, name: str, path: str) -> DjangoConverter:
        class_path = self.index.resolve_project(path)
        class_name = class_path.rsplit(".", 1)[-1]
        regex = self.index.class_attribute(class_path, "regex")
        methods = self.index.class_methods(class_path)
        inherited = next(
            (DJANGO_CONVERTERS[b] for b in self.index.class_canonical_bases(class_path) if b in DJANGO_CONVERTERS),
            None,
        )
        if not isinstance(regex, str):
            if inherited is not None:
                regex = inherited[0]
            else:
                self._unresolved(facts, call.span, f"the `regex` of converter `{class_name}` is not a literal")
                regex = "[^/]+"
        to_python = inherited[1] if inherited is not None and "to_python" not in methods else None
        return DjangoConverter(name, class_name, regex, to_python)

    # ---------------------------------------------------------------- routers
    def _collect_router_registrations(self) -> None:
        for facts in self.index.files:
            for call in facts.calls:
                receiver, _, method = call.callee.rpartition(".")
                if method == "register":
                    router = self._router(receiver)
                    if router is not None:
                        self._registrations.setdefault(router.path, []).append((facts, call))
                # ``@featured.mapping.post``: one more method for an @action (rest_framework/decorators.py).
                if call.decorates is not None and ".mapping." in call.callee:
                    action_path, _, http_method = call.callee.rpartition(".mapping.")
                    if http_method in HTTP_METHOD_NAMES:
                        handler = call.decorates.rsplit(".", 1)[-1]
                        self._mapping_extras.setdefault(action_path, {})[http_method] = handler

    def _router(self, path: str) -> Instance | None:
        instance = self.index.instance_of(path)
        if instance is None:
            return None
        return instance if self.index.framework_class(instance.call.callee) in ROUTERS else None

    # ------------------------------------------------------------ lists
    def _module_patterns(self, module: str) -> list[_Entry] | None:
        """The ``urlpatterns`` of a module, following ``=``, ``+=`` and wrapping calls in order."""
        return self._variable_entries(f"{module}.urlpatterns")

    def _variable_entries(self, path: str) -> list[_Entry] | None:
        module, _, _name = path.rpartition(".")
        facts = self.index.modules.get(module)
        if facts is None:
            return None
        entries: list[_Entry] | None = None
        alias = facts.aliases.get(path)
        if alias is not None:
            # ``urlpatterns = router.urls``: bound as an alias of what it names (``+=`` may follow).
            entries = [_Entry(Ref(alias), facts, None, Span(1, 1, 1, 1))]
        for assignment in facts.assignments:
            if assignment.target != path:
                continue
            value = assignment.value
            if isinstance(value, list):
                located = self._locate(facts, assignment.span, value, path, entries or [], assignment.item_spans)
            elif isinstance(value, (CallValue, Ref)):
                located = self._locate(facts, assignment.span, [value], path, entries or [])
            else:
                continue
            entries = [*(entries or []), *located] if assignment.augmented else located
        return entries

    def _locate(
        self,
        facts: FileFacts,
        container: Span,
        values: list[Value],
        own: str | None,
        previous: list[_Entry],
        item_spans: tuple[Span, ...] = (),
    ) -> list[_Entry]:
        """Entries for list items, each url call paired with its Call fact (for file:line).

        The extractor records where each item of a module-level list is; items of nested
        lists (``include([...])``, ``i18n_patterns(...)``) are paired with the url calls
        inside the container in source order."""
        queue = list(self._top_level_calls(facts, container))
        by_span = {c.span: c for c in queue} if len(item_spans) == len(values) else {}
        entries: list[_Entry] = []
        for position, value in enumerate(values):
            if own is not None and _names(value, facts, own):
                entries.extend(previous)
                continue
            call = None
            if self._is_url_call(value):
                call = by_span.get(item_spans[position]) if by_span else None
                if call is not None:
                    queue.remove(call)
                else:
                    call = self._take(queue, value)
            span = call.span if call is not None else item_spans[position] if by_span else container
            wrapped = None
            if own is not None and isinstance(value, CallValue) and value.args and _names(value.args[0], facts, own):
                wrapped = previous  # a call of the list's own earlier value
            entries.append(_Entry(value, facts, call, span, wrapped))
        return entries

    def _top_level_calls(self, facts: FileFacts, container: Span) -> list[Call]:
        key = (facts.path, container)
        if key not in self._top_calls:
            inside = [
                c
                for c in facts.calls
                if c.span != container and container.contains(c.span) and self._url_function(c.callee) is not None
            ]
            self._top_calls[key] = [
                c for c in inside if not any(o is not c and o.span.contains(c.span) for o in inside)
            ]
        return self._top_calls[key]

    @staticmethod
    def _take(queue: list[Call], value: Value) -> Call | None:
        assert isinstance(value, CallValue)
        first = value.args[0] if value.args else dict(value.kwargs).get("route")
        for position, call in enumerate(queue):
            route = call.args[0] if call.args else call.kwargs.get("route")
            if call.callee == value.callee and route == first:
                return queue.pop(position)
        return None

    def _url_function(self, callee: str) -> bool | None:
        """True for re_path()/url(), False for path(), None for anything else."""
        return URL_FUNCTIONS.get(self.index.canonical(callee) or "")

    def _is_url_call(self, value: Value) -> bool:
        return isinstance(value, CallValue) and self._url_function(value.callee) is not None

    # ------------------------------------------------------------- expansion
    def _expand(self, entries: list[_Entry], context: _Context) -> None:
        for entry in entries:
            value = entry.value
            if isinstance(value, CallValue):
                canonical = self.index.canonical(value.callee)
                if canonical in URL_FUNCTIONS:
                    self._pattern(entry, value, URL_FUNCTIONS[canonical], context)
                elif canonical == I18N_PATTERNS:
                    self._i18n(entry, value, context)
                elif canonical == FORMAT_SUFFIX_PATTERNS:
                    self._format_suffixes(entry, value, context)
                elif canonical in (STATIC, STATICFILES_PATTERNS):
                    self._static(entry, value, canonical, context)
                else:
                    self._unresolved(entry.facts, entry.span, f"`{value.code}` in a URL list is not a known pattern")
            elif isinstance(value, (Ref, Opaque)):
                self._splice(entry, value, context)
            else:
                self._unresolved(entry.facts, entry.span, f"`{code_of(value)}` in a URL list is not a pattern")

    def _splice(self, entry: _Entry, value: Ref | Opaque, context: _Context) -> None:
        """A list named inside another (``+ router.urls``, ``+ other_patterns``)."""
        target = self._list_target(entry.facts, value)
        if target is None:
            self._unresolved(entry.facts, entry.span, f"`{_text(value)}` cannot be followed to a URL list")
            return
        kind, key, entries = target
        if kind == "admin":
            self._unresolved(entry.facts, entry.span, "admin.site.urls outside an include() has no prefix")
            return
        if key in context.stack:
            self._unresolved(entry.facts, entry.span, f"include cycle through `{key.split(':', 1)[1]}`")
            return
        if kind == "router":
            self._router_routes(entry, key.split(":", 1)[1], context.nested(key=key))
            return
        self._expand(entries, context.nested(key=key))

    def _list_target(self, facts: FileFacts, value: Value) -> tuple[str, str, list[_Entry]] | None:
        """What a list-valued expression names: ``("module"|"list"|"router"|"admin", key, entries)``."""
        if isinstance(value, str):
            entries = self._module_patterns(value)
            return ("module", f"module:{value}", entries) if entries is not None else None
        if isinstance(value, Opaque):
            if not value.code.isidentifier():
                return None
            value = Ref(f"{facts.module}.{value.code}")
        if not isinstance(value, Ref):
            return None
        if self.index.canonical(value.path) == ADMIN_URLS:
            return ("admin", "admin", [])
        owner, _, attribute = value.path.rpartition(".")
        if attribute == "urls":
            router = self._router(owner)
            if router is not None:
                return ("router", f"router:{router.path}", [])
        resolved = self.index.resolve_project(value.path)
        if resolved in self.index.modules:
            entries = self._module_patterns(resolved)
            return ("module", f"module:{resolved}", entries) if entries is not None else None
        entries = self._variable_entries(resolved)
        if entries is not None:
            return ("list", f"list:{resolved}", entries)
        return None

    def _i18n(self, entry: _Entry, value: CallValue, context: _Context) -> None:
        if entry.wrapped is not None:
            self._expand(entry.wrapped, context.nested(LOCALE_PART))
            return
        patterns = [v for v in value.args if not (isinstance(v, Opaque) and v.code.startswith("*"))]
        located = self._locate(entry.facts, entry.span, list(patterns), None, [])
        self._expand(located, context.nested(LOCALE_PART))

    def _format_suffixes(self, entry: _Entry, value: CallValue, context: _Context) -> None:
        patterns = _arg(value, 0, "urlpatterns")
        required = _arg(value, 1, "suffix_required") is True
        allowed_value = _arg(value, 2, "allowed")
        allowed = tuple(str(v) for v in allowed_value) if isinstance(allowed_value, (list, tuple)) else None
        suffixed = context.suffixed((required, allowed))
        self._register_suffix_converter(allowed)
        if entry.wrapped is not None:
            self._expand(entry.wrapped, suffixed)
        elif isinstance(patterns, list):
            self._expand(self._locate(entry.facts, entry.span, patterns, None, []), suffixed)
        elif isinstance(patterns, (Ref, Opaque)):
            self._splice(entry, patterns, suffixed)
        else:
            self._unresolved(entry.facts, entry.span, "format_suffix_patterns() of a computed list")

    def _register_suffix_converter(self, allowed: tuple[str, ...] | None) -> None:
        """The converter DRF registers for suffixed path() routes (rest_framework/urlpatterns.py)."""
        name = "drf_format_suffix" + ("_" + "_".join(allowed) if allowed else "")
        if allowed:
            choice = allowed[0] if len(allowed) == 1 else "(?:" + "|".join(allowed) + ")"
            regex = r"\." + choice + "/?"
        else:
            regex = r"\.[a-z0-9]+/?"
        to_python, to_url = "return value.strip('./')", "return '.' + value + '/'"
        self.result.converters.setdefault(
            name, DjangoConverter(name, "FormatSuffixConverter", regex, to_python, to_url)
        )

    def _static(self, entry: _Entry, value: CallValue, canonical: str, context: _Context) -> None:
        """django.conf.urls.static.static(): a file-serving pattern, in DEBUG only."""
        prefix = _arg(value, 0, "prefix")
        view = "django.views.static.serve"
        if canonical == STATICFILES_PATTERNS:
            prefix = prefix or Ref(SETTINGS + "STATIC_URL")
            view = "django.contrib.staticfiles.views.serve"
        text = self._setting_text(prefix)
        if self.settings is not None and self.settings.get("DEBUG") is False:
            return  # static() returns no pattern without DEBUG
        if text is None:
            why = f"`{value.code}`: the prefix is not known statically (Django serves these files in DEBUG only)"
            self._unresolved(entry.facts, entry.span, why)
            return
        if "://" in text:
            return  # static() ignores prefixes that are full URLs
        kwargs = {k: self._default_code(v) for k, v in value.kwargs if k not in ("prefix", "view")}
        notes = ["Django serves these files only with DEBUG on; in Flask, `send_from_directory()` or the static folder"]
        endpoint = _Endpoint(
            [*context.parts, PatternPart("^" + re.escape(text.lstrip("/")) + "(?P<path>.*)$", True)],
            context.namespaces,
            None,
            _View(view, "function", notes=notes),
            entry.facts,
            entry.span,
            {**context.defaults, **kwargs},
        )
        self._emit(endpoint, context)

    def _default_code(self, value: Value) -> str:
        """Code for a view's extra keyword value; a Django setting reads Flask's config."""
        if isinstance(value, Ref):
            canonical = self.index.canonical(value.path) or ""
            if canonical.startswith(SETTINGS):
                return f'app.config["{canonical[len(SETTINGS) :]}"]'
        return code_of(value)

    def _setting_text(self, value: Value) -> str | None:
        """A literal string, or a string setting (``settings.MEDIA_URL``) when settings were given."""
        if isinstance(value, str):
            return value
        if isinstance(value, Ref) and self.settings is not None:
            canonical = self.index.canonical(value.path) or ""
            if canonical.startswith(SETTINGS):
                found = self.settings.get(canonical[len(SETTINGS) :])
                return found if isinstance(found, str) else None
        return None

    # --------------------------------------------------------------- patterns
    def _pattern(self, entry: _Entry, value: CallValue, is_regex: bool, context: _Context) -> None:
        route = _arg(value, 0, "route")
        computed: str | None = None
        text = self._setting_text(route)
        if text is None:
            # ``path(settings.BASE_PATH, include(...))``: known at run time only; ``{BASE_PATH}`` marks it.
            names = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", _text(route))
            computed = text = "{" + (names[-1] if names else "pattern") + "}"
            why = f"the pattern of `{value.code}` is computed at run time: `{computed}` marks it"
            self._unresolved(entry.facts, entry.span, why)
        part = PatternPart(text, is_regex and computed is None)  # a placeholder is plain text
        view = _arg(value, 1, "view")
        name = _arg(value, 3, "name")
        extra = _arg(value, 2, "kwargs")
        defaults = {k: self._default_code(v) for k, v in extra.items()} if isinstance(extra, dict) else {}
        # include()'s extra kwargs reach every included view (URLResolver.resolve: default_kwargs).
        inner = context.nested(part, defaults=defaults, computed=computed)
        if isinstance(view, CallValue) and self.index.canonical(view.callee) == INCLUDE:
            self._include(entry, view, inner)
            return
        if isinstance(view, tuple) and view:
            # ``path("x/", (patterns, app_name, namespace))``: what include() returns.
            self._included_list(entry, view[0], _string_at(view, 1), _string_at(view, 2), inner)
            return
        if isinstance(view, Ref) and self.index.canonical(view.path) == ADMIN_URLS:
            self._admin(entry, inner)
            return
        resolved = self._view(entry, view)
        context = context.nested(computed=computed)
        if is_regex and self.index.canonical(value.callee) == "django.conf.urls.url":
            resolved.notes.append("`url()` was removed in Django 4.0")
        self._emit(
            _Endpoint(
                [*context.parts, part],
                context.namespaces,
                name if isinstance(name, str) else None,
                resolved,
                entry.facts,
                entry.span,
                {**context.defaults, **defaults},
            ),
            context,
        )

    def _include(self, entry: _Entry, include: CallValue, context: _Context) -> None:
        target = _arg(include, 0, "arg")
        namespace = _string(_arg(include, 1, "namespace"))
        app_name: str | None = None
        if isinstance(target, tuple) and target:
            app_name = _string_at(target, 1)
            target = target[0]
        self._included_list(entry, target, app_name, namespace, context, explicit_app_name=app_name is not None)

    def _included_list(
        self,
        entry: _Entry,
        target: Value,
        app_name: str | None,
        namespace: str | None,
        context: _Context,
        explicit_app_name: bool = True,
    ) -> None:
        if isinstance(target, list):
            container = entry.call.span if entry.call is not None else entry.span
            located = self._locate(entry.facts, container, target, None, [])
            self._nest(entry, located, app_name, namespace, context, None)
            return
        found = self._list_target(entry.facts, target)
        if found is None:
            what = target if isinstance(target, str) else _text(target)
            self._unresolved(entry.facts, entry.span, f"include() of `{what}` cannot be followed in the scanned code")
            return
        kind, key, entries = found
        if kind == "admin":
            self._admin(entry, context)
            return
        if key in context.stack:
            self._unresolved(entry.facts, entry.span, f"include cycle through `{key.split(':', 1)[1]}`")
            return
        if kind == "module" and not explicit_app_name:
            app_name = self._app_name(key.split(":", 1)[1])
        if kind == "router":
            instance = namespace or app_name
            if namespace and not app_name:
                self._unresolved(entry.facts, entry.span, NAMESPACE_WITHOUT_APP_NAME)
            self._router_routes(entry, key.split(":", 1)[1], context.nested(namespace=instance, key=key))
            return
        self._nest(entry, entries, app_name, namespace, context, key)

    def _nest(
        self,
        entry: _Entry,
        entries: list[_Entry],
        app_name: str | None,
        namespace: str | None,
        context: _Context,
        key: str | None,
    ) -> None:
        if namespace and not app_name:
            self._unresolved(entry.facts, entry.span, NAMESPACE_WITHOUT_APP_NAME)
        self._expand(entries, context.nested(namespace=namespace or app_name, key=key))

    def _app_name(self, module: str) -> str | None:
        facts = self.index.modules.get(module)
        if facts is None:
            return None
        names = [a.value for a in facts.assignments if a.target == f"{module}.app_name" and isinstance(a.value, str)]
        return names[-1] if names else None

    def _admin(self, entry: _Entry, context: _Context) -> None:
        view = _View(ADMIN_URLS, "include-admin", notes=["the Django admin: Flask-Admin is the nearest equivalent"])
        self._emit(_Endpoint(context.parts, context.namespaces, None, view, entry.facts, entry.span), context)

    # ------------------------------------------------------------------ views
    def _view(self, entry: _Entry, value: Value) -> _View:
        decorators: list[str] = []
        # ``login_required(views.f)``, ``cache_page(60)(View.as_view())``: decorators applied in the URLconf.
        while (
            isinstance(value, CallValue)
            and not value.callee.endswith(".as_view")
            and value.args
            and isinstance(value.args[0], (Ref, CallValue))
        ):
            decorators.append(decorator_name(self.index, value.callee))
            value = value.args[0]
        if isinstance(value, str):
            self._unresolved(entry.facts, entry.span, f"view `{value}` is a string: Django 1.10 removed string views")
            return _View(value, "unknown", decorators)
        if isinstance(value, Ref):
            qualname = resolve_definition(self.index, value.path)
            if qualname in self.index.functions:
                kind = "function"
                if any(decorator_name(self.index, c.callee) == "rest_framework.decorators.api_view"
                       for c in decorator_calls(self.index, qualname)):  # fmt: skip
                    kind = "drf-view"
                return _View(qualname, kind, decorators)
            canonical = self.index.canonical(value.path)
            if canonical is not None:
                return _View(canonical, "function", decorators)
            return _View(qualname, "unknown", decorators)
        if isinstance(value, CallValue) and value.callee.endswith(".as_view"):
            class_path = value.callee[: -len(".as_view")]
            qualname = resolve_definition(self.index, class_path)
            if qualname not in self.index.classes:
                qualname = self.index.canonical(class_path) or qualname
            kwargs = dict(value.kwargs)
            method_names = kwargs.get("http_method_names")
            view = _View(
                qualname,
                "class",
                decorators,
                method_names=[str(m) for m in method_names] if isinstance(method_names, (list, tuple)) else None,
            )
            if is_viewset(self.index, qualname):
                view.kind = "drf-viewset"
                actions = value.args[0] if value.args else kwargs.get("actions")
                if isinstance(actions, dict):
                    view.mapping = {k.lower(): str(v) for k, v in actions.items() if isinstance(v, str)}
                else:
                    self._unresolved(
                        entry.facts, entry.span, f"`{value.code}` binds a viewset without a literal mapping"
                    )
                    view.mapping = {}
            elif is_api_view(self.index, qualname):
                view.kind = "drf-view"
            view.notes.extend(_generic_view_notes(qualname, kwargs))
            return view
        self._unresolved(entry.facts, entry.span, f"view `{_text(value)}` cannot be followed")
        return _View(_text(value), "unknown", decorators)

    # ---------------------------------------------------------------- routers
    def _router_routes(self, entry: _Entry, router_path: str, context: _Context) -> None:
        router = self.index.instances[router_path]
        kwargs = dict(router.call.kwargs)
        kind = self.index.framework_class(router.call.callee)
        class_path = self.index.resolve_project(router.call.callee)
        trailing = "" if kwargs.get("trailing_slash") is False else "/"
        use_regex = kwargs.get("use_regex_path") is not False

        def option(name: str, default: object) -> object:
            found = self.index.class_attribute(class_path, name)
            return default if found is None else found

        is_default = kind == "rest_framework.routers.DefaultRouter"
        route_context = context
        if is_default and option("include_format_suffixes", True) is not False and context.suffix is None:
            # DefaultRouter.get_urls: format_suffix_patterns(urls).
            route_context = context.suffixed((False, None))
            self._register_suffix_converter(None)
        for facts, call in self._registrations.get(router_path, []):
            self._registered_viewset(facts, call, trailing, use_regex, context, route_context)
        if is_default and option("include_root_view", True) is not False:
            site = self._router_site(router)
            root_name = option("root_view_name", "api-root")
            view = _View(API_ROOT_VIEW, "drf-view")
            self._emit(
                _Endpoint(
                    [*context.parts, PatternPart("", False)],
                    context.namespaces,
                    root_name if isinstance(root_name, str) else "api-root",
                    view,
                    site[0],
                    site[1],
                ),
                route_context,
            )

    def _router_site(self, router: Instance) -> tuple[FileFacts, Span]:
        for call in router.file.calls:
            if call.callee == router.call.callee and call.span.line == router.line:
                return router.file, call.span
        return router.file, Span(router.line, 1, router.line, 1)

    def _registered_viewset(
        self, facts: FileFacts, call: Call, trailing: str, use_regex: bool, context: _Context, route_context: _Context
    ) -> None:
        prefix = _arg(call, 0, "prefix")
        viewset = _arg(call, 1, "viewset")
        basename = _arg(call, 2, "basename")
        if not isinstance(prefix, str) or not isinstance(viewset, Ref):
            self._unresolved(facts, call.span, "router.register() with a computed prefix or viewset")
            return
        class_path = resolve_definition(self.index, viewset.path)
        if not isinstance(basename, str):
            basename = self._default_basename(facts, call, class_path)
        lookup = self._lookup(class_path, use_regex)
        standard = viewset_actions(self.index, class_path)
        extra = self._extra_actions(class_path)
        routes: list[tuple[str, dict[str, str], str]] = []
        list_mapping = {m: a for m, a in (("get", "list"), ("post", "create")) if a in standard}
        routes.append(("^{prefix}{trailing_slash}$", list_mapping, f"{basename}-list"))
        for url_path, url_name, mapping, detail in extra:
            if not detail:
                routes.append((f"^{{prefix}}/{url_path}{{trailing_slash}}$", mapping, f"{basename}-{url_name}"))
        detail_actions = (("get", "retrieve"), ("put", "update"), ("patch", "partial_update"), ("delete", "destroy"))
        detail_mapping = {m: a for m, a in detail_actions if a in standard}
        routes.append(("^{prefix}/{lookup}{trailing_slash}$", detail_mapping, f"{basename}-detail"))
        for url_path, url_name, mapping, detail in extra:
            if detail:
                routes.append(
                    (f"^{{prefix}}/{{lookup}}/{url_path}{{trailing_slash}}$", mapping, f"{basename}-{url_name}")
                )
        for template, mapping, name in routes:
            if not mapping:
                continue  # SimpleRouter.get_urls: "Only actions which actually exist on the viewset will be bound"
            regex = template.replace("{prefix}", prefix).replace("{lookup}", lookup)
            regex = regex.replace("{trailing_slash}", trailing)
            if not use_regex:
                regex = regex.removeprefix("^").removesuffix("$")
                if not prefix:
                    regex = regex.removeprefix("/")
            elif not prefix and regex.startswith("^/"):
                regex = "^" + regex[2:]
            view = _View(class_path, "drf-viewset", mapping=mapping)
            self._emit(
                _Endpoint(
                    [*context.parts, PatternPart(regex, use_regex)],
                    context.namespaces,
                    name,
                    view,
                    facts,
                    call.span,
                    action_mapping=mapping,
                ),
                route_context,
            )

    def _default_basename(self, facts: FileFacts, call: Call, class_path: str) -> str:
        """SimpleRouter.get_default_basename: the queryset's model name, lower case."""
        queryset = class_hierarchy(self.index, class_path).attribute(self.index, "queryset")
        text = ""
        if isinstance(queryset, CallValue):
            text = queryset.callee
        elif isinstance(queryset, Ref):
            text = queryset.path
        elif isinstance(queryset, Opaque):
            text = queryset.code  # a model from a star import: ``Circuit.objects.all()``
        model = re.search(r"([A-Za-z_][A-Za-z0-9_]*)\.objects\b", text)
        if model is not None:
            return model.group(1).lower()
        self._unresolved(facts, call.span, "router.register() without basename and without a readable queryset")
        return class_path.rsplit(".", 1)[-1].lower()

    def _lookup(self, class_path: str, use_regex: bool) -> str:
        """SimpleRouter.get_lookup_regex."""
        field_name = self._attribute_text(class_path, "lookup_field")
        kwarg = self._attribute_text(class_path, "lookup_url_kwarg") or field_name or "pk"
        value = None if use_regex else self._attribute_text(class_path, "lookup_value_converter")
        value = value or self._attribute_text(class_path, "lookup_value_regex") or ("[^/.]+" if use_regex else "str")
        if use_regex:
            return f"(?P<{kwarg}>{value})"
        return f"<{value}:{kwarg}>"

    def _attribute_text(self, class_path: str, name: str) -> str | None:
        """A string class attribute, set on the class or a project base."""
        value = class_hierarchy(self.index, class_path).attribute(self.index, name)
        return value if isinstance(value, str) else None

    def _extra_actions(self, class_path: str) -> list[tuple[str, str, dict[str, str], bool]]:
        """``@action`` methods, sorted by name as ``inspect.getmembers`` returns them."""
        found = []
        for name, method in sorted(class_hierarchy(self.index, class_path).methods(self.index).items()):
            for call in decorator_calls(self.index, method.qualname):
                if decorator_name(self.index, call.callee) != ACTION:
                    continue
                methods = _arg(call, 0, "methods")
                listed = [str(m).lower() for m in methods] if isinstance(methods, (list, tuple)) else ["get"]
                mapping = dict.fromkeys(listed, name)
                mapping.update(self._mapping_extras.get(method.qualname, {}))
                url_path = _string(_arg(call, 2, "url_path")) or name
                url_name = _string(_arg(call, 3, "url_name")) or name.replace("_", "-")
                found.append((url_path, url_name, mapping, _arg(call, 1, "detail") is True))
        return found

    # ------------------------------------------------------------------- sites
    def _emit(self, endpoint: _Endpoint, context: _Context) -> None:
        variants = [endpoint]
        if context.suffix is not None and endpoint.view.kind != "include-admin":
            required, allowed = context.suffix
            suffixed = replace(endpoint, parts=[*endpoint.parts[:-1], _suffixed(endpoint.parts[-1], allowed)])
            variants = [suffixed] if required else [endpoint, suffixed]
        for variant in variants:
            self._site(variant, context)

    def _site(self, endpoint: _Endpoint, context: _Context) -> None:
        view = endpoint.view
        actions: dict[str, str] = {}
        if view.kind == "drf-viewset":
            mapping = endpoint.action_mapping if endpoint.action_mapping is not None else (view.mapping or {})
            actions = {m.upper(): a for m, a in mapping.items()}
            methods = normalise_methods(actions)
            results = [view_methods(self.index, view.qualname, a) for a in dict.fromkeys(mapping.values())]
            is_async = any(r[1] for r in results)
            decorators = list(dict.fromkeys(d for r in results for d in r[2]))
            action = next(iter(mapping.values()), None)
        elif view.kind == "include-admin":
            methods, is_async, decorators, action = ["GET", "POST"], False, [], None
        else:
            methods, is_async, decorators = view_methods(self.index, view.qualname, None, view.method_names)
            action = None
        decorators = [*view.decorators, *decorators]
        rule = translate_pattern(endpoint.parts, self.result.converters)
        notes = [*rule.notes, *view.notes]
        if context.computed:
            marks = ", ".join(f"`{mark}`" for mark in context.computed)
            notes.append(f"part of the pattern is computed at run time: {marks} marks it")
            rule = replace(rule, exact=False)
        if rule.rule.endswith("/") and rule.strict_slashes and set(methods) - {"GET"}:
            notes.append(
                "werkzeug redirects the URL without its trailing slash with 308 (method and body kept); "
                "Django's APPEND_SLASH answers 301 and raises for POST in DEBUG"
            )
        if notes != rule.notes:
            rule = replace(rule, notes=notes)
        namespace = ":".join(endpoint.namespaces) or None
        blueprint = ".".join(endpoint.namespaces) or None
        local = endpoint.name if endpoint.name is not None else view.qualname.rsplit(".", 1)[-1]
        if blueprint is not None and "." in local:
            local = local.replace(".", "_")  # Flask blueprints reject dotted endpoint names
        full_name = ":".join([*endpoint.namespaces, endpoint.name]) if endpoint.name is not None else None
        endpoint_name = f"{blueprint}.{local}" if blueprint else local
        if view.qualname in self.index.functions:
            code_kind = "function"
        elif view.kind in ("class", "drf-view", "drf-viewset"):
            code_kind = "class"
        else:
            code_kind = "reference"  # a framework view function, or a view fwlint could not follow
        code = flask_route_code(
            rule, endpoint_name, view.qualname, methods, blueprint, view_kind=code_kind, defaults=endpoint.defaults
        )
        if view.kind == "include-admin":
            code = 'Admin(app, url="/' + rule.rule.strip("/") + '")  # flask_admin.Admin'
        site = DjangoRouteSite(
            path=django_display_path(endpoint.parts),
            parts=list(endpoint.parts),
            name=full_name,
            namespace=namespace,
            view=view.qualname,
            action=action,
            view_kind=view.kind,
            methods=methods,
            file=endpoint.facts.path,
            span=endpoint.span,
            is_async=is_async,
            flask=rule,
            endpoint=endpoint_name,
            blueprint=blueprint,
            code=code,
            decorators=decorators,
            actions=actions,
            defaults=dict(endpoint.defaults),
        )
        self.result.routes.append(site)
        key = (endpoint.facts.path, endpoint.span.line, endpoint.span.column)
        self.result.by_call.setdefault(key, []).append(site)

    def _unresolved(self, facts: FileFacts, span: Span, why: str) -> None:
        item = (facts.path, span, why)
        if item not in self.result.unresolved:
            self.result.unresolved.append(item)


def _suffixed(part: PatternPart, allowed: tuple[str, ...] | None) -> PatternPart:
    """rest_framework.urlpatterns.apply_suffix_patterns for one endpoint pattern."""
    if part.is_regex:
        if allowed:
            choice = allowed[0] if len(allowed) == 1 else "(" + "|".join(allowed) + ")"
            suffix = r"\.(?P<format>" + choice + ")/?$"
        else:
            suffix = r"\.(?P<format>[a-z0-9]+)/?$"
        return PatternPart(part.text.rstrip("$").rstrip("/") + suffix, True)
    name = "drf_format_suffix" + ("_" + "_".join(allowed) if allowed else "")
    return PatternPart(part.text.rstrip("$").rstrip("/") + f"<{name}:format>", False)


def _generic_view_notes(qualname: str, kwargs: dict[str, Value]) -> list[str]:
    if qualname == "django.views.generic.TemplateView" and isinstance(kwargs.get("template_name"), str):
        return [f'TemplateView: a view returning `render_template("{kwargs["template_name"]}")`']
    if qualname == "django.views.generic.RedirectView":
        target = kwargs.get("url") if "url" in kwargs else kwargs.get("pattern_name")
        permanent = kwargs.get("permanent") is True
        return [f"RedirectView: a view returning `redirect({code_of(target)}, {301 if permanent else 302})`"]
    return []


def _string(value: Value) -> str | None:
    return value if isinstance(value, str) else None


def _string_at(values: tuple[Value, ...], index: int) -> str | None:
    return _string(values[index]) if index < len(values) else None


def _text(value: Value) -> str:
    if isinstance(value, Ref):
        return value.path
    if isinstance(value, (Opaque, CallValue)):
        return value.code
    return code_of(value)


def _names(value: Value, facts: FileFacts, path: str) -> bool:
    """Whether ``value`` is a plain reference to the list variable ``path`` itself."""
    name = path.rsplit(".", 1)[-1]
    if isinstance(value, Opaque):
        return value.code == name and path == f"{facts.module}.{name}"
    return isinstance(value, Ref) and value.path == path


def build_django_structure(
    index: ProjectIndex, root_urlconf: str | None = None, settings: Mapping[str, Value] | None = None
) -> DjangoStructure:
    """The project's Django URL map: every route with its Flask rule, from ``root_urlconf``
    (settings' ``ROOT_URLCONF``) or, without one, from every ``urls`` module nothing includes.

    ``settings`` (name → value of the settings module in use) lets ``static(settings.MEDIA_URL)``
    become its route, and drops it when ``DEBUG`` is False."""
    return DjangoURLBuilder(index, root_urlconf, settings).build()
