"""SQLAlchemy model specs (:mod:`fwlint.link.orm_types`) → Django model source.

The translation keeps the *database meaning* of each column: the same table and
column names, the same nullability (SQLAlchemy columns are nullable unless told
otherwise, Django fields are not), the same defaults and constraints.  A foreign-key
column and the ``relationship()`` that uses it become one Django relation field; the
other side of the relationship becomes that field's ``related_name``.  Whatever
changes meaning or needs a decision is said in a short note and marks the result as
not exact, while the emitted code always stays valid Python that Django accepts.

Field reference: https://docs.djangoproject.com/en/5.2/ref/models/fields/
Constraints and indexes: https://docs.djangoproject.com/en/5.2/ref/models/constraints/
and https://docs.djangoproject.com/en/5.2/ref/models/indexes/
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from fwlint.facts import CallValue, Opaque, Ref, Value
from fwlint.link.orm_types import ColumnSpec, ModelSpec, OrmSchema, RelationshipSpec, TableSpec, TypeSpec
from fwlint.translate.values import code_of

__all__ = [
    "FieldCode",
    "ModelCode",
    "django_field",
    "django_model",
    "django_models_module",
    "django_relationship",
]

MODELS_IMPORT = "from django.db import models"
NOW_IMPORT = "from django.db.models.functions import Now"
ARRAY_IMPORT = "from django.contrib.postgres.fields import ArrayField"
DECIMAL_IMPORT = "from decimal import Decimal"
INDEX_NAME_MAX = 30  # django.db.models.Index.max_name_length (Oracle's limit, enforced everywhere)
DEFAULT_MAX_DIGITS = 38  # for a NUMERIC without precision: the widest Oracle/SQL Server allow
DEFAULT_DECIMAL_PLACES = 10
UNKNOWN_ENUM_LENGTH = 255


# ---------------------------------------------------------------------------
# Results


@dataclass
class FieldCode:
    """One Django field assignment and what a reviewer must know about it."""

    name: str  # Django attribute name (e.g. "user" for a FK column user_id merged with relationship user)
    code: str  # one assignment line
    notes: list[str] = field(default_factory=list)
    exact: bool = True  # False when something has no direct equivalent / needs a decision
    source: str = ""  # the SQLAlchemy attribute(s) it comes from, e.g. "user_id + user"
    imports: list[str] = field(default_factory=list)  # import lines besides `from django.db import models`
    definitions: list[str] = field(default_factory=list)  # module-level code needed first (choices classes)


@dataclass
class ModelCode:
    """One Django model class."""

    name: str
    code: str  # the full `class X(...):` text, Meta included
    fields: list[FieldCode] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    exact: bool = True
    imports: list[str] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)  # project model classes it inherits from


# ---------------------------------------------------------------------------
# Small value helpers


def _tail(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def _lit(value: str | int | float | bool | None) -> str:
    """A literal as Python source (strings double-quoted like the rest of the output)."""
    return code_of(value)


def _text(value: Value) -> str | None:
    """The SQL text of ``"..."``, ``text("...")`` or an opaque expression."""
    if isinstance(value, str):
        return value
    if isinstance(value, CallValue) and _tail(value.callee) == "text" and value.args and isinstance(value.args[0], str):
        return value.args[0]
    if isinstance(value, Opaque):
        return value.code
    return None


def _tokens(value: Value) -> set[str]:
    """Identifiers a value mentions (``foreign_keys=[Order.billing_id]`` → {"Order", "billing_id"})."""
    if isinstance(value, Ref):
        return {_tail(value.path)}
    return set(re.findall(r"[A-Za-z_]\w*", code_of(value)))


def _snake(name: str) -> str:
    """Flask-SQLAlchemy's automatic table name: ``UserProfile`` → ``user_profile``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _camel(table: str) -> str:
    """``book_authors`` → ``BookAuthor`` (the last word naively singularised)."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", table) if w]
    if words and words[-1].endswith("s") and not words[-1].endswith("ss") and len(words[-1]) > 1:
        words[-1] = words[-1][:-1]
    name = "".join(w[:1].upper() + w[1:] for w in words) or "Association"
    return name if name[0].isalpha() else "T" + name


def _flag(kwargs: dict[str, Value], key: str) -> bool | None:
    value = kwargs.get(key)
    return value if isinstance(value, bool) else None


def _call(cls: str, args: Iterable[str], kwargs: Iterable[tuple[str, str]]) -> str:
    parts = [*args, *(f"{k}={v}" for k, v in kwargs)]
    return f"{cls}({', '.join(parts)})"


# ---------------------------------------------------------------------------
# Column types


@dataclass
class _Shape:
    """A Django field class with its type-specific arguments."""

    cls: str
    kind: str  # text | int | bool | float | decimal | datetime | date | time | duration | binary | json | ...
    args: list[str] = field(default_factory=list)
    kwargs: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    exact: bool = True
    imports: list[str] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)
    choices: _Choices | None = None

    def code(self) -> str:
        return _call(self.cls, self.args, self.kwargs)


@dataclass
class _Choices:
    """A generated ``TextChoices``/``IntegerChoices`` class for a Python enum."""

    name: str
    members: dict[str, Value]
    integer: bool
    definition: str


_SIMPLE_TYPES: dict[str, tuple[str, str]] = {}
for _names, _cls, _kind in [
    ("Text UnicodeText TEXT CLOB NTEXT mysql.LONGTEXT mysql.MEDIUMTEXT mysql.TINYTEXT", "TextField", "text"),
    ("Integer INTEGER INT mysql.INTEGER", "IntegerField", "int"),
    ("BigInteger BIGINT mysql.BIGINT", "BigIntegerField", "bigint"),
    ("SmallInteger SMALLINT mysql.TINYINT mysql.SMALLINT", "SmallIntegerField", "smallint"),
    ("Boolean BOOLEAN", "BooleanField", "bool"),
    (
        "Float FLOAT Double DOUBLE DOUBLE_PRECISION REAL postgresql.DOUBLE_PRECISION postgresql.REAL",
        "FloatField",
        "float",
    ),
    ("Date DATE", "DateField", "date"),
    ("DateTime DATETIME TIMESTAMP postgresql.TIMESTAMP mysql.DATETIME", "DateTimeField", "datetime"),
    ("Time TIME postgresql.TIME", "TimeField", "time"),
    ("Interval postgresql.INTERVAL", "DurationField", "duration"),
    ("LargeBinary BLOB BINARY VARBINARY postgresql.BYTEA mysql.LONGBLOB mysql.BLOB", "BinaryField", "binary"),
    ("JSON postgresql.JSON postgresql.JSONB mysql.JSON sqlite.JSON", "JSONField", "json"),
    ("Uuid UUID postgresql.UUID", "UUIDField", "uuid"),
    ("postgresql.INET", "GenericIPAddressField", "ip"),
]:
    for _name in _names.split():
        _SIMPLE_TYPES[_name] = (_cls, _kind)
_STRING_TYPES = frozenset(
    ["String", "VARCHAR", "Unicode", "NVARCHAR", "CHAR", "NCHAR", "postgresql.VARCHAR", "mysql.VARCHAR"]
)
_NUMERIC_TYPES = frozenset(["Numeric", "NUMERIC", "DECIMAL", "postgresql.NUMERIC", "mysql.DECIMAL"])
_ENUM_TYPES = frozenset(["Enum", "postgresql.ENUM", "mysql.ENUM"])
_ARRAY_TYPES = frozenset(["ARRAY", "postgresql.ARRAY"])
_INTEGER_KINDS = frozenset({"int", "bigint", "smallint"})
_AUTO_FIELDS = {"int": "AutoField", "bigint": "BigAutoField", "smallint": "SmallAutoField"}
_DIALECTS = ("postgresql", "mysql", "sqlite", "oracle", "mssql")

# SQLAlchemy 2.0's default ``type_annotation_map`` (sqlalchemy/sql/sqltypes.py ``_type_map``), as type names.
_ANNOTATION_TYPES = {
    "int": "Integer",
    "str": "String",
    "bool": "Boolean",
    "float": "Float",
    "bytes": "LargeBinary",
    "Decimal": "Numeric",
    "decimal.Decimal": "Numeric",
    "datetime": "DateTime",
    "datetime.datetime": "DateTime",
    "date": "Date",
    "datetime.date": "Date",
    "time": "Time",
    "datetime.time": "Time",
    "timedelta": "Interval",
    "datetime.timedelta": "Interval",
    "UUID": "Uuid",
    "uuid.UUID": "Uuid",
}
# Not in SQLAlchemy's default map: projects add them to ``type_annotation_map``, nearly always as JSON.
_JSON_ANNOTATIONS = frozenset({"dict", "list", "Dict", "List", "typing.Dict", "typing.List", "Any", "typing.Any"})


def _type_name(name: str) -> str:
    """Canonical short type name: ``sqlalchemy.dialects.postgresql.JSONB`` → ``postgresql.JSONB``."""
    if name.startswith("project:"):
        return name
    parts = name.split(".")
    for dialect in _DIALECTS:
        if dialect in parts[:-1]:
            return f"{dialect}.{parts[-1]}"
    return parts[-1]


def _typespec_of(value: Value) -> TypeSpec | None:
    """A type written as a value (``ARRAY(String(50))``'s argument) as a :class:`TypeSpec`."""
    if isinstance(value, Ref):
        return TypeSpec(_type_name(value.path))
    if isinstance(value, CallValue):
        return TypeSpec(_type_name(value.callee), value.args, dict(value.kwargs))
    if isinstance(value, Opaque):
        return TypeSpec(_type_name(value.code.split("(", 1)[0].strip()))
    return None


def _arg(ts: TypeSpec, index: int, key: str) -> Value:
    if key in ts.kwargs:
        return ts.kwargs[key]
    return ts.args[index] if len(ts.args) > index else None


def _shape_of_type(ts: TypeSpec, plan: _Plan) -> _Shape:
    name = _type_name(ts.name)
    if name in _SIMPLE_TYPES:
        cls, kind = _SIMPLE_TYPES[name]
        return _simple_shape(name, cls, kind, ts)
    if name in _STRING_TYPES:
        return _string_shape(name, ts)
    if name in _NUMERIC_TYPES:
        return _numeric_shape(ts)
    if name in _ENUM_TYPES:
        return _enum_shape(ts, plan)
    if name in _ARRAY_TYPES:
        return _array_shape(ts, plan)
    if name == "PickleType":
        return _Shape(
            "models.BinaryField",
            "binary",
            notes=["PickleType: no equivalent; store pickle bytes or use JSON"],
            exact=False,
        )
    what = name.removeprefix("project:")
    note = (
        f"custom type {what}: port it as a Field subclass (from_db_value/get_prep_value); "
        "TextField keeps the code valid"
        if name.startswith("project:")
        else f"type {name} has no known Django equivalent; TextField keeps the code valid"
    )
    return _Shape("models.TextField", "text", notes=[note], exact=False)


def _simple_shape(name: str, cls: str, kind: str, ts: TypeSpec) -> _Shape:
    shape = _Shape(f"models.{cls}", kind)
    if kind == "datetime":
        if ts.kwargs.get("timezone") is True:
            shape.notes.append("timezone=True: aware datetimes, as Django stores them with USE_TZ = True")
        else:
            shape.notes.append(
                "naive DateTime: with USE_TZ = True (the default) Django stores aware UTC values; "
                "set USE_TZ = False to keep naive ones"
            )
    if kind == "uuid" and ts.kwargs.get("as_uuid") is False:
        shape.notes.append("as_uuid=False returned str; Django returns uuid.UUID objects")
    if name.startswith("postgresql.") and kind not in ("json", "uuid", "datetime", "time", "duration", "float"):
        shape.notes.append(f"{name}: PostgreSQL type mapped to the portable {cls}")
    if name == "mysql.TINYINT":
        shape.notes.append("mysql.TINYINT became SmallIntegerField (a wider column)")
    return shape


def _string_shape(name: str, ts: TypeSpec) -> _Shape:
    length = _arg(ts, 0, "length")
    collation = ts.kwargs.get("collation")
    if isinstance(length, int) and not isinstance(length, bool):
        shape = _Shape("models.CharField", "text", kwargs=[("max_length", str(length))])
        if name in ("CHAR", "NCHAR"):
            shape.notes.append(f"{name}({length}) was fixed width; CharField is VARCHAR")
    else:
        shape = _Shape("models.TextField", "text")
        shape.notes.append(
            f"{name} without a length is an unbounded VARCHAR; TextField keeps it unbounded on every database"
        )
    if isinstance(collation, str):
        shape.kwargs.append(("db_collation", _lit(collation)))
    return shape


def _numeric_shape(ts: TypeSpec) -> _Shape:
    precision, scale = _arg(ts, 0, "precision"), _arg(ts, 1, "scale")
    shape = _Shape("models.DecimalField", "decimal")
    if isinstance(precision, int) and not isinstance(precision, bool):
        places = scale if isinstance(scale, int) and not isinstance(scale, bool) else 0
        shape.kwargs += [("max_digits", str(precision)), ("decimal_places", str(places))]
    else:
        shape.kwargs += [("max_digits", str(DEFAULT_MAX_DIGITS)), ("decimal_places", str(DEFAULT_DECIMAL_PLACES))]
        shape.notes.append(
            f"Numeric without precision: Django requires max_digits/decimal_places; "
            f"{DEFAULT_MAX_DIGITS}/{DEFAULT_DECIMAL_PLACES} chosen, set them to fit the data"
        )
        shape.exact = False
    if ts.kwargs.get("asdecimal") is False:
        shape.notes.append(
            "asdecimal=False returned float; DecimalField returns Decimal (FloatField changes the column)"
        )
        shape.exact = False
    return shape


def _array_shape(ts: TypeSpec, plan: _Plan) -> _Shape:
    inner_ts = _typespec_of(_arg(ts, 0, "item_type"))
    inner = _shape_of_type(inner_ts, plan) if inner_ts else _Shape("models.TextField", "text", exact=False)
    if inner_ts is None:
        inner.notes.append("ARRAY item type unknown; TextField items assumed")
    base = inner.code()
    dimensions = ts.kwargs.get("dimensions")
    depth = dimensions if isinstance(dimensions, int) and dimensions > 1 else 1
    for _ in range(depth - 1):
        base = f"ArrayField({base})"
    notes = ["ArrayField: PostgreSQL only (django.contrib.postgres)", *inner.notes]
    return _Shape(
        "ArrayField",
        "array",
        args=[base],
        notes=notes,
        exact=inner.exact,
        imports=[ARRAY_IMPORT, *inner.imports],
        definitions=list(inner.definitions),
    )


def _enum_shape(ts: TypeSpec, plan: _Plan) -> _Shape:
    literals = [a for a in ts.args if isinstance(a, str)]
    if ts.enum_members:
        return _choices_shape(ts, plan.choices_for(ts))
    if literals:
        choices = "[" + ", ".join(f"({_lit(v)}, {_lit(v)})" for v in literals) + "]"
        longest = max(len(v) for v in literals)
        shape = _Shape("models.CharField", "text", kwargs=[("max_length", str(longest)), ("choices", choices)])
        shape.notes.append("string Enum: Django checks choices in forms only; the column has no DB-level constraint")
        return shape
    what = ts.enum_class or ", ".join(code_of(a) for a in ts.args) or "..."
    length = ts.kwargs.get("length")
    size = length if isinstance(length, int) and not isinstance(length, bool) else UNKNOWN_ENUM_LENGTH
    return _Shape(
        "models.CharField",
        "text",
        kwargs=[("max_length", str(size))],
        notes=[f"Enum({what}): members unknown; add a TextChoices class and choices="],
        exact=False,
    )


def _choices_shape(ts: TypeSpec, choices: _Choices) -> _Shape:
    members = ts.enum_members or {}
    if choices.integer:
        shape = _Shape("models.IntegerField", "int", kwargs=[("choices", f"{choices.name}.choices")])
    else:
        longest = max((len(_choice_value(k, v)) for k, v in members.items()), default=1)
        shape = _Shape(
            "models.CharField", "text", kwargs=[("max_length", str(longest)), ("choices", f"{choices.name}.choices")]
        )
    shape.choices = choices
    shape.definitions.append(choices.definition)
    if not choices.integer and any(not isinstance(v, str) for v in members.values()):
        shape.notes.append(f"{choices.name}: values are not all strings; the choices use the member names")
        shape.exact = False
    stores_values = "values_callable" in ts.kwargs
    if not stores_values and any(k != v for k, v in members.items()):
        stored = ", ".join(f"{k!r} → {v!r}" for k, v in list(members.items())[:3])
        shape.notes.append(
            f"SQLAlchemy stores enum member NAMES, Django stores values: existing rows need a data migration ({stored})"
        )
        shape.exact = False
    if ts.kwargs.get("native_enum") is not False:
        shape.notes.append("on PostgreSQL SQLAlchemy made a native ENUM type; Django uses a plain column")
    return shape


def _choice_value(name: str, value: Value) -> str:
    return value if isinstance(value, str) else name


def _choices_definition(name: str, members: dict[str, Value], integer: bool) -> str:
    base = "models.IntegerChoices" if integer else "models.TextChoices"
    lines = [f"class {name}({base}):"]
    for member, value in members.items():
        shown = str(value) if integer else _lit(_choice_value(member, value))
        lines.append(f"    {member} = {shown}")
    if len(lines) == 1:
        lines.append("    pass")
    return "\n".join(lines)


def _parse_annotation(text: str) -> tuple[str | None, bool]:
    """``Optional[str]`` → ("str", True); ``dict[str, Any]`` → ("dict", False)."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None, False
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _parse_annotation(node.value)
    return _annotation_node(node)


def _annotation_node(node: ast.expr) -> tuple[str | None, bool]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _annotation_node(node.left), _annotation_node(node.right)
        if _is_none(node.right):
            return left[0], True
        if _is_none(node.left):
            return right[0], True
        return None, left[1] or right[1]
    if isinstance(node, ast.Subscript):
        outer = ast.unparse(node.value)
        if _tail(outer) == "Mapped":
            return _annotation_node(node.slice)
        if _tail(outer) == "Optional":
            return _annotation_node(node.slice)[0], True
        if _tail(outer) == "Union" and isinstance(node.slice, ast.Tuple):
            rest = [e for e in node.slice.elts if not _is_none(e)]
            optional = len(rest) < len(node.slice.elts)
            return (_annotation_node(rest[0])[0] if len(rest) == 1 else None), optional
        return outer, False
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _parse_annotation(node.value)
    if isinstance(node, (ast.Name, ast.Attribute)):
        return ast.unparse(node), False
    return None, False


def _is_none(node: ast.expr) -> bool:
    return (isinstance(node, ast.Constant) and node.value is None) or ast.unparse(node) in ("None", "NoneType")


def _shape_of_annotation(annotation: str, plan: _Plan) -> _Shape:
    base, _ = _parse_annotation(annotation)
    if base in _ANNOTATION_TYPES:
        shape = _shape_of_type(TypeSpec(_ANNOTATION_TYPES[base]), plan)
        if base == "str":
            shape.notes = ["Mapped[str] is String() without a length (unbounded VARCHAR); TextField keeps it unbounded"]
        return shape
    if base in _JSON_ANNOTATIONS or (base and _tail(base) in ("dict", "list", "Dict", "List")):
        return _Shape(
            "models.JSONField", "json", notes=[f"Mapped[{base}]: assumed mapped to JSON in type_annotation_map"]
        )
    known = plan.choices_named(_tail(base)) if base else None
    if known is not None:
        ts = TypeSpec("Enum", enum_members=known.members, enum_class=_tail(base or ""))
        return _shape_of_type(ts, plan)
    return _Shape(
        "models.TextField",
        "text",
        notes=[f"Mapped[{annotation}]: type not known to fwlint; TextField keeps the code valid"],
        exact=False,
    )


def _shape_of_column(column: ColumnSpec, plan: _Plan) -> _Shape:
    if column.type is not None:
        return _shape_of_type(column.type, plan)
    if column.annotation:
        return _shape_of_annotation(column.annotation, plan)
    return _Shape(
        "models.TextField", "text", notes=["column type not given; TextField keeps the code valid"], exact=False
    )


# ---------------------------------------------------------------------------
# Nullability, keys


def _is_pk(column: ColumnSpec) -> bool:
    return column.kwargs.get("primary_key") is True


def _nullable(column: ColumnSpec, in_composite_pk: bool = False) -> tuple[bool, bool]:
    """(nullable, implied by SQLAlchemy's default) following SQLAlchemy's rules for both styles."""
    explicit = _flag(column.kwargs, "nullable")
    if explicit is not None:
        return explicit, False
    if _is_pk(column) or in_composite_pk:
        return False, False
    if column.annotation is not None:
        return _parse_annotation(column.annotation)[1], False
    return True, True


def _pk_columns(model: ModelSpec) -> list[str]:
    """Names of the primary-key columns (``primary_key=True`` or a ``PrimaryKeyConstraint``)."""
    names = [c.name for c in model.columns if _is_pk(c)]
    for arg in [*model.table_args, *model.extra_constraints]:
        if isinstance(arg, CallValue) and _tail(arg.callee) == "PrimaryKeyConstraint":
            for value in arg.args:
                name = _column_name(value, model)
                if name and name not in names:
                    names.append(name)
    return names


def _column_name(value: Value, model: ModelSpec) -> str | None:
    """The model attribute a constraint argument names (attribute or DB column name)."""
    if isinstance(value, str):
        raw = value
    elif isinstance(value, Ref):
        raw = _tail(value.path)
    elif isinstance(value, Opaque):
        raw = _tail(value.code.strip())
    else:
        return None
    for column in model.columns:
        if raw in (column.name, column.db_column):
            return column.name
    return None


# ---------------------------------------------------------------------------
# The relation plan: which FK column becomes which Django field


@dataclass
class _Link:
    """A foreign-key column and the Django relation field it becomes."""

    model: ModelSpec
    column: ColumnSpec
    target: ModelSpec | None
    name: str
    owner: RelationshipSpec | None = None
    reverse: RelationshipSpec | None = None
    related_name: str | None = None
    one_to_one: bool = False
    parent_link: bool = False
    association: bool = False  # a column of an association table (a generated through model)
    notes: list[str] = field(default_factory=list)

    @property
    def source(self) -> str:
        return f"{self.column.name} + {self.owner.name}" if self.owner else self.column.name


@dataclass
class _ManyToMany:
    """A ``secondary=`` relationship and the ManyToManyField it becomes."""

    model: ModelSpec
    rel: RelationshipSpec
    target: ModelSpec
    partner: RelationshipSpec | None
    table_name: str
    through: str | None = None
    through_fields: tuple[str, str] | None = None
    related_name: str | None = None
    notes: list[str] = field(default_factory=list)
    exact: bool = True
    table_variable: str | None = None  # the association Table's Python name


def _rel_target(rel: RelationshipSpec) -> str | None:
    if rel.target:
        return _tail(rel.target.strip("'\" "))
    if rel.annotation:
        skip = {"list", "List", "set", "Set", "Optional", "Union", "None", "Mapped", "WriteOnlyMapped", "DynamicMapped"}
        names = [n for n in re.findall(r"[A-Za-z_][\w.]*", rel.annotation) if _tail(n) not in skip]
        return _tail(names[-1]) if names else None
    return None


def _is_collection(annotation: str) -> bool:
    inner = re.sub(r"^\s*(\w+\.)?Mapped\[", "", annotation)
    return bool(
        re.match(r"^\s*(typing\.)?(list|List|set|Set|Sequence|Collection|WriteOnlyMapped|DynamicMapped)\b", inner)
    )


def _scalar(rel: RelationshipSpec) -> bool:
    """Whether a one-to-many side is really one-to-one (``uselist=False`` or ``Mapped["X"]``)."""
    uselist = _flag(rel.kwargs, "uselist")
    if uselist is not None:
        return not uselist
    return bool(rel.annotation) and not _is_collection(rel.annotation or "")


def _backref(rel: RelationshipSpec) -> tuple[str | None, dict[str, Value]]:
    """``backref="x"`` or ``backref=backref("x", uselist=False)`` → ("x", its keyword arguments)."""
    value = rel.kwargs.get("backref")
    if isinstance(value, str):
        return value, {}
    if isinstance(value, CallValue) and value.args and isinstance(value.args[0], str):
        return value.args[0], dict(value.kwargs)
    return None, {}


def _mentioned(rel: RelationshipSpec) -> set[str]:
    found: set[str] = set()
    for key in ("foreign_keys", "primaryjoin"):
        if key in rel.kwargs:
            found |= _tokens(rel.kwargs[key])
    return found


def _uses(rel: RelationshipSpec, column: ColumnSpec, siblings: int, by_name: bool = False) -> bool:
    """Whether ``rel`` is joined through ``column`` (one of ``siblings`` FK columns to the same model).
    ``by_name``: with several candidates and no ``foreign_keys=``, pair ``editor`` with ``editor_id``."""
    mentioned = _mentioned(rel)
    if mentioned:
        return column.name in mentioned or bool(column.db_column and column.db_column in mentioned)
    return siblings == 1 or (by_name and rel.name == _fk_field_name(column))


def _cascade_deletes(rel: RelationshipSpec | None, extra: dict[str, Value] | None = None) -> bool:
    cascades = [rel.kwargs.get("cascade")] if rel else []
    cascades.append((extra or {}).get("cascade"))
    return any(isinstance(c, str) and re.search(r"\b(all|delete)\b", c) for c in cascades)


class _Plan:
    """Every decision that needs the whole schema, made once."""

    def __init__(self, schema: OrmSchema) -> None:
        self.schema = schema
        self.roots = frozenset(m.qualname.split(".", 1)[0] for m in schema.models if "." in m.qualname)
        self.links: dict[tuple[str, str], _Link] = {}
        self.owned: dict[tuple[str, str], _Link] = {}
        self.reversed: dict[tuple[str, str], _Link] = {}
        self.m2m: dict[tuple[str, str], _ManyToMany] = {}
        self.m2m_partners: dict[tuple[str, str], _ManyToMany] = {}
        self.through_models: list[ModelSpec] = []
        self._choices: dict[tuple[str, str], _Choices] = {}
        self._choice_names: set[str] = set()
        self._by_table: dict[str, ModelSpec] = {}
        self._by_table_size: list[int] = []
        self.models: list[ModelSpec] = list(schema.models)
        for column in [c for m in schema.models for c in m.columns] + [c for t in schema.tables for c in t.columns]:
            if column.type is not None and column.type.enum_members and _type_name(column.type.name) in _ENUM_TYPES:
                self.choices_for(column.type)  # names handed out in schema order, whoever asks first
        self._plan_many_to_many()
        self.models += self.through_models
        for model in self.models:
            self._plan_links(model)
        self._name_reverse_clashes()

    # -- lookups

    def model_named(self, name: str | None) -> ModelSpec | None:
        return next((m for m in self.models if m.name == name), None) if name else None

    def table_of(self, model: ModelSpec) -> str:
        return model.table_name or _snake(model.name)

    def model_for_table(self, table: str) -> ModelSpec | None:
        if len(self._by_table_size) != 1 or self._by_table_size[0] != len(self.models):
            self._by_table = {}
            for model in reversed(self.models):
                if not model.abstract and not self.shares_parent_table(model):
                    self._by_table[self.table_of(model)] = model
            self._by_table_size = [len(self.models)]
        return self._by_table.get(table)

    def concrete_parent(self, model: ModelSpec) -> ModelSpec | None:
        for base in model.bases:
            spec = self.model_named(base)
            if spec is not None and not spec.abstract and spec is not model:
                return spec
        return None

    def shares_parent_table(self, model: ModelSpec) -> bool:
        """Single-table inheritance: a concrete parent, the parent's table (or none), no key of its own."""
        parent = self.concrete_parent(model)
        if parent is None or model.table_name not in (None, self.table_of(parent)):
            return False
        return not any(_is_pk(c) and c.inherited_from is None for c in model.columns)

    def fk_target(self, column: ColumnSpec) -> ModelSpec | None:
        fk = column.foreign_key
        if fk is None:
            return None
        by_table = self.model_for_table(fk.target.rsplit(".", 1)[0])
        return by_table or self.model_named(fk.model)

    def choices_for(self, ts: TypeSpec) -> _Choices:
        members = dict(ts.enum_members or {})
        key = (ts.enum_class or "", repr(sorted(members.items(), key=lambda kv: kv[0])))
        if key not in self._choices:
            base = ts.enum_class or "Choices"
            taken = self._choice_names | {m.name for m in self.models}
            name = base if base not in taken else f"{base}Choices"
            number = 2
            while name in taken:
                name, number = f"{base}Choices{number}", number + 1
            integer = bool(members) and all(isinstance(v, int) and not isinstance(v, bool) for v in members.values())
            self._choice_names.add(name)
            self._choices[key] = _Choices(name, members, integer, _choices_definition(name, members, integer))
        return self._choices[key]

    def choices_named(self, enum_class: str) -> _Choices | None:
        for model in self.schema.models:
            for column in model.columns:
                ts = column.type
                if ts is not None and ts.enum_class == enum_class and ts.enum_members:
                    return self.choices_for(ts)
        return None

    def is_project(self, path: str) -> bool:
        return path.split(".", 1)[0] in self.roots

    # -- foreign keys

    def _plan_links(self, model: ModelSpec) -> None:
        for column in model.columns:
            if column.foreign_key is None:
                continue
            link = self._link(model, column)
            self.links[(model.name, column.name)] = link
            if link.owner:
                self.owned[(model.name, link.owner.name)] = link
            if link.reverse and link.target:
                self.reversed[(link.target.name, link.reverse.name)] = link

    def _claimed(self, model: ModelSpec, rel: RelationshipSpec) -> bool:
        """Whether ``model.rel`` already belongs to a planned link (as its owner or its reverse side)."""
        return (model.name, rel.name) in self.owned or (model.name, rel.name) in self.reversed

    def _link(self, model: ModelSpec, column: ColumnSpec) -> _Link:
        target = self.fk_target(column)
        base = column.name[:-3] if column.name.endswith("_id") and len(column.name) > 3 else column.name
        link = _Link(model, column, target, base, association=model in self.through_models)
        if target is None:
            return link
        if _is_pk(column) and target.name in model.bases and not target.abstract:
            link.parent_link, link.one_to_one, link.name = True, True, f"{target.name.lower()}_ptr"
            return link
        siblings = sum(1 for c in model.columns if c.foreign_key and self.fk_target(c) is target)
        self_ref = target is model
        owners = [
            r
            for r in model.relationships
            if not self._claimed(model, r)
            and not self._secondary(r)
            and _rel_target(r) == target.name
            and _uses(r, column, siblings, by_name=True)
            and (not self_ref or "remote_side" in r.kwargs)
        ]
        link.owner = owners[0] if owners else None
        if link.owner is not None and siblings > 1 and not _mentioned(link.owner):
            link.notes.append(
                f"{link.owner.name} paired with {column.name} by name; SQLAlchemy needs foreign_keys= here"
            )
        link.reverse = self._reverse(link, siblings)
        self._name_link(link, base)
        return link

    def _reverse(self, link: _Link, siblings: int) -> RelationshipSpec | None:
        assert link.target is not None
        owner = link.owner
        if owner is not None and _backref(owner)[0]:
            return None
        candidates = [
            r
            for r in link.target.relationships
            if not self._claimed(link.target, r)
            and r is not owner
            and not self._secondary(r)
            and _rel_target(r) == link.model.name
            and _uses(r, link.column, siblings)
            and not (link.target is link.model and "remote_side" in r.kwargs)
            and r.kwargs.get("viewonly") is not True
        ]
        if owner is not None:
            wanted = owner.kwargs.get("back_populates")
            paired = [r for r in candidates if r.name == wanted or r.kwargs.get("back_populates") == owner.name]
            candidates = paired or [r for r in candidates if "back_populates" not in r.kwargs]
        return candidates[0] if candidates else None

    def _name_link(self, link: _Link, base: str) -> None:
        owner, reverse = link.owner, link.reverse
        backref_name, backref_kwargs = _backref(owner) if owner else (None, {})
        if owner is not None:
            link.name = owner.name
            back = owner.kwargs.get("back_populates")
            link.related_name = reverse.name if reverse else backref_name or (back if isinstance(back, str) else None)
        elif reverse is not None:
            link.related_name = reverse.name
            link.name = _backref(reverse)[0] or base
        taken = {c.name for c in link.model.columns if c is not link.column} | {
            r.name for r in link.model.relationships if r is not owner
        }
        if link.name in taken:
            link.name = f"{base}_ref" if base != link.name else f"{base}_fk"
        unique = link.column.kwargs.get("unique") is True or (_is_pk(link.column) and len(_pk_columns(link.model)) == 1)
        reverse_scalar = reverse is not None and _scalar(reverse)
        backref_scalar = backref_kwargs.get("uselist") is False
        link.one_to_one = unique or reverse_scalar or backref_scalar
        if (reverse_scalar or backref_scalar) and not unique:
            link.notes.append("one-to-one: OneToOneField adds a UNIQUE constraint the column did not have")

    def _name_reverse_clashes(self) -> None:
        """Two relations from one model to the same model need distinct reverse accessors in Django."""
        for model in self.models:
            pending: dict[str, list[_Link | _ManyToMany]] = {}
            for link in self.links.values():
                if link.model is model and link.target and not link.related_name and not link.parent_link:
                    pending.setdefault(link.target.name, []).append(link)
            for m2m in self.m2m.values():
                if m2m.model is model and not m2m.related_name:
                    pending.setdefault(m2m.target.name, []).append(m2m)
            for group in pending.values():
                if len(group) < 2:
                    continue
                for item in group:
                    name = item.name if isinstance(item, _Link) else item.rel.name
                    item.related_name = f"{_snake(model.name)}s_by_{name}"
                    item.notes.append(
                        f"related_name={item.related_name!r} chosen: several relations from {model.name} "
                        f"to {item.target.name if item.target else '?'} need distinct reverse accessors"
                    )

    # -- many-to-many

    def _secondary(self, rel: RelationshipSpec) -> TableSpec | ModelSpec | None:
        if rel.secondary is not None:
            return rel.secondary
        value = rel.kwargs.get("secondary")
        if value is None:
            return None
        name = value if isinstance(value, str) else _tail(value.path) if isinstance(value, Ref) else None
        if name is None:
            return None
        for table in self.schema.tables:
            if name in (table.variable, table.table_name):
                return table
        return next((m for m in self.schema.models if self.table_of(m) == name), None)

    def _plan_many_to_many(self) -> None:
        done: set[int] = set()
        for model in self.schema.models:
            for rel in model.relationships:
                secondary = self._secondary(rel)
                target = self.model_named(_rel_target(rel))
                if secondary is None or target is None or id(rel) in done:
                    continue
                m2m = self._many_to_many(model, rel, target, secondary, done)
                self.m2m[(model.name, rel.name)] = m2m
                if m2m.partner is not None:
                    self.m2m_partners[(target.name, m2m.partner.name)] = m2m

    def _many_to_many(
        self,
        model: ModelSpec,
        rel: RelationshipSpec,
        target: ModelSpec,
        secondary: TableSpec | ModelSpec,
        done: set[int],
    ) -> _ManyToMany:
        table_name = secondary.table_name if isinstance(secondary, TableSpec) else self.table_of(secondary)
        partner = None
        if not _backref(rel)[0]:
            candidates = [
                r
                for r in target.relationships
                if r is not rel and _rel_target(r) == model.name and self._table_name_of(r) == table_name
            ]
            paired = [r for r in candidates if r.name == rel.kwargs.get("back_populates")]
            chosen = paired or candidates
            partner = chosen[0] if chosen else None
        done.add(id(rel))
        if partner is not None:
            done.add(id(partner))
        m2m = _ManyToMany(model, rel, target, partner, table_name)
        m2m.related_name = partner.name if partner else _backref(rel)[0]
        if isinstance(secondary, ModelSpec):
            m2m.through = secondary.name
            m2m.notes.append(f"the association table is the model {secondary.name}, used as through=")
        else:
            m2m.table_variable = secondary.variable
            self._table_through(m2m, secondary)
        return m2m

    def _table_name_of(self, rel: RelationshipSpec) -> str | None:
        secondary = self._secondary(rel)
        if isinstance(secondary, TableSpec):
            return secondary.table_name
        return self.table_of(secondary) if secondary is not None else None

    def _table_through(self, m2m: _ManyToMany, table: TableSpec) -> None:
        fks = [c for c in table.columns if c.foreign_key is not None]
        self_ref = m2m.model is m2m.target
        source, target = self._sides(m2m, fks)
        if self_ref:
            expected = {f"from_{m2m.model.name.lower()}_id", f"to_{m2m.model.name.lower()}_id"}
        else:
            expected = {f"{m2m.model.name.lower()}_id", f"{m2m.target.name.lower()}_id"}
        actual = {c.db_column or c.name for c in fks}
        if len(fks) == 2 and len(table.columns) == 2 and actual == expected:
            m2m.notes.append(
                f"Django's table for db_table={table.table_name!r} has an `id` primary key column; "
                "add it to the existing table or declare a through model"
            )
            return
        through = self._through_model(table)
        m2m.through = through.name
        if len(table.columns) > 2:
            m2m.notes.append(f"{table.table_name} has extra columns: through model {through.name}")
        else:
            m2m.notes.append(
                f"{table.table_name}'s columns ({', '.join(sorted(actual))}) differ from Django's automatic ones: "
                f"through model {through.name} keeps the table"
            )
        if (self_ref or len(fks) > 2) and source and target:
            m2m.through_fields = (_fk_field_name(source), _fk_field_name(target))

    def _sides(self, m2m: _ManyToMany, fks: list[ColumnSpec]) -> tuple[ColumnSpec | None, ColumnSpec | None]:
        """The association columns pointing at the owner and at the target (``primaryjoin`` decides for self-joins)."""
        to_model = [c for c in fks if self.fk_target(c) is m2m.model]
        to_target = [c for c in fks if self.fk_target(c) is m2m.target]
        joined = _tokens(m2m.rel.kwargs["primaryjoin"]) if "primaryjoin" in m2m.rel.kwargs else set()
        source = next((c for c in to_model if c.name in joined), to_model[0] if to_model else None)
        target = next((c for c in to_target if c is not source), None)
        return source, target

    def _through_model(self, table: TableSpec) -> ModelSpec:
        for existing in self.through_models:
            if existing.table_name == table.table_name:
                return existing
        name = _camel(table.table_name)
        taken = {m.name for m in self.schema.models} | {m.name for m in self.through_models}
        while name in taken:
            name += "Link"
        model = ModelSpec(
            qualname=table.variable,
            name=name,
            file=table.file,
            span=table.span,
            table_name=table.table_name,
            abstract=False,
            columns=list(table.columns),
        )
        self.through_models.append(model)
        return model


def _fk_field_name(column: ColumnSpec) -> str:
    return column.name[:-3] if column.name.endswith("_id") and len(column.name) > 3 else column.name


# ---------------------------------------------------------------------------
# Defaults


@dataclass
class _Options:
    """Keyword arguments and remarks collected for one field."""

    kwargs: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    exact: bool = True
    imports: list[str] = field(default_factory=list)

    def inexact(self, note: str) -> None:
        self.notes.append(note)
        self.exact = False


_NOW_NAMES = frozenset({"utcnow", "now", "today", "current_timestamp", "localtimestamp", "current_date", "sysdate"})
_SQL_NOW = re.compile(r"^\s*(current_timestamp|now\(\)|current_date|localtimestamp|sysdate)\s*$", re.IGNORECASE)


def _is_sql_func(value: Value) -> bool:
    return isinstance(value, CallValue) and ".func." in f".{value.callee}"


def _is_now(value: Value) -> bool:
    """``datetime.utcnow``, a project ``utcnow``, ``func.now()``, ``text("CURRENT_TIMESTAMP")``, or a lambda
    around one of them."""
    if isinstance(value, Ref):
        return _tail(value.path) in _NOW_NAMES
    if isinstance(value, CallValue):
        if _tail(value.callee) == "text":
            sql = _text(value)
            return bool(sql and _SQL_NOW.match(sql))
        return _tail(value.callee) in _NOW_NAMES
    if isinstance(value, Opaque):
        return bool(re.search(r"\b(utcnow|now|today)\(", value.code))
    return False


def _apply_defaults(column: ColumnSpec, shape: _Shape, plan: _Plan, out: _Options) -> None:
    kw = column.kwargs
    default = kw.get("default", kw.get("insert_default"))
    has_default = "default" in kw or "insert_default" in kw
    server, onupdate = kw.get("server_default"), kw.get("onupdate")
    consumed = False
    if shape.kind in ("datetime", "date"):
        consumed = _timestamps(default, has_default, server, onupdate, out)
    elif onupdate is not None:
        out.inexact(f"onupdate={code_of(onupdate)}: no equivalent; override save() or use a pre_save signal")
    if has_default and not consumed:
        _python_default(default, shape, plan, out)
    if server is not None:
        _server_default(server, shape, out)
    if kw.get("server_onupdate") is not None:
        out.inexact("server_onupdate (a database trigger) stays outside the ORM in Django")


def _timestamps(default: Value, has_default: bool, server: Value, onupdate: Value, out: _Options) -> bool:
    """``default``/``onupdate`` of "now" → auto_now_add/auto_now; True when ``default`` was consumed."""
    now_default = has_default and _is_now(default)
    now_insert = now_default or (server is not None and _is_now(server))
    if onupdate is not None and _is_now(onupdate):
        out.kwargs.append(("auto_now", "True"))
        out.notes.append("auto_now: set by Model.save() only, not by QuerySet.update() (onupdate fired on any UPDATE)")
        if not now_insert:
            out.notes.append("auto_now also fills the value on insert (SQLAlchemy left it to the default)")
        return now_default
    if onupdate is not None:
        out.inexact(f"onupdate={code_of(onupdate)}: no equivalent; override save() or use a pre_save signal")
    if now_insert:
        out.kwargs.append(("auto_now_add", "True"))
        out.notes.append("auto_now_add: the field becomes non-editable (hidden from ModelForm and admin)")
        if isinstance(default, CallValue) and not _is_sql_func(default) and now_default:
            out.inexact(f"default={default.code} was evaluated once at import time; auto_now_add sets it per row")
        return now_default
    return False


def _python_default(default: Value, shape: _Shape, plan: _Plan, out: _Options) -> None:
    if isinstance(default, (str, int, float, bool)) or default is None:
        out.kwargs.append(("default", _literal_default(default, shape)))
    elif isinstance(default, Ref):
        out.kwargs.append(("default", _ref_default(default, shape, plan, out)))
    elif isinstance(default, (dict, list)):
        if default:
            out.inexact(
                f"default={code_of(default)} is mutable: Django needs a callable; write a function returning it"
            )
        else:
            out.kwargs.append(("default", "dict" if isinstance(default, dict) else "list"))
    elif isinstance(default, tuple):
        out.kwargs.append(("default", code_of(default)))
    elif (
        isinstance(default, CallValue)
        and _tail(default.callee) == "Decimal"
        and all(isinstance(a, (str, int)) for a in default.args)
    ):
        out.kwargs.append(("default", _call("Decimal", (code_of(a) for a in default.args), ())))
        out.imports.append(DECIMAL_IMPORT)
    elif isinstance(default, CallValue) and _is_sql_func(default):
        out.inexact(f"default={default.code} is a SQL expression: use db_default= with a Django expression")
    else:
        code = default.code if isinstance(default, (CallValue, Opaque)) else code_of(default)
        out.inexact(f"default={code}: Django needs a module-level callable or a constant (lambdas do not migrate)")


def _literal_default(value: str | int | float | bool | None, shape: _Shape) -> str:
    choices = shape.choices
    if choices is not None and isinstance(value, str):
        for member, member_value in choices.members.items():
            if value in (member, member_value):
                return f"{choices.name}.{member}"
    return _lit(value)


def _ref_default(ref: Ref, shape: _Shape, plan: _Plan, out: _Options) -> str:
    parts = ref.path.split(".")
    choices = shape.choices
    if choices is not None and len(parts) >= 2 and parts[-1] in choices.members:
        return f"{choices.name}.{parts[-1]}"
    known = plan.choices_named(parts[-2]) if len(parts) >= 2 else None
    if known is not None and parts[-1] in known.members:
        return f"{known.name}.{parts[-1]}"
    if len(parts) == 1:
        return parts[0]
    if plan.is_project(ref.path):
        module = ".".join(parts[:-1])
        out.imports.append(f"from {module} import {parts[-1]}")
        out.notes.append(f"default={parts[-1]} is imported from {module}; move it next to the Django models")
        return parts[-1]
    out.imports.append(f"import {parts[0]}")
    return ref.path


def _server_default(server: Value, shape: _Shape, out: _Options) -> None:
    if _is_now(server):
        out.kwargs.append(("db_default", "Now()"))
        out.imports.append(NOW_IMPORT)
        return
    if isinstance(server, CallValue) and _tail(server.callee) in ("true", "false"):
        out.kwargs.append(("db_default", str(_tail(server.callee) == "true")))
        return
    if isinstance(server, (bool, int, float)):
        out.kwargs.append(("db_default", _lit(server)))
        return
    sql = server if isinstance(server, str) else _text(server) if isinstance(server, CallValue) else None
    value = _coerce(sql, shape.kind, quoted=isinstance(server, str)) if sql is not None else None
    if value is None:
        shown = server.code if isinstance(server, (CallValue, Opaque)) else code_of(server)
        out.inexact(f"server_default={shown}: no Django expression found; add db_default= by hand")
        return
    out.kwargs.append(("db_default", value))
    if value.startswith("Decimal("):
        out.imports.append(DECIMAL_IMPORT)


def _coerce(sql: str, kind: str, quoted: bool) -> str | None:
    """A server default's SQL (or plain string) as a Python literal of the field's type."""
    text = sql.strip()
    stringly = kind in ("text", "date", "time", "datetime", "uuid")
    if not quoted and stringly and len(text) >= 2 and text[0] == text[-1] == "'":
        return _lit(text[1:-1].replace("''", "'"))
    if kind == "bool" and text.lower() in ("0", "1", "true", "false", "t", "f"):
        return str(text.lower() in ("1", "true", "t"))
    if kind in _INTEGER_KINDS and re.fullmatch(r"-?\d+", text):
        return str(int(text))
    if kind == "float" and re.fullmatch(r"-?\d+(\.\d*)?([eE]-?\d+)?", text):
        return repr(float(text))
    if kind == "decimal" and re.fullmatch(r"-?\d+(\.\d*)?", text):
        return f'Decimal("{text}")'
    if quoted and stringly:
        return _lit(sql)
    if text.upper() == "NULL":
        return "None"
    return None


# ---------------------------------------------------------------------------
# Fields


def _common_options(column: ColumnSpec, out: _Options, relation: bool = False, one_to_one: bool = False) -> None:
    kw = column.kwargs
    if kw.get("unique") is True and not one_to_one and not _is_pk(column):
        out.kwargs.append(("unique", "True"))
    if kw.get("index") is True and not relation:  # Django indexes foreign keys already
        out.kwargs.append(("db_index", "True"))


def _describe(column: ColumnSpec, out: _Options) -> None:
    kw = column.kwargs
    info = kw.get("info")
    label = info.get("label") if isinstance(info, dict) else None
    doc, comment = kw.get("doc"), kw.get("comment")
    if isinstance(label, str):
        out.kwargs.append(("verbose_name", _lit(label)))
    if isinstance(doc, str):
        out.kwargs.append(("help_text", _lit(doc)))
    if isinstance(comment, str):
        out.kwargs.append(("db_comment", _lit(comment)))
    if kw.get("deferred") is True:
        out.notes.append("deferred=True: use .defer()/.only() in queries")
    if kw.get("autoincrement") is True and not _is_pk(column):
        out.inexact("autoincrement on a non-key column: Django has no sequence API")


def _null_options(nullable: bool, implicit: bool, kind: str, out: _Options) -> None:
    if not nullable:
        return
    out.kwargs += [("null", "True"), ("blank", "True")]
    if implicit:
        out.notes.append("nullable by SQLAlchemy's default (no nullable=False); null=True keeps the schema")
    if kind == "text":
        out.notes.append("Django's convention for text is '' rather than NULL; null=True matches the existing column")


def _safe_name(name: str) -> tuple[str, list[str]]:
    """Django rejects field names ending in '_' or containing '__' (fields.E001/E002)."""
    fixed = re.sub(r"_{2,}", "_", name).strip("_") or "field"
    if fixed == name:
        return name, []
    return fixed, [f"attribute {name!r} is not a valid Django field name; renamed to {fixed!r}"]


def _db_column(column: ColumnSpec, django_column: str, out: _Options) -> None:
    actual = column.db_column or column.name
    if actual != django_column:
        out.kwargs.append(("db_column", _lit(actual)))


def _finish(name: str, cls_call: str, out: _Options, shape: _Shape | None, source: str) -> FieldCode:
    notes = [*(shape.notes if shape else []), *out.notes]
    exact = out.exact and (shape.exact if shape else True)
    imports = _unique([*(shape.imports if shape else []), *out.imports])
    definitions = list(shape.definitions) if shape else []
    return FieldCode(name, f"{name} = {cls_call}", notes, exact, source, imports, definitions)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _is_implicit_id(column: ColumnSpec, model: ModelSpec, shape: _Shape) -> bool:
    """``id = Column(Integer, primary_key=True)``: Django's own implicit ``id`` (DEFAULT_AUTO_FIELD) replaces it."""
    kw = column.kwargs
    return (
        column.name == "id"
        and _is_pk(column)
        and _pk_columns(model) == ["id"]
        and shape.kind == "int"
        and shape.choices is None
        and column.foreign_key is None
        and column.db_column in (None, "id")
        and kw.get("autoincrement") is not False
        and not any(k in kw for k in ("default", "server_default", "comment", "doc"))
    )


def _column_field(column: ColumnSpec, model: ModelSpec, plan: _Plan) -> FieldCode | None:
    shape = _shape_of_column(column, plan)
    if _is_implicit_id(column, model, shape):
        return None
    name, renames = _safe_name(column.name)
    out = _Options(notes=renames)
    pks = _pk_columns(model)
    single_pk = _is_pk(column) and len(pks) == 1
    if single_pk and shape.kind in _INTEGER_KINDS and shape.choices is None:
        if column.kwargs.get("autoincrement") is not False:
            shape.cls = f"models.{_AUTO_FIELDS[shape.kind]}"
        out.kwargs.append(("primary_key", "True"))
    elif single_pk:
        out.kwargs.append(("primary_key", "True"))
    _db_column(column, name, out)
    nullable, implicit = _nullable(column, column.name in pks)
    _null_options(nullable, implicit, shape.kind, out)
    _common_options(column, out)
    _apply_defaults(column, shape, plan, out)
    _describe(column, out)
    if column.type is not None and column.type.decorator is not None:
        out.inexact(
            f"{column.type.decorator} is a TypeDecorator over {column.type.name}: if its process_bind_param/"
            "process_result_value change values, port them to a custom field's get_prep_value/from_db_value"
        )
    if column.foreign_key is not None:
        out.inexact(
            f"references {column.foreign_key.target}, which is not a model fwlint found; kept as a plain column"
        )
    cls_call = _call(shape.cls, shape.args, [*shape.kwargs, *out.kwargs])
    return _finish(name, cls_call, out, shape, column.name)


_ON_DELETE = {
    "CASCADE": "models.CASCADE",
    "SET NULL": "models.SET_NULL",
    "RESTRICT": "models.RESTRICT",
    "NO ACTION": "models.PROTECT",
    "SET DEFAULT": "models.SET_DEFAULT",
}


def _on_delete(link: _Link, nullable: bool, out: _Options) -> tuple[str, bool]:
    """(on_delete code, whether the field must allow NULL)."""
    ondelete = (link.column.foreign_key.ondelete or "").upper().strip() if link.column.foreign_key else ""
    if ondelete in _ON_DELETE:
        code = _ON_DELETE[ondelete]
        if ondelete == "SET NULL" and not nullable:
            out.notes.append("ondelete='SET NULL' on a NOT NULL column: null=True added, as SET_NULL requires")
        if ondelete == "NO ACTION":
            out.notes.append("ondelete='NO ACTION': PROTECT refuses the delete in Python, as the database would")
        if ondelete == "SET DEFAULT":
            out.notes.append("SET_DEFAULT needs a default= on the field")
        return code, ondelete == "SET NULL"
    if ondelete:
        out.inexact(f"ondelete={ondelete!r} unknown; PROTECT chosen")
        return "models.PROTECT", False
    return _orm_on_delete(link, nullable, out)


def _orm_on_delete(link: _Link, nullable: bool, out: _Options) -> tuple[str, bool]:
    """No ``ondelete``: follow what SQLAlchemy's ORM does when the parent object is deleted."""
    backref_kwargs = _backref(link.owner)[1] if link.owner else {}
    if link.parent_link:
        return "models.CASCADE", False
    if link.association:
        out.notes.append("association row: SQLAlchemy deletes it with either side, hence CASCADE")
        return "models.CASCADE", False
    if _cascade_deletes(link.reverse, backref_kwargs):
        out.notes.append("on_delete=CASCADE from the parent relationship's cascade='...delete...'")
        return "models.CASCADE", False
    has_reverse = link.reverse is not None or bool(link.owner and _backref(link.owner)[0])
    passive = bool(link.reverse and link.reverse.kwargs.get("passive_deletes"))
    if has_reverse and not passive and nullable:
        out.notes.append("on_delete=SET_NULL: SQLAlchemy's ORM nulls the children's key when the parent is deleted")
        return "models.SET_NULL", False
    out.notes.append(
        "on_delete=PROTECT: no ondelete and no delete cascade, so deleting a referenced row failed "
        "in the database; PROTECT refuses it in Python"
    )
    return "models.PROTECT", False


def _link_field(link: _Link, plan: _Plan) -> FieldCode:
    column, target = link.column, link.target
    assert target is not None
    out = _Options(notes=list(link.notes))
    nullable, implicit = _nullable(column, column.name in _pk_columns(link.model) and not link.parent_link)
    on_delete, force_null = _on_delete(link, nullable, out)
    cls = "models.OneToOneField" if link.one_to_one else "models.ForeignKey"
    ref = '"self"' if target is link.model else _lit(target.name)
    out.kwargs.append(("on_delete", on_delete))
    _related_name(link, out)
    _to_field(link, plan, out)
    if link.parent_link:
        out.kwargs += [("parent_link", "True"), ("primary_key", "True")]
        out.notes.append(f"joined-table inheritance: the parent link to {target.name}")
    elif _is_pk(column) and len(_pk_columns(link.model)) == 1:
        out.kwargs.append(("primary_key", "True"))
    _db_column(column, f"{link.name}_id", out)
    _null_options(nullable or force_null, implicit and not force_null, "fk", out)
    _common_options(column, out, relation=True, one_to_one=link.one_to_one)
    shape = _Shape(cls, "fk")
    _apply_defaults(column, shape, plan, out)
    _describe(column, out)
    _owner_notes(link, out)
    return _finish(link.name, _call(cls, [ref], out.kwargs), out, None, link.source)


def _related_name(link: _Link, out: _Options) -> None:
    name = link.related_name
    if not name:
        return
    if link.model.abstract and "%(" not in name:
        name = f"%(class)s_{name}"
        out.notes.append(f"related_name gets %(class)s in an abstract model: {name}")
    out.kwargs.append(("related_name", _lit(name)))


def _to_field(link: _Link, plan: _Plan, out: _Options) -> None:
    """``ForeignKey("users.email")``: a target column other than the primary key becomes ``to_field=``."""
    fk, target = link.column.foreign_key, link.target
    if fk is None or target is None or link.parent_link:
        return
    column_name = fk.target.rsplit(".", 1)[-1]
    pks = _pk_columns(target)
    target_column = next((c for c in target.columns if column_name in (c.name, c.db_column)), None)
    if target_column is None or target_column.name in pks or (not pks and column_name == "id"):
        return
    target_link = plan.links.get((target.name, target_column.name))
    out.kwargs.append(("to_field", _lit(target_link.name if target_link else target_column.name)))
    if target_column.kwargs.get("unique") is not True:
        out.inexact(f"to_field={target_column.name!r} must be unique in Django")


def _owner_notes(link: _Link, out: _Options) -> None:
    owner = link.owner
    if owner is None:
        if link.reverse is None and not link.association and not link.parent_link:
            out.notes.append(f"{link.column.name} has no relationship(); named {link.name!r} after the column")
        return
    lazy = owner.kwargs.get("lazy")
    if lazy in ("joined", "selectin", "subquery"):
        out.notes.append(f"lazy={lazy!r}: use select_related({link.name!r}) in queries")
    if owner.kwargs.get("viewonly") is True:
        out.notes.append("viewonly=True: Django has no read-only relation")


def _m2m_field(m2m: _ManyToMany) -> FieldCode:
    out = _Options(notes=list(m2m.notes), exact=m2m.exact)
    rel = m2m.rel
    ref = '"self"' if m2m.target is m2m.model else _lit(m2m.target.name)
    if m2m.target is m2m.model:
        out.kwargs.append(("symmetrical", "False"))
        out.notes.append("self-referential: symmetrical=False, as SQLAlchemy links are one-way")
    if m2m.related_name:
        out.kwargs.append(("related_name", _lit(m2m.related_name)))
    if m2m.through:
        out.kwargs.append(("through", _lit(m2m.through)))
        if m2m.through_fields:
            out.kwargs.append(("through_fields", f"({_lit(m2m.through_fields[0])}, {_lit(m2m.through_fields[1])})"))
    else:
        out.kwargs.append(("db_table", _lit(m2m.table_name)))
    _collection_notes(rel, out, rel.name)
    name, renames = _safe_name(rel.name)
    out.notes += renames
    source = f"{rel.name} + {m2m.partner.name}" if m2m.partner else rel.name
    if m2m.table_variable:
        source += f", {m2m.table_variable}"
    return _finish(name, _call("models.ManyToManyField", [ref], out.kwargs), out, None, source)


def _collection_notes(rel: RelationshipSpec, out: _Options | list[str], accessor: str) -> None:
    notes = out.notes if isinstance(out, _Options) else out
    lazy = rel.kwargs.get("lazy")
    if lazy == "dynamic":
        notes.append(f"lazy='dynamic': {accessor} is a related manager, already a lazy queryset")
    elif lazy in ("joined", "selectin", "subquery"):
        notes.append(f"lazy={lazy!r}: use prefetch_related({accessor!r}) in queries")
    if "order_by" in rel.kwargs:
        notes.append(
            f"order_by={code_of(rel.kwargs['order_by'])}: use .order_by() where {accessor} is read "
            "(or Meta.ordering on the related model, which orders every query)"
        )
    if _deletes_orphans(rel):
        notes.append("delete-orphan: no equivalent; delete a removed child explicitly")


def _deletes_orphans(rel: RelationshipSpec) -> bool:
    cascade = rel.kwargs.get("cascade")
    return isinstance(cascade, str) and "delete-orphan" in cascade


# ---------------------------------------------------------------------------
# Public field API


_PLANS: dict[int, tuple[OrmSchema, tuple[int, ...], _Plan]] = {}
_PLANS_KEPT = 4


def _plan_for(schema: OrmSchema) -> _Plan:
    """One plan per schema, reused while the schema keeps its shape (the data layer asks column by column)."""
    shape = (
        len(schema.models),
        len(schema.tables),
        *(len(m.columns) + len(m.relationships) for m in schema.models),
        *(len(t.columns) for t in schema.tables),
    )
    cached = _PLANS.get(id(schema))
    if cached is not None and cached[0] is schema and cached[1] == shape:
        return cached[2]
    plan = _Plan(schema)
    _PLANS[id(schema)] = (schema, shape, plan)  # holding the schema keeps its id from being reused
    while len(_PLANS) > _PLANS_KEPT:
        del _PLANS[next(iter(_PLANS))]
    return plan


def django_field(column: ColumnSpec, model: ModelSpec, schema: OrmSchema) -> FieldCode | None:
    """The Django field for one column; None when another field covers it (the FK of a relationship,
    the implicit ``id``)."""
    return _field(column, model, _plan_for(schema))


def _field(column: ColumnSpec, model: ModelSpec, plan: _Plan) -> FieldCode | None:
    link = plan.links.get((model.name, column.name))
    if link is not None and link.owner is not None:
        return None
    if link is not None and link.target is not None:
        return _link_field(link, plan)
    return _column_field(column, model, plan)


def django_relationship(rel: RelationshipSpec, model: ModelSpec, schema: OrmSchema) -> FieldCode | None:
    """The Django field a relationship becomes; None when the other side owns it (see the model notes)."""
    return _relationship(rel, model, _plan_for(schema))


def _relationship(rel: RelationshipSpec, model: ModelSpec, plan: _Plan) -> FieldCode | None:
    link = plan.owned.get((model.name, rel.name))
    if link is not None:
        return _link_field(link, plan)
    m2m = plan.m2m.get((model.name, rel.name))
    if m2m is not None:
        return _m2m_field(m2m)
    return None


def _relationship_note(rel: RelationshipSpec, model: ModelSpec, plan: _Plan) -> tuple[str, bool]:
    """What happened to a relationship that emits no field: (note, exact)."""
    where = f"{model.name}.{rel.name}"
    link = plan.reversed.get((model.name, rel.name))
    if link is not None:
        kind = "reverse one-to-one accessor" if link.one_to_one else "reverse accessor (a related manager)"
        notes = [f"{where} becomes the {kind} of {link.model.name}.{link.name} (related_name={rel.name!r})"]
        _collection_notes(rel, notes, rel.name)
        return "; ".join(notes), not _deletes_orphans(rel)
    m2m = plan.m2m_partners.get((model.name, rel.name))
    if m2m is not None:
        notes = [f"{where} becomes the reverse side of {m2m.model.name}.{m2m.rel.name} (related_name={rel.name!r})"]
        _collection_notes(rel, notes, rel.name)
        return "; ".join(notes), True
    if rel.kwargs.get("viewonly") is True:
        return f"{where} is viewonly: write a @property or a queryset method", False
    target = _rel_target(rel)
    if plan.model_named(target) is None:
        return f"{where}: target {target!r} is not a model fwlint found; relation left out", False
    return f"{where}: no foreign key found to join it; relation left out (check primaryjoin/foreign_keys)", False


# ---------------------------------------------------------------------------
# Meta: table, constraints, indexes


def _field_names(model: ModelSpec, plan: _Plan) -> dict[str, str]:
    """Column attribute and DB names → Django field names."""
    names: dict[str, str] = {}
    for column in model.columns:
        link = plan.links.get((model.name, column.name))
        name = link.name if link is not None and link.target is not None else _safe_name(column.name)[0]
        names[column.name] = name
        if column.db_column:
            names[column.db_column] = name
    return names


def _constraint_fields(args: Iterable[Value], names: dict[str, str]) -> list[str] | None:
    fields: list[str] = []
    for value in args:
        raw = value if isinstance(value, str) else _tail(value.path) if isinstance(value, Ref) else None
        if raw is None and isinstance(value, Opaque) and re.fullmatch(r"[\w.]+", value.code.strip()):
            raw = _tail(value.code.strip())
        if raw is None or raw not in names:
            return None
        fields.append(names[raw])
    return fields


def _short_name(name: str) -> str:
    """A valid Django index name (≤ 30 characters, starting with a letter), deterministic."""
    clean = re.sub(r"\W", "_", name)
    if not clean[:1].isalpha():
        clean = "ix_" + clean
    if len(clean) <= INDEX_NAME_MAX:
        return clean
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{clean[: INDEX_NAME_MAX - 9].rstrip('_')}_{digest}"


@dataclass
class _Meta:
    constraints: list[str] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    exact: bool = True

    def inexact(self, note: str) -> None:
        self.notes.append(note)
        self.exact = False


def _table_meta(model: ModelSpec, plan: _Plan) -> _Meta:
    meta = _Meta()
    names = _field_names(model, plan)
    table = plan.table_of(model)
    for arg in [*model.table_args, *model.extra_constraints]:
        if isinstance(arg, dict):
            _table_options(arg, meta)
        elif isinstance(arg, CallValue):
            _table_arg(arg, table, names, meta)
        elif arg is not None:
            meta.inexact(f"__table_args__ entry {code_of(arg)} not translated")
    return meta


def _table_options(options: dict[str, Value], meta: _Meta) -> None:
    for key, value in options.items():
        if key == "comment" and isinstance(value, str):
            meta.options.append(f"db_table_comment = {_lit(value)}")
        elif key == "schema":
            meta.inexact(f"schema={code_of(value)}: no Django equivalent (use the database search_path)")
        else:
            meta.notes.append(f"table option {key}={code_of(value)} has no Django equivalent; dropped")


def _table_arg(arg: CallValue, table: str, names: dict[str, str], meta: _Meta) -> None:
    kind = _tail(arg.callee)
    kwargs = dict(arg.kwargs)
    if kind == "UniqueConstraint":
        _unique_constraint(arg.args, kwargs, table, names, meta)
    elif kind == "Index":
        _index(arg, kwargs, table, names, meta)
    elif kind == "CheckConstraint":
        _check_constraint(arg, kwargs, table, names, meta)
    elif kind == "PrimaryKeyConstraint":
        return  # handled as the composite primary key
    elif kind == "ForeignKeyConstraint":
        meta.inexact(f"{arg.code}: composite foreign keys have no Django equivalent")
    else:
        meta.inexact(f"__table_args__ entry {arg.code} not translated")


def _unique_constraint(
    args: Iterable[Value], kwargs: dict[str, Value], table: str, names: dict[str, str], meta: _Meta
) -> None:
    fields = _constraint_fields(args, names)
    if not fields:
        meta.inexact(f"UniqueConstraint on {', '.join(code_of(a) for a in args)}: columns not found; not translated")
        return
    name = kwargs.get("name")
    if not isinstance(name, str):
        name = f"{table}_{'_'.join(fields)}_uniq"
        meta.notes.append(f"unique constraint on {', '.join(fields)} named {name!r} (Django requires a name)")
    field_list = ", ".join(_lit(f) for f in fields)
    meta.constraints.append(f"models.UniqueConstraint(fields=[{field_list}], name={_lit(name)})")


def _index(arg: CallValue, kwargs: dict[str, Value], table: str, names: dict[str, str], meta: _Meta) -> None:
    given = arg.args[0] if arg.args and isinstance(arg.args[0], str) else None
    fields = _constraint_fields(arg.args[1:] if arg.args else (), names)
    if not fields:
        meta.inexact(f"{arg.code}: expression index; write models.Index(<expressions>, name=...) by hand")
        return
    if kwargs.get("unique") is True:
        _unique_constraint(arg.args[1:], {"name": given} if given else {}, table, names, meta)
        return
    name = _short_name(given or f"{table}_{'_'.join(fields)}_idx")
    if given and name != given:
        meta.inexact(f"index {given!r} renamed {name!r} (Django index names are at most 30 characters)")
    extra = ""
    where = kwargs.get("postgresql_where", kwargs.get("sqlite_where"))
    if where is not None:
        condition = _sql_to_q(_text(where) or "", names)
        if condition is None:
            meta.inexact(f"partial index {name}: condition {code_of(where)} not translated; the index covers all rows")
        else:
            extra = f", condition={condition}"
    if "postgresql_using" in kwargs:
        meta.inexact(f"index {name}: using={code_of(kwargs['postgresql_using'])} needs django.contrib.postgres indexes")
    field_list = ", ".join(_lit(f) for f in fields)
    meta.indexes.append(f"models.Index(fields=[{field_list}], name={_lit(name)}{extra})")


def _check_constraint(arg: CallValue, kwargs: dict[str, Value], table: str, names: dict[str, str], meta: _Meta) -> None:
    sqltext = arg.args[0] if arg.args else kwargs.get("sqltext")
    sql = _text(sqltext) if sqltext is not None else None
    condition = _sql_to_q(sql, names) if sql else None
    if condition is None:
        meta.inexact(f"CheckConstraint({sql or code_of(sqltext)!r}) not translated: write a Q() condition by hand")
        return
    name = kwargs.get("name")
    if not isinstance(name, str):
        words = [w for w in re.findall(r"[A-Za-z_]\w*", sql or "") if w in names][:3]
        name = f"{table}_{'_'.join(names[w] for w in words) or 'check'}_check"
        meta.notes.append(f"check constraint named {name!r} (Django requires a name)")
    meta.constraints.append(f"models.CheckConstraint(condition={condition}, name={_lit(name)})")


# -- SQL condition → Q()

_LOOKUPS = {"=": "", "==": "", ">": "__gt", ">=": "__gte", "<": "__lt", "<=": "__lte"}
_FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "=": "=", "==": "==", "!=": "!=", "<>": "<>"}
_SQL_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<str>'(?:[^']|'')*')|(?P<op><>|!=|>=|<=|==|=|<|>)"
    r"|(?P<word>[A-Za-z_][\w.]*)|(?P<paren>[()])|(?P<comma>,))"
)


def _sql_tokens(sql: str) -> list[tuple[str, str]] | None:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = sql.strip()
    while position < len(text):
        match = _SQL_TOKEN.match(text, position)
        if match is None or match.end() == position:
            return None
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def _sql_to_q(sql: str, names: dict[str, str]) -> str | None:
    """Simple SQL (or SQLAlchemy expression) conditions as ``models.Q``: comparisons of a column with a literal or
    another column, ``IS [NOT] NULL``, ``IN (...)``, ``BETWEEN``, joined by AND/OR/NOT.  None for anything else."""
    normalised = re.sub(r"\b[A-Z]\w*\.(?=[a-z_])", "", sql.replace("==", "="))  # Product.price >= 0
    tokens = _sql_tokens(normalised)
    if not tokens:
        return None
    parser = _ConditionParser(tokens, names)
    try:
        result = parser.disjunction()
    except ValueError:
        return None
    return result if parser.done() else None


class _ConditionParser:
    """Recursive descent over the token list; raises ValueError on anything it does not know."""

    def __init__(self, tokens: list[tuple[str, str]], names: dict[str, str]) -> None:
        self.tokens, self.names, self.index = tokens, names, 0

    def done(self) -> bool:
        return self.index == len(self.tokens)

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.index] if self.index < len(self.tokens) else ("", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if not token[0]:
            raise ValueError("unexpected end")
        self.index += 1
        return token

    def keyword(self, word: str) -> bool:
        kind, value = self.peek()
        if kind == "word" and value.upper() == word:
            self.index += 1
            return True
        return False

    def disjunction(self) -> str:
        parts = [self.conjunction()]
        while self.keyword("OR"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else " | ".join(f"({p})" if " & " in p else p for p in parts)

    def conjunction(self) -> str:
        parts = [self.atom()]
        while self.keyword("AND"):
            parts.append(self.atom())
        return " & ".join(f"({p})" if " | " in p else p for p in parts)

    def atom(self) -> str:
        if self.peek() == ("paren", "("):
            self.take()
            inner = self.disjunction()
            if self.take() != ("paren", ")"):
                raise ValueError("unbalanced")
            return inner
        if self.keyword("NOT"):
            return f"~({self.atom()})"
        return self.comparison()

    def operand(self) -> tuple[str, str]:
        kind, value = self.take()
        if kind == "num":
            return "literal", value
        if kind == "str":
            return "literal", _lit(value[1:-1].replace("''", "'"))
        if kind == "word" and value.upper() in ("TRUE", "FALSE"):
            return "literal", str(value.upper() == "TRUE")
        if kind == "word" and _tail(value) in self.names:
            return "field", self.names[_tail(value)]
        raise ValueError(f"unknown operand {value}")

    def comparison(self) -> str:
        left_kind, left = self.operand()
        if self.keyword("IS"):
            negated = self.keyword("NOT")
            if not self.keyword("NULL") or left_kind != "field":
                raise ValueError("IS without NULL")
            return f"models.Q({left}__isnull={not negated})"
        if self.keyword("IN"):
            return self.membership(left_kind, left)
        if self.keyword("BETWEEN"):
            low = self.literal()
            if left_kind != "field" or not self.keyword("AND"):
                raise ValueError("bad BETWEEN")
            return f"models.Q({left}__range=({low}, {self.literal()}))"
        kind, op = self.take()
        if kind != "op":
            raise ValueError("operator expected")
        right_kind, right = self.operand()
        if left_kind != "field":
            if right_kind != "field":
                raise ValueError("no column")
            left_kind, left, right_kind, right, op = right_kind, right, left_kind, left, _FLIPPED[op]
        value = f'models.F("{right}")' if right_kind == "field" else right
        if op in ("!=", "<>"):
            return f"~models.Q({left}={value})"
        return f"models.Q({left}{_LOOKUPS[op]}={value})"

    def membership(self, left_kind: str, left: str) -> str:
        if left_kind != "field" or self.take() != ("paren", "("):
            raise ValueError("bad IN")
        values = [self.literal()]
        while self.peek() == ("comma", ","):
            self.take()
            values.append(self.literal())
        if self.take() != ("paren", ")"):
            raise ValueError("unbalanced IN")
        return f"models.Q({left}__in=[{', '.join(values)}])"

    def literal(self) -> str:
        kind, value = self.operand()
        if kind != "literal":
            raise ValueError("literal expected")
        return value


# ---------------------------------------------------------------------------
# Models


def _project_ancestors(model: ModelSpec, plan: _Plan, seen: frozenset[str] = frozenset()) -> set[str]:
    found: set[str] = set()
    for base in model.bases:
        spec = plan.model_named(base)
        if spec is not None and base not in seen:
            found |= {base} | _project_ancestors(spec, plan, seen | {model.name})
    return found


def _django_bases(model: ModelSpec, plan: _Plan) -> list[str]:
    """The project model classes to inherit from, without one that another already brings in."""
    direct = [b for b in model.bases if plan.model_named(b) is not None and b != model.name]
    implied: set[str] = set()
    for base in direct:
        spec = plan.model_named(base)
        if spec is not None:
            implied |= _project_ancestors(spec, plan)
    return [b for b in _unique(direct) if b not in implied]


def _inherited(item: ColumnSpec | RelationshipSpec, ancestors: set[str]) -> bool:
    return item.inherited_from is not None and item.inherited_from in ancestors


def _single_table_parent(model: ModelSpec, plan: _Plan) -> ModelSpec | None:
    """The concrete parent of a single-table-inheritance child."""
    return plan.concrete_parent(model) if plan.shares_parent_table(model) else None


def django_model(model: ModelSpec, schema: OrmSchema) -> ModelCode:
    """The Django model class for one SQLAlchemy model (abstract ones as ``Meta.abstract``)."""
    return _model(model, _plan_for(schema))


def _model(model: ModelSpec, plan: _Plan) -> ModelCode:
    bases = _django_bases(model, plan)
    ancestors = _project_ancestors(model, plan)
    notes: list[str] = []
    exact = True
    fields: list[FieldCode] = []
    pk_field = _composite_pk(model, plan)
    if pk_field is not None:
        fields.append(pk_field)
    emitted: set[str] = set()
    inlined: dict[str, list[str]] = {}
    columns, relationships = model.columns, model.relationships
    if _single_table_parent(model, plan) is not None:
        moved = [c.name for c in columns if not _inherited(c, ancestors)]
        moved += [r.name for r in relationships if not _inherited(r, ancestors)]
        if moved:
            notes.append(f"{', '.join(moved)}: a proxy model has no fields of its own; move them to the parent model")
            exact = False
        columns, relationships = [], []
    for column in columns:
        if _inherited(column, ancestors):
            continue
        field_code, note = _column_entry(column, model, plan, emitted)
        if field_code is not None:
            fields.append(field_code)
        if note:
            notes.append(note)
        if column.inherited_from and column.inherited_from not in ancestors:
            inlined.setdefault(column.inherited_from, []).append(column.name)
    for rel in relationships:
        if _inherited(rel, ancestors) or rel.name in emitted:
            continue
        field_code = _relationship(rel, model, plan)
        if field_code is not None:
            fields.append(field_code)
            continue
        if (model.name, rel.name) not in plan.owned:
            note, ok = _relationship_note(rel, model, plan)
            notes.append(note)
            exact = exact and ok
    for mixin, names in inlined.items():
        notes.append(f"{', '.join(names)}: inlined from the mixin {mixin} (a plain class, not a model)")
    meta, meta_notes, meta_exact = _meta_lines(model, plan)
    model_notes, model_exact = _model_notes(model, plan)
    notes += meta_notes + model_notes
    exact = exact and meta_exact and model_exact and all(f.exact for f in fields)
    django_bases = bases or ["models.Model"]
    code = _class_code(model.name, django_bases, [f.code for f in fields], meta)
    imports = _unique(i for f in fields for i in f.imports)
    definitions = _unique(d for f in fields for d in f.definitions)
    return ModelCode(model.name, code, fields, notes, exact, imports, definitions, bases)


def _column_entry(
    column: ColumnSpec, model: ModelSpec, plan: _Plan, emitted: set[str]
) -> tuple[FieldCode | None, str | None]:
    """The field a column contributes at its position (the merged relation field for an FK column)."""
    link = plan.links.get((model.name, column.name))
    if link is not None and link.owner is not None:
        emitted.add(link.owner.name)
        return _link_field(link, plan), None
    result = _field(column, model, plan)
    if result is None and column.name == "id":
        return None, (
            "id: Django's implicit primary key; DEFAULT_AUTO_FIELD = "
            '"django.db.models.AutoField" keeps it INTEGER (startproject sets BigAutoField)'
        )
    return result, None


def _composite_pk(model: ModelSpec, plan: _Plan) -> FieldCode | None:
    pks = _pk_columns(model)
    if len(pks) < 2:
        return None
    names = _field_names(model, plan)
    args = ", ".join(_lit(names.get(p, p)) for p in pks)
    notes = [
        "composite primary key: models.CompositePrimaryKey (Django 5.2+); no ForeignKey can target this model, "
        "and admin support is partial"
    ]
    return FieldCode("pk", f"pk = models.CompositePrimaryKey({args})", notes, False, ", ".join(pks))


def _meta_lines(model: ModelSpec, plan: _Plan) -> tuple[list[str], list[str], bool]:
    if model.abstract:
        lines = ["abstract = True"]
        if model.table_args or model.extra_constraints:
            return lines, ["__table_args__ of an abstract model: add the constraints to each concrete model"], False
        return lines, [], True
    notes: list[str] = []
    parent = _single_table_parent(model, plan)
    if parent is not None:
        note = (
            f"single-table inheritance from {parent.name}: a proxy model, with a Manager filtering "
            "on the polymorphic identity"
        )
        return ["proxy = True"], [note], False
    lines = [f"db_table = {_lit(plan.table_of(model))}"]
    if model.table_name is None:
        notes.append(f"db_table {plan.table_of(model)!r}: Flask-SQLAlchemy's name derived from the class name")
    meta = _table_meta(model, plan)
    lines += meta.options
    lines += _list_option("constraints", meta.constraints)
    lines += _list_option("indexes", meta.indexes)
    return lines, notes + meta.notes, meta.exact


def _list_option(name: str, items: list[str]) -> list[str]:
    if not items:
        return []
    return [f"{name} = [", *(f"    {item}," for item in items), "]"]


def _model_notes(model: ModelSpec, plan: _Plan) -> tuple[list[str], bool]:
    notes: list[str] = []
    exact = True
    for name in model.hybrid_properties:
        notes.append(
            f"hybrid property {name}: a plain @property on the instance; in queries annotate() with F() "
            "expressions (or a GeneratedField)"
        )
        exact = False
    for name, source in model.column_properties.items():
        notes.append(f"column_property {name} ({source}): annotate() in a custom Manager/QuerySet, or a @property")
        exact = False
    args = model.mapper_args
    if args is not None:
        text = code_of(args)
        if "polymorphic_on" in text or "polymorphic_identity" in text:
            notes.append(
                f"__mapper_args__ {text}: polymorphic inheritance; choose multi-table inheritance, "
                "proxy models with a filtering Manager, or django-polymorphic"
            )
        else:
            notes.append(f"__mapper_args__ {text}: no Django equivalent")
        exact = False
    parent = plan.concrete_parent(model)
    if parent is not None and _single_table_parent(model, plan) is None:
        notes.append(f"joined-table inheritance from {parent.name}: Django multi-table inheritance")
    return notes, exact


def _class_code(name: str, bases: list[str], field_lines: list[str], meta: list[str]) -> str:
    lines = [f"class {name}({', '.join(bases)}):"]
    lines += [f"    {line}" for line in field_lines]
    if meta:
        if field_lines:
            lines.append("")
        lines.append("    class Meta:")
        lines += [f"        {line}" for line in meta]
    if len(lines) == 1:
        lines.append("    pass")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Module


def django_models_module(schema: OrmSchema) -> str:
    """A complete ``models.py``: imports, choices classes, abstract bases, models, through models."""
    plan = _plan_for(schema)
    ordered = _model_order(plan)
    codes = [_model(model, plan) for model in ordered]
    imports = _import_block([i for c in codes for i in c.imports], plan)
    definitions = _unique(d for c in codes for d in c.definitions)
    header = '"""Django models translated by fwlint from the project\'s SQLAlchemy models."""'
    blocks = [imports, *definitions, *(c.code for c in codes)]
    return header + "\n\n" + "\n\n\n".join(blocks) + "\n"


def _model_order(plan: _Plan) -> list[ModelSpec]:
    """Every model after the project bases it inherits from; through models last."""
    ordered: list[ModelSpec] = []
    seen: set[str] = set()

    def visit(model: ModelSpec) -> None:
        if model.name in seen:
            return
        seen.add(model.name)
        for base in _django_bases(model, plan):
            spec = plan.model_named(base)
            if spec is not None:
                visit(spec)
        ordered.append(model)

    for model in sorted(plan.schema.models, key=lambda m: not m.abstract):
        visit(model)
    for model in plan.through_models:
        visit(model)
    return ordered


def _import_block(lines: list[str], plan: _Plan) -> str:
    """Standard library first, then Django, then the project's own modules."""
    wanted = _unique([MODELS_IMPORT, *lines])

    def group(line: str) -> int:
        module = line.split()[1]
        if module.startswith("django"):
            return 1
        return 2 if plan.is_project(module) else 0

    ordered = sorted(wanted, key=lambda line: (group(line), line.startswith("from "), line))
    blocks: list[str] = []
    for number in (0, 1, 2):
        chunk = [line for line in ordered if group(line) == number]
        if chunk:
            blocks.append("\n".join(chunk))
    return "\n\n".join(blocks)
