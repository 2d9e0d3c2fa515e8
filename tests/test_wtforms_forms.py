"""Discovery of WTForms / Flask-WTF forms across a project (``fwlint.link.wtforms_forms``)."""

from __future__ import annotations

import time

from fwlint.facts import CallValue, Ref
from fwlint.link.form_types import FieldSpec, FormSpec
from fwlint.link.wtforms_forms import discover_forms, is_field_class
from tests.conftest import index_of

BASE = """\
from flask_wtf import FlaskForm
from wtforms import StringField, HiddenField
from wtforms.validators import Optional


class BaseForm(FlaskForm):
    class Meta:
        csrf = True
        locales = ["de_DE", "de"]

    next_url = HiddenField()
    note = StringField("Note", validators=[Optional()])

    def validate_note(self, field):
        pass

    def validate(self, extra_validators=None):
        return super().validate(extra_validators)
"""

FIELDS = """\
from wtforms import StringField
from wtforms.validators import ValidationError


class UpperField(StringField):
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = (self.data or "").upper()


class CodeField(UpperField):
    pass


def no_spaces(form, field):
    if " " in (field.data or ""):
        raise ValidationError("No spaces")


def length_between(low, high):
    def check(form, field):
        pass
    return check


class Unique:
    def __init__(self, model, column):
        self.model = model
        self.column = column

    def __call__(self, form, field):
        pass
"""

AUTH = """\
import wtforms as wtf
from wtforms import validators
from wtforms.fields import html5
from wtforms.validators import Length

from shop.forms import BaseForm
from shop.forms.fields import CodeField, Unique, length_between, no_spaces

name_length = Length(max=50)


class LoginForm(BaseForm):
    email = html5.EmailField("Email", [validators.DataRequired(), validators.Email()])
    password = wtf.PasswordField(label="Password", validators=[validators.data_required(), validators.Length(min=8)])
    code = CodeField("Code", validators=(no_spaces, length_between(2, 8), Unique(object, "code")))
    name = wtf.StringField("Name", validators=[name_length, validators.Required])
    remember = wtf.BooleanField("Remember me", default=True)
    submit = wtf.SubmitField("Sign in")

    def validate_email(self, field):
        pass

    def validate_something_else(self):
        pass
"""


def _project(extra: dict[str, str] | None = None) -> dict[str, FormSpec]:
    files = {
        "shop/__init__.py": "",
        "shop/forms/__init__.py": "from .base import BaseForm\n",
        "shop/forms/base.py": BASE,
        "shop/forms/fields.py": FIELDS,
        "shop/auth/__init__.py": "",
        "shop/auth/forms.py": AUTH,
        **(extra or {}),
    }
    return {form.qualname: form for form in discover_forms(index_of(files))}


def _field(form: FormSpec, name: str) -> FieldSpec:
    return next(f for f in form.fields if f.name == name)


def test_forms_are_found_through_reexports_and_other_modules() -> None:
    forms = _project()
    assert list(forms) == ["shop.forms.base.BaseForm", "shop.auth.forms.LoginForm"]
    login = forms["shop.auth.forms.LoginForm"]
    assert login.name == "LoginForm"
    assert login.base == "flask_wtf.FlaskForm"
    assert login.bases == ["BaseForm"]
    assert login.file == "shop/auth/forms.py"


def test_inherited_fields_come_first_and_name_their_class() -> None:
    login = _project()["shop.auth.forms.LoginForm"]
    assert [f.name for f in login.fields] == [
        "next_url", "note", "email", "password", "code", "name", "remember", "submit",
    ]  # fmt: skip
    note = _field(login, "note")
    assert note.inherited_from == "BaseForm"
    assert note.file == "shop/forms/base.py"
    assert _field(login, "email").inherited_from is None
    base = _project()["shop.forms.base.BaseForm"]
    assert _field(base, "note").inherited_from is None


def test_aliases_and_module_attributes_are_canonical() -> None:
    login = _project()["shop.auth.forms.LoginForm"]
    email = _field(login, "email")
    assert email.field_type == "wtforms.EmailField"
    assert email.label == "Email"
    assert [v.name for v in email.validators] == ["wtforms.validators.DataRequired", "wtforms.validators.Email"]
    password = _field(login, "password")
    assert password.field_type == "wtforms.PasswordField"
    assert password.label == "Password"
    assert [v.name for v in password.validators] == ["wtforms.validators.DataRequired", "wtforms.validators.Length"]
    assert password.validators[1].kwargs == {"min": 8}
    assert password.validators[1].code == "validators.Length(min=8)"


def test_validators_written_as_references_instances_and_project_code() -> None:
    login = _project()["shop.auth.forms.LoginForm"]
    code = _field(login, "code")
    assert code.field_type == "project:CodeField"
    assert code.base == "wtforms.StringField"  # through UpperField
    assert [v.name for v in code.validators] == ["project:no_spaces", "project:length_between", "project:Unique"]
    assert code.validators[1].args == (2, 8)
    name = _field(login, "name")
    # ``name_length = Length(max=50)`` at module level, and the WTForms 2 ``Required`` class without a call.
    assert [v.name for v in name.validators] == ["wtforms.validators.Length", "wtforms.validators.DataRequired"]
    assert name.validators[0].kwargs == {"max": 50}
    assert name.validators[1].code == "Required"


def test_other_keyword_arguments_are_kept() -> None:
    login = _project()["shop.auth.forms.LoginForm"]
    assert _field(login, "remember").kwargs == {"default": True}
    assert _field(login, "submit").field_type == "wtforms.SubmitField"


def test_meta_and_methods() -> None:
    forms = _project()
    login = forms["shop.auth.forms.LoginForm"]
    assert login.meta == {"csrf": True, "locales": ["de_DE", "de"]}  # inherited from BaseForm's Meta
    assert login.field_validators == {"note": "validate_note", "email": "validate_email"}
    assert login.methods == ["validate", "validate_something_else"]


def test_spans_point_at_each_field_call() -> None:
    login = _project()["shop.auth.forms.LoginForm"]
    lines = AUTH.splitlines()
    for field in login.fields:
        if field.inherited_from is not None:
            continue
        text = lines[field.span.line - 1][field.span.column - 1 : field.span.end_column - 1]
        assert field.span.line == field.span.end_line
        assert text.startswith(("html5.", "wtf.", "CodeField(")), text
        assert lines[field.span.line - 1].lstrip().startswith(field.name + " = ")
    note = _field(login, "note")
    assert BASE.splitlines()[note.span.line - 1].strip().startswith("note = StringField(")


def test_nested_calls_do_not_shift_spans() -> None:
    source = """\
from wtforms import FieldList, Form, FormField, StringField
from wtforms.validators import DataRequired


class AddressForm(Form):
    street = StringField("Street")


class ProfileForm(Form):
    tags = FieldList(StringField("Tag", [DataRequired()]), min_entries=1)
    name = StringField("Name")
    addresses = FieldList(FormField(AddressForm))
    nick = StringField("Nick")
"""
    forms = {f.name: f for f in discover_forms(index_of({"app/forms.py": source}))}
    profile = forms["ProfileForm"]
    assert [(f.name, f.span.line, f.span.column) for f in profile.fields] == [
        ("tags", 10, 12),
        ("name", 11, 12),
        ("addresses", 12, 17),
        ("nick", 13, 12),
    ]
    tags = _field(profile, "tags")
    assert tags.field_type == "wtforms.FieldList"
    assert tags.label is None
    assert tags.kwargs == {"min_entries": 1}
    entry = tags.args[0]
    assert isinstance(entry, CallValue)
    assert entry.callee == "wtforms.StringField"
    assert entry.args[1] == [CallValue("wtforms.validators.DataRequired", (), (), "DataRequired()")]
    addresses = _field(profile, "addresses")
    inner = addresses.args[0]
    assert isinstance(inner, CallValue)
    assert inner.callee == "wtforms.FormField"
    assert inner.args == (Ref("app.forms.AddressForm"),)


def test_positional_arguments_follow_the_constructor_signatures() -> None:
    source = """\
from wtforms import DateField, DecimalField, Form, SelectField, StringField
from wtforms.validators import Optional


class EventForm(Form):
    title = StringField("Title", [Optional()], None, "The event's title")
    day = DateField("Day", [Optional()], "%d.%m.%Y")
    fee = DecimalField("Fee", None, 2)
    room = SelectField("Room", [], int, [(1, "A"), (2, "B")])
"""
    event = discover_forms(index_of({"app/forms.py": source}))[0]
    title, day, fee, room = event.fields
    assert title.kwargs == {"filters": None, "description": "The event's title"}
    assert day.kwargs == {"format": "%d.%m.%Y"}
    assert day.validators[0].name == "wtforms.validators.Optional"
    assert fee.validators == []
    assert fee.kwargs == {"places": 2}
    assert room.kwargs["choices"] == [(1, "A"), (2, "B")]
    assert set(room.kwargs) == {"coerce", "choices"}


def test_html5_sqlalchemy_and_flask_wtf_fields() -> None:
    source = """\
from flask_wtf import Form, RecaptchaField
from flask_wtf.file import FileAllowed, FileField, FileRequired, MultipleFileField
from wtforms import fields
from wtforms.ext.sqlalchemy.fields import QuerySelectMultipleField
from wtforms_sqlalchemy.fields import QuerySelectField

from .models import Category


class PostForm(Form):
    category = QuerySelectField("Category", query_factory=lambda: Category.query, get_label="name", allow_blank=True)
    tags = QuerySelectMultipleField("Tags")
    image = FileField("Image", validators=[FileRequired(), FileAllowed(["jpg", "png"], "Images only")])
    extra = MultipleFileField("More")
    captcha = RecaptchaField()
    when = fields.DateTimeLocalField("When")
    site = fields.URLField("Site")
"""
    post = discover_forms(index_of({"app/__init__.py": "", "app/forms.py": source, "app/models.py": ""}))[0]
    assert post.base == "flask_wtf.FlaskForm"  # flask_wtf.Form is the old name
    assert [f.field_type for f in post.fields] == [
        "wtforms_sqlalchemy.fields.QuerySelectField",
        "wtforms_sqlalchemy.fields.QuerySelectMultipleField",
        "flask_wtf.file.FileField",
        "flask_wtf.file.MultipleFileField",
        "flask_wtf.recaptcha.RecaptchaField",
        "wtforms.DateTimeLocalField",
        "wtforms.URLField",
    ]
    category = post.fields[0]
    assert set(category.kwargs) == {"query_factory", "get_label", "allow_blank"}
    image = post.fields[2]
    assert [v.name for v in image.validators] == ["flask_wtf.file.FileRequired", "flask_wtf.file.FileAllowed"]
    assert image.validators[1].args == (["jpg", "png"], "Images only")


def test_overridden_and_hidden_fields_and_mixins() -> None:
    source = """\
from wtforms import Form, IntegerField, StringField, TextAreaField


class TimestampMixin:
    created = StringField("Created")


class ArticleForm(Form):
    title = StringField("Title")
    body = StringField("Body")
    slug = StringField("Slug")
    _secret = StringField("Not a field")


class EditArticleForm(TimestampMixin, ArticleForm):
    body = TextAreaField("Body")
    slug = None
    views = IntegerField("Views")
"""
    forms = {f.name: f for f in discover_forms(index_of({"app/forms.py": source}))}
    assert set(forms) == {"ArticleForm", "EditArticleForm"}  # the mixin alone is no form
    edit = forms["EditArticleForm"]
    assert edit.bases == ["TimestampMixin", "ArticleForm"]
    assert [(f.name, f.field_type, f.inherited_from) for f in edit.fields] == [
        ("title", "wtforms.StringField", "ArticleForm"),
        ("created", "wtforms.StringField", "TimestampMixin"),
        ("body", "wtforms.TextAreaField", None),
        ("views", "wtforms.IntegerField", None),
    ]
    assert [f.name for f in forms["ArticleForm"].fields] == ["title", "body", "slug"]


def test_project_field_subclass_inside_a_field_list() -> None:
    source = """\
from wtforms import FieldList, Form
from shop.forms.fields import UpperField


class CodesForm(Form):
    codes = FieldList(UpperField("Code"), min_entries=2)
    single = UpperField()
"""
    forms = discover_forms(
        index_of({"shop/__init__.py": "", "shop/forms/__init__.py": "", "shop/forms/fields.py": FIELDS,
                  "shop/codes.py": source})
    )  # fmt: skip
    codes = forms[0]
    entry = codes.fields[0].args[0]
    assert isinstance(entry, CallValue)
    assert entry.callee == "wtforms.StringField"
    assert codes.fields[1].field_type == "project:UpperField"
    assert codes.fields[1].base == "wtforms.StringField"


def test_plain_classes_and_inheritance_cycles_are_not_forms() -> None:
    source = """\
from wtforms import StringField


class NotAForm:
    name = StringField("Name")


class A(B):
    pass


class B(A):
    pass
"""
    assert discover_forms(index_of({"app/forms.py": source})) == []


def test_is_field_class() -> None:
    assert is_field_class("wtforms.StringField")
    assert is_field_class("wtforms.FieldList")
    assert is_field_class("wtforms_sqlalchemy.fields.QuerySelectField")
    assert is_field_class("flask_wtf.file.FileField")
    assert not is_field_class("wtforms.Form")
    assert not is_field_class("wtforms.validators.DataRequired")
    assert not is_field_class("wtforms.widgets.TextInput")


def test_large_forms_stay_linear_and_exact() -> None:
    count = 3000
    body = "\n".join(f'    f{i} = StringField("F{i}", [DataRequired(), Length(max={i + 1})])' for i in range(count))
    source = "from wtforms import Form, StringField\nfrom wtforms.validators import DataRequired, Length\n\n\n"
    source += "class Big(Form):\n" + body + "\n"
    index = index_of({"app/forms.py": source})
    started = time.perf_counter()
    big = discover_forms(index)[0]
    elapsed = time.perf_counter() - started
    assert len(big.fields) == count
    assert all(f.span[:3] == (6 + i, 5 + len(f"f{i} = "), 6 + i) for i, f in enumerate(big.fields))
    assert big.fields[-1].validators[1].kwargs == {"max": count}
    assert elapsed < 5
