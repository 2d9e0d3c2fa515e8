"""Find the project's SQLAlchemy models, whatever style declares them.

A model is a project class that inherits, through any number of project classes
in any modules, from a declarative base: Flask-SQLAlchemy's ``db.Model``, a
``DeclarativeBase`` subclass (2.0), or the result of ``declarative_base()``.
Mixins (plain classes carrying columns) and abstract models lend their columns
to the models that extend them.  ``db.Table(...)`` assignments are association
tables.  The result is an :class:`~fwlint.link.orm_types.OrmSchema` plus the
places each column, relationship and model was declared, so findings at those
places can carry the Django translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from fwlint.facts import CallValue, ClassDef, FileFacts, Ref, Span, Value
from fwlint.link.index import ProjectIndex
from fwlint.link.orm_types import (
    ColumnSpec,
    ForeignKeySpec,
    ModelSpec,
    OrmSchema,
    RelationshipSpec,
    TableSpec,
    TypeSpec,
)

# Framework classes a project base class may extend to become a declarative base.
DECLARATIVE_BASES = frozenset(
    {"flask_sqlalchemy.SQLAlchemy.Model", "sqlalchemy.orm.DeclarativeBase", "sqlalchemy.orm.DeclarativeBaseNoMeta"}
)
# Calls whose result is a declarative base: ``Base = declarative_base()``.
BASE_FACTORIES = frozenset({"sqlalchemy.orm.declarative_base", "sqlalchemy.orm.registry.generate_base"})
COLUMN_CALLS = frozenset({"sqlalchemy.Column", "sqlalchemy.orm.mapped_column"})
DEFERRED_CALLS = frozenset({"sqlalchemy.orm.deferred", "sqlalchemy.orm.column_property"})
RELATIONSHIP_CALLS = frozenset(
    {"sqlalchemy.orm.relationship", "sqlalchemy.orm.relation", "sqlalchemy.orm.dynamic_loader"}
)
HYBRIDS = frozenset({"sqlalchemy.ext.hybrid.hybrid_property", "sqlalchemy.ext.hybrid.hybrid_method"})
TABLE_CALL = "sqlalchemy.Table"
FOREIGN_KEY = "sqlalchemy.ForeignKey"
TYPING_WRAPPERS = frozenset(
    {"Mapped", "DynamicMapped", "WriteOnlyMapped", "Optional", "List", "list", "Set", "set", "Union", "None"}
)


def snake_case_table(name: str) -> str:
    """The table name Flask-SQLAlchemy derives from a class name (``OrderItem`` → ``order_item``)."""
    name = re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name)
    return name.lower().lstrip("_")


def mapped_inner(annotation: str | None) -> str | None:
    """``Mapped[Optional[str]]`` → ``Optional[str]``; None when it is not a ``Mapped[...]``."""
    if annotation is None:
        return None
    text = annotation.strip().strip("\"'")
    for wrapper in ("Mapped[", "DynamicMapped[", "WriteOnlyMapped[", "orm.Mapped[", "sa.orm.Mapped["):
        if text.startswith(wrapper) and text.endswith("]"):
            return text[len(wrapper) : -1].strip()
    return None


def annotation_target(annotation: str | None) -> str | None:
    """The class a relationship annotation names: ``Mapped[list["Order"]]`` → ``Order``."""
    if annotation is None:
        return None
    names = [n for n in re.findall(r"[A-Za-z_][\w.]*", annotation) if n.rsplit(".", 1)[-1] not in TYPING_WRAPPERS]
    return names[-1].rsplit(".", 1)[-1] if names else None


@dataclass
class OrmSites:
    """Where the schema's pieces are declared, keyed by (file, line)."""

    columns: dict[tuple[str, int], tuple[ModelSpec | TableSpec, ColumnSpec]] = field(default_factory=dict)
    relationships: dict[tuple[str, int], tuple[ModelSpec, RelationshipSpec]] = field(default_factory=dict)
    models: dict[tuple[str, int], ModelSpec] = field(default_factory=dict)
    tables: dict[tuple[str, int], TableSpec] = field(default_factory=dict)
    # Spans inside which SQLAlchemy names (types, ForeignKey, backref...) belong to a declaration.
    declarations: dict[str, list[Span]] = field(default_factory=dict)
    # ``Table(...)`` calls: their columns are part of the table, not sites of their own.
    table_spans: dict[str, list[Span]] = field(default_factory=dict)

    def within_table(self, file: str, span: Span) -> bool:
        return any(outer.contains(span) and outer != span for outer in self.table_spans.get(file, ()))

    def within_declaration(self, file: str, span: Span) -> bool:
        return any(outer.contains(span) for outer in self.declarations.get(file, ()))


class ModelFinder:
    def __init__(self, index: ProjectIndex) -> None:
        self.index = index
        self.schema = OrmSchema()
        self.sites = OrmSites()
        self._kind: dict[str, str] = {}  # class path -> "base" | "model" | "plain"

    # ----------------------------------------------------------- classification
    def _is_base_instance(self, path: str) -> bool:
        instance = self.index.instance_of(path)
        if instance is None:
            return False
        callee = self.index.canonical(instance.call.callee)
        return callee in BASE_FACTORIES

    def kind(self, class_path: str, depth: int = 0) -> str:
        """ "base" for a declarative base class, "model" for a mapped (or abstract) model, else "plain"."""
        if class_path in self._kind:
            return self._kind[class_path]
        self._kind[class_path] = "plain"  # cycle guard
        cls = self.index.classes[class_path][0]
        result = "plain"
        for base in cls.bases:
            canonical = self.index.canonical(base)
            if canonical in ("sqlalchemy.orm.DeclarativeBase", "sqlalchemy.orm.DeclarativeBaseNoMeta"):
                result = "base"
                break
            if canonical == "flask_sqlalchemy.SQLAlchemy.Model" or self._is_base_instance(base):
                result = "model"
                continue
            resolved = self.index.resolve_project(base)
            if resolved in self.index.classes and resolved != class_path and depth < 24:
                inherited = self.kind(resolved, depth + 1)
                if inherited in ("base", "model"):
                    result = "model"
        self._kind[class_path] = result
        return result

    def _mro(self, class_path: str, seen: set[str] | None = None) -> list[str]:
        """Project classes a class inherits from, farthest first, each once."""
        seen = seen if seen is not None else set()
        order: list[str] = []
        cls = self.index.classes[class_path][0]
        for base in reversed(cls.bases):
            resolved = self.index.resolve_project(base)
            if resolved in self.index.classes and resolved not in seen:
                seen.add(resolved)
                order.extend(self._mro(resolved, seen))
                order.append(resolved)
        return order

    # ------------------------------------------------------------------ values
    def _canonical(self, value: Value) -> str | None:
        if isinstance(value, CallValue):
            return self.index.canonical(value.callee)
        if isinstance(value, Ref):
            return self.index.canonical(value.path)
        return None

    def _type(self, value: Value, depth: int = 0) -> TypeSpec | None:
        canonical = self._canonical(value)
        args: tuple[Value, ...] = value.args if isinstance(value, CallValue) else ()
        kwargs = dict(value.kwargs) if isinstance(value, CallValue) else {}
        if canonical is None:
            path = value.callee if isinstance(value, CallValue) else value.path if isinstance(value, Ref) else None
            if path is None:
                return None
            resolved = self.index.resolve_project(path)
            if resolved in self.index.classes:
                # A ``TypeDecorator`` stores what its ``impl`` stores: translate that type.
                impl = self.index.class_attribute(resolved, "impl")
                inner = self._type(impl, depth + 1) if isinstance(impl, (Ref, CallValue)) and depth < 8 else None
                if inner is not None and not inner.name.startswith("project:"):
                    inner.decorator = resolved.rsplit(".", 1)[-1]
                    return inner
                return TypeSpec(f"project:{resolved.rsplit('.', 1)[-1]}", args, kwargs)
            return None
        canonical = canonical.removesuffix(".with_variant")
        if canonical.startswith("sqlalchemy.dialects."):
            name = canonical[len("sqlalchemy.dialects.") :]
        elif canonical.startswith("sqlalchemy."):
            name = canonical[len("sqlalchemy.") :]
        else:
            return None
        if not name[:1].isupper() and "." not in name:
            return None
        spec = TypeSpec(name, args, kwargs)
        if name == "Enum" and args and isinstance(args[0], Ref):
            self._enum_members(spec, args[0].path)
        if name.endswith("ARRAY") and args:
            inner = self._type(args[0])
            if inner is not None:
                spec.args = (CallValue(inner.name, inner.args, tuple(inner.kwargs.items()), inner.name), *args[1:])
        return spec

    def _enum_members(self, spec: TypeSpec, path: str) -> None:
        resolved = self.index.resolve_project(path)
        if resolved not in self.index.classes:
            return
        cls = self.index.classes[resolved][0]
        spec.enum_class = cls.qualname.rsplit(".", 1)[-1]
        spec.enum_members = {
            name: value
            for name, value in cls.attributes.items()
            if not name.startswith("_") and isinstance(value, (str, int))
        }

    def _foreign_key(self, value: CallValue) -> ForeignKeySpec:
        kwargs = dict(value.kwargs)
        target = value.args[0] if value.args else None
        if isinstance(target, Ref):
            # ``ForeignKey(User.id)``: the table comes from the model, once every model is known.
            target_text = "ref:" + self.index.resolve_project(target.path)
        elif isinstance(target, str):
            target_text = target
        else:
            target_text = "?"
        ondelete = kwargs.get("ondelete")
        return ForeignKeySpec(target_text, ondelete if isinstance(ondelete, str) else None)

    def column(self, name: str, value: CallValue | None, annotation: str | None, span: Span, file: str) -> ColumnSpec:
        spec = ColumnSpec(name, span, file, None, annotation=mapped_inner(annotation))
        if value is None:
            return spec
        for arg in value.args:
            if isinstance(arg, str) and spec.db_column is None and spec.type is None:
                spec.db_column = arg
                continue
            canonical = self._canonical(arg)
            if canonical == FOREIGN_KEY and isinstance(arg, CallValue):
                spec.foreign_key = self._foreign_key(arg)
            elif spec.type is None:
                spec.type = self._type(arg)
        spec.kwargs = dict(value.kwargs)
        if spec.db_column == name:
            spec.db_column = None
        return spec

    def relationship(
        self, name: str, value: CallValue, annotation: str | None, span: Span, file: str
    ) -> RelationshipSpec:
        target: str | None = None
        if value.args:
            first = value.args[0]
            if isinstance(first, str):
                target = first.rsplit(".", 1)[-1]
            elif isinstance(first, Ref):
                target = first.path.rsplit(".", 1)[-1]
        if target is None:
            target = annotation_target(mapped_inner(annotation) or annotation)
        return RelationshipSpec(name, span, file, target, dict(value.kwargs), mapped_inner(annotation))

    # ------------------------------------------------------------- declarations
    def _own_members(self, cls: ClassDef, facts: FileFacts, spec: ModelSpec, inherited_from: str | None) -> None:
        names = list(dict.fromkeys([*cls.annotations, *cls.attributes]))
        for name in names:
            if name.startswith("__"):
                continue
            value = cls.attributes.get(name)
            annotation = cls.annotations.get(name)
            span = cls.attribute_spans.get(name, cls.span)
            canonical = self._canonical(value) if value is not None else None
            if canonical in DEFERRED_CALLS and isinstance(value, CallValue):
                inner = value.args[0] if value.args else None
                if self._canonical(inner) in COLUMN_CALLS and isinstance(inner, CallValue):
                    value, canonical = inner, self._canonical(inner)
                elif canonical == "sqlalchemy.orm.column_property":
                    spec.column_properties[name] = value.code
                    continue
            written = f"{name}: {annotation}" if annotation is not None else name
            if value is not None:
                written += " = " + (value.code if isinstance(value, CallValue) else "…")
            if canonical in COLUMN_CALLS and isinstance(value, CallValue):
                column = self.column(name, value, annotation, span, facts.path)
            elif canonical in RELATIONSHIP_CALLS and isinstance(value, CallValue):
                relationship = self.relationship(name, value, annotation, span, facts.path)
                relationship.inherited_from = inherited_from
                relationship.source = written
                spec.relationships = [r for r in spec.relationships if r.name != name] + [relationship]
                self._relationship_site(facts.path, span, spec, relationship)
                continue
            elif value is None and mapped_inner(annotation) is not None:
                column = self.column(name, None, annotation, span, facts.path)
            else:
                continue
            column.inherited_from = inherited_from
            column.source = written
            spec.columns = [c for c in spec.columns if c.name != name] + [column]
            self._column_site(facts.path, span, spec, column)

    # A mixin's members are declared once but belong to every model using it: their site
    # shows the first model's translation.
    def _column_site(self, file: str, span: Span, model: ModelSpec, column: ColumnSpec) -> None:
        key = (file, span.line)
        if column.inherited_from is None or key not in self.sites.columns:
            if key not in self.sites.columns:
                self._declaration(file, span)
            self.sites.columns[key] = (model, column)

    def _relationship_site(self, file: str, span: Span, model: ModelSpec, relationship: RelationshipSpec) -> None:
        key = (file, span.line)
        if relationship.inherited_from is None or key not in self.sites.relationships:
            if key not in self.sites.relationships:
                self._declaration(file, span)
            self.sites.relationships[key] = (model, relationship)

    def _declaration(self, file: str, span: Span) -> None:
        self.sites.declarations.setdefault(file, []).append(span)

    def model(self, class_path: str) -> ModelSpec:
        cls, facts = self.index.classes[class_path]
        name = class_path.rsplit(".", 1)[-1]
        abstract = cls.attributes.get("__abstract__") is True
        table = cls.attributes.get("__tablename__")
        spec = ModelSpec(
            qualname=class_path,
            name=name,
            file=facts.path,
            span=cls.span,
            table_name=table if isinstance(table, str) else None,
            abstract=abstract,
        )
        for base_path in self._mro(class_path):
            base_cls, base_facts = self.index.classes[base_path]
            if self.kind(base_path) == "base":
                continue
            base_name = base_path.rsplit(".", 1)[-1]
            spec.bases.insert(0, base_name)
            self._own_members(base_cls, base_facts, spec, base_name)
            if spec.table_name is None and not abstract:
                inherited_table = base_cls.attributes.get("__tablename__")
                if isinstance(inherited_table, str) and self.kind(base_path) == "model":
                    # Single-table inheritance: the subclass shares its parent's table.
                    spec.table_name = inherited_table
        self._own_members(cls, facts, spec, None)
        if spec.table_name is None and not abstract:
            spec.table_name = snake_case_table(name)
        table_args = cls.attributes.get("__table_args__")
        if isinstance(table_args, (tuple, list)):
            spec.table_args = [self._canonical_value(v) for v in table_args]
        elif isinstance(table_args, dict):
            spec.table_args = [table_args]
        spec.mapper_args = cls.attributes.get("__mapper_args__")
        prefix = class_path + "."
        for call in facts.calls:
            if call.decorates and call.decorates.startswith(prefix) and self.index.canonical(call.callee) in HYBRIDS:
                spec.hybrid_properties.append(call.decorates[len(prefix) :])
        return spec

    def _canonical_value(self, value: Value) -> Value:
        """Constraint calls with their callee made canonical (``db.UniqueConstraint`` → ``sqlalchemy.…``)."""
        if isinstance(value, CallValue):
            canonical = self.index.canonical(value.callee)
            if canonical is not None:
                return replace(value, callee=canonical)
        return value

    def table(self, variable: str, call: CallValue, facts: FileFacts, span: Span) -> TableSpec | None:
        if not call.args or not isinstance(call.args[0], str):
            return None
        spec = TableSpec(variable.rsplit(".", 1)[-1], call.args[0], span, facts.path)
        for arg in call.args[1:]:
            if isinstance(arg, CallValue) and self.index.canonical(arg.callee) in COLUMN_CALLS:
                column_name = arg.args[0] if arg.args and isinstance(arg.args[0], str) else "?"
                spec.columns.append(self.column(column_name, arg, None, span, facts.path))
        return spec

    # -------------------------------------------------------------------- run
    def run(self) -> tuple[OrmSchema, OrmSites]:
        for class_path in self.index.classes:
            if self.kind(class_path) == "model":
                spec = self.model(class_path)
                self.schema.models.append(spec)
                self.sites.models[(spec.file, spec.span.line)] = spec
        for path, instance in self.index.instances.items():
            if self.index.canonical(instance.call.callee) == TABLE_CALL:
                span = Span(instance.line, 1, instance.line, 1)
                table = self.table(path, instance.call, instance.file, span)
                if table is not None:
                    self.schema.tables.append(table)
                    self.sites.tables[(instance.file.path, instance.line)] = table
                    for call in instance.file.calls:
                        if call.span.line == instance.line and self.index.canonical(call.callee) == TABLE_CALL:
                            self.sites.table_spans.setdefault(instance.file.path, []).append(call.span)
                            self._declaration(instance.file.path, call.span)
                            break
        self._link()
        return self.schema, self.sites

    def _link(self) -> None:
        """Resolve what needs every model: ``ForeignKey(User.id)`` tables, FK models, ``secondary=``."""
        by_path = {m.qualname: m for m in self.schema.models}
        tables_by_variable = {t.variable: t for t in self.schema.tables}
        tables_by_name = {t.table_name: t for t in self.schema.tables}
        all_columns = [c for m in self.schema.models for c in m.columns] + [
            c for t in self.schema.tables for c in t.columns
        ]
        by_table: dict[str, ModelSpec] = {}
        for model in self.schema.models:
            if model.table_name is None or model.abstract:
                continue
            by_table.setdefault(model.table_name, model)
            schema_name = _table_schema(model)
            if schema_name:
                by_table.setdefault(f"{schema_name}.{model.table_name}", model)
        for column in all_columns:
            fk = column.foreign_key
            if fk is None:
                continue
            if fk.target.startswith("ref:"):
                owner, _, attribute = fk.target[4:].rpartition(".")
                owner_model = by_path.get(owner)
                table_name = owner_model.table_name if owner_model is not None else "?"
                fk.target = f"{table_name}.{attribute}"
            table = fk.target.rsplit(".", 1)[0]
            # ``schema.table`` when the schema is set in a way fwlint cannot read (a declared_attr).
            target_model = by_table.get(table) or by_table.get(table.rsplit(".", 1)[-1])
            if target_model is not None:
                fk.model = target_model.name
        for model in self.schema.models:
            for relationship in model.relationships:
                secondary = relationship.kwargs.get("secondary")
                if isinstance(secondary, Ref):
                    relationship.secondary = tables_by_variable.get(secondary.path.rsplit(".", 1)[-1])
                elif isinstance(secondary, str):
                    relationship.secondary = tables_by_name.get(secondary)


def _table_schema(model: ModelSpec) -> str | None:
    """The database schema of ``__table_args__ = {"schema": "users"}`` (or a trailing dict)."""
    for entry in model.table_args:
        if isinstance(entry, dict) and isinstance(entry.get("schema"), str):
            return entry["schema"]  # type: ignore[return-value]
    return None


def discover_models(index: ProjectIndex) -> tuple[OrmSchema, OrmSites]:
    return ModelFinder(index).run()
