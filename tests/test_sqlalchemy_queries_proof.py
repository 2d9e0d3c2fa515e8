"""Proof with both ORMs: the SQLAlchemy code fwlint writes for a QuerySet returns what Django returned.

Django runs the *original* QuerySet code in a subprocess (so its settings never meet the
other tests' Django configuration): it creates the schema and the rows in a SQLite file,
runs every case and prints the results as JSON. This process opens a copy of that file
with Flask-SQLAlchemy and hand-written SQLAlchemy 2.0 models (same tables and columns),
runs each *translation* and compares. Each result is normalised (instances →
``[table, pk]``, rows → lists, mappings → dicts, dates → ISO strings, errors → ``none``/
``many``/``404``/``IndexError``). Writes run on a fresh copy of the file (Django rolls
them back); a SQL snapshot of the table shows their effect on both sides. The
documented semantic differences are asserted as differences.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import types
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from fwlint.translate.sqlalchemy_queries import QuerySchema, RelationInfo, TranslatedQuerySet, translate_queryset

pytest.importorskip("django")
flask = pytest.importorskip("flask")
flask_sqlalchemy = pytest.importorskip("flask_sqlalchemy")
sa = pytest.importorskip("sqlalchemy")

from sqlalchemy import Column, ForeignKey, Integer, Numeric, String, Table  # noqa: E402
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship  # noqa: E402

# ------------------------------------------------------------------------------- the schema

MODELS = {name: name for name in ("Author", "Profile", "Genre", "Book", "Loan")}
SCHEMA = QuerySchema(
    relations={
        "Author": {"books": RelationInfo("Book", "reverse_fk"), "profile": RelationInfo("Profile", "reverse_o2o")},
        "Profile": {"author": RelationInfo("Author", "o2o", "author_id")},
        "Genre": {"books": RelationInfo("Book", "reverse_m2m")},
        "Book": {
            "author": RelationInfo("Author", "fk", "author_id"),
            "genres": RelationInfo("Genre", "m2m"),
            "loans": RelationInfo("Loan", "reverse_fk"),
        },
        "Loan": {"book": RelationInfo("Book", "fk", "book_id")},
    },
    fields={
        "Author": frozenset({"id", "name", "email", "nickname", "active"}),
        "Profile": frozenset({"id", "city"}),
        "Genre": frozenset({"id", "name"}),
        "Book": frozenset({"id", "title", "price", "pages", "rating", "published"}),
        "Loan": frozenset({"id", "borrower", "borrowed_on", "due_at", "returned_on", "fee"}),
    },
    default_ordering={"Author": ("name",), "Genre": ("name",), "Book": ("-published", "title")},
    managers={"Book": {"objects": "BookQuerySet"}},
    nullable={
        "Author": frozenset({"nickname"}),
        "Profile": frozenset({"city"}),
        "Genre": frozenset(),
        "Book": frozenset({"author", "rating", "published"}),
        "Loan": frozenset({"returned_on"}),
    },
)


def _rows(columns: str, *values: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Rows as dicts from a column list and value tuples."""
    return [dict(zip(columns.split(), row, strict=True)) for row in values]


DATA: dict[str, list[dict[str, Any]]] = {
    "author": _rows(
        "id name email nickname active",
        (1, "Ann", "ann@example.org", "annie", True),
        (2, "Bob", "BOB@example.org", None, False),
        (3, "Cyd", "cyd@example.org", "cy", True),
        (4, "Dee", "dee@example.org", None, True),
    ),
    "profile": _rows("id author_id city", (1, 1, "Paris"), (2, 2, None), (3, 3, "Rome")),
    "genre": _rows("id name", (1, "fiction"), (2, "science"), (3, "history")),
    "book": _rows(
        "id title author_id price pages rating published",
        (1, "Python 101", 1, "30.00", 300, 5, "2023-05-10"),
        (2, "Flask Web", 1, "25.50", 250, None, "2024-03-05"),
        (3, "Django Deep", 2, "40.00", 40, 3, "2024-03-20"),
        (4, "SQL 100% Proof", 2, "15.00", 120, 4, None),
        (5, "the_end", None, "10.00", 90, None, "2022-11-30"),
        (6, "Rust Book", 3, "45.00", 500, 5, "2024-07-01"),
    ),
    "book_genres": _rows("book_id genre_id", (1, 2), (2, 2), (2, 1), (3, 2), (3, 3), (4, 3), (6, 2)),
    "loan": _rows(
        "id book_id borrower borrowed_on due_at returned_on fee",
        (1, 1, "zoe", "2024-01-02", "2024-01-16 10:30:00", "2024-01-10", "1.50"),
        (2, 1, "yan", "2024-02-05", "2024-02-19 09:15:00", None, "0.00"),
        (3, 3, "zoe", "2024-03-01", "2024-03-15 12:00:00", "2024-03-14", "2.25"),
        (4, 6, "xia", "2024-03-10", "2024-03-24 18:45:00", None, "3.00"),
        (5, 2, "yan", "2023-12-24", "2024-01-07 08:00:00", "2024-01-05", "0.75"),
    ),
}
# Names the original code and its translation both refer to (run on both sides).
VARIABLES = """\
import datetime
q = "PYTHON"
ids = [1, 3, 5]
names = ["Ann", "Cyd"]
cutoff = datetime.date(2024, 3, 15)
"""


@dataclass(frozen=True)
class Case:
    id: str
    code: str  # the Django original (translated for the SQLAlchemy side)
    ordered: bool = False  # compare in order (Django orders the result)
    var: str | None = None  # the variable holding the result, for statements
    snapshot: str | None = None  # SQL showing a write's effect
    annotations: tuple[str, ...] = ()  # attributes Django sets on each instance; rows (obj, *values) in SQLAlchemy
    related: str | None = None  # a relation whose loaded rows are compared too (prefetching)
    exact: bool = True  # whether the translation claims to be exact
    django_setup: str | None = None  # Django-only code run first (a cursor)
    compare_value: bool = True  # False where only the write's effect counts


CASES = [
    # ---------------------------------------------------------------- filter() lookups
    Case("all_meta_ordering", "Book.objects.all()", ordered=True),
    Case("exact", 'Book.objects.filter(title="Flask Web")'),
    Case("iexact", 'Author.objects.filter(email__iexact="bob@EXAMPLE.org")'),
    Case("contains", 'Book.objects.filter(title__contains="o")', ordered=True),
    Case("contains_percent", 'Book.objects.filter(title__contains="100%")'),
    Case("contains_underscore", 'Book.objects.filter(title__contains="_")'),
    Case("icontains_variable", "Book.objects.filter(title__icontains=q)"),
    Case("startswith", 'Book.objects.filter(title__startswith="Fl")'),
    Case("istartswith", 'Book.objects.filter(title__istartswith="dj")'),
    Case("endswith", 'Book.objects.filter(title__endswith="Book")'),
    Case("iendswith", 'Book.objects.filter(title__iendswith="WEB")'),
    Case("in_list", "Book.objects.filter(pk__in=ids)"),
    Case("in_queryset", "Book.objects.filter(author__in=Author.objects.filter(active=True))"),
    Case("gt_lte", "Book.objects.filter(price__gt=20, pages__lte=250)"),
    Case("gte_lt", "Loan.objects.filter(fee__gte=1, fee__lt=3)"),
    Case("range", "Book.objects.filter(price__range=(15, 30))"),
    Case("isnull_true", "Book.objects.filter(rating__isnull=True)"),
    Case("isnull_false", "Book.objects.filter(published__isnull=False)", ordered=True),
    Case("regex", 'Book.objects.filter(title__regex=r"^[PS].* ")'),
    Case("iregex", 'Book.objects.filter(title__iregex=r"^(python|rust)")'),
    Case("date", "Loan.objects.filter(due_at__date=cutoff)"),
    Case("year", "Book.objects.filter(published__year=2024)"),
    Case("month_gte", "Book.objects.filter(published__month__gte=5)"),
    Case("day", "Loan.objects.filter(borrowed_on__day=5)"),
    Case("week_day", "Loan.objects.filter(borrowed_on__week_day=2)"),
    Case("week_day_in", "Loan.objects.filter(borrowed_on__week_day__in=[1, 7])"),
    Case("span_fk", 'Book.objects.filter(author__name="Ann")'),
    Case("span_two_hops", 'Book.objects.filter(author__profile__city="Rome")'),
    Case("span_m2m", 'Book.objects.filter(genres__name="fiction")'),
    Case("span_reverse_fk", "Author.objects.filter(books__price__gt=40)"),
    Case("span_reverse_m2m_distinct", 'Author.objects.filter(books__genres__name="science").distinct()'),
    Case("same_call_same_row", 'Author.objects.filter(books__title__startswith="P", books__price__lt=28)'),
    Case("two_calls_two_joins", 'Author.objects.filter(books__title__startswith="P").filter(books__price__lt=28)'),
    Case("fk_id_field", "Book.objects.filter(author_id=2)"),
    Case("fk_pk_lookup", "Book.objects.filter(author__pk=2)"),
    Case("fk_key_value", "Book.objects.filter(author=2)"),
    Case("span_isnull_outer", "Book.objects.filter(author__profile__city__isnull=True)"),
    Case("reverse_isnull", "Author.objects.filter(books__isnull=True)"),
    Case("m2m_key_in", "Book.objects.filter(genres__in=[1, 3]).distinct()"),
    Case("q_or", "Book.objects.filter(Q(price__lt=15) | Q(rating=5))"),
    Case("q_not_nullable", "Book.objects.filter(~Q(rating=5))"),
    Case("q_and_not", 'Book.objects.filter(Q(author__name="Ann") & ~Q(title__startswith="P"))'),
    Case("exclude_nullable", "Book.objects.exclude(rating=5)"),
    Case("exclude_multi_valued", "Author.objects.exclude(books__price__gt=30)"),
    Case("exclude_two_lookups", 'Author.objects.exclude(books__title__startswith="P", books__price__lt=28)'),
    Case("exclude_nullable_fk", 'Book.objects.exclude(author__name="Ann")'),
    Case("exclude_or", "Book.objects.exclude(Q(rating=5) | Q(pages__lt=100))"),
    Case("f_arithmetic", 'Book.objects.filter(pages__gt=F("price") * 5)'),
    Case("f_in_like", 'Author.objects.filter(nickname__istartswith=F("name"))'),
    Case("f_across_fk", 'Profile.objects.filter(city__gt=F("author__name"))'),
    Case("exists_outerref", "Book.objects.filter(Exists(Loan.objects.filter(book=OuterRef('pk'), returned_on=None)))"),
    Case("in_values_subquery", 'Book.objects.filter(pk__in=Loan.objects.filter(fee__gt=1).values("book"))'),
    Case("in_joined_subquery", 'Book.objects.filter(title__in=Loan.objects.filter(fee__gt=1).values("book__title"))'),
    Case("none", "Book.objects.none()"),
    # ---------------------------------------------------------------- annotate / aggregate
    Case(
        "annotate_count", 'Author.objects.annotate(n=Count("books")).order_by("name")', ordered=True, annotations=("n",)
    ),
    Case(
        "annotate_distinct_filter",
        'Author.objects.annotate(g=Count("books__genres", distinct=True), '
        'cheap=Count("books", filter=Q(books__price__lt=26))).order_by("id")',
        ordered=True,
        annotations=("g", "cheap"),
    ),
    Case(
        "annotate_sum_avg_min_max",
        'Genre.objects.annotate(total=Sum("books__price"), avg=Avg("books__pages"), low=Min("books__price"), '
        'high=Max("books__published")).order_by("id")',
        ordered=True,
        annotations=("total", "avg", "low", "high"),
    ),
    Case(
        "filter_then_annotate",
        'Author.objects.filter(books__price__gt=20).annotate(n=Count("books")).order_by("id")',
        ordered=True,
        annotations=("n",),
    ),
    Case("having", 'Author.objects.annotate(n=Count("books")).filter(n__gte=2)', annotations=("n",)),
    Case(
        "values_annotate",
        'Book.objects.values("author").annotate(n=Count("id"), total=Sum("pages")).order_by("author")',
        ordered=True,
    ),
    Case(
        "annotate_f",
        'Book.objects.annotate(double=F("pages") * 2).filter(double__gt=500).order_by("id")',
        ordered=True,
        annotations=("double",),
    ),
    Case(
        "subquery_annotation",
        "Book.objects.annotate(last_loan=Subquery(Loan.objects.filter(book=OuterRef('pk'))"
        ".order_by('-borrowed_on').values('borrowed_on')[:1])).order_by('id')",
        ordered=True,
        annotations=("last_loan",),
    ),
    Case(
        "case_when",
        'Book.objects.annotate(band=Case(When(price__gte=30, then=Value("high")), When(price__gte=20, '
        'then=Value("mid")), default=Value("low"))).values_list("title", "band").order_by("id")',
        ordered=True,
    ),
    Case("coalesce", 'Book.objects.annotate(score=Coalesce("rating", 0)).values_list("id", "score").order_by("id")'),
    Case(
        "lower_upper_length",
        'Author.objects.annotate(low=Lower("name"), up=Upper("email"), size=Length("nickname")).values("low", '
        '"up", "size")',
        ordered=True,
    ),
    Case(
        "concat_null",
        'Author.objects.annotate(label=Concat("name", Value(" / "), "nickname")).values_list("label", flat=True)',
        ordered=True,
    ),
    Case(
        "expression_wrapper",
        'Book.objects.annotate(value=ExpressionWrapper(F("price") * F("pages"), '
        'output_field=DecimalField(max_digits=12, decimal_places=2))).values_list("id", "value").order_by("id")',
        ordered=True,
    ),
    Case("aggregate", 'Book.objects.aggregate(total=Sum("price"), n=Count("id"), avg=Avg("pages"))'),
    Case("aggregate_default_alias", 'Book.objects.aggregate(Max("price"), Min("published"))'),
    Case("aggregate_key", 'Book.objects.filter(author__name="Ann").aggregate(total=Sum("price"))["total"]'),
    Case("aggregate_join", 'Author.objects.aggregate(n=Count("books"))'),
    Case("aggregate_options", 'Book.objects.aggregate(s=Sum("rating", default=0), d=Count("rating", distinct=True))'),
    Case("aggregate_empty_default", 'Book.objects.filter(pk=99).aggregate(s=Sum("pages", default=0))'),
    # ---------------------------------------------------------------- values
    Case("values_span", 'Book.objects.values("title", "author__name")', ordered=True),
    Case("values_list_flat", 'Book.objects.values_list("title", flat=True)', ordered=True),
    Case("values_list_named", 'Book.objects.values_list("id", "title", named=True).order_by("id")', ordered=True),
    Case("values_all_fields", "Genre.objects.values()", ordered=True),
    Case("values_filtered_join", 'Author.objects.filter(books__price__lt=20).values("name", "books__title")'),
    # ---------------------------------------------------------------- loading and ordering
    Case("select_related", 'Book.objects.select_related("author__profile").filter(pages__gt=100)', ordered=True),
    Case("select_related_all", "Loan.objects.select_related().order_by('id')", ordered=True),
    Case("prefetch", 'Author.objects.prefetch_related("books__genres")', ordered=True, related="books"),
    Case(
        "prefetch_queryset",
        'Author.objects.prefetch_related(Prefetch("books", queryset=Book.objects.filter(price__gt=26)))',
        ordered=True,
        related="books",
    ),
    Case("only_defer", 'Book.objects.only("title", "price").defer("price").filter(pk__lte=3)', ordered=True),
    Case("order_desc", 'Book.objects.order_by("-price")', ordered=True),
    Case("order_random", 'Genre.objects.order_by("?")'),
    Case("order_span", 'Book.objects.order_by("author__name", "title")', ordered=True),
    Case("order_relation_meta", 'Book.objects.order_by("author", "-id")', ordered=True),
    Case("order_nulls_last", 'Book.objects.order_by(F("rating").desc(nulls_last=True), "id")', ordered=True),
    Case("order_expression", 'Author.objects.order_by(Lower("email").desc())', ordered=True),
    Case("order_cleared_reverse", 'Loan.objects.order_by("fee").reverse()', ordered=True),
    Case("reverse_meta", "Book.objects.reverse()", ordered=True),
    Case(
        "distinct_values",
        'Book.objects.values_list("author", flat=True).distinct().order_by("author_id")',
        ordered=True,
    ),
    # ---------------------------------------------------------------- evaluation
    Case("count", "Book.objects.filter(rating__isnull=True).count()"),
    Case("count_distinct_values", 'Book.objects.values("author").order_by().distinct().count()'),
    Case("count_slice", "Book.objects.all()[2:10].count()"),
    Case("count_none", "Book.objects.none().count()"),
    Case("exists_false", "Book.objects.filter(price__gt=100).exists()"),
    Case("exists_true", 'Author.objects.filter(profile__city="Paris").exists()'),
    Case("slice", "Book.objects.all()[1:3]", ordered=True),
    Case("slice_open", 'Book.objects.order_by("id")[4:]', ordered=True),
    Case("slice_of_slice", 'Book.objects.order_by("id")[1:5][1:2]', ordered=True),
    Case("index", 'Book.objects.order_by("id")[2]'),
    Case("index_missing", "Book.objects.filter(price__gt=1000)[0]"),
    Case("first_pk", "Loan.objects.first()"),
    Case("last_pk", "Loan.objects.last()"),
    Case("first_meta", "Book.objects.first()"),
    Case("last_meta", "Book.objects.last()"),
    Case("first_none", 'Book.objects.filter(title="nope").first()'),
    Case("last_ordered", 'Author.objects.order_by("-email").last()'),
    Case("get", "Book.objects.get(pk=3)"),
    Case("get_attribute", 'Book.objects.get(title__startswith="Dj").pages'),
    Case("get_missing", "Book.objects.get(pk=99)"),
    Case("get_many", "Book.objects.get(author_id=1)"),
    Case("earliest", 'Loan.objects.earliest("borrowed_on")'),
    Case("latest", 'Loan.objects.latest("due_at")'),
    Case("latest_two_fields", 'Loan.objects.latest("borrower", "-fee")'),
    Case("latest_missing", 'Loan.objects.filter(borrower="nobody").latest("due_at")'),
    Case("in_bulk", "Book.objects.in_bulk([1, 3])"),
    Case("in_bulk_all", "Author.objects.in_bulk()"),
    Case("iterator", "Book.objects.filter(price__lt=30).iterator(chunk_size=2)", ordered=True),
    Case("dates_month", 'Book.objects.dates("published", "month")', ordered=True),
    Case("dates_year_desc", 'Loan.objects.dates("borrowed_on", "year", order="DESC")', ordered=True),
    Case("dates_week", 'Loan.objects.dates("borrowed_on", "week")', ordered=True),
    Case(
        "union",
        'Loan.objects.filter(fee__lt=1).union(Loan.objects.filter(borrower="xia")).order_by("-fee")',
        ordered=True,
    ),
    Case(
        "union_all_values",
        'Book.objects.order_by().values_list("author", flat=True).union(Loan.objects.values_list("book", '
        "flat=True), all=True)",
    ),
    Case("custom_queryset_method", 'Book.objects.cheap().order_by("id")', ordered=True, exact=False),
    Case("get_object_or_404_pk", "get_object_or_404(Book, pk=2)"),
    Case("get_object_or_404_missing", "get_object_or_404(Book, pk=99)"),
    Case("get_object_or_404_lookup", 'get_object_or_404(Author, name__iexact="cyd")'),
    Case("get_list_or_404", "get_list_or_404(Book, price__gt=1000)"),
    # ---------------------------------------------------------------- writes and raw SQL
    Case(
        "update_f",
        'Book.objects.filter(author_id=1).update(price=F("price") + 1, rating=None)',
        snapshot="SELECT id, price, rating FROM book ORDER BY id",
        compare_value=False,
    ),
    Case(
        "update_rowcount",
        "n = Book.objects.filter(author__name='Bob').update(author=3)",
        var="n",
        snapshot="SELECT id, author_id FROM book ORDER BY id",
    ),
    Case(
        "delete_leaf",
        "Loan.objects.filter(fee=0).delete()",
        snapshot="SELECT id FROM loan ORDER BY id",
        compare_value=False,
    ),
    Case(
        "create",
        'Genre.objects.create(id=4, name="poetry")',
        snapshot="SELECT id, name FROM genre ORDER BY id",
        compare_value=False,
    ),
    Case(
        "create_assigned",
        'genre = Genre.objects.create(name="poetry")',
        var="genre",
        snapshot="SELECT id, name FROM genre ORDER BY id",
    ),
    Case(
        "get_or_create_existing",
        'result = Genre.objects.get_or_create(name="science", defaults={"id": 9})',
        var="result",
        snapshot="SELECT id, name FROM genre ORDER BY id",
    ),
    Case(
        "get_or_create_new",
        'genre, created = Genre.objects.get_or_create(name="art", defaults={"id": 9})',
        var="created",
        snapshot="SELECT id, name FROM genre ORDER BY id",
    ),
    Case(
        "update_or_create_existing",
        'result = Author.objects.update_or_create(name="Ann", defaults={"email": "ann@new.org", "active": False})',
        var="result",
        snapshot="SELECT id, name, email, active FROM author ORDER BY id",
    ),
    Case(
        "update_or_create_new",
        'result = Author.objects.update_or_create(name="Eve", defaults={"email": "eve@example.org"}, '
        'create_defaults={"id": 5, "email": "new@example.org", "active": True})',
        var="result",
        snapshot="SELECT id, name, email, active FROM author ORDER BY id",
    ),
    Case(
        "bulk_create",
        'genres = Genre.objects.bulk_create([Genre(id=7, name="art"), Genre(id=8, name="law")])',
        var="genres",
        snapshot="SELECT id, name FROM genre ORDER BY id",
    ),
    Case("raw", 'Book.objects.raw("SELECT * FROM book WHERE price > %s AND title LIKE %s ORDER BY id", [20, "%o%"])'),
    Case(
        "raw_named_percent",
        'Book.objects.raw("SELECT * FROM book WHERE title LIKE \'S%%\' OR id = %(id)s ORDER BY id", {"id": 2})',
    ),
    Case(
        "cursor_block",
        "with connection.cursor() as cursor:\n"
        '    cursor.execute("SELECT title, pages FROM book WHERE pages > %s ORDER BY id", [100])\n'
        "    rows = cursor.fetchall()",
        var="rows",
        ordered=True,
    ),
    Case(
        "cursor_write",
        'cursor.execute("UPDATE genre SET name = upper(name) WHERE id = %s", [2])',
        django_setup="cursor = connection.cursor()",
        snapshot="SELECT id, name FROM genre ORDER BY id",
        compare_value=False,
    ),
]
# Code that wraps a write in transaction.atomic(): the SQLAlchemy side is composed from the
# translations of `transaction.atomic()` and of the write (without its commit, as noted).
ATOMIC_UPDATE = 'Genre.objects.filter(pk=1).update(name="novel")'
TRANSACTIONS = {
    "atomic_commits": f"with transaction.atomic():\n    {ATOMIC_UPDATE}",
    "atomic_rolls_back": (
        f"try:\n    with transaction.atomic():\n        {ATOMIC_UPDATE}\n"
        "        raise ValueError\nexcept ValueError:\n    pass"
    ),
}
# Documented semantic differences: (Django code, a note that says so).
DIFFERENCES = {
    "join_duplicates": (
        'Author.objects.filter(books__genres__name="science")',
        "comes back once per matching related row",
    ),
    "join_duplicates_count": (
        'Author.objects.filter(books__genres__name="science").count()',
        "comes back once per matching related row",
    ),
    "delete_cascades": ('Author.objects.filter(name="Bob").delete()', "applies each relation's on_delete"),
    "one_or_404_many": ('get_object_or_404(Book, author__name="Ann")', "answers 404 for several rows too"),
    "integer_division": (
        'Book.objects.filter(rating__gt=0).annotate(r=F("pages") / F("rating")).values_list("id", "r").order_by("id")',
        "two integer columns divide as integers",
    ),
    "distinct_with_ordering": (
        'Book.objects.values("author").distinct()',
        "Django adds the ORDER BY columns to SELECT DISTINCT",
    ),
}
DIFFERENCE_SNAPSHOTS = {"delete_cascades": "SELECT id FROM book ORDER BY id"}


def translated(code: str) -> TranslatedQuerySet:
    translation = translate_queryset(code, MODELS, SCHEMA)
    assert translation is not None, code
    return translation


def atomic_translation(key: str) -> str:
    """The SQLAlchemy code for one of TRANSACTIONS, composed from two translations."""
    begin = translated("transaction.atomic()").code
    update = translated(ATOMIC_UPDATE).code.removesuffix("\ndb.session.commit()")
    if key == "atomic_commits":
        return f"with {begin}:\n    {update}"
    return f"try:\n    with {begin}:\n        {update}\n        raise ValueError\nexcept ValueError:\n    pass"


# --------------------------------------------------------------------------- Django side

DJANGO_MODELS = """from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=50)
    email = models.CharField(max_length=100)
    nickname = models.CharField(max_length=50, null=True)
    active = models.BooleanField(default=True)

    class Meta:
        app_label = "proofapp"
        db_table = "author"
        ordering = ["name"]


class Profile(models.Model):
    author = models.OneToOneField(Author, on_delete=models.CASCADE, related_name="profile")
    city = models.CharField(max_length=50, null=True)

    class Meta:
        app_label = "proofapp"
        db_table = "profile"


class Genre(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        app_label = "proofapp"
        db_table = "genre"
        ordering = ["name"]


class BookQuerySet(models.QuerySet):
    def cheap(self):
        return self.filter(price__lt=20)


class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books", null=True)
    genres = models.ManyToManyField(Genre, related_name="books", db_table="book_genres")
    price = models.DecimalField(max_digits=8, decimal_places=2)
    pages = models.IntegerField()
    rating = models.IntegerField(null=True)
    published = models.DateField(null=True)

    objects = BookQuerySet.as_manager()

    class Meta:
        app_label = "proofapp"
        db_table = "book"
        ordering = ["-published", "title"]


class Loan(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="loans")
    borrower = models.CharField(max_length=50)
    borrowed_on = models.DateField()
    due_at = models.DateTimeField()
    returned_on = models.DateField(null=True)
    fee = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        app_label = "proofapp"
        db_table = "loan"
"""

DJANGO_RUNNER = r"""
import datetime
import json
import sys
from decimal import Decimal

import django
from django.conf import settings

spec = json.loads(open(sys.argv[1]).read())
settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": spec["database"]}},
    INSTALLED_APPS=["proofapp"],
    USE_TZ=False,
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.db import connection, models, transaction
from django.db.models import (
    Avg, Case, Count, DecimalField, Exists, ExpressionWrapper, F, Max, Min, OuterRef, Prefetch, Q, Subquery, Sum,
    Value, When,
)
from django.db.models.functions import Coalesce, Concat, Length, Lower, Upper
from django.db.models.query import RawQuerySet
from django.http import Http404
from django.shortcuts import get_list_or_404, get_object_or_404
from proofapp.models import Author, Book, Genre, Loan, Profile


def norm(value):
    if isinstance(value, models.Model):
        return [value._meta.db_table, value.pk]
    if isinstance(value, dict):
        return {str(k): norm(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, models.QuerySet, RawQuerySet)) or hasattr(value, "__next__"):
        return [norm(v) for v in value]
    if isinstance(value, (Decimal, float)):
        return round(float(value), 6)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return type(value).__name__


def shaped(value, case):
    if case["annotations"]:
        return [[norm(o), *(norm(getattr(o, a)) for a in case["annotations"])] for o in value]
    if case["related"]:
        return [[norm(o), sorted(r.pk for r in getattr(o, case["related"]).all())] for o in value]
    return norm(value)


def classify(error):
    if isinstance(error, Http404):
        return "404"
    if isinstance(error, ObjectDoesNotExist):
        return "none"
    if isinstance(error, MultipleObjectsReturned):
        return "many"
    if isinstance(error, IndexError):
        return "IndexError"
    return f"{type(error).__name__}: {error}"


def run(code, namespace, var):
    try:
        compiled = compile(code, "<django>", "eval")
    except SyntaxError:
        exec(compile(code, "<django>", "exec"), namespace)
        return namespace.get(var) if var else None
    value = eval(compiled, namespace)
    return namespace[var] if var else value


def load():
    with connection.schema_editor() as editor:
        for model in (Author, Profile, Genre, Book, Loan):
            editor.create_model(model)
    for model, table in ((Author, "author"), (Profile, "profile"), (Genre, "genre"), (Book, "book"), (Loan, "loan")):
        model.objects.bulk_create(model(**row) for row in spec["data"][table])
    Through = Book.genres.through
    Through.objects.bulk_create(Through(**row) for row in spec["data"]["book_genres"])


def main():
    load()
    base = {name: value for name, value in globals().items() if not name.startswith("__")}
    exec(spec["variables"], base)
    results = {}
    for case in spec["cases"]:
        namespace = dict(base)
        out = {}
        try:
            with transaction.atomic():
                try:
                    if case["django_setup"]:
                        exec(case["django_setup"], namespace)
                    out["value"] = shaped(run(case["code"], namespace, case["var"]), case)
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


def _spec_cases() -> list[dict[str, Any]]:
    cases = [asdict(case) for case in CASES]
    for key, code in TRANSACTIONS.items():
        cases.append({**asdict(Case(key, code, snapshot="SELECT id, name FROM genre ORDER BY id"))})
    for key, (code, _) in DIFFERENCES.items():
        cases.append(asdict(Case(key, code, snapshot=DIFFERENCE_SNAPSHOTS.get(key))))
    return cases


@pytest.fixture(scope="module")
def django_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    """Create the SQLite file and run every Django original in a subprocess: (results by case id, the file)."""
    folder = tmp_path_factory.mktemp("sqlalchemy_queries")
    database = folder / "pristine.sqlite3"
    spec = folder / "spec.json"
    spec.write_text(
        json.dumps({"database": str(database), "data": DATA, "variables": VARIABLES, "cases": _spec_cases()})
    )
    script = folder / "runner.py"
    script.write_text(DJANGO_RUNNER)
    (folder / "proofapp").mkdir()
    (folder / "proofapp" / "__init__.py").write_text("")
    (folder / "proofapp" / "models.py").write_text(DJANGO_MODELS)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, str(script), str(spec)], capture_output=True, text=True, timeout=180, env=env, cwd=folder
    )
    assert done.returncode == 0, done.stderr
    results: dict[str, Any] = json.loads(done.stdout)
    return results, database


# ----------------------------------------------------------------------- SQLAlchemy side


class Base(DeclarativeBase):
    pass


db = flask_sqlalchemy.SQLAlchemy(model_class=Base)

book_genres = Table(
    "book_genres",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("book_id", ForeignKey("book.id")),
    Column("genre_id", ForeignKey("genre.id")),
)


class Author(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "author"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    email: Mapped[str] = mapped_column(String(100))
    nickname: Mapped[str | None] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(default=True)
    books: Mapped[list[Book]] = relationship(back_populates="author")
    profile: Mapped[Profile | None] = relationship(back_populates="author")


class Profile(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "profile"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("author.id"), unique=True)
    city: Mapped[str | None] = mapped_column(String(50))
    author: Mapped[Author] = relationship(back_populates="profile")


class Genre(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "genre"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    books: Mapped[list[Book]] = relationship(secondary=book_genres, back_populates="genres")


class Book(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "book"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("author.id"))
    price: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    pages: Mapped[int]
    rating: Mapped[int | None]
    published: Mapped[dt.date | None]
    author: Mapped[Author | None] = relationship(back_populates="books")
    genres: Mapped[list[Genre]] = relationship(secondary=book_genres, back_populates="books")
    loans: Mapped[list[Loan]] = relationship(back_populates="book")


class Loan(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "loan"
    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("book.id"))
    borrower: Mapped[str] = mapped_column(String(50))
    borrowed_on: Mapped[dt.date]
    due_at: Mapped[dt.datetime]
    returned_on: Mapped[dt.date | None]
    fee: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    book: Mapped[Book] = relationship(back_populates="loans")


def cheap(stmt: Any) -> Any:
    """The ported ``BookQuerySet.cheap()``: takes and returns a select()."""
    return stmt.where(Book.price < 20)


@pytest.fixture(scope="module")
def flask_side(django_run: tuple[dict[str, Any], Path]) -> Iterator[types.SimpleNamespace]:
    """A Flask-SQLAlchemy app on a working copy of Django's SQLite file."""
    pristine = django_run[1]
    work = pristine.with_name("work.sqlite3")
    app = flask.Flask("fwlint_sqlalchemy_queries_proof")
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{work}"
    db.init_app(app)
    namespace: dict[str, Any] = {
        "db": db,
        "cheap": cheap,
        **{m.__name__: m for m in (Author, Profile, Genre, Book, Loan)},
    }
    exec(VARIABLES, namespace)
    yield types.SimpleNamespace(app=app, pristine=pristine, work=work, namespace=namespace)


def _norm(value: Any) -> Any:
    """The SQLAlchemy twin of the runner's ``norm``."""
    if isinstance(value, db.Model):
        return [value.__tablename__, value.id]
    if isinstance(value, Mapping):
        return {str(k): _norm(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, sa.engine.Row)) or hasattr(value, "__next__"):
        return [_norm(v) for v in value]
    if isinstance(value, sa.engine.ScalarResult):
        return [_norm(v) for v in value]
    if isinstance(value, (Decimal, float)):
        return round(float(value), 6)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return type(value).__name__


def _shaped(value: Any, case: Case) -> Any:
    if case.related:
        return [[_norm(o), sorted(r.id for r in getattr(o, case.related))] for o in value]
    return _norm(value)


def _classify(error: Exception) -> str:
    from sqlalchemy.exc import MultipleResultsFound, NoResultFound
    from werkzeug.exceptions import NotFound

    if isinstance(error, NotFound):
        return "404"
    if isinstance(error, NoResultFound):
        return "none"
    if isinstance(error, MultipleResultsFound):
        return "many"
    if isinstance(error, IndexError):
        return "IndexError"
    return f"{type(error).__name__}: {error}"


def run_sqlalchemy(side: types.SimpleNamespace, case: Case, code: str, imports: list[str]) -> dict[str, Any]:
    """Run translated code on a fresh copy of the database; the imports it declares are all it gets."""
    with side.app.app_context():
        db.session.remove()
        db.engine.dispose()
        shutil.copyfile(side.pristine, side.work)
        namespace = dict(side.namespace)
        exec("\n".join(imports), namespace)
        out: dict[str, Any] = {}
        try:
            try:
                value = eval(compile(code, "<sqlalchemy>", "eval"), namespace)
            except SyntaxError:
                exec(compile(code, "<sqlalchemy>", "exec"), namespace)
                value = namespace.get(case.var) if case.var else None
            out["value"] = _shaped(value, case)
            if case.snapshot:
                db.session.rollback()  # a write counts only once committed, as Django's autocommit did
                out["snapshot"] = _norm(db.session.execute(sa.text(case.snapshot)).fetchall())
        except Exception as error:
            out = {"error": _classify(error)}
        finally:
            db.session.remove()
    return json.loads(json.dumps(out))


def _comparable(out: dict[str, Any], case: Case) -> dict[str, Any]:
    result = dict(out)
    if not case.compare_value:
        result.pop("value", None)
    if "value" in result and isinstance(result["value"], list) and not case.ordered:
        result["value"] = sorted(result["value"], key=json.dumps)
    return result


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_translation_returns_what_django_returned(
    case: Case, django_run: tuple[dict[str, Any], Path], flask_side: types.SimpleNamespace
) -> None:
    translation = translated(case.code)
    assert translation.exact == case.exact, translation.notes
    got = run_sqlalchemy(flask_side, case, translation.code, translation.imports)
    expected = django_run[0][case.id]
    assert _comparable(got, case) == _comparable(expected, case), translation.code


@pytest.mark.parametrize("key", sorted(TRANSACTIONS))
def test_atomic_becomes_a_session_transaction(
    key: str, django_run: tuple[dict[str, Any], Path], flask_side: types.SimpleNamespace
) -> None:
    case = Case(key, TRANSACTIONS[key], snapshot="SELECT id, name FROM genre ORDER BY id", compare_value=False)
    imports = translated("transaction.atomic()").imports + translated(ATOMIC_UPDATE).imports
    got = run_sqlalchemy(flask_side, case, atomic_translation(key), imports)
    expected = django_run[0][key]
    assert _comparable(got, case) == _comparable(expected, case)
    assert (["novel"] if key == "atomic_commits" else ["fiction"]) == [r[1] for r in got["snapshot"] if r[0] == 1]


@pytest.mark.parametrize("key", sorted(DIFFERENCES))
def test_documented_differences_are_real_and_noted(
    key: str, django_run: tuple[dict[str, Any], Path], flask_side: types.SimpleNamespace
) -> None:
    code, note = DIFFERENCES[key]
    case = Case(key, code, snapshot=DIFFERENCE_SNAPSHOTS.get(key), compare_value=key not in DIFFERENCE_SNAPSHOTS)
    translation = translated(code)
    assert any(note in text for text in translation.notes), translation.notes
    got = run_sqlalchemy(flask_side, case, translation.code, translation.imports)
    assert _comparable(got, case) != _comparable(django_run[0][key], case)


def test_cases_cover_each_kind_and_are_many() -> None:
    kinds = {translated(case.code).kind for case in CASES} | {translated("transaction.atomic()").kind}
    assert kinds == {"select", "get", "aggregate", "write", "raw", "transaction"}
    assert len(CASES) >= 80


def test_translations_get_only_the_names_they_import(flask_side: types.SimpleNamespace) -> None:
    """The SQLAlchemy namespace holds models, db and variables only: each case runs on its own imports."""
    code = "db.session.scalars(select(Book)).all()"
    assert run_sqlalchemy(flask_side, Case("bare", ""), code, []) == {
        "error": "NameError: name 'select' is not defined"
    }


def test_fixture_rows_are_the_same_on_both_sides(flask_side: types.SimpleNamespace) -> None:
    """The SQLAlchemy models read every row Django wrote."""
    code = "[db.session.scalar(select(func.count()).select_from(m)) for m in (Author, Profile, Genre, Book, Loan)]"
    out = run_sqlalchemy(flask_side, Case("rows", ""), code, ["from sqlalchemy import func, select"])
    assert out == {"value": [len(DATA[table]) for table in ("author", "profile", "genre", "book", "loan")]}
