"""Proof with Django and SQLAlchemy themselves: the SQLAlchemy models fwlint writes for Django
models run on the database Django created.

For each sample project (and the ``django_library`` fixture):

1. the generated module is executed in a fresh module, its registry is configured and
   ``Base.metadata.create_all()`` succeed on an in-memory SQLite database;
2. Django (in a subprocess: other tests configure Django in this process) runs
   ``makemigrations`` and ``migrate`` on a SQLite file, and SQLAlchemy's ``inspect()``
   reads both schemas: every Django table and column exists in the metadata with the
   same name, nullability, primary and foreign keys, unique column sets, index names
   and check constraints, except for the differences listed in :data:`KNOWN_DIFFERENCES`,
   which are asserted to be exactly what they are;
3. Django writes rows and the generated models read them back, following foreign keys,
   reverse accessors, many-to-many (plain, through a model, symmetrical), multi-table
   inheritance and proxies; deleting through SQLAlchemy reproduces ``on_delete``.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import types
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fwlint.link.django_models import DjangoSchema, discover_django_models
from fwlint.translate.sqlalchemy_models import translate_schema

from .conftest import FIXTURES, index_of

pytest.importorskip("django")
sqlalchemy = pytest.importorskip("sqlalchemy")

from sqlalchemy import create_engine, inspect, select  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

# Documented differences between Django's tables and the metadata, asserted below exactly:
KNOWN_DIFFERENCES = {
    "deferrable": "Django's FOREIGN KEYs are DEFERRABLE INITIALLY DEFERRED on SQLite; the metadata's are not",
    "ondelete": "Django's FOREIGN KEYs have no ON DELETE (on_delete runs in Python); the metadata states ondelete=",
    "json_valid": "Django adds CHECK (JSON_VALID(col) OR col IS NULL) to JSONField columns on SQLite",
    "unique_together": "unique_together is a named UNIQUE INDEX in Django's SQLite tables, a named UNIQUE "
    "constraint in the metadata (same columns, same name)",
}
# Tables of installed Django apps that define no model the project's models use.
DJANGO_APP_TABLES = {"django_migrations", "django_session", "django_admin_log", "authtoken_token"}
ONDELETE = {"CASCADE": "CASCADE", "SET_NULL": "SET NULL", "PROTECT": "RESTRICT", "RESTRICT": "RESTRICT"}


# ---------------------------------------------------------------------------
# Sample projects

LIBRARY_APPS = {
    "accounts/__init__.py": "",
    "accounts/apps.py": """\
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
""",
    "accounts/models.py": """\
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    class Tier(models.TextChoices):
        BASIC = "basic", "Basic"
        GOLD = "gold", "Gold"

    tier = models.CharField(max_length=5, choices=Tier.choices, default=Tier.BASIC)
    birthday = models.DateField(null=True, blank=True)


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    bio = models.TextField(blank=True)
""",
    "catalog/__init__.py": "",
    "catalog/apps.py": """\
from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    default_auto_field = "django.db.models.AutoField"
""",
    "catalog/models.py": """\
from django.conf import settings
from django.db import models
from django.db.models import Q


class TimeStamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(app_label)s_%(class)s_created",
    )

    class Meta:
        abstract = True
        ordering = ["-created"]


class Genre(models.Model):
    name = models.CharField(max_length=50, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")

    class Meta:
        ordering = ["name"]


class Author(TimeStamped):
    name = models.CharField(max_length=100, db_index=True)

    class Meta(TimeStamped.Meta):
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="author_has_name")]


class BookQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="pub")


class Book(TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "pub", "Published"

    title = models.CharField(max_length=200)
    isbn = models.CharField("ISBN", max_length=13, unique=True)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="books")
    editor = models.ForeignKey(Author, null=True, blank=True, on_delete=models.SET_NULL)
    genres = models.ManyToManyField(Genre, blank=True, related_name="books")
    contributors = models.ManyToManyField(Author, through="Contribution", related_name="contributions")
    status = models.CharField(max_length=5, choices=Status.choices, default=Status.DRAFT)
    price = models.DecimalField(max_digits=7, decimal_places=2, default=0)

    objects = BookQuerySet.as_manager()

    class Meta(TimeStamped.Meta):
        unique_together = [("title", "author")]
        indexes = [models.Index(fields=["status", "-created"], name="book_status_created_idx")]
        constraints = [
            models.UniqueConstraint(fields=["title"], condition=Q(status="pub"), name="uniq_published_title"),
            models.CheckConstraint(condition=Q(price__gte=0), name="book_price_not_negative"),
        ]

    def __str__(self):
        return self.title


class Contribution(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    role = models.CharField(max_length=20, default="editor")

    class Meta:
        unique_together = [("book", "author", "role")]


class PublishedBook(Book):
    class Meta:
        proxy = True
""",
    "places/__init__.py": "",
    "places/models.py": """\
from django.db import models


class Place(models.Model):
    name = models.CharField(max_length=50)
    address = models.CharField(max_length=80, blank=True)


class Restaurant(Place):
    serves_pizza = models.BooleanField(default=False)
    rivals = models.ManyToManyField("self", blank=True)


class Review(models.Model):
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey("accounts.User", on_delete=models.CASCADE)
    stars = models.PositiveSmallIntegerField()
""",
}

FIELD_APPS = {
    "kitchen/__init__.py": "",
    "kitchen/models.py": """\
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Now


class Priority(models.IntegerChoices):
    LOW = 1, "Low"
    HIGH = 2, "High"


class Supplier(models.Model):
    code = models.CharField(max_length=10, primary_key=True)
    name = models.CharField(max_length=50, unique=True)


class Gadget(models.Model):
    big = models.BigIntegerField(default=0)
    small = models.SmallIntegerField(null=True)
    positive = models.PositiveIntegerField(default=1)
    positive_big = models.PositiveBigIntegerField(null=True)
    positive_small = models.PositiveSmallIntegerField(default=0)
    flag = models.BooleanField(default=True)
    maybe = models.BooleanField(null=True)
    ratio = models.FloatField(null=True)
    amount = models.DecimalField(max_digits=10, decimal_places=3, null=True)
    label = models.CharField(max_length=30, db_column="gadget_label")
    body = models.TextField(blank=True)
    slug = models.SlugField()
    email = models.EmailField(null=True)
    url = models.URLField(blank=True)
    ip = models.GenericIPAddressField(null=True)
    path = models.FilePathField(path="/tmp", null=True)
    attachment = models.FileField(upload_to="files/", blank=True)
    day = models.DateField(null=True)
    moment = models.DateTimeField(null=True)
    clock = models.TimeField(null=True)
    span = models.DurationField(default=timedelta(hours=1))
    token = models.UUIDField(default=uuid.uuid4, unique=True)
    data = models.JSONField(default=dict)
    blob = models.BinaryField(null=True)
    priority = models.IntegerField(choices=Priority.choices, default=Priority.LOW)
    level = models.CharField(max_length=1, choices=[("a", "A"), ("b", "B")], default="a")
    stamp = models.DateTimeField(db_default=Now())
    supplier = models.ForeignKey(
        Supplier, to_field="name", db_column="supplier_name", null=True, on_delete=models.SET_NULL,
        related_name="gadgets",
    )
    fallback = models.ForeignKey(
        Supplier, null=True, default=None, on_delete=models.SET_DEFAULT, related_name="fallback_gadgets"
    )
    keeper = models.ForeignKey(Supplier, null=True, on_delete=models.DO_NOTHING, related_name="+")
    sentinel = models.ForeignKey(Supplier, null=True, on_delete=models.SET(None), related_name="sentinel_gadgets")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    follows = models.ManyToManyField("self", symmetrical=False, related_name="followers", blank=True)
    parts = models.ManyToManyField("Part", db_table="kitchen_gadget_parts_link", blank=True, related_name="used_in")


class Part(models.Model):
    id = models.SmallAutoField(primary_key=True)
    name = models.CharField(max_length=20)
    gadget = models.ForeignKey(Gadget, on_delete=models.CASCADE, related_name="spare_parts")

    class Meta:
        order_with_respect_to = "gadget"


class Tagged(models.Model):
    uid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    tag = models.SlugField()
""",
}


LIBRARY_ROWS = """\
from decimal import Decimal

from accounts.models import Profile, User
from catalog.models import Author, Book, Contribution, Genre
from places.models import Restaurant, Review

ann = User.objects.create_user("ann", "ann@example.com", "pw-not-used-here", tier=User.Tier.GOLD)
Profile.objects.create(user=ann, bio="reader")
fiction = Genre.objects.create(name="Fiction")
crime = Genre.objects.create(name="Crime", parent=fiction)
herbert = Author.objects.create(name="Frank Herbert", created_by=ann)
editor = Author.objects.create(name="An Editor")
dune = Book.objects.create(
    title="Dune", isbn="9780441013593", author=herbert, editor=editor, status=Book.Status.PUBLISHED,
    price=Decimal("9.99"), created_by=ann,
)
dune.genres.add(crime)
Contribution.objects.create(book=dune, author=editor, role="editor")
pizza = Restaurant.objects.create(name="Napoli", serves_pizza=True)
sushi = Restaurant.objects.create(name="Tokyo")
pizza.rivals.add(sushi)
Review.objects.create(restaurant=pizza, author=ann, stars=5)
print("rows ok")
"""

FIELD_ROWS = """\
import datetime
import uuid
from decimal import Decimal

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType

from kitchen.models import Gadget, Part, Priority, Supplier, Tagged

bob = User.objects.create_user("bob", password="pw-not-used-here")
acme = Supplier.objects.create(code="AC", name="Acme")
gizmo = Gadget.objects.create(
    big=2**40, small=-3, positive=7, positive_big=2**41, positive_small=2, flag=False, maybe=None, ratio=0.5,
    amount=Decimal("12.345"), label="Gizmo", body="text", slug="gizmo", email="g@example.com",
    url="https://example.com", ip="10.0.0.1", path="/tmp/x", attachment="files/a.txt",
    day=datetime.date(2024, 2, 29), moment=datetime.datetime(2024, 2, 29, 13, 30, tzinfo=datetime.timezone.utc),
    clock=datetime.time(8, 15), span=datetime.timedelta(days=2, seconds=5),
    token=uuid.UUID("12345678-1234-5678-1234-567812345678"), data={"a": [1, 2]}, blob=b"\\x00\\x01",
    priority=Priority.HIGH, level="b", supplier=acme, owner=bob,
)
plain = Gadget.objects.create(label="Plain", slug="plain", owner=bob)
gizmo.follows.add(plain)
bolt = Part.objects.create(name="bolt", gadget=gizmo)
nut = Part.objects.create(name="nut", gadget=gizmo)
gizmo.parts.add(bolt, nut)
Tagged.objects.create(content_type=ContentType.objects.get_for_model(Gadget), object_id=gizmo.pk, tag="shiny")
print("rows ok")
"""


@dataclass(frozen=True)
class Sample:
    name: str
    files: dict[str, str]
    apps: tuple[str, ...]
    auth_user_model: str | None
    rows: str


SAMPLES = [
    Sample("library", LIBRARY_APPS, ("accounts", "catalog", "places"), "accounts.User", LIBRARY_ROWS),
    Sample("fields", FIELD_APPS, ("kitchen",), None, FIELD_ROWS),
]


# ---------------------------------------------------------------------------
# Helpers


_counter = itertools.count()


@dataclass
class Generated:
    schema: DjangoSchema
    code: str
    module: types.ModuleType


def generate(files: dict[str, str]) -> Generated:
    """Discover, translate and execute the module in a fresh module object (its own registry)."""
    schema = discover_django_models(index_of(files))
    code = translate_schema(schema, max_name_length=None).module_code()  # SQLite's: no limit
    name = f"fwlint_generated_models_{next(_counter)}"
    module = types.ModuleType(name)
    sys.modules[name] = module  # SQLAlchemy resolves the annotations in the class's module
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an SAWarning (overlapping relationships...) is a failure
        exec(compile(code, name, "exec"), module.__dict__)
        # Only this module's registry: other tests in the process may have mapped classes of their own.
        module.Base.registry.configure()
    return Generated(schema, code, module)


@pytest.fixture(autouse=True)
def _fresh_registries() -> Iterator[None]:
    yield
    for name in [n for n in sys.modules if n.startswith("fwlint_generated_models_")]:
        sys.modules.pop(name).Base.registry.dispose()


SETTINGS = """\
SECRET_KEY = "proof"
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", {apps}]
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
{auth}
"""

MANAGE = """\
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proof_settings")
from django.core.management import execute_from_command_line

execute_from_command_line(sys.argv)
"""


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    environment = {
        **os.environ,
        "PYTHONPATH": str(root),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "proof_settings",
        **(env or {}),
    }
    result = subprocess.run(
        [sys.executable, *args], cwd=root, env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def django_project(root: Path, sample: Sample) -> Path:
    """A throwaway Django project with the sample's apps, migrated on ``db.sqlite3``."""
    for name, text in sample.files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    apps = ", ".join(f'"{app}"' for app in sample.apps)
    auth = f'AUTH_USER_MODEL = "{sample.auth_user_model}"' if sample.auth_user_model else ""
    (root / "proof_settings.py").write_text(SETTINGS.format(apps=apps, auth=auth))
    (root / "manage.py").write_text(MANAGE)
    run(root, "manage.py", "makemigrations", *sample.apps)
    run(root, "manage.py", "migrate", "--no-input")
    return root


LIBRARY, FIELDS = SAMPLES


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda s: s.name)
def migrated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Sample, Path]:
    sample: Sample = request.param
    root = django_project(tmp_path_factory.mktemp(sample.name), sample)
    script = root / "write_rows.py"
    script.write_text("import django\n\ndjango.setup()\n" + sample.rows)
    assert "rows ok" in run(root, str(script))
    return sample, root / "db.sqlite3"


# ---------------------------------------------------------------------------
# Reading a schema


@dataclass
class TableShape:
    columns: dict[str, tuple[bool, bool]]  # name -> (nullable, primary key)
    foreign_keys: set[tuple[tuple[str, ...], str, tuple[str, ...]]]
    ondelete: dict[tuple[str, ...], str | None]
    unique_sets: set[tuple[str, ...]]
    named_indexes: dict[str, tuple[tuple[str, ...], bool]]  # name -> (columns, unique)
    checks: set[str]


def _normalized_check(sql: str) -> str:
    """Check constraint SQL without quoting and grouping, so Django's and SQLAlchemy's spellings compare."""
    return re.sub(r"\s+", " ", re.sub(r"[\"'()]", "", sql)).strip()


def shape(engine: Engine) -> dict[str, TableShape]:
    found = inspect(engine)
    tables: dict[str, TableShape] = {}
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        for table in found.get_table_names():
            columns = {c["name"]: (bool(c["nullable"]), bool(c.get("primary_key"))) for c in found.get_columns(table)}
            fks = found.get_foreign_keys(table)
            unique_sets: set[tuple[str, ...]] = set()
            named: dict[str, tuple[tuple[str, ...], bool]] = {}
            for _, name, unique, origin, partial in raw.execute(f'PRAGMA index_list("{table}")').fetchall():
                index_columns = tuple(row[2] for row in raw.execute(f'PRAGMA index_info("{name}")').fetchall())
                if unique and origin != "pk" and not partial:
                    unique_sets.add(index_columns)
                if origin == "c":
                    named[name] = (index_columns, bool(unique))
            for constraint in found.get_unique_constraints(table):
                if constraint["name"]:
                    named[constraint["name"]] = (tuple(constraint["column_names"]), True)
            tables[table] = TableShape(
                columns,
                {(tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"])) for f in fks},
                {tuple(f["constrained_columns"]): f["options"].get("ondelete") for f in fks},
                unique_sets,
                named,
                {_normalized_check(c["sqltext"]) for c in found.get_check_constraints(table)},
            )
    return tables


def metadata_shape(generated: Generated) -> dict[str, TableShape]:
    engine = create_engine("sqlite://")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        generated.module.Base.metadata.create_all(engine)
    return shape(engine)


def ddl(database: Path) -> dict[str, str]:
    with sqlite3.connect(database) as db:
        return {name: sql for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")}


def json_columns(schema: DjangoSchema) -> dict[str, set[str]]:
    columns: dict[str, set[str]] = {}
    for model in schema.all_models():
        for spec in model.fields:
            if spec.field_class == "django.db.models.JSONField" and spec.column:
                columns.setdefault(model.table_name, set()).add(spec.column)
    return columns


def expected_ondelete(schema: DjangoSchema) -> dict[tuple[str, tuple[str, ...]], str | None]:
    """(table, FK columns) -> the ondelete= the translation states for each relation field."""
    expected: dict[tuple[str, tuple[str, ...]], str | None] = {}
    for model in schema.all_models():
        for spec in model.fields:
            if spec.kind in ("fk", "o2o") and spec.column and model.concrete:
                expected[(model.table_name, (spec.column,))] = ONDELETE.get(spec.on_delete or "")
            if spec.kind == "m2m" and spec.through is None and spec.m2m_table and spec.m2m_columns:
                for column in spec.m2m_columns:
                    expected[(spec.m2m_table, (column,))] = "CASCADE"
    return expected


def unique_together_names(schema: DjangoSchema) -> set[str]:
    """Constraint names the metadata carries for unique_together (and auto-created join tables)."""
    from fwlint.link.django_models import django_index_name

    names: set[str] = set()
    for model in schema.all_models():
        if not model.concrete:
            continue
        for group in model.meta.unique_together:
            columns = [c for name in group if (f := model.field_named(name)) and (c := f.column)]
            names.add(django_index_name(model.table_name, columns, "_uniq"))
        for spec in model.fields:
            if spec.kind == "m2m" and spec.through is None and spec.m2m_table and spec.m2m_columns:
                names.add(django_index_name(spec.m2m_table, list(spec.m2m_columns), "_uniq"))
    return names


def assert_same_schema(django_db: Path, generated: Generated, ignore_tables: set[str]) -> None:
    """Everything Django created is in the metadata, the same, but for KNOWN_DIFFERENCES."""
    django = shape(create_engine(f"sqlite:///{django_db}"))
    ours = metadata_shape(generated)
    assert set(django) - ignore_tables == set(ours), "tables differ"
    json_checks = json_columns(generated.schema)
    ondelete = expected_ondelete(generated.schema)
    together = unique_together_names(generated.schema)
    for table, theirs in django.items():
        if table in ignore_tables:
            continue
        mine = ours[table]
        assert theirs.columns == mine.columns, table
        assert theirs.foreign_keys == mine.foreign_keys, table
        assert theirs.unique_sets == mine.unique_sets, table
        assert set(theirs.named_indexes) == set(mine.named_indexes), table
        for name, (columns, unique) in theirs.named_indexes.items():
            assert mine.named_indexes[name][0] == columns, (table, name)
            assert mine.named_indexes[name][1] == unique, (table, name)
        # Known difference "json_valid": exactly one extra check per JSONField column.
        json_valid = {c for c in theirs.checks if c.startswith("JSON_VALID")}
        assert {c.split()[0].removeprefix("JSON_VALID") for c in json_valid} == json_checks.get(table, set()), table
        assert theirs.checks - json_valid == mine.checks, table
        # Known difference "ondelete": none in Django's tables, the on_delete mapping in ours.
        assert set(theirs.ondelete.values()) <= {None}, table
        assert mine.ondelete == {columns: ondelete[(table, columns)] for columns in mine.ondelete}, table
    # Known difference "unique_together": Django's named unique indexes are named constraints in ours.
    django_unique_names = {n for t in django.values() for n, (_, unique) in t.named_indexes.items() if unique}
    assert together <= django_unique_names
    # Known difference "deferrable": every REFERENCES of Django's DDL is deferred, none of ours.
    for table, sql in ddl(django_db).items():
        if table in ours:
            assert sql.count("REFERENCES") == sql.count("DEFERRABLE INITIALLY DEFERRED"), table


# ---------------------------------------------------------------------------
# (1) the generated module works on its own


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_generated_module_maps_and_creates_its_tables(sample: Sample) -> None:
    generated = generate(sample.files)
    engine = create_engine("sqlite://")
    generated.module.Base.metadata.create_all(engine)
    expected = {m.table_name for m in generated.schema.all_models() if m.concrete}
    assert expected <= set(inspect(engine).get_table_names())


def test_the_samples_cover_every_kind_of_model_and_field() -> None:
    """The samples exercise what the proof claims: keep them that way."""
    schemas = [discover_django_models(index_of(sample.files)) for sample in SAMPLES]
    models = [m for schema in schemas for m in schema.models]
    fields = [f for m in models for f in m.fields]
    assert any(m.abstract for m in models) and any(m.proxy for m in models) and any(m.parent for m in models)
    assert any(f.kind == "m2m" and f.through for f in fields) and any(f.kind == "m2m" and not f.through for f in fields)
    assert any(f.kind == "o2o" and not f.implicit for f in fields)
    assert any(f.kind == "fk" and f.target == m.qualname for m in models for f in m.fields)
    assert {m.app_label for m in schemas[0].models} == {"accounts", "catalog", "places"}
    assert schemas[0].auth_user_model == "accounts.models.User"
    used = {f.field_class.rsplit(".", 1)[-1] for f in fields}
    expected = {
        "AutoField", "BigAutoField", "SmallAutoField", "BigIntegerField", "SmallIntegerField", "IntegerField",
        "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField", "BooleanField", "FloatField",
        "DecimalField", "CharField", "TextField", "SlugField", "EmailField", "URLField", "GenericIPAddressField",
        "FilePathField", "FileField", "DateField", "DateTimeField", "TimeField", "DurationField", "UUIDField",
        "JSONField", "BinaryField", "ForeignKey", "OneToOneField", "ManyToManyField", "GenericForeignKey",
    }  # fmt: skip
    assert expected <= used, expected - used
    assert {f.on_delete for f in fields if f.on_delete} >= {
        "CASCADE", "PROTECT", "SET_NULL", "SET_DEFAULT", "SET", "DO_NOTHING"
    }  # fmt: skip


# ---------------------------------------------------------------------------
# (2) the metadata is Django's schema


def test_metadata_matches_the_schema_django_migrated(migrated: tuple[Sample, Path]) -> None:
    sample, database = migrated
    assert_same_schema(database, generate(sample.files), {"django_migrations"})


# ---------------------------------------------------------------------------
# (3) the models read and change what Django wrote


def _session(database: Path) -> Session:
    return Session(create_engine(f"sqlite:///{database}"))


@pytest.mark.parametrize("migrated", [LIBRARY], ids=["library"], indirect=True)
def test_library_rows_load_through_the_generated_models(migrated: tuple[Sample, Path], tmp_path: Path) -> None:
    sample, database = migrated
    copy = tmp_path / "db.sqlite3"
    shutil.copy(database, copy)  # the deletes below must not touch the module-scoped database
    m = generate(sample.files).module
    with _session(copy) as session:
        ann = session.scalars(select(m.User).where(m.User.username == "ann")).one()
        assert ann.tier is m.Tier.GOLD and ann.profile.bio == "reader" and ann.profile.user is ann
        assert ann.password.startswith("pbkdf2_sha256$")  # Django's hash format, kept as it is
        dune = session.scalars(select(m.Book)).one()
        assert dune.status is m.Status.PUBLISHED and dune.price == decimal.Decimal("9.99")
        assert dune.author.name == "Frank Herbert" and [b.title for b in dune.author.books] == ["Dune"]
        assert dune.editor.name == "An Editor" and dune.editor.book_set == [dune]
        assert [g.name for g in dune.genres] == ["Crime"] and dune.genres[0].books == [dune]
        assert dune.genres[0].parent.name == "Fiction" and dune.genres[0].parent.children == dune.genres
        assert [a.name for a in dune.contributors] == ["An Editor"] and dune.editor.contributions == [dune]
        assert [c.role for c in dune.contribution_set] == ["editor"]
        assert dune.created_by is ann and ann.catalog_book_created == [dune]
        assert ann.catalog_author_created == [dune.author]
        assert isinstance(dune.created, datetime.datetime) and dune.updated >= dune.created
        assert [b.title for b in session.scalars(select(m.PublishedBook))] == ["Dune"]  # the proxy
        napoli = session.scalars(select(m.Restaurant).where(m.Restaurant.name == "Napoli")).one()
        assert napoli.serves_pizza and napoli.id == napoli.place_ptr_id  # joined-table inheritance
        assert [r.name for r in napoli.rivals] == ["Tokyo"]  # Django wrote both directions of the symmetry
        tokyo = session.scalars(select(m.Restaurant).where(m.Restaurant.name == "Tokyo")).one()
        assert tokyo.rivals == [napoli]
        assert [(r.stars, r.author.username) for r in napoli.reviews] == [(5, "ann")]
        assert {p.name for p in session.scalars(select(m.Place))} == {"Napoli", "Tokyo"}
        # on_delete through the relationships, on tables whose FOREIGN KEYs have no ON DELETE:
        session.delete(dune.editor)  # SET_NULL on Book.editor, CASCADE on Contribution.author
        session.commit()
        assert dune.editor_id is None and session.scalars(select(m.Contribution)).all() == []
        fiction = session.scalars(select(m.Genre).where(m.Genre.name == "Fiction")).one()
        session.delete(fiction)  # CASCADE on Genre.parent; the join table rows of Crime go too
        session.commit()
        assert session.scalars(select(m.Genre)).all() == [] and dune.genres == []
        new = m.Book(title="Emma", isbn="9780141439587", author=dune.author, created_by=ann)
        session.add(new)
        session.commit()  # Python-side defaults fill what Django's defaults filled
        assert new.status is m.Status.DRAFT and new.price == 0 and new.created is not None


@pytest.mark.parametrize("migrated", [FIELDS], ids=["fields"], indirect=True)
def test_field_rows_load_through_the_generated_models(migrated: tuple[Sample, Path]) -> None:
    sample, database = migrated
    m = generate(sample.files).module
    with _session(database) as session:
        gizmo = session.scalars(select(m.Gadget).where(m.Gadget.label == "Gizmo")).one()
        assert (gizmo.big, gizmo.small, gizmo.positive, gizmo.positive_big, gizmo.positive_small) == (
            2**40, -3, 7, 2**41, 2
        )  # fmt: skip
        assert gizmo.flag is False and gizmo.maybe is None and gizmo.ratio == 0.5
        assert gizmo.amount == decimal.Decimal("12.345")
        assert (gizmo.body, gizmo.slug, gizmo.email, gizmo.url, gizmo.ip, gizmo.path, gizmo.attachment) == (
            "text", "gizmo", "g@example.com", "https://example.com", "10.0.0.1", "/tmp/x", "files/a.txt"
        )  # fmt: skip
        assert gizmo.day == datetime.date(2024, 2, 29) and gizmo.clock == datetime.time(8, 15)
        assert gizmo.moment == datetime.datetime(2024, 2, 29, 13, 30)  # UTC, naive from SQLite
        assert gizmo.span == datetime.timedelta(days=2, seconds=5)  # Django's microseconds, read back
        assert gizmo.token == uuid.UUID("12345678-1234-5678-1234-567812345678")
        assert gizmo.data == {"a": [1, 2]} and gizmo.blob == b"\x00\x01"
        assert gizmo.priority == m.Priority.HIGH and gizmo.level == "b" and gizmo.stamp is not None
        assert gizmo.supplier.code == "AC" and gizmo.supplier_id == "Acme"  # to_field="name", db_column
        assert gizmo.supplier.gadgets == [gizmo] and gizmo.owner.username == "bob"
        plain = session.scalars(select(m.Gadget).where(m.Gadget.label == "Plain")).one()
        assert gizmo.follows == [plain] and plain.followers == [gizmo] and plain.follows == []
        assert plain.span == datetime.timedelta(hours=1) and plain.data == {} and plain.priority == m.Priority.LOW
        assert [p.name for p in gizmo.spare_parts] == ["bolt", "nut"] and {p.name for p in gizmo.parts} == {
            "bolt", "nut"
        }  # fmt: skip
        assert [p._order for p in gizmo.spare_parts] == [0, 1]  # order_with_respect_to's column
        assert gizmo.parts[0].used_in == [gizmo]
        tagged = session.scalars(select(m.Tagged)).one()
        assert (tagged.content_type.app_label, tagged.content_type.model, tagged.object_id) == (
            "kitchen", "gadget", gizmo.id
        )  # fmt: skip
        assert isinstance(tagged.uid, uuid.UUID) and gizmo.owner.groups == []
        # A row written through SQLAlchemy reads back through Django's conventions.
        made = m.Gadget(label="Made", slug="made", owner=gizmo.owner)
        session.add(made)
        session.commit()
        assert made.span == datetime.timedelta(hours=1) and made.token is not None and made.data == {}
    with sqlite3.connect(database) as db:
        span, token = db.execute("SELECT span, token FROM kitchen_gadget WHERE gadget_label = 'Made'").fetchone()
    assert span == 3_600_000_000 and len(token) == 32  # microseconds and hex: what Django writes


# ---------------------------------------------------------------------------
# The fixture project, migrated by its own migrations


LIBRARY_FIXTURE = FIXTURES / "django_library"


@pytest.fixture(scope="module")
def fixture_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not LIBRARY_FIXTURE.is_dir():
        pytest.skip("fixtures/django_library is not there")
    database = tmp_path_factory.mktemp("django_library") / "db.sqlite3"
    run(
        LIBRARY_FIXTURE,
        "manage.py",
        "migrate",
        "--no-input",
        env={
            "DJANGO_SETTINGS_MODULE": "library_site.settings.dev",
            "LIBRARY_DATABASE": str(database),
            "PYTHONPATH": str(LIBRARY_FIXTURE),
        },
    )
    return database


def fixture_files() -> dict[str, str]:
    return {
        p.relative_to(LIBRARY_FIXTURE).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(LIBRARY_FIXTURE.rglob("*.py"))
        if "migrations" not in p.parts
    }


def test_fixture_models_map_and_create_their_tables() -> None:
    if not LIBRARY_FIXTURE.is_dir():
        pytest.skip("fixtures/django_library is not there")
    generated = generate(fixture_files())
    names = {m.name for m in generated.schema.models}
    assert {"User", "Profile", "Book", "BookCopy", "Magazine", "FeaturedBook", "Loan", "FinePayment"} <= names
    engine = create_engine("sqlite://")
    generated.module.Base.metadata.create_all(engine)
    assert "catalog_magazine" in inspect(engine).get_table_names()


def test_fixture_metadata_matches_its_migrated_database(fixture_database: Path) -> None:
    # Tables of installed apps without models the project's models use (admin, sessions, DRF tokens).
    assert_same_schema(fixture_database, generate(fixture_files()), DJANGO_APP_TABLES)
