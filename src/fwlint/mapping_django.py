"""Map a Django project's facts to Flask findings.

The rule catalog does most of the work, as in the other direction (``mapping.py``); what only a
Django project has is handled here: what its settings modules declare (installed apps,
middleware, settings), its migration packages, its URL patterns and router registrations (with
the Flask rule of each), query sites on models' managers, and declarations (models, fields,
forms) whose Flask code comes from the data layer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fwlint.facts import Call, CallValue, FileFacts, Span
from fwlint.link.django_settings import DJANGO_SETTINGS, DjangoSettings, read_settings
from fwlint.link.django_urls import DjangoStructure, build_django_structure
from fwlint.link.flask_routes import FlaskStructure
from fwlint.link.index import ProjectIndex
from fwlint.mapping import Mapper, MappingResult, TranslatedQuery, _lead, _plural, _with_notes
from fwlint.report.model import RouteEntry
from fwlint.rules_engine.catalog import Catalog, Rule
from fwlint.translate.data_layer import SiteTranslation
from fwlint.translate.flask_calls import Context
from fwlint.translate.flask_data_layer import FlaskDataLayer, build_flask_data_layer
from fwlint.translate.url_for import Endpoint, redirect, reverse
from fwlint.translate.values import code_of

SETTING = "settings."
LIST_SETTINGS = {"INSTALLED_APPS": "INSTALLED_APPS", "MIDDLEWARE": "MIDDLEWARE", "MIDDLEWARE_CLASSES": "MIDDLEWARE"}
PROJECT = "__project__"
THIRD_PARTY = "__third_party__"
CUSTOM = "__custom__"
STRUCTURAL_SOURCES = {
    "settings-module": "settings.__module__",
    "migrations": "django.db.migrations.__history__",
    "async-view": "django.views.__async__",
}
# Declaration sites whose Flask code comes from the data layer, by translator name.
DECLARATIONS: dict[str, Callable[[FlaskDataLayer, str, int], SiteTranslation | None]] = {
    "django_model": FlaskDataLayer.model_at,
    "django_field": FlaskDataLayer.field_at,
    "django_form": FlaskDataLayer.form_at,
    "django_form_field": FlaskDataLayer.form_field_at,
}
# APIs that, inside a declaration or a query, are part of it rather than sites of their own.
FOLDED_ROOTS = ("django.db.models.", "django.forms.", "django.core.validators.", "django.contrib.postgres.")
ROUTE_TRANSLATORS = ("url_pattern", "router_register")
QUERYSET_ORIGINS = ("django.db.models.Manager.", "django.db.models.QuerySet.")
# Manager/QuerySet methods that return a QuerySet: a variable bound to their result is one.
QUERYSET_RETURNING = frozenset(
    {
        "all", "filter", "exclude", "order_by", "distinct", "select_related", "prefetch_related", "annotate",
        "alias", "only", "defer", "using", "select_for_update", "reverse", "none", "union", "intersection",
        "difference", "get_queryset", "extra", "complex_filter", "values", "values_list", "dates", "datetimes",
    }
)  # fmt: skip
MAX_QUERYSET_STEPS = 8
USER_MANAGER = "get_user_model().objects."


@dataclass
class DjangoProject:
    """What the linker knows about a Django project as a whole."""

    settings: DjangoSettings = field(default_factory=DjangoSettings)
    structure: DjangoStructure = field(default_factory=lambda: DjangoStructure([], [], {}, {}, []))
    data: FlaskDataLayer = field(default_factory=FlaskDataLayer)
    endpoints: dict[str, Endpoint] = field(default_factory=dict)


def build_django_project(index: ProjectIndex) -> DjangoProject:
    settings = read_settings(index)
    values = {name: setting.value for name, setting in settings.values.items()}
    structure = build_django_structure(index, settings.root_urlconf, values)
    endpoints: dict[str, Endpoint] = {}
    for site in structure.routes:
        if site.name and site.name not in endpoints:
            endpoints[site.name] = Endpoint(site.endpoint, tuple(site.flask.arguments))
    return DjangoProject(settings, structure, build_flask_data_layer(index, settings), endpoints)


class DjangoMapper(Mapper):
    def __init__(self, index: ProjectIndex, project: DjangoProject, catalog: Catalog) -> None:
        self.project = project
        self.apps = _app_packages(index, project.settings)
        super().__init__(index, FlaskStructure(), catalog, "django")
        self.django = project.data
        self._declarations: list[Span] = []
        self._assigned_from: dict[str, list[str]] | None = None

    def _file_units(self) -> dict[str, str]:
        """Each file's Django app (the installed app package holding it), else its package."""
        units: dict[str, str] = {}
        for facts in self.index.files:
            package = facts.module if facts.is_package else facts.module.rpartition(".")[0]
            app = next((a for a in self.apps if facts.module == a or facts.module.startswith(a + ".")), None)
            units[facts.path] = app or package or facts.module
        return units

    # ------------------------------------------------------------------ facts
    def _start_file(self, facts: FileFacts) -> None:
        super()._start_file(facts)
        self._declarations = []

    def _call_canonical(self, facts: FileFacts, call: Call) -> str | None:
        return (
            self.index.canonical(call.callee)
            or self._manager_method(facts, call.callee)
            or self._queryset_variable(call.callee)
        )

    @property
    def model_names(self) -> dict[str, str]:
        return self.django.model_names

    def _manager_method(self, facts: FileFacts | None, callee: str) -> str | None:
        """``Book.published.recent()`` on a manager the linker cannot follow (``QuerySet.as_manager()``,
        a project method): a query site all the same, named after Django's Manager."""
        if USER_MANAGER in callee:
            # ``get_user_model().objects.filter(...)``: the user model's manager, whichever it is.
            rest = callee.split(USER_MANAGER, 1)[1]
            return "django.db.models.Manager." + rest.replace("()", "") if rest else None
        parts = callee.split(".")
        for i in range(len(parts) - 2, 0, -1):
            model = self.index.resolve_project(".".join(parts[:i]))
            managers = self.django.managers.get(model)
            if managers is not None and parts[i] in managers and "()" not in parts[i + 1]:
                return "django.db.models.Manager." + ".".join(p.removesuffix("()") for p in parts[i + 1 :])
        return None

    def _queryset_variable(self, callee: str, depth: int = 0) -> str | None:
        """``books.filter(...)`` where ``books = Book.objects.all()`` (then perhaps ``books =
        books.filter(...)``): a QuerySet method, though the linker does not name what calls return."""
        receiver, _, method = callee.rpartition(".")
        if not receiver or "()" in method or depth > MAX_QUERYSET_STEPS:
            return None
        for origin in self._origins().get(receiver, ()):
            if origin.rpartition(".")[0] == receiver:
                continue  # ``books = books.filter(...)``: what ``books`` was before decides
            if self._returns_queryset(origin, depth):
                return "django.db.models.QuerySet." + method
        return None

    def _returns_queryset(self, origin: str, depth: int) -> bool:
        """Whether a call chain (``Book.objects.select_related().filter``) ends in a QuerySet."""
        parts = origin.split(".")
        first = next((i for i, part in enumerate(parts) if part.endswith("()")), len(parts) - 1)
        head = ".".join(parts[: first + 1]).removesuffix("()")
        source = (
            self.index.canonical(head) or self._manager_method(None, head) or self._queryset_variable(head, depth + 1)
        )
        if source is None or not (source.startswith(QUERYSET_ORIGINS) or ".objects." in source):
            return False
        methods = [source.rsplit(".", 1)[-1], *(part.removesuffix("()") for part in parts[first + 1 :])]
        return all(name in QUERYSET_RETURNING for name in methods)

    def _origins(self) -> dict[str, list[str]]:
        """Every call each local or module name is assigned from, in every file."""
        if self._assigned_from is None:
            self._assigned_from = {}
            for facts in self.index.files:
                for assignment in facts.assignments:
                    if isinstance(assignment.value, CallValue):
                        self._assigned_from.setdefault(assignment.target, []).append(assignment.value.callee)
        return self._assigned_from

    def _is_declaration(self, rule: Rule) -> bool:
        return rule.translator in DECLARATIONS

    def _inside_declaration(self, facts: FileFacts, span: Span) -> bool:
        return False

    def _folded_site(self, facts: FileFacts, canonical: str, span: Span) -> bool:
        # A query on any model (``User.objects.filter`` inside ``get_object_or_404(...)``) is part of the outer query.
        if (canonical.startswith(FOLDED_ROOTS) or ".objects." in canonical) and any(
            outer.contains(span) for outer in self._folded
        ):
            return True
        if not canonical.startswith(FOLDED_ROOTS):
            return False
        # A query inside a declaration (``ModelChoiceField(queryset=Genre.objects.all())``) is a site of its own.
        return not canonical.startswith(QUERYSET_ORIGINS) and any(outer.contains(span) for outer in self._declarations)

    def _suggest(
        self, facts: FileFacts, canonical: str, rule: Rule, span: Span, call: Call | None, ctx: Context
    ) -> tuple[str | None, str | None]:
        translator = rule.translator
        if translator in DECLARATIONS:
            if call is not None:
                self._declarations.append(call.span)
            translated = DECLARATIONS[translator](self.django, facts.path, span.line)
            if translated is None:
                return None, None
            return translated.code, _with_notes(_lead(rule.message), translated)
        if translator == "queryset":
            query = self._query(facts, span, call, rule)
            if query is None:
                return None, None
            return query.code or None, _with_notes(rule.message, query)
        if translator in ROUTE_TRANSLATORS and call is not None:
            return self._route_suggestion(facts, call, rule)
        if translator == "reverse" and call is not None:
            name = canonical.rsplit(".", 1)[-1]
            code = (
                redirect(call, self.project.endpoints) if name == "redirect" else reverse(call, self.project.endpoints)
            )
            if code is not None and name == "reverse_lazy":
                return code, rule.message
            return code, None
        if translator == "request_user" and ".user" in canonical:
            return "current_user" + canonical.split(".user", 1)[1], None
        if translator == "settings_read" and canonical.startswith("django.conf.settings."):
            name = canonical[len("django.conf.settings.") :].split(".", 1)[0]
            return f'current_app.config["{name}"]', None
        return None, None

    def _route_suggestion(self, facts: FileFacts, call: Call, rule: Rule) -> tuple[str | None, str | None]:
        sites = self.project.structure.by_call.get((facts.path, call.span.line, call.span.column), [])
        if not sites:
            return None, None
        code = "\n".join(site.code for site in sites)
        first = sites[0]
        lead = f"Django `{first.path}` → Flask `{first.flask.rule}`"
        if len(sites) > 1:
            lead = f"{_plural(len(sites), 'route')} under `{first.path}`"
        notes = list(dict.fromkeys(note for site in sites for note in site.flask.notes))
        errors = [site.flask.error for site in sites if site.flask.error]
        message = f"{lead}. {_lead(rule.message)}"
        if notes or errors:
            message += ". " + "; ".join(n.rstrip(".") for n in [*errors, *notes]) + "."
        return code, message

    # ----------------------------------------------------------------- queries
    def _translate_query(self, code: str, models: dict[str, str]) -> TranslatedQuery | None:
        key = hashlib.blake2b(repr(("django", code, sorted(models.items()), self.django.schema_digest)).encode())
        memo_key = key.hexdigest()
        if memo_key in self.query_memo:
            return self.query_memo[memo_key]  # type: ignore[return-value]
        from fwlint.translate.sqlalchemy_queries import translate_queryset  # libcst: only for new queries

        result = translate_queryset(code, models, self.django.query_schema)
        translated = (
            TranslatedQuery(result.code, list(result.notes), result.exact, result.kind) if result is not None else None
        )
        self.query_memo[memo_key] = translated
        return translated

    def _call_code(self, facts: FileFacts, call: Call) -> str | None:
        """Source for a query call recorded without its text: from the model on
        (``Book.objects.count()``), else from the variable or function it is called on
        (``books.filter(text)``, ``get_object_or_404(Book, pk=pk)``)."""
        parts = call.callee.split(".")
        # A framework function is written by its name (``get_object_or_404(...)``, ``transaction.atomic()``).
        start = len(parts) - (2 if parts[-2:-1] == ["transaction"] else 1) if parts[0] == "django" else len(parts) - 2
        for i in range(len(parts) - 1, 0, -1):
            if self.index.resolve_project(".".join(parts[:i])) in self.django.model_names:
                start = i - 1
                break
        arguments = [code_of(a) for a in call.args] + [
            f"{k}={code_of(v)}" if k != "**" else f"**{code_of(v)}" for k, v in call.kwargs.items()
        ]
        callee = ".".join(part for part in parts[max(start, 0) :] if part != "<locals>")
        code = callee + ("" if call.bare else "(" + ", ".join(arguments) + ")")
        return "@" + code if call.decorates is not None else code

    # --------------------------------------------------------------- structure
    def map_settings(self, files: dict[str, FileFacts]) -> None:
        """Every settings module's declarations: one finding per setting, and per entry of
        INSTALLED_APPS and MIDDLEWARE."""
        settings = self.project.settings
        for module in settings.modules:
            facts = self.index.modules.get(module)
            if facts is None or facts.path not in files:
                continue
            self._project_finding(
                facts, "settings-module", Span(1, 1, 1, 1), f"`{module}` is a settings module", module
            )
            prefix = module + "."
            for assignment in facts.assignments:
                name = assignment.target[len(prefix) :] if assignment.target.startswith(prefix) else ""
                if not name.isupper() or "." in name:
                    continue
                if name in LIST_SETTINGS and isinstance(assignment.value, list):
                    spans = assignment.item_spans or tuple(assignment.span for _ in assignment.value)
                    for entry, span in zip(assignment.value, spans, strict=False):
                        if isinstance(entry, str):
                            self._setting_entry(facts, LIST_SETTINGS[name], entry, span)
                    continue
                self._setting(facts, name, assignment.span, assignment.value)

    def _setting(self, facts: FileFacts, name: str, span: Span, value: object) -> None:
        source = SETTING + name
        matched = self.catalog.match(self.source, source, "reference")
        if matched is None:
            if name in DJANGO_SETTINGS:
                self.add_unmapped(facts, span, source)
                return
            matched = self.catalog.match(self.source, SETTING + CUSTOM, "reference")
            if matched is None:
                return
        rule = matched[0]
        suggestion = None
        if rule.translator == "database_uri" and name == "DATABASES" and isinstance(value, dict):
            suggestion = database_uri_code(value)
        elif matched[1] == SETTING + CUSTOM:
            suggestion = f'app.config["{name}"] = ...  # {name} as set in {facts.module}'
        if self.add(facts, rule, span, source, suggestion, f"`{name}`: {rule.message}"):
            self.mapped += 1

    def _setting_entry(self, facts: FileFacts, setting: str, entry: str, span: Span) -> None:
        source = f"{SETTING}{setting}.{entry}"
        name = _app_name(entry) if setting == "INSTALLED_APPS" else entry
        matched = self.catalog.match(self.source, f"{SETTING}{setting}.{name}", "reference")
        if matched is None:
            kind = entry_kind(self.index, name)
            if kind == "django":
                self.add_unmapped(facts, span, source)
                return
            fallback = PROJECT if kind == "project" else THIRD_PARTY
            matched = self.catalog.match(self.source, f"{SETTING}{setting}.{fallback}", "reference")
        if matched is None:
            return
        rule = matched[0]
        if self.add(facts, rule, span, source, None, f"`{entry}` in {setting}: {rule.message}"):
            self.mapped += 1

    def map_migrations(self, files: dict[str, FileFacts]) -> None:
        """One finding per app's migration history, on its first migration."""
        by_folder: dict[str, list[str]] = {}
        for facts in self.index.files:
            if is_django_migration(facts, self.index):
                by_folder.setdefault(facts.path.rpartition("/")[0] or ".", []).append(facts.path)
        for folder, paths in sorted(by_folder.items()):
            first = files.get(sorted(paths)[0])
            if first is not None:
                lead = f"`{folder}/` holds a Django migration history of {_plural(len(paths), 'migration')}"
                self._project_finding(first, "migrations", Span(1, 1, 1, 1), lead)

    def map_routes(self, files: dict[str, FileFacts]) -> None:
        """Async views, found through the URL map."""
        seen: set[str] = set()
        for site in self.project.structure.routes:
            if not site.is_async or site.view in seen:
                continue
            seen.add(site.view)
            view = self.index.functions.get(site.view)
            facts = files.get(view[1].path) if view is not None else files.get(site.file)
            span = view[0].span if view is not None else site.span
            if facts is not None:
                self._project_finding(facts, "async-view", span, f"`{site.view}` is an async view")

    def _project_finding(
        self, facts: FileFacts, kind: str, span: Span, lead: str, source_api: str | None = None
    ) -> None:
        matched = self.catalog.match(self.source, STRUCTURAL_SOURCES[kind], "reference")
        if matched is None:
            return
        rule = matched[0]
        if self.add(facts, rule, span, source_api or rule.source[0], None, f"{lead}: {rule.message}"):
            self.mapped += 1


def entry_kind(index: ProjectIndex, dotted: str) -> str:
    """Whose an INSTALLED_APPS/MIDDLEWARE entry is: ``project``, ``django`` (Django or DRF) or ``third-party``."""
    parts = dotted.split(".")
    if any(".".join(parts[:i]) in index.modules for i in range(len(parts), 0, -1)):
        return "project"
    return "django" if parts[0] in ("django", "rest_framework") else "third-party"


def _app_name(entry: str) -> str:
    """``catalog.apps.CatalogConfig`` → ``catalog``; ``x.apps.SimpleAdminConfig`` → ``x``."""
    head, sep, _ = entry.partition(".apps.")
    return head if sep else entry


def _app_packages(index: ProjectIndex, settings: DjangoSettings) -> list[str]:
    """The project's own apps as package names, longest first: the installed ones, and every package
    whose ``apps.py`` declares an AppConfig (a project that installs its apps from a computed list,
    or one package holding many apps, still has them)."""
    apps = set()
    for entry in settings.installed_apps:
        name = _app_name(entry)
        parts = name.split(".")
        for i in range(len(parts), 0, -1):
            module = ".".join(parts[:i])
            facts = index.modules.get(module)
            if facts is not None and facts.is_package:
                apps.add(module)
                break
    for facts in index.files:
        if facts.module.endswith(".apps") and any(
            "django.apps.AppConfig" in index.class_canonical_bases(cls.qualname) for cls in facts.classes
        ):
            apps.add(facts.module.removesuffix(".apps"))
    return sorted(apps, key=lambda a: (-len(a), a))


def is_django_migration(facts: FileFacts, index: ProjectIndex) -> bool:
    """A migration module: a ``Migration`` class on ``django.db.migrations.Migration`` inside a
    ``migrations`` package (or any module defining one, for one-file examples)."""
    name = f"{facts.module}.Migration"
    for cls in facts.classes:
        if cls.qualname == name and any(index.canonical(b) == "django.db.migrations.Migration" for b in cls.bases):
            return True
    return False


ENGINES = {
    "django.db.backends.postgresql": "postgresql+psycopg",
    "django.db.backends.postgresql_psycopg2": "postgresql+psycopg2",
    "django.contrib.gis.db.backends.postgis": "postgresql+psycopg",
    "django.db.backends.mysql": "mysql+mysqldb",
    "django.db.backends.sqlite3": "sqlite",
    "django.db.backends.oracle": "oracle+oracledb",
}


def database_uri_code(databases: dict[str, Any]) -> str | None:
    """``DATABASES`` as Flask-SQLAlchemy config: the default connection's URL, other aliases as binds."""
    lines = []
    binds = []
    for alias, config in databases.items():
        if not isinstance(config, dict):
            return None
        uri = _database_uri(config)
        if alias == "default":
            lines.append(f'app.config["SQLALCHEMY_DATABASE_URI"] = {uri}')
        else:
            binds.append(f'"{alias}": {uri}')
    if binds:
        lines.append('app.config["SQLALCHEMY_BINDS"] = {' + ", ".join(binds) + "}")
    return "\n".join(lines) or None


def _database_uri(config: dict[str, Any]) -> str:
    engine = config.get("ENGINE")
    dialect = ENGINES.get(engine, "<dialect>") if isinstance(engine, str) else "<dialect>"
    name = config.get("NAME")
    if dialect == "sqlite":
        return f'"sqlite:///{name}"' if isinstance(name, str) else '"sqlite:///" + str(' + code_of(name) + ")"
    parts = {key: config.get(key) for key in ("USER", "PASSWORD", "HOST", "PORT", "NAME")}
    if all(isinstance(v, (str, int)) or v is None for v in parts.values()):
        user = parts["USER"] or ""
        password = f":{parts['PASSWORD']}" if parts["PASSWORD"] else ""
        auth = f"{user}{password}@" if user else ""
        port = f":{parts['PORT']}" if parts["PORT"] else ""
        return f'"{dialect}://{auth}{parts["HOST"] or "localhost"}{port}/{parts["NAME"] or ""}"'
    # Values read from the environment: build the URL with SQLAlchemy's URL.create.
    arguments = ", ".join(
        f"{key.lower() if key != 'NAME' else 'database'}={code_of(value)}"
        for key, value in parts.items()
        if value is not None
    )
    return f'URL.create("{dialect}", {arguments})'


def map_django_project(
    index: ProjectIndex,
    project: DjangoProject,
    catalog: Catalog,
    selected: Callable[[str], bool] = lambda path: True,
    query_memo: dict[str, object] | None = None,
) -> MappingResult:
    """Findings for the selected files of a Django project (all by default)."""
    mapper = DjangoMapper(index, project, catalog)
    if query_memo is not None:
        mapper.query_memo = query_memo
    files = {f.path: f for f in index.files if selected(f.path)}
    for facts in files.values():
        # Migrations are history, not code to port: one finding covers each app's.
        if is_django_migration(facts, index):
            continue
        mapper.map_file(facts)
    mapper.map_settings(files)
    mapper.map_migrations(files)
    mapper.map_routes(files)
    mapper.findings.sort(key=lambda f: (f.file, f.line, f.column, f.rule))
    return MappingResult(mapper.findings, mapper.mapped, mapper.unmapped, mapper.unmapped_apis, mapper.queries)


def project_structure(index: ProjectIndex, project: DjangoProject) -> dict[str, Any] | None:
    """The settings inventory: which module is in use, and every installed app and middleware."""
    settings = project.settings
    if settings.module is None:
        return None

    def entries(name: str, app: bool) -> list[dict[str, Any]]:
        setting = settings.values.get(name)
        found = []
        for entry in setting.entries if setting is not None else []:
            if not isinstance(entry.value, str):
                continue
            kind = entry_kind(index, _app_name(entry.value) if app else entry.value)
            found.append({"name": entry.value, "kind": kind, "file": entry.file, "line": entry.span.line})
        return found

    databases: dict[str, str | None] = {}
    setting = settings.values.get("DATABASES")
    if setting is not None and isinstance(setting.value, dict):
        for alias, config in setting.value.items():
            engine = config.get("ENGINE") if isinstance(config, dict) else None
            databases[alias] = engine if isinstance(engine, str) else None
    return {
        "settings_module": settings.module,
        "named_by": settings.named_by,
        "settings_modules": settings.modules,
        "installed_apps": entries("INSTALLED_APPS", True),
        "middleware": entries("MIDDLEWARE", False) or entries("MIDDLEWARE_CLASSES", False),
        "root_urlconf": settings.root_urlconf,
        "auth_user_model": settings.auth_user_model,
        "databases": databases,
    }


def django_route_entries(structure: DjangoStructure) -> list[RouteEntry]:
    entries = []
    for site in structure.routes:
        target: dict[str, object] = {
            "path": site.flask.rule if site.flask.error is None else None,
            "code": site.code,
            "function": "route",
            "name": site.endpoint,
            "converters": sorted(site.flask.converters),
            # The werkzeug converter classes the rule needs, to register on ``app.url_map.converters``.
            "converter_code": dict(sorted(site.flask.converters.items())),
            "notes": site.flask.notes,
        }
        if not site.flask.strict_slashes:
            target["strict_slashes"] = False
        if site.flask.error:
            target["error"] = site.flask.error
        handler = site.view + (f".{site.action}" if site.action else "")
        entries.append(
            RouteEntry(
                site.methods or ["GET"],
                site.path,
                handler,
                site.file,
                site.span.line,
                site.name or site.endpoint,
                site.blueprint,
                target,
                site.is_async,
            )
        )
    return entries
