"""Project-wide knowledge: what each path names once every file is known.

Extraction records names as paths (``shop.catalog.bp.route``); here they become
canonical framework names (``flask.Blueprint.route``) by following imports,
re-exports, instances (``bp = Blueprint(...)``), factory return values and
project classes down to their framework base classes.
"""

from __future__ import annotations

from dataclasses import dataclass

from fwlint.facts import CallValue, ClassDef, FileFacts, FunctionDef, Ref
from fwlint.frameworks import framework_of_root
from fwlint.link.django_names import DJANGO_PUBLIC_NAMES

MAX_STEPS = 24
# Instances that stand for another object: what is used through them is not their own API.
PROXIES = frozenset({"LocalProxy()"})
# Public names for objects that frameworks define in submodules.
PUBLIC_NAMES = {
    "flask.app.Flask": "flask.Flask",
    "flask.blueprints.Blueprint": "flask.Blueprint",
    "flask.sansio.blueprints.Blueprint": "flask.Blueprint",
    "flask.globals.request": "flask.request",
    "flask.globals.session": "flask.session",
    "flask.globals.g": "flask.g",
    "flask.globals.current_app": "flask.current_app",
    "flask.helpers.url_for": "flask.url_for",
    "flask.helpers.flash": "flask.flash",
    "flask.helpers.send_file": "flask.send_file",
    "flask.helpers.send_from_directory": "flask.send_from_directory",
    "flask.helpers.make_response": "flask.make_response",
    "flask.helpers.abort": "flask.abort",
    "flask.helpers.redirect": "flask.redirect",
    "flask.helpers.stream_with_context": "flask.stream_with_context",
    "flask.helpers.get_flashed_messages": "flask.get_flashed_messages",
    "flask.json.jsonify": "flask.jsonify",
    "flask.templating.render_template": "flask.render_template",
    "flask.templating.render_template_string": "flask.render_template_string",
    "flask.wrappers.Response": "flask.Response",
    "flask.wrappers.Request": "flask.Request",
    "werkzeug.routing.converters.BaseConverter": "werkzeug.routing.BaseConverter",
    "werkzeug.wrappers.Response": "werkzeug.Response",
    "werkzeug.wrappers.response.Response": "werkzeug.Response",
    # Whole modules whose names the package re-exports at its top level.
    "sqlalchemy.sql": "sqlalchemy",
    "sqlalchemy.sql.expression": "sqlalchemy",
    "sqlalchemy.sql.functions": "sqlalchemy",
    "sqlalchemy.sql.schema": "sqlalchemy",
    "sqlalchemy.sql.sqltypes": "sqlalchemy",
    "sqlalchemy.sql.elements": "sqlalchemy",
    "sqlalchemy.sql.operators": "sqlalchemy",
    "sqlalchemy.types": "sqlalchemy",
    "sqlalchemy.schema": "sqlalchemy",
    "sqlalchemy.engine": "sqlalchemy",
    "sqlalchemy.ext.declarative.declarative_base": "sqlalchemy.orm.declarative_base",
    "sqlalchemy.ext.declarative.declared_attr": "sqlalchemy.orm.declared_attr",
    "sqlalchemy.orm.decl_api": "sqlalchemy.orm",
    "sqlalchemy.orm.relationships": "sqlalchemy.orm",
    "sqlalchemy.orm.properties": "sqlalchemy.orm",
    "sqlalchemy.orm.query": "sqlalchemy.orm",
    "sqlalchemy.orm.session": "sqlalchemy.orm",
    "sqlalchemy.orm.strategy_options": "sqlalchemy.orm",
    "sqlalchemy.orm.attributes": "sqlalchemy.orm",
    "sqlalchemy.orm.scoping": "sqlalchemy.orm",
    "sqlalchemy.orm.base": "sqlalchemy.orm",
    "sqlalchemy.dialects.postgresql.base": "sqlalchemy.dialects.postgresql",
    "sqlalchemy.dialects.postgresql.json": "sqlalchemy.dialects.postgresql",
    "sqlalchemy.dialects.postgresql.array": "sqlalchemy.dialects.postgresql",
    "sqlalchemy.dialects.postgresql.types": "sqlalchemy.dialects.postgresql",
    "flask_sqlalchemy.extension.SQLAlchemy": "flask_sqlalchemy.SQLAlchemy",
    "flask_sqlalchemy.model.Model": "flask_sqlalchemy.SQLAlchemy.Model",
    "flask_sqlalchemy.pagination": "flask_sqlalchemy",
    "flask_sqlalchemy.query.Query": "flask_sqlalchemy.SQLAlchemy.Query",
    "wtforms.fields": "wtforms",
    "wtforms.fields.core": "wtforms",
    "wtforms.fields.simple": "wtforms",
    "wtforms.fields.html5": "wtforms",
    "wtforms.fields.choices": "wtforms",
    "wtforms.fields.datetime": "wtforms",
    "wtforms.fields.numeric": "wtforms",
    "wtforms.fields.form": "wtforms",
    "wtforms.fields.list": "wtforms",
    "wtforms.form.Form": "wtforms.Form",
    "wtforms.ext.sqlalchemy.fields": "wtforms_sqlalchemy.fields",
    "flask_wtf.form.FlaskForm": "flask_wtf.FlaskForm",
    "flask_wtf.Form": "flask_wtf.FlaskForm",
    "flask_wtf.CSRFProtect": "flask_wtf.csrf.CSRFProtect",
    "flask_wtf.csrf.CsrfProtect": "flask_wtf.csrf.CSRFProtect",
    "flask_wtf.CsrfProtect": "flask_wtf.csrf.CSRFProtect",
    "flask_wtf.recaptcha.fields": "flask_wtf.recaptcha",
    "flask_wtf.RecaptchaField": "flask_wtf.recaptcha.RecaptchaField",
    "flask_wtf.Recaptcha": "flask_wtf.recaptcha.Recaptcha",
    "flask_login.utils": "flask_login",
    "flask_login.mixins": "flask_login",
    "flask_login.login_manager": "flask_login",
    "flask_login.signals": "flask_login",
    "flask_security.core": "flask_security",
    "flask_security.decorators": "flask_security",
    "flask_security.utils": "flask_security",
    "flask_security.datastore": "flask_security",
    "flask_security.models.fsqla_v3": "flask_security.models.fsqla",
    "flask_security.models.fsqla_v2": "flask_security.models.fsqla",
    "flask_jwt_extended.view_decorators": "flask_jwt_extended",
    "flask_jwt_extended.utils": "flask_jwt_extended",
    "flask_jwt_extended.jwt_manager": "flask_jwt_extended",
    "flask_migrate.cli": "flask_migrate",
    **DJANGO_PUBLIC_NAMES,
}
# Attributes of a Flask-SQLAlchemy ``db`` object that are its own API; every other
# ``db.X`` is SQLAlchemy's ``X`` re-exported (``db.Column``, ``db.relationship``...).
FLASK_SQLALCHEMY_OWN = frozenset(
    {
        "session", "Model", "Query", "paginate", "init_app", "create_all", "drop_all", "reflect",
        "get_or_404", "first_or_404", "one_or_404", "engine", "engines", "metadata", "metadatas",
        "get_engine", "get_binds", "get_tables_for_bind", "Pagination", "get_app", "app",
    }
)  # fmt: skip
SQLALCHEMY_ORM_NAMES = frozenset(
    {
        "relationship", "relation", "backref", "dynamic_loader", "column_property", "mapped_column",
        "Mapped", "DynamicMapped", "WriteOnlyMapped", "composite", "synonym", "deferred", "defer",
        "undefer", "validates", "aliased", "joinedload", "selectinload", "subqueryload", "lazyload",
        "noload", "raiseload", "immediateload", "contains_eager", "load_only", "defaultload",
        "with_polymorphic", "declared_attr", "declarative_base", "DeclarativeBase", "registry",
        "Session", "sessionmaker", "scoped_session", "object_session", "with_parent", "foreign", "remote",
        "query_expression", "with_expression", "reconstructor", "Query", "class_mapper",
        "configure_mappers", "make_transient", "attribute_keyed_dict", "column_keyed_dict",
    }
)  # fmt: skip
SQLALCHEMY_FUNCTIONS = frozenset(
    {
        "func", "select", "and_", "or_", "not_", "text", "desc", "asc", "update", "delete", "insert", "literal",
        "literal_column", "case", "cast", "null", "true", "false", "exists", "distinct", "between", "tuple_",
        "nullsfirst", "nullslast", "nulls_first", "nulls_last", "outerjoin", "join", "event", "inspect",
        "bindparam", "column", "table", "union", "union_all", "label", "extract", "type_coerce", "collate",
        "any_", "all_", "values", "create_engine", "over", "within_group", "lateral", "alias", "subquery",
    }
)  # fmt: skip
FLASK_SQLALCHEMY_DB = "flask_sqlalchemy.SQLAlchemy."
MODEL_BASES = frozenset({"flask_sqlalchemy.SQLAlchemy.Model", "sqlalchemy.orm.DeclarativeBase"})
MODEL_MEMBERS = frozenset({"query", "query_class", "metadata", "__table__", "__tablename__", "registry"})


# What a model class gets from its declarative base; any other attribute read through a model
# (a ``backref`` another model adds, a column set up dynamically) is the project's own.
DECLARATIVE_MEMBERS = frozenset(
    {"query", "query_class", "metadata", "registry", "__table__", "__tablename__", "__mapper__", "__table_args__",
     "__init__", "__repr__", "__abstract__", "__mapper_args__"}
)  # fmt: skip
DECLARATIVE_PREFIXES = ("flask_sqlalchemy.SQLAlchemy.Model.", "sqlalchemy.orm.DeclarativeBase.")


def _project_attribute(name: str) -> bool:
    """``db.Model.registration_form`` (a backref) or ``db.m`` (set by the project on ``db``)."""
    for prefix in DECLARATIVE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :].split(".", 1)[0] not in DECLARATIVE_MEMBERS
    if name.startswith(FLASK_SQLALCHEMY_DB):
        member = name[len(FLASK_SQLALCHEMY_DB) :].split(".", 1)[0]
        return member[:1].islower() and member not in FLASK_SQLALCHEMY_OWN
    return False


def _split(path: str) -> list[str]:
    return path.split(".")


def _api_name(path: str) -> str | None:
    """The API a framework path uses, or None when it only uses what a function returned.

    ``Flask().route`` is a method of an instance, still framework API.  But
    ``request.args.get().lower`` or a bare ``q`` bound to ``request.args.get()``
    use a *result*: the call itself is recorded at its own site, so counting the
    result again would report one API use several times.
    """
    parts = _split(path)
    for index, part in enumerate(parts):
        if not part.endswith("()"):
            continue
        last = index == len(parts) - 1
        if last or part[:1].islower() or part[:1] == "_" or part in PROXIES:
            return None
    return path.replace("()", "")


@dataclass(slots=True)
class Instance:
    path: str
    call: CallValue
    file: FileFacts
    line: int


class ProjectIndex:
    def __init__(self, files: list[FileFacts]) -> None:
        self.files = files
        self.aliases: dict[str, str] = {}
        self.instances: dict[str, Instance] = {}
        self.functions: dict[str, tuple[FunctionDef, FileFacts]] = {}
        self.classes: dict[str, tuple[ClassDef, FileFacts]] = {}
        self.modules: dict[str, FileFacts] = {}
        self._canonical_cache: dict[str, str | None] = {}
        self._project_cache: dict[str, str] = {}
        for facts in files:
            self.modules.setdefault(facts.module, facts)
            self.aliases.update(facts.aliases)
            for assignment in facts.assignments:
                if isinstance(assignment.value, CallValue):
                    self.instances[assignment.target] = Instance(
                        assignment.target, assignment.value, facts, assignment.span.line
                    )
            for function in facts.functions:
                self.functions[function.qualname] = (function, facts)
            for cls in facts.classes:
                self.classes[cls.qualname] = (cls, facts)
                for method in cls.methods.values():
                    self.functions[method.qualname] = (method, facts)

    # ------------------------------------------------------------ resolution
    def _step(self, path: str) -> str | None:
        """Rewrite the longest known prefix of ``path`` once, or None when nothing is known."""
        parts = _split(path)
        for i in range(len(parts), 0, -1):
            head = ".".join(parts[:i])
            rest = parts[i:]
            replacement: str | None = None
            if head in self.aliases and self.aliases[head] != head and not self.aliases[head].startswith(head + "."):
                # (``pkg/__init__.py: from .sub import sub`` would otherwise rewrite ``pkg.sub`` forever)
                replacement = self.aliases[head]
            elif head in self.instances:
                if len(rest) > 1 and rest[0] == "Model" and self._model_class_defines(self.instances[head], rest[1]):
                    return None  # ``db.Model.get_or_404`` from the project's own ``model_class``
                replacement = self.instances[head].call.callee + "()"
            elif head.endswith("()"):
                inner = head[:-2]
                if inner in self.functions and self.functions[inner][0].returns:
                    replacement = self.functions[inner][0].returns
                elif inner in self.classes:
                    replacement = self._framework_base(inner, rest)
                    if replacement is not None:
                        replacement += "()"
            elif head in self.classes and rest:
                replacement = self._framework_base(head, rest)
            if replacement is not None:
                return ".".join([replacement, *rest])
        return None

    def _framework_base(self, class_path: str, rest: list[str]) -> str | None:
        """The framework class whose attribute ``rest[0]`` a project class inherits, if any."""
        member = rest[0].removesuffix("()") if rest else None
        if member is not None and self._defines(class_path, member, set()):
            return None
        found: list[str] = []
        for base in self.classes[class_path][0].bases:
            canonical = self.canonical(base)
            if canonical == "flask_sqlalchemy.SQLAlchemy.Model" and member is not None and base.endswith(".Model"):
                db = self.instance_of(base[: -len(".Model")])
                if db is not None and self._model_class_defines(db, member):
                    return None  # the project's own model base class defines it
            if canonical is None:
                resolved = self.resolve_project(base)
                if resolved in self.classes and resolved != class_path:
                    canonical = self._framework_base(resolved, rest)
            if canonical is not None:
                found.append(canonical)
        if member in MODEL_MEMBERS:
            # ``class User(UserMixin, db.Model)``: ``User.query`` is the model's, not the mixin's.
            for canonical in found:
                if canonical in MODEL_BASES:
                    return canonical
        return found[0] if found else None

    def _model_class_defines(self, instance: Instance, member: str) -> bool:
        """``SQLAlchemy(model_class=declarative_base(cls=Base))``: whether the project's ``Base``
        defines what ``db.Model.<member>`` names."""
        model_class = dict(instance.call.kwargs).get("model_class")
        if isinstance(model_class, CallValue):
            model_class = dict(model_class.kwargs).get("cls")
        if not isinstance(model_class, Ref):
            return False
        return self._defines(self.resolve_project(model_class.path), member, set())

    def _defines(self, class_path: str, member: str, seen: set[str]) -> bool:
        """Whether a project class or one of its project bases defines ``member`` itself."""
        if class_path in seen or class_path not in self.classes:
            return False
        seen.add(class_path)
        cls = self.classes[class_path][0]
        if member in cls.methods or member in cls.attributes or f"{class_path}.{member}" in self.classes:
            return True
        # A bare annotation is a type hint (``Model: type[Base]``), except SQLAlchemy's ``x: Mapped[int]``.
        if "Mapped[" in cls.annotations.get(member, ""):
            return True
        return any(self._defines(self.resolve_project(base), member, seen) for base in cls.bases)

    def resolve_project(self, path: str) -> str:
        """Follow aliases only, to the place a project name is defined."""
        cached = self._project_cache.get(path)
        if cached is not None:
            return cached
        seen = {path}
        current = path
        for _ in range(MAX_STEPS):
            parts = _split(current)
            for i in range(len(parts), 0, -1):
                head = ".".join(parts[:i])
                target = self.aliases.get(head)
                if target is not None and target != head and not target.startswith(head + "."):
                    current = ".".join([target, *parts[i:]])
                    break
            else:
                break
            if current in seen:  # an import cycle
                break
            seen.add(current)
        self._project_cache[path] = current
        return current

    def _framework_path(self, path: str) -> str | None:
        """Rewrite ``path`` until it is rooted in a framework module (call markers kept)."""
        current = path
        for _ in range(MAX_STEPS):
            root = current.split(".", 1)[0].removesuffix("()")
            if framework_of_root(root) is not None:
                return current
            following = self._step(current)
            if following is None:
                return None
            current = following
        return None

    def canonical(self, path: str) -> str | None:
        """The framework API a use of ``path`` denotes, or None if it is not framework code."""
        if path in self._canonical_cache:
            return self._canonical_cache[path]
        self._canonical_cache[path] = None  # guards against cycles
        raw = self._framework_path(path)
        name = _api_name(raw) if raw is not None else None
        result = self._public(name) if name is not None else None
        if result is not None and _project_attribute(result):
            result = None
        self._canonical_cache[path] = result
        return result

    @staticmethod
    def _public(name: str) -> str:
        parts = _split(name)
        for i in range(len(parts), 1, -1):
            head = ".".join(parts[:i])
            if head in PUBLIC_NAMES:
                name = ".".join([PUBLIC_NAMES[head], *parts[i:]])
                break
        if name.startswith(FLASK_SQLALCHEMY_DB):
            member = name[len(FLASK_SQLALCHEMY_DB) :].split(".", 1)[0]
            # Re-exported SQLAlchemy names are classes or known functions; other lowercase
            # attributes are ones the project set on ``db`` itself.
            reexported = member[:1].isupper() or member in SQLALCHEMY_FUNCTIONS or member in SQLALCHEMY_ORM_NAMES
            if member not in FLASK_SQLALCHEMY_OWN and reexported:
                package = "sqlalchemy.orm." if member in SQLALCHEMY_ORM_NAMES else "sqlalchemy."
                return package + name[len(FLASK_SQLALCHEMY_DB) :]
        return name

    def instance_of(self, path: str) -> Instance | None:
        """The project instance (``bp = Blueprint(...)``) a path refers to, if any."""
        current = path
        for _ in range(MAX_STEPS):
            if current in self.instances:
                return self.instances[current]
            if current.endswith("()") and current[:-2] in self.functions:
                returned = self.functions[current[:-2]][0].returns
                if returned is None:
                    return None
                current = returned
                continue
            resolved = self.resolve_project(current)
            if resolved == current:
                return None
            current = resolved
        return None

    def receiver(self, callee: str) -> str:
        """``shop.catalog.bp.route`` → ``shop.catalog.bp``."""
        return callee.rsplit(".", 1)[0]

    def class_canonical_bases(self, class_path: str, seen: set[str] | None = None) -> list[str]:
        """Every framework class a project class inherits from, through project classes."""
        seen = seen or set()
        if class_path in seen or class_path not in self.classes:
            return []
        seen.add(class_path)
        result: list[str] = []
        for base in self.classes[class_path][0].bases:
            canonical = self.canonical(base)
            if canonical is not None:
                result.append(canonical)
            else:
                result.extend(self.class_canonical_bases(self.resolve_project(base), seen))
        return result

    def framework_class(self, callee: str) -> str | None:
        """The framework class of what calling ``callee`` returns: a framework class itself,
        a project subclass of one, or a factory function returning an instance of one."""
        raw = self._framework_path(callee + "()")
        return self._public(raw.replace("()", "")) if raw is not None else None

    def class_methods(self, class_path: str, seen: set[str] | None = None) -> dict[str, FunctionDef]:
        """Methods defined on a project class or inherited from project base classes."""
        seen = seen or set()
        if class_path in seen or class_path not in self.classes:
            return {}
        seen.add(class_path)
        cls = self.classes[class_path][0]
        methods: dict[str, FunctionDef] = {}
        for base in reversed(cls.bases):
            methods.update(self.class_methods(self.resolve_project(base), seen))
        methods.update(cls.methods)
        return methods

    def class_attribute(self, class_path: str, name: str, seen: set[str] | None = None) -> object:
        seen = seen or set()
        if class_path in seen or class_path not in self.classes:
            return None
        seen.add(class_path)
        cls = self.classes[class_path][0]
        if name in cls.attributes:
            return cls.attributes[name]
        for base in cls.bases:
            found = self.class_attribute(self.resolve_project(base), name, seen)
            if found is not None:
                return found
        return None
