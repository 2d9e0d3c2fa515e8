"""Discovery of Django models: what Django itself would make of each class, read statically."""

from __future__ import annotations

import pickle
from types import SimpleNamespace

import pytest

from fwlint.facts import CallValue, Ref
from fwlint.link.django_models import (
    DjangoModel,
    DjangoSchema,
    RelationInfo,
    discover_django_models,
    django_index_name,
    truncate_name,
)

from .conftest import index_of

AUTH = "django.contrib.auth.models"


def discover(files: dict[str, str], **options: str) -> DjangoSchema:
    packages = {f"{name.split('/')[0]}/__init__.py": "" for name in files if "/" in name}
    return discover_django_models(index_of({**packages, **files}), **options)


def model(schema: DjangoSchema, qualname: str) -> DjangoModel:
    found = schema.model(qualname)
    assert found is not None, [m.qualname for m in schema.all_models()]
    return found


def names(found: DjangoModel) -> list[str]:
    return [f.name for f in found.fields]


SHOP = {
    "shop/models.py": """\
from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=80)


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    placed = models.DateTimeField(auto_now_add=True)
""",
}


# ---------------------------------------------------------------------------
# Which classes are models


def test_models_are_found_through_bases_in_other_modules() -> None:
    schema = discover(
        {
            "core/base.py": """\
from django.db import models


class Stamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
""",
            "blog/models.py": """\
from django import forms
from django.db import models

from core.base import Stamped


class Status(models.TextChoices):
    DRAFT = "d"


class Post(Stamped):
    title = models.CharField(max_length=100)

    class Meta:
        ordering = ["title"]


class PostForm(forms.Form):
    title = forms.CharField()


class Helper:
    name = models.CharField(max_length=3)
""",
        }
    )
    assert [m.qualname for m in schema.models] == ["core.base.Stamped", "blog.models.Post"]
    assert model(schema, "core.base.Stamped").abstract
    post = model(schema, "blog.models.Post")
    assert (post.name, post.app_label, post.app, post.file, post.span.line) == (
        "Post",
        "blog",
        "blog",
        "blog/models.py",
        11,
    )
    assert post.bases == ["core.base.Stamped"] and post.model_name == "post"


def test_serializers_and_forms_on_unknown_bases_are_not_models() -> None:
    schema = discover(
        {
            "api/serializers.py": """\
from rest_framework import serializers
from thirdparty.bases import Base


class BookSerializer(serializers.ModelSerializer):
    title = serializers.CharField()


class Thing(Base):
    label = serializers.CharField()
""",
        }
    )
    assert schema.models == []


def test_a_model_on_a_third_party_base_is_kept_with_that_base_named() -> None:
    schema = discover(
        {
            "tree/models.py": """\
from django.db import models
from mptt.models import MPTTModel


class Node(MPTTModel):
    name = models.CharField(max_length=20)
""",
        }
    )
    node = model(schema, "tree.models.Node")
    assert node.external_bases == ["mptt.models.MPTTModel"] and "name" in names(node)


# ---------------------------------------------------------------------------
# App labels, tables, primary keys


def test_table_names_follow_django_defaults_and_meta() -> None:
    schema = discover(
        {
            "shop/catalog/models/__init__.py": "from .items import Item\n",
            "shop/catalog/models/items.py": """\
from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=10)


class LegacyItem(models.Model):
    class Meta:
        db_table = "legacy_items"


class Moved(models.Model):
    class Meta:
        app_label = "storage"
""",
        }
    )
    assert model(schema, "shop.catalog.models.items.Item").table_name == "catalog_item"
    assert model(schema, "shop.catalog.models.items.Item").app == "shop.catalog"
    assert model(schema, "shop.catalog.models.items.LegacyItem").table_name == "legacy_items"
    moved = model(schema, "shop.catalog.models.items.Moved")
    assert (moved.app_label, moved.table_name) == ("storage", "storage_moved")


def test_installed_apps_and_app_configs_give_labels_and_auto_fields() -> None:
    schema = discover(
        {
            "site_conf/settings.py": """\
INSTALLED_APPS = ["django.contrib.auth", "store.apps.StoreConfig", "notes"]
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
""",
            "store/apps.py": """\
from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "store"
    label = "shopfront"
    default_auto_field = "django.db.models.SmallAutoField"
""",
            "store/models.py": "from django.db import models\n\n\nclass Shelf(models.Model):\n    pass\n",
            "notes/models.py": "from django.db import models\n\n\nclass Note(models.Model):\n    pass\n",
        }
    )
    shelf = model(schema, "store.models.Shelf")
    assert (shelf.app_label, shelf.table_name) == ("shopfront", "shopfront_shelf")
    assert shelf.fields[0].field_class == "django.db.models.SmallAutoField"
    note = model(schema, "notes.models.Note")
    assert note.fields[0].field_class == "django.db.models.AutoField"  # the settings module's


def test_the_implicit_id_is_bigautofield_unless_told_otherwise() -> None:
    default = model(discover(SHOP), "shop.models.Customer")
    assert default.fields[0].name == "id" and default.fields[0].implicit and default.fields[0].primary_key
    assert default.fields[0].field_class == "django.db.models.BigAutoField" and default.pk is default.fields[0]
    given = model(discover(SHOP, default_auto_field="django.db.models.AutoField"), "shop.models.Customer")
    assert given.fields[0].field_class == "django.db.models.AutoField"


def test_an_explicit_primary_key_replaces_the_id() -> None:
    schema = discover(
        {
            "codes/models.py": """\
from django.db import models


class Country(models.Model):
    iso = models.CharField(max_length=2, primary_key=True)
""",
        }
    )
    country = model(schema, "codes.models.Country")
    assert names(country) == ["iso"] and country.pk is not None and country.pk.name == "iso"


# ---------------------------------------------------------------------------
# Fields and their options


FIELDS = {
    "lab/models.py": """\
import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone


def make_code():
    return "x"


class Sample(models.Model):
    name = models.CharField("Sample name", max_length=40, unique=True, help_text="Shown on labels")
    slug = models.SlugField()
    email = models.EmailField(null=True, blank=True)
    site = models.URLField()
    code = models.CharField(max_length=8, default=make_code, db_column="sample_code", editable=False)
    weight = models.DecimalField("Weight", max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    taken = models.DateTimeField(default=timezone.now, db_index=True)
    changed = models.DateTimeField(auto_now=True)
    token = models.UUIDField(default=uuid.uuid4)
    upload = models.FileField(upload_to="samples/")
    ip = models.GenericIPAddressField()
    tags = models.JSONField(default=list, db_comment="free tags")
    legacy = models.NullBooleanField()
""",
}


def test_field_options_are_read_with_django_defaults() -> None:
    sample = model(discover(FIELDS), "lab.models.Sample")
    by_name = {f.name: f for f in sample.fields}
    name = by_name["name"]
    assert (name.field_class, name.kind, name.column, name.max_length) == (
        "django.db.models.CharField",
        "column",
        "name",
        40,
    )
    assert name.unique and name.verbose_name == "Sample name" and name.help_text == "Shown on labels"
    assert name.options["verbose_name"] == "Sample name" and name.args == ("Sample name",)
    assert (
        name.source == 'name = models.CharField("Sample name", max_length=40, unique=True, help_text="Shown on labels")'
    )
    assert (by_name["slug"].max_length, by_name["slug"].db_index) == (50, True)
    assert by_name["email"].max_length == 254 and by_name["email"].null and by_name["email"].blank
    assert by_name["site"].max_length == 200 and by_name["upload"].max_length == 100 and by_name["ip"].max_length == 39
    code = by_name["code"]
    assert code.column == "sample_code" and code.db_column == "sample_code" and not code.editable
    assert code.has_default and code.default == Ref("lab.models.make_code")
    weight = by_name["weight"]
    assert (weight.max_digits, weight.decimal_places, weight.verbose_name) == (6, 2, "Weight")
    assert weight.validators == ["MinValueValidator(0)"]
    assert by_name["taken"].default == Ref("django.utils.timezone.now") and by_name["taken"].db_index
    changed = by_name["changed"]
    assert changed.auto_now and changed.blank and not changed.editable and not changed.has_default
    assert by_name["token"].default == Ref("uuid.uuid4")
    assert by_name["tags"].db_comment == "free tags"
    assert by_name["legacy"].null  # NullBooleanField is nullable by definition
    assert sample.field_named("id") is not None and sample.field_named("missing") is None


def test_choices_classes_and_literal_choices() -> None:
    schema = discover(
        {
            "tickets/models.py": """\
from enum import auto

from django.db import models

SIZES = [("s", "Small"), ("l", "Large")]


class Severity(models.IntegerChoices):
    LOW = auto()
    HIGH = auto()


class Ticket(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Open"
        IN_REVIEW = "review"
        CLOSED = auto()

    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    severity = models.IntegerField(choices=Severity)
    size = models.CharField(max_length=1, choices=SIZES)
    colour = models.CharField(max_length=5, choices=[("Warm", [("red", "Red")]), ("blue", "Blue")])
    level = models.IntegerField(choices=[(1, "One"), (2, "Two")])
""",
        }
    )
    ticket = model(schema, "tickets.models.Ticket")
    state = ticket.field_named("state")
    assert state is not None and state.choices is not None
    assert state.choices.enum_class == "tickets.models.Ticket.State" and not state.choices.integer
    assert state.choices.members == {"OPEN": "open", "IN_REVIEW": "review", "CLOSED": "CLOSED"}
    assert state.choices.values == [("open", "Open"), ("review", "In Review"), ("CLOSED", "Closed")]
    assert state.default == Ref("tickets.models.Ticket.State.OPEN")
    severity = ticket.field_named("severity")
    assert severity is not None and severity.choices is not None
    assert severity.choices.integer and severity.choices.members == {"LOW": 1, "HIGH": 2}
    size = ticket.field_named("size")
    assert size is not None and size.choices is not None and size.choices.values == [("s", "Small"), ("l", "Large")]
    colour = ticket.field_named("colour")
    assert colour is not None and colour.choices is not None
    assert [v for v, _ in colour.choices.values] == ["red", "blue"]
    level = ticket.field_named("level")
    assert level is not None and level.choices is not None and level.choices.integer


def test_project_field_subclasses_and_unknown_fields() -> None:
    schema = discover(
        {
            "geo/models.py": """\
from django.db import models
from django_countries.fields import CountryField


class UpperCharField(models.CharField):
    pass


class Place(models.Model):
    code = UpperCharField(max_length=3)
    country = CountryField()
""",
        }
    )
    place = model(schema, "geo.models.Place")
    code = place.field_named("code")
    assert code is not None and code.field_class == "django.db.models.CharField"
    assert code.declared_class == "geo.models.UpperCharField" and code.max_length == 3
    country = place.field_named("country")
    assert country is not None and country.kind == "unknown" and country.column == "country"
    assert country.declared_class == "django_countries.fields.CountryField"


# ---------------------------------------------------------------------------
# Inheritance


def test_abstract_fields_are_inherited_overridden_and_removed() -> None:
    schema = discover(
        {
            "notes/models.py": """\
from django.db import models


class Base(models.Model):
    title = models.CharField(max_length=10)
    body = models.TextField()
    rank = models.IntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["rank"]


class Second(models.Model):
    title = models.CharField(max_length=99)
    extra = models.BooleanField(default=False)

    class Meta:
        abstract = True


class Note(Base, Second):
    body = models.TextField(blank=True)
    rank = None
""",
        }
    )
    note = model(schema, "notes.models.Note")
    assert names(note) == ["id", "title", "extra", "body"]
    title, extra, body = (note.field_named(n) for n in ("title", "extra", "body"))
    assert title is not None and title.max_length == 10 and title.inherited_from == "notes.models.Base"
    assert extra is not None and extra.inherited_from == "notes.models.Second"
    assert body is not None and body.inherited_from is None and body.blank
    assert note.meta.ordering == ["rank"]  # an abstract parent's Meta is inherited when none is declared
    assert "abstract" not in note.meta.options and not note.abstract


def test_meta_inheritance_through_an_explicit_meta_base() -> None:
    schema = discover(
        {
            "posts/models.py": """\
from django.db import models


class Stamped(models.Model):
    class Meta:
        abstract = True
        ordering = ["-id"]
        get_latest_by = "id"


class Post(Stamped):
    class Meta(Stamped.Meta):
        db_table = "posts"


class Page(Stamped):
    class Meta:
        verbose_name = "page"
""",
        }
    )
    post = model(schema, "posts.models.Post")
    assert (post.meta.ordering, post.meta.get_latest_by, post.table_name) == (["-id"], "id", "posts")
    assert not post.abstract
    page = model(schema, "posts.models.Page")
    assert page.meta.ordering is None and page.meta.verbose_name == "page"


def test_multi_table_inheritance_adds_the_parent_link() -> None:
    schema = discover(
        {
            "places/models.py": """\
from django.db import models


class Place(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]


class Restaurant(Place):
    serves_pizza = models.BooleanField(default=False)


class Bar(Place):
    place = models.OneToOneField(Place, on_delete=models.CASCADE, parent_link=True, related_name="bar_row")
""",
        }
    )
    restaurant = model(schema, "places.models.Restaurant")
    assert restaurant.parent == "places.models.Place" and restaurant.parents == ["places.models.Place"]
    ptr = restaurant.fields[0]
    assert (ptr.name, ptr.kind, ptr.column, ptr.target, ptr.on_delete) == (
        "place_ptr",
        "o2o",
        "place_ptr_id",
        "places.models.Place",
        "CASCADE",
    )
    assert ptr.primary_key and ptr.parent_link and ptr.implicit and names(restaurant) == ["place_ptr", "serves_pizza"]
    assert restaurant.meta.ordering == ["name"]  # ordering comes from the concrete parent
    bar = model(schema, "places.models.Bar")
    assert names(bar) == ["place"] and bar.pk is not None and bar.pk.name == "place"


def test_proxies_share_their_concrete_model() -> None:
    schema = discover(
        {
            "people/models.py": """\
from django.db import models


class Person(models.Model):
    name = models.CharField(max_length=30)


class Adult(Person):
    class Meta:
        proxy = True


class Senior(Adult):
    class Meta:
        proxy = True
        ordering = ["name"]
""",
        }
    )
    senior = model(schema, "people.models.Senior")
    assert senior.proxy and senior.proxy_for == "people.models.Person" and senior.table_name == "people_person"
    assert senior.fields == [] and not senior.concrete and senior.meta.ordering == ["name"]


# ---------------------------------------------------------------------------
# Relations


RELATIONS = {
    "config/settings.py": 'AUTH_USER_MODEL = "auth.User"\n',
    "library/models.py": """\
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models


def sentinel():
    return None


class Author(models.Model):
    name = models.CharField(max_length=50)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)


class Book(models.Model):
    author = models.ForeignKey("Author", models.PROTECT, related_name="books", related_query_name="book")
    co_author = models.ForeignKey("library.Author", null=True, on_delete=models.SET(sentinel), related_name="+")
    parent = models.ForeignKey("self", null=True, on_delete=models.SET_NULL)
    readers = models.ManyToManyField(get_user_model(), blank=True)
    similar = models.ManyToManyField("self")
    cites = models.ManyToManyField("self", symmetrical=False, related_name="cited_by", db_table="book_citations")
    shelves = models.ManyToManyField("shelves.Shelf", through="shelves.Placement", through_fields=("book", "shelf"))
    reviewer = models.ForeignKey(Author, to_field="name", db_column="reviewer_name", on_delete=models.DO_NOTHING,
                                 null=True, related_name="reviews")
""",
    "shelves/models.py": """\
from django.db import models


class Shelf(models.Model):
    label = models.CharField(max_length=5)


class Placement(models.Model):
    book = models.ForeignKey("library.Book", on_delete=models.CASCADE)
    shelf = models.ForeignKey(Shelf, on_delete=models.RESTRICT)
    placed_by = models.ForeignKey("library.Book", on_delete=models.SET_DEFAULT, default=1, related_name="placed")
""",
}


def test_relation_targets_resolve_every_way_django_accepts() -> None:
    schema = discover(RELATIONS)
    book = model(schema, "library.models.Book")
    fields = {f.name: f for f in book.fields}
    assert fields["author"].target == "library.models.Author" and fields["author"].target_label == "Author"
    assert fields["co_author"].target == "library.models.Author"
    assert fields["parent"].target == "library.models.Book" and fields["parent"].target_label == "self"
    assert fields["readers"].target == f"{AUTH}.User"
    assert (
        fields["shelves"].target == "shelves.models.Shelf" and fields["shelves"].through == "shelves.models.Placement"
    )
    author = model(schema, "library.models.Author")
    user = author.field_named("user")
    assert user is not None and user.target == f"{AUTH}.User" and user.target_label == "settings.AUTH_USER_MODEL"
    assert user.unique and user.column == "user_id"


def test_relation_options_are_read() -> None:
    fields = {f.name: f for f in model(discover(RELATIONS), "library.models.Book").fields}
    author = fields["author"]
    assert (author.kind, author.column, author.on_delete, author.related_name, author.related_query_name) == (
        "fk",
        "author_id",
        "PROTECT",
        "books",
        "book",
    )
    assert author.db_index and author.on_delete_code == "PROTECT"
    assert fields["co_author"].on_delete == "SET" and fields["co_author"].on_delete_code == "models.SET(sentinel)"
    assert fields["parent"].on_delete == "SET_NULL" and fields["parent"].null
    reviewer = fields["reviewer"]
    assert (reviewer.to_field, reviewer.column, reviewer.on_delete) == ("name", "reviewer_name", "DO_NOTHING")
    assert fields["shelves"].through_fields == ("book", "shelf")
    placed_by = model(discover(RELATIONS), "shelves.models.Placement").field_named("placed_by")
    assert placed_by is not None and placed_by.on_delete == "SET_DEFAULT" and placed_by.default == 1


def test_many_to_many_tables_and_columns_are_djangos() -> None:
    fields = {f.name: f for f in model(discover(RELATIONS), "library.models.Book").fields}
    assert (fields["readers"].m2m_table, fields["readers"].m2m_columns) == (
        "library_book_readers",
        ("book_id", "user_id"),
    )
    similar = fields["similar"]
    assert (similar.m2m_table, similar.m2m_columns, similar.symmetrical) == (
        "library_book_similar",
        ("from_book_id", "to_book_id"),
        True,
    )
    cites = fields["cites"]
    assert (cites.m2m_table, cites.m2m_columns, cites.symmetrical) == (
        "book_citations",
        ("from_book_id", "to_book_id"),
        False,
    )
    assert (fields["shelves"].m2m_table, fields["shelves"].m2m_columns) == (
        "shelves_placement",
        ("book_id", "shelf_id"),
    )
    assert all(f.column is None for f in fields.values() if f.kind == "m2m")


def test_relations_lists_forward_and_reverse_names_as_django_does() -> None:
    relations = discover(RELATIONS).relations()
    book = relations["Book"]
    assert book["author"] == RelationInfo(
        "Author", "fk", "author_id", "author", "author", None, "library.models.Author"
    )
    assert book["readers"].kind == "m2m" and book["readers"].table == "library_book_readers"
    assert book["book_set"] == RelationInfo(
        "Book", "reverse_fk", "parent_id", "book", "parent", None, "library.models.Book"
    )
    assert book["cited_by"].kind == "reverse_m2m" and book["cited_by"].query_name == "cited_by"
    assert "similar" in book and "similar_set" not in book  # symmetrical: no reverse accessor
    assert book["placement_set"].kind == "reverse_fk" and book["placed"].column == "placed_by_id"
    author = relations["Author"]
    assert author["books"].kind == "reverse_fk" and author["books"].query_name == "book"
    assert author["reviews"].column == "reviewer_name"
    assert not any(info.field == "co_author" for info in author.values())  # related_name="+"
    user = relations["User"]
    assert user["author"] == RelationInfo(
        "Author", "reverse_o2o", "user_id", "author", "user", None, "library.models.Author"
    )
    assert user["book_set"].kind == "reverse_m2m" and user["groups"].target == "Group"
    assert relations["Shelf"]["book_set"].table == "shelves_placement"
    by_query = discover(RELATIONS).query_relations()
    assert by_query["Author"]["book"].field == "author"


def test_related_names_are_filled_in_for_each_concrete_model() -> None:
    schema = discover(
        {
            "crm/models.py": """\
from django.db import models


class Owner(models.Model):
    pass


class Owned(models.Model):
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_items",
                              related_query_name="%(class)s")

    class Meta:
        abstract = True


class Car(Owned):
    pass


class Boat(Owned):
    pass


class Note(models.Model):
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE)

    class Meta:
        default_related_name = "notes"
""",
        }
    )
    relations = schema.relations()["Owner"]
    assert relations["crm_car_items"].query_name == "car" and relations["crm_boat_items"].target == "Boat"
    assert relations["notes"].target == "Note"
    template = model(schema, "crm.models.Owned").field_named("owner")
    assert template is not None and template.related_name == "%(app_label)s_%(class)s_items"


def test_relations_follow_multi_table_parents_and_proxies() -> None:
    schema = discover(
        {
            "zoo/models.py": """\
from django.db import models


class Keeper(models.Model):
    pass


class Animal(models.Model):
    keeper = models.ForeignKey(Keeper, on_delete=models.CASCADE)


class Lion(Animal):
    pass


class OldLion(Lion):
    class Meta:
        proxy = True
""",
        }
    )
    relations = schema.relations()
    assert relations["Lion"]["keeper"].column == "keeper_id" and relations["Lion"]["animal_ptr"].kind == "o2o"
    assert "lion" not in relations["Lion"]  # the parent's accessor to the child itself
    assert relations["Animal"]["lion"] == RelationInfo(
        "Lion", "reverse_o2o", "animal_ptr_id", "lion", "animal_ptr", None, "zoo.models.Lion"
    )
    assert relations["OldLion"]["keeper"].target == "Keeper"


def test_a_relation_to_a_proxy_points_at_its_concrete_model() -> None:
    schema = discover(
        {
            "org/models.py": """\
from django.db import models


class Person(models.Model):
    pass


class Staff(Person):
    class Meta:
        proxy = True


class Badge(models.Model):
    holder = models.ForeignKey(Staff, on_delete=models.CASCADE)
""",
        }
    )
    holder = model(schema, "org.models.Badge").field_named("holder")
    assert holder is not None and holder.target == "org.models.Person"


# ---------------------------------------------------------------------------
# Users and Django's own models


def test_a_custom_user_gets_djangos_fields_marked_inherited() -> None:
    schema = discover(
        {
            "accounts/models.py": """\
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    bio = models.TextField(blank=True)
""",
        }
    )
    user = model(schema, "accounts.models.User")
    expected = [
        ("id", None),
        ("password", f"{AUTH}.AbstractBaseUser"),
        ("last_login", f"{AUTH}.AbstractBaseUser"),
        ("is_superuser", f"{AUTH}.PermissionsMixin"),
        ("groups", f"{AUTH}.PermissionsMixin"),
        ("user_permissions", f"{AUTH}.PermissionsMixin"),
        ("username", f"{AUTH}.AbstractUser"),
        ("first_name", f"{AUTH}.AbstractUser"),
        ("last_name", f"{AUTH}.AbstractUser"),
        ("email", f"{AUTH}.AbstractUser"),
        ("is_staff", f"{AUTH}.AbstractUser"),
        ("is_active", f"{AUTH}.AbstractUser"),
        ("date_joined", f"{AUTH}.AbstractUser"),
        ("bio", None),
    ]
    assert [(f.name, f.inherited_from) for f in user.fields] == expected
    fields = {f.name: f for f in user.fields}
    assert (fields["username"].max_length, fields["username"].unique) == (150, True)
    assert (fields["password"].max_length, fields["last_login"].null, fields["email"].max_length) == (128, True, 254)
    assert fields["date_joined"].default == Ref("django.utils.timezone.now")
    groups = fields["groups"]
    assert (groups.target, groups.related_name, groups.related_query_name, groups.m2m_table) == (
        f"{AUTH}.Group",
        "user_set",
        "user",
        "accounts_user_groups",
    )
    assert user.managers[0].manager_class == f"{AUTH}.UserManager" and "create_user" in user.managers[0].methods
    assert user.method_owners["set_password"] == f"{AUTH}.AbstractBaseUser"
    assert schema.auth_user_model == "accounts.models.User"
    assert [m.qualname for m in schema.builtin_models] == [
        f"{AUTH}.Group",
        f"{AUTH}.Permission",
        "django.contrib.contenttypes.models.ContentType",
    ]
    permission = model(schema, f"{AUTH}.Permission")
    assert permission.builtin and permission.table_name == "auth_permission"
    assert permission.meta.unique_together == [("content_type", "codename")]
    assert permission.fields[0].field_class == "django.db.models.AutoField"  # auth's AppConfig


def test_abstract_base_user_with_permissions_mixin() -> None:
    schema = discover(
        {
            "members/models.py": """\
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import PermissionsMixin
from django.db import models


class Member(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    USERNAME_FIELD = "email"
""",
        }
    )
    member = model(schema, "members.models.Member")
    assert names(member) == ["id", "password", "last_login", "is_superuser", "groups", "user_permissions", "email"]
    assert schema.auth_user_model == "members.models.Member"  # the one AbstractBaseUser model


def test_without_a_custom_user_settings_auth_user_model_is_auth_user() -> None:
    schema = discover(
        {
            "blog/models.py": """\
from django.conf import settings
from django.db import models


class Post(models.Model):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
""",
        }
    )
    author = model(schema, "blog.models.Post").field_named("author")
    assert author is not None and author.target == f"{AUTH}.User"
    user = model(schema, f"{AUTH}.User")
    assert user.table_name == "auth_user" and user.field_named("username") is not None
    groups = user.field_named("groups")
    assert groups is not None and groups.m2m_table == "auth_user_groups"
    assert schema.auth_user_model == f"{AUTH}.User"
    assert schema.relations()["User"]["post_set"].column == "author_id"


def test_auth_user_model_parameter_names_the_user_model() -> None:
    files = {
        "a/models.py": "from django.contrib.auth.models import AbstractUser\n\n\nclass One(AbstractUser):\n    pass\n",
        "b/models.py": "from django.contrib.auth.models import AbstractUser\n\n\nclass Two(AbstractUser):\n    pass\n",
        "c/models.py": """\
from django.conf import settings
from django.db import models


class Log(models.Model):
    who = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
""",
    }
    who = model(discover(files, auth_user_model="b.Two"), "c.models.Log").field_named("who")
    assert who is not None and who.target == "b.models.Two"


# ---------------------------------------------------------------------------
# Meta, managers, methods


def test_meta_options_are_read() -> None:
    schema = discover(
        {
            "events/models.py": """\
from django.db import models
from django.db.models import Q


class Event(models.Model):
    name = models.CharField(max_length=20)
    day = models.DateField()
    venue = models.CharField(max_length=20)

    class Meta:
        ordering = ["-day", "name"]
        unique_together = ("name", "day")
        index_together = [["venue", "day"]]
        constraints = [models.CheckConstraint(condition=Q(day__year__gte=2000), name="recent")]
        indexes = [models.Index(fields=["venue"], name="venue_idx")]
        verbose_name = "event"
        verbose_name_plural = "events"
        permissions = [("publish", "Can publish")]
        default_permissions = ("view",)
        get_latest_by = "day"
        managed = False
        db_table_comment = "what happens"
""",
        }
    )
    meta = model(schema, "events.models.Event").meta
    assert meta.ordering == ["-day", "name"] and meta.unique_together == [("name", "day")]
    assert meta.index_together == [("venue", "day")]
    constraint = meta.constraints[0]
    assert isinstance(constraint, CallValue) and constraint.callee == "django.db.models.CheckConstraint"
    condition = dict(constraint.kwargs)["condition"]
    assert isinstance(condition, CallValue) and condition.callee == "django.db.models.Q"
    index = meta.indexes[0]
    assert isinstance(index, CallValue) and index.callee == "django.db.models.Index"
    assert (meta.verbose_name, meta.verbose_name_plural, meta.get_latest_by) == ("event", "events", "day")
    assert meta.permissions == [("publish", "Can publish")] and meta.default_permissions == ("view",)
    assert not meta.managed and meta.db_table_comment == "what happens"


def test_managers_querysets_and_methods() -> None:
    schema = discover(
        {
            "catalog/models.py": """\
from django.db import models
from django.utils.functional import cached_property


class BookQuerySet(models.QuerySet):
    def live(self):
        return self.filter(live=True)


class AuthorManager(models.Manager):
    def prolific(self):
        return self.filter(books__gt=3)


class AuthorQuerySet(models.QuerySet):
    def dead(self):
        return self


class Author(models.Model):
    objects = AuthorManager()
    with_qs = AuthorManager.from_queryset(AuthorQuerySet)()


LoudManager = models.Manager.from_queryset(BookQuerySet)


class Book(models.Model):
    live = models.BooleanField(default=True)
    objects = BookQuerySet.as_manager()
    loud = LoudManager()

    def __str__(self):
        return "book"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return "/"

    @cached_property
    def pages(self):
        return 1


class Plain(models.Model):
    pass
""",
        }
    )
    author = model(schema, "catalog.models.Author")
    objects, with_qs = author.managers
    assert (objects.name, objects.kind, objects.manager_class, objects.methods) == (
        "objects",
        "custom",
        "catalog.models.AuthorManager",
        ["prolific"],
    )
    assert (with_qs.kind, with_qs.queryset_class, with_qs.methods) == (
        "from_queryset",
        "catalog.models.AuthorQuerySet",
        ["prolific", "dead"],
    )
    book = model(schema, "catalog.models.Book")
    as_manager, loud = book.managers
    assert (as_manager.kind, as_manager.queryset_class, as_manager.methods) == (
        "as_manager",
        "catalog.models.BookQuerySet",
        ["live"],
    )
    assert (loud.kind, loud.manager_class, loud.queryset_class) == (
        "from_queryset",
        "django.db.models.Manager",
        "catalog.models.BookQuerySet",
    )
    assert book.querysets == ["catalog.models.BookQuerySet"]
    assert book.methods == ["__str__", "save", "get_absolute_url", "pages"] and book.properties == ["pages"]
    plain = model(schema, "catalog.models.Plain").managers
    assert len(plain) == 1 and plain[0].implicit and plain[0].name == "objects"
    assert {q.name for q in schema.querysets} == {"BookQuerySet", "AuthorQuerySet"}


# ---------------------------------------------------------------------------
# Names Django generates, and the result's plumbing


@pytest.mark.parametrize("limit", [None, 63, 30])
@pytest.mark.parametrize(
    ("table", "columns", "suffix"),
    [
        ("catalog_book", ["author_id"], ""),
        ("catalog_book", ["title", "author_id"], "_uniq"),
        ("accounts_user_user_permissions", ["user_id", "permission_id"], "_uniq"),
        ("a_really_long_application_label_with_a_really_long_model_name", ["a_long_column_name"], "_idx"),
    ],
)
def test_generated_names_match_djangos_schema_editor(
    table: str, columns: list[str], suffix: str, limit: int | None
) -> None:
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.backends.utils import truncate_name as django_truncate_name

    editor = BaseDatabaseSchemaEditor.__new__(BaseDatabaseSchemaEditor)
    editor.connection = SimpleNamespace(ops=SimpleNamespace(max_name_length=lambda: limit))
    assert django_index_name(table, columns, suffix, limit) == editor._create_index_name(table, columns, suffix)
    assert truncate_name(f"{table}_{columns[0]}", limit) == django_truncate_name(f"{table}_{columns[0]}", limit)


def test_the_schema_pickles() -> None:
    schema = discover(RELATIONS)
    restored = pickle.loads(pickle.dumps(schema))
    assert restored == schema and restored.relations() == schema.relations()


def test_lookups_by_qualname_and_name() -> None:
    schema = discover(
        {
            "one/models.py": "from django.db import models\n\n\nclass Tag(models.Model):\n    pass\n",
            "two/models.py": "from django.db import models\n\n\nclass Tag(models.Model):\n    pass\n",
        }
    )
    assert [m.table_name for m in schema.models_named("Tag")] == ["one_tag", "two_tag"]
    found = schema.model_named("Tag")
    assert found is not None and found.qualname == "one.models.Tag"
    assert schema.model("two.models.Tag") is not None and schema.model("three.models.Tag") is None
    assert schema.relations_of("two.models.Tag") == {}


def test_models_defined_inside_functions_are_not_the_schema() -> None:
    schema = discover(
        {
            "app/models.py": """\
from django.db import models


class Kept(models.Model):
    pass


def make():
    class Throwaway(models.Model):
        pass

    return Throwaway
""",
        }
    )
    assert [m.name for m in schema.models] == ["Kept"]


def test_swappable_model_helpers_name_their_target() -> None:
    schema = discover(
        {
            "pages/models.py": """\
import swapper
from django.db import models


class Page(models.Model):
    pass


class Revision(models.Model):
    page = models.ForeignKey(swapper.get_model_name("pages", "Page"), on_delete=models.CASCADE)
""",
        }
    )
    page = model(schema, "pages.models.Revision").field_named("page")
    assert page is not None and page.target == "pages.models.Page"


def test_generated_fields_carry_their_output_field() -> None:
    schema = discover(
        {
            "shop/models.py": """\
from django.db import models
from django.db.models import F


class Line(models.Model):
    price = models.IntegerField()
    quantity = models.IntegerField()
    total = models.GeneratedField(expression=F("price") * F("quantity"), output_field=models.BigIntegerField(),
                                  db_persist=True)
""",
        }
    )
    total = model(schema, "shop.models.Line").field_named("total")
    assert total is not None and total.kind == "column" and total.column == "total"
    assert total.base_field is not None and total.base_field.field_class == "django.db.models.BigIntegerField"
