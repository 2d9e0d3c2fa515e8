"""The generated WTForms forms, proven with Django and WTForms themselves.

Realistic Django forms (every field type, explicit validators, a ModelForm on a sample
model, a formset) go through discovery and translation.  The same submitted data is
validated by the original Django forms, in a subprocess running a configured Django
with the sample models in an in-memory database, and by the generated Flask-WTF forms,
under a Flask request context with CSRF off and the sample models mapped with
SQLAlchemy.  Both must accept or reject each data set with the same invalid fields;
the differences that remain are listed in ``DIFFERENCES``, each asserted on both sides
and named in the translation's notes.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import ForeignKey, Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from werkzeug.datastructures import FileStorage, MultiDict

from fwlint.link.django_forms import discover_django_forms, discover_django_formsets
from fwlint.translate import wtforms_forms
from fwlint.translate.wtforms_forms import FormsTranslation, FormTranslation
from tests.conftest import index_of

MODELS = """\
from django.core.validators import MaxValueValidator
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=50)


class Tag(models.Model):
    name = models.CharField(max_length=20)


class Book(models.Model):
    GENRES = [("f", "Fiction"), ("s", "Science")]

    title = models.CharField(max_length=20)
    subtitle = models.CharField(max_length=30, blank=True)
    genre = models.CharField(max_length=1, choices=GENRES)
    rating = models.IntegerField(choices=[(1, "One"), (2, "Two")], null=True, blank=True)
    pages = models.PositiveIntegerField(default=100)
    price = models.DecimalField(max_digits=6, decimal_places=2)
    stock = models.IntegerField(default=0, validators=[MaxValueValidator(1000)])
    published = models.DateField(null=True, blank=True)
    in_print = models.BooleanField(default=True)
    contact = models.EmailField(blank=True)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    tags = models.ManyToManyField(Tag, blank=True)
    created = models.DateTimeField(auto_now_add=True)
"""

FORMS = """\
import datetime

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.core.validators import (
    FileExtensionValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
    RegexValidator,
    StepValueValidator,
    URLValidator,
    validate_email,
)

from .models import Author, Book, Tag


class TextForm(forms.Form):
    name = forms.CharField(max_length=10, min_length=2)
    nickname = forms.CharField(required=False)
    motto = forms.CharField(required=False, strip=False, max_length=5)
    secret = forms.CharField(widget=forms.PasswordInput, strip=False, min_length=4)
    bio = forms.CharField(widget=forms.Textarea, required=False, empty_value=None)
    email = forms.EmailField()
    website = forms.URLField(required=False, assume_scheme="https")
    slug = forms.SlugField(required=False)
    code = forms.RegexField(r"[A-Z]{3}", required=False)
    token = forms.UUIDField(required=False)
    ip = forms.GenericIPAddressField(required=False)
    ipv4 = forms.GenericIPAddressField(protocol="IPv4", required=False)
    handle = forms.CharField(
        required=False, validators=[RegexValidator(r"^@\\w+$"), MinLengthValidator(3), MaxLengthValidator(8)]
    )
    contact = forms.CharField(required=False, validators=[validate_email])
    homepage = forms.CharField(required=False, validators=[URLValidator(schemes=["https"])])
    label = forms.CharField(required=False, validators=[ProhibitNullCharactersValidator()])
    nospace = forms.CharField(required=False, validators=[RegexValidator(r"\\s", inverse_match=True)])
    combo = forms.ComboField(fields=[forms.CharField(max_length=20), forms.EmailField()], required=False)
    anything = forms.Field(required=False)
    data = forms.JSONField(required=False)
    greeting = forms.CharField(initial="Hello")


class NumberForm(forms.Form):
    age = forms.IntegerField(min_value=0, max_value=130)
    count = forms.IntegerField(required=False)
    step = forms.IntegerField(required=False, step_size=5, min_value=1)
    ratio = forms.FloatField(required=False, min_value=0.5)
    price = forms.DecimalField(max_digits=5, decimal_places=2)
    score = forms.IntegerField(required=False, validators=[MinValueValidator(1), MaxValueValidator(10)])
    quarter = forms.FloatField(required=False, validators=[StepValueValidator(0.25)])


class ChoiceForm(forms.Form):
    color = forms.ChoiceField(choices=[("r", "Red"), ("g", "Green")])
    shade = forms.ChoiceField(choices=[("", "---"), ("l", "Light")], required=False)
    size = forms.TypedChoiceField(choices=[(1, "S"), (2, "M")], coerce=int, required=False, empty_value=None)
    level = forms.TypedChoiceField(choices=[(0, "Zero"), (1, "One")], coerce=int)
    tags = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)
    extras = forms.TypedMultipleChoiceField(choices=[(1, "1"), (2, "2")], coerce=int, required=False)
    grouped = forms.ChoiceField(
        choices=[("Warm", [("r", "Red"), ("o", "Orange")]), ("Cold", [("b", "Blue")])], required=False
    )
    planet = forms.ChoiceField(choices={"e": "Earth", "m": "Mars"}, widget=forms.RadioSelect, required=False)
    agree = forms.BooleanField()
    newsletter = forms.BooleanField(required=False)
    maybe = forms.NullBooleanField()


class DateForm(forms.Form):
    day = forms.DateField()
    meeting = forms.DateTimeField(required=False)
    alarm = forms.TimeField(required=False)
    since = forms.DateField(required=False, input_formats=["%d.%m.%Y"])
    after = forms.DateField(required=False, validators=[MinValueValidator(datetime.date(2020, 1, 1))])


class FileForm(forms.Form):
    document = forms.FileField(validators=[FileExtensionValidator(["pdf", "TXT"])])
    attachment = forms.FileField(required=False)
    avatar = forms.ImageField(required=False)


class AuthorChoiceForm(forms.Form):
    author = forms.ModelChoiceField(queryset=Author.objects.all())
    coauthor = forms.ModelChoiceField(queryset=Author.objects.all(), required=False)
    tags = forms.ModelMultipleChoiceField(queryset=Tag.objects.all(), required=False)


class BookForm(forms.ModelForm):
    class Meta:
        model = Book
        fields = "__all__"
        labels = {"pages": "Page count"}


class ItemForm(forms.Form):
    name = forms.CharField(max_length=10)
    quantity = forms.IntegerField(min_value=1)


ItemFormSet = forms.formset_factory(ItemForm, extra=0, min_num=1, validate_min=True, max_num=3, validate_max=True)


class RegistrationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")
"""

RUNNER = """\
import json
import sys

sys.path.insert(0, sys.argv[1])

import django
from django.conf import settings

settings.configure(
    SECRET_KEY="proof",
    USE_TZ=True,
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "proofapp"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    AUTH_PASSWORD_VALIDATORS=[],
)
django.setup()

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils.datastructures import MultiValueDict

with connection.schema_editor() as editor:
    for label in ("contenttypes", "auth", "proofapp"):
        for model in apps.get_app_config(label).get_models():
            editor.create_model(model)

from proofapp import forms
from proofapp.models import Author, Tag

Author.objects.create(pk=1, name="Ann")
Tag.objects.create(pk=1, name="a")
Tag.objects.create(pk=2, name="b")


def multi(mapping):
    return MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in mapping.items()})


results = []
for case in json.loads(open(sys.argv[2], encoding="utf-8").read()):
    files = MultiValueDict(
        {k: [SimpleUploadedFile(name, content.encode()) for name, content in v] for k, v in case["files"].items()}
    )
    target = getattr(forms, case["form"])
    if case["formset"]:
        data = dict(case["data"])
        data["form-TOTAL_FORMS"] = str(case["entries"])
        data["form-INITIAL_FORMS"] = "0"
        formset = target(data=multi(data))
        valid = formset.is_valid()
        errors = [] if valid else ["form"]
    else:
        form = target(data=multi(case["data"]), files=files)
        valid = form.is_valid()
        errors = sorted(form.errors)
    results.append({"valid": valid, "errors": errors})
print(json.dumps(results))
"""

Files = dict[str, list[tuple[str, str]]]
# (form, data, files, invalid fields both sides report)
Case = tuple[str, dict[str, Any], Files, list[str]]

TEXT = {
    "name": "Alice",
    "nickname": "",
    "motto": "",
    "secret": "pass",
    "bio": "",
    "email": "alice@example.com",
    "website": "",
    "slug": "",
    "code": "",
    "token": "",
    "ip": "",
    "ipv4": "",
    "handle": "",
    "contact": "",
    "homepage": "",
    "label": "",
    "nospace": "",
    "combo": "",
    "anything": "",
    "data": "",
    "greeting": "Hi",
}
NUMBER = {"age": "30", "count": "", "step": "", "ratio": "", "price": "12.50", "score": "", "quarter": ""}
CHOICE = {
    "color": "r",
    "shade": "",
    "size": "",
    "level": "0",
    "tags": ["a", "b"],
    "grouped": "",
    "planet": "",
    "agree": "on",
    "maybe": "unknown",
}
DATE = {"day": "2024-02-29", "meeting": "", "alarm": "", "since": "", "after": ""}
DOCUMENT: Files = {"document": [("report.pdf", "data")]}
BOOK = {
    "title": "Dune",
    "subtitle": "",
    "genre": "f",
    "rating": "",
    "pages": "412",
    "price": "9.99",
    "stock": "3",
    "published": "",
    "in_print": "on",
    "contact": "",
    "author": "1",
    "tags": ["1", "2"],
}


USER = {"username": "alice", "email": "", "password1": "correct horse", "password2": "correct horse"}


def _with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = {**base, **changes}
    return {k: v for k, v in data.items() if v is not None}  # None: the key is not submitted


CASES: list[Case] = [
    # Text: required by default, stripped before validation, min/max length after stripping.
    ("TextForm", TEXT, {}, []),
    ("TextForm", _with(TEXT, name="   "), {}, ["name"]),
    ("TextForm", _with(TEXT, name="  Al  "), {}, []),
    ("TextForm", _with(TEXT, name=" A "), {}, ["name"]),
    ("TextForm", _with(TEXT, name="Bartholomew"), {}, ["name"]),
    ("TextForm", _with(TEXT, name=None), {}, ["name"]),
    ("TextForm", _with(TEXT, nickname="   "), {}, []),
    ("TextForm", _with(TEXT, motto="abc  "), {}, []),
    ("TextForm", _with(TEXT, motto="  abc  "), {}, ["motto"]),
    ("TextForm", _with(TEXT, secret="    "), {}, []),
    ("TextForm", _with(TEXT, secret="abc"), {}, ["secret"]),
    ("TextForm", _with(TEXT, bio="A life"), {}, []),
    ("TextForm", _with(TEXT, email="alice"), {}, ["email"]),
    ("TextForm", _with(TEXT, email=""), {}, ["email"]),
    ("TextForm", _with(TEXT, email=" alice@example.com "), {}, []),
    ("TextForm", _with(TEXT, website="example.com/path"), {}, []),
    ("TextForm", _with(TEXT, website="https://example.com"), {}, []),
    ("TextForm", _with(TEXT, website="ftp://files.example.com"), {}, []),
    ("TextForm", _with(TEXT, website="https://user:pw@example.com"), {}, []),
    ("TextForm", _with(TEXT, website="not a url"), {}, ["website"]),
    ("TextForm", _with(TEXT, website="mailto:alice@example.com"), {}, ["website"]),
    ("TextForm", _with(TEXT, slug="good-slug_1"), {}, []),
    ("TextForm", _with(TEXT, slug="bad slug"), {}, ["slug"]),
    ("TextForm", _with(TEXT, code="xxABCxx"), {}, []),
    ("TextForm", _with(TEXT, code="abc"), {}, ["code"]),
    ("TextForm", _with(TEXT, token="12345678-1234-5678-1234-567812345678"), {}, []),
    ("TextForm", _with(TEXT, token="nope"), {}, ["token"]),
    ("TextForm", _with(TEXT, ip="1.2.3.4", ipv4="10.0.0.1"), {}, []),
    ("TextForm", _with(TEXT, ip="::1"), {}, []),
    ("TextForm", _with(TEXT, ip="1.2.3"), {}, ["ip"]),
    ("TextForm", _with(TEXT, ipv4="::1"), {}, ["ipv4"]),
    ("TextForm", _with(TEXT, handle="@bob"), {}, []),
    ("TextForm", _with(TEXT, handle="bob"), {}, ["handle"]),
    ("TextForm", _with(TEXT, handle="@b"), {}, ["handle"]),
    ("TextForm", _with(TEXT, handle="@abcdefgh"), {}, ["handle"]),
    ("TextForm", _with(TEXT, contact="x@example.org"), {}, []),
    ("TextForm", _with(TEXT, contact="x"), {}, ["contact"]),
    ("TextForm", _with(TEXT, homepage="https://example.com"), {}, []),
    ("TextForm", _with(TEXT, homepage="http://example.com"), {}, ["homepage"]),
    ("TextForm", _with(TEXT, label="a\x00b"), {}, ["label"]),
    ("TextForm", _with(TEXT, nospace="ab"), {}, []),
    ("TextForm", _with(TEXT, nospace="a b"), {}, ["nospace"]),
    ("TextForm", _with(TEXT, combo="a@example.com"), {}, []),
    ("TextForm", _with(TEXT, combo="a"), {}, ["combo"]),
    ("TextForm", _with(TEXT, combo="a-very-long-name@example.com"), {}, ["combo"]),
    ("TextForm", _with(TEXT, anything="  anything goes  "), {}, []),
    ("TextForm", _with(TEXT, data='{"a": [1, 2]}'), {}, []),
    ("TextForm", _with(TEXT, data="{a}"), {}, ["data"]),
    # Numbers: required means "given" (0 is fine), whitespace is not a number, Django's implicit limits.
    ("NumberForm", NUMBER, {}, []),
    ("NumberForm", _with(NUMBER, age="0"), {}, []),
    ("NumberForm", _with(NUMBER, age="-1"), {}, ["age"]),
    ("NumberForm", _with(NUMBER, age="131"), {}, ["age"]),
    ("NumberForm", _with(NUMBER, age="thirty"), {}, ["age"]),
    ("NumberForm", _with(NUMBER, age=""), {}, ["age"]),
    ("NumberForm", _with(NUMBER, age=" 30 "), {}, []),
    ("NumberForm", _with(NUMBER, count="  "), {}, ["count"]),
    ("NumberForm", _with(NUMBER, count="7"), {}, []),
    ("NumberForm", _with(NUMBER, step="11"), {}, []),
    ("NumberForm", _with(NUMBER, step="5"), {}, ["step"]),
    ("NumberForm", _with(NUMBER, ratio="0.75"), {}, []),
    ("NumberForm", _with(NUMBER, ratio="0.4"), {}, ["ratio"]),
    ("NumberForm", _with(NUMBER, ratio="inf"), {}, ["ratio"]),
    ("NumberForm", _with(NUMBER, ratio="nan"), {}, ["ratio"]),
    ("NumberForm", _with(NUMBER, price="123.45"), {}, []),
    ("NumberForm", _with(NUMBER, price="12"), {}, []),
    ("NumberForm", _with(NUMBER, price="1234.5"), {}, ["price"]),
    ("NumberForm", _with(NUMBER, price="1.234"), {}, ["price"]),
    ("NumberForm", _with(NUMBER, price="NaN"), {}, ["price"]),
    ("NumberForm", _with(NUMBER, price="1e2"), {}, []),
    ("NumberForm", _with(NUMBER, score="0"), {}, ["score"]),
    ("NumberForm", _with(NUMBER, score="11"), {}, ["score"]),
    ("NumberForm", _with(NUMBER, score="5"), {}, []),
    ("NumberForm", _with(NUMBER, quarter="0.75"), {}, []),
    ("NumberForm", _with(NUMBER, quarter="0.3"), {}, ["quarter"]),
    # Choices: validated against the choices, typed choices coerced, an empty choice is no choice.
    ("ChoiceForm", CHOICE, {}, []),
    ("ChoiceForm", _with(CHOICE, color="x"), {}, ["color"]),
    ("ChoiceForm", _with(CHOICE, color=""), {}, ["color"]),
    ("ChoiceForm", _with(CHOICE, color=None), {}, ["color"]),
    ("ChoiceForm", _with(CHOICE, shade="l"), {}, []),
    ("ChoiceForm", _with(CHOICE, shade="x"), {}, ["shade"]),
    ("ChoiceForm", _with(CHOICE, size="2"), {}, []),
    ("ChoiceForm", _with(CHOICE, size="3"), {}, ["size"]),
    ("ChoiceForm", _with(CHOICE, size="big"), {}, ["size"]),
    ("ChoiceForm", _with(CHOICE, size="  "), {}, ["size"]),
    ("ChoiceForm", _with(CHOICE, level="1"), {}, []),
    ("ChoiceForm", _with(CHOICE, level=""), {}, ["level"]),
    ("ChoiceForm", _with(CHOICE, tags=["a"]), {}, []),
    ("ChoiceForm", _with(CHOICE, tags=None), {}, ["tags"]),
    ("ChoiceForm", _with(CHOICE, tags=["a", "c"]), {}, ["tags"]),
    ("ChoiceForm", _with(CHOICE, extras=["1", "2"]), {}, []),
    ("ChoiceForm", _with(CHOICE, extras=["3"]), {}, ["extras"]),
    ("ChoiceForm", _with(CHOICE, grouped="o"), {}, []),
    ("ChoiceForm", _with(CHOICE, grouped="Warm"), {}, ["grouped"]),
    ("ChoiceForm", _with(CHOICE, planet="m"), {}, []),
    ("ChoiceForm", _with(CHOICE, planet="p"), {}, ["planet"]),
    ("ChoiceForm", _with(CHOICE, agree=None), {}, ["agree"]),
    ("ChoiceForm", _with(CHOICE, agree="false"), {}, ["agree"]),
    ("ChoiceForm", _with(CHOICE, newsletter="on"), {}, []),
    ("ChoiceForm", _with(CHOICE, maybe="true"), {}, []),
    ("ChoiceForm", _with(CHOICE, maybe=None), {}, []),
    ("ChoiceForm", _with(CHOICE, maybe="sometimes"), {}, []),
    # Dates: Django's (English) input formats, explicit input_formats, MinValueValidator on a date.
    ("DateForm", DATE, {}, []),
    ("DateForm", _with(DATE, day="02/29/2024"), {}, []),
    ("DateForm", _with(DATE, day="Feb 29 2024"), {}, []),
    ("DateForm", _with(DATE, day="29 February, 2024"), {}, []),
    ("DateForm", _with(DATE, day="2023-02-29"), {}, ["day"]),
    ("DateForm", _with(DATE, day=""), {}, ["day"]),
    ("DateForm", _with(DATE, meeting="2024-05-01 10:30"), {}, []),
    ("DateForm", _with(DATE, meeting="2024-05-01T10:30:15"), {}, []),
    ("DateForm", _with(DATE, meeting="2024-05-01"), {}, []),
    ("DateForm", _with(DATE, meeting="yesterday"), {}, ["meeting"]),
    ("DateForm", _with(DATE, alarm="07:15"), {}, []),
    ("DateForm", _with(DATE, alarm="07:15:30.5"), {}, []),
    ("DateForm", _with(DATE, alarm="25:00"), {}, ["alarm"]),
    ("DateForm", _with(DATE, since="31.12.2020"), {}, []),
    ("DateForm", _with(DATE, since="2020-12-31"), {}, ["since"]),
    ("DateForm", _with(DATE, after="2020-01-01"), {}, []),
    ("DateForm", _with(DATE, after="2019-12-31"), {}, ["after"]),
    # Files: required, allowed extensions (case-insensitive), empty files refused.
    ("FileForm", {}, DOCUMENT, []),
    ("FileForm", {}, {"document": [("REPORT.PDF", "data")]}, []),
    ("FileForm", {}, {"document": [("notes.txt", "data")]}, []),
    ("FileForm", {}, {"document": [("notes.doc", "data")]}, ["document"]),
    ("FileForm", {}, {}, ["document"]),
    ("FileForm", {}, {"document": [("empty.pdf", "")]}, ["document"]),
    ("FileForm", {}, {**DOCUMENT, "attachment": [("a.bin", "x")]}, []),
    ("FileForm", {}, {**DOCUMENT, "attachment": [("a.bin", "")]}, ["attachment"]),
    # Model choices: primary keys of existing rows.
    ("AuthorChoiceForm", {"author": "1", "coauthor": "", "tags": []}, {}, []),
    ("AuthorChoiceForm", {"author": "1", "coauthor": "1", "tags": ["1", "2"]}, {}, []),
    ("AuthorChoiceForm", {"author": "2"}, {}, ["author"]),
    ("AuthorChoiceForm", {"author": ""}, {}, ["author"]),
    ("AuthorChoiceForm", {"author": "1", "coauthor": "x"}, {}, ["coauthor"]),
    ("AuthorChoiceForm", {"author": "1", "tags": ["3"]}, {}, ["tags"]),
    # The ModelForm: fields, requiredness, choices and validators come from the model.
    ("BookForm", BOOK, {}, []),
    ("BookForm", _with(BOOK, title=""), {}, ["title"]),
    ("BookForm", _with(BOOK, title="A" * 21), {}, ["title"]),
    ("BookForm", _with(BOOK, subtitle="", rating="", published="", contact="", tags=None), {}, []),
    ("BookForm", _with(BOOK, genre="x"), {}, ["genre"]),
    ("BookForm", _with(BOOK, genre=""), {}, ["genre"]),
    ("BookForm", _with(BOOK, rating="2"), {}, []),
    ("BookForm", _with(BOOK, rating="3"), {}, ["rating"]),
    ("BookForm", _with(BOOK, pages="-1"), {}, ["pages"]),
    ("BookForm", _with(BOOK, pages=None), {}, ["pages"]),
    ("BookForm", _with(BOOK, price="1234.567"), {}, ["price"]),
    ("BookForm", _with(BOOK, stock="1001"), {}, ["stock"]),
    ("BookForm", _with(BOOK, published="2020-02-30"), {}, ["published"]),
    ("BookForm", _with(BOOK, in_print=None), {}, []),
    ("BookForm", _with(BOOK, contact="nobody"), {}, ["contact"]),
    ("BookForm", _with(BOOK, author=""), {}, ["author"]),
    ("BookForm", _with(BOOK, author="9"), {}, ["author"]),
    ("BookForm", _with(BOOK, tags=["5"]), {}, ["tags"]),
    # UserCreationForm: the username of Django's User (UsernameField, its validator and length), the password pair.
    ("RegistrationForm", USER, {}, []),
    ("RegistrationForm", _with(USER, username="  alice  "), {}, []),
    ("RegistrationForm", _with(USER, username="a\u2024b"), {}, []),  # NFKC: the one dot leader becomes "."
    ("RegistrationForm", _with(USER, username="al ice"), {}, ["username"]),
    ("RegistrationForm", _with(USER, username="a" * 151), {}, ["username"]),
    ("RegistrationForm", _with(USER, username=""), {}, ["username"]),
    ("RegistrationForm", _with(USER, email="nobody"), {}, ["email"]),
    ("RegistrationForm", _with(USER, password2="correct horsE"), {}, ["password2"]),
    ("RegistrationForm", _with(USER, password1=" pw ", password2=" pw "), {}, []),
    ("RegistrationForm", _with(USER, password1=" pw", password2="pw"), {}, ["password2"]),
    ("RegistrationForm", _with(USER, password2=""), {}, ["password2"]),
    ("RegistrationForm", _with(USER, password1="", password2=""), {}, ["password1", "password2"]),
]

# Formset cases: (entries as submitted, number of entries, invalid?) — keys form-<n>-<field> on both sides.
FORMSET_CASES: list[tuple[dict[str, str], int, list[str]]] = [
    ({"form-0-name": "Pen", "form-0-quantity": "2"}, 1, []),
    ({"form-0-name": "Pen", "form-0-quantity": "2", "form-1-name": "Ink", "form-1-quantity": "1"}, 2, []),
    ({"form-0-name": "Pen", "form-0-quantity": "0"}, 1, ["form"]),
    ({"form-0-name": "", "form-0-quantity": "2"}, 1, ["form"]),
    ({}, 0, ["form"]),  # min_num=1 with validate_min; WTForms pads one empty entry, which fails
]

# (form, data, files, Django's invalid fields, WTForms' invalid fields, a phrase of the translation's notes)
DIFFERENCES: list[tuple[str, dict[str, Any], Files, list[str], list[str], str]] = [
    ("NumberForm", _with(NUMBER, age="30.0"), {}, [], ["age"], 'Django accepts "1.0"'),
    ("TextForm", _with(TEXT, name="Al\x00ce"), {}, ["name"], [], "NUL characters"),
    ("TextForm", _with(TEXT, greeting=None), {}, ["greeting"], [], "key is missing from the submitted data"),
    ("TextForm", _with(TEXT, email="bob@localhost"), {}, [], ["email"], "user@localhost"),
    ("TextForm", _with(TEXT, website="http://localhost/"), {}, [], ["website"], "http://localhost/"),
    ("DateForm", _with(DATE, day=" 2024-02-29"), {}, [], ["day"], "strips surrounding whitespace"),
    ("DateForm", _with(DATE, meeting="2024-05-01T10:30Z"), {}, [], ["meeting"], "ISO 8601 offsets"),
    ("ChoiceForm", _with(CHOICE, size="01"), {}, ["size"], [], '"01" matches 1'),
    ("ChoiceForm", _with(CHOICE, agree="False"), {}, ["agree"], [], '"false" in any letter case'),
    (
        "RegistrationForm",
        _with(USER, password1=""),
        {},
        ["password1"],
        ["password1", "password2"],
        "WTForms also reports the mismatch on password2",
    ),
]
# Formset differences: (data, entries, Django's invalid, WTForms' invalid, a phrase of the notes)
FORMSET_DIFFERENCES: list[tuple[dict[str, str], int, list[str], list[str], str]] = [
    (
        {"form-0-name": "Pen", "form-0-quantity": "2", "form-1-name": "", "form-1-quantity": ""},
        2,
        [],
        ["form"],
        "Django skips blank extra forms",
    ),
    (
        {f"form-{i}-{key}": value for i in range(4) for key, value in (("name", "Pen"), ("quantity", "1"))},
        4,
        ["form"],
        [],
        "silently ignores entries beyond max_entries",
    ),
]


# ------------------------------------------------------------------ the two sides
def _project() -> dict[str, str]:
    return {"proofapp/__init__.py": "", "proofapp/models.py": MODELS, "proofapp/forms.py": FORMS}


@pytest.fixture(scope="module")
def translations() -> FormsTranslation:
    return FormsTranslation.from_index(index_of(_project()))


def _by_name(translations: FormsTranslation, name: str) -> FormTranslation:
    for form in translations.forms:
        if form.name == name:
            return translations.translation(form)
    for formset in translations.formsets:
        if formset.name == name:
            return translations.formset_translation(formset)
    raise KeyError(name)


class _Base(DeclarativeBase):
    pass


class Author(_Base):
    __tablename__ = "author"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


class Tag(_Base):
    __tablename__ = "tag"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(20))


class Book(_Base):
    __tablename__ = "book"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("author.id"))


@pytest.fixture(scope="module")
def wtforms_namespace(translations: FormsTranslation) -> dict[str, Any]:
    """The generated module, executed with the sample models mapped by SQLAlchemy as ``db``'s."""
    engine = create_engine("sqlite://")
    _Base.metadata.create_all(engine)
    session = Session(engine)
    session.add_all([Author(id=1, name="Ann"), Tag(id=1, name="a"), Tag(id=2, name="b")])
    session.commit()
    module = translations.module()
    assert "from .models import Author, Tag, db" in module
    code = "\n".join(line for line in module.splitlines() if not line.startswith("from .models"))
    namespace: dict[str, Any] = {
        "Author": Author,
        "Tag": Tag,
        "Book": Book,
        "db": SimpleNamespace(session=session, select=select),
    }
    exec(compile(code, "generated_forms.py", "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def app() -> Flask:
    flask_app = Flask(__name__)
    flask_app.config.update(SECRET_KEY="proof", WTF_CSRF_ENABLED=False)
    return flask_app


def _wtforms(
    app: Flask, namespace: dict[str, Any], form: str, data: dict[str, Any], files: Files
) -> tuple[bool, list[str]]:
    """The generated form's decision, on a werkzeug MultiDict as Flask builds it from a request."""
    formdata: MultiDict[str, Any] = MultiDict()
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            formdata.add(key, item)
    for key, uploads in files.items():
        for name, content in uploads:
            formdata.add(key, FileStorage(io.BytesIO(content.encode()), filename=name))
    with app.test_request_context(method="POST"):
        bound = namespace[form](formdata=formdata)
        valid = bound.validate()
        return valid, sorted(bound.errors)


def _django_jobs() -> list[dict[str, Any]]:
    jobs: list[dict[str, Any]] = []
    submissions = [case[:3] for case in CASES] + [difference[:3] for difference in DIFFERENCES]
    for form, data, files in submissions:
        jobs.append({"form": form, "data": data, "files": files, "formset": False, "entries": 0})
    entries = [case[:2] for case in FORMSET_CASES] + [difference[:2] for difference in FORMSET_DIFFERENCES]
    for formset_data, count in entries:
        jobs.append({"form": "ItemFormSet", "data": formset_data, "files": {}, "formset": True, "entries": count})
    return jobs


@pytest.fixture(scope="module")
def django_results(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Every case validated by the original Django forms, in one Django process."""
    root = tmp_path_factory.mktemp("django_proof")
    for name, text in _project().items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    jobs = root / "jobs.json"
    jobs.write_text(json.dumps(_django_jobs()), encoding="utf-8")
    script = root / "runner.py"
    script.write_text(RUNNER, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-W", "ignore", str(script), str(root), str(jobs)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    assert len(results) == len(_django_jobs())
    return results


# ------------------------------------------------------------------ the proofs
def _case_id(position: int) -> str:
    return f"{CASES[position][0]}-{position}"


@pytest.mark.parametrize("position", range(len(CASES)), ids=[_case_id(p) for p in range(len(CASES))])
def test_same_decision_and_error_fields(
    position: int,
    django_results: list[dict[str, Any]],
    wtforms_namespace: dict[str, Any],
    app: Flask,
) -> None:
    form, data, files, expected = CASES[position]
    django = django_results[position]
    assert (django["valid"], django["errors"]) == (not expected, expected), ("django", data, files)
    assert _wtforms(app, wtforms_namespace, form, data, files) == (not expected, expected), ("wtforms", data, files)


@pytest.mark.parametrize("position", range(len(DIFFERENCES)), ids=[d[5] for d in DIFFERENCES])
def test_documented_differences(
    position: int,
    django_results: list[dict[str, Any]],
    wtforms_namespace: dict[str, Any],
    app: Flask,
    translations: FormsTranslation,
) -> None:
    form, data, files, django_errors, wtforms_errors, phrase = DIFFERENCES[position]
    django = django_results[len(CASES) + position]
    assert (django["valid"], django["errors"]) == (not django_errors, django_errors)
    assert _wtforms(app, wtforms_namespace, form, data, files) == (not wtforms_errors, wtforms_errors)
    translated = _by_name(translations, form)
    notes = " ".join([*translated.notes, *(note for f in translated.fields for note in f.notes)])
    # Each difference is named in the field's notes, or (for every text field) in the translation's documentation.
    assert phrase in notes or phrase in (wtforms_forms.__doc__ or "")


def _formset_decision(app: Flask, namespace: dict[str, Any], data: dict[str, str]) -> list[str]:
    valid, errors = _wtforms(app, namespace, "ItemFormSet", data, {})
    assert valid is (not errors)
    return errors


@pytest.mark.parametrize("position", range(len(FORMSET_CASES)))
def test_formset_same_decision(
    position: int, django_results: list[dict[str, Any]], wtforms_namespace: dict[str, Any], app: Flask
) -> None:
    data, _entries, expected = FORMSET_CASES[position]
    django = django_results[len(CASES) + len(DIFFERENCES) + position]
    assert django["errors"] == expected
    assert _formset_decision(app, wtforms_namespace, data) == expected


@pytest.mark.parametrize("position", range(len(FORMSET_DIFFERENCES)), ids=[d[4] for d in FORMSET_DIFFERENCES])
def test_formset_documented_differences(
    position: int,
    django_results: list[dict[str, Any]],
    wtforms_namespace: dict[str, Any],
    app: Flask,
    translations: FormsTranslation,
) -> None:
    data, _entries, django_errors, wtforms_errors, phrase = FORMSET_DIFFERENCES[position]
    django = django_results[len(CASES) + len(DIFFERENCES) + len(FORMSET_CASES) + position]
    assert django["errors"] == django_errors
    assert _formset_decision(app, wtforms_namespace, data) == wtforms_errors
    assert any(phrase in note for note in _by_name(translations, "ItemFormSet").notes)


def test_every_form_and_field_type_is_covered(translations: FormsTranslation) -> None:
    """The proof exercises every django.forms field class the translation knows, and the ModelForm."""
    index = index_of(_project())
    forms = discover_django_forms(index)
    covered = {spec.short_class for form in forms for spec in form.fields}
    assert {
        "CharField", "EmailField", "URLField", "SlugField", "RegexField", "UUIDField", "GenericIPAddressField",
        "ComboField", "Field", "JSONField", "IntegerField", "FloatField", "DecimalField", "ChoiceField",
        "TypedChoiceField", "MultipleChoiceField", "TypedMultipleChoiceField", "BooleanField", "NullBooleanField",
        "DateField", "DateTimeField", "TimeField", "FileField", "ImageField", "ModelChoiceField",
        "ModelMultipleChoiceField",
    } <= covered  # fmt: skip
    book = next(form for form in forms if form.name == "BookForm")
    assert [spec.name for spec in book.fields] == [
        "title", "subtitle", "genre", "rating", "pages", "price", "stock", "published", "in_print", "contact",
        "author", "tags",
    ]  # fmt: skip
    assert _by_name(translations, "BookForm").model_form == "Book"
    assert [f.name for f in discover_django_formsets(index, forms=forms)] == ["ItemFormSet"]
