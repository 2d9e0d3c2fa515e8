"""What the linker knows about a project's SQLAlchemy models, independent of the source syntax.

``db.Column(db.String(80), unique=True)``, ``Column(String(80), unique=True)`` and
``name: Mapped[str] = mapped_column(String(80), unique=True)`` all become the same
:class:`ColumnSpec`; the Django translation (``translate/django_models.py``) reads
only these types.

Type names are SQLAlchemy's public short names (``String``, ``Numeric``,
``DateTime``, ``Enum``, ``JSON``, ``Uuid``, ``LargeBinary``...); dialect types keep
their dialect as a prefix (``postgresql.ARRAY``, ``postgresql.JSONB``,
``postgresql.UUID``, ``mysql.TINYINT``).  A type the project defines itself
(a ``TypeDecorator`` subclass) is ``project:<ClassName>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fwlint.facts import Span, Value


@dataclass
class TypeSpec:
    """A column type: ``String(80)`` → ``TypeSpec("String", (80,), {})``."""

    name: str
    args: tuple[Value, ...] = ()
    kwargs: dict[str, Value] = field(default_factory=dict)
    # For ``Enum(PyEnumClass)``: the members of the enum class when the project defines it
    # (name -> value), so the translation can write ``TextChoices``.
    enum_members: dict[str, Value] | None = None
    enum_class: str | None = None  # the enum class's name, e.g. "Status"
    # The project ``TypeDecorator`` this type is the ``impl`` of (e.g. "UTCDateTime"), if any.
    decorator: str | None = None


@dataclass
class ForeignKeySpec:
    """``ForeignKey("users.id", ondelete="CASCADE")``; ``target`` is "table.column"."""

    target: str
    ondelete: str | None = None
    # The model the target table belongs to (class name), when the project defines it.
    model: str | None = None


@dataclass
class ColumnSpec:
    name: str  # attribute name on the model
    span: Span
    file: str
    type: TypeSpec | None  # None: not given (e.g. a bare ``mapped_column()``, type from Mapped[...])
    # The Python type from ``Mapped[...]`` (e.g. "int", "Optional[str]", "str | None",
    # "datetime.datetime", "Decimal"); None for classic ``Column`` declarations.
    annotation: str | None = None
    db_column: str | None = None  # explicit column name: ``Column("user_name", String)``
    foreign_key: ForeignKeySpec | None = None
    # Every keyword argument as written: nullable, unique, index, primary_key, default,
    # server_default, onupdate, server_onupdate, comment, doc, info, autoincrement, key...
    kwargs: dict[str, Value] = field(default_factory=dict)
    inherited_from: str | None = None  # mixin/abstract base class name it comes from
    source: str = ""  # the declaration as written: ``email = db.Column(db.String(255), unique=True)``


@dataclass
class RelationshipSpec:
    name: str
    span: Span
    file: str
    # The related class name as written (``relationship("Order")``, ``relationship(Order)``)
    # or taken from ``Mapped[list["Order"]]`` / ``Mapped["Order"]``.
    target: str | None
    # Keyword arguments: backref, back_populates, secondary, uselist, cascade, lazy,
    # order_by, foreign_keys, passive_deletes, viewonly...  ``backref`` may be a
    # ``backref("name", ...)`` CallValue.
    kwargs: dict[str, Value] = field(default_factory=dict)
    annotation: str | None = None  # e.g. 'list["Order"]', '"User"', 'Optional["User"]'
    # ``secondary=``, resolved to the association table the project defines.
    secondary: TableSpec | None = None
    inherited_from: str | None = None
    source: str = ""  # the declaration as written


@dataclass
class TableSpec:
    """A ``Table(...)`` / ``db.Table(...)`` assigned to a module-level name (association tables)."""

    variable: str  # the Python name it is bound to
    table_name: str
    span: Span
    file: str
    columns: list[ColumnSpec] = field(default_factory=list)


@dataclass
class ModelSpec:
    qualname: str  # dotted project path, e.g. "shop.models.User"
    name: str  # class name
    file: str
    span: Span
    table_name: str | None  # ``__tablename__``; None when SQLAlchemy derives it
    abstract: bool  # ``__abstract__ = True`` (or a mixin that is not mapped)
    # Model/mixin base classes in the project (class names), nearest first.
    bases: list[str] = field(default_factory=list)
    # Columns and relationships in declaration order, inherited ones first.
    columns: list[ColumnSpec] = field(default_factory=list)
    relationships: list[RelationshipSpec] = field(default_factory=list)
    # ``__table_args__`` entries: UniqueConstraint/Index/CheckConstraint/PrimaryKeyConstraint
    # CallValues (callee already canonical, e.g. "sqlalchemy.UniqueConstraint"), and a
    # trailing dict of table options.
    table_args: list[Value] = field(default_factory=list)
    # ``Index(...)`` / constraints declared at module level against this model's table.
    extra_constraints: list[Value] = field(default_factory=list)
    hybrid_properties: list[str] = field(default_factory=list)
    column_properties: dict[str, str] = field(default_factory=dict)  # name -> source code
    # Polymorphic/inheritance notes (``__mapper_args__``), kept as written.
    mapper_args: Value | None = None


@dataclass
class OrmSchema:
    """Every model and association table of the project."""

    models: list[ModelSpec] = field(default_factory=list)
    tables: list[TableSpec] = field(default_factory=list)

    def model_for_table(self, table_name: str) -> ModelSpec | None:
        for model in self.models:
            if model.table_name == table_name:
                return model
        return None

    def model_named(self, name: str) -> ModelSpec | None:
        for model in self.models:
            if model.name == name:
                return model
        return None
