"""Proof with Django itself: the ``models.py`` fwlint writes for a realistic SQLAlchemy
schema passes ``manage.py check``, ``makemigrations`` writes ``0001_initial.py``,
``migrate`` builds it on SQLite with the original table and column names, and the
ORM then works through the relation names the SQLAlchemy models used.

Django runs in a subprocess with its own settings module so nothing leaks into the
other tests.  PostgreSQL-only fields (ArrayField) live in a second schema that is
only checked, and only when a PostgreSQL driver is importable (Django's
``contrib.postgres`` imports one).
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fwlint.facts import CallValue, Ref
from fwlint.link.orm_types import ModelSpec, OrmSchema
from fwlint.translate.django_models import django_model, django_models_module

from .conftest import FIXTURES, index_of
from .test_translate_models import call, col, model, parsed, pk, rel, t, table

pytest.importorskip("django")

APP = "shopapp"
NOW = CallValue("sqlalchemy.func.now", (), (), "func.now()")
UTCNOW = Ref("datetime.datetime.utcnow")
BOOK_STATUS = {"DRAFT": "draft", "IN_PRINT": "in_print", "OUT_OF_PRINT": "out_of_print"}


def bookshop() -> OrmSchema:
    """A bookshop as the linker would extract it from a Flask-SQLAlchemy app."""
    book_tags = table(
        "book_tags",
        col("book_id", "Integer", fk="books.id", primary_key=True),
        col("tag_id", "Integer", fk="tags.id", primary_key=True),
    )
    book_authors = table(
        "book_authors",
        col("book_id", "Integer", fk="books.id", primary_key=True),
        col("author_id", "Integer", fk="authors.id", primary_key=True),
        col("role", t("String", 20), nullable=False, server_default="author"),
    )
    timestamps = model(
        "TimestampMixin",
        None,
        [
            col("created_at", "DateTime", nullable=False, server_default=NOW),
            col("updated_at", "DateTime", nullable=False, default=UTCNOW, onupdate=UTCNOW),
        ],
        abstract=True,
    )
    author = model(
        "Author",
        "authors",
        [
            pk(),
            col("public_id", "Uuid", nullable=False, unique=True, default=Ref("uuid.uuid4")),
            col("name", t("String", 120), nullable=False),
            col("bio", "Text"),
        ],
        [rel("books", "Book", through=book_authors, back_populates="authors")],
    )
    publisher = model(
        "Publisher",
        "publishers",
        [pk(), col("name", t("String", 80), nullable=False, unique=True), col("country", t("String", 2))],
        [rel("books", "Book", back_populates="publisher", lazy="dynamic")],
    )
    book = model(
        "Book",
        "books",
        [
            pk(),
            col("created_at", "DateTime", inherited_from="TimestampMixin"),
            col("updated_at", "DateTime", inherited_from="TimestampMixin"),
            col("title", t("String", 200), nullable=False),
            col("isbn", t("String", 13), nullable=False, unique=True, index=True),
            col("price", t("Numeric", 8, 2), nullable=False, server_default="0"),
            col(
                "status",
                t("Enum", members=BOOK_STATUS, cls="BookStatus"),
                nullable=False,
                default=Ref("shop.BookStatus.DRAFT"),
            ),
            col("attributes", "JSON", nullable=False, default={}),
            col("publisher_id", "Integer", fk="publishers.id", ondelete="SET NULL"),
            col("category_id", annotation="Optional[int]", fk="categories.id"),
        ],
        [
            rel("publisher", "Publisher", back_populates="books"),
            rel("authors", "Author", through=book_authors, back_populates="books"),
            rel("tags", "Tag", through=book_tags, backref="books"),
        ],
        bases=["TimestampMixin"],
        table_args=[
            call("sqlalchemy.UniqueConstraint", "title", "publisher_id", name="uq_books_title_publisher"),
            call("sqlalchemy.CheckConstraint", "price >= 0", name="ck_books_price"),
            call("sqlalchemy.Index", "ix_books_title_status_for_catalogue_pages", "title", "status"),
        ],
        hybrid_properties=["display_price"],
    )
    tag = model("Tag", "tags", [pk(), col("name", t("String", 40), nullable=False, unique=True)])
    category = model(
        "Category",
        "categories",
        [pk(), col("name", t("String", 60), nullable=False), col("parent_id", "Integer", fk="categories.id")],
        [
            rel("parent", "Category", remote_side=[Ref("shop.Category.id")], back_populates="children"),
            rel("children", "Category", back_populates="parent", cascade="all, delete-orphan"),
            rel("books", "Book", backref="category"),
        ],
    )
    customer = model(
        "Customer",
        "customers",
        [
            pk("id", "BigInteger"),
            col("email", t("String", 255), nullable=False, unique=True, index=True),
            col("referred_by_id", "BigInteger", fk="customers.id"),
            col("is_active", "Boolean", nullable=False, server_default=call("sqlalchemy.text", "true")),
        ],
        [
            rel("referred_by", "Customer", remote_side=Ref("shop.Customer.id"), backref="referrals"),
            rel("profile", "CustomerProfile", back_populates="customer", uselist=False, cascade="all, delete-orphan"),
            rel("orders", "Order", back_populates="customer", order_by=Ref("shop.Order.created_at")),
        ],
    )
    profile = model(
        "CustomerProfile",
        "customer_profiles",
        [
            pk(),
            col("customer_id", annotation="int", fk="customers.id", ondelete="CASCADE"),
            col("nickname", annotation="Optional[str]"),
            col("preferences", annotation="dict[str, Any]", default={}),
        ],
        [rel("customer", "Customer", back_populates="profile")],
    )
    order = model(
        "Order",
        "orders",
        [
            pk(),
            col("created_at", "DateTime", inherited_from="TimestampMixin"),
            col("updated_at", "DateTime", inherited_from="TimestampMixin"),
            col("customer_id", "BigInteger", fk="customers.id", ondelete="CASCADE", nullable=False),
            col("channel", t("Enum", "online", "store", name="order_channel"), nullable=False, default="online"),
            col("total", t("Numeric", 10, 2), nullable=False, default=0),
            col("shipped_on", "Date"),
            col("note", "Text", comment="free text from the customer"),
        ],
        [rel("customer", "Customer", back_populates="orders"), rel("lines", "OrderLine", back_populates="order")],
        bases=["TimestampMixin"],
    )
    line = model(
        "OrderLine",
        "order_lines",
        [
            col("order_id", "Integer", fk="orders.id", ondelete="CASCADE", primary_key=True),
            col("book_id", "Integer", fk="books.id", primary_key=True),
            col("quantity", "Integer", nullable=False, server_default="1"),
            col("unit_price", t("Numeric", 8, 2), nullable=False),
        ],
        [rel("order", "Order", back_populates="lines"), rel("book", "Book")],
        table_args=[call("sqlalchemy.CheckConstraint", "quantity > 0 AND unit_price >= 0", name="ck_line_positive")],
    )
    models = [book, author, publisher, tag, category, customer, profile, order, line, timestamps]
    return OrmSchema(models, [book_tags, book_authors])


def inheritance_schema() -> OrmSchema:
    """An abstract mixin with a relation, joined-table and single-table inheritance."""
    audit = model(
        "AuditMixin", None, [col("created_by_id", "Integer", fk="users.id")], [rel("created_by", "User")], abstract=True
    )
    created_by = col("created_by_id", "Integer", fk="users.id", inherited_from="AuditMixin")
    created_rel = rel("created_by", "User", inherited_from="AuditMixin")
    user = model("User", "users", [pk(), col("name", t("String", 50), nullable=False)])
    post = model(
        "Post",
        "posts",
        [pk(), created_by, col("editor_id", "Integer", fk="users.id")],
        [created_rel, rel("editor", "User", backref="edited_posts")],
        bases=["AuditMixin"],
    )
    page = model(
        "Page",
        "pages",
        [pk(), created_by, col("owner_id", "Integer", fk="users.id")],
        [created_rel],
        bases=["AuditMixin"],
    )
    employee = model(
        "Employee",
        "employees",
        [pk(), col("name", t("String", 50), nullable=False), col("kind", t("String", 20))],
        mapper_args={"polymorphic_on": Ref("shop.Employee.kind"), "polymorphic_identity": "employee"},
    )
    manager = model(
        "Manager",
        "managers",
        [
            col("id", "Integer", fk="employees.id", primary_key=True),
            col("name", t("String", 50), nullable=False, inherited_from="Employee"),
            col("budget", "Integer"),
        ],
        bases=["Employee"],
    )
    engineer = model("Engineer", None, [pk(inherited_from="Employee")], bases=["Employee"])
    return OrmSchema([post, page, audit, user, employee, manager, engineer])


def postgres_schema() -> OrmSchema:
    document = model(
        "Document",
        "documents",
        [
            col("id", "postgresql.UUID", primary_key=True, default=Ref("uuid.uuid4")),
            col("labels", t("postgresql.ARRAY", call("sqlalchemy.String", 40)), nullable=False, default=[]),
            col("matrix", t("postgresql.ARRAY", Ref("sqlalchemy.Integer"), dimensions=2)),
            col("body", "postgresql.JSONB", nullable=False, server_default=call("sqlalchemy.text", "'{}'::jsonb")),
        ],
    )
    return OrmSchema([document])


# ---------------------------------------------------------------------------
# A throwaway Django project


SETTINGS = f"""\
SECRET_KEY = "proof"
INSTALLED_APPS = ["{APP}"]
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
"""

MANAGE = """\
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proof_settings")
from django.core.management import execute_from_command_line

execute_from_command_line(sys.argv)
"""


def make_project(root: Path, models_py: str) -> Path:
    (root / "proof_settings.py").write_text(SETTINGS)
    (root / "manage.py").write_text(MANAGE)
    app = root / APP
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(models_py)
    return root


def manage(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("bookshop"), django_models_module(bookshop()))
    ok(manage(root, "check", "--fail-level", "WARNING"))
    ok(manage(root, "makemigrations", APP))
    ok(manage(root, "migrate", "--no-input"))
    return root


# ---------------------------------------------------------------------------
# The proof


def test_generated_module_is_valid_python() -> None:
    parsed(django_models_module(bookshop()))


def test_makemigrations_writes_the_initial_migration(migrated: Path) -> None:
    assert (migrated / APP / "migrations" / "0001_initial.py").is_file()
    assert "No changes detected" in ok(manage(migrated, "makemigrations", APP, "--check", "--dry-run"))


def test_migrate_keeps_the_sqlalchemy_table_names(migrated: Path) -> None:
    with sqlite3.connect(migrated / "db.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    expected = {"books", "authors", "publishers", "tags", "categories", "customers", "customer_profiles", "orders"}
    assert expected | {"order_lines", "book_tags", "book_authors"} <= tables


def columns(root: Path, table_name: str) -> dict[str, tuple[str, bool]]:
    """column -> (declared type, NOT NULL) as SQLite reports them."""
    with sqlite3.connect(root / "db.sqlite3") as db:
        return {row[1]: (row[2].lower(), bool(row[3])) for row in db.execute(f'PRAGMA table_info("{table_name}")')}


def test_migrate_keeps_column_names_and_nullability(migrated: Path) -> None:
    books = columns(migrated, "books")
    assert books["publisher_id"] == ("integer", False)  # nullable by SQLAlchemy's default
    assert books["category_id"] == ("integer", False)  # Mapped[Optional[int]]
    assert books["isbn"] == ("varchar(13)", True)
    assert books["price"][1] and books["created_at"][1]
    assert columns(migrated, "orders")["customer_id"] == ("bigint", True)
    assert columns(migrated, "customer_profiles")["nickname"] == ("text", False)
    lines = columns(migrated, "order_lines")
    assert set(lines) == {"order_id", "book_id", "quantity", "unit_price"}
    assert set(columns(migrated, "book_authors")) == {"book_id", "author_id", "role"}


SMOKE = f"""\
from decimal import Decimal

from {APP}.models import (
    Author, Book, BookAuthor, BookStatus, Category, Customer, CustomerProfile, Order, OrderLine, Publisher, Tag,
)

press = Publisher.objects.create(name="Penguin")
fiction = Category.objects.create(name="Fiction")
crime = Category.objects.create(name="Crime", parent=fiction)
book = Book.objects.create(title="Dune", isbn="9780441013593", publisher=press, category=crime)
book.refresh_from_db()
assert book.price == Decimal("0") and book.status == BookStatus.DRAFT and book.attributes == {{}}
author = Author.objects.create(name="Frank Herbert")
BookAuthor.objects.create(book=book, author=author)
book.tags.add(Tag.objects.create(name="sf"))
assert list(press.books.all()) == [book]
assert list(author.books.all()) == [book] and list(book.authors.all()) == [author]
assert BookAuthor.objects.get().role == "author"
assert [t.name for t in Tag.objects.get().books.get().tags.all()] == ["sf"]
assert list(fiction.children.all()) == [crime] and list(crime.books.all()) == [book]
alice = Customer.objects.create(email="a@example.com")
bob = Customer.objects.create(email="b@example.com", referred_by=alice)
assert list(alice.referrals.all()) == [bob]
CustomerProfile.objects.create(customer=alice)
assert Customer.objects.get(pk=alice.pk).profile.preferences == {{}}
order = Order.objects.create(customer=alice)
OrderLine.objects.create(order=order, book=book, unit_price=Decimal("9.99"))
assert list(alice.orders.all()) == [order] and order.lines.get().quantity == 1
assert order.channel == "online" and order.created_at is not None
press.delete()
book.refresh_from_db()
assert book.publisher is None
alice.delete()
assert not Order.objects.exists() and not OrderLine.objects.exists()
print("proof ok")
"""


def test_the_orm_works_through_the_sqlalchemy_names(migrated: Path) -> None:
    script = migrated / "smoke.py"
    script.write_text(
        textwrap.dedent(
            """\
            import django
            django.setup()
            """
        )
        + SMOKE
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "proof_settings", "PYTHONPATH": str(migrated)}
    result = subprocess.run([sys.executable, str(script)], cwd=migrated, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "proof ok" in result.stdout


def test_models_report_what_needs_review() -> None:
    schema = bookshop()
    by_name = {spec.name: spec for spec in schema.models}
    book = django_model(by_name["Book"], schema)
    assert not book.exact  # enum names vs values, the renamed index, the hybrid property
    customer = django_model(by_name["Customer"], schema)
    assert any("Customer.orders" in note and "order_by" in note for note in customer.notes)


def test_inheritance_schema_migrates(tmp_path: Path) -> None:
    root = make_project(tmp_path, django_models_module(inheritance_schema()))
    ok(manage(root, "check", "--fail-level", "WARNING"))
    ok(manage(root, "makemigrations", APP))
    ok(manage(root, "migrate", "--no-input"))
    assert set(columns(root, "managers")) == {"id", "budget"}
    assert set(columns(root, "posts")) == {"id", "created_by_id", "editor_id"}


def _postgres_driver() -> bool:
    return any(importlib.util.find_spec(name) is not None for name in ("psycopg", "psycopg2"))


@pytest.mark.skipif(not _postgres_driver(), reason="django.contrib.postgres needs psycopg or psycopg2 to import")
def test_postgresql_only_fields_pass_check(tmp_path: Path) -> None:
    text = django_models_module(postgres_schema())
    assert "from django.contrib.postgres.fields import ArrayField" in text
    root = make_project(tmp_path, text)
    ok(manage(root, "check", "--fail-level", "WARNING"))
    ok(manage(root, "makemigrations", APP))
    assert (root / APP / "migrations" / "0001_initial.py").is_file()


def test_postgresql_only_fields_are_written() -> None:
    spec: ModelSpec = postgres_schema().models[0]
    code = django_model(spec, postgres_schema()).code
    assert "labels = ArrayField(models.CharField(max_length=40), default=list)" in code
    assert "matrix = ArrayField(ArrayField(models.IntegerField()), null=True, blank=True)" in code
    assert "id = models.UUIDField(primary_key=True, default=uuid.uuid4)" in code


# ---------------------------------------------------------------------------
# The fixture apps, through the real extractor


def fixture_schema(name: str) -> OrmSchema:
    extractor = pytest.importorskip("fwlint.link.sqlalchemy_models")
    root = FIXTURES / name
    files = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.py"))}
    schema: OrmSchema = extractor.discover_models(index_of(files))[0]
    return schema


def test_fixture_shop_models_migrate(tmp_path: Path) -> None:
    root = make_project(tmp_path, django_models_module(fixture_schema("flask_shop")))
    ok(manage(root, "check", "--fail-level", "WARNING"))
    ok(manage(root, "makemigrations", APP))
    ok(manage(root, "migrate", "--no-input"))


@pytest.mark.skipif(not _postgres_driver(), reason="the clinic uses ArrayField: django.contrib.postgres needs a driver")
def test_fixture_clinic_models_pass_check(tmp_path: Path) -> None:
    root = make_project(tmp_path, django_models_module(fixture_schema("flask_clinic")))
    ok(manage(root, "check", "--fail-level", "WARNING"))
    ok(manage(root, "makemigrations", APP))
