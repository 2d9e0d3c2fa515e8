"""The generated Django forms, proven with Django and WTForms themselves.

Realistic WTForms sources go through discovery and translation; the generated
``forms.py`` runs under a configured Django in a subprocess, and each submitted
data set must be accepted or rejected exactly as the original WTForms form
decides (same invalid fields), with cleaned values of the expected types.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import FileStorage, MultiDict

from fwlint.facts import Span
from fwlint.link.orm_types import ColumnSpec, ModelSpec, OrmSchema, TypeSpec
from fwlint.link.wtforms_forms import discover_forms
from fwlint.translate.django_forms import FormCode, django_form, django_forms_module
from tests.conftest import index_of

pytestmark = pytest.mark.filterwarnings("ignore:Passing SelectField choices as tuples:DeprecationWarning")

SOURCE = """\
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    MultipleFileField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, NumberRange, Optional, Regexp


class LoginForm(Form):
    email = StringField("Email", validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=8)])
    remember = BooleanField("Remember me")
    submit = SubmitField("Sign in")


class RegistrationForm(Form):
    username = StringField(
        "Username",
        validators=[DataRequired(), Length(min=3, max=20), Regexp(r"[A-Za-z0-9_]+$", message="Letters, digits, _")],
    )
    email = EmailField("Email", validators=[DataRequired(), Email(message="Not an email address")])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=8, message="At least %(min)d")])
    confirm = PasswordField("Repeat", validators=[DataRequired(), EqualTo("password", message="Must match")])
    accept_tos = BooleanField("I accept the terms", validators=[DataRequired()])
    nickname = StringField("Nickname")
    birthday = DateField("Birthday", validators=[Optional()])


class BookForm(Form):
    title = StringField("Title", [DataRequired(), Length(max=200)])
    price = DecimalField("Price", places=2, validators=[InputRequired(), NumberRange(min=0)])
    stock = IntegerField("Stock", validators=[Optional(), NumberRange(min=0, max=10000)])
    genre = SelectField("Genre", choices=[(1, "Fiction"), (2, "Science")], coerce=int)
    summary = TextAreaField("Summary", validators=[Optional(), Length(max=2000)])
    cover = FileField("Cover", validators=[FileAllowed(["jpg", "png"], "Images only")])
    gallery = MultipleFileField("Gallery")
    isbn = StringField("ISBN", description="13 digits")


class AddressForm(Form):
    street = StringField("Street", [DataRequired()])
    city = StringField("City", [DataRequired()])
    zip_code = StringField("ZIP", [DataRequired(), Regexp(r"\\d{5}$")])


class ProfileForm(Form):
    name = StringField("Name", [DataRequired()])
    addresses = FieldList(FormField(AddressForm), min_entries=1, max_entries=3)
    tags = FieldList(StringField("Tag", [Length(max=10)]))


class TrapForm(Form):
    # Optional by default, except where WTForms itself rejects an empty value.
    nickname = StringField("Nickname")
    code = StringField("Code", [Length(min=3)])
    count = IntegerField("Count")
    size = SelectField("Size", choices=[("", "---"), ("s", "S")])
    level = SelectField("Level", choices=[(1, "One"), (2, "Two")], coerce=int)
    tags = SelectMultipleField("Tags", choices=[("a", "A"), ("b", "B")])
    agree = BooleanField("Agree")
    zip_code = StringField("Zip", [Optional(), Regexp(r"\\d{5}")])
"""

# The Django models the ModelForm case needs, as fwlint's model translation would write them.
MODELS = """\
from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    stock = models.IntegerField(null=True, blank=True)
    genre = models.IntegerField()
    summary = models.TextField(null=True, blank=True)
    isbn = models.CharField(max_length=20, null=True, blank=True)

    class Meta:
        app_label = "auth"
"""

RUNNER = """\
import json
import sys

import django
from django.conf import settings

settings.configure(
    SECRET_KEY="proof",
    USE_TZ=True,
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
)
django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

job = json.loads(open(sys.argv[1], encoding="utf-8").read())
namespace = {}
exec(job["models"], namespace)
exec(job["code"], namespace)


def multi(mapping):
    return MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in mapping.items()})


results = []
for case in job["cases"]:
    files = MultiValueDict(
        {k: [SimpleUploadedFile(name, b"data") for name in names] for k, names in case["files"].items()}
    )
    form = namespace[case["form"]](data=multi(case["data"]), files=files)
    valid = form.is_valid()
    errors = sorted(form.errors)
    for prefix, formset_name in case["formsets"].items():
        formset = namespace[formset_name](data=multi(case["data"]), prefix=prefix)
        if not formset.is_valid():
            valid = False
            errors.append(prefix)
    types = {k: type(v).__name__ for k, v in form.cleaned_data.items()} if form.is_valid() else {}
    results.append({"valid": valid, "errors": sorted(errors), "types": types})
print(json.dumps(results))
"""


def _forms() -> dict[str, FormCode]:
    index = index_of({"shop/__init__.py": "", "shop/forms.py": SOURCE})
    return {spec.name: django_form(spec) for spec in discover_forms(index)}


def _run_django(tmp_path: Path, code: str, cases: list[dict[str, Any]], models: str = "") -> list[dict[str, Any]]:
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"code": code, "models": models, "cases": cases}), encoding="utf-8")
    script = tmp_path / "runner.py"
    script.write_text(RUNNER, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(job)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def _wtforms(form_name: str, data: dict[str, Any], files: dict[str, list[str]]) -> tuple[bool, list[str]]:
    """The original form's decision on the same submission (werkzeug MultiDict, as Flask builds it)."""
    namespace: dict[str, Any] = {}
    exec(SOURCE, namespace)
    formdata: MultiDict[str, Any] = MultiDict()
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            formdata.add(key, item)
    for key, names in files.items():
        for name in names:
            formdata.add(key, FileStorage(io.BytesIO(b"data"), filename=name))
    form = namespace[form_name](formdata=formdata)
    valid = form.validate()
    return valid, sorted(form.errors)


def _module(codes: dict[str, FormCode], *names: str) -> str:
    module = django_forms_module([codes[name] for name in names])
    return "\n".join(line for line in module.splitlines() if not line.startswith("from .models"))


def _prove(
    tmp_path: Path,
    form: str,
    module: str,
    cases: list[tuple[dict[str, Any], dict[str, list[str]], list[str]]],
    formsets: dict[str, str] | None = None,
    django_data: Any = None,
    models: str = "",
) -> list[dict[str, Any]]:
    """Each case: data, files, expected invalid fields ([] = valid) — checked on both sides."""
    jobs = []
    for data, files, _ in cases:
        shaped = django_data(data) if django_data is not None else data
        jobs.append({"form": form, "data": shaped, "files": files, "formsets": formsets or {}})
    results = _run_django(tmp_path, module, jobs, models)
    for (data, files, expected), result in zip(cases, results, strict=True):
        assert result["errors"] == expected, (data, result)
        assert result["valid"] is (not expected)
        original = _wtforms(form, data, files)
        assert original == (not expected, expected), (data, original)
    return results


@pytest.fixture(scope="module")
def codes() -> dict[str, FormCode]:
    return _forms()


def test_login_form(tmp_path: Path, codes: dict[str, FormCode]) -> None:
    good = {"email": "alice@gmail.com", "password": "s3cret-pass"}
    results = _prove(
        tmp_path,
        "LoginForm",
        _module(codes, "LoginForm"),
        [
            (good, {}, []),
            ({**good, "remember": "y"}, {}, []),
            ({**good, "password": "short"}, {}, ["password"]),
            ({"email": "", "password": ""}, {}, ["email", "password"]),
            ({**good, "email": "not-an-address"}, {}, ["email"]),
        ],
    )
    assert results[0]["types"] == {"email": "str", "password": "str", "remember": "bool"}
    assert codes["LoginForm"].exact


def test_registration_form_with_equal_to(tmp_path: Path, codes: dict[str, FormCode]) -> None:
    good = {
        "username": "alice_1",
        "email": "alice@gmail.com",
        "password": "s3cret-pass",
        "confirm": "s3cret-pass",
        "accept_tos": "y",
        "nickname": "",
        "birthday": "",
    }
    results = _prove(
        tmp_path,
        "RegistrationForm",
        _module(codes, "RegistrationForm"),
        [
            (good, {}, []),
            ({**good, "birthday": "1990-04-01", "nickname": "Al"}, {}, []),
            ({**good, "confirm": "other-pass"}, {}, ["confirm"]),
            ({**good, "accept_tos": ""}, {}, ["accept_tos"]),
            ({**good, "username": "al"}, {}, ["username"]),
            ({**good, "username": "!alice"}, {}, ["username"]),  # anchored at the start like re.match
            ({**good, "password": "short", "confirm": "short"}, {}, ["password"]),
            ({**good, "birthday": "01/04/1990"}, {}, ["birthday"]),
            ({**good, "email": "alice"}, {}, ["email"]),
        ],
    )
    assert results[1]["types"]["birthday"] == "date"
    assert results[0]["types"]["birthday"] == "NoneType"
    assert "def clean(self):" in codes["RegistrationForm"].code


def test_book_form_with_decimal_select_and_files(tmp_path: Path, codes: dict[str, FormCode]) -> None:
    good = {"title": "Dune", "price": "12.50", "stock": "", "genre": "2", "summary": ""}
    results = _prove(
        tmp_path,
        "BookForm",
        _module(codes, "BookForm"),
        [
            (good, {"cover": ["cover.jpg"], "gallery": ["a.png", "b.png"]}, []),
            ({**good, "stock": "7"}, {}, []),
            ({**good, "price": "-1"}, {}, ["price"]),
            ({**good, "price": ""}, {}, ["price"]),
            ({**good, "stock": "20000"}, {}, ["stock"]),
            ({**good, "stock": "many"}, {}, ["stock"]),
            ({**good, "genre": "3"}, {}, ["genre"]),
            ({**good, "genre": ""}, {}, ["genre"]),
            ({**good, "title": ""}, {}, ["title"]),
            (good, {"cover": ["cover.gif"]}, ["cover"]),
        ],
    )
    assert results[0]["types"] == {
        "title": "str",
        "price": "Decimal",
        "stock": "NoneType",
        "genre": "int",
        "summary": "str",
        "cover": "SimpleUploadedFile",
        "gallery": "list",
        "isbn": "str",
    }
    assert results[1]["types"]["stock"] == "int"


def _profile_data(data: dict[str, Any]) -> dict[str, Any]:
    """WTForms keys → the formsets' keys: management form added, ``tags-0`` → ``tags-0-value``."""
    shaped: dict[str, Any] = {}
    counts = {"addresses": 0, "tags": 0}
    for key, value in data.items():
        prefix, _, rest = key.partition("-")
        if prefix in counts:
            index = int(rest.split("-", 1)[0])
            counts[prefix] = max(counts[prefix], index + 1)
            if prefix == "tags":
                key = f"{key}-value"
        shaped[key] = value
    for prefix, count in counts.items():
        shaped[f"{prefix}-TOTAL_FORMS"] = str(count)
        shaped[f"{prefix}-INITIAL_FORMS"] = "0"
    return shaped


def test_profile_form_with_field_lists(tmp_path: Path, codes: dict[str, FormCode]) -> None:
    address = {"addresses-0-street": "1 Main St", "addresses-0-city": "Springfield", "addresses-0-zip_code": "12345"}
    good = {"name": "Alice", **address, "tags-0": "books", "tags-1": "music"}
    _prove(
        tmp_path,
        "ProfileForm",
        _module(codes, "AddressForm", "ProfileForm"),
        [
            (good, {}, []),
            ({"name": "Alice", **address}, {}, []),
            ({**good, "addresses-0-zip_code": "1234x"}, {}, ["addresses"]),
            ({**good, "addresses-0-city": ""}, {}, ["addresses"]),
            ({**good, "tags-1": "much-too-long-a-tag"}, {}, ["tags"]),
            ({**good, "name": ""}, {}, ["name"]),
            ({"name": "Alice"}, {}, ["addresses"]),  # min_entries=1: the padded entry is empty
        ],
        formsets={"addresses": "ProfileAddressesFormSet", "tags": "ProfileTagsFormSet"},
        django_data=_profile_data,
    )


def test_optional_by_default_and_its_exceptions(tmp_path: Path, codes: dict[str, FormCode]) -> None:
    empty = {"nickname": "", "code": "", "count": "", "size": "", "level": "", "zip_code": ""}
    good = {**empty, "code": "abc", "count": "0", "level": "1", "tags": ["a", "b"], "zip_code": "12345"}
    results = _prove(
        tmp_path,
        "TrapForm",
        _module(codes, "TrapForm"),
        [
            (good, {}, []),
            (empty, {}, ["code", "count", "level"]),
            ({**good, "size": "s", "agree": "y", "zip_code": "123456"}, {}, []),
            ({**good, "zip_code": "1234x"}, {}, ["zip_code"]),
            ({**good, "tags": ["c"]}, {}, ["tags"]),
            ({**good, "size": "m"}, {}, ["size"]),
        ],
    )
    assert results[0]["types"] == {
        "nickname": "str",
        "code": "str",
        "count": "int",
        "size": "str",
        "level": "int",
        "tags": "list",
        "agree": "bool",
        "zip_code": "str",
    }


def _span() -> Span:
    return Span(1, 1, 1, 1)


def test_book_model_form(tmp_path: Path, codes: dict[str, FormCode]) -> None:
    """Matching fields come from the model; the WTForms validation stays where the model differs."""

    def column(name: str, type_name: str, *args: Any, **kwargs: Any) -> ColumnSpec:
        return ColumnSpec(name, _span(), "shop/models.py", TypeSpec(type_name, args), kwargs=kwargs)

    book = ModelSpec(
        qualname="shop.models.Book",
        name="Book",
        file="shop/models.py",
        span=_span(),
        table_name="books",
        abstract=False,
        columns=[
            column("id", "Integer", primary_key=True),
            column("title", "String", 200, nullable=False),
            column("price", "Numeric", 10, 2, nullable=False),
            column("stock", "Integer"),
            column("genre", "Integer", nullable=False),
            column("summary", "Text"),
            column("isbn", "String", 20),
        ],
    )
    index = index_of({"shop/__init__.py": "", "shop/forms.py": SOURCE})
    spec = next(f for f in discover_forms(index) if f.name == "BookForm")
    code = django_form(spec, OrmSchema(models=[book]))
    assert code.model_form == "Book"
    # isbn is left to the model (its label and help text move to Meta); the others keep their validation.
    assert 'fields = ["title", "price", "stock", "genre", "summary", "isbn"]' in code.code
    assert 'labels = {"isbn": "ISBN"}' in code.code
    assert "    isbn = " not in code.code
    assert not code.exact  # the model's max_length=20 is new for isbn

    module = "\n".join(line for line in [*code.imports, "", code.code] if not line.startswith("from .models"))
    good = {"title": "Dune", "price": "12.50", "stock": "3", "genre": "1", "summary": "Spice"}
    results = _prove(
        tmp_path,
        "BookForm",
        module,
        [
            (good, {}, []),
            ({**good, "stock": "-4"}, {}, ["stock"]),
            ({**good, "title": ""}, {}, ["title"]),
            ({**good, "isbn": "978-0441013593"}, {}, []),
        ],
        models=MODELS,
    )
    assert results[0]["types"]["stock"] == "int"


SMOKE = """\
import sys

import django
from django.conf import settings

settings.configure(SECRET_KEY="proof", USE_TZ=True, INSTALLED_APPS=["django.contrib.contenttypes"])
django.setup()

from django import forms
from django.db import models


class Category(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "contenttypes"


class Tag(models.Model):
    title = models.CharField(max_length=50)

    class Meta:
        app_label = "contenttypes"


def load_kinds():
    return [("a", "A")]


namespace = {"Category": Category, "Tag": Tag, "load_kinds": load_kinds, "_l": str}
exec(open(sys.argv[1], encoding="utf-8").read(), namespace)
form_class = namespace["ProfileForm"]
form = form_class()
rendered = 0
for name, field in form.fields.items():
    if not isinstance(field, forms.ModelChoiceField):  # their querysets need tables
        assert str(form[name]).startswith("<"), name
        rendered += 1
bound = form_class(data={})
bound.is_valid()
print(len(form.fields), rendered, sorted(bound.errors))
"""


def test_every_translated_field_type_runs_under_django(tmp_path: Path) -> None:
    """Each field the translation tests cover is constructed, rendered and validated by Django."""
    from tests.test_translate_forms import CASES, _form

    by_name: dict[str, str] = {}
    for before, _, _ in CASES:
        by_name.setdefault(before.split(" = ", 1)[0], before)
    code = django_form(_form("\n".join(by_name.values())))
    module = "\n".join(line for line in django_forms_module([code]).splitlines() if not line.startswith("from .models"))
    (tmp_path / "forms_module.py").write_text(module, encoding="utf-8")
    (tmp_path / "smoke.py").write_text(SMOKE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(tmp_path / "smoke.py"), str(tmp_path / "forms_module.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    total, rendered, _errors = done.stdout.split(" ", 2)
    assert int(total) == len([c for c in code.fields if c.code is not None])
    assert int(rendered) >= int(total) - 3
