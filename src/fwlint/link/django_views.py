"""What each Django view accepts: HTTP methods, whether it is async, and its decorators.

* Function views accept every method (DELETE, GET, PATCH, POST, PUT) unless a
  ``require_http_methods([...])``, ``require_GET``, ``require_POST`` or
  ``require_safe`` decorator (or DRF's ``api_view([...])``) narrows them.
* Class-based views accept the handlers they define or inherit, through project
  classes and the framework's generic views (the tables below, read from
  ``django/views/generic/*.py``, ``django/contrib/auth/views.py`` and
  ``rest_framework/generics.py``), restricted by ``http_method_names``.
* DRF viewsets accept, per action, the methods the router maps to it.

``HEAD`` is folded into ``GET`` (Django answers HEAD with the GET handler) and
``OPTIONS`` is left out (every class-based view answers it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from fwlint.facts import Call, CallValue, FunctionDef, Ref, Value
from fwlint.link.index import ProjectIndex

MAX_DEPTH = 8

ALL_METHODS = ("DELETE", "GET", "PATCH", "POST", "PUT")
HANDLER_NAMES = ("get", "post", "put", "patch", "delete", "head", "options", "trace")

_FORM_HANDLERS = ("get", "post", "put")
_GET = ("get",)
# Handlers each framework view class provides, inherited ones included.
FRAMEWORK_HANDLERS: dict[str, tuple[str, ...]] = {
    "django.views.View": (),
    "django.views.generic.View": (),
    "django.views.generic.TemplateView": _GET,
    "django.views.generic.RedirectView": ("get", "head", "post", "delete", "put", "patch"),
    "django.views.generic.ListView": _GET,
    "django.views.generic.BaseListView": _GET,
    "django.views.generic.DetailView": _GET,
    "django.views.generic.BaseDetailView": _GET,
    "django.views.generic.FormView": _FORM_HANDLERS,
    "django.views.generic.BaseFormView": _FORM_HANDLERS,
    "django.views.generic.ProcessFormView": _FORM_HANDLERS,
    "django.views.generic.CreateView": _FORM_HANDLERS,
    "django.views.generic.BaseCreateView": _FORM_HANDLERS,
    "django.views.generic.UpdateView": _FORM_HANDLERS,
    "django.views.generic.BaseUpdateView": _FORM_HANDLERS,
    "django.views.generic.DeleteView": ("get", "post", "delete"),
    "django.views.generic.BaseDeleteView": ("get", "post", "delete"),
    "django.views.generic.DeletionMixin": ("delete", "post"),
    "django.views.generic.ArchiveIndexView": _GET,
    "django.views.generic.YearArchiveView": _GET,
    "django.views.generic.MonthArchiveView": _GET,
    "django.views.generic.WeekArchiveView": _GET,
    "django.views.generic.DayArchiveView": _GET,
    "django.views.generic.TodayArchiveView": _GET,
    "django.views.generic.DateDetailView": _GET,
    "django.contrib.auth.views.LoginView": _FORM_HANDLERS,
    "django.contrib.auth.views.LogoutView": ("get", "post"),
    "django.contrib.auth.views.PasswordChangeView": _FORM_HANDLERS,
    "django.contrib.auth.views.PasswordChangeDoneView": _GET,
    "django.contrib.auth.views.PasswordResetView": _FORM_HANDLERS,
    "django.contrib.auth.views.PasswordResetDoneView": _GET,
    "django.contrib.auth.views.PasswordResetConfirmView": _FORM_HANDLERS,
    "django.contrib.auth.views.PasswordResetCompleteView": _GET,
    "rest_framework.views.APIView": (),
    "rest_framework.generics.GenericAPIView": (),
    "rest_framework.generics.CreateAPIView": ("post",),
    "rest_framework.generics.ListAPIView": _GET,
    "rest_framework.generics.RetrieveAPIView": _GET,
    "rest_framework.generics.DestroyAPIView": ("delete",),
    "rest_framework.generics.UpdateAPIView": ("put", "patch"),
    "rest_framework.generics.ListCreateAPIView": ("get", "post"),
    "rest_framework.generics.RetrieveUpdateAPIView": ("get", "put", "patch"),
    "rest_framework.generics.RetrieveDestroyAPIView": ("get", "delete"),
    "rest_framework.generics.RetrieveUpdateDestroyAPIView": ("get", "put", "patch", "delete"),
    "rest_framework.routers.APIRootView": _GET,
}
# Framework classes whose ``http_method_names`` narrows Django's default list.
FRAMEWORK_METHOD_NAMES: dict[str, tuple[str, ...]] = {"django.contrib.auth.views.LogoutView": ("post", "options")}
# Framework mixins that add no handlers (their presence must not make a view "unknown").
HANDLERLESS_BASES = frozenset(
    {
        "django.contrib.auth.mixins.LoginRequiredMixin",
        "django.contrib.auth.mixins.PermissionRequiredMixin",
        "django.contrib.auth.mixins.UserPassesTestMixin",
        "django.contrib.auth.mixins.AccessMixin",
        "django.contrib.messages.views.SuccessMessageMixin",
        "django.views.generic.ContextMixin",
        "django.views.generic.TemplateResponseMixin",
        "django.views.generic.FormMixin",
        "django.views.generic.ModelFormMixin",
        "django.views.generic.SingleObjectMixin",
        "django.views.generic.SingleObjectTemplateResponseMixin",
        "django.views.generic.MultipleObjectMixin",
        "django.views.generic.MultipleObjectTemplateResponseMixin",
        "rest_framework.mixins.ListModelMixin",
        "rest_framework.mixins.CreateModelMixin",
        "rest_framework.mixins.RetrieveModelMixin",
        "rest_framework.mixins.UpdateModelMixin",
        "rest_framework.mixins.DestroyModelMixin",
        "builtins.object",
    }
)

# Actions of DRF viewsets and the mixins they are made of.
VIEWSET_ACTIONS: dict[str, tuple[str, ...]] = {
    "rest_framework.viewsets.ViewSetMixin": (),
    "rest_framework.viewsets.ViewSet": (),
    "rest_framework.viewsets.GenericViewSet": (),
    "rest_framework.viewsets.ReadOnlyModelViewSet": ("list", "retrieve"),
    "rest_framework.viewsets.ModelViewSet": ("list", "create", "retrieve", "update", "partial_update", "destroy"),
    "rest_framework.mixins.ListModelMixin": ("list",),
    "rest_framework.mixins.CreateModelMixin": ("create",),
    "rest_framework.mixins.RetrieveModelMixin": ("retrieve",),
    "rest_framework.mixins.UpdateModelMixin": ("update", "partial_update"),
    "rest_framework.mixins.DestroyModelMixin": ("destroy",),
}
# The HTTP method of each standard viewset action (rest_framework/routers.py: SimpleRouter.routes).
ACTION_METHODS = {
    "list": "GET",
    "create": "POST",
    "retrieve": "GET",
    "update": "PUT",
    "partial_update": "PATCH",
    "destroy": "DELETE",
}

REQUIRE_DECORATORS: dict[str, tuple[str, ...]] = {
    "django.views.decorators.http.require_GET": ("GET",),
    "django.views.decorators.http.require_POST": ("POST",),
    "django.views.decorators.http.require_safe": ("GET",),
}
REQUIRE_METHODS = "django.views.decorators.http.require_http_methods"
API_VIEW = "rest_framework.decorators.api_view"
ACTION = "rest_framework.decorators.action"
METHOD_DECORATOR = "django.utils.decorators.method_decorator"
VIEWSET_BASES = ("rest_framework.viewsets.", "rest_framework.mixins.")
API_VIEW_BASES = ("rest_framework.views.APIView", "rest_framework.generics.")


def normalise_methods(methods: Iterable[str]) -> list[str]:
    """Sorted upper-case methods, HEAD folded into GET, OPTIONS left out."""
    found = {m.upper() for m in methods} - {"OPTIONS"}
    if "HEAD" in found and "GET" in found:
        found.discard("HEAD")
    return sorted(found)


def _literal_methods(value: Value) -> list[str] | None:
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return [str(v).upper() for v in value]
    return None


def _arg(call: Call | CallValue, index: int, name: str) -> Value:
    kwargs = call.kwargs if isinstance(call, Call) else dict(call.kwargs)
    if name in kwargs:
        return kwargs[name]
    args = call.args
    return args[index] if index < len(args) else None


def decorator_calls(index: ProjectIndex, qualname: str) -> list[Call]:
    """The decorators of a project function, method or class, outermost first."""
    owner = index.functions.get(qualname) or index.classes.get(qualname)
    if owner is None:
        return []
    return [call for call in owner[1].calls if call.decorates == qualname]


def decorator_name(index: ProjectIndex, callee: str) -> str:
    """Canonical name of a decorator (``cache_page(60)`` names ``cache_page``), else its project path."""
    path = callee.removesuffix("()")
    return index.canonical(path) or index.resolve_project(path)


def _decorator_names(index: ProjectIndex, calls: Iterable[Call]) -> list[str]:
    names: list[str] = []
    for call in calls:
        name = decorator_name(index, call.callee)
        if name == METHOD_DECORATOR:
            names.extend(_method_decorator_targets(index, call))
        elif name not in (ACTION,) and ".mapping." not in call.callee:
            names.append(name)
    return names


def _method_decorator_targets(index: ProjectIndex, call: Call) -> list[str]:
    """``method_decorator(login_required, name="dispatch")`` → the decorator it applies."""
    target = _arg(call, 0, "decorator")
    items = list(target) if isinstance(target, (list, tuple)) else [target]
    names = []
    for item in items:
        if isinstance(item, Ref):
            names.append(decorator_name(index, item.path))
        elif isinstance(item, CallValue):
            names.append(decorator_name(index, item.callee))
    return names


def resolve_definition(index: ProjectIndex, path: str, depth: int = 0) -> str:
    """Where a project function or class is defined, also through ``from .module import *``
    re-exports (a ``views`` package whose ``__init__`` gathers its modules)."""
    resolved = index.resolve_project(path)
    if resolved in index.classes or resolved in index.functions or depth >= MAX_DEPTH:
        return resolved
    module, _, name = resolved.rpartition(".")
    facts = index.modules.get(module)
    if facts is None:
        return resolved
    for star in (i for i in facts.imports if i.star):
        found = resolve_definition(index, f"{star.module}.{name}", depth + 1)
        if found in index.classes or found in index.functions:
            return found
    return resolved


@dataclass
class ClassHierarchy:
    """A view class's ancestry: project classes (the class first, depth-first like the MRO
    for single inheritance), the framework classes reached, and whether a base was lost."""

    project: list[str] = field(default_factory=list)
    framework: list[str] = field(default_factory=list)
    unknown: bool = False

    def methods(self, index: ProjectIndex) -> dict[str, FunctionDef]:
        found: dict[str, FunctionDef] = {}
        for class_path in reversed(self.project):
            found.update(index.classes[class_path][0].methods)
        return found

    def attribute(self, index: ProjectIndex, name: str) -> Value:
        for class_path in self.project:
            attributes = index.classes[class_path][0].attributes
            if name in attributes:
                return attributes[name]
        return None


def class_hierarchy(index: ProjectIndex, class_path: str) -> ClassHierarchy:
    """The ancestry of a project class, or of a framework class named canonically."""
    hierarchy = ClassHierarchy()
    if class_path not in index.classes:
        hierarchy.framework.append(class_path)
        return hierarchy

    def visit(path: str, depth: int) -> None:
        if path in hierarchy.project or depth > MAX_DEPTH:
            return
        hierarchy.project.append(path)
        for base in index.classes[path][0].bases:
            canonical = index.canonical(base)
            if canonical is not None:
                hierarchy.framework.append(canonical)
                continue
            resolved = resolve_definition(index, base)
            if resolved in index.classes:
                visit(resolved, depth + 1)
            else:
                hierarchy.unknown = True

    visit(class_path, 0)
    return hierarchy


def framework_view_bases(index: ProjectIndex, class_path: str) -> list[str]:
    """Framework classes a view class inherits from (itself, when it is a framework class)."""
    return class_hierarchy(index, class_path).framework


def is_viewset(index: ProjectIndex, class_path: str) -> bool:
    """Whether a class is a DRF viewset (its routes come from a router or an action mapping)."""
    return any(base.startswith(VIEWSET_BASES) for base in framework_view_bases(index, class_path))


def is_api_view(index: ProjectIndex, class_path: str) -> bool:
    """Whether a class is a DRF ``APIView`` (generic API views included)."""
    return any(base.startswith(API_VIEW_BASES) for base in framework_view_bases(index, class_path))


def viewset_actions(index: ProjectIndex, class_path: str) -> set[str]:
    """Standard actions (list, create, ...) a viewset has, from its mixins and its own methods."""
    actions: set[str] = set()
    for base in framework_view_bases(index, class_path):
        actions.update(VIEWSET_ACTIONS.get(base, ()))
    actions.update(name for name in class_hierarchy(index, class_path).methods(index) if name in ACTION_METHODS)
    return actions


def _function_view(index: ProjectIndex, qualname: str) -> tuple[list[str], bool, list[str]]:
    function = index.functions[qualname][0]
    calls = decorator_calls(index, qualname)
    allowed = set(ALL_METHODS)
    for call in calls:
        name = decorator_name(index, call.callee)
        if name in REQUIRE_DECORATORS:
            allowed &= set(REQUIRE_DECORATORS[name])
        elif name == REQUIRE_METHODS:
            methods = _literal_methods(_arg(call, 0, "request_method_list"))
            if methods is not None:
                allowed &= set(methods)
        elif name == API_VIEW:
            methods = _literal_methods(_arg(call, 0, "http_method_names"))
            allowed &= set(methods if methods is not None else ["GET"])
    return normalise_methods(allowed), function.is_async, _decorator_names(index, calls)


def _class_decorators(index: ProjectIndex, class_path: str) -> list[str]:
    names = _decorator_names(index, decorator_calls(index, class_path))
    dispatch = class_hierarchy(index, class_path).methods(index).get("dispatch")
    if dispatch is not None:
        names.extend(_decorator_names(index, decorator_calls(index, dispatch.qualname)))
    return names


def _class_view(
    index: ProjectIndex, class_path: str, method_names: list[str] | None
) -> tuple[list[str], bool, list[str]]:
    hierarchy = class_hierarchy(index, class_path)
    methods = hierarchy.methods(index)
    handlers = {name for name in HANDLER_NAMES if name in methods}
    known = not hierarchy.unknown
    allowed_names: tuple[str, ...] | None = None
    for base in hierarchy.framework:
        if base in FRAMEWORK_HANDLERS:
            handlers.update(FRAMEWORK_HANDLERS[base])
            allowed_names = allowed_names or FRAMEWORK_METHOD_NAMES.get(base)
        elif base not in HANDLERLESS_BASES and base not in VIEWSET_ACTIONS:
            known = False
    declared = _literal_methods(hierarchy.attribute(index, "http_method_names"))
    if method_names is not None:
        declared = method_names
    allowed = {m.lower() for m in declared} if declared is not None else set(allowed_names or HANDLER_NAMES)
    if not handlers and not known:
        # Handlers come from a class fwlint does not know: every method stays possible.
        return list(ALL_METHODS), False, _class_decorators(index, class_path)
    accepted = normalise_methods(handlers & allowed)
    is_async = any(methods[name].is_async for name in handlers if name in methods)
    return accepted, is_async, _class_decorators(index, class_path)


def _action_methods(index: ProjectIndex, class_path: str, action: str) -> list[str]:
    """The HTTP methods routed to a viewset action: the standard table or its ``@action(methods=...)``."""
    method = class_hierarchy(index, class_path).methods(index).get(action)
    if method is not None:
        for call in decorator_calls(index, method.qualname):
            if decorator_name(index, call.callee) == ACTION:
                methods = _literal_methods(_arg(call, 0, "methods"))
                return normalise_methods(methods if methods is not None else ["GET"])
    if action in ACTION_METHODS:
        return [ACTION_METHODS[action]]
    return []


def view_methods(
    index: ProjectIndex, view_qualname: str, action: str | None = None, method_names: list[str] | None = None
) -> tuple[list[str], bool, list[str]]:
    """``(methods, is_async, decorators)`` of a view.

    ``view_qualname`` is a project function or class, or a framework view's canonical
    name (``django.views.generic.TemplateView``).  For a DRF viewset, ``action`` names
    the action a route binds (``list``, ``retrieve`` or an ``@action`` method) and the
    methods are the ones that action answers.  ``method_names`` is an
    ``http_method_names`` given to ``as_view()``.  Methods are sorted and upper-case.
    """
    if action is not None:
        decorators = _class_decorators(index, view_qualname) if view_qualname in index.classes else []
        handler = class_hierarchy(index, view_qualname).methods(index).get(action)
        if handler is not None:
            decorators += _decorator_names(index, decorator_calls(index, handler.qualname))
        is_async = handler.is_async if handler is not None else False
        return _action_methods(index, view_qualname, action), is_async, decorators
    if view_qualname in index.functions:
        return _function_view(index, view_qualname)
    if view_qualname in index.classes or view_qualname in FRAMEWORK_HANDLERS:
        return _class_view(index, view_qualname, method_names)
    return list(ALL_METHODS), False, []
