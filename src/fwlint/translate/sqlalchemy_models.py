"""Django models (:mod:`fwlint.link.django_models`) → SQLAlchemy 2.0 declarative models.

The models keep Django's *database*: the same table, column, join-table and index
names, the same nullability, keys and uniqueness, so a Flask application can run on
the database Django created and migrated.  Each relation field becomes its FK column
plus a ``relationship()``; the reverse accessors Django adds (``related_name``,
``<model>_set``) become ``relationship()``s on the target, named the same, so code
that walks relations reads the same after the port.

What the translation cannot keep the same is said in a short note, and marks the
result as not exact:

* ``on_delete`` is Django ORM behaviour (``django/db/models/deletion.py``), not a
  database rule: the FOREIGN KEY Django creates has no ON DELETE clause ("on_delete
  doesn't create an SQL constraint in the database", Django's ``ForeignKey.on_delete``
  documentation).  The reverse ``relationship()``'s ``cascade``/``passive_deletes``
  reproduce it on the existing tables; ``ondelete=`` states it for tables created
  from this metadata (``create_all``, Alembic).
* Django's FOREIGN KEYs are ``DEFERRABLE INITIALLY DEFERRED`` on PostgreSQL and SQLite;
  SQLAlchemy orders its INSERTs by dependency instead.
* ``Meta.ordering``, managers, ``save()``/``clean()`` overrides, validators and
  ``blank`` are Python-side Django features with no mapping equivalent.

Index names follow Django's schema editor (``_create_index_name``) through the
metadata's naming convention; PostgreSQL's extra ``*_like`` indexes for text
columns are Django's own and are not declared.

SQLAlchemy references: https://docs.sqlalchemy.org/en/20/orm/declarative_tables.html,
https://docs.sqlalchemy.org/en/20/orm/basic_relationships.html,
https://docs.sqlalchemy.org/en/20/orm/inheritance.html
"""

from __future__ import annotations

import ast
import hashlib
import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeGuard

from fwlint.facts import CallValue, Opaque, Ref, Value
from fwlint.link.django_models import (
    POSTGRESQL_MAX_NAME_LENGTH,
    DjangoField,
    DjangoModel,
    DjangoSchema,
    django_index_name,
    reverse_accessor,
    truncate_name,
)
from fwlint.translate.data_layer import SiteTranslation
from fwlint.translate.values import code_of

__all__ = ["ModelsTranslation", "translate_schema"]

# Attribute names the declarative API reserves on mapped classes.
RESERVED_ATTRIBUTES = frozenset({"metadata", "registry"})
# Names the generated module binds at module level; an attribute with one of these names would hide
# it from the annotations SQLAlchemy evaluates in the class body.
MODULE_NAMES = frozenset({"datetime", "decimal", "enum", "uuid", "hashlib", "Any", "Optional", "Mapped", "Base"})
HELPER_NAMES = ("DjangoDuration", "utc_now", "enum_values", "django_index_name", "DJANGO_MAX_NAME_LENGTH")
STRING_FIELDS = frozenset(
    {
        "CharField", "SlugField", "EmailField", "URLField", "GenericIPAddressField", "IPAddressField",
        "FilePathField", "FileField", "ImageField", "CommaSeparatedIntegerField", "CICharField", "CIEmailField",
    }
)  # fmt: skip
# Django field class -> (SQLAlchemy type, Python type of the mapped attribute).
SIMPLE_TYPES = {
    "AutoField": ("Integer", "int"),
    "BigAutoField": ('BigInteger().with_variant(Integer, "sqlite")', "int"),
    "SmallAutoField": ('SmallInteger().with_variant(Integer, "sqlite")', "int"),
    "IntegerField": ("Integer", "int"),
    "BigIntegerField": ("BigInteger", "int"),
    "SmallIntegerField": ("SmallInteger", "int"),
    "PositiveIntegerField": ("Integer", "int"),
    "PositiveBigIntegerField": ("BigInteger", "int"),
    "PositiveSmallIntegerField": ("SmallInteger", "int"),
    "BooleanField": ("Boolean", "bool"),
    "NullBooleanField": ("Boolean", "bool"),
    "FloatField": ("Float", "float"),
    "DateField": ("Date", "datetime.date"),
    "DateTimeField": ("DateTime(timezone=True)", "datetime.datetime"),
    "TimeField": ("Time", "datetime.time"),
    "UUIDField": ("Uuid", "uuid.UUID"),
    "JSONField": ("JSON", "Any"),
    "BinaryField": ("LargeBinary", "bytes"),
    "TextField": ("Text", "str"),
    "CITextField": ("Text", "str"),
    "DurationField": ('Interval().with_variant(DjangoDuration(), "sqlite", "mysql", "mariadb")', "datetime.timedelta"),
    "HStoreField": ("HSTORE", "dict[str, Any]"),
    "IntegerRangeField": ("INT4RANGE", "Any"),
    "BigIntegerRangeField": ("INT8RANGE", "Any"),
    "DecimalRangeField": ("NUMRANGE", "Any"),
    "DateRangeField": ("DATERANGE", "Any"),
    "DateTimeRangeField": ("TSTZRANGE", "Any"),
}
POSTGRESQL_TYPES = frozenset({"HSTORE", "INT4RANGE", "INT8RANGE", "NUMRANGE", "DATERANGE", "TSTZRANGE"})
# Fields whose ``empty_strings_allowed`` is True: Django stores "" when a NOT NULL one is given no value.
EMPTY_STRING_FIELDS = (STRING_FIELDS - {"GenericIPAddressField", "IPAddressField"}) | {"TextField", "CITextField"}
AUTO_FIELDS = frozenset({"AutoField", "BigAutoField", "SmallAutoField"})
POSITIVE_FIELDS = frozenset({"PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField"})
FORM_VALIDATED = {
    "EmailField": "wtforms.validators.Email()",
    "URLField": "wtforms.validators.URL()",
    "SlugField": r'wtforms.validators.Regexp(r"^[-a-zA-Z0-9_]+\Z")',
    "GenericIPAddressField": "wtforms.validators.IPAddress()",
    "IPAddressField": "wtforms.validators.IPAddress()",
}
# Python callables a default may name that the generated module can use as they are.
STDLIB_DEFAULTS = {
    "uuid.uuid4": "uuid.uuid4",
    "uuid.uuid1": "uuid.uuid1",
    "datetime.date.today": "datetime.date.today",
    "datetime.datetime.now": "datetime.datetime.now",
    "datetime.datetime.utcnow": "datetime.datetime.utcnow",
    "django.utils.timezone.now": "utc_now",
}
SAFE_BUILTINS = frozenset({"dict", "list", "set", "tuple", "str", "int", "float", "bool", "bytes", "frozenset"})
SQL_WORDS = frozenset(
    {"order", "group", "select", "from", "where", "user", "table", "check", "default", "key", "index", "limit"}
)  # fmt: skip
ENUM_VALUES = '''\
def enum_values(members: Any) -> list[Any]:
    """Store an enum by its value, as Django does (SQLAlchemy stores the member's name by default)."""
    return [member.value for member in members]'''
UTC_NOW = '''\
def utc_now() -> datetime.datetime:
    """What ``django.utils.timezone.now()`` returns with ``USE_TZ = True``."""
    return datetime.datetime.now(datetime.timezone.utc)'''
DURATION_TYPE = '''\
class DjangoDuration(TypeDecorator[datetime.timedelta]):
    """A DurationField on a database without an interval type: Django stores microseconds in a BIGINT."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: datetime.timedelta | None, dialect: Any) -> int | None:
        return None if value is None else value // datetime.timedelta(microseconds=1)

    def process_result_value(self, value: int | None, dialect: Any) -> datetime.timedelta | None:
        return None if value is None else datetime.timedelta(microseconds=value)'''


def _index_naming(max_name_length: int | None) -> str:
    """The module's index naming helper, for the backend's identifier limit."""
    limit = "None" if max_name_length is None else str(max_name_length)
    return f'''\
# The database's identifier limit as Django's backend reports it (max_name_length()): 63 on PostgreSQL,
# 64 on MySQL, 30 on Oracle, None on SQLite (Django then uses 200).
DJANGO_MAX_NAME_LENGTH: int | None = {limit}


def django_index_name(constraint: Any, table: Any) -> str:
    """The name Django's schema editor gives the index of a ``db_index=True`` field or a ForeignKey
    (``BaseDatabaseSchemaEditor._create_index_name``), so both agree on the existing database."""
    columns = [column.name for column in constraint.columns]
    hash_suffix = hashlib.md5("".join([table.name, *columns]).encode(), usedforsecurity=False).hexdigest()[:8]
    limit = DJANGO_MAX_NAME_LENGTH or 200
    name = f"{{table.name}}_{{'_'.join(columns)}}_{{hash_suffix}}"
    if len(name) <= limit:
        return name
    other = (limit - len(hash_suffix)) // 2 - 1
    name = f"{{table.name[:other]}}_{{'_'.join(columns)[:other]}}_{{hash_suffix}}"
    return "D" + name[:-1] if name[0] == "_" or name[0].isdigit() else name'''


BASE_CLASS = """\
class Base(DeclarativeBase):
    metadata = MetaData(naming_convention={"django_index": django_index_name, "ix": "%(django_index)s"})"""


# ---------------------------------------------------------------------------
# Results


@dataclass
class ModelsTranslation:
    """The SQLAlchemy side of a Django schema: per model, per field, per declaration site, and whole."""

    schema: DjangoSchema
    model_code: dict[str, SiteTranslation] = field(default_factory=dict)
    field_code: dict[tuple[str, str], SiteTranslation] = field(default_factory=dict)
    module: str = ""
    model_sites: dict[tuple[str, int], str] = field(default_factory=dict)
    field_sites: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)

    def model_at(self, file: str, line: int) -> SiteTranslation | None:
        """The translation of the model class declared at ``file:line``."""
        qualname = self.model_sites.get((file, line))
        return self.model_code.get(qualname) if qualname is not None else None

    def field_at(self, file: str, line: int) -> SiteTranslation | None:
        """The translation of the field declared at ``file:line`` (in a model or an abstract base)."""
        key = self.field_sites.get((file, line))
        return self.field_code.get(key) if key is not None else None

    def module_code(self) -> str:
        """One importable module: imports, ``Base``, enums, join tables and every class in a valid order."""
        return self.module


# ---------------------------------------------------------------------------
# Building blocks


@dataclass
class _Imports:
    sqlalchemy: set[str] = field(default_factory=set)
    orm: set[str] = field(default_factory=lambda: {"DeclarativeBase", "Mapped", "mapped_column"})
    postgresql: set[str] = field(default_factory=set)
    modules: set[str] = field(default_factory=lambda: {"hashlib"})
    typing: set[str] = field(default_factory=lambda: {"Any"})
    helpers: set[str] = field(default_factory=set)  # utc_now | DjangoDuration

    def use(self, code: str) -> None:
        """Record the names a piece of generated code uses."""
        for name in set(re.findall(r"(?<![.\w])([A-Za-z_]\w*)", _strip_strings(code))):
            if name in SQLALCHEMY_NAMES:
                self.sqlalchemy.add(name)
            elif name in ORM_NAMES:
                self.orm.add(name)
            elif name in POSTGRESQL_TYPES or name == "ARRAY":
                self.postgresql.add(name)
            elif name in ("datetime", "decimal", "uuid", "enum"):
                self.modules.add(name)
            elif name in ("Optional", "Any"):
                self.typing.add(name)
            elif name in ("utc_now", "DjangoDuration", "enum_values"):
                self.helpers.add(name)
                self.modules.add("datetime")
                if name == "DjangoDuration":
                    self.sqlalchemy.update({"TypeDecorator", "BigInteger"})


SQLALCHEMY_NAMES = frozenset(
    {
        "BigInteger", "Boolean", "CheckConstraint", "Column", "Date", "DateTime", "Float", "ForeignKey",
        "Index", "Integer", "Interval", "JSON", "LargeBinary", "MetaData", "Numeric", "SmallInteger", "String",
        "Table", "Text", "Time", "TypeDecorator", "UniqueConstraint", "Uuid", "func", "text", "Enum", "FetchedValue",
    }
)  # fmt: skip
ORM_NAMES = frozenset({"DeclarativeBase", "Mapped", "mapped_column", "relationship"})
# Every name the module may import: a class of the same name would shadow it.
IMPORTED_NAMES = SQLALCHEMY_NAMES | ORM_NAMES | POSTGRESQL_TYPES | {"ARRAY", "Any", "Optional"}


def _strip_strings(code: str) -> str:
    """Code without string literals and comments, so names inside them are not taken for imports."""
    code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', code)
    code = re.sub(r"'(?:[^'\\]|\\.)*'", "''", code)
    return re.sub(r"#[^\n]*", "", code)


@dataclass
class _FieldOut:
    """What one Django field becomes."""

    lines: list[str] = field(default_factory=list)  # class-body lines
    notes: list[str] = field(default_factory=list)
    exact: bool = True
    tables: list[str] = field(default_factory=list)  # module-level join tables it needs

    def inexact(self, note: str) -> None:
        self.notes.append(note)
        self.exact = False


def _tail(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def _lit(value: str | int | float | bool | None) -> str:
    return code_of(value)


def _identifier(name: str) -> str:
    cleaned = re.sub(r"\W", "_", name)
    if not cleaned or cleaned[0].isdigit() or keyword.iskeyword(cleaned):
        cleaned = "t_" + cleaned
    return cleaned


def _camel(label: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", label) if part)


def _sql_name(column: str) -> str:
    """A column name in hand-written SQL (constraints, index conditions): quoted when it must be."""
    if re.fullmatch(r"[a-z_][a-z0-9_]*", column) and column not in SQL_WORDS:
        return column
    return '"' + column.replace('"', '""') + '"'


def _sql_literal(value: Value) -> str | None:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return None


# ---------------------------------------------------------------------------
# The plan: names and facts every model's translation needs


class _Plan:
    def __init__(self, schema: DjangoSchema, max_name_length: int | None) -> None:
        self.schema = schema
        self.max_name_length = max_name_length
        self.models = {m.qualname: m for m in schema.all_models()}
        self.class_names = self._class_names()
        self.enums = self._enums()
        self.imports = _Imports()
        self.accessors = self._accessors()
        # The first model mapping each table; others on it (``managed=False`` twins) extend that table.
        self.table_owners: dict[str, str] = {}
        for model in schema.all_models():
            if model.concrete:
                self.table_owners.setdefault(self.table(model), model.qualname)

    def _accessors(self) -> dict[tuple[str, str], tuple[str, str]]:
        """(target, reverse accessor) -> (model, field) that owns it.  Two relations claiming one name on
        the same target (Django's fields.E304/E302: never both installed) keep the first."""
        owners: dict[tuple[str, str], tuple[str, str]] = {}
        for model in self.schema.all_models():
            if not model.concrete:
                continue
            for spec in model.fields:
                target = self.model(spec.target)
                accessor = reverse_accessor(spec, model) if self.mapped_relation(spec, model) else None
                if target is None or accessor is None or target.field_named(accessor) is not None:
                    continue
                owners.setdefault((target.qualname, accessor), (model.qualname, spec.name))
        return owners

    def accessor(self, spec: DjangoField, model: DjangoModel) -> str | None:
        """The reverse accessor a relation field gets on its target, or None when hidden or taken."""
        accessor = reverse_accessor(spec, model)
        if accessor is None or spec.target is None:
            return None
        return accessor if self.accessors.get((spec.target, accessor)) == (model.qualname, spec.name) else None

    def _class_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        taken = set(MODULE_NAMES) | set(HELPER_NAMES) | IMPORTED_NAMES
        for model in self.schema.all_models():
            name = model.name if model.name not in taken else _camel(model.app_label) + model.name
            while name in taken:
                name += "Model"
            names[model.qualname] = name
            taken.add(name)
        return names

    def _enums(self) -> dict[str, str]:
        """Python enums for the choices classes of fields (qualname -> class name in the module)."""
        enums: dict[str, str] = {}
        taken = set(self.class_names.values()) | set(MODULE_NAMES) | set(HELPER_NAMES) | IMPORTED_NAMES
        for model in self.schema.all_models():
            for spec in model.fields:
                choices = spec.choices
                if choices is None or choices.enum_class is None or choices.enum_class in enums:
                    continue
                name = _tail(choices.enum_class)
                if name in taken:
                    name = model.name + name
                while name in taken:
                    name += "Choice"
                enums[choices.enum_class] = name
                taken.add(name)
        return enums

    def cls(self, qualname: str | None) -> str | None:
        return self.class_names.get(qualname or "")

    def model(self, qualname: str | None) -> DjangoModel | None:
        return self.models.get(qualname or "")

    def concrete(self, model: DjangoModel) -> DjangoModel:
        """The model whose table a model uses (itself, or a proxy's concrete model)."""
        if model.proxy and model.proxy_for in self.models:
            return self.concrete(self.models[model.proxy_for])
        return model

    def attribute(self, spec: DjangoField) -> str:
        """The mapped attribute of a field's column: Django's ``attname`` (``author_id`` for FKs)."""
        name = f"{spec.name}_id" if spec.kind in ("fk", "o2o") else spec.name
        return name + "_" if name in RESERVED_ATTRIBUTES or name in MODULE_NAMES else name

    def pk(self, model: DjangoModel) -> DjangoField | None:
        model = self.concrete(model)
        found = model.pk
        if found is None and model.parent in self.models:
            return self.pk(self.models[model.parent])
        return found

    def table(self, model: DjangoModel) -> str:
        """A model's table as the database has it: Django truncates the names it makes (not ``db_table``)
        to the backend's identifier limit (``Options.contribute_to_class``)."""
        model = self.concrete(model)
        if model.meta.db_table or model.builtin:
            return model.table_name
        return truncate_name(model.table_name, self.max_name_length)

    def join_table(self, spec: DjangoField, model: DjangoModel) -> str | None:
        """The table of a many-to-many field (``ManyToManyField._get_m2m_db_table``)."""
        through = self.model(spec.through)
        if through is not None:
            return self.table(through)
        if spec.m2m_table is None or "db_table" in spec.options:
            return spec.m2m_table
        return truncate_name(f"{self.table(model)}_{spec.name}", self.max_name_length)

    def index_name(self, table: str, columns: list[str], suffix: str) -> str:
        return django_index_name(table, columns, suffix, self.max_name_length)

    def pk_column(self, model: DjangoModel) -> tuple[str, str, DjangoField] | None:
        """(table, column, field) of a model's primary key (a proxy's is its concrete model's)."""
        model = self.concrete(model)
        if model.pk is not None and model.pk.column is not None:
            return self.table(model), model.pk.column, model.pk
        parent = self.models.get(model.parent or "")
        return self.pk_column(parent) if parent is not None else None

    def target_column(self, spec: DjangoField) -> tuple[str, str, DjangoField | None] | None:
        """(table, column, field) an FK points at: ``to_field`` or the target's primary key."""
        target = self.model(spec.target)
        if target is None or not self.mappable(target):
            return None
        target = self.concrete(target)
        if spec.to_field:
            found = target.field_named(spec.to_field)
            if found is not None and found.column:
                return self.table(target), found.column, found
        return self.pk_column(target)

    def python_type(self, spec: DjangoField | None, depth: int = 0) -> str:
        """The Python type of a field's column (an FK's is its target column's)."""
        if spec is None or depth > 8:
            return "int"
        if spec.kind in ("fk", "o2o"):
            target = self.target_column(spec)
            return self.python_type(target[2], depth + 1) if target is not None else "int"
        tail = _tail(spec.field_class)
        if tail in STRING_FIELDS:
            return "str"
        if tail == "DecimalField":
            return "decimal.Decimal"
        if tail == "ArrayField":
            return f"list[{self.python_type(spec.base_field, depth + 1)}]"
        if tail == "GeneratedField":
            return self.python_type(spec.base_field, depth + 1) if spec.base_field is not None else "Any"
        return SIMPLE_TYPES.get(tail, ("", "Any"))[1]

    def fk_count(self, model: DjangoModel, target: DjangoModel) -> int:
        """FK columns between the tables two mapped classes select from, either way (a multi-table child
        selects from its parents' tables too): SQLAlchemy needs ``foreign_keys`` when there is more than one."""
        count = self._fks_to(model, target)
        if self.chain(model) == self.chain(target):
            return count
        return count + self._fks_to(target, model)

    def chain(self, model: DjangoModel) -> list[DjangoModel]:
        """A model and its multi-table parents (the tables its mapped class joins)."""
        found = [self.concrete(model)]
        for parent in found[0].parents:
            if parent in self.models:
                found.extend(self.chain(self.models[parent]))
        return found

    def _fks_to(self, model: DjangoModel, target: DjangoModel) -> int:
        tables = {self.table(m) for m in self.chain(target)}
        fields = [f for m in self.chain(model) for f in m.fields if f.kind in ("fk", "o2o")]
        return sum(1 for f in fields if (found := self.target_column(f)) is not None and found[0] in tables)

    def through(self, spec: DjangoField, model: DjangoModel) -> str | None:
        """The model whose table a many-to-many uses: ``through=``, or a model mapping the join table
        Django would create (an unmanaged model with that ``db_table``)."""
        if spec.through is not None:
            return spec.through
        join_table = self.join_table(spec, model)
        owner = self.table_owners.get(join_table or "")
        return owner if owner is not None and owner != model.qualname else None

    def shares_table(self, model: DjangoModel) -> bool:
        """A second class on a table an earlier model maps: its relations are read-only, not to overlap."""
        owner = self.table_owners.get(self.table(model)) if model.concrete else None
        return owner is not None and owner != model.qualname

    def mapped_relation(self, spec: DjangoField, model: DjangoModel) -> bool:
        """Whether a relation field becomes a ``relationship()`` (its target and join columns are known)."""
        if spec.kind in ("fk", "o2o"):
            return self.target_column(spec) is not None
        if spec.kind == "m2m":
            target = self.model(spec.target)
            return (
                target is not None
                and self.mappable(target)
                and self.join_table(spec, model) is not None
                and spec.m2m_columns is not None
            )
        return False

    def mappable(self, model: DjangoModel) -> bool:
        """Whether the model gets a mapped class: a proxy needs the concrete model it stands for."""
        if model.proxy:
            concrete = self.models.get(model.proxy_for or "")
            return concrete is not None and self.mappable(concrete)
        return not model.abstract


# ---------------------------------------------------------------------------
# Column types


@dataclass
class _Type:
    code: str | None  # None: no SQLAlchemy type (FK columns take their target's)
    python: str
    notes: list[str] = field(default_factory=list)
    exact: bool = True
    enum: str | None = None  # the Python enum mapped through ``Enum(...)``


def _column_type(spec: DjangoField, plan: _Plan) -> _Type:
    tail = _tail(spec.field_class)
    python = plan.python_type(spec)
    if tail in STRING_FIELDS:
        code = f"String({spec.max_length})" if spec.max_length else "String()"
        result = _Type(code, "str")
        if tail in FORM_VALIDATED:
            result.notes.append(
                f"{tail} is a plain string column: its validation moves to the form ({FORM_VALIDATED[tail]})"
            )
        if tail == "GenericIPAddressField":
            result.notes.append(
                "Django normalises IPv6 addresses (clean_ipv6_address) and stores an empty value as NULL when "
                "saving: do the same before assigning"
            )
            result.exact = False
        if tail in ("FileField", "ImageField"):
            result.notes.append(
                f"{tail} stores the file's path (at most {spec.max_length} characters): storage, upload_to= and "
                "file handling are yours (werkzeug's FileStorage.save() and a configured upload folder)"
            )
            result.exact = tail == "FileField"
        if tail.startswith("CI"):
            result.notes.append("case-insensitive citext on PostgreSQL: use CITEXT (sqlalchemy-citext) or lower()")
            result.exact = False
        return result
    if tail == "DecimalField":
        digits, places = spec.max_digits, spec.decimal_places
        return _Type(f"Numeric({digits}, {places})" if digits is not None else "Numeric()", "decimal.Decimal")
    if tail == "ArrayField":
        element, dimensions = spec.base_field, 1
        while element is not None and _tail(element.field_class) == "ArrayField":  # ARRAY takes no ARRAY
            element, dimensions = element.base_field, dimensions + 1
        inner = _column_type(element, plan) if element is not None else _Type("String()", "str")
        size = spec.options.get("size")
        note = "ArrayField: PostgreSQL only"
        if isinstance(size, int):
            note += f" (size={size} is not enforced by the database)"
        code = f"ARRAY({inner.code}, dimensions={dimensions})" if dimensions > 1 else f"ARRAY({inner.code})"
        return _Type(code, python, [note, *inner.notes], inner.exact)
    if tail == "GeneratedField" and spec.base_field is not None:
        inner = _column_type(spec.base_field, plan)
        expression = spec.options.get("expression")
        note = (
            f"GeneratedField: the database computes it ({code_of(expression) if expression is not None else '?'}); "
            "FetchedValue() keeps it out of INSERTs and reloads it; for new tables write Computed(<SQL>)"
        )
        return _Type(inner.code, inner.python, [note, *inner.notes], False)
    if tail in SIMPLE_TYPES:
        result = _Type(SIMPLE_TYPES[tail][0], python)
        if SIMPLE_TYPES[tail][0] in POSTGRESQL_TYPES:
            result.notes.append(f"{tail}: PostgreSQL only")
        if tail == "DateTimeField":
            result.notes.append(
                "with USE_TZ Django stores UTC; on SQLite and MySQL SQLAlchemy returns naive UTC values and stores "
                "an aware value's wall time: convert to UTC before writing"
            )
        if tail == "DurationField":
            result.notes.append(
                "DurationField: a native INTERVAL on PostgreSQL and Oracle, a BIGINT of microseconds elsewhere "
                "(DjangoDuration reads Django's values)"
            )
        if tail == "JSONField" and ("encoder" in spec.options or "decoder" in spec.options):
            result.notes.append("JSONField encoder/decoder: pass json_serializer/json_deserializer to create_engine()")
            result.exact = False
        return result
    return _Type("String()", "Any", [f"{spec.field_class}: no known column type"], False)


def _choices(spec: DjangoField, base: _Type, plan: _Plan) -> _Type:
    """TextChoices become a Python enum mapped by value; other choices keep the column with a note."""
    choices = spec.choices
    if choices is None:
        return base
    tail = _tail(spec.field_class)
    enum = plan.enums.get(choices.enum_class or "")
    if enum is not None and not choices.integer and tail in STRING_FIELDS and choices.complete:
        length = f", length={spec.max_length}" if spec.max_length else ""
        code = f"Enum({enum}, native_enum=False{length}, validate_strings=True, values_callable=enum_values)"
        note = (
            f"choices={choices.source}: mapped to the enum {enum} by stored value (enum_values; VARCHAR, no "
            "CHECK, like Django); loading a value outside the enum raises LookupError, Django would accept it"
        )
        return _Type(code, enum, [*base.notes, note], base.exact, enum)
    values = ", ".join(code_of(v) for v, _ in choices.values[:12]) + (", …" if len(choices.values) > 12 else "")
    where = f"the enum {enum}" if enum is not None else f"[{values}]"
    base.notes.append(
        f"choices={choices.source}: Django checks the values ({where}) in full_clean() and forms only; "
        "validate them in the form (AnyOf / SelectField choices)"
    )
    if not choices.complete:
        base.exact = False
    return base


# ---------------------------------------------------------------------------
# Defaults


def _python_default(value: Value, plan: _Plan, enum: str | None) -> str | None:
    """A Django ``default=`` as a SQLAlchemy ``default=`` expression, or None when it is project code."""
    if value is None or isinstance(value, (bool, int, float, str)):
        if enum is not None and isinstance(value, str):
            member = _enum_member(plan, enum, value)
            if member is not None:
                return member
        return _lit(value)
    if isinstance(value, Ref):
        if value.path in STDLIB_DEFAULTS:
            return STDLIB_DEFAULTS[value.path]
        owner, _, member = value.path.rpartition(".")
        enum_name = plan.enums.get(owner)
        if enum_name is not None:
            return f"{enum_name}.{member}"
        return None
    if isinstance(value, Opaque):
        code = value.code
        if code in SAFE_BUILTINS:
            return code
        if code.startswith("lambda") and _safe_lambda(code):
            return code
        return None
    if isinstance(value, CallValue):
        if value.callee in ("decimal.Decimal", "datetime.date", "datetime.datetime", "datetime.time", "uuid.UUID"):
            arguments = [_python_default(a, plan, None) for a in value.args]
            if all(a is not None for a in arguments) and not value.kwargs:
                return f"{value.callee}({', '.join(a for a in arguments if a is not None)})"
        if value.callee in ("datetime.timedelta",) and not value.args:
            parts = [(k, _python_default(v, plan, None)) for k, v in value.kwargs]
            if all(p is not None for _, p in parts):
                return "datetime.timedelta(" + ", ".join(f"{k}={p}" for k, p in parts) + ")"
        if value.callee in SAFE_BUILTINS and not value.args and not value.kwargs:
            return value.callee
        return None
    if isinstance(value, (list, dict, tuple)):
        # A mutable literal: Django warns (fields.E010) and shares it between instances; a factory is safer.
        return f"lambda: {code_of(value)}"
    return None


def _enum_member(plan: _Plan, enum: str, stored: Value) -> str | None:
    for qualname, name in plan.enums.items():
        if name != enum:
            continue
        for model in plan.schema.all_models():
            for spec in model.fields:
                if spec.choices is not None and spec.choices.enum_class == qualname:
                    for member, value in spec.choices.members.items():
                        if value == stored:
                            return f"{enum}.{member}"
    return None


def _safe_lambda(code: str) -> bool:
    """A lambda that only uses builtins and the modules the generated file imports."""
    try:
        tree = ast.parse(code, mode="eval")
    except SyntaxError:
        return False
    allowed = SAFE_BUILTINS | {"datetime", "decimal", "uuid", "None", "True", "False", "len", "range"}
    params = {a.arg for node in ast.walk(tree) if isinstance(node, ast.Lambda) for a in node.args.args}
    return all(n.id in allowed or n.id in params for n in ast.walk(tree) if isinstance(n, ast.Name))


def _defaults(spec: DjangoField, column_type: _Type, plan: _Plan, out: _FieldOut) -> list[str]:
    """``default=`` / ``onupdate=`` / ``server_default=`` keyword arguments."""
    kwargs: list[str] = []
    if spec.auto_now or spec.auto_now_add:
        kwargs.append("default=func.now()")
        if spec.auto_now:
            kwargs.append("onupdate=func.now()")
        which = "auto_now" if spec.auto_now else "auto_now_add"
        out.notes.append(
            f"{which}=True: Django sets it in Python (pre_save, on save() only); func.now() is the database's "
            "clock (MySQL's is the session time zone, not UTC)"
            + (
                "; onupdate also fires for bulk update() statements, Django's QuerySet.update() does not"
                if spec.auto_now
                else ""
            )
        )
    elif spec.has_default:
        default = _python_default(spec.default, plan, column_type.enum)
        if default is not None:
            if not (spec.default is None and spec.null):
                kwargs.append(f"default={default}")
            if isinstance(spec.default, (list, dict, tuple)):
                out.notes.append("a mutable default: written as a factory (lambda) so rows do not share one object")
        else:
            out.inexact(
                f"default={code_of(spec.default)} is code this module cannot import: port it and pass it as "
                "default= (a callable taking no argument, as in Django)"
            )
    elif not spec.null and not spec.has_db_default and not spec.primary_key:
        # Field._get_default: a field that allows empty strings defaults to "" (BinaryField to b"").
        tail = _tail(spec.field_class)
        if tail == "BinaryField":
            kwargs.append('default=b""')
        elif tail in EMPTY_STRING_FIELDS:
            kwargs.append('default=""')
    if spec.has_db_default:
        server = _server_default(spec.db_default)
        if server is not None:
            kwargs.append(f"server_default={server}")
        else:
            out.inexact(f"db_default={code_of(spec.db_default)}: write it as server_default=text(<SQL>)")
    return kwargs


def _server_default(value: Value) -> str | None:
    if isinstance(value, str):
        return _lit(value)
    if isinstance(value, bool):
        return f'text("{"TRUE" if value else "FALSE"}")'
    if isinstance(value, (int, float)):
        return f'text("{value!r}")'
    if isinstance(value, CallValue) and value.callee == "django.db.models.functions.Now":
        return "func.now()"
    if isinstance(value, CallValue) and value.callee == "django.db.models.Value" and value.args:
        return _server_default(value.args[0])
    return None


# ---------------------------------------------------------------------------
# Fields


# Columns of Django's user classes whose meaning lives in Django's code.
DJANGO_COLUMN_NOTES = {
    ("django.contrib.auth.models.AbstractBaseUser", "password"): (
        "password holds Django's hash (`<algorithm>$<iterations>$<salt>$<hash>`, PASSWORD_HASHERS): verify it "
        "with passlib's django_pbkdf2_sha256 (or rehash at the next login); werkzeug cannot read it as is"
    ),
    ("django.contrib.auth.models.AbstractBaseUser", "last_login"): (
        "last_login: Django's user_logged_in signal sets it; set it in the login view"
    ),
    ("django.contrib.auth.models.AbstractUser", "is_active"): (
        "is_active: Flask-Login's UserMixin.is_active is a property: this column replaces it"
    ),
}


def _common_notes(spec: DjangoField, out: _FieldOut) -> None:
    note = DJANGO_COLUMN_NOTES.get((spec.inherited_from or "", spec.name))
    if note is not None:
        out.inexact(note)
    if spec.blank and not (spec.auto_now or spec.auto_now_add or spec.primary_key) and spec.kind != "m2m":
        out.notes.append("blank=True is form validation only (no database meaning): make the form field optional")
    if not spec.editable and not (spec.auto_now or spec.auto_now_add or spec.implicit):
        out.notes.append("editable=False: leave it out of forms")
    if spec.validators:
        out.inexact(
            f"validators [{', '.join(spec.validators)}]: Django runs them in full_clean() and forms only; "
            "move them to the form or a @validates method"
        )
    for option in ("unique_for_date", "unique_for_month", "unique_for_year"):
        if option in spec.options:
            out.inexact(f"{option}: Django checks it in full_clean() only: check it in the form")
    if "db_tablespace" in spec.options:
        out.notes.append("db_tablespace: set it with the dialect's table/index options if it matters")
    if spec.declared_class is not None and spec.kind != "unknown":
        out.inexact(
            f"custom field class {_tail(spec.declared_class)} (a {_tail(spec.field_class)}): port what it changes "
            "(db_type, from_db_value, get_prep_value) as a TypeDecorator"
        )


def _column_kwargs(spec: DjangoField, *, index_default: bool) -> list[str]:
    kwargs: list[str] = []
    if spec.primary_key:
        kwargs.append("primary_key=True")
    elif spec.unique:
        kwargs.append("unique=True")
    elif spec.db_index and index_default:
        kwargs.append("index=True")
    return kwargs


def _described(spec: DjangoField) -> list[str]:
    kwargs: list[str] = []
    if isinstance(spec.db_comment, str):
        kwargs.append(f"comment={_lit(spec.db_comment)}")
    if isinstance(spec.help_text, str) and spec.help_text:
        kwargs.append(f"doc={_lit(spec.help_text)}")
    return kwargs


def _annotation(python: str, nullable: bool) -> str:
    return f"Mapped[Optional[{python}]]" if nullable else f"Mapped[{python}]"


def _column_field(spec: DjangoField, model: DjangoModel, plan: _Plan) -> _FieldOut:
    out = _FieldOut()
    tail = _tail(spec.field_class)
    column_type = _choices(spec, _column_type(spec, plan), plan)
    out.notes.extend(column_type.notes)
    out.exact = column_type.exact
    attribute = plan.attribute(spec)
    args: list[str] = []
    if spec.column != attribute:
        args.append(_lit(spec.column))
    args.append(column_type.code or "Integer")
    if tail in POSITIVE_FIELDS:
        args.append(f"CheckConstraint({_lit(_sql_name(spec.column or spec.name) + ' >= 0')})")
    kwargs = _column_kwargs(spec, index_default=True)
    if spec.primary_key and tail not in AUTO_FIELDS:
        kwargs.append("autoincrement=False")
    if tail == "GeneratedField":
        kwargs += ["server_default=FetchedValue()", "server_onupdate=FetchedValue()"]
    else:
        kwargs += _defaults(spec, column_type, plan, out)
    kwargs += _described(spec)
    nullable = spec.null and not spec.primary_key
    if tail in STRING_FIELDS and spec.db_index and not spec.unique and not spec.primary_key:
        out.notes.append("on PostgreSQL Django also keeps a <index>_like index (varchar_pattern_ops) for LIKE")
    if attribute != spec.name:
        out.inexact(f"the attribute is {attribute}: `{spec.name}` is reserved by SQLAlchemy's declarative classes")
    if spec.implicit and spec.name == "id":
        out.notes.append(f"the primary key Django adds ({_tail(spec.field_class)}, DEFAULT_AUTO_FIELD / AppConfig)")
    _common_notes(spec, out)
    python = column_type.enum or column_type.python
    call = f"mapped_column({', '.join([*args, *kwargs])})"
    out.lines.append(f"{attribute}: {_annotation(python, nullable)} = {call}")
    return out


def _unknown_field(spec: DjangoField) -> _FieldOut:
    out = _FieldOut()
    out.lines.append(f"# {spec.source}")
    if spec.kind == "generic_fk":
        out.inexact(
            "GenericForeignKey has no column: it reads its content_type_id / object_id columns; SQLAlchemy has no "
            "generic relation: see the 'generic associations' examples (discriminator per target table)"
        )
    elif spec.kind == "generic_relation":
        out.inexact("GenericRelation: the reverse of a GenericForeignKey: a relationship() with a custom primaryjoin")
    elif _tail(spec.field_class) == "GeneratedField":
        out.inexact("GeneratedField without output_field: write it as mapped_column(<type>, Computed(<SQL>))")
    else:
        out.inexact(f"{spec.declared_class or spec.field_class}: unknown field class: map its column by hand")
    return out


# ---------------------------------------------------------------------------
# Relations


CASCADES = {
    # on_delete -> (ForeignKey ondelete=, reverse relationship options, exact)
    "CASCADE": ('"CASCADE"', ['cascade="save-update, merge, delete"'], True),
    "SET_NULL": ('"SET NULL"', [], True),
    "PROTECT": ('"RESTRICT"', ['passive_deletes="all"'], False),
    "RESTRICT": ('"RESTRICT"', ['passive_deletes="all"'], False),
    "DO_NOTHING": (None, ['passive_deletes="all"'], True),
    "SET_DEFAULT": (None, ['passive_deletes="all"'], False),
    "SET": (None, ['passive_deletes="all"'], False),
    "custom": (None, ['passive_deletes="all"'], False),
}


def _on_delete_note(spec: DjangoField, owner: str, accessor: str | None) -> str:
    """What a reviewer must know about one ``on_delete``, said once per field."""
    rule = spec.on_delete or "CASCADE"
    where = f"{owner}.{accessor}" if accessor else "the target (no reverse accessor)"
    base = "Django applies on_delete in Python; the existing FOREIGN KEY has no ON DELETE"
    if rule == "CASCADE":
        return f"{base}: cascade=delete on {where} deletes the rows the same way; ondelete= applies to new tables"
    if rule == "SET_NULL":
        return f"{base}: SQLAlchemy sets {spec.column} to NULL on the loaded rows of {where}, as Django does"
    if rule in ("PROTECT", "RESTRICT"):
        return (
            f"on_delete={rule}: Django raises {'ProtectedError' if rule == 'PROTECT' else 'RestrictedError'} before "
            f"deleting; here the database refuses the DELETE at commit (IntegrityError, FK enforced): check {where} "
            "first to keep Django's error"
        )
    if rule == "DO_NOTHING":
        return "on_delete=DO_NOTHING: nothing happens in either ORM; the database constraint decides"
    return (
        f"on_delete={spec.on_delete_code}: Django updates the rows in Python; do it in a before_delete event or "
        f"the service that deletes (passive_deletes='all' on {where} keeps SQLAlchemy from nulling them)"
    )


def _relation_field(spec: DjangoField, model: DjangoModel, plan: _Plan) -> _FieldOut:
    """An FK / one-to-one field: its column and the forward ``relationship()``."""
    out = _FieldOut()
    attribute = plan.attribute(spec)
    target = plan.model(spec.target)
    pointed = plan.target_column(spec)
    nullable = spec.null and not spec.primary_key
    python = plan.python_type(spec)
    target_class = plan.cls(target.qualname) if target is not None else None
    if target is None or pointed is None or target_class is None:
        args = [_lit(spec.column)] if spec.column != attribute else []
        args.append("Integer")
        args += _column_kwargs(spec, index_default=True)
        out.lines.append(f"{attribute}: {_annotation('int', nullable)} = mapped_column({', '.join(args)})")
        out.inexact(
            f"{spec.name} points at {spec.target_label}, which is not a model of this project: "
            "the column is kept without ForeignKey/relationship"
        )
        _common_notes(spec, out)
        return out
    table, column, _ = pointed
    rule = CASCADES.get(spec.on_delete or "CASCADE", CASCADES["custom"])
    fk_args = [_lit(f"{table}.{column}")]
    if rule[0] is not None:
        fk_args.append(f"ondelete={rule[0]}")
    args = [_lit(spec.column)] if spec.column != attribute else []
    args.append(f"ForeignKey({', '.join(fk_args)})")
    kwargs = _column_kwargs(spec, index_default=True)
    if spec.has_default:
        default = _python_default(spec.default, plan, None)
        if default is not None and spec.default is not None:
            kwargs.append(f"default={default}")
        elif spec.default is not None:
            out.inexact(f"default={code_of(spec.default)}: port it and pass the target's key as default=")
    kwargs += _described(spec)
    out.lines.append(f"{attribute}: {_annotation(python, nullable)} = mapped_column({', '.join([*args, *kwargs])})")
    if not spec.db_constraint:
        out.inexact("db_constraint=False: the database has no FOREIGN KEY here; drop ForeignKey() from new tables")
    accessor = plan.accessor(spec, model)
    if accessor is None and reverse_accessor(spec, model) is not None:
        out.inexact(f"the reverse accessor {reverse_accessor(spec, model)} clashes with another on {target_class}")
    concrete_target = plan.concrete(target)
    if spec.parent_link and spec.primary_key and model.parent == concrete_target.qualname:
        out.notes.append(
            f"the parent link of multi-table inheritance: {plan.cls(model.qualname)} is mapped as a joined-table "
            f"subclass of {target_class}, so `{spec.name}` is the object itself and "
            f"`{target.model_name}.{model.model_name}` is session.get({plan.cls(model.qualname)}, id)"
        )
        return out
    rel_kwargs: list[str] = []
    if accessor is not None:
        rel_kwargs.append(f"back_populates={_lit(accessor)}")
    this = plan.cls(model.qualname) or model.name
    if plan.fk_count(model, target) > 1:
        rel_kwargs.append(f'foreign_keys="{this}.{attribute}"')
    if plan.shares_table(model):
        rel_kwargs.append("viewonly=True")
        out.inexact(f"{this} maps a table another class maps too: its relationships are read-only (viewonly)")
    if plan.table(model) == plan.table(concrete_target):
        remote = pointed[2]
        remote_attribute = plan.attribute(remote) if remote is not None else "id"
        rel_kwargs.append(f'remote_side="{target_class}.{remote_attribute}"')
    out.lines.append(f"{spec.name}: {_annotation(target_class, nullable)} = relationship({', '.join(rel_kwargs)})")
    out.notes.append(_on_delete_note(spec, target_class, accessor))
    out.exact = out.exact and rule[2]
    _common_notes(spec, out)
    return out


def _join_table(spec: DjangoField, model: DjangoModel, plan: _Plan) -> tuple[str, str] | None:
    """(variable, ``Table(...)`` code) of an auto-created many-to-many table, as Django creates it."""
    target = plan.model(spec.target)
    join_table = plan.join_table(spec, model)
    if plan.through(spec, model) is not None or join_table is None or spec.m2m_columns is None or target is None:
        return None
    source_pk = plan.pk_column(model)
    target_pk = plan.pk_column(target)
    if source_pk is None or target_pk is None:
        return None
    variable = _identifier(join_table)
    id_type = SIMPLE_TYPES.get(_tail(model.default_auto_field), SIMPLE_TYPES["BigAutoField"])[0]
    source_column, target_column = spec.m2m_columns
    name = plan.index_name(join_table, [source_column, target_column], "_uniq")
    lines = [
        f"{variable} = Table(",
        f"    {_lit(join_table)},",
        "    Base.metadata,",
        f'    Column("id", {id_type}, primary_key=True),',
        f"    Column({_lit(source_column)}, ForeignKey({_lit(f'{source_pk[0]}.{source_pk[1]}')}, "
        'ondelete="CASCADE"), nullable=False, index=True),',
        f"    Column({_lit(target_column)}, ForeignKey({_lit(f'{target_pk[0]}.{target_pk[1]}')}, "
        'ondelete="CASCADE"), nullable=False, index=True),',
        f"    UniqueConstraint({_lit(source_column)}, {_lit(target_column)}, name={_lit(name)}),",
        ")",
    ]
    return variable, "\n".join(_fit(line) for line in lines)


def _m2m_field(spec: DjangoField, model: DjangoModel, plan: _Plan) -> _FieldOut:
    out = _FieldOut()
    target = plan.model(spec.target)
    target_class = plan.cls(target.qualname) if target is not None else None
    join_table = plan.join_table(spec, model)
    unmapped = target is None or not plan.mappable(target)
    if unmapped or target is None or target_class is None or join_table is None or spec.m2m_columns is None:
        out.lines.append(f"# {spec.source}")
        out.inexact(f"{spec.name}: the many-to-many target {spec.target_label} is not a model of this project")
        return out
    this = plan.cls(model.qualname) or model.name
    accessor = plan.accessor(spec, model)
    if accessor is None and reverse_accessor(spec, model) is not None:
        out.inexact(f"the reverse accessor {reverse_accessor(spec, model)} clashes with another on {target_class}")
    table = _join_table(spec, model, plan)
    secondary = table[0] if table is not None else _lit(join_table)
    if table is not None:
        out.tables.append(table[1])
    kwargs = [f"secondary={secondary}"]
    table_ref = table[0] if table is not None else None
    through_qualname = plan.through(spec, model)
    if spec.target == model.qualname or through_qualname is not None:
        source_pk = plan.pk(model)
        target_pk = plan.pk(target)
        source_column, target_column = spec.m2m_columns
        through = plan.cls(through_qualname)
        through_model = plan.model(through_qualname)
        left = _join_column(through, through_model, table_ref, source_column, plan)
        right = _join_column(through, through_model, table_ref, target_column, plan)
        source_attr = plan.attribute(source_pk) if source_pk is not None else "id"
        target_attr = plan.attribute(target_pk) if target_pk is not None else "id"
        kwargs.append(f'primaryjoin="{this}.{source_attr} == {left}"')
        kwargs.append(f'secondaryjoin="{target_class}.{target_attr} == {right}"')
    if accessor is not None:
        kwargs.append(f"back_populates={_lit(accessor)}")
    if through_qualname is not None or plan.shares_table(model):
        kwargs.append("viewonly=True")
    if through_qualname is not None:
        out.notes.append(
            f"through={_tail(through_qualname)}: read-only here (viewonly); add and remove links by creating and "
            f"deleting {plan.cls(through_qualname)} rows (the association object), as through_defaults= did"
        )
    order = _order_by(target, plan)
    if order is not None:
        kwargs.append(f"order_by={_lit(order)}")
    out.lines.append(f"{spec.name}: Mapped[list[{target_class}]] = relationship({', '.join(kwargs)})")
    if spec.symmetrical and spec.target == model.qualname:
        out.inexact(
            "symmetrical many-to-many: Django writes both (a, b) and (b, a) rows on add(); append to both "
            "collections (or write both rows) to keep the table the way Django reads it"
        )
    out.notes.append(
        "Django's related manager (add/remove/set/clear) becomes list operations on the collection; "
        "removing a link deletes its row from the join table"
    )
    _common_notes(spec, out)
    return out


def _join_column(
    through: str | None, through_model: DjangoModel | None, table: str | None, column: str, plan: _Plan
) -> str:
    if through is not None and through_model is not None:
        for candidate in through_model.fields:
            if candidate.column == column:
                return f"{through}.{plan.attribute(candidate)}"
    return f"{table}.c.{column}" if table is not None else column


def _order_by(target: DjangoModel, plan: _Plan) -> str | None:
    """``Meta.ordering`` of a collection's model as an ``order_by=`` string (simple fields only)."""
    ordering = target.meta.ordering
    if not ordering:
        return None
    target_class = plan.cls(target.qualname) or target.name
    parts: list[str] = []
    for item in ordering:
        descending = item.startswith("-")
        name = item.lstrip("-")
        spec = plan.pk(target) if name == "pk" else target.field_named(name)
        if spec is None and name.endswith("_id"):
            spec = target.field_named(name[:-3])
        if spec is None or "__" in name or spec.kind == "m2m":
            return None
        expression = f"{target_class}.{plan.attribute(spec)}"
        parts.append(expression + ".desc()" if descending else expression)
    return parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"


def _reverse_lines(target: DjangoModel, plan: _Plan) -> list[str]:
    """The ``relationship()`` lines of the reverse accessors other models' relation fields add to ``target``."""
    result: list[str] = []
    for model in plan.schema.all_models():
        if not model.concrete:
            continue
        source_class = plan.cls(model.qualname) or model.name
        for spec in model.fields:
            if spec.target != target.qualname or not plan.mapped_relation(spec, model):
                continue
            accessor = plan.accessor(spec, model)
            if accessor is None:
                continue
            if spec.parent_link and spec.primary_key and model.parent == target.qualname:
                continue  # joined-table inheritance: the child is the parent row
            if spec.kind == "m2m":
                result.append(_reverse_m2m(spec, model, target, accessor, plan))
                continue
            kwargs = [f"back_populates={_lit(spec.name)}"]
            if plan.fk_count(model, target) > 1:
                kwargs.append(f'foreign_keys="{source_class}.{plan.attribute(spec)}"')
            rule = CASCADES.get(spec.on_delete or "CASCADE", CASCADES["custom"])
            kwargs.extend(["viewonly=True"] if plan.shares_table(model) else rule[1])
            if spec.kind == "o2o":
                kwargs.append("uselist=False")
                annotation = f"Mapped[Optional[{source_class}]]"
            else:
                order = _order_by(model, plan)
                if order is not None:
                    kwargs.append(f"order_by={_lit(order)}")
                annotation = f"Mapped[list[{source_class}]]"
            result.append(f"{accessor}: {annotation} = relationship({', '.join(kwargs)})")
    return result


def _reverse_m2m(spec: DjangoField, model: DjangoModel, target: DjangoModel, accessor: str, plan: _Plan) -> str:
    source_class = plan.cls(model.qualname) or model.name
    target_class = plan.cls(target.qualname) or target.name
    table = _join_table(spec, model, plan)
    kwargs = [f"secondary={table[0] if table is not None else _lit(plan.join_table(spec, model))}"]
    through_qualname = plan.through(spec, model)
    if (spec.target == model.qualname or through_qualname is not None) and spec.m2m_columns is not None:
        source_column, target_column = spec.m2m_columns
        through = plan.cls(through_qualname)
        through_model = plan.model(through_qualname)
        table_ref = table[0] if table is not None else None
        source_pk, target_pk = plan.pk(model), plan.pk(target)
        target_attr = plan.attribute(target_pk) if target_pk is not None else "id"
        source_attr = plan.attribute(source_pk) if source_pk is not None else "id"
        left = _join_column(through, through_model, table_ref, target_column, plan)
        right = _join_column(through, through_model, table_ref, source_column, plan)
        kwargs.append(f'primaryjoin="{target_class}.{target_attr} == {left}"')
        kwargs.append(f'secondaryjoin="{source_class}.{source_attr} == {right}"')
    kwargs.append(f"back_populates={_lit(spec.name)}")
    if through_qualname is not None or plan.shares_table(model):
        kwargs.append("viewonly=True")
    order = _order_by(model, plan)
    if order is not None:
        kwargs.append(f"order_by={_lit(order)}")
    return f"{accessor}: Mapped[list[{source_class}]] = relationship({', '.join(kwargs)})"


def _field(spec: DjangoField, model: DjangoModel, plan: _Plan) -> _FieldOut:
    if _tail(spec.field_class) == "GeneratedField" and spec.base_field is None:
        return _unknown_field(spec)  # output_field is required: without it there is no type to map
    if spec.kind == "column":
        return _column_field(spec, model, plan)
    if spec.kind in ("fk", "o2o"):
        return _relation_field(spec, model, plan)
    if spec.kind == "m2m":
        return _m2m_field(spec, model, plan)
    return _unknown_field(spec)


# ---------------------------------------------------------------------------
# Meta: constraints, indexes, notes


# Django skips what a backend cannot do (features.supports_partial_indexes,
# supports_deferrable_unique_constraints): so does the DDL of these.
PARTIAL_ONLY = '.ddl_if(dialect=("postgresql", "sqlite"))'
DEFERRABLE_ONLY = '.ddl_if(dialect=("postgresql", "oracle"))'
COMPARISONS = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


class _Conditions:
    """Django ``Q`` objects (as source text) → SQL, for check constraints and partial indexes."""

    def __init__(self, model: DjangoModel, plan: _Plan) -> None:
        self.model = model
        self.plan = plan

    def sql(self, code: str) -> str | None:
        try:
            tree = ast.parse(code, mode="eval")
        except SyntaxError:
            return None
        return self.node(tree.body)

    def node(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr)):
            left, right = self.node(node.left), self.node(node.right)
            if left is None or right is None:
                return None
            return f"({left}) {'AND' if isinstance(node.op, ast.BitAnd) else 'OR'} ({right})"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
            inner = self.node(node.operand)
            return f"NOT ({inner})" if inner is not None else None
        if isinstance(node, ast.Call) and _call_name(node.func) == "Q":
            parts: list[str] = []
            for argument in node.args:
                inner = self.node(argument)
                if inner is None:
                    return None
                parts.append(inner)
            for kw in node.keywords:
                if kw.arg is None:
                    return None
                part = self.lookup(kw.arg, kw.value)
                if part is None:
                    return None
                parts.append(part)
            if not parts:
                return None
            connector = " OR " if any(k.arg == "_connector" for k in node.keywords) else " AND "
            return parts[0] if len(parts) == 1 else connector.join(f"({p})" for p in parts)
        return None

    def column(self, name: str) -> str | None:
        spec = self.plan.pk(self.model) if name == "pk" else self.model.field_named(name)
        if spec is None and name.endswith("_id"):
            spec = self.model.field_named(name[:-3])
        if spec is None or spec.column is None:
            return None
        return _sql_name(spec.column)

    def value(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant):
            return _sql_literal(node.value) if _is_scalar(node.value) else None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
            number = node.operand.value
            return f"-{number!r}" if isinstance(number, (int, float)) and not isinstance(number, bool) else None
        if isinstance(node, ast.Call) and _call_name(node.func) == "F" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                return self.column(first.value)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            return self.member(node.value.id, node.attr)
        return None

    def member(self, enum: str, member: str) -> str | None:
        for spec in self.model.fields:
            choices = spec.choices
            if choices is not None and choices.enum_class and _tail(choices.enum_class) == enum:
                stored = choices.members.get(member)
                if stored is not None:
                    return _sql_literal(stored)
        return None

    def lookup(self, key: str, value: ast.expr) -> str | None:
        name, _, lookup = key.partition("__")
        lookup = lookup or "exact"
        if "__" in lookup:
            return None
        column = self.column(name)
        if column is None:
            return None
        if lookup == "isnull" and isinstance(value, ast.Constant) and isinstance(value.value, bool):
            return f"{column} IS {'NOT ' if not value.value else ''}NULL"
        if lookup == "in" and isinstance(value, (ast.List, ast.Tuple, ast.Set)):
            items = [self.value(v) for v in value.elts]
            if any(i is None for i in items) or not items:
                return None
            return f"{column} IN ({', '.join(i for i in items if i is not None)})"
        if lookup == "range" and isinstance(value, (ast.List, ast.Tuple)) and len(value.elts) == 2:
            low, high = self.value(value.elts[0]), self.value(value.elts[1])
            return f"{column} BETWEEN {low} AND {high}" if low and high else None
        if lookup in ("startswith", "endswith", "contains") and isinstance(value, ast.Constant):
            if not isinstance(value.value, str):
                return None
            text = value.value.replace("'", "''")
            pattern = {"startswith": f"{text}%", "endswith": f"%{text}", "contains": f"%{text}%"}[lookup]
            return f"{column} LIKE '{pattern}'"
        operator = COMPARISONS.get(lookup)
        rendered = self.value(value)
        if operator is None or rendered is None:
            return None
        if rendered == "NULL":
            return f"{column} IS NULL" if operator == "=" else None
        return f"{column} {operator} {rendered}"


def _is_scalar(value: object) -> TypeGuard[str | int | float | bool | None]:
    return value is None or isinstance(value, (str, int, float, bool))


def _call_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


@dataclass
class _MetaOut:
    table_args: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    exact: bool = True

    def inexact(self, note: str) -> None:
        self.notes.append(note)
        self.exact = False


def _fill_name(name: str, model: DjangoModel) -> str:
    return name.replace("%(app_label)s", model.app_label.lower()).replace("%(class)s", model.model_name)


def _columns_of(names: Iterable[str], model: DjangoModel) -> list[str] | None:
    """Columns of the named fields, or None when one is not a column the translation declares."""
    columns: list[str] = []
    for name in names:
        spec = model.field_named(name)
        if spec is None and name.endswith("_id"):
            spec = model.field_named(name[:-3])
        if spec is None or spec.column is None or spec.kind not in ("column", "fk", "o2o"):
            return None
        columns.append(spec.column)
    return columns


def _meta(model: DjangoModel, plan: _Plan) -> _MetaOut:
    out = _MetaOut()
    meta = model.meta
    table = plan.table(model)
    conditions = _Conditions(model, plan)
    for group in meta.unique_together:
        columns = _columns_of(group, model)
        if columns is None:
            out.inexact(f"unique_together {list(group)}: a name fwlint cannot map to a column")
            continue
        name = plan.index_name(table, columns, "_uniq")
        out.table_args.append(f"UniqueConstraint({', '.join(_lit(c) for c in columns)}, name={_lit(name)})")
    for group in meta.index_together:
        columns = _columns_of(group, model)
        if columns is None:
            continue
        name = plan.index_name(table, columns, "_idx")
        out.table_args.append(f"Index({_lit(name)}, {', '.join(_lit(c) for c in columns)})")
        out.notes.append("index_together was removed in Django 5.1: the index exists if an old migration made it")
    for constraint in meta.constraints:
        _constraint(constraint, model, conditions, out)
    for index in meta.indexes:
        _index(index, model, conditions, out)
    return out


def _constraint(value: Value, model: DjangoModel, conditions: _Conditions, out: _MetaOut) -> None:
    if not isinstance(value, CallValue):
        out.inexact(f"constraint {code_of(value)}: write it as a SQLAlchemy constraint")
        return
    kwargs = dict(value.kwargs)
    name = kwargs.get("name")
    name = _fill_name(name, model) if isinstance(name, str) else None
    kind = _tail(value.callee)
    condition = kwargs.get("condition", kwargs.get("check"))
    if kind == "UniqueConstraint":
        raw_fields = kwargs.get("fields")
        names = [f for f in raw_fields if isinstance(f, str)] if isinstance(raw_fields, (list, tuple)) else []
        columns = _columns_of(names, model)
        if columns is None or not columns or value.args:
            out.inexact(f"{value.code}: an expression unique constraint: write it as Index(..., unique=True)")
            return
        unsupported = [k for k in ("include", "opclasses", "nulls_distinct", "violation_error_message") if k in kwargs]
        if condition is not None:
            sql = conditions.sql(code_of(condition))
            if sql is None:
                out.inexact(f"{value.code}: write the condition as sqlite_where/postgresql_where=text(...)")
                return
            out.table_args.append(
                f"Index({_lit(name)}, {', '.join(_lit(c) for c in columns)}, unique=True, "
                f"sqlite_where=text({_lit(sql)}), postgresql_where=text({_lit(sql)})){PARTIAL_ONLY}"
            )
            out.notes.append(f"{name}: a partial unique index, which Django creates on PostgreSQL and SQLite only")
        else:
            deferrable = kwargs.get("deferrable")
            extra = suffix = ""
            if isinstance(deferrable, Ref):
                extra = f', deferrable=True, initially="{_tail(deferrable.path)}"'
                suffix = DEFERRABLE_ONLY
                out.notes.append(f"{name}: deferrable, which Django creates on PostgreSQL and Oracle only")
            listed = ", ".join(_lit(c) for c in columns)
            out.table_args.append(f"UniqueConstraint({listed}, name={_lit(name)}{extra}){suffix}")
        for option in unsupported:
            out.inexact(f"UniqueConstraint {name}: {option}= has no portable SQLAlchemy form: check it by hand")
        return
    if kind == "CheckConstraint" and condition is not None:
        sql = conditions.sql(code_of(condition))
        if sql is None:
            out.inexact(f"{value.code}: write the condition as CheckConstraint(<SQL>, name=...)")
            return
        out.table_args.append(f"CheckConstraint({_lit(sql)}, name={_lit(name)})")
        return
    out.inexact(f"{value.code}: no SQLAlchemy equivalent fwlint can write (e.g. ExclusionConstraint): port by hand")


def _index(value: Value, model: DjangoModel, conditions: _Conditions, out: _MetaOut) -> None:
    if not isinstance(value, CallValue) or _tail(value.callee) != "Index":
        out.inexact(f"index {code_of(value)}: a special index (GIN, BRIN…): use postgresql_using= on Index()")
        return
    kwargs = dict(value.kwargs)
    raw_fields = kwargs.get("fields")
    fields = [f for f in raw_fields if isinstance(f, str)] if isinstance(raw_fields, (list, tuple)) else []
    columns = _columns_of([f.lstrip("-") for f in fields], model)
    if columns is None or not columns or value.args:
        out.inexact(f"{value.code}: an expression index: write it as Index(name, <expressions>)")
        return
    name = kwargs.get("name")
    if isinstance(name, str):
        name = _fill_name(name, model)
    else:
        name = _auto_index_name(conditions.plan.table(model), columns, fields)
    elements = [
        f'text("{_sql_name(c)} DESC")' if f.startswith("-") else _lit(c) for c, f in zip(columns, fields, strict=True)
    ]
    extra = ""
    condition = kwargs.get("condition")
    if condition is not None:
        sql = conditions.sql(code_of(condition))
        if sql is None:
            out.inexact(f"{value.code}: write the condition as postgresql_where=text(...)")
            return
        extra = f", sqlite_where=text({_lit(sql)}), postgresql_where=text({_lit(sql)})"
    for option in ("opclasses", "include", "db_tablespace"):
        if option in kwargs:
            out.inexact(f"Index {name}: {option}= needs the dialect's Index options (postgresql_ops / _include)")
    out.table_args.append(f"Index({_lit(name)}, {', '.join(elements)}{extra}){PARTIAL_ONLY if extra else ''}")


def _auto_index_name(table: str, columns: list[str], fields: list[str]) -> str:
    """``Index.set_name_with_model``: the name Django gives a Meta.indexes entry without one."""
    ordered = [("-" + c) if f.startswith("-") else c for c, f in zip(columns, fields, strict=True)]
    digest = hashlib.md5("".join([table, *ordered, "idx"]).encode(), usedforsecurity=False).hexdigest()[:6]
    name = f"{table[:11]}_{columns[0][:7]}_{digest}_idx"
    return "D" + name[1:] if name[0] == "_" or name[0].isdigit() else name


def _model_notes(model: DjangoModel, plan: _Plan) -> tuple[list[str], bool]:
    notes: list[str] = []
    exact = True
    meta = model.meta
    this = plan.cls(model.qualname) or model.name
    if model.builtin:
        notes.append(f"Django's own table ({model.app_label}.{model.name}): mapped so the relations to it work")
    if meta.ordering:
        notes.append(
            f"Meta.ordering {meta.ordering}: SQLAlchemy has no default ordering: add .order_by() to queries "
            "(collections of this model already use order_by=)"
        )
        exact = False
    if meta.get_latest_by is not None:
        notes.append(
            f"Meta.get_latest_by={code_of(meta.get_latest_by)}: latest()/earliest() become order_by(...).limit(1)"
        )
    if meta.permissions or meta.default_permissions is not None:
        notes.append("Meta.permissions/default_permissions: rows of auth_permission; Flask has no permission model")
    if not meta.managed:
        notes.append("Meta.managed=False: Django does not create this table; keep it out of create_all()/Alembic")
    if meta.order_with_respect_to:
        notes.append(f"order_with_respect_to={meta.order_with_respect_to}: the _order column is yours to maintain")
        exact = False
    if "db_tablespace" in meta.options:
        notes.append("Meta.db_tablespace: set it with the dialect's table options if it matters")
    if model.proxy:
        notes.append(
            f"proxy model: mapped as a subclass of {plan.cls(model.proxy_for)} on the same table, without a "
            "discriminator column (rows load as whichever class the query names)"
        )
    if len(model.parents) > 1:
        notes.append("several concrete parents: only the first is mapped as the inheritance parent")
        exact = False
    if model.external_bases:
        notes.append(f"bases fwlint cannot read ({', '.join(model.external_bases)}): add their columns by hand")
        exact = False
    for manager in model.managers:
        if manager.implicit or manager.kind == "default" or model.builtin:
            continue
        what = manager.queryset_class or manager.manager_class or manager.name
        methods = ", ".join(manager.methods) or "none"
        notes.append(
            f"manager {manager.name} ({_tail(what)}; methods: {methods}): SQLAlchemy has no managers: "
            f"make them classmethods of {this} or query functions taking a Session"
        )
        exact = False
    if model.builtin:
        return notes, exact
    inherited = _generated_ancestors(model, plan)
    own = [m for m, owner in model.method_owners.items() if owner not in inherited and not owner.startswith("django.")]
    for method in own:
        note = _method_note(method, this)
        if note is not None:
            notes.append(note)
            exact = exact and method in ("__str__", "__repr__")
    for name in model.properties:
        notes.append(f"property {name}: plain Python: copy it")
    other = [m for m in own if _method_note(m, this) is None and not m.startswith("_") and m not in model.properties]
    if other:
        notes.append(f"methods {', '.join(other)}: plain Python: copy them and port the ORM calls inside")
    from_django = [
        m for m, owner in model.method_owners.items() if owner.startswith("django.") and not m.startswith("_")
    ]
    if from_django and not any(plan.models.get(q, model).builtin for q in inherited):
        notes.append(
            f"Django's API inherited from its classes ({', '.join(from_django)}): reimplement what the "
            "application uses (passwords: see the password column)"
        )
        exact = False
    return notes, exact


def _generated_ancestors(model: DjangoModel, plan: _Plan) -> set[str]:
    """Every project class the generated class inherits from (its notes already cover their methods)."""
    found: set[str] = set()
    pending = list(_generated_bases(model, plan))
    while pending:
        qualname = pending.pop()
        base = plan.model(qualname)
        if qualname in found or base is None:
            continue
        found.add(qualname)
        pending.extend(_generated_bases(base, plan))
        pending.extend(b for b in base.bases if plan.model(b) is not None and plan.models[b].abstract)
    return found


def _method_note(method: str, cls: str) -> str | None:
    if method == "save":
        return (
            "save() override: SQLAlchemy has no save(): move it to the service that adds the object, "
            "or a before_insert/before_update event"
        )
    if method == "delete":
        return "delete() override: use a before_delete event or the service that deletes"
    if method in ("clean", "full_clean", "validate_unique"):
        return f"{method}(): model validation: move it to the form or @validates methods"
    if method == "get_absolute_url":
        return f"get_absolute_url(): a property returning url_for(...) on {cls}"
    if method in ("__str__", "__repr__"):
        return f"{method}(): plain Python: copy it"
    return None


# ---------------------------------------------------------------------------
# Classes


@dataclass
class _ModelOut:
    model: DjangoModel
    class_name: str
    code: str
    notes: list[str]
    exact: bool
    bases: list[str]  # generated classes it inherits from (their qualnames)
    fields: dict[str, _FieldOut]
    tables: list[str]


def _generated_bases(model: DjangoModel, plan: _Plan) -> list[str]:
    """Project classes the generated class subclasses: its MTI parent / proxied model, then project
    abstract bases whose columns it inherits unchanged."""
    if model.proxy and model.proxy_for is not None:
        return [model.proxy_for]
    bases: list[str] = []
    if model.parent is not None:
        bases.append(model.parent)
    for base in model.bases:
        candidate = plan.model(base)
        if candidate is None or not candidate.abstract or candidate.builtin or base in bases:
            continue
        if _inherits_columns(model, candidate, plan):
            bases.append(base)
    return bases


def _inherits_columns(model: DjangoModel, abstract: DjangoModel, plan: _Plan) -> bool:
    """Whether a model keeps every plain column an abstract class declares (none removed or overridden)."""
    for spec in abstract.fields:
        if spec.kind != "column":
            continue
        own = model.field_named(spec.name)
        if own is None or own.inherited_from is None:
            return False
    return True


def _written_by_base(spec: DjangoField, bases: list[str], plan: _Plan) -> bool:
    """A plain column an abstract base class already declares."""
    if spec.kind != "column" or spec.inherited_from is None:
        return False
    for base in bases:
        candidate = plan.model(base)
        if candidate is None or not candidate.abstract:
            continue
        if spec.inherited_from == base or spec.inherited_from in _abstract_ancestors(candidate, plan):
            return True
    return False


def _abstract_ancestors(model: DjangoModel, plan: _Plan) -> set[str]:
    found: set[str] = set()
    for base in model.bases:
        candidate = plan.model(base)
        if candidate is not None and candidate.abstract and base not in found:
            found.add(base)
            found |= _abstract_ancestors(candidate, plan)
    return found


def _translate_model(model: DjangoModel, plan: _Plan) -> _ModelOut:
    this = plan.cls(model.qualname) or model.name
    if model.proxy and not plan.mappable(model):
        written = ", ".join(model.bases + model.external_bases)
        note = f"proxy of a model fwlint cannot read ({written}): map it as a subclass of that model"
        header = f"# {model.app_label}.{model.name} ({model.file}:{model.span.line})"
        return _ModelOut(
            model, this, "\n".join([header, *(f"# {line}" for line in _wrap(note))]), [note], False, [], {}, []
        )
    bases = _generated_bases(model, plan)
    base_names = [plan.cls(b) or _tail(b) for b in bases] or ["Base"]
    fields: dict[str, _FieldOut] = {}
    body: list[str] = []
    tables: list[str] = []
    table_args: list[str] = []
    if model.abstract:
        body.append("__abstract__ = True")
    elif not model.proxy:
        body.append(f"__tablename__ = {_lit(plan.table(model))}")
    group: str | None = None
    for spec in model.fields:
        if model.abstract and spec.inherited_from is not None:
            continue  # declared by the abstract base class it comes from
        if model.abstract and spec.kind not in ("column",):
            fields[spec.name] = _FieldOut(
                [f"# {spec.name}: a relation: declared on each concrete subclass (names differ per model)"],
                [f"{spec.name} is written in each concrete subclass: its reverse accessor and join table differ"],
            )
            body.append(fields[spec.name].lines[0])
            continue
        translated = _field(spec, model, plan)
        fields[spec.name] = translated
        tables.extend(translated.tables)
        if _written_by_base(spec, bases, plan):
            continue
        origin = spec.inherited_from if spec.inherited_from and plan.model(spec.inherited_from) is None else None
        if origin != group:
            group = origin
            if origin is not None:
                body.append(f"# from {origin}")
        body.extend(translated.lines)
    reverse = [] if model.abstract else _reverse_lines(model, plan)
    if reverse:
        body.append("# reverse accessors of relations declared on other models")
        body.extend(reverse)
    meta = _meta(model, plan) if not model.abstract and not model.proxy else _MetaOut()
    table_args.extend(meta.table_args)
    if model.parent is not None and plan.fk_count(model, plan.models[model.parent]) > 1:
        ptr = next((f for f in model.fields if f.parent_link and f.primary_key), None)
        parent_class = plan.cls(model.parent)
        parent_pk = plan.pk(plan.models[model.parent])
        if ptr is not None and parent_class is not None and parent_pk is not None:
            body.append(
                f'__mapper_args__ = {{"inherit_condition": {plan.attribute(ptr)} == '
                f"{parent_class}.{plan.attribute(parent_pk)}}}"
            )
    shared_with = plan.table_owners.get(plan.table(model)) if model.concrete else None
    if shared_with is not None and shared_with != model.qualname:
        table_args.append('{"extend_existing": True}')
        meta.notes.append(f"the table is also {plan.cls(shared_with)}'s: both classes map it (extend_existing)")
    if table_args:
        position = 1 if body and body[0].startswith(("__tablename__", "__abstract__")) else 0
        body.insert(position, "__table_args__ = (" + "".join(f"\n    {arg}," for arg in table_args) + "\n)")
    notes, exact = _model_notes(model, plan)
    notes = [*notes, *meta.notes]
    exact = exact and meta.exact and all(f.exact for f in fields.values())
    comments = [f"# {line}" for note in notes for line in _wrap(note)]
    header = f"# {model.app_label}.{model.name} ({model.file}:{model.span.line})"
    lines = [header, *comments, f"class {this}({', '.join(base_names)}):"]
    for entry in body or ["pass"]:
        lines.extend(_fit("    " + line) if line else "" for line in entry.split("\n"))
    code = "\n".join(lines)
    return _ModelOut(model, this, code, notes, exact, bases, fields, tables)


def _fit(line: str, width: int = 120) -> str:
    """A long ``name: T = call(...)`` / ``call(...),`` line with one argument per line, as a formatter
    would write it; other lines are returned as they are."""
    if len(line) <= width:
        return line
    indent = line[: len(line) - len(line.lstrip())]
    text = line.strip()
    trailing = "," if text.endswith(",") else ""
    text = text.removesuffix(",")
    try:
        statement = ast.parse(text).body[0]
    except (SyntaxError, IndexError):
        return line
    value = statement.value if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.Expr)) else None
    if not isinstance(value, ast.Call) or value.end_col_offset != len(text):
        return line
    # ``Index(...).ddl_if(...)``: the arguments of the first call are the ones to spread.
    while isinstance(value.func, ast.Attribute) and isinstance(value.func.value, ast.Call):
        value = value.func.value
    chained = text[value.end_col_offset :]
    parts = [ast.get_source_segment(text, a) for a in value.args]
    parts += [
        f"{k.arg}={ast.get_source_segment(text, k.value)}" if k.arg else f"**{ast.get_source_segment(text, k.value)}"
        for k in value.keywords
    ]
    head = text[: value.func.end_col_offset]
    inner = indent + "    "
    body = "".join(f"{inner}{part},\n" for part in parts if part is not None)
    return f"{indent}{head}(\n{body}{indent}){chained}{trailing}"


def _wrap(note: str, width: int = 110) -> list[str]:
    words = note.split()
    lines: list[str] = []
    current = "Hand work:"
    for word in words:
        if len(current) + len(word) + 1 > width:
            lines.append(current)
            current = "  " + word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines


# ---------------------------------------------------------------------------
# The module


def _enum_code(qualname: str, name: str, plan: _Plan) -> str:
    for model in plan.schema.all_models():
        for spec in model.fields:
            choices = spec.choices
            if choices is None or choices.enum_class != qualname:
                continue
            base = "enum.IntEnum" if choices.integer else "str, enum.Enum"
            lines = [f"class {name}({base}):", f'    """{qualname}: the values Django stores."""', ""]
            for member, value in choices.members.items():
                lines.append(f"    {member} = {code_of(value)}")
            return "\n".join(lines)
    return ""


def _class_order(outs: list[_ModelOut]) -> list[_ModelOut]:
    by_qualname = {out.model.qualname: out for out in outs}
    ordered: list[_ModelOut] = []
    seen: set[str] = set()

    def visit(out: _ModelOut) -> None:
        if out.model.qualname in seen:
            return
        seen.add(out.model.qualname)
        for base in out.bases:
            if base in by_qualname:
                visit(by_qualname[base])
        ordered.append(out)

    for out in outs:
        visit(out)
    return ordered


def _module(outs: list[_ModelOut], plan: _Plan) -> str:
    ordered = _class_order(outs)
    enums = [_enum_code(q, n, plan) for q, n in plan.enums.items() if any(n in o.code for o in outs)]
    enums = [e for e in enums if e]
    tables = list(dict.fromkeys(t for out in ordered for t in out.tables))
    body_parts = [*enums, *tables, *(out.code for out in ordered)]
    imports = plan.imports
    index_naming = _index_naming(plan.max_name_length)
    for part in [*body_parts, index_naming, BASE_CLASS]:
        imports.use(part)
    helpers = []
    if "enum_values" in imports.helpers:
        helpers.append(ENUM_VALUES)
    if "utc_now" in imports.helpers:
        helpers.append(UTC_NOW)
    if "DjangoDuration" in imports.helpers:
        helpers.append(DURATION_TYPE)
    for helper in helpers:
        imports.use(helper)
    header = [
        '"""SQLAlchemy 2.0 models for the database the Django project created (written by fwlint).',
        "",
        "Tables, columns, keys and index names are Django's, so the application runs on the existing",
        'database. Comments starting with "Hand work:" say what the mapping cannot do for you."""',
        "",
        "from __future__ import annotations",
        "",
    ]
    header += [f"import {module}" for module in sorted(imports.modules)]
    header.append(f"from typing import {', '.join(sorted(imports.typing))}")
    header.append("")
    header.append(_import_line("sqlalchemy", imports.sqlalchemy))
    if imports.postgresql:
        header.append(_import_line("sqlalchemy.dialects.postgresql", imports.postgresql))
    header.append(_import_line("sqlalchemy.orm", imports.orm))
    sections = ["\n".join(header), index_naming, *helpers, BASE_CLASS, *body_parts]
    return "\n\n\n".join(sections) + "\n"


def _import_line(module: str, names: set[str]) -> str:
    ordered = sorted(names, key=lambda n: (not n[:1].isupper(), n.lower()))
    line = f"from {module} import {', '.join(ordered)}"
    if len(line) <= 120:
        return line
    return f"from {module} import (\n" + "".join(f"    {n},\n" for n in ordered) + ")"


def translate_schema(
    schema: DjangoSchema, max_name_length: int | None = POSTGRESQL_MAX_NAME_LENGTH
) -> ModelsTranslation:
    """SQLAlchemy 2.0 code for every model of ``schema``: per model, per field and as one module.

    ``max_name_length`` is the database's identifier limit as Django's backend reports it
    (``connection.ops.max_name_length()``: 63 PostgreSQL, 64 MySQL, 30 Oracle, None SQLite): the names
    Django makes (tables, join tables, indexes, constraints) are cut to it, so the models name what
    the database has."""
    plan = _Plan(schema, max_name_length)
    outs = [_translate_model(model, plan) for model in schema.all_models()]
    result = ModelsTranslation(schema)
    for out in outs:
        model = out.model
        result.model_code[model.qualname] = SiteTranslation(out.code, out.notes, out.exact)
        if not model.builtin:
            result.model_sites[(model.file, model.span.line)] = model.qualname
        for name, translated in out.fields.items():
            code = "\n\n".join([*translated.tables, "\n".join(_fit(line) for line in translated.lines)])
            result.field_code[(model.qualname, name)] = SiteTranslation(code, translated.notes, translated.exact)
        for spec in model.fields:
            if spec.inherited_from is None and not spec.implicit and not model.builtin:
                result.field_sites[(spec.file, spec.span.line)] = (model.qualname, spec.name)
    # A relation declared on an abstract class is written in each subclass: its site shows the first one's.
    for out in outs:
        if not out.model.abstract:
            continue
        for name in out.fields:
            for other in outs:
                inherited = other.model.field_named(name)
                if other.model.concrete and inherited is not None and inherited.inherited_from == out.model.qualname:
                    if inherited.kind != "column" and name in other.fields:
                        first = result.field_code[(other.model.qualname, name)]
                        note = f"declared on {out.model.name}; written in each subclass, e.g. {other.class_name}"
                        result.field_code[(out.model.qualname, name)] = SiteTranslation(
                            first.code, [note, *first.notes], first.exact
                        )
                    break
    result.module = _module(outs, plan)
    return result
