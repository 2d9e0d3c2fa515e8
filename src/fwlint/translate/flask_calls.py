"""Call-level translators for Flask → Django: the suggestion a table cannot write.

Each translator takes the call fact and the route map and returns the Django
code to type in (or None to fall back to the rule's own suggestion).
"""

from __future__ import annotations

from collections.abc import Callable

from fwlint.facts import Call, CallValue
from fwlint.link.flask_routes import FlaskStructure, method_decorator
from fwlint.translate.values import code_of

# werkzeug.exceptions status codes with a dedicated Django exception or response.
ABORT_EXCEPTIONS = {
    400: "raise SuspiciousOperation(...)  # from django.core.exceptions; Django answers 400",
    403: "raise PermissionDenied  # from django.core.exceptions",
    404: "raise Http404  # from django.http",
}


def _endpoint_name(endpoint: str, scope_blueprint: str | None) -> str:
    if endpoint.startswith(".") and scope_blueprint:
        endpoint = scope_blueprint + endpoint
    return endpoint.lstrip(".").replace(".", ":")


class Context:
    def __init__(self, structure: FlaskStructure, file_blueprint: str | None) -> None:
        self.structure = structure
        self.file_blueprint = file_blueprint


def url_for(call: Call, ctx: Context) -> str | None:
    if not call.args or not isinstance(call.args[0], str):
        return None
    endpoint = call.args[0]
    if endpoint == "static":
        filename = call.kwargs.get("filename")
        return f"static({code_of(filename)})  # from django.templatetags.static" if filename is not None else None
    name = _endpoint_name(endpoint, ctx.file_blueprint)
    params = {k: v for k, v in call.kwargs.items() if not k.startswith("_") and k != "**"}
    code = f'reverse("{name}"'
    if params:
        code += ", kwargs={" + ", ".join(f'"{k}": {code_of(v)}' for k, v in params.items()) + "}"
    code += ")"
    if call.kwargs.get("_external") is True:
        code = f"request.build_absolute_uri({code})"
    if "_anchor" in call.kwargs:
        code += f' + "#" + {code_of(call.kwargs["_anchor"])}'
    return code


def redirect(call: Call, ctx: Context) -> str | None:
    if not call.args:
        return None
    target = call.args[0]
    inner = code_of(target)
    if isinstance(target, CallValue) and target.callee.rsplit(".", 1)[-1] == "url_for" and target.args:
        first = target.args[0]
        if isinstance(first, str) and first != "static":
            name = _endpoint_name(first, ctx.file_blueprint)
            kwargs = [(k, v) for k, v in target.kwargs if not k.startswith("_")]
            inner = f'"{name}"' + "".join(
                f", **{code_of(v)}" if k == "**" else f", {k}={code_of(v)}" for k, v in kwargs
            )
    code = call.kwargs.get("code", call.args[1] if len(call.args) > 1 else 302)
    if code in (301, 308):
        return f"redirect({inner}, permanent=True)"
    if code not in (302, 303, 307):
        return f"HttpResponseRedirect(...) with status={code_of(code)}"
    return f"redirect({inner})"


def abort(call: Call, ctx: Context) -> str | None:
    if not call.args:
        return None
    status = call.args[0]
    if isinstance(status, int):
        if status in ABORT_EXCEPTIONS:
            return ABORT_EXCEPTIONS[status]
        return f"return HttpResponse(status={status})"
    return f"return HttpResponse(status={code_of(status)})"


def render_template(call: Call, ctx: Context) -> str | None:
    if not call.args:
        return None
    template = code_of(call.args[0])
    context = [(k, v) for k, v in call.kwargs.items() if k != "**"]
    body = "{" + ", ".join(f'"{k}": {code_of(v)}' for k, v in context) + "}"
    if "**" in call.kwargs:
        body = "{**" + code_of(call.kwargs["**"]) + (", " + body[1:] if context else "}")
    return f"render(request, {template}, {body})" if context or "**" in call.kwargs else f"render(request, {template})"


def jsonify(call: Call, ctx: Context) -> str | None:
    if len(call.args) == 1 and not call.kwargs:
        value = call.args[0]
        if isinstance(value, (list, tuple)):
            return f"JsonResponse({code_of(value)}, safe=False)"
        return f"JsonResponse({code_of(value)})  # safe=False if it is not a dict"
    if call.kwargs and not call.args:
        return "JsonResponse({" + ", ".join(f'"{k}": {code_of(v)}' for k, v in call.kwargs.items()) + "})"
    return None


def route(call: Call, ctx: Context, key: tuple[str, int, int]) -> str | None:
    sites = ctx.structure.by_call.get(key, [])
    if not sites:
        return None
    lines: list[str] = []
    for site in sites:
        if site.django is None:
            continue
        for line in site.django.converter_classes:
            if line not in lines:
                lines.append(line)
        for line in site.django.converters:
            if line not in lines:
                lines.append(line)
        if site.django_code not in lines:
            lines.append(site.django_code)
    first = sites[0]
    if first.view_kind == "function":
        methods = sorted({m for s in sites for m in s.methods})
        lines.append(f"{method_decorator(methods)}  # on the view, which takes `request` first")
    return "\n".join(lines) if lines else None


def register_blueprint(call: Call, ctx: Context, key: tuple[str, int, int]) -> str | None:
    return ctx.structure.registrations.get(key)


# Flask's flash categories (free text, "message" by default) → django.contrib.messages levels.
MESSAGE_LEVELS = {
    "message": "info",
    "info": "info",
    "success": "success",
    "warning": "warning",
    "error": "error",
    "danger": "error",
    "debug": "debug",
}


def flash(call: Call, ctx: Context) -> str | None:
    message = call.args[0] if call.args else call.kwargs.get("message")
    if message is None:
        return None
    category = call.args[1] if len(call.args) > 1 else call.kwargs.get("category", "message")
    if isinstance(category, str) and category in MESSAGE_LEVELS:
        return f"messages.{MESSAGE_LEVELS[category]}(request, {code_of(message)})"
    return f"messages.add_message(request, messages.INFO, {code_of(message)}, extra_tags={code_of(category)})"


def blueprint(call: Call, ctx: Context) -> str | None:
    name = call.args[0] if call.args else call.kwargs.get("name")
    if not isinstance(name, str):
        return None
    return f'app_name = "{name}"  # in the app\'s urls.py; add the app to INSTALLED_APPS'


CALL_TRANSLATORS: dict[str, Callable[[Call, Context], str | None]] = {
    "blueprint": blueprint,
    "flash": flash,
    "url_for": url_for,
    "redirect": redirect,
    "abort": abort,
    "render_template": render_template,
    "jsonify": jsonify,
}
SITE_TRANSLATORS: dict[str, Callable[[Call, Context, tuple[str, int, int]], str | None]] = {
    "route": route,
    "register_blueprint": register_blueprint,
}
