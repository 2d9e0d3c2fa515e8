"""Django models → SQLAlchemy 2.0 models, before → after, one construct at a time."""

from __future__ import annotations

import ast
import re
from types import SimpleNamespace

import pytest

from fwlint.link.django_models import discover_django_models
from fwlint.translate.data_layer import SiteTranslation
from fwlint.translate.sqlalchemy_models import ModelsTranslation, translate_schema

from .conftest import index_of

HEADER = "from django.conf import settings\nfrom django.db import models\nfrom django.db.models import Q, F\n\n\n"


def translate(source: str, app: str = "shop", **options: int | None) -> ModelsTranslation:
    files = {f"{app}/__init__.py": "", f"{app}/models.py": HEADER + source}
    return translate_schema(discover_django_models(index_of(files)), **options)


def field(result: ModelsTranslation, model: str, name: str, app: str = "shop") -> SiteTranslation:
    return result.field_code[(f"{app}.models.{model}", name)]


def code(source: str, model: str, name: str) -> str:
    return field(translate(source), model, name).code


def notes(translated: SiteTranslation) -> str:
    return " | ".join(translated.notes)


def flat(text: str) -> str:
    """Code without the line wrapping of long statements, for comparing what it says."""
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r",?\s*\n\s*\)", ")", text)
    return re.sub(r",\n\s+", ", ", text)


def django_name(table: str, columns: list[str], suffix: str, limit: int | None = 63) -> str:
    """The name Django's own schema editor gives (``_create_index_name``) on a backend with ``limit``."""
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor

    editor = BaseDatabaseSchemaEditor.__new__(BaseDatabaseSchemaEditor)
    editor.connection = SimpleNamespace(ops=SimpleNamespace(max_name_length=lambda: limit))
    return str(editor._create_index_name(table, columns, suffix))


# ---------------------------------------------------------------------------
# Column types


@pytest.mark.parametrize(
    ("declaration", "expected"),
    [
        ("models.CharField(max_length=80)", 'x: Mapped[str] = mapped_column(String(80), default="")'),
        ("models.CharField(max_length=80, null=True)", "x: Mapped[Optional[str]] = mapped_column(String(80))"),
        ("models.TextField()", 'x: Mapped[str] = mapped_column(Text, default="")'),
        ("models.SlugField(unique=True)", 'x: Mapped[str] = mapped_column(String(50), unique=True, default="")'),
        ("models.EmailField(null=True)", "x: Mapped[Optional[str]] = mapped_column(String(254))"),
        ("models.URLField(null=True)", "x: Mapped[Optional[str]] = mapped_column(String(200))"),
        ("models.GenericIPAddressField()", "x: Mapped[str] = mapped_column(String(39))"),
        ("models.FilePathField(path='/srv', null=True)", "x: Mapped[Optional[str]] = mapped_column(String(100))"),
        ("models.FileField(null=True)", "x: Mapped[Optional[str]] = mapped_column(String(100))"),
        ("models.ImageField(max_length=255, null=True)", "x: Mapped[Optional[str]] = mapped_column(String(255))"),
        ("models.IntegerField()", "x: Mapped[int] = mapped_column(Integer)"),
        ("models.BigIntegerField()", "x: Mapped[int] = mapped_column(BigInteger)"),
        ("models.SmallIntegerField()", "x: Mapped[int] = mapped_column(SmallInteger)"),
        (
            "models.PositiveIntegerField()",
            'x: Mapped[int] = mapped_column(Integer, CheckConstraint("x >= 0"))',
        ),
        (
            "models.PositiveSmallIntegerField()",
            'x: Mapped[int] = mapped_column(SmallInteger, CheckConstraint("x >= 0"))',
        ),
        (
            "models.PositiveBigIntegerField()",
            'x: Mapped[int] = mapped_column(BigInteger, CheckConstraint("x >= 0"))',
        ),
        ("models.BooleanField(default=False)", "x: Mapped[bool] = mapped_column(Boolean, default=False)"),
        ("models.BooleanField(null=True)", "x: Mapped[Optional[bool]] = mapped_column(Boolean)"),
        ("models.FloatField()", "x: Mapped[float] = mapped_column(Float)"),
        (
            "models.DecimalField(max_digits=8, decimal_places=2)",
            "x: Mapped[decimal.Decimal] = mapped_column(Numeric(8, 2))",
        ),
        ("models.DateField()", "x: Mapped[datetime.date] = mapped_column(Date)"),
        ("models.DateTimeField()", "x: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))"),
        ("models.TimeField()", "x: Mapped[datetime.time] = mapped_column(Time)"),
        (
            "models.DurationField()",
            'x: Mapped[datetime.timedelta] = mapped_column(Interval().with_variant(DjangoDuration(), "sqlite", '
            '"mysql", "mariadb"))',
        ),
        ("models.UUIDField()", "x: Mapped[uuid.UUID] = mapped_column(Uuid)"),
        ("models.JSONField(null=True)", "x: Mapped[Optional[Any]] = mapped_column(JSON)"),
        ("models.BinaryField()", 'x: Mapped[bytes] = mapped_column(LargeBinary, default=b"")'),
    ],
)
def test_each_field_type_becomes_its_column(declaration: str, expected: str) -> None:
    assert code(f"class Thing(models.Model):\n    x = {declaration}\n", "Thing", "x") == expected


def test_auto_fields_keep_sqlite_autoincrement() -> None:
    result = translate(
        """\
class Big(models.Model):
    pass


class Small(models.Model):
    id = models.SmallAutoField(primary_key=True)


class Plain(models.Model):
    id = models.AutoField(primary_key=True)
"""
    )
    assert field(result, "Big", "id").code == (
        'id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)'
    )
    assert field(result, "Small", "id").code == (
        'id: Mapped[int] = mapped_column(SmallInteger().with_variant(Integer, "sqlite"), primary_key=True)'
    )
    assert field(result, "Plain", "id").code == "id: Mapped[int] = mapped_column(Integer, primary_key=True)"
    assert "the primary key Django adds (BigAutoField" in notes(field(result, "Big", "id"))


def test_postgresql_fields() -> None:
    source = """\
from django.contrib.postgres.fields import ArrayField, HStoreField


class Doc(models.Model):
    tags = ArrayField(models.CharField(max_length=20), size=4, default=list)
    attrs = HStoreField(null=True)
"""
    result = translate(source)
    tags = field(result, "Doc", "tags")
    assert tags.code == "tags: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list)"
    assert "PostgreSQL only (size=4 is not enforced by the database)" in notes(tags)
    assert field(result, "Doc", "attrs").code == "attrs: Mapped[Optional[dict[str, Any]]] = mapped_column(HSTORE)"
    assert "from sqlalchemy.dialects.postgresql import ARRAY, HSTORE" in result.module_code()


# ---------------------------------------------------------------------------
# Options


def test_column_options() -> None:
    source = """\
class Thing(models.Model):
    code = models.CharField(max_length=5, primary_key=True)
    label = models.CharField(max_length=9, db_column="thing_label", db_index=True, help_text="Shown", db_comment="c")
    rank = models.IntegerField(unique=True, default=3)
    metadata = models.JSONField(default=dict)
"""
    result = translate(source)
    assert field(result, "Thing", "code").code == (
        "code: Mapped[str] = mapped_column(String(5), primary_key=True, autoincrement=False)"
    )
    assert field(result, "Thing", "label").code == (
        'label: Mapped[str] = mapped_column("thing_label", String(9), index=True, default="", comment="c", doc="Shown")'
    )
    assert field(result, "Thing", "rank").code == "rank: Mapped[int] = mapped_column(Integer, unique=True, default=3)"
    metadata = field(result, "Thing", "metadata")
    assert metadata.code == 'metadata_: Mapped[Any] = mapped_column("metadata", JSON, default=dict)'
    assert not metadata.exact and "reserved by SQLAlchemy" in notes(metadata)
    assert "id" not in [name for (_, name) in result.field_code]  # the explicit key replaces it


@pytest.mark.parametrize(
    ("default", "expected"),
    [
        ("default=7", "default=7"),
        ('default="n/a"', 'default="n/a"'),
        ("default=None, null=True", None),
        ("default=dict", "default=dict"),
        ("default=uuid.uuid4", "default=uuid.uuid4"),
        ("default=timezone.now", "default=utc_now"),
        ("default=datetime.date.today", "default=datetime.date.today"),
        ('default=Decimal("1.50")', 'default=decimal.Decimal("1.50")'),
        ("default=timedelta(days=2)", "default=datetime.timedelta(days=2)"),
        ("default=lambda: 4", "default=lambda: 4"),
        ("default=[1, 2]", "default=lambda: [1, 2]"),
    ],
)
def test_defaults(default: str, expected: str | None) -> None:
    source = f"""\
import datetime
import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone


class Thing(models.Model):
    x = models.JSONField({default})
"""
    translated = code(source, "Thing", "x")
    if expected is None:
        assert "default=" not in translated
    else:
        assert translated.endswith(f"{expected})")


def test_a_project_callable_default_is_left_for_the_port() -> None:
    source = """\
def next_code():
    return "A1"


class Ticket(models.Model):
    code = models.CharField(max_length=4, default=next_code)
"""
    translated = field(translate(source), "Ticket", "code")
    assert translated.code == "code: Mapped[str] = mapped_column(String(4))"
    assert not translated.exact and "default=next_code is code this module cannot import" in notes(translated)


def test_auto_now_and_db_default() -> None:
    source = """\
from django.db.models.functions import Now


class Entry(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    changed = models.DateTimeField(auto_now=True)
    stamped = models.DateTimeField(db_default=Now())
    state = models.CharField(max_length=3, db_default="new")
    count = models.IntegerField(db_default=0)
"""
    result = translate(source)
    created = field(result, "Entry", "created")
    assert (
        created.code
        == "created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=func.now())"
    )
    assert "Django sets it in Python" in notes(created)
    changed = field(result, "Entry", "changed")
    assert changed.code.endswith("default=func.now(), onupdate=func.now())")
    assert "QuerySet.update() does not" in notes(changed)
    assert field(result, "Entry", "stamped").code.endswith("server_default=func.now())")
    assert field(result, "Entry", "state").code.endswith('server_default="new")')
    assert field(result, "Entry", "count").code.endswith('server_default=text("0"))')


def test_semantics_the_column_does_not_carry_are_noted() -> None:
    source = """\
class Visit(models.Model):
    at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True)
"""
    result = translate(source)
    at = field(result, "Visit", "at")
    assert at.exact and "stores UTC" in notes(at)
    ip = field(result, "Visit", "ip")
    assert not ip.exact and "clean_ipv6_address" in notes(ip) and "as NULL" in notes(ip)


def test_form_only_options_become_notes() -> None:
    source = """\
from django.core.validators import MinValueValidator


class Form(models.Model):
    name = models.CharField(max_length=9, blank=True, editable=False)
    age = models.IntegerField(validators=[MinValueValidator(18)])
    slug = models.SlugField(unique_for_date="day")
    day = models.DateField()
    email = models.EmailField()
"""
    result = translate(source)
    name = notes(field(result, "Form", "name"))
    assert "blank=True is form validation only" in name and "editable=False: leave it out of forms" in name
    age = field(result, "Form", "age")
    assert not age.exact and "validators [MinValueValidator(18)]" in notes(age)
    assert not field(result, "Form", "slug").exact and "unique_for_date" in notes(field(result, "Form", "slug"))
    assert "wtforms.validators.Email()" in notes(field(result, "Form", "email"))


def test_choices() -> None:
    source = """\
class Size(models.IntegerChoices):
    SMALL = 1
    LARGE = 2


class Shirt(models.Model):
    class Colour(models.TextChoices):
        RED = "r", "Red"
        BLUE = "b", "Blue"

    colour = models.CharField(max_length=1, choices=Colour.choices, default="b")
    size = models.IntegerField(choices=Size.choices, default=Size.SMALL)
    fit = models.CharField(max_length=5, choices=[("slim", "Slim"), ("loose", "Loose")])
"""
    result = translate(source)
    colour = field(result, "Shirt", "colour")
    assert colour.code == (
        "colour: Mapped[Colour] = mapped_column(\n"
        "    Enum(Colour, native_enum=False, length=1, validate_strings=True, values_callable=enum_values),\n"
        "    default=Colour.BLUE,\n"
        ")"
    )
    assert "by stored value" in notes(colour) and "LookupError" in notes(colour)
    size = field(result, "Shirt", "size")
    assert size.code == "size: Mapped[int] = mapped_column(Integer, default=Size.SMALL)"
    assert "the enum Size" in notes(size)
    fit = field(result, "Shirt", "fit")
    assert fit.code == 'fit: Mapped[str] = mapped_column(String(5), default="")'
    assert '["slim", "loose"]' in notes(fit)
    module = result.module_code()
    assert (
        'class Colour(str, enum.Enum):\n    """shop.models.Shirt.Colour: the values Django stores."""\n\n    RED = "r"'
        in module
    )
    assert "class Size(enum.IntEnum):" in module and "def enum_values(members: Any)" in module


# ---------------------------------------------------------------------------
# Relations


RELATIONS = """\
def nobody():
    return None


class Author(models.Model):
    name = models.CharField(max_length=50, unique=True)


class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    editor = models.ForeignKey(Author, on_delete=models.SET_NULL, null=True, db_column="editor_ref")
    reviewer = models.ForeignKey(Author, on_delete=models.PROTECT, to_field="name", related_name="reviews")
    archivist = models.ForeignKey(Author, on_delete=models.DO_NOTHING, related_name="+")
    curator = models.ForeignKey(Author, on_delete=models.SET(nobody), null=True, related_name="curated")
    sequel_of = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, related_name="sequel")
"""


def test_a_foreign_key_is_a_column_and_a_relationship() -> None:
    result = translate(RELATIONS)
    author = field(result, "Book", "author")
    assert author.code == (
        'author_id: Mapped[int] = mapped_column(ForeignKey("shop_author.id", ondelete="CASCADE"), index=True)\n'
        'author: Mapped[Author] = relationship(back_populates="books", foreign_keys="Book.author_id")'
    )
    assert author.exact and "cascade=delete on Author.books" in notes(author)
    assert "the existing FOREIGN KEY has no ON DELETE" in notes(author)


def test_on_delete_rules() -> None:
    result = translate(RELATIONS)
    editor = field(result, "Book", "editor")
    assert flat(editor.code).startswith(
        'editor_id: Mapped[Optional[int]] = mapped_column("editor_ref", ForeignKey("shop_author.id", '
        'ondelete="SET NULL"), index=True)'
    )
    assert editor.exact and "sets editor_ref to NULL" in notes(editor)
    reviewer = field(result, "Book", "reviewer")
    assert 'ForeignKey("shop_author.name", ondelete="RESTRICT")' in reviewer.code
    assert not reviewer.exact and "ProtectedError" in notes(reviewer)
    archivist = field(result, "Book", "archivist")
    assert 'ForeignKey("shop_author.id")' in archivist.code and "back_populates" not in archivist.code
    assert archivist.exact and "DO_NOTHING" in notes(archivist)
    curator = field(result, "Book", "curator")
    assert 'ForeignKey("shop_author.id")' in curator.code and not curator.exact
    assert "models.SET(nobody)" in notes(curator) and "before_delete" in notes(curator)


def test_reverse_accessors_carry_the_cascade() -> None:
    author = translate(RELATIONS).model_code["shop.models.Author"].code
    assert (
        'books: Mapped[list[Book]] = relationship(\n        back_populates="author",\n'
        '        foreign_keys="Book.author_id",\n        cascade="save-update, merge, delete",\n    )'
    ) in author
    assert (
        'book_set: Mapped[list[Book]] = relationship(back_populates="editor", foreign_keys="Book.editor_id")' in author
    )
    assert 'passive_deletes="all"' in author.split("reviews:")[1].split("\n    )")[0]
    assert "archivist" not in author  # related_name="+"


def test_one_to_one_and_self_reference() -> None:
    result = translate(RELATIONS)
    sequel = field(result, "Book", "sequel_of")
    assert sequel.code == (
        'sequel_of_id: Mapped[Optional[int]] = mapped_column(ForeignKey("shop_book.id", ondelete="SET NULL"), '
        "unique=True)\n"
        'sequel_of: Mapped[Optional[Book]] = relationship(back_populates="sequel", remote_side="Book.id")'
    )
    book = result.model_code["shop.models.Book"].code
    assert 'sequel: Mapped[Optional[Book]] = relationship(back_populates="sequel_of", uselist=False)' in book


def test_a_relation_to_a_model_outside_the_project_keeps_its_column() -> None:
    source = """\
class Pin(models.Model):
    place = models.ForeignKey("geo.Place", on_delete=models.CASCADE)
"""
    translated = field(translate(source), "Pin", "place")
    assert translated.code == "place_id: Mapped[int] = mapped_column(Integer, index=True)"  # Django's FK index
    assert not translated.exact and "geo.Place" in notes(translated)


def test_many_to_many_gets_djangos_join_table() -> None:
    source = """\
class Tag(models.Model):
    name = models.CharField(max_length=20)


class Post(models.Model):
    tags = models.ManyToManyField(Tag, related_name="posts")
"""
    result = translate(source)
    tags = field(result, "Post", "tags")
    unique_name = django_name("shop_post_tags", ["post_id", "tag_id"], "_uniq")
    assert tags.code == (
        "shop_post_tags = Table(\n"
        '    "shop_post_tags",\n'
        "    Base.metadata,\n"
        '    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),\n'
        '    Column("post_id", ForeignKey("shop_post.id", ondelete="CASCADE"), nullable=False, index=True),\n'
        '    Column("tag_id", ForeignKey("shop_tag.id", ondelete="CASCADE"), nullable=False, index=True),\n'
        f'    UniqueConstraint("post_id", "tag_id", name="{unique_name}"),\n'
        ")\n\n"
        'tags: Mapped[list[Tag]] = relationship(secondary=shop_post_tags, back_populates="posts")'
    )
    assert 'posts: Mapped[list[Post]] = relationship(secondary=shop_post_tags, back_populates="tags")' in (
        result.model_code["shop.models.Tag"].code
    )


def test_self_many_to_many_symmetrical_and_not() -> None:
    source = """\
class Person(models.Model):
    friends = models.ManyToManyField("self")
    follows = models.ManyToManyField("self", symmetrical=False, related_name="followers", db_table="follow")
"""
    result = translate(source)
    friends = field(result, "Person", "friends")
    assert '"from_person_id"' in friends.code and '"to_person_id"' in friends.code
    assert 'primaryjoin="Person.id == shop_person_friends.c.from_person_id"' in friends.code
    assert "back_populates" not in friends.code.split("friends: ")[1]
    assert not friends.exact and "both (a, b) and (b, a)" in notes(friends)
    follows = field(result, "Person", "follows")
    assert follows.code.startswith('follow = Table(\n    "follow",') and 'back_populates="followers"' in follows.code
    person = result.model_code["shop.models.Person"].code
    assert 'primaryjoin="Person.id == follow.c.to_person_id"' in person.split("followers:")[1]


def test_many_to_many_through_a_model_is_read_only() -> None:
    source = """\
class Group(models.Model):
    members = models.ManyToManyField("Person", through="Membership", through_fields=("group", "person"))


class Person(models.Model):
    pass


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    inviter = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
"""
    result = translate(source)
    members = field(result, "Group", "members")
    assert members.code == (
        "members: Mapped[list[Person]] = relationship(\n"
        '    secondary="shop_membership",\n'
        '    primaryjoin="Group.id == Membership.group_id",\n'
        '    secondaryjoin="Person.id == Membership.person_id",\n'
        '    back_populates="group_set",\n'
        "    viewonly=True,\n"
        ")"
    )
    assert "creating and deleting Membership rows" in notes(members)
    assert 'foreign_keys="Membership.person_id"' in result.model_code["shop.models.Membership"].code


# ---------------------------------------------------------------------------
# Meta


def test_meta_constraints_and_indexes() -> None:
    source = """\
class Booking(models.Model):
    room = models.CharField(max_length=5)
    day = models.DateField()
    nights = models.IntegerField()
    guest = models.CharField(max_length=20)
    cancelled = models.BooleanField(default=False)
    paid = models.DecimalField(max_digits=6, decimal_places=2, null=True)

    class Meta:
        ordering = ["-day"]
        unique_together = [("room", "day")]
        index_together = [("guest", "day")]
        constraints = [
            models.UniqueConstraint(fields=["room", "day"], condition=Q(cancelled=False), name="one_live_booking"),
            models.CheckConstraint(condition=Q(nights__gte=1) & ~Q(guest=""), name="%(app_label)s_%(class)s_ok"),
            models.CheckConstraint(condition=Q(paid__isnull=True) | Q(paid__lte=F("nights")), name="paid_ok"),
            models.UniqueConstraint(fields=["guest"], name="one_guest", deferrable=models.Deferrable.DEFERRED),
        ]
        indexes = [
            models.Index(fields=["-day", "room"], name="day_room_idx"),
            models.Index(fields=["guest"]),
            models.Index(fields=["nights"], name="long_stays", condition=Q(nights__gt=7)),
        ]
"""
    result = translate(source)
    booking = result.model_code["shop.models.Booking"]
    args = booking.code.split("__table_args__ = (\n")[1].split("\n    )")[0]
    partial = '.ddl_if(dialect=("postgresql", "sqlite"))'
    assert flat(args).strip().rstrip(",") == ", ".join(
        [
            f'UniqueConstraint("room", "day", name="{django_name("shop_booking", ["room", "day"], "_uniq")}")',
            f'Index("{django_name("shop_booking", ["guest", "day"], "_idx")}", "guest", "day")',
            'Index("one_live_booking", "room", "day", unique=True, sqlite_where=text("cancelled = FALSE"), '
            f'postgresql_where=text("cancelled = FALSE")){partial}',
            'CheckConstraint("(nights >= 1) AND (NOT (guest = \'\'))", name="shop_booking_ok")',
            'CheckConstraint("(paid IS NULL) OR (paid <= nights)", name="paid_ok")',
            'UniqueConstraint("guest", name="one_guest", deferrable=True, initially="DEFERRED")'
            '.ddl_if(dialect=("postgresql", "oracle"))',
            'Index("day_room_idx", text("day DESC"), "room")',
            f'Index("{auto_index_name("shop_booking", "guest")}", "guest")',
            'Index("long_stays", "nights", sqlite_where=text("nights > 7"), '
            f'postgresql_where=text("nights > 7")){partial}',
        ]
    )
    assert any("Meta.ordering ['-day']" in note for note in booking.notes) and not booking.exact
    assert any("index_together was removed" in note for note in booking.notes)


def auto_index_name(table: str, column: str) -> str:
    """What Django's ``Index.set_name_with_model`` names ``Index(fields=[column])`` on ``table``."""
    from django.db.models import Index

    column_field = SimpleNamespace(column=column)
    model = SimpleNamespace(_meta=SimpleNamespace(db_table=table, get_field=lambda name: column_field))
    index = Index(fields=[column])
    index.set_name_with_model(model)
    return str(index.name)


def test_unmappable_conditions_are_left_as_notes() -> None:
    source = """\
class Thing(models.Model):
    name = models.CharField(max_length=5)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(name__regex="^a"), name="a_names")]
"""
    thing = translate(source).model_code["shop.models.Thing"]
    assert "__table_args__" not in thing.code and not thing.exact
    assert any("write the condition as CheckConstraint" in note for note in thing.notes)


def test_model_notes_for_managers_methods_and_meta() -> None:
    source = """\
class BookQuerySet(models.QuerySet):
    def cheap(self):
        return self


class Book(models.Model):
    objects = BookQuerySet.as_manager()

    class Meta:
        get_latest_by = "id"
        permissions = [("sell", "Can sell")]
        managed = False

    def __str__(self):
        return "b"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return "/"

    def price_with_tax(self):
        return 1
"""
    book = translate(source).model_code["shop.models.Book"]
    text = " | ".join(book.notes)
    assert "manager objects (BookQuerySet; methods: cheap)" in text
    assert "save() override" in text and "get_absolute_url(): a property returning url_for" in text
    assert "__str__(): plain Python: copy it" in text and "methods price_with_tax" in text
    assert "latest()/earliest()" in text and "auth_permission" in text and "Meta.managed=False" in text
    assert book.code.startswith("# shop.Book (shop/models.py:11)\n# Hand work: Meta.get_latest_by")  # class line
    assert not book.exact


# ---------------------------------------------------------------------------
# Inheritance and Django's own models


def test_abstract_models_become_abstract_classes() -> None:
    source = """\
class Stamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="%(class)s_owned")

    class Meta:
        abstract = True


class Note(Stamped):
    text = models.TextField()


class Memo(Stamped):
    created = models.DateTimeField()
"""
    result = translate(source)
    stamped = result.model_code["shop.models.Stamped"].code
    assert "class Stamped(Base):\n    __abstract__ = True\n    created:" in stamped
    assert "# owner: a relation: declared on each concrete subclass" in stamped
    note = result.model_code["shop.models.Note"].code
    assert "class Note(Stamped):" in note and "created:" not in note
    assert 'owner: Mapped[User] = relationship(back_populates="note_owned")' in note
    memo = result.model_code["shop.models.Memo"].code
    assert "class Memo(Base):" in memo and "created: Mapped[datetime.datetime] = mapped_column(" in memo
    owner = field(result, "Stamped", "owner")
    assert owner.code.endswith('relationship(back_populates="note_owned")')
    assert "written in each subclass, e.g. Note" in notes(owner)


def test_multi_table_inheritance_is_joined_table_inheritance() -> None:
    source = """\
class Place(models.Model):
    name = models.CharField(max_length=20)


class Restaurant(Place):
    rating = models.IntegerField()
    supplier = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="clients")
"""
    result = translate(source)
    restaurant = result.model_code["shop.models.Restaurant"].code
    assert "class Restaurant(Place):\n" in restaurant
    assert (
        'place_ptr_id: Mapped[int] = mapped_column(ForeignKey("shop_place.id", ondelete="CASCADE"), primary_key=True)'
        in restaurant
    )
    assert '__mapper_args__ = {"inherit_condition": place_ptr_id == Place.id}' in restaurant
    assert (
        'supplier: Mapped[Place] = relationship(back_populates="clients", foreign_keys="Restaurant.supplier_id")'
        in (restaurant)
    )
    ptr = field(result, "Restaurant", "place_ptr")
    assert "joined-table subclass of Place" in notes(ptr)
    place = result.model_code["shop.models.Place"].code
    assert "clients: Mapped[list[Restaurant]]" in place and "restaurant:" not in place


def test_proxies_subclass_their_model() -> None:
    source = """\
class Person(models.Model):
    name = models.CharField(max_length=20)


class Child(Person):
    class Meta:
        proxy = True
"""
    child = translate(source).model_code["shop.models.Child"]
    assert child.code.endswith("class Child(Person):\n    pass")
    assert any("proxy model" in note for note in child.notes)


def test_a_custom_user_and_djangos_tables() -> None:
    source = """\
from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    pass
"""
    result = translate(source, app="accounts")
    user = result.model_code["accounts.models.User"]
    assert "# from django.contrib.auth.models.AbstractBaseUser\n    password: Mapped[str]" in user.code
    assert "groups: Mapped[list[Group]] = relationship(secondary=accounts_user_groups" in user.code
    assert any("Django's API inherited from its classes" in note and "set_password" in note for note in user.notes)
    password = field(result, "User", "password", app="accounts")
    assert not password.exact and "django_pbkdf2_sha256" in notes(password)
    group = result.model_code["django.contrib.auth.models.Group"]
    assert group.code.startswith("# auth.Group (django/contrib/auth/models.py:")
    assert '__tablename__ = "auth_group"' in group.code and "user_set: Mapped[list[User]]" in group.code
    module = result.module_code()
    assert module.index("class Group(Base)") < module.index("class Permission(Base)") or "class Permission" in module
    assert "class ContentType(Base):" in module


# ---------------------------------------------------------------------------
# Names, sites and the module


def test_long_names_follow_the_backends_limit() -> None:
    source = """\
class AVeryLongModelNameForAnInventoryOfWarehouseItems(models.Model):
    categories_of_the_item_in_question = models.ManyToManyField("self", symmetrical=False)
"""
    long_app = "warehouse_management_system"
    on_postgresql = translate(source, app=long_app)
    on_sqlite = translate(source, app=long_app, max_name_length=None)
    qualname = f"{long_app}.models.AVeryLongModelNameForAnInventoryOfWarehouseItems"
    from django.db.backends.utils import truncate_name

    table = "warehouse_management_system_averylongmodelnameforaninventoryofwarehouseitems"
    assert f'__tablename__ = "{table}"' in on_sqlite.model_code[qualname].code
    assert len(truncate_name(table, 63)) == 63
    assert f'__tablename__ = "{truncate_name(table, 63)}"' in on_postgresql.model_code[qualname].code
    join_table = truncate_name(f"{truncate_name(table, 63)}_categories_of_the_item_in_question", 63)
    assert f'    "{join_table}",\n    Base.metadata,' in on_postgresql.module_code()
    columns = [
        "from_averylongmodelnameforaninventoryofwarehouseitems_id",
        "to_averylongmodelnameforaninventoryofwarehouseitems_id",
    ]
    assert django_name(join_table, columns, "_uniq") in on_postgresql.module_code()
    assert django_name(f"{table}_categories_of_the_item_in_question", columns, "_uniq", None) in on_sqlite.module_code()


def test_class_names_stay_unique_across_apps() -> None:
    files = {
        "blog/__init__.py": "",
        "blog/models.py": "from django.db import models\n\n\nclass Tag(models.Model):\n    pass\n",
        "shop/__init__.py": "",
        "shop/models.py": """\
from django.db import models


class Tag(models.Model):
    pass


class Item(models.Model):
    tag = models.ForeignKey("shop.Tag", on_delete=models.CASCADE)
""",
    }
    result = translate_schema(discover_django_models(index_of(files)))
    assert "class Tag(Base):" in result.model_code["blog.models.Tag"].code
    assert "class ShopTag(Base):" in result.model_code["shop.models.Tag"].code
    assert (
        'tag: Mapped[ShopTag] = relationship(back_populates="item_set")' in result.model_code["shop.models.Item"].code
    )


def test_lookups_by_declaration_line() -> None:
    source = """\
class Shelf(models.Model):
    label = models.CharField(max_length=5)
"""
    result = translate(source)
    model = result.model_at("shop/models.py", 6)
    assert model is not None and model.code == result.model_code["shop.models.Shelf"].code
    label = result.field_at("shop/models.py", 7)
    assert label is not None and label.code == 'label: Mapped[str] = mapped_column(String(5), default="")'
    assert result.field_at("shop/models.py", 6) is None and result.model_at("shop/models.py", 7) is None


def test_the_module_is_complete_and_ordered() -> None:
    source = """\
class Child(models.Model):
    parent = models.ForeignKey("Parent", on_delete=models.CASCADE)
    span = models.DurationField()
    seen = models.DateTimeField(default=timezone.now)


class Parent(models.Model):
    pass


class Sub(Parent):
    pass
"""
    module = translate("from django.utils import timezone\n\n\n" + source).module_code()
    tree = ast.parse(module)
    defined = [node.name for node in tree.body if isinstance(node, (ast.ClassDef, ast.FunctionDef))]
    assert defined == ["django_index_name", "utc_now", "DjangoDuration", "Base", "Child", "Parent", "Sub"]
    assert "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship" in module
    assert "import datetime\nimport hashlib\nfrom typing import Any\n" in module  # only what the code uses
    assert (
        "from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, Interval, MetaData, TypeDecorator" in module
    )
    assert module.startswith('"""SQLAlchemy 2.0 models for the database the Django project created')


# ---------------------------------------------------------------------------
# Schemas real projects have that need care


EDGE_CASES = {
    "app/__init__.py": "",
    "app/models.py": """\
from django.contrib.postgres.fields import ArrayField
from django.db import models


class Time(models.Model):
    group = models.PositiveSmallIntegerField()
    grid = ArrayField(ArrayField(models.IntegerField()), null=True)
    doubled = models.GeneratedField(expression=models.F("group") * 2, output_field=models.IntegerField(),
                                    db_persist=True)


class Workflow(models.Model):
    current = models.OneToOneField("Step", null=True, on_delete=models.SET_NULL, related_name="current_of")


class Step(models.Model):
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="steps")


class Kind(models.Model):
    pass


class Page(models.Model):
    kind = models.ForeignKey(Kind, on_delete=models.CASCADE, related_name="pages")


class SnippetPage(Page):
    snippet_kind = models.ForeignKey(Kind, null=True, on_delete=models.SET_NULL)


class Other(models.Model):
    kind = models.ForeignKey(Kind, on_delete=models.CASCADE, related_name="pages")


class Shelf(models.Model):
    label = models.CharField(max_length=10, db_index=True)
    kinds = models.ManyToManyField(Kind, db_table="app_shelf_kind_link")

    class Meta:
        db_table = "shelves"


class ShelfView(models.Model):
    label = models.CharField(max_length=10)
    kind = models.ForeignKey(Kind, on_delete=models.CASCADE, related_name="shelf_views")

    class Meta:
        db_table = "shelves"
        managed = False


class ShelfKind(models.Model):
    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE, db_column="shelf_id")
    kind = models.ForeignKey(Kind, on_delete=models.CASCADE, db_column="kind_id", related_name="+")

    class Meta:
        db_table = "app_shelf_kind_link"
        managed = False
""",
}


def test_edge_cases_map_without_warnings() -> None:
    import sys
    import types
    import warnings

    from sqlalchemy import create_engine

    result = translate_schema(discover_django_models(index_of(EDGE_CASES)))
    module = types.ModuleType("fwlint_edge_case_models")
    sys.modules[module.__name__] = module
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            exec(compile(result.module_code(), module.__name__, "exec"), module.__dict__)
            module.Base.registry.configure()  # this module's classes only
            tables = module.Base.metadata.tables
            assert {"app_time", "app_workflow", "app_step", "app_snippetpage", "shelves", "app_shelf_kind_link"} <= set(
                tables
            )
            sqlite_safe = [t for name, t in tables.items() if name != "app_time"]  # ARRAY is PostgreSQL's
            module.Base.metadata.create_all(create_engine("sqlite://"), tables=sqlite_safe)
    finally:
        if hasattr(module, "Base"):
            module.Base.registry.dispose()
        del sys.modules[module.__name__]


def test_a_class_never_shadows_an_imported_name() -> None:
    result = translate_schema(discover_django_models(index_of(EDGE_CASES)))
    assert "class AppTime(Base):" in result.model_code["app.models.Time"].code


def test_quoted_columns_nested_arrays_and_generated_fields() -> None:
    result = translate_schema(discover_django_models(index_of(EDGE_CASES)))
    assert field(result, "Time", "group", app="app").code == (
        'group: Mapped[int] = mapped_column(SmallInteger, CheckConstraint("\\"group\\" >= 0"))'
    )
    assert field(result, "Time", "grid", app="app").code == (
        "grid: Mapped[Optional[list[list[int]]]] = mapped_column(ARRAY(Integer, dimensions=2))"
    )
    doubled = field(result, "Time", "doubled", app="app")
    assert doubled.code == (
        "doubled: Mapped[int] = mapped_column(Integer, server_default=FetchedValue(), server_onupdate=FetchedValue())"
    )
    assert not doubled.exact and "Computed(<SQL>)" in notes(doubled)


def test_foreign_keys_either_way_and_through_parents_need_foreign_keys() -> None:
    result = translate_schema(discover_django_models(index_of(EDGE_CASES)))
    assert 'foreign_keys="Workflow.current_id"' in field(result, "Workflow", "current", app="app").code
    assert 'foreign_keys="Step.workflow_id"' in field(result, "Step", "workflow", app="app").code
    snippet = field(result, "SnippetPage", "snippet_kind", app="app").code
    assert 'foreign_keys="SnippetPage.snippet_kind_id"' in snippet  # Page.kind reaches Kind too


def test_a_reverse_accessor_claimed_twice_keeps_the_first() -> None:
    result = translate_schema(discover_django_models(index_of(EDGE_CASES)))
    kind = result.model_code["app.models.Kind"].code
    assert kind.count("pages: Mapped[") == 1 and 'back_populates="kind"' in kind.split("pages:")[1].split("\n    )")[0]
    other = field(result, "Other", "kind", app="app")
    assert "back_populates" not in other.code and not other.exact and "clashes" in notes(other)


def test_two_models_on_one_table() -> None:
    result = translate_schema(discover_django_models(index_of(EDGE_CASES)))
    view = result.model_code["app.models.ShelfView"]
    assert '{"extend_existing": True}' in view.code and "viewonly=True" in view.code
    assert any("also Shelf's" in note for note in view.notes)
    kinds = field(result, "Shelf", "kinds", app="app")
    assert "Table(" not in kinds.code and 'secondary="app_shelf_kind_link"' in kinds.code
    assert 'primaryjoin="Shelf.id == ShelfKind.shelf_id"' in kinds.code and "viewonly=True" in kinds.code


def test_proxies_of_unreadable_models_and_indexes_on_unknown_fields_are_notes() -> None:
    files = {
        "ext/__init__.py": "",
        "ext/models.py": """\
from django.db import models
from vendor.models import VendorModel
from vendor.fields import ColourField


class Local(VendorModel):
    name = models.CharField(max_length=5)

    class Meta:
        proxy = True


class Paint(models.Model):
    colour = ColourField()

    class Meta:
        indexes = [models.Index(fields=["colour"], name="paint_colour_idx")]
""",
    }
    result = translate_schema(discover_django_models(index_of(files)))
    local = result.model_code["ext.models.Local"]
    assert not re.search(r"^class ", local.code, re.M) and not local.exact and "cannot read" in local.notes[0]
    paint = result.model_code["ext.models.Paint"]
    assert "paint_colour_idx" not in paint.code.split("class Paint")[1] and not paint.exact
    assert "# colour = ColourField()" in paint.code
