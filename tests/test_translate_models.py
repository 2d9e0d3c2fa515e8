"""SQLAlchemy model specs → Django model code, as before → after pairs.

Each test builds the specs the linker would extract for a few lines of SQLAlchemy
(quoted in the test name or a comment) and checks the Django code and the notes.
Every emitted piece of code is parsed with libcst on the way out.
"""

from __future__ import annotations

from typing import Any

import libcst
import pytest

from fwlint.facts import CallValue, Opaque, Ref, Span, Value
from fwlint.link.orm_types import (
    ColumnSpec,
    ForeignKeySpec,
    ModelSpec,
    OrmSchema,
    RelationshipSpec,
    TableSpec,
    TypeSpec,
)
from fwlint.translate.django_models import (
    FieldCode,
    ModelCode,
    django_field,
    django_model,
    django_models_module,
    django_relationship,
)

SPAN = Span(1, 1, 1, 2)


# ---------------------------------------------------------------------------
# Spec builders


def t(
    type_name: str, /, *args: Value, members: dict[str, Value] | None = None, cls: str | None = None, **kwargs: Value
) -> TypeSpec:
    return TypeSpec(type_name, args, dict(kwargs), members, cls)


def col(
    name: str,
    type_: TypeSpec | str | None = None,
    *,
    annotation: str | None = None,
    fk: str | None = None,
    ondelete: str | None = None,
    db_column: str | None = None,
    inherited_from: str | None = None,
    **kwargs: Value,
) -> ColumnSpec:
    spec = TypeSpec(type_) if isinstance(type_, str) else type_
    foreign_key = ForeignKeySpec(fk, ondelete) if fk else None
    return ColumnSpec(name, SPAN, "models.py", spec, annotation, db_column, foreign_key, dict(kwargs), inherited_from)


def pk(name: str = "id", type_: str = "Integer", **kwargs: Value) -> ColumnSpec:
    return col(name, type_, primary_key=True, **kwargs)


def rel(
    name: str,
    target: str | None,
    *,
    annotation: str | None = None,
    through: TableSpec | None = None,
    inherited_from: str | None = None,
    **kwargs: Value,
) -> RelationshipSpec:
    """``through``: the resolved ``secondary=`` table (the keyword argument then names its variable)."""
    if through is not None:
        kwargs["secondary"] = Ref(f"shop.models.{through.variable}")
    return RelationshipSpec(name, SPAN, "models.py", target, dict(kwargs), annotation, through, inherited_from)


def model(
    name: str,
    table: str | None,
    columns: list[ColumnSpec] | None = None,
    relationships: list[RelationshipSpec] | None = None,
    **kwargs: Any,
) -> ModelSpec:
    return ModelSpec(
        f"shop.models.{name}",
        name,
        "models.py",
        SPAN,
        table,
        kwargs.pop("abstract", False),
        kwargs.pop("bases", []),
        columns if columns is not None else [pk()],
        relationships or [],
        **kwargs,
    )


def table(name: str, *columns: ColumnSpec) -> TableSpec:
    return TableSpec(name, name, SPAN, "models.py", list(columns))


def call(callee: str, *args: Value, **kwargs: Value) -> CallValue:
    shown = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return CallValue(callee, args, tuple(kwargs.items()), f"{callee.rsplit('.', 1)[-1]}({', '.join(shown)})")


def parsed(code: str) -> str:
    libcst.parse_module(code + "\n")
    return code


def field(column: ColumnSpec, *others: ModelSpec, owner: ModelSpec | None = None) -> FieldCode:
    """The field for ``column`` inside a model ``Thing`` (table ``things``) with an implicit id."""
    owner = owner or model("Thing", "things", [pk(), column])
    result = django_field(column, owner, OrmSchema([owner, *others]))
    assert result is not None
    parsed(result.code)
    return result


def code_of_field(column: ColumnSpec) -> str:
    return field(column).code


def model_code(spec: ModelSpec, schema: OrmSchema) -> ModelCode:
    result = django_model(spec, schema)
    parsed(result.code)
    for item in result.fields:
        parsed(item.code)
    return result


def module(schema: OrmSchema) -> str:
    return parsed(django_models_module(schema))


def has_note(notes: list[str], *words: str) -> bool:
    return any(all(w in n for w in words) for n in notes)


# ---------------------------------------------------------------------------
# Column types


@pytest.mark.parametrize(
    ("type_", "code"),
    [
        (t("String", 80), "models.CharField(max_length=80)"),
        (t("String", length=80), "models.CharField(max_length=80)"),
        (t("Unicode", 40), "models.CharField(max_length=40)"),
        (t("VARCHAR", 12), "models.CharField(max_length=12)"),
        (t("String"), "models.TextField()"),
        (t("Text"), "models.TextField()"),
        (t("UnicodeText"), "models.TextField()"),
        (t("Integer"), "models.IntegerField()"),
        (t("BigInteger"), "models.BigIntegerField()"),
        (t("SmallInteger"), "models.SmallIntegerField()"),
        (t("Boolean"), "models.BooleanField()"),
        (t("Float"), "models.FloatField()"),
        (t("Double"), "models.FloatField()"),
        (t("REAL"), "models.FloatField()"),
        (t("Numeric", 10, 2), "models.DecimalField(max_digits=10, decimal_places=2)"),
        (t("Numeric", precision=12, scale=4), "models.DecimalField(max_digits=12, decimal_places=4)"),
        (t("DECIMAL", 8), "models.DecimalField(max_digits=8, decimal_places=0)"),
        (t("Date"), "models.DateField()"),
        (t("DateTime"), "models.DateTimeField()"),
        (t("Time"), "models.TimeField()"),
        (t("Interval"), "models.DurationField()"),
        (t("LargeBinary"), "models.BinaryField()"),
        (t("BLOB"), "models.BinaryField()"),
        (t("JSON"), "models.JSONField()"),
        (t("postgresql.JSONB"), "models.JSONField()"),
        (t("postgresql.JSON"), "models.JSONField()"),
        (t("Uuid"), "models.UUIDField()"),
        (t("UUID"), "models.UUIDField()"),
        (t("postgresql.UUID", as_uuid=True), "models.UUIDField()"),
        (t("postgresql.INET"), "models.GenericIPAddressField()"),
    ],
)
def test_column_types(type_: TypeSpec, code: str) -> None:
    assert code_of_field(col("value", type_, nullable=False)) == f"value = {code}"


def test_canonical_dialect_paths_are_understood() -> None:
    code = code_of_field(col("data", t("sqlalchemy.dialects.postgresql.JSONB"), nullable=False))
    assert code == "data = models.JSONField()"


def test_string_collation_becomes_db_collation() -> None:
    code = code_of_field(col("name", t("String", 40, collation="C"), nullable=False))
    assert code == 'name = models.CharField(max_length=40, db_collation="C")'


def test_string_without_length_notes_the_unbounded_choice() -> None:
    result = field(col("bio", t("String"), nullable=False))
    assert result.exact
    assert has_note(result.notes, "unbounded", "TextField")


def test_numeric_without_precision_picks_digits_and_is_not_exact() -> None:
    result = field(col("amount", t("Numeric"), nullable=False))
    assert result.code == "amount = models.DecimalField(max_digits=38, decimal_places=10)"
    assert not result.exact
    assert has_note(result.notes, "max_digits")


def test_numeric_asdecimal_false_keeps_the_column_and_notes_float() -> None:
    result = field(col("ratio", t("Numeric", 5, 2, asdecimal=False), nullable=False))
    assert result.code == "ratio = models.DecimalField(max_digits=5, decimal_places=2)"
    assert not result.exact
    assert has_note(result.notes, "asdecimal=False")


def test_naive_datetime_notes_use_tz() -> None:
    result = field(col("seen", "DateTime", nullable=False))
    assert has_note(result.notes, "USE_TZ")


def test_aware_datetime_notes_timezone_true() -> None:
    result = field(col("seen", t("DateTime", timezone=True), nullable=False))
    assert result.code == "seen = models.DateTimeField()"
    assert has_note(result.notes, "timezone=True")


def test_pickle_type_is_binary_and_not_exact() -> None:
    result = field(col("blob", "PickleType", nullable=False))
    assert result.code == "blob = models.BinaryField()"
    assert not result.exact


def test_project_type_becomes_text_field_with_a_note() -> None:
    result = field(col("price", "project:Money", nullable=False))
    assert result.code == "price = models.TextField()"
    assert not result.exact
    assert has_note(result.notes, "custom type Money", "Field subclass")


def test_unknown_type_becomes_text_field_with_a_note() -> None:
    result = field(col("flags", "mysql.SET", nullable=False))
    assert result.code == "flags = models.TextField()"
    assert not result.exact
    assert has_note(result.notes, "mysql.SET")


# -- enums

STATUS = {"ACTIVE": "active", "SUSPENDED": "suspended"}


def test_python_enum_becomes_text_choices() -> None:
    # status = Column(Enum(Status), nullable=False)
    result = field(col("status", t("Enum", Ref("shop.models.Status"), members=STATUS, cls="Status"), nullable=False))
    assert result.code == "status = models.CharField(max_length=9, choices=Status.choices)"
    assert result.definitions == [
        'class Status(models.TextChoices):\n    ACTIVE = "active"\n    SUSPENDED = "suspended"'
    ]
    parsed(result.definitions[0])


def test_python_enum_notes_that_sqlalchemy_stores_names() -> None:
    result = field(col("status", t("Enum", members=STATUS, cls="Status"), nullable=False))
    assert not result.exact
    assert has_note(result.notes, "member NAMES", "data migration")


def test_enum_with_values_callable_is_exact() -> None:
    spec = t("Enum", members=STATUS, cls="Status", values_callable=Opaque("lambda e: [m.value for m in e]"))
    spec.kwargs["native_enum"] = False
    result = field(col("status", spec, nullable=False))
    assert result.exact
    assert result.notes == []


def test_integer_enum_becomes_integer_choices() -> None:
    spec = t("Enum", members={"LOW": 1, "HIGH": 3}, cls="Priority")
    result = field(col("priority", spec, nullable=False))
    assert result.code == "priority = models.IntegerField(choices=Priority.choices)"
    assert result.definitions == ["class Priority(models.IntegerChoices):\n    LOW = 1\n    HIGH = 3"]


def test_enum_member_default_uses_the_choices_class() -> None:
    spec = t("Enum", members=STATUS, cls="Status")
    column = col("status", spec, nullable=False, default=Ref("shop.models.Status.ACTIVE"))
    assert code_of_field(column) == (
        "status = models.CharField(max_length=9, choices=Status.choices, default=Status.ACTIVE)"
    )


def test_string_enum_becomes_a_choices_list() -> None:
    # kind = Column(Enum("draft", "published", name="post_kind"), nullable=False)
    result = field(col("kind", t("Enum", "draft", "published", name="post_kind"), nullable=False))
    assert result.code == (
        'kind = models.CharField(max_length=9, choices=[("draft", "draft"), ("published", "published")])'
    )
    assert result.exact


def test_enum_with_unknown_members_is_not_exact() -> None:
    result = field(col("level", t("Enum", Ref("other.Level"), cls="Level"), nullable=False))
    assert result.code == "level = models.CharField(max_length=255)"
    assert not result.exact


def test_enum_of_unpacked_names_shows_them_in_the_note() -> None:
    # role = Column(Enum(*ROLES, name="user_role"))
    result = field(col("role", t("Enum", Opaque("*ROLES"), name="user_role"), nullable=False))
    assert result.code == "role = models.CharField(max_length=255)"
    assert has_note(result.notes, "Enum(*ROLES)")


def test_choices_class_named_like_a_model_gets_a_suffix() -> None:
    column = col("status", t("Enum", members=STATUS, cls="Status"), nullable=False)
    thing = model("Thing", "things", [pk(), column])
    status_model = model("Status", "statuses")
    result = django_field(column, thing, OrmSchema([thing, status_model]))
    assert result is not None
    assert "choices=StatusChoices.choices" in result.code
    assert result.definitions[0].startswith("class StatusChoices(models.TextChoices):")


# -- arrays


def test_postgresql_array_becomes_array_field() -> None:
    spec = t("postgresql.ARRAY", call("sqlalchemy.String", 50))
    result = field(col("tags", spec, nullable=False))
    assert result.code == "tags = ArrayField(models.CharField(max_length=50))"
    assert result.imports == ["from django.contrib.postgres.fields import ArrayField"]
    assert has_note(result.notes, "PostgreSQL only")


def test_array_dimensions_nest_array_fields() -> None:
    spec = t("postgresql.ARRAY", Ref("sqlalchemy.Integer"), dimensions=2)
    assert code_of_field(col("grid", spec, nullable=False)) == "grid = ArrayField(ArrayField(models.IntegerField()))"


# -- Mapped[...] annotations


@pytest.mark.parametrize(
    ("annotation", "code"),
    [
        ("int", "models.IntegerField()"),
        ("str", "models.TextField()"),
        ("bool", "models.BooleanField()"),
        ("float", "models.FloatField()"),
        ("datetime.datetime", "models.DateTimeField()"),
        ("datetime", "models.DateTimeField()"),
        ("datetime.date", "models.DateField()"),
        ("datetime.time", "models.TimeField()"),
        ("datetime.timedelta", "models.DurationField()"),
        ("uuid.UUID", "models.UUIDField()"),
        ("bytes", "models.BinaryField()"),
        ("dict[str, Any]", "models.JSONField()"),
        ("list[str]", "models.JSONField()"),
        ("'int'", "models.IntegerField()"),
    ],
)
def test_mapped_annotations(annotation: str, code: str) -> None:
    assert code_of_field(col("value", annotation=annotation)) == f"value = {code}"


def test_mapped_decimal_without_precision_is_not_exact() -> None:
    result = field(col("price", annotation="Decimal"))
    assert result.code == "price = models.DecimalField(max_digits=38, decimal_places=10)"
    assert not result.exact


def test_mapped_str_explains_the_text_field() -> None:
    result = field(col("name", annotation="str"))
    assert has_note(result.notes, "Mapped[str]", "unbounded")


@pytest.mark.parametrize("annotation", ["Optional[str]", "str | None", "typing.Optional[str]", "Union[str, None]"])
def test_optional_annotation_is_nullable(annotation: str) -> None:
    assert code_of_field(col("nick", annotation=annotation)) == "nick = models.TextField(null=True, blank=True)"


def test_explicit_nullable_beats_the_annotation() -> None:
    assert (
        code_of_field(col("age", annotation="int", nullable=True)) == "age = models.IntegerField(null=True, blank=True)"
    )


def test_type_wins_over_annotation_but_annotation_gives_nullability() -> None:
    # name: Mapped[str] = mapped_column(String(30))
    assert code_of_field(col("name", t("String", 30), annotation="str")) == "name = models.CharField(max_length=30)"


def test_mapped_enum_class_reuses_known_members() -> None:
    first = col("status", t("Enum", members=STATUS, cls="Status"), nullable=False)
    second = col("state", annotation="Status")
    thing = model("Thing", "things", [pk(), first, second])
    result = django_field(second, thing, OrmSchema([thing]))
    assert result is not None
    assert result.code == "state = models.CharField(max_length=9, choices=Status.choices)"


def test_unknown_annotation_is_not_exact() -> None:
    result = field(col("point", annotation="Point"))
    assert result.code == "point = models.TextField()"
    assert not result.exact


# ---------------------------------------------------------------------------
# Column options


def test_plain_column_is_nullable_by_sqlalchemy_default() -> None:
    # age = Column(Integer)
    result = field(col("age", "Integer"))
    assert result.code == "age = models.IntegerField(null=True, blank=True)"
    assert has_note(result.notes, "SQLAlchemy's default")


def test_nullable_false_is_django_default() -> None:
    assert code_of_field(col("age", "Integer", nullable=False)) == "age = models.IntegerField()"


def test_nullable_text_notes_the_empty_string_convention() -> None:
    result = field(col("bio", "Text"))
    assert result.code == "bio = models.TextField(null=True, blank=True)"
    assert has_note(result.notes, "''", "NULL")


def test_unique_and_index() -> None:
    # email = db.Column(db.String(255), unique=True, index=True, nullable=False)
    column = col("email", t("String", 255), unique=True, index=True, nullable=False)
    assert code_of_field(column) == "email = models.CharField(max_length=255, unique=True, db_index=True)"


@pytest.mark.parametrize(
    ("type_", "default", "shown"),
    [("Integer", 0, "0"), ("Boolean", True, "True"), ("String", "new", '"new"'), ("Float", 1.5, "1.5")],
)
def test_literal_defaults(type_: str, default: Value, shown: str) -> None:
    code = code_of_field(col("value", type_, nullable=False, default=default))
    assert code.endswith(f"(default={shown})")


def test_empty_dict_default_becomes_dict_callable() -> None:
    assert code_of_field(col("meta", "JSON", nullable=False, default={})) == "meta = models.JSONField(default=dict)"


def test_empty_list_default_becomes_list_callable() -> None:
    assert code_of_field(col("meta", "JSON", nullable=False, default=[])) == "meta = models.JSONField(default=list)"


def test_non_empty_mutable_default_needs_a_function() -> None:
    result = field(col("meta", "JSON", nullable=False, default={"a": 1}))
    assert result.code == "meta = models.JSONField()"
    assert not result.exact
    assert has_note(result.notes, "mutable")


def test_utcnow_default_becomes_auto_now_add() -> None:
    # created_at = Column(DateTime, default=datetime.utcnow, nullable=False)
    result = field(col("created_at", "DateTime", nullable=False, default=Ref("datetime.datetime.utcnow")))
    assert result.code == "created_at = models.DateTimeField(auto_now_add=True)"
    assert has_note(result.notes, "non-editable")


def test_project_utcnow_default_becomes_auto_now_add() -> None:
    column = col("created_at", "DateTime", nullable=False, default=Ref("shop.models.utcnow"))
    assert code_of_field(column) == "created_at = models.DateTimeField(auto_now_add=True)"


def test_now_default_and_onupdate_become_auto_now() -> None:
    now = Ref("datetime.datetime.now")
    result = field(col("updated_at", "DateTime", nullable=False, default=now, onupdate=now))
    assert result.code == "updated_at = models.DateTimeField(auto_now=True)"
    assert has_note(result.notes, "QuerySet.update()")


def test_server_default_func_now_becomes_auto_now_add_and_db_default() -> None:
    # created_at = Column(DateTime, server_default=func.now(), nullable=False)
    now = CallValue("sqlalchemy.func.now", (), (), "func.now()")
    result = field(col("created_at", "DateTime", nullable=False, server_default=now))
    assert result.code == "created_at = models.DateTimeField(auto_now_add=True, db_default=Now())"
    assert result.imports == ["from django.db.models.functions import Now"]


def test_func_now_through_a_project_db_object_is_recognised() -> None:
    now = CallValue("shop.extensions.db.func.now", (), (), "db.func.now()")
    result = field(col("created_at", "DateTime", nullable=False, server_default=now, onupdate=now))
    assert result.code == "created_at = models.DateTimeField(auto_now=True, db_default=Now())"


def test_called_now_default_is_flagged_as_import_time_value() -> None:
    # created = Column(DateTime, default=datetime.now())  -- evaluated once
    default = CallValue("datetime.datetime.now", (), (), "datetime.now()")
    result = field(col("created", "DateTime", nullable=False, default=default))
    assert result.code == "created = models.DateTimeField(auto_now_add=True)"
    assert not result.exact
    assert has_note(result.notes, "import time")


def test_lambda_now_default_becomes_auto_now_add() -> None:
    default = Opaque("lambda: datetime.now(timezone.utc)")
    assert code_of_field(col("at", "DateTime", nullable=False, default=default)) == (
        "at = models.DateTimeField(auto_now_add=True)"
    )


def test_other_onupdate_has_no_equivalent() -> None:
    result = field(col("revision", "Integer", nullable=False, onupdate=Ref("shop.models.next_revision")))
    assert result.code == "revision = models.IntegerField()"
    assert not result.exact
    assert has_note(result.notes, "onupdate", "save()")


def test_stdlib_callable_default_is_module_qualified() -> None:
    # token = Column(Uuid, default=uuid.uuid4, nullable=False)
    result = field(col("token", "Uuid", nullable=False, default=Ref("uuid.uuid4")))
    assert result.code == "token = models.UUIDField(default=uuid.uuid4)"
    assert result.imports == ["import uuid"]


def test_project_callable_default_is_imported_with_a_note() -> None:
    result = field(col("code", t("String", 8), nullable=False, default=Ref("shop.utils.make_code")))
    assert result.code == "code = models.CharField(max_length=8, default=make_code)"
    assert result.imports == ["from shop.utils import make_code"]
    assert has_note(result.notes, "make_code", "shop.utils")


def test_lambda_default_is_left_out_and_flagged() -> None:
    result = field(col("code", t("String", 8), nullable=False, default=Opaque("lambda: secrets.token_hex(4)")))
    assert result.code == "code = models.CharField(max_length=8)"
    assert not result.exact
    assert has_note(result.notes, "lambdas")


def test_decimal_default_is_kept_with_its_import() -> None:
    default = CallValue("decimal.Decimal", ("0.00",), (), 'Decimal("0.00")')
    result = field(col("price", t("Numeric", 8, 2), nullable=False, default=default))
    assert result.code == 'price = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0.00"))'
    assert result.imports == ["from decimal import Decimal"]


@pytest.mark.parametrize(
    ("type_", "server_default", "shown"),
    [
        ("Integer", "0", "0"),
        ("Boolean", "1", "True"),
        ("Boolean", call("sqlalchemy.text", "false"), "False"),
        ("Boolean", CallValue("sqlalchemy.sql.expression.true", (), (), "true()"), "True"),
        ("String", "draft", '"draft"'),
        ("String", call("sqlalchemy.text", "'draft'"), '"draft"'),
        ("Float", "0.5", "0.5"),
        ("Integer", call("sqlalchemy.text", "42"), "42"),
    ],
)
def test_server_default_becomes_db_default(type_: str, server_default: Value, shown: str) -> None:
    result = field(col("value", type_, nullable=False, server_default=server_default))
    assert result.code.endswith(f"(db_default={shown})") or result.code.endswith(f", db_default={shown})")
    assert result.exact


def test_untranslatable_server_default_is_flagged() -> None:
    result = field(col("slug", "Text", nullable=False, server_default=call("sqlalchemy.text", "gen_slug()")))
    assert result.code == "slug = models.TextField()"
    assert not result.exact
    assert has_note(result.notes, "server_default", "db_default")


def test_comment_doc_and_info_label() -> None:
    column = col("sku", t("String", 20), nullable=False, comment="stock unit", doc="The SKU", info={"label": "SKU"})
    assert code_of_field(column) == (
        'sku = models.CharField(max_length=20, verbose_name="SKU", help_text="The SKU", db_comment="stock unit")'
    )


def test_column_name_differing_from_attribute_becomes_db_column() -> None:
    # user_name = Column("uname", String(30), nullable=False)
    column = col("user_name", t("String", 30), db_column="uname", nullable=False)
    assert code_of_field(column) == 'user_name = models.CharField(max_length=30, db_column="uname")'


def test_invalid_django_field_name_is_renamed() -> None:
    result = field(col("type_", t("String", 10), nullable=False))
    assert result.code == 'type = models.CharField(max_length=10, db_column="type_")'
    assert has_note(result.notes, "renamed")


# ---------------------------------------------------------------------------
# Primary keys


def test_integer_id_is_left_to_django() -> None:
    thing = model("Thing", "things", [pk()])
    schema = OrmSchema([thing])
    assert django_field(thing.columns[0], thing, schema) is None
    assert has_note(model_code(thing, schema).notes, "id", "DEFAULT_AUTO_FIELD")


def test_big_integer_id_is_explicit_big_auto_field() -> None:
    column = pk("id", "BigInteger")
    owner = model("Thing", "things", [column])
    assert field(column, owner=owner).code == "id = models.BigAutoField(primary_key=True)"


def test_integer_key_with_another_name_is_an_auto_field() -> None:
    column = pk("thing_no")
    owner = model("Thing", "things", [column])
    assert field(column, owner=owner).code == "thing_no = models.AutoField(primary_key=True)"


def test_integer_key_without_autoincrement_is_a_plain_key() -> None:
    column = pk("id", autoincrement=False)
    owner = model("Thing", "things", [column])
    assert field(column, owner=owner).code == "id = models.IntegerField(primary_key=True)"


def test_string_primary_key() -> None:
    column = col("code", t("String", 3), primary_key=True)
    owner = model("Currency", "currencies", [column])
    assert field(column, owner=owner).code == "code = models.CharField(max_length=3, primary_key=True)"


def test_uuid_primary_key_with_default() -> None:
    column = col("id", "Uuid", primary_key=True, default=Ref("uuid.uuid4"))
    owner = model("Token", "tokens", [column])
    assert field(column, owner=owner).code == "id = models.UUIDField(primary_key=True, default=uuid.uuid4)"


def test_composite_primary_key_columns() -> None:
    # order_id = Column(ForeignKey(...), primary_key=True); line_no = Column(Integer, primary_key=True)
    order = model("Order", "orders")
    line = model(
        "OrderLine",
        "order_lines",
        [col("order_id", "Integer", fk="orders.id", primary_key=True), pk("line_no"), col("qty", "Integer")],
    )
    result = model_code(line, OrmSchema([order, line]))
    assert result.fields[0].code == 'pk = models.CompositePrimaryKey("order", "line_no")'
    assert not result.exact
    assert has_note(result.fields[0].notes, "CompositePrimaryKey", "ForeignKey")
    codes = [f.code for f in result.fields]
    assert 'order = models.ForeignKey("Order", on_delete=models.PROTECT)' in codes
    assert "line_no = models.IntegerField()" in codes


def test_primary_key_constraint_in_table_args_is_composite() -> None:
    spec = model(
        "Stock",
        "stock",
        [col("shop", t("String", 10), nullable=False), col("sku", t("String", 10), nullable=False)],
        table_args=[call("sqlalchemy.PrimaryKeyConstraint", "shop", "sku")],
    )
    result = model_code(spec, OrmSchema([spec]))
    assert result.fields[0].code == 'pk = models.CompositePrimaryKey("shop", "sku")'
    assert "PrimaryKeyConstraint" not in result.code


# ---------------------------------------------------------------------------
# Foreign keys and relationships


def users_and_orders(
    order_rel: dict[str, Value] | None = None,
    user_rel: dict[str, Value] | None = None,
    ondelete: str | None = None,
    **fk_kwargs: Value,
) -> tuple[ModelSpec, ModelSpec, OrmSchema]:
    user = model("User", "users", [pk()], [rel("orders", "Order", **user_rel)] if user_rel is not None else [])
    order = model(
        "Order",
        "orders",
        [pk(), col("user_id", "Integer", fk="users.id", ondelete=ondelete, **fk_kwargs)],
        [rel("user", "User", **order_rel)] if order_rel is not None else [],
    )
    return user, order, OrmSchema([user, order])


def test_fk_column_and_relationship_become_one_field() -> None:
    # user_id = Column(ForeignKey("users.id", ondelete="CASCADE")); user = relationship("User", back_populates="orders")
    _, order, schema = users_and_orders({"back_populates": "orders"}, {"back_populates": "user"}, "CASCADE")
    assert django_field(order.columns[1], order, schema) is None
    result = django_relationship(order.relationships[0], order, schema)
    assert result is not None
    assert result.code == (
        'user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="orders", null=True, blank=True)'
    )
    assert result.name == "user"
    assert result.source == "user_id + user"


def test_the_reverse_side_emits_nothing_and_is_noted() -> None:
    user, _, schema = users_and_orders({"back_populates": "orders"}, {"back_populates": "user"}, "CASCADE")
    assert django_relationship(user.relationships[0], user, schema) is None
    notes = model_code(user, schema).notes
    assert has_note(notes, "User.orders", "reverse accessor", "related_name='orders'")


def test_fk_without_relationship_is_named_after_the_column() -> None:
    _, order, schema = users_and_orders(nullable=False)
    result = django_field(order.columns[1], order, schema)
    assert result is not None
    assert result.code == 'user = models.ForeignKey("User", on_delete=models.PROTECT)'
    assert has_note(result.notes, "no relationship()")
    assert has_note(result.notes, "PROTECT")


def test_backref_string_becomes_related_name() -> None:
    _, order, schema = users_and_orders({"backref": "orders"}, nullable=False)
    result = django_relationship(order.relationships[0], order, schema)
    assert result is not None
    assert result.code == 'user = models.ForeignKey("User", on_delete=models.PROTECT, related_name="orders")'


def test_backref_call_with_uselist_false_becomes_one_to_one() -> None:
    backref = CallValue(
        "sqlalchemy.orm.backref", ("profile",), (("uselist", False),), 'backref("profile", uselist=False)'
    )
    _, order, schema = users_and_orders({"backref": backref}, nullable=False)
    result = django_relationship(order.relationships[0], order, schema)
    assert result is not None
    assert result.code == 'user = models.OneToOneField("User", on_delete=models.PROTECT, related_name="profile")'


def test_parent_side_backref_names_the_child_field() -> None:
    # User.orders = relationship("Order", backref="customer"); Order.customer_id = Column(ForeignKey("users.id"))
    user = model("User", "users", [pk()], [rel("orders", "Order", backref="customer")])
    order = model("Order", "orders", [pk(), col("customer_id", "Integer", fk="users.id", nullable=False)])
    schema = OrmSchema([user, order])
    result = django_field(order.columns[1], order, schema)
    assert result is not None
    assert result.code == 'customer = models.ForeignKey("User", on_delete=models.PROTECT, related_name="orders")'
    assert django_relationship(user.relationships[0], user, schema) is None


def test_delete_cascade_on_the_parent_relationship_becomes_cascade() -> None:
    user, order, schema = users_and_orders(
        {"back_populates": "orders"}, {"back_populates": "user", "cascade": "all, delete-orphan"}, nullable=False
    )
    result = django_relationship(order.relationships[0], order, schema)
    assert result is not None
    assert "on_delete=models.CASCADE" in result.code
    user_code = model_code(user, schema)
    assert has_note(user_code.notes, "delete-orphan")
    assert not user_code.exact


def test_orm_nulls_children_without_cascade() -> None:
    # no ondelete, parent relationship without delete cascade, nullable FK: the ORM sets it to NULL
    _, order, schema = users_and_orders({"back_populates": "orders"}, {"back_populates": "user"})
    result = django_relationship(order.relationships[0], order, schema)
    assert result is not None
    assert "on_delete=models.SET_NULL" in result.code
    assert has_note(result.notes, "nulls")


def test_ondelete_set_null_forces_null() -> None:
    _, order, schema = users_and_orders({}, ondelete="SET NULL", nullable=False)
    result = django_relationship(order.relationships[0], order, schema)
    assert result is not None
    assert result.code == 'user = models.ForeignKey("User", on_delete=models.SET_NULL, null=True, blank=True)'
    assert has_note(result.notes, "SET NULL", "NOT NULL")


@pytest.mark.parametrize(
    ("ondelete", "django"),
    [("RESTRICT", "models.RESTRICT"), ("NO ACTION", "models.PROTECT"), ("cascade", "models.CASCADE")],
)
def test_ondelete_values(ondelete: str, django: str) -> None:
    _, order, schema = users_and_orders({}, ondelete=ondelete, nullable=False)
    result = django_relationship(order.relationships[0], order, schema)
    assert result is not None
    assert f"on_delete={django}" in result.code


def test_passive_deletes_without_ondelete_is_protect() -> None:
    _, order, schema = users_and_orders(
        {"back_populates": "orders"}, {"back_populates": "user", "passive_deletes": True}
    )
    result = django_relationship(order.relationships[0], order, schema)
    assert result is not None
    assert "on_delete=models.PROTECT" in result.code


def test_uselist_false_on_the_parent_makes_one_to_one() -> None:
    user, order, schema = users_and_orders(
        {"back_populates": "orders"}, {"back_populates": "user", "uselist": False}, "CASCADE", nullable=False
    )
    result = django_relationship(order.relationships[0], order, schema)
    assert result is not None
    assert result.code == 'user = models.OneToOneField("User", on_delete=models.CASCADE, related_name="orders")'
    assert has_note(result.notes, "UNIQUE")
    assert has_note(model_code(user, schema).notes, "reverse one-to-one accessor")


def test_scalar_mapped_annotation_on_the_parent_makes_one_to_one() -> None:
    user = model("User", "users", [pk()], [rel("profile", None, annotation='"Profile"', back_populates="user")])
    profile = model(
        "Profile",
        "profiles",
        [pk(), col("user_id", annotation="int", fk="users.id", ondelete="CASCADE")],
        [rel("user", None, annotation='"User"', back_populates="profile")],
    )
    result = django_relationship(profile.relationships[0], profile, OrmSchema([user, profile]))
    assert result is not None
    assert result.code == 'user = models.OneToOneField("User", on_delete=models.CASCADE, related_name="profile")'


def test_list_mapped_annotation_stays_many_to_one() -> None:
    user = model("User", "users", [pk()], [rel("orders", None, annotation='list["Order"]', back_populates="user")])
    order = model(
        "Order",
        "orders",
        [pk(), col("user_id", annotation="int", fk="users.id", ondelete="CASCADE")],
        [rel("user", None, annotation='"User"', back_populates="orders")],
    )
    result = django_relationship(order.relationships[0], order, OrmSchema([user, order]))
    assert result is not None
    assert result.code.startswith('user = models.ForeignKey("User"')


def test_unique_fk_with_uselist_false_is_one_to_one() -> None:
    _, order, schema = users_and_orders({"uselist": False}, ondelete="CASCADE", nullable=False, unique=True)
    result = django_relationship(order.relationships[0], order, schema)
    assert result is not None
    assert result.code == 'user = models.OneToOneField("User", on_delete=models.CASCADE)'


def test_self_referential_fk_uses_self() -> None:
    # parent_id = Column(ForeignKey("categories.id"))
    # parent = relationship("Category", remote_side=[id], backref="children")
    category = model(
        "Category",
        "categories",
        [pk(), col("parent_id", "Integer", fk="categories.id")],
        [rel("parent", "Category", remote_side=[Ref("shop.models.Category.id")], backref="children")],
    )
    schema = OrmSchema([category])
    result = django_relationship(category.relationships[0], category, schema)
    assert result is not None
    assert result.code == (
        'parent = models.ForeignKey("self", on_delete=models.SET_NULL, related_name="children", null=True, blank=True)'
    )


def test_self_referential_pair_with_back_populates() -> None:
    category = model(
        "Category",
        "categories",
        [pk(), col("parent_id", "Integer", fk="categories.id")],
        [
            rel("children", "Category", back_populates="parent"),
            rel("parent", "Category", remote_side=Ref("shop.models.Category.id"), back_populates="children"),
        ],
    )
    schema = OrmSchema([category])
    assert django_relationship(category.relationships[0], category, schema) is None
    result = django_relationship(category.relationships[1], category, schema)
    assert result is not None
    assert 'related_name="children"' in result.code


def test_foreign_keys_argument_picks_the_column() -> None:
    address = model("Address", "addresses")
    order = model(
        "Order",
        "orders",
        [
            pk(),
            col("billing_id", "Integer", fk="addresses.id", nullable=False),
            col("shipping_id", "Integer", fk="addresses.id", nullable=False),
        ],
        [
            rel("billing", "Address", foreign_keys=[Ref("shop.models.Order.billing_id")]),
            rel("shipping", "Address", foreign_keys="[Order.shipping_id]"),
        ],
    )
    codes = [f.code for f in model_code(order, OrmSchema([address, order])).fields]
    assert codes == [
        'billing = models.ForeignKey("Address", on_delete=models.PROTECT, related_name="orders_by_billing")',
        'shipping = models.ForeignKey("Address", on_delete=models.PROTECT, related_name="orders_by_shipping")',
    ]


def test_db_column_kept_when_fk_column_is_not_field_id() -> None:
    # author = relationship("User"); author_uid = Column(ForeignKey("users.id"))
    user = model("User", "users")
    post = model(
        "Post", "posts", [pk(), col("author_uid", "Integer", fk="users.id", nullable=False)], [rel("author", "User")]
    )
    result = django_relationship(post.relationships[0], post, OrmSchema([user, post]))
    assert result is not None
    assert result.code == 'author = models.ForeignKey("User", on_delete=models.PROTECT, db_column="author_uid")'


def test_fk_to_a_unique_non_key_column_uses_to_field() -> None:
    user = model("User", "users", [pk(), col("email", t("String", 100), unique=True, nullable=False)])
    order = model("Order", "orders", [pk(), col("user_email", t("String", 100), fk="users.email", nullable=False)])
    result = django_field(order.columns[1], order, OrmSchema([user, order]))
    assert result is not None
    assert result.code == (
        'user_email = models.ForeignKey("User", on_delete=models.PROTECT, to_field="email", db_column="user_email")'
    )
    assert result.exact


def test_fk_to_an_unknown_table_stays_a_plain_column() -> None:
    result = field(col("legacy_id", "Integer", fk="legacy.id", nullable=False))
    assert result.code == "legacy_id = models.IntegerField()"
    assert not result.exact
    assert has_note(result.notes, "legacy.id")


def test_relationship_without_a_foreign_key_is_noted() -> None:
    user = model("User", "users", [pk()], [rel("orders", "Order")])
    order = model("Order", "orders")
    schema = OrmSchema([user, order])
    assert django_relationship(user.relationships[0], user, schema) is None
    result = model_code(user, schema)
    assert not result.exact
    assert has_note(result.notes, "User.orders", "no foreign key")


def test_relationship_lazy_and_order_by_notes() -> None:
    user, order, schema = users_and_orders(
        {"back_populates": "orders", "lazy": "joined"},
        {"back_populates": "user", "lazy": "dynamic", "order_by": Ref("shop.models.Order.id")},
    )
    owner = django_relationship(order.relationships[0], order, schema)
    assert owner is not None
    assert has_note(owner.notes, "select_related('user')")
    notes = model_code(user, schema).notes
    assert has_note(notes, "lazy='dynamic'", "related manager")
    assert has_note(notes, "order_by=id", "Meta.ordering")


# -- many-to-many

POST_TAGS = table(
    "post_tags",
    col("post_id", "Integer", fk="posts.id", primary_key=True),
    col("tag_id", "Integer", fk="tags.id", primary_key=True),
)


def posts_and_tags(
    tag_rels: list[RelationshipSpec], post_kwargs: dict[str, Value]
) -> tuple[ModelSpec, ModelSpec, OrmSchema]:
    post = model("Post", "posts", [pk()], [rel("tags", "Tag", secondary=Ref("shop.models.post_tags"), **post_kwargs)])
    tag = model("Tag", "tags", [pk()], tag_rels)
    return post, tag, OrmSchema([post, tag], [POST_TAGS])


def test_many_to_many_with_back_populates_is_owned_by_the_first_model() -> None:
    post, tag, schema = posts_and_tags(
        [rel("posts", "Post", secondary=Ref("shop.models.post_tags"), back_populates="tags")],
        {"back_populates": "posts"},
    )
    result = django_relationship(post.relationships[0], post, schema)
    assert result is not None
    assert result.code == 'tags = models.ManyToManyField("Tag", related_name="posts", db_table="post_tags")'
    assert result.source == "tags + posts, post_tags"
    assert django_relationship(tag.relationships[0], tag, schema) is None
    assert has_note(model_code(tag, schema).notes, "Tag.posts", "reverse side of Post.tags")


def test_many_to_many_backref() -> None:
    post, _, schema = posts_and_tags([], {"backref": "posts"})
    result = django_relationship(post.relationships[0], post, schema)
    assert result is not None
    assert result.code == 'tags = models.ManyToManyField("Tag", related_name="posts", db_table="post_tags")'
    assert has_note(result.notes, "`id` primary key")


def test_many_to_many_secondary_as_table_name_string() -> None:
    post = model("Post", "posts", [pk()], [rel("tags", "Tag", secondary="post_tags")])
    tag = model("Tag", "tags")
    result = django_relationship(post.relationships[0], post, OrmSchema([post, tag], [POST_TAGS]))
    assert result is not None
    assert result.code == 'tags = models.ManyToManyField("Tag", db_table="post_tags")'


def test_many_to_many_with_extra_columns_gets_a_through_model() -> None:
    book_authors = table(
        "book_authors",
        col("book_id", "Integer", fk="books.id", primary_key=True),
        col("author_id", "Integer", fk="authors.id", primary_key=True),
        col("role", t("String", 20), nullable=False),
    )
    book = model("Book", "books", [pk()], [rel("authors", "Author", through=book_authors, back_populates="books")])
    author = model("Author", "authors", [pk()], [rel("books", "Book", through=book_authors, back_populates="authors")])
    schema = OrmSchema([book, author], [book_authors])
    result = django_relationship(book.relationships[0], book, schema)
    assert result is not None
    assert result.code == 'authors = models.ManyToManyField("Author", related_name="books", through="BookAuthor")'
    text = module(schema)
    assert (
        "class BookAuthor(models.Model):\n"
        '    pk = models.CompositePrimaryKey("book", "author")\n'
        '    book = models.ForeignKey("Book", on_delete=models.CASCADE)\n'
        '    author = models.ForeignKey("Author", on_delete=models.CASCADE)\n'
        "    role = models.CharField(max_length=20)\n"
        "\n"
        "    class Meta:\n"
        '        db_table = "book_authors"'
    ) in text


def test_self_referential_many_to_many_keeps_its_table_with_through_fields() -> None:
    follows = table(
        "follows",
        col("follower_id", "Integer", fk="users.id", primary_key=True),
        col("followed_id", "Integer", fk="users.id", primary_key=True),
    )
    user = model(
        "User",
        "users",
        [pk()],
        [
            rel(
                "following",
                "User",
                through=follows,
                primaryjoin=Opaque("follows.c.follower_id == User.id"),
                secondaryjoin=Opaque("follows.c.followed_id == User.id"),
                backref="followers",
            )
        ],
    )
    schema = OrmSchema([user], [follows])
    result = django_relationship(user.relationships[0], user, schema)
    assert result is not None
    assert result.code == (
        'following = models.ManyToManyField("self", symmetrical=False, related_name="followers", '
        'through="Follow", through_fields=("follower", "followed"))'
    )
    text = module(schema)
    assert 'follower = models.ForeignKey("User", on_delete=models.CASCADE, related_name="follows_by_follower")' in text


# ---------------------------------------------------------------------------
# Meta: table name, constraints, indexes


def test_tablename_becomes_db_table() -> None:
    spec = model("Thing", "things_tbl")
    assert (
        model_code(spec, OrmSchema([spec])).code
        == 'class Thing(models.Model):\n    class Meta:\n        db_table = "things_tbl"'
    )


def test_missing_tablename_uses_flask_sqlalchemy_name() -> None:
    spec = model("UserProfile", None)
    result = model_code(spec, OrmSchema([spec]))
    assert 'db_table = "user_profile"' in result.code
    assert has_note(result.notes, "Flask-SQLAlchemy")


def meta_of(*table_args: Value, columns: list[ColumnSpec] | None = None) -> ModelCode:
    columns = columns or [
        pk(),
        col("user_id", "Integer", fk="users.id", nullable=False),
        col("number", t("String", 20), nullable=False),
        col("price", t("Numeric", 8, 2), nullable=False),
        col("cost", t("Numeric", 8, 2)),
    ]
    user = model("User", "users")
    spec = model("Order", "orders", columns, table_args=list(table_args))
    return model_code(spec, OrmSchema([user, spec]))


def test_unique_constraint_uses_django_field_names() -> None:
    result = meta_of(call("sqlalchemy.UniqueConstraint", "user_id", "number", name="uq_order_number"))
    assert 'models.UniqueConstraint(fields=["user", "number"], name="uq_order_number"),' in result.code


def test_unnamed_unique_constraint_gets_a_name() -> None:
    result = meta_of(call("sqlalchemy.UniqueConstraint", Ref("shop.models.Order.number")))
    assert 'models.UniqueConstraint(fields=["number"], name="orders_number_uniq"),' in result.code
    assert has_note(result.notes, "requires a name")


def test_index_keeps_a_short_name() -> None:
    result = meta_of(call("sqlalchemy.Index", "ix_orders_number", "number"))
    assert 'models.Index(fields=["number"], name="ix_orders_number"),' in result.code
    assert result.exact


def test_long_index_name_is_shortened_deterministically() -> None:
    long_name = "ix_orders_number_and_price_for_reports"
    first = meta_of(call("sqlalchemy.Index", long_name, "number", "price"))
    second = meta_of(call("sqlalchemy.Index", long_name, "number", "price"))
    assert first.code == second.code
    name = first.code.split('name="', 1)[1].split('"', 1)[0]
    assert len(name) <= 30 and name.startswith("ix_orders_number")
    assert not first.exact
    assert has_note(first.notes, long_name, "30 characters")


def test_unique_index_becomes_unique_constraint() -> None:
    result = meta_of(call("sqlalchemy.Index", "ux_number", "number", unique=True))
    assert 'models.UniqueConstraint(fields=["number"], name="ux_number"),' in result.code


def test_expression_index_is_flagged() -> None:
    result = meta_of(call("sqlalchemy.Index", "ix_lower", Opaque("func.lower(number)")))
    assert "indexes" not in result.code
    assert not result.exact


def test_partial_index_condition() -> None:
    where = call("sqlalchemy.text", "cost IS NOT NULL")
    result = meta_of(call("sqlalchemy.Index", "ix_cost", "cost", postgresql_where=where))
    assert 'models.Index(fields=["cost"], name="ix_cost", condition=models.Q(cost__isnull=False)),' in result.code


@pytest.mark.parametrize(
    ("sql", "condition"),
    [
        ("price >= 0", "models.Q(price__gte=0)"),
        ("price > 0 AND price < 1000", "models.Q(price__gt=0) & models.Q(price__lt=1000)"),
        ("0 <= price", "models.Q(price__gte=0)"),
        ("cost <= price", 'models.Q(cost__lte=models.F("price"))'),
        ("number <> ''", '~models.Q(number="")'),
        ("cost IS NULL OR cost >= 0", "models.Q(cost__isnull=True) | models.Q(cost__gte=0)"),
        ("number IN ('a', 'b')", 'models.Q(number__in=["a", "b"])'),
        ("(price > 0)", "models.Q(price__gt=0)"),
        ("orders.price >= 0", "models.Q(price__gte=0)"),
        ("price BETWEEN 0 AND 100", "models.Q(price__range=(0, 100))"),
        ("NOT (cost > price)", '~(models.Q(cost__gt=models.F("price")))'),
    ],
)
def test_check_constraint_translations(sql: str, condition: str) -> None:
    result = meta_of(call("sqlalchemy.CheckConstraint", sql, name="ck"))
    assert f'models.CheckConstraint(condition={condition}, name="ck"),' in result.code
    assert result.exact


def test_check_constraint_from_sqlalchemy_expression() -> None:
    result = meta_of(call("sqlalchemy.CheckConstraint", Opaque("Order.price >= 0"), name="ck_price"))
    assert 'models.CheckConstraint(condition=models.Q(price__gte=0), name="ck_price"),' in result.code


def test_unnamed_check_constraint_gets_a_name() -> None:
    result = meta_of(call("sqlalchemy.CheckConstraint", "price >= 0"))
    assert 'name="orders_price_check"' in result.code


def test_untranslatable_check_constraint_is_only_noted() -> None:
    result = meta_of(call("sqlalchemy.CheckConstraint", "length(number) > 3", name="ck_len"))
    assert "CheckConstraint" not in result.code
    assert not result.exact
    assert has_note(result.notes, "length(number) > 3")


def test_table_options_comment_and_schema() -> None:
    result = meta_of({"comment": "All orders", "schema": "sales"})
    assert 'db_table_comment = "All orders"' in result.code
    assert not result.exact
    assert has_note(result.notes, "schema")


def test_constraints_declared_outside_the_class_are_included() -> None:
    user = model("User", "users")
    spec = model(
        "Order",
        "orders",
        [pk(), col("number", t("String", 20), nullable=False)],
        extra_constraints=[call("sqlalchemy.Index", "ix_number", Ref("shop.models.Order.number"))],
    )
    assert 'models.Index(fields=["number"], name="ix_number")' in model_code(spec, OrmSchema([user, spec])).code


# ---------------------------------------------------------------------------
# Model-level notes and inheritance


def test_hybrid_and_column_properties_and_mapper_args_are_noted() -> None:
    spec = model(
        "Order",
        "orders",
        hybrid_properties=["total"],
        column_properties={"line_count": "column_property(select(func.count()))"},
        mapper_args={"version_id_col": Ref("shop.models.Order.version")},
    )
    result = model_code(spec, OrmSchema([spec]))
    assert not result.exact
    assert has_note(result.notes, "hybrid property total", "@property")
    assert has_note(result.notes, "column_property line_count", "annotate()")
    assert has_note(result.notes, "__mapper_args__")


def test_abstract_mixin_becomes_an_abstract_base() -> None:
    mixin = model("TimestampMixin", None, [col("created_at", "DateTime", nullable=False)], abstract=True)
    user = model(
        "User",
        "users",
        [pk(), col("created_at", "DateTime", nullable=False, inherited_from="TimestampMixin")],
        bases=["TimestampMixin"],
    )
    schema = OrmSchema([user, mixin])
    assert model_code(mixin, schema).code == (
        "class TimestampMixin(models.Model):\n"
        "    created_at = models.DateTimeField()\n\n"
        "    class Meta:\n"
        "        abstract = True"
    )
    assert model_code(user, schema).code == 'class User(TimestampMixin):\n    class Meta:\n        db_table = "users"'
    text = module(schema)
    assert text.index("class TimestampMixin(") < text.index("class User(")


def test_columns_from_a_plain_mixin_are_inlined() -> None:
    user = model("User", "users", [pk(), col("deleted", "Boolean", nullable=False, inherited_from="SoftDelete")])
    result = model_code(user, OrmSchema([user]))
    assert "    deleted = models.BooleanField()" in result.code
    assert has_note(result.notes, "deleted: inlined from the mixin SoftDelete")


def test_joined_table_inheritance_uses_a_parent_link() -> None:
    employee = model("Employee", "employees", [pk(), col("name", t("String", 50), nullable=False)])
    manager = model(
        "Manager",
        "managers",
        [
            col("id", "Integer", fk="employees.id", primary_key=True),
            col("name", t("String", 50), nullable=False, inherited_from="Employee"),
            col("budget", "Integer", nullable=False),
        ],
        bases=["Employee"],
        mapper_args={"polymorphic_identity": "manager"},
    )
    result = model_code(manager, OrmSchema([employee, manager]))
    assert result.code.startswith("class Manager(Employee):")
    assert result.fields[0].code == (
        'employee_ptr = models.OneToOneField("Employee", on_delete=models.CASCADE, parent_link=True, '
        'primary_key=True, db_column="id")'
    )
    assert "name =" not in result.code
    assert has_note(result.notes, "polymorphic")


def test_single_table_child_sharing_the_parent_table_name_is_a_proxy() -> None:
    # the extractor gives an STI child its parent's __tablename__
    employee = model("Employee", "employees", [pk(), col("kind", t("String", 20))])
    engineer = model(
        "Engineer",
        "employees",
        [pk(inherited_from="Employee"), col("kind", t("String", 20), inherited_from="Employee")],
        bases=["Employee"],
    )
    badge = model("Badge", "badges", [pk(), col("holder_id", "Integer", fk="employees.id", nullable=False)])
    schema = OrmSchema([engineer, employee, badge])
    assert model_code(engineer, schema).code == "class Engineer(Employee):\n    class Meta:\n        proxy = True"
    holder = django_field(badge.columns[1], badge, schema)
    assert holder is not None
    assert holder.code.startswith('holder = models.ForeignKey("Employee"')


def test_single_table_inheritance_becomes_a_proxy() -> None:
    employee = model("Employee", "employees", [pk(), col("kind", t("String", 20))])
    engineer = model(
        "Engineer",
        None,
        [
            pk(inherited_from="Employee"),
            col("kind", t("String", 20), inherited_from="Employee"),
            col("level", "Integer"),
        ],
        bases=["Employee"],
    )
    result = model_code(engineer, OrmSchema([employee, engineer]))
    assert result.code == "class Engineer(Employee):\n    class Meta:\n        proxy = True"
    assert has_note(result.notes, "level", "move them")
    assert not result.exact


# ---------------------------------------------------------------------------
# Module


def test_module_has_imports_definitions_and_models() -> None:
    status = col("status", t("Enum", members=STATUS, cls="Status"), nullable=False)
    created = col(
        "created", "DateTime", nullable=False, server_default=CallValue("sqlalchemy.func.now", (), (), "func.now()")
    )
    token = col("token", "Uuid", nullable=False, default=Ref("uuid.uuid4"))
    spec = model("Account", "accounts", [pk(), status, created, token])
    text = module(OrmSchema([spec]))
    assert text.startswith('"""Django models translated by fwlint')
    assert (
        "import uuid\n\nfrom django.db import models\nfrom django.db.models.functions import Now\n\n\n"
        "class Status(models.TextChoices):"
    ) in text
    assert text.index("class Status(") < text.index("class Account(")


def test_module_shares_one_choices_class_between_models() -> None:
    first = model("A", "a", [pk(), col("status", t("Enum", members=STATUS, cls="Status"), nullable=False)])
    second = model("B", "b", [pk(), col("status", t("Enum", members=STATUS, cls="Status"), nullable=False)])
    assert module(OrmSchema([first, second])).count("class Status(") == 1


def test_module_imports_array_field_when_used() -> None:
    spec = model("Doc", "docs", [pk(), col("tags", t("postgresql.ARRAY", Ref("sqlalchemy.Text")), nullable=False)])
    assert "from django.contrib.postgres.fields import ArrayField\nfrom django.db import models" in module(
        OrmSchema([spec])
    )


def test_every_field_code_parses() -> None:
    spec = model(
        "Mixed",
        "mixed",
        [
            pk(),
            col("a", t("Enum", "x", "y'z")),
            col("b", t("String", 5), default='quote "me"'),
            col("c", "JSON", default={"k": [1, 2]}),
            col("d", "Interval", server_default=call("sqlalchemy.text", "'1 day'")),
        ],
    )
    result = model_code(spec, OrmSchema([spec]))
    assert "db_default" not in result.code  # an interval literal has no portable Django value
    assert has_note(result.notes + [n for f in result.fields for n in f.notes], "'1 day'")


def test_relationship_paired_with_its_column_by_name_when_ambiguous() -> None:
    # two FKs to users; editor = relationship("User") without foreign_keys=
    user = model("User", "users")
    post = model(
        "Post",
        "posts",
        [pk(), col("author_id", "Integer", fk="users.id"), col("editor_id", "Integer", fk="users.id")],
        [rel("editor", "User", backref="edited_posts")],
    )
    result = django_relationship(post.relationships[0], post, OrmSchema([user, post]))
    assert result is not None
    assert result.code.startswith(
        'editor = models.ForeignKey("User", on_delete=models.SET_NULL, related_name="edited_posts"'
    )
    assert has_note(result.notes, "paired with editor_id by name")


def test_abstract_mixin_fk_is_declared_once_in_the_mixin() -> None:
    audit = model(
        "AuditMixin", None, [col("created_by_id", "Integer", fk="users.id")], [rel("created_by", "User")], abstract=True
    )
    user = model("User", "users")
    inherited = col("created_by_id", "Integer", fk="users.id", inherited_from="AuditMixin")
    post = model(
        "Post",
        "posts",
        [pk(), inherited],
        [rel("created_by", "User", inherited_from="AuditMixin")],
        bases=["AuditMixin"],
    )
    schema = OrmSchema([post, audit, user])
    assert model_code(post, schema).code == 'class Post(AuditMixin):\n    class Meta:\n        db_table = "posts"'
    assert '    created_by = models.ForeignKey("User", on_delete=models.PROTECT, null=True, blank=True)' in (
        model_code(audit, schema).code
    )


def test_abstract_mixin_related_name_gets_the_class_placeholder() -> None:
    audit = model(
        "AuditMixin",
        None,
        [col("created_by_id", "Integer", fk="users.id", nullable=False)],
        [rel("created_by", "User", backref="created")],
        abstract=True,
    )
    user = model("User", "users")
    result = django_relationship(audit.relationships[0], audit, OrmSchema([audit, user]))
    assert result is not None
    assert 'related_name="%(class)s_created"' in result.code


def test_choices_names_do_not_depend_on_which_field_is_asked_first() -> None:
    other = {"ON": "on", "OFF": "off"}
    first = model("A", "a", [pk(), col("status", t("Enum", members=STATUS, cls="Status"), nullable=False)])
    second = model("B", "b", [pk(), col("status", t("Enum", members=other, cls="Status"), nullable=False)])
    schema = OrmSchema([first, second])
    late = django_field(second.columns[1], second, schema)
    early = django_field(first.columns[1], first, schema)
    assert late is not None and early is not None
    assert "choices=StatusChoices.choices" in late.code
    assert "choices=Status.choices" in early.code
    text = module(schema)
    assert "class Status(models.TextChoices):" in text and "class StatusChoices(models.TextChoices):" in text


def test_results_follow_a_schema_that_grows_between_calls() -> None:
    _, order, schema = users_and_orders(nullable=False)
    assert django_field(order.columns[1], order, schema) is not None
    order.relationships.append(rel("user", "User", backref="orders"))
    assert django_field(order.columns[1], order, schema) is None
