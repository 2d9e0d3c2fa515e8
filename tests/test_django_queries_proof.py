"""Proof with both ORMs: the Django code fwlint writes for a query returns what the SQLAlchemy original returned.

The same rows go into two in-memory SQLite databases. Flask-SQLAlchemy runs the
*original* code in this process; Django runs the *translated* code in a
subprocess (so its settings never meet the other tests' Django configuration).
Each result is normalised (instances → ``[table, pk]``, rows → lists, pages →
``{"page", "items"}``, errors → ``404``/``none``/``many``) and the two must match.
Writes run in a transaction that is rolled back; a SQL snapshot of the table
shows their effect on both sides.
"""

from __future__ import annotations

import json
import subprocess
import sys
import types
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from fwlint.translate.django_queries import QueryTranslation, translate_query

pytest.importorskip("django")
flask = pytest.importorskip("flask")
flask_sqlalchemy = pytest.importorskip("flask_sqlalchemy")
sa = pytest.importorskip("sqlalchemy")

MODELS = {"Author": "Author", "Book": "Book", "Review": "Review", "Tag": "Tag"}

DATA: dict[str, list[dict[str, Any]]] = {
    "author": [
        {"id": 1, "name": "Ann", "email": "ann@example.org", "active": True},
        {"id": 2, "name": "Bob", "email": "BOB@Example.org", "active": False},
        {"id": 3, "name": "Cyd", "email": "cyd@example.org", "active": True},
    ],
    "tag": [{"id": 1, "name": "python"}, {"id": 2, "name": "web"}],
    "book": [
        {"id": 1, "title": "Python 101", "author_id": 1, "price": 30, "pages": 300, "rating": 5, "published": True},
        {"id": 2, "title": "Flask Web", "author_id": 1, "price": 25, "pages": 250, "rating": None, "published": True},
        {"id": 3, "title": "Django Deep", "author_id": 2, "price": 40, "pages": 40, "rating": 3, "published": False},
        {"id": 4, "title": "SQL 100% Proof", "author_id": 2, "price": 15, "pages": 120, "rating": 4, "published": True},
        {"id": 5, "title": "the_end", "author_id": 1, "price": 10, "pages": 90, "rating": None, "published": False},
    ],
    "review": [
        {"id": 1, "book_id": 1, "stars": 5, "body": "great"},
        {"id": 2, "book_id": 1, "stars": 2, "body": "meh"},
        {"id": 3, "book_id": 3, "stars": 1, "body": "bad"},
        {"id": 4, "book_id": 4, "stars": 4, "body": "good"},
    ],
    "book_tags": [{"book_id": 1, "tag_id": 1}, {"book_id": 2, "tag_id": 1}, {"book_id": 2, "tag_id": 2}],
}
# Names the original code and its translation both refer to.
VARIABLES: dict[str, Any] = {"ids": [1, 2], "q": "ython", "email": "BOB@example.org", "name": "Ann"}


@dataclass(frozen=True)
class Case:
    id: str
    code: str  # the SQLAlchemy original
    var: str | None = None  # the variable holding the result, for statement translations
    snapshot: str | None = None  # SQL showing a write's effect
    ordered: bool = False
    compare_value: bool = True  # False where the return values differ by design (noted) and only the effect counts
    setup: str | None = None  # SQLAlchemy code run first, translated for Django too
    exact: bool = True  # whether the translation claims to be exact


CASES = [
    Case("filter_by", "Book.query.filter_by(author_id=1).all()"),
    Case("gt_order_desc", "Book.query.filter(Book.price > 20).order_by(Book.price.desc()).all()", ordered=True),
    Case("like_contains", 'Book.query.filter(Book.title.like("%Py%")).all()'),
    Case("ilike_contains", 'Book.query.filter(Book.title.ilike("%FLASK%")).all()'),
    Case("like_escaped_percent", r'Book.query.filter(Book.title.like("%100\\%%", escape="\\")).all()'),
    Case("like_underscore_regex", 'Book.query.filter(Book.title.like("the_e%")).all()'),
    Case("like_fstring", 'Book.query.filter(Book.title.like(f"%{q}%")).all()'),
    Case("startswith", 'Book.query.filter(Book.title.startswith("Fl")).all()'),
    Case("contains_variable", "Book.query.filter(Book.title.contains(q)).all()"),
    Case("is_none", "Book.query.filter(Book.rating.is_(None)).all()"),
    Case("isnot_none_count", "Book.query.filter(Book.rating.isnot(None)).count()"),
    Case("eq_none", "Book.query.filter(Book.rating == None).all()"),
    Case("not_equal_not_null", "Book.query.filter(Book.pages != 300).all()"),
    Case("or_", "Book.query.filter(or_(Book.price < 15, Book.published == False)).all()"),
    Case("bitor", "Book.query.filter((Book.price < 15) | (Book.rating == 5)).all()"),
    Case("and_", "Book.query.filter(and_(Book.published, Book.price >= 25)).all()"),
    Case("in_count", "Book.query.filter(Book.id.in_(ids)).count()"),
    Case("not_in", "Book.query.filter(~Book.id.in_(ids)).all()"),
    Case("between", "Book.query.filter(Book.price.between(15, 30)).all()"),
    Case("bare_boolean", "Book.query.filter(Book.published).all()"),
    Case("not_boolean", "Book.query.filter(not_(Book.published)).all()"),
    Case("column_vs_column", "Book.query.filter(Book.price == Book.pages).all()"),
    Case("any_fk_reverse", "Author.query.filter(Author.books.any(Book.price > 20)).all()"),
    Case("not_any", "Author.query.filter(~Author.books.any()).all()"),
    Case("any_count", "Book.query.filter(Book.reviews.any(Review.stars >= 1)).count()"),
    Case("any_m2m", 'Book.query.filter(Book.tags.any(Tag.name == "web")).all()'),
    Case("has", 'Book.query.filter(Book.author.has(Author.name == "Ann")).all()'),
    Case("has_kwargs", "db.session.query(Book).filter(Book.author.has(active=True)).all()"),
    Case("join_filter", "Book.query.join(Author).filter(Author.active == True).all()"),
    Case("join_dedupe_legacy", "Author.query.join(Author.books).all()"),
    Case("join_duplicates_2_0", "db.session.scalars(select(Author).join(Author.books)).all()"),
    Case("join_filter_by_target", "Author.query.join(Author.books).filter_by(published=False).all()"),
    Case("lower_iexact", 'Author.query.filter(func.lower(Author.email) == "bob@example.org").all()'),
    Case("lower_alias", "Author.query.filter(func.lower(Author.email) == email).all()"),
    Case("count_scalar", "db.session.query(func.count(Book.id)).scalar()"),
    Case("sum_filtered", "db.session.query(func.sum(Book.price)).filter(Book.author_id == 1).scalar()"),
    Case("avg", "db.session.query(func.avg(Book.price)).scalar()"),
    Case(
        "group_by_count",
        "db.session.query(Book.author_id, func.count(Book.id)).group_by(Book.author_id).order_by(Book.author_id).all()",
        ordered=True,
    ),
    Case(
        "having",
        'db.session.query(Book.author_id, func.count(Book.id).label("n"))'
        ".group_by(Book.author_id).having(func.count(Book.id) > 2).all()",
    ),
    Case(
        "scalars_select",
        "db.session.scalars(select(Book).where(Book.price < 30).order_by(Book.title)).all()",
        ordered=True,
    ),
    Case("execute_columns", "db.session.execute(select(Book.title, Book.price).where(Book.published)).all()"),
    Case("scalars_column", "db.session.execute(select(Book.title).order_by(Book.title)).scalars().all()", ordered=True),
    Case("count_star", "db.session.scalar(select(func.count()).select_from(Book).where(Book.published))"),
    Case("rows_one_column", "db.session.query(Book.title).filter(Book.author_id == 2).all()"),
    Case("with_entities", "Book.query.with_entities(Book.title).order_by(Book.title).all()", ordered=True),
    Case("offset_limit", "Book.query.order_by(Book.title).offset(1).limit(2).all()", ordered=True),
    Case("nulls_last", "Book.query.order_by(nullslast(Book.rating.desc()), Book.id).all()", ordered=True),
    Case("get", "Book.query.get(2)"),
    Case("session_get_missing", "db.session.get(Book, 99)"),
    Case("first_none", 'Book.query.filter_by(title="nope").first()'),
    Case("first_ordered", "Book.query.order_by(Book.price).first()"),
    Case("one", "Book.query.filter_by(id=3).one()"),
    Case("one_many", "Book.query.filter(Book.author_id == 1).one()"),
    Case("exists_legacy", "db.session.query(Book.query.filter(Book.price > 35).exists()).scalar()"),
    Case("exists_function", "db.session.query(exists().where(Book.price > 100)).scalar()"),
    Case("in_subquery", "Book.query.filter(Book.id.in_(select(Review.book_id).where(Review.stars >= 4))).all()"),
    Case("joinedload", "Book.query.options(joinedload(Book.author)).filter(Book.price > 20).all()"),
    Case("paginate", "Book.query.order_by(Book.id).paginate(page=2, per_page=2, error_out=False)"),
    Case("db_paginate", "db.paginate(select(Book).order_by(Book.id), page=3, per_page=2)"),
    Case("get_or_404_missing", "db.get_or_404(Book, 99)"),
    Case("get_or_404_legacy", "Book.query.get_or_404(4)"),
    Case("first_or_404_many", "db.first_or_404(select(Book).where(Book.author_id == 1).order_by(Book.id))"),
    Case("first_or_404_legacy", "Book.query.filter_by(author_id=2).order_by(Book.price).first_or_404()"),
    Case("one_or_404_missing", "db.one_or_404(select(Author).filter_by(name='Zed'))"),
    Case(
        "legacy_update",
        'Book.query.filter(Book.author_id == 1).update({"price": Book.price + 1})',
        snapshot="SELECT id, price FROM book ORDER BY id",
    ),
    Case(
        "update_statement",
        "db.session.execute(update(Book).where(Book.published == False).values(rating=0))",
        snapshot="SELECT id, rating FROM book ORDER BY id",
        compare_value=False,
    ),
    Case(
        "delete_statement",
        "db.session.execute(delete(Review).where(Review.stars < 3))",
        snapshot="SELECT id FROM review ORDER BY id",
        compare_value=False,
    ),
    Case(
        "legacy_delete",
        "Review.query.filter(Review.book_id == 1).delete()",
        snapshot="SELECT id FROM review ORDER BY id",
        compare_value=False,
    ),
    Case(
        "add_instance",
        'db.session.add(Book(id=6, title="New", author_id=3, price=5, pages=50, published=True))',
        snapshot="SELECT id, title, author_id FROM book ORDER BY id",
        compare_value=False,
    ),
    Case(
        "insert_statement",
        'db.session.execute(insert(Tag).values(id=3, name="sql"))',
        snapshot="SELECT id, name FROM tag ORDER BY id",
        compare_value=False,
    ),
    Case(
        "session_delete",
        "db.session.delete(book)",
        setup="book = db.session.get(Book, 5)",
        snapshot="SELECT id FROM book ORDER BY id",
        compare_value=False,
    ),
    Case(
        "raw_rows",
        'rows = db.session.execute(text("SELECT title FROM book WHERE price > :p ORDER BY title"), {"p": 20})'
        ".fetchall()",
        var="rows",
        ordered=True,
    ),
    Case(
        "raw_scalar",
        'value = db.session.execute(text("SELECT count(*) FROM book WHERE published = :flag"), {"flag": True})'
        ".scalar()",
        var="value",
    ),
    Case(
        "aggregate_filter",
        "db.session.query(func.count(Book.id), func.count(Book.id).filter(Book.published)).one()",
    ),
    Case("offset_first", "Book.query.order_by(Book.id).offset(2).first()"),
    Case("scalar_after_limit", "db.session.scalar(select(Book).order_by(Book.price.desc()).limit(3))"),
    Case("result_yield_per", "db.session.scalars(select(Book).order_by(Book.id)).yield_per(2)", ordered=True),
    Case("selectinload", "Author.query.options(selectinload(Author.books)).order_by(Author.id).all()", ordered=True),
    Case("for_update", "Book.query.with_for_update().filter_by(id=1).one()"),
    Case("ne_inside_or", "Book.query.filter(or_(Book.pages != 300, Book.price > 35)).all()"),
    Case("distinct_column", "db.session.query(Book.author_id).distinct().order_by(Book.author_id).all()", ordered=True),
    Case("exists_select", "db.session.scalar(select(exists().where(Review.stars == 5)))"),
    Case("outer_join_anti", "Book.query.outerjoin(Book.reviews).filter(Review.id == None).all()"),
    Case(
        "variable_statement",
        "db.session.scalars(stmt.order_by(Book.id).limit(2)).all()",
        setup="stmt = select(Book).where(Book.price > 12)",
        ordered=True,
        exact=False,
    ),
    Case(
        "variable_paginate",
        "db.paginate(stmt, page=2, per_page=2)",
        setup="stmt = select(Book).order_by(Book.id)",
        exact=False,
    ),
    Case(
        "add_all_generator",
        "db.session.add_all(Tag(id=i, name=str(i)) for i in (7, 8))",
        snapshot="SELECT id, name FROM tag ORDER BY id",
        compare_value=False,
    ),
    Case(
        "raw_model",
        'db.session.execute(select(Book).from_statement(text("SELECT * FROM book WHERE price < :p"))'
        ".params(p=20)).scalars().all()",
    ),
]


def translated(code: str) -> QueryTranslation:
    translation = translate_query(code, MODELS)
    assert translation is not None, code
    return translation


# --------------------------------------------------------------------------- Django side

# The mirror of the Flask-SQLAlchemy models below: same tables, columns and relation names.
DJANGO_MODELS = """from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=50)
    email = models.CharField(max_length=100)
    active = models.BooleanField(default=True)

    class Meta:
        app_label = "proofapp"
        db_table = "author"


class Tag(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "proofapp"
        db_table = "tag"


class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    price = models.IntegerField()
    pages = models.IntegerField()
    rating = models.IntegerField(null=True)
    published = models.BooleanField(default=False)
    tags = models.ManyToManyField(Tag, related_name="books", db_table="book_tags")

    class Meta:
        app_label = "proofapp"
        db_table = "book"


class Review(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="reviews")
    stars = models.IntegerField()
    body = models.CharField(max_length=100)

    class Meta:
        app_label = "proofapp"
        db_table = "review"
"""

DJANGO_RUNNER = r"""
import json
import sys
import types
from decimal import Decimal

import django
from django.conf import settings

settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    INSTALLED_APPS=["proofapp"],
    USE_TZ=False,
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from contextlib import nullcontext
from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import connection, models, transaction
from django.db.models import Avg, Count, F, Max, Min, Q, Sum
from django.db.models.functions import Lower, Upper
from django.db.models.query import RawQuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from proofapp.models import Author, Book, Review, Tag


def norm(value):
    if isinstance(value, models.Model):
        return [value._meta.db_table, value.pk]
    if isinstance(value, Page):
        return {"page": value.number, "items": norm(list(value.object_list))}
    if isinstance(value, dict):
        return {str(k): norm(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, models.QuerySet, RawQuerySet)) or hasattr(value, "__next__"):
        return [norm(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float):
        return round(value, 6)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return type(value).__name__


def classify(error):
    if isinstance(error, Http404):
        return "404"
    if isinstance(error, ObjectDoesNotExist):
        return "none"
    if isinstance(error, MultipleObjectsReturned):
        return "many"
    return f"{type(error).__name__}: {error}"


def run(code, namespace, var):
    try:
        compiled = compile(code, "<translation>", "eval")
    except SyntaxError:
        exec(compile(code, "<translation>", "exec"), namespace)
        return namespace.get(var) if var else None
    value = eval(compiled, namespace)
    return namespace[var] if var else value


def main():
    spec = json.loads(open(sys.argv[1]).read())
    with connection.schema_editor() as editor:
        for model in (Author, Tag, Book, Review):
            editor.create_model(model)
    for row in spec["data"]["author"]:
        Author.objects.create(**row)
    for row in spec["data"]["tag"]:
        Tag.objects.create(**row)
    for row in spec["data"]["book"]:
        Book.objects.create(**row)
    for row in spec["data"]["review"]:
        Review.objects.create(**row)
    for row in spec["data"]["book_tags"]:
        Book.objects.get(pk=row["book_id"]).tags.add(row["tag_id"])
    base = {name: value for name, value in globals().items() if not name.startswith("__")}
    base.update(spec["variables"])
    base["request"] = types.SimpleNamespace(GET={})
    results = {}
    for case in spec["cases"]:
        namespace = dict(base)
        out = {}
        try:
            with transaction.atomic():
                try:
                    if case["setup"]:
                        exec(case["setup"], namespace)
                    out["value"] = norm(run(case["code"], namespace, case["var"]))
                    if case["snapshot"]:
                        with connection.cursor() as cursor:
                            cursor.execute(case["snapshot"])
                            out["snapshot"] = norm(cursor.fetchall())
                finally:
                    transaction.set_rollback(True)
        except Exception as error:
            out = {"error": classify(error)}
        results[case["id"]] = out
    print(json.dumps(results))


main()
"""


@pytest.fixture(scope="module")
def django_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run every translation with Django in a subprocess; results by case id."""
    folder = tmp_path_factory.mktemp("django_queries")
    cases = []
    for case in CASES:
        setup = translated(case.setup).code if case.setup else None
        cases.append({**asdict(case), "code": translated(case.code).code, "setup": setup})
    cases.extend(_difference_cases())
    spec = folder / "spec.json"
    spec.write_text(json.dumps({"data": DATA, "variables": VARIABLES, "cases": cases}))
    script = folder / "runner.py"
    script.write_text(DJANGO_RUNNER)
    (folder / "proofapp").mkdir()
    (folder / "proofapp" / "__init__.py").write_text("")
    (folder / "proofapp" / "models.py").write_text(DJANGO_MODELS)
    env = {k: v for k, v in __import__("os").environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, str(script), str(spec)], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    results: dict[str, Any] = json.loads(done.stdout)
    return results


# ----------------------------------------------------------------------- SQLAlchemy side


@pytest.fixture(scope="module")
def flask_side() -> Iterator[types.SimpleNamespace]:
    """A Flask-SQLAlchemy app with mirror models and the same rows."""
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy.orm import DeclarativeBase

    class Base(DeclarativeBase):
        pass

    db = SQLAlchemy(model_class=Base)
    book_tags = db.Table(
        "book_tags",
        sa.Column("book_id", sa.ForeignKey("book.id"), primary_key=True),
        sa.Column("tag_id", sa.ForeignKey("tag.id"), primary_key=True),
    )

    class Author(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "author"
        id = sa.Column(sa.Integer, primary_key=True)
        name = sa.Column(sa.String(50), nullable=False)
        email = sa.Column(sa.String(100), nullable=False)
        active = sa.Column(sa.Boolean, nullable=False, default=True)
        books = db.relationship("Book", back_populates="author")

    class Tag(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "tag"
        id = sa.Column(sa.Integer, primary_key=True)
        name = sa.Column(sa.String(50), nullable=False)

    class Book(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "book"
        id = sa.Column(sa.Integer, primary_key=True)
        title = sa.Column(sa.String(100), nullable=False)
        author_id = sa.Column(sa.ForeignKey("author.id"), nullable=False)
        price = sa.Column(sa.Integer, nullable=False)
        pages = sa.Column(sa.Integer, nullable=False)
        rating = sa.Column(sa.Integer)
        published = sa.Column(sa.Boolean, nullable=False, default=False)
        author = db.relationship(Author, back_populates="books")
        reviews = db.relationship("Review", back_populates="book")
        tags = db.relationship(Tag, secondary=book_tags)

    class Review(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "review"
        id = sa.Column(sa.Integer, primary_key=True)
        book_id = sa.Column(sa.ForeignKey("book.id"), nullable=False)
        stars = sa.Column(sa.Integer, nullable=False)
        body = sa.Column(sa.String(100), nullable=False)
        book = db.relationship(Book, back_populates="reviews")

    app = flask.Flask("fwlint_queries_proof")
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)
    with app.app_context():
        db.create_all()
        for model, table in ((Author, "author"), (Tag, "tag"), (Book, "book"), (Review, "review")):
            db.session.add_all(model(**row) for row in DATA[table])
        db.session.flush()
        db.session.execute(book_tags.insert(), DATA["book_tags"])
        db.session.commit()
        namespace: dict[str, Any] = {
            "db": db,
            "Author": Author,
            "Book": Book,
            "Review": Review,
            "Tag": Tag,
            **VARIABLES,
        }
        for name in ("select", "update", "delete", "insert", "func", "or_", "and_", "not_", "exists", "text"):
            namespace[name] = getattr(sa, name)
        namespace["nullslast"] = sa.nulls_last
        namespace["joinedload"] = sa.orm.joinedload
        namespace["selectinload"] = sa.orm.selectinload
        yield types.SimpleNamespace(app=app, db=db, namespace=namespace)


def _norm(value: Any, side: types.SimpleNamespace) -> Any:
    """The SQLAlchemy twin of the runner's ``norm``."""
    if isinstance(value, side.db.Model):
        return [value.__tablename__, value.id]
    if isinstance(value, flask_sqlalchemy.pagination.Pagination):
        return {"page": value.page, "items": _norm(list(value.items), side)}
    if isinstance(value, dict):
        return {str(k): _norm(v, side) for k, v in value.items()}
    if isinstance(value, (list, tuple, sa.engine.Row, sa.engine.ScalarResult)):
        return [_norm(v, side) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float):
        return round(value, 6)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return type(value).__name__


def _classify(error: Exception) -> str:
    from sqlalchemy.exc import MultipleResultsFound, NoResultFound
    from werkzeug.exceptions import NotFound

    if isinstance(error, NotFound):
        return "404"
    if isinstance(error, NoResultFound):
        return "none"
    if isinstance(error, MultipleResultsFound):
        return "many"
    return f"{type(error).__name__}: {error}"


def run_sqlalchemy(side: types.SimpleNamespace, case: Case) -> dict[str, Any]:
    """Run the original code on the Flask-SQLAlchemy side, then roll back."""
    namespace = dict(side.namespace)
    out: dict[str, Any] = {}
    with side.app.test_request_context(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if case.setup:
                exec(case.setup, namespace)
            if case.var:
                exec(case.code, namespace)
                value = namespace[case.var]
            else:
                value = eval(case.code, namespace)
            out["value"] = _norm(value, side)
            if case.snapshot:
                rows = side.db.session.execute(sa.text(case.snapshot)).fetchall()
                out["snapshot"] = _norm(rows, side)
        except Exception as error:
            out = {"error": _classify(error)}
        finally:
            side.db.session.rollback()
    return json.loads(json.dumps(out))


def _comparable(out: dict[str, Any], case: Case) -> dict[str, Any]:
    result = dict(out)
    if not case.compare_value:
        result.pop("value", None)
    if "value" in result and isinstance(result["value"], list) and not case.ordered:
        result["value"] = sorted(result["value"], key=json.dumps)
    return result


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_translation_returns_what_sqlalchemy_returned(
    case: Case, django_results: dict[str, Any], flask_side: types.SimpleNamespace
) -> None:
    translation = translated(case.code)
    assert translation.exact == case.exact, translation.notes
    expected = run_sqlalchemy(flask_side, case)
    got = django_results[case.id]
    assert _comparable(got, case) == _comparable(expected, case), translation.code


def test_cases_cover_each_kind() -> None:
    kinds = {translated(c.code).kind for c in CASES}
    assert kinds == {"read", "write", "raw", "aggregate"}


# ---------------------------------------------------------------- documented differences

DIFFERENCES = {
    # SQL's `rating != 5` drops NULL ratings; Django's exclude(rating=5) keeps them (the note says so).
    "not_equal_nullable": ("Book.query.filter(Book.rating != 5).all()", "keep rows where `rating` IS NULL"),
    # Flask-SQLAlchemy's error_out=False gives an empty page past the end; get_page() clamps to the last page.
    "paginate_past_end": (
        "Book.query.order_by(Book.id).paginate(page=9, per_page=2, error_out=False)",
        "get_page() clamps an out-of-range page",
    ),
}


def _difference_cases() -> list[dict[str, Any]]:
    return [
        {**asdict(Case(key, code)), "code": translated(code).code, "setup": None}
        for key, (code, _) in DIFFERENCES.items()
    ]


@pytest.mark.parametrize("key", sorted(DIFFERENCES))
def test_documented_differences_are_real_and_noted(
    key: str, django_results: dict[str, Any], flask_side: types.SimpleNamespace
) -> None:
    code, note = DIFFERENCES[key]
    translation = translated(code)
    assert any(note in text for text in translation.notes), translation.notes
    expected = run_sqlalchemy(flask_side, Case(key, code))
    assert _comparable(django_results[key], Case(key, code)) != _comparable(expected, Case(key, code))


def test_cases_run_on_distinct_rows(flask_side: types.SimpleNamespace) -> None:
    """Sanity check of the fixture: the data is there and NULL ratings exist for the NULL cases."""
    out = run_sqlalchemy(flask_side, Case("rows", "Book.query.filter(Book.rating == None).count()"))
    assert out == {"value": 2}
    assert Path(__file__).name.startswith("test_django_queries")
