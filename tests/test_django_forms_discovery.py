"""Discovery of Django forms, model forms and formsets across a project (``fwlint.link.django_forms``)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from fwlint.facts import CallValue, Opaque, Ref
from fwlint.link.django_forms import (
    DjangoForm,
    DjangoFormField,
    ModelFieldInfo,
    discover_django_forms,
    discover_django_formsets,
    model_fields_from_index,
    schema_model_fields,
)
from fwlint.link.django_models import DjangoSchema, discover_django_models
from fwlint.link.index import ProjectIndex
from tests.conftest import index_of

MODELS = """\
from django.core.validators import MaxValueValidator
from django.db import models


class Stamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=40, blank=True)

    class Meta:
        abstract = True


class Author(models.Model):
    name = models.CharField("full name", max_length=50, help_text="As printed")


class Status(models.TextChoices):
    DRAFT = "d", "Draft"
    PUBLISHED = "p"


class Book(Stamped):
    GENRES = [("f", "Fiction"), ("s", "Science")]

    id = models.BigAutoField(primary_key=True)
    title = models.CharField(max_length=200)
    subtitle = models.CharField(max_length=100, blank=True, null=True)
    summary = models.TextField(blank=True)
    genre = models.CharField(max_length=1, choices=GENRES)
    status = models.CharField(max_length=1, choices=Status.choices, default=Status.DRAFT)
    rating = models.IntegerField(choices=[(1, "One"), (2, "Two")], null=True, blank=True)
    pages = models.PositiveIntegerField(default=100)
    copies = models.BigIntegerField(validators=[MaxValueValidator(10**6)])
    price = models.DecimalField(max_digits=6, decimal_places=2)
    in_print = models.BooleanField(default=True)
    signed = models.BooleanField(null=True)
    contact = models.EmailField(blank=True)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    editor = models.ForeignKey("Author", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    tags = models.ManyToManyField("Tag", blank=True)
    isbn = models.CharField(max_length=13, editable=False)


class Tag(models.Model):
    name = models.CharField(max_length=20, unique=True)


class Chapter(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE)
    title = models.CharField(max_length=50)
"""

BASE_FORMS = """\
from django import forms


class ContactMixin(forms.Form):
    email = forms.EmailField()
    phone = forms.CharField(required=False)

    def clean_email(self):
        return self.cleaned_data["email"]
"""

FIELDS = """\
from django import forms


class UpperField(forms.CharField):
    pass


class CodeField(UpperField):
    pass


def no_spaces(value):
    pass
"""

FORMS = """\
from django import forms
from django.core.validators import MinLengthValidator, RegexValidator, validate_slug

from .base import ContactMixin
from .fields import CodeField, no_spaces
from ..models import Author, Book, Chapter

slug_check = RegexValidator(r"^[a-z]+$")


class SignupForm(ContactMixin):
    name = forms.CharField(label="Your name", max_length=30, validators=[MinLengthValidator(2), no_spaces])
    code = CodeField(max_length=8)
    pattern = forms.RegexField(r"^\\d+$", strip=True)
    author = forms.ModelChoiceField(Author.objects.all(), empty_label=None)
    editors = forms.ModelMultipleChoiceField(queryset=Author.objects.filter(name__startswith="A"))
    kind = forms.ChoiceField(choices=Book.GENRES, widget=forms.RadioSelect({"class": "inline"}))
    bio = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), validators=[slug_check, validate_slug])
    phone = None

    def clean_name(self):
        return self.cleaned_data["name"]

    def clean(self):
        return super().clean()

    def save(self):
        pass


class BookForm(forms.ModelForm):
    summary = forms.CharField(widget=forms.Textarea, max_length=500)
    promo = forms.CharField(required=False)

    class Meta:
        model = Book
        fields = ["title", "summary", "author", "genre", "status", "tags", "pages"]
        widgets = {"genre": forms.RadioSelect}
        labels = {"pages": "Page count"}
        help_texts = {"title": "The full title"}
        error_messages = {"title": {"required": "Name it"}}
        field_classes = {"title": CodeField}


class FullBookForm(forms.ModelForm):
    class Meta:
        model = Book
        fields = "__all__"


class ShortBookForm(forms.ModelForm):
    class Meta(FullBookForm.Meta):
        exclude = ["summary", "tags", "copies", "price", "signed", "contact", "editor", "note"]
        localized_fields = "__all__"


class BrokenForm(forms.ModelForm):
    class Meta:
        model = Book
        fields = ["title", "missing", "isbn"]


class NoListForm(forms.ModelForm):
    class Meta:
        model = Book


QuickForm = forms.modelform_factory(Book, fields=["title", "pages"])
SignupFormSet = forms.formset_factory(SignupForm, forms.BaseFormSet, 2, max_num=5, validate_max=True)
BookFormSet = forms.modelformset_factory(Book, fields=["title"], extra=0)
ChapterFormSet = forms.inlineformset_factory(Book, Chapter, fields=["title"], can_delete=False)
FullBookFormSet = forms.modelformset_factory(Book, form=FullBookForm)


class NotAForm:
    title = forms.CharField()

    class Meta:
        model = Book
"""


def _project() -> ProjectIndex:
    return index_of(
        {
            "shop/__init__.py": "",
            "shop/models.py": MODELS,
            "shop/forms/__init__.py": "from .base import ContactMixin\n",
            "shop/forms/base.py": BASE_FORMS,
            "shop/forms/fields.py": FIELDS,
            "shop/forms/forms.py": FORMS,
        }
    )


def _forms() -> dict[str, DjangoForm]:
    return {form.name: form for form in discover_django_forms(_project())}


def _field(form: DjangoForm, name: str) -> DjangoFormField:
    return next(f for f in form.fields if f.name == name)


def test_forms_are_found_through_project_bases_in_other_modules() -> None:
    forms = _forms()
    assert sorted(forms) == [
        "BookForm", "BrokenForm", "ContactMixin", "FullBookForm", "NoListForm", "QuickForm", "ShortBookForm",
        "SignupForm",
    ]  # fmt: skip
    signup = forms["SignupForm"]
    assert (signup.base, signup.kind, signup.bases) == ("django.forms.Form", "form", ["ContactMixin"])
    assert (signup.file, signup.span.line) == ("shop/forms/forms.py", 11)
    assert forms["BookForm"].kind == "model_form"


def test_declared_fields_in_django_order_with_overrides_and_removals() -> None:
    signup = _forms()["SignupForm"]
    # Base fields first; ``phone = None`` removes the inherited field.
    assert [f.name for f in signup.fields] == ["email", "name", "code", "pattern", "author", "editors", "kind", "bio"]
    email = _field(signup, "email")
    assert (email.inherited_from, email.file, email.span.line) == ("ContactMixin", "shop/forms/base.py", 5)
    name = _field(signup, "name")
    assert name.field_class == "django.forms.CharField"
    assert name.kwargs == {"label": "Your name", "max_length": 30}
    assert (name.file, name.span.line, name.inherited_from, name.origin) == (
        "shop/forms/forms.py",
        12,
        None,
        "declared",
    )


def test_positional_arguments_are_named_and_widgets_read() -> None:
    signup = _forms()["SignupForm"]
    assert _field(signup, "pattern").kwargs == {"regex": r"^\d+$", "strip": True}
    author = _field(signup, "author")
    assert author.kwargs["empty_label"] is None
    assert (author.related_model, author.plain_queryset) == ("shop.models.Author", True)
    assert isinstance(author.kwargs["queryset"], CallValue)
    editors = _field(signup, "editors")
    assert (editors.related_model, editors.plain_queryset) == ("shop.models.Author", False)
    kind = _field(signup, "kind")
    assert kind.widget is not None
    assert (kind.widget.widget_class, kind.widget.attrs) == ("django.forms.RadioSelect", {"class": "inline"})
    # ``choices=Book.GENRES`` is read from the model class body.
    assert kind.kwargs["choices"] == [("f", "Fiction"), ("s", "Science")]
    bio = _field(signup, "bio")
    assert bio.widget is not None and bio.widget.attrs == {"rows": 3}


def test_validators_project_fields_and_methods() -> None:
    signup = _forms()["SignupForm"]
    name = _field(signup, "name")
    assert [(v.name, v.kwargs, v.called) for v in name.validators] == [
        ("django.core.validators.MinLengthValidator", {"limit_value": 2}, True),
        ("project:no_spaces", {}, False),
    ]
    bio = _field(signup, "bio")
    # A validator configured at module level is read from its assignment.
    assert [(v.name, v.kwargs) for v in bio.validators] == [
        ("django.core.validators.RegexValidator", {"regex": "^[a-z]+$"}),
        ("django.core.validators.validate_slug", {}),
    ]
    code = _field(signup, "code")
    assert (code.field_class, code.base, code.framework_class) == (
        "project:CodeField",
        "django.forms.CharField",
        "django.forms.CharField",
    )
    assert signup.field_cleaners == {"email": "clean_email", "name": "clean_name"}
    assert signup.has_clean
    assert signup.methods == ["save"]


def test_model_form_generates_the_model_fields_django_would() -> None:
    book = _forms()["BookForm"]
    assert book.meta is not None
    assert (book.meta.model, book.meta.model_name) == ("shop.models.Book", "Book")
    # Meta.fields order; the declared summary takes its place, the extra declared field comes last.
    assert [f.name for f in book.fields] == ["title", "summary", "author", "genre", "status", "tags", "pages", "promo"]
    title = _field(book, "title")
    assert (title.origin, title.model_field) == ("model", "django.db.models.CharField")
    # Meta.field_classes, help_texts and error_messages apply to the generated field.
    assert (title.field_class, title.base) == ("project:CodeField", "django.forms.CharField")
    assert title.kwargs == {
        "required": True,
        "label": "Title",
        "max_length": 200,
        "help_text": "The full title",
        "error_messages": {"required": "Name it"},
    }
    assert _field(book, "summary").origin == "declared"
    author = _field(book, "author")
    assert (author.field_class, author.related_model, author.plain_queryset) == (
        "django.forms.ModelChoiceField",
        "shop.models.Author",
        True,
    )
    assert author.kwargs == {"required": True, "label": "Author", "blank": False}
    genre = _field(book, "genre")
    assert genre.field_class == "django.forms.TypedChoiceField"
    assert genre.kwargs["choices"] == [("", "---------"), ("f", "Fiction"), ("s", "Science")]
    assert genre.widget is not None and genre.widget.widget_class == "django.forms.RadioSelect"
    status = _field(book, "status")
    # A TextChoices class is read member by member; with a default there is no blank choice.
    assert status.kwargs["choices"] == [("d", "Draft"), ("p", "Published")]
    assert status.kwargs["initial"] == Ref("shop.models.Status.DRAFT")
    tags = _field(book, "tags")
    assert (tags.field_class, tags.related_model, tags.kwargs["required"]) == (
        "django.forms.ModelMultipleChoiceField",
        "shop.models.Tag",
        False,
    )
    pages = _field(book, "pages")
    assert pages.kwargs == {"required": True, "label": "Page count", "initial": 100, "min_value": 0}


def test_all_fields_follow_the_formfield_rules() -> None:
    full = _forms()["FullBookForm"]
    # Inherited abstract fields first; auto, non-editable and auto_now fields have no form field.
    assert [f.name for f in full.fields] == [
        "note", "title", "subtitle", "summary", "genre", "status", "rating", "pages", "copies", "price", "in_print",
        "signed", "contact", "author", "editor", "tags",
    ]  # fmt: skip
    fields = {f.name: f for f in full.fields}
    assert fields["note"].kwargs == {"required": False, "label": "Note", "max_length": 40}
    assert fields["subtitle"].kwargs["empty_value"] is None  # null CharField
    summary = fields["summary"]
    assert summary.field_class == "django.forms.CharField"
    assert summary.widget is not None and summary.widget.widget_class == "django.forms.Textarea"
    rating = fields["rating"]
    assert rating.kwargs == {
        "required": False,
        "label": "Rating",
        "choices": [("", "---------"), (1, "One"), (2, "Two")],
        "coerce": Opaque("int"),
        "empty_value": None,
    }
    copies = fields["copies"]
    assert (copies.kwargs["min_value"], copies.kwargs["max_value"]) == (-9223372036854775808, 9223372036854775807)
    assert [v.name for v in copies.validators] == ["django.core.validators.MaxValueValidator"]
    assert fields["price"].kwargs == {"required": True, "label": "Price", "max_digits": 6, "decimal_places": 2}
    # A model BooleanField is never required in its form (that would mean "must be checked").
    assert (fields["in_print"].field_class, fields["in_print"].kwargs["required"]) == (
        "django.forms.BooleanField",
        False,
    )
    assert fields["signed"].field_class == "django.forms.NullBooleanField"
    assert fields["contact"].kwargs == {"required": False, "label": "Contact", "max_length": 254}
    assert fields["contact"].field_class == "django.forms.EmailField"
    editor = fields["editor"]
    assert (editor.related_model, editor.kwargs["required"], editor.kwargs["blank"]) == (
        "shop.models.Author",
        False,
        True,
    )
    assert full.problems == []


def test_meta_inheritance_exclude_and_localized_fields() -> None:
    short = _forms()["ShortBookForm"]
    assert short.meta is not None
    assert short.meta.model == "shop.models.Book"  # from FullBookForm.Meta
    assert short.meta.fields == "__all__"
    assert [f.name for f in short.fields] == [
        "title",
        "subtitle",
        "genre",
        "status",
        "rating",
        "pages",
        "in_print",
        "author",
    ]
    assert all(f.kwargs.get("localize") is True for f in short.fields)


def test_what_django_would_refuse_is_reported() -> None:
    forms = _forms()
    broken = forms["BrokenForm"]
    assert [f.name for f in broken.fields] == ["title"]
    assert broken.problems == [
        "'isbn' is not editable: Django refuses it in Meta.fields (FieldError).",
        "Meta.fields names 'missing', which fwlint does not find on Book (Django raises FieldError for a field "
        "the model does not have): add it by hand if the model has it.",
    ]
    assert forms["NoListForm"].problems[0].startswith("Meta has neither fields nor exclude")


def test_a_model_field_source_can_be_supplied() -> None:
    asked: list[str] = []

    def source(model_qualname: str) -> list[ModelFieldInfo] | None:
        asked.append(model_qualname)
        return [ModelFieldInfo("headline", "django.db.models.TextField", {"max_length": 80}, None, True)]

    forms = {f.name: f for f in discover_django_forms(_project(), source)}
    full = forms["FullBookForm"]
    assert [f.name for f in full.fields] == ["headline"]
    headline = full.fields[0]
    assert headline.kwargs == {"required": True, "label": "Headline", "max_length": 80}
    assert "shop.models.Book" in asked


def test_an_unknown_model_leaves_the_declared_fields() -> None:
    index = index_of(
        {
            "app/__init__.py": "",
            "app/forms.py": (
                "from django import forms\n"
                "from taggit.models import Tag\n\n\n"
                "class TagForm(forms.ModelForm):\n"
                "    nickname = forms.CharField()\n\n"
                "    class Meta:\n"
                "        model = Tag\n"
                '        fields = ["name", "nickname"]\n'
            ),
        }
    )
    (form,) = discover_django_forms(index)
    assert not form.model_fields_known
    assert [f.name for f in form.fields] == ["nickname"]
    assert form.meta is not None and form.meta.model == "taggit.models.Tag"
    assert form.problems == ["The fields of Tag are not known to fwlint: only the declared fields are listed."]


def test_django_user_is_known_without_a_schema() -> None:
    index = index_of(
        {
            "app/__init__.py": "",
            "app/forms.py": (
                "from django import forms\n"
                "from django.contrib.auth.models import User\n\n\n"
                "class UserForm(forms.ModelForm):\n"
                "    nickname = forms.CharField()\n\n"
                "    class Meta:\n"
                "        model = User\n"
                '        fields = ["id", "username", "nickname", "groups"]\n'
            ),
        }
    )
    (form,) = discover_django_forms(index)
    assert form.model_fields_known and form.problems == []  # the automatic id is ignored, as Django does
    assert [(f.name, f.field_class) for f in form.fields] == [
        ("username", "django.forms.CharField"),
        ("nickname", "django.forms.CharField"),
        ("groups", "django.forms.ModelMultipleChoiceField"),
    ]
    username = form.fields[0]
    assert username.kwargs == {"required": True, "label": "Username", "max_length": 150}
    assert [v.name for v in username.validators] == ["django.contrib.auth.validators.UnicodeUsernameValidator"]
    assert form.fields[2].related_model == "django.contrib.auth.models.Group"


def test_index_model_source_reads_fields_and_relations() -> None:
    source = model_fields_from_index(_project())
    fields = source("shop.models.Book")
    assert fields is not None
    by_name = {f.name: f for f in fields}
    assert by_name["created"].editable is False
    assert by_name["isbn"].editable is False
    assert by_name["tags"].related_model == "shop.models.Tag"  # a string reference
    assert by_name["editor"].related_model == "shop.models.Author"
    assert source("shop.models.Nothing") is None
    author = source("shop.models.Author")
    assert author is not None and author[0].kwargs["verbose_name"] == "full name"


def test_auth_forms_and_mixed_bases() -> None:
    index = index_of(
        {
            "app/__init__.py": "",
            "app/forms.py": (
                "from django import forms\n"
                "from django.contrib.auth.forms import UserCreationForm\n\n\n"
                "class Plain(forms.Form):\n"
                "    note = forms.CharField()\n\n\n"
                "class SignUp(UserCreationForm):\n"
                "    email = forms.EmailField()\n\n\n"
                "class Mixed(Plain, forms.ModelForm):\n"
                "    pass\n"
            ),
        }
    )
    forms = {f.name: f for f in discover_django_forms(index)}
    signup = forms["SignUp"]
    assert (signup.base, signup.kind, signup.bases) == ("django.contrib.auth.forms.UserCreationForm", "model_form", [])
    assert signup.framework_forms == [
        "django.contrib.auth.forms.UserCreationForm",
        "django.contrib.auth.forms.BaseUserCreationForm",
        "django.contrib.auth.forms.SetPasswordMixin",
    ]
    # Meta comes from BaseUserCreationForm: the model's username first, then the declared fields.
    assert [f.name for f in signup.fields] == ["username", "password1", "password2", "email"]
    assert signup.meta is not None and signup.meta.model == "django.contrib.auth.models.User"
    username, password1, _, email = signup.fields
    assert (username.field_class, username.base, username.origin) == (
        "django.contrib.auth.forms.UsernameField",
        "django.forms.CharField",
        "model",
    )
    # Django's own fields sit at the project form's class line, marked with the class that declares them.
    assert (password1.file, password1.span.line, password1.inherited_from, password1.framework_form) == (
        "app/forms.py",
        9,
        "BaseUserCreationForm",
        "django.contrib.auth.forms.BaseUserCreationForm",
    )
    assert password1.kwargs["strip"] is False and password1.widget is not None
    assert password1.widget.widget_class == "django.forms.PasswordInput"
    assert (email.framework_form, email.inherited_from) == (None, None)
    # Django's methods (clean, save, clean_username...) are not the project's to port.
    assert (signup.methods, signup.field_cleaners, signup.has_clean) == ([], {}, False)
    assert (forms["Mixed"].base, forms["Mixed"].kind) == ("django.forms.ModelForm", "model_form")


def test_modelform_factory_forms_and_formsets() -> None:
    index = _project()
    forms = discover_django_forms(index)
    quick = next(f for f in forms if f.name == "QuickForm")
    assert (quick.factory, quick.kind, [f.name for f in quick.fields]) == (
        "modelform_factory",
        "model_form",
        ["title", "pages"],
    )
    formsets = {f.name: f for f in discover_django_formsets(index, forms=forms)}
    signup = formsets["SignupFormSet"]
    assert signup.factory == "formset_factory"
    assert signup.form is not None and signup.form.name == "SignupForm"
    assert signup.options == {
        "form": Ref("shop.forms.forms.SignupForm"),
        "formset": Ref("django.forms.BaseFormSet"),
        "extra": 2,
        "max_num": 5,
        "validate_max": True,
    }
    line = FORMS.splitlines().index(next(x for x in FORMS.splitlines() if x.startswith("SignupFormSet"))) + 1
    assert (signup.prefix, signup.file, signup.span.line) == ("form", "shop/forms/forms.py", line)
    books = formsets["BookFormSet"]
    assert books.model == "shop.models.Book"
    assert books.form is not None and [f.name for f in books.form.fields] == ["title"]
    chapters = formsets["ChapterFormSet"]
    assert (chapters.parent_model, chapters.model, chapters.fk_name, chapters.prefix) == (
        "shop.models.Book",
        "shop.models.Chapter",
        "book",
        "chapter_set",
    )
    assert chapters.form is not None and [f.name for f in chapters.form.fields] == ["title"]
    assert chapters.form.name == "ChapterEntryForm"  # not Django's "ChapterForm", which the project may define
    # form= without fields or exclude of the factory's own: the project form is the entry form.
    reused = formsets["FullBookFormSet"]
    assert reused.form is not None and reused.form.qualname == "shop.forms.forms.FullBookForm"


def test_non_forms_are_ignored() -> None:
    assert "NotAForm" not in _forms()


# ------------------------------------------------------------------ django.contrib.auth's forms, proven with Django
AUTH_FORMS_PROJECT = """\
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.models import User


class SignUp(UserCreationForm):
    email = forms.EmailField()


class SignUpWithMeta(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ("username", "email", "first_name")


class SignUpWithoutConfirmation(auth_forms.BaseUserCreationForm):
    password2 = None

    class Meta(auth_forms.BaseUserCreationForm.Meta):
        model = User
        fields = ["email", "username"]


class AdminSignUp(auth_forms.AdminUserCreationForm):
    pass


class ChangeUser(auth_forms.UserChangeForm):
    pass


class Login(AuthenticationForm):
    remember = forms.BooleanField(required=False)


class ResetPassword(auth_forms.PasswordResetForm):
    pass


class NewPassword(auth_forms.SetPasswordForm):
    pass


class ChangePassword(auth_forms.PasswordChangeForm):
    pass


class AdminPassword(auth_forms.AdminPasswordChangeForm):
    pass


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        exclude = ["password", "user_permissions"]
"""
AUTH_FORM_NAMES = [
    "SignUp", "SignUpWithMeta", "SignUpWithoutConfirmation", "AdminSignUp", "ChangeUser", "Login", "ResetPassword",
    "NewPassword", "ChangePassword", "AdminPassword", "UserForm",
]  # fmt: skip
BASE_FIELDS_RUNNER = """\
import json
import sys

sys.path.insert(0, sys.argv[1])

import django
from django.conf import settings

settings.configure(
    SECRET_KEY="proof",
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
)
django.setup()

from authproof import forms


def public(cls):
    module = "django.forms" if cls.__module__.startswith("django.forms.") else cls.__module__
    return f"{module}.{cls.__name__}"


print(json.dumps({
    name: [
        [field_name, public(type(field)), field.required, None if field.label is None else str(field.label)]
        for field_name, field in getattr(forms, name).base_fields.items()
    ]
    for name in sys.argv[2:]
}))
"""
PASSWORD_HASH_FIELD = "django.contrib.auth.forms.ReadOnlyPasswordHashField"


@pytest.fixture(scope="module")
def django_base_fields(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[Any]]]:
    """``base_fields`` of each form of AUTH_FORMS_PROJECT as Django 5.2 builds them: name, class, required, label."""
    root = tmp_path_factory.mktemp("auth_forms")
    (root / "authproof").mkdir()
    (root / "authproof" / "__init__.py").write_text("")
    (root / "authproof" / "forms.py").write_text(AUTH_FORMS_PROJECT)
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", BASE_FIELDS_RUNNER, str(root), *AUTH_FORM_NAMES],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, list[list[Any]]] = json.loads(done.stdout)
    return found


@pytest.fixture(scope="module")
def auth_forms() -> dict[str, DjangoForm]:
    index = index_of({"authproof/__init__.py": "", "authproof/forms.py": AUTH_FORMS_PROJECT})
    return {form.name: form for form in discover_django_forms(index)}


def _required(spec: DjangoFormField) -> object:
    # ReadOnlyPasswordHashField.__init__ defaults required to False.
    return spec.kwargs.get("required", spec.field_class != PASSWORD_HASH_FIELD)


@pytest.mark.parametrize("name", AUTH_FORM_NAMES)
def test_auth_form_subclasses_get_django_base_fields(
    name: str, auth_forms: dict[str, DjangoForm], django_base_fields: dict[str, list[list[Any]]]
) -> None:
    form = auth_forms[name]
    assert form.model_fields_known and form.problems == []
    found = [[spec.name, spec.field_class, _required(spec), spec.kwargs.get("label")] for spec in form.fields]
    assert found == django_base_fields[name]


def test_auth_forms_field_order_and_framework_classes(auth_forms: dict[str, DjangoForm]) -> None:
    assert auth_forms["ChangePassword"].field_order == ["old_password", "new_password1", "new_password2"]
    assert auth_forms["NewPassword"].field_order is None
    assert auth_forms["AdminPassword"].framework_forms == [
        "django.contrib.auth.forms.AdminPasswordChangeForm",
        "django.contrib.auth.forms.SetUnusablePasswordMixin",
        "django.contrib.auth.forms.SetPasswordMixin",
    ]
    login = auth_forms["Login"]
    assert (login.base, login.kind, login.meta) == ("django.contrib.auth.forms.AuthenticationForm", "form", None)
    username = login.fields[0]
    assert (username.field_class, username.base) == (
        "django.contrib.auth.forms.UsernameField",
        "django.forms.CharField",
    )
    assert username.widget is not None and username.widget.attrs == {"autofocus": True}
    # Meta(BaseUserCreationForm.Meta) keeps field_classes: the username of SignUpWithoutConfirmation is a UsernameField.
    assert auth_forms["SignUpWithoutConfirmation"].meta is not None
    assert auth_forms["SignUpWithoutConfirmation"].meta.field_classes == {
        "username": Ref("django.contrib.auth.forms.UsernameField")
    }


# ------------------------------------------------------------------ the model discovery as the model source
SCHEMA_MODELS = """\
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.postgres.fields import ArrayField
from django.db import models
from taggit.managers import TaggableManager


class Stamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    touched = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Place(Stamped):
    class Kind(models.TextChoices):
        SHOP = "s", "Shop"
        PARK = "p", "Park"

    name = models.CharField("place name", max_length=50)
    kind = models.CharField(max_length=1, choices=Kind.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE)
    parent = models.ForeignKey("self", models.SET_NULL, null=True, blank=True)
    code = models.CharField(max_length=5, editable=False)
    total = models.GeneratedField(expression=models.F("id"), output_field=models.IntegerField(), db_persist=True)
    tags = TaggableManager()
    labels = ArrayField(models.CharField(max_length=10), blank=True)
    notes = GenericRelation("Note")


class Restaurant(Place):
    serves_pizza = models.BooleanField(default=False)


class BigPlace(Place):
    class Meta:
        proxy = True


class Note(models.Model):
    content_type = models.ForeignKey("contenttypes.ContentType", models.CASCADE)
    object_id = models.PositiveIntegerField()
    target = GenericForeignKey("content_type", "object_id")


class Step(models.Model):
    place = models.ForeignKey(Place, models.CASCADE)

    class Meta:
        order_with_respect_to = "place"
"""
SCHEMA_FORMS = """\
from django import forms

from .models import Restaurant


class RestaurantForm(forms.ModelForm):
    class Meta:
        model = Restaurant
        fields = ["id", "name", "kind", "owner", "parent", "serves_pizza"]


class BrokenRestaurantForm(forms.ModelForm):
    class Meta:
        model = Restaurant
        fields = ["name", "created"]
"""


def _schema_project() -> ProjectIndex:
    return index_of({"places/__init__.py": "", "places/models.py": SCHEMA_MODELS, "places/forms.py": SCHEMA_FORMS})


def test_schema_model_fields_read_the_model_discovery() -> None:
    index = _schema_project()
    source = schema_model_fields(discover_django_models(index), index)
    fields = source("places.models.Restaurant")
    assert fields is not None
    by_name = {f.name: f for f in fields}
    # The parent's fields first (its automatic id, the abstract base's, its own), then the child's; the
    # third-party TaggableManager, the ArrayField and the GenericForeignKey have no form field fwlint knows.
    assert list(by_name) == [
        "id", "created", "touched", "name", "kind", "owner", "parent", "code", "total", "notes", "place_ptr",
        "serves_pizza",
    ]  # fmt: skip
    not_editable = {f.name for f in fields if not f.editable}
    assert not_editable == {"id", "created", "touched", "code", "total", "notes", "place_ptr"}
    assert {f.name for f in fields if f.auto_created} == {"id", "place_ptr"}
    name = by_name["name"]
    assert (name.field_class, name.kwargs) == (
        "django.db.models.CharField",
        {"verbose_name": "place name", "max_length": 50},
    )
    assert by_name["kind"].kwargs["choices"] == [("s", "Shop"), ("p", "Park")]  # made literal from the index
    assert by_name["owner"].related_model == "django.contrib.auth.models.User"
    assert by_name["owner"].kwargs["on_delete"] == Ref("django.db.models.CASCADE")
    assert by_name["parent"].related_model == "places.models.Place"
    assert by_name["place_ptr"].related_model == "places.models.Place"
    proxy = source("places.models.BigPlace")
    assert proxy is not None and [f.name for f in proxy] == list(by_name)[:10]
    step = {f.name: f for f in source("places.models.Step") or []}
    assert (step["_order"].editable, step["_order"].auto_created) == (False, False)
    assert source("places.models.Nothing") is None
    # Without the index, choices stay as written.
    plain = schema_model_fields(discover_django_models(index))("places.models.Place")
    assert plain is not None and next(f for f in plain if f.name == "kind").kwargs["choices"] == Ref(
        "places.models.Place.Kind.choices"
    )


def test_schema_model_fields_know_djangos_own_models() -> None:
    users = schema_model_fields(DjangoSchema())("django.contrib.auth.models.User")
    assert users is not None
    assert [f.name for f in users] == [
        "id", "password", "last_login", "is_superuser", "groups", "user_permissions", "username", "first_name",
        "last_name", "email", "is_staff", "is_active", "date_joined",
    ]  # fmt: skip
    groups = next(f for f in users if f.name == "groups")
    assert (groups.field_class, groups.related_model) == (
        "django.db.models.ManyToManyField",
        "django.contrib.auth.models.Group",
    )
    username = next(f for f in users if f.name == "username")
    assert username.kwargs["validators"] == [
        CallValue("django.contrib.auth.validators.UnicodeUsernameValidator", (), (), "UnicodeUsernameValidator()")
    ]


def test_model_forms_through_the_schema() -> None:
    index = _schema_project()
    source = schema_model_fields(discover_django_models(index), index)
    forms = {form.name: form for form in discover_django_forms(index, source)}
    restaurant = forms["RestaurantForm"]
    assert restaurant.problems == []  # Django ignores the automatic id named in Meta.fields
    assert [(f.name, f.short_class) for f in restaurant.fields] == [
        ("name", "CharField"),
        ("kind", "TypedChoiceField"),
        ("owner", "ModelChoiceField"),
        ("parent", "ModelChoiceField"),
        ("serves_pizza", "BooleanField"),
    ]
    assert restaurant.fields[0].kwargs["label"] == "Place name"
    assert restaurant.fields[1].kwargs["choices"] == [("", "---------"), ("s", "Shop"), ("p", "Park")]
    assert restaurant.fields[2].related_model == "django.contrib.auth.models.User"
    assert forms["BrokenRestaurantForm"].problems == [
        "'created' is not editable: Django refuses it in Meta.fields (FieldError)."
    ]


def test_meta_inherited_through_a_base_without_its_own() -> None:
    index = index_of(
        {
            "shop/__init__.py": "",
            "shop/models.py": MODELS,
            "shop/forms.py": (
                "from django import forms\n\n"
                "from .models import Book\n\n\n"
                "class BaseBookForm(forms.ModelForm):\n"
                "    class Meta:\n"
                "        model = Book\n"
                '        fields = ["title", "pages"]\n\n\n'
                "class MiddleBookForm(BaseBookForm):\n"
                "    pass\n\n\n"
                "class LabelledBookForm(MiddleBookForm):\n"
                "    class Meta(MiddleBookForm.Meta):\n"
                '        labels = {"title": "Book title"}\n'
            ),
        }
    )
    forms = {form.name: form for form in discover_django_forms(index)}
    labelled = forms["LabelledBookForm"]
    # ``MiddleBookForm.Meta`` is BaseBookForm's Meta, which Python finds through the class.
    assert labelled.meta is not None and labelled.meta.model == "shop.models.Book"
    assert [(f.name, f.kwargs["label"]) for f in labelled.fields] == [("title", "Book title"), ("pages", "Pages")]
