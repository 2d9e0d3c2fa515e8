"""WTForms fields and validators → Django form field code (``fwlint.translate.django_forms``).

Each case goes from WTForms source, through discovery, to the exact Django code; every
generated snippet must parse (libcst) and whole forms must compile.
"""

from __future__ import annotations

import libcst
import pytest

from fwlint.facts import Span
from fwlint.link.form_types import FieldSpec, FormSpec, ValidatorSpec
from fwlint.link.orm_types import ColumnSpec, ForeignKeySpec, ModelSpec, OrmSchema, RelationshipSpec, TypeSpec
from fwlint.link.wtforms_forms import discover_forms
from fwlint.translate.django_forms import (
    FormCode,
    FormFieldCode,
    django_form,
    django_form_field,
    django_forms_module,
    model_form_candidate,
)
from tests.conftest import index_of

HEAD = """\
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm, RecaptchaField
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize, MultipleFileField
from wtforms import (
    BooleanField, ButtonField, DateField, DateTimeField, DateTimeLocalField, DecimalField, EmailField, FieldList,
    FloatField, Form, FormField, HiddenField, IntegerField, IntegerRangeField, MonthField, PasswordField, RadioField,
    SearchField, SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField, TelField, TextAreaField,
    TimeField, URLField, WeekField,
)
from wtforms.validators import (
    UUID, URL, AnyOf, DataRequired, DateRange, Disabled, Email, EqualTo, InputRequired, IPAddress, Length, MacAddress,
    NoneOf, NumberRange, Optional, ReadOnly, Regexp,
)
from wtforms_sqlalchemy.fields import QuerySelectField, QuerySelectMultipleField

from .choices import load_kinds
from .fields import UpperField, no_spaces
from .models import Category, Tag


class AddressForm(Form):
    street = StringField("Street")
"""
FIELDS = """\
from wtforms import StringField


class UpperField(StringField):
    pass


def no_spaces(form, field):
    pass
"""


def _form(body: str, base: str = "FlaskForm") -> FormSpec:
    source = HEAD + f"\n\nclass ProfileForm({base}):\n" + "\n".join("    " + line for line in body.splitlines()) + "\n"
    files = {"app/__init__.py": "", "app/forms.py": source, "app/fields.py": FIELDS, "app/models.py": ""}
    return next(f for f in discover_forms(index_of(files)) if f.name == "ProfileForm")


def translate(line: str) -> FormFieldCode:
    form = _form(line)
    return django_form_field(form.fields[0], form)


def _parses(code: str) -> None:
    libcst.parse_module(code + "\n")


CASES = [
    (
        'name = StringField("Name")',
        'name = forms.CharField(label="Name", required=False)',
        True,
    ),
    (
        'name = StringField("Name", [DataRequired(message="Required!")])',
        'name = forms.CharField(label="Name", error_messages={"required": "Required!"})',
        True,
    ),
    (
        'name = StringField("Name", validators=[Optional(), Length(max=50)])',
        'name = forms.CharField(label="Name", max_length=50, required=False)',
        True,
    ),
    (
        (
            'name = StringField("Name", validators=[Length(min=2, max=5, message="Between %(min)d and %(max)d, '
            'got %(length)d")])'
        ),
        (
            "name = forms.CharField(\n"
            '    label="Name",\n'
            "    min_length=2,\n"
            "    max_length=5,\n"
            '    error_messages={"min_length": "Between 2 and 5, got %(show_value)d", '
            '"max_length": "Between 2 and 5, got %(show_value)d"},\n'
            ")"
        ),
        True,
    ),
    (
        'bio = TextAreaField("Bio", render_kw={"rows": 4, "placeholder": "About you"})',
        (
            "bio = forms.CharField(\n"
            '    label="Bio",\n'
            "    required=False,\n"
            '    widget=forms.Textarea(attrs={"rows": 4, "placeholder": "About you"}),\n'
            ")"
        ),
        True,
    ),
    (
        'pw = PasswordField("Password", [InputRequired()])',
        'pw = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput)',
        True,
    ),
    (
        'email = EmailField("Email")',
        'email = forms.EmailField(label="Email", required=False)',
        False,
    ),
    (
        'email = EmailField("Email", [DataRequired(), Email(message="Bad address")])',
        'email = forms.EmailField(label="Email", error_messages={"invalid": "Bad address"})',
        True,
    ),
    (
        'email = StringField("Email", [Optional(), Email()])',
        'email = forms.EmailField(label="Email", required=False)',
        True,
    ),
    (
        'site = URLField("Website", [Optional(), URL()])',
        (
            "site = forms.CharField(\n"
            '    label="Website",\n'
            "    required=False,\n"
            "    widget=forms.URLInput,\n"
            "    validators=[URLValidator()],\n"
            ")"
        ),
        True,
    ),
    (
        'site = URLField("Website")',
        'site = forms.CharField(label="Website", required=False, widget=forms.URLInput)',
        True,
    ),
    (
        'phone = TelField("Phone", [DataRequired()])',
        'phone = forms.CharField(label="Phone", widget=forms.TelInput)',
        True,
    ),
    (
        'q = SearchField("Search")',
        'q = forms.CharField(label="Search", required=False, widget=forms.SearchInput)',
        True,
    ),
    (
        'age = IntegerField("Age", [NumberRange(min=18, max=130, message="%(min)s to %(max)s")])',
        (
            "age = forms.IntegerField(\n"
            '    label="Age",\n'
            "    min_value=18,\n"
            "    max_value=130,\n"
            '    error_messages={"min_value": "18 to 130", "max_value": "18 to 130"},\n'
            ")"
        ),
        True,
    ),
    (
        'age = IntegerField("Age", [Optional()])',
        'age = forms.IntegerField(label="Age", required=False)',
        True,
    ),
    (
        'age = IntegerField("Age", [DataRequired()])',
        'age = forms.IntegerField(label="Age")',
        False,
    ),
    (
        'price = DecimalField("Price", places=2)',
        'price = forms.DecimalField(label="Price", decimal_places=2)',
        False,
    ),
    (
        'price = DecimalField("Price", [Optional()])',
        'price = forms.DecimalField(label="Price", required=False)',
        True,
    ),
    (
        'ratio = FloatField("Ratio", [Optional()])',
        'ratio = forms.FloatField(label="Ratio", required=False)',
        True,
    ),
    (
        'agree = BooleanField("Agree", [DataRequired()])',
        'agree = forms.BooleanField(label="Agree")',
        True,
    ),
    (
        'agree = BooleanField("Agree")',
        'agree = forms.BooleanField(label="Agree", required=False)',
        True,
    ),
    (
        'when = DateField("When", format="%d/%m/%Y")',
        (
            "when = forms.DateField(\n"
            '    label="When",\n'
            '    input_formats=["%d/%m/%Y"],\n'
            '    widget=forms.DateInput(attrs={"type": "date"}),\n'
            ")"
        ),
        True,
    ),
    (
        'at = DateTimeField("At", [Optional()])',
        'at = forms.DateTimeField(label="At", input_formats=["%Y-%m-%d %H:%M:%S"], required=False)',
        True,
    ),
    (
        'at = DateTimeLocalField("At", [Optional()])',
        (
            "at = forms.DateTimeField(\n"
            '    label="At",\n'
            '    input_formats=["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],\n'
            "    required=False,\n"
            '    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),\n'
            ")"
        ),
        True,
    ),
    (
        't = TimeField("Time", [Optional()])',
        (
            "t = forms.TimeField(\n"
            '    label="Time",\n'
            '    input_formats=["%H:%M"],\n'
            "    required=False,\n"
            '    widget=forms.TimeInput(attrs={"type": "time"}),\n'
            ")"
        ),
        True,
    ),
    (
        'm = MonthField("Month", [Optional()])',
        (
            "m = forms.DateField(\n"
            '    label="Month",\n'
            '    input_formats=["%Y-%m"],\n'
            "    required=False,\n"
            '    widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),\n'
            ")"
        ),
        True,
    ),
    (
        'kind = SelectField("Kind", choices=[("a", "A"), ("b", "B")])',
        'kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")])',
        True,
    ),
    (
        'kind = SelectField("Kind", choices=[("", "---"), ("a", "A")])',
        'kind = forms.ChoiceField(label="Kind", choices=[("", "---"), ("a", "A")], required=False)',
        True,
    ),
    (
        'kind = SelectField("Kind", choices=["a", "b"], validators=[Optional()])',
        'kind = forms.ChoiceField(label="Kind", choices=[("a", "a"), ("b", "b")], required=False)',
        True,
    ),
    (
        'kind = SelectField("Kind", choices=[(1, "One"), (2, "Two")], coerce=int, validators=[Optional()])',
        (
            "kind = forms.TypedChoiceField(\n"
            '    label="Kind",\n'
            '    choices=[(1, "One"), (2, "Two")],\n'
            "    coerce=int,\n"
            "    required=False,\n"
            "    empty_value=None,\n"
            ")"
        ),
        True,
    ),
    (
        'kind = SelectField("Kind", choices=load_kinds)',
        'kind = forms.ChoiceField(label="Kind", choices=load_kinds)',
        True,
    ),
    (
        'kind = SelectField("Kind", choices=[("a", "A")], validate_choice=False)',
        'kind = forms.CharField(label="Kind", required=False, widget=forms.Select(choices=[("a", "A")]))',
        True,
    ),
    (
        'tags = SelectMultipleField("Tags", choices=[(1, "x"), (2, "y")], coerce=int)',
        (
            "tags = forms.TypedMultipleChoiceField(\n"
            '    label="Tags",\n'
            '    choices=[(1, "x"), (2, "y")],\n'
            "    coerce=int,\n"
            "    required=False,\n"
            ")"
        ),
        True,
    ),
    (
        'tags = SelectMultipleField("Tags", choices=[("x", "X")])',
        'tags = forms.MultipleChoiceField(label="Tags", choices=[("x", "X")], required=False)',
        True,
    ),
    (
        'size = RadioField("Size", choices=[("s", "S"), ("m", "M")])',
        (
            "size = forms.ChoiceField(\n"
            '    label="Size",\n'
            '    choices=[("s", "S"), ("m", "M")],\n'
            "    widget=forms.RadioSelect,\n"
            ")"
        ),
        True,
    ),
    (
        "token = HiddenField()",
        "token = forms.CharField(required=False, widget=forms.HiddenInput)",
        True,
    ),
    (
        (
            'photo = FileField("Photo", validators=[FileRequired(), FileAllowed(["jpg", "png"], '
            '"Images only: {extensions}")])'
        ),
        (
            "photo = forms.FileField(\n"
            '    label="Photo",\n'
            '    validators=[FileExtensionValidator(allowed_extensions=["jpg", "png"], '
            'message="Images only: {extensions}")],\n'
            ")"
        ),
        True,
    ),
    (
        'photo = FileField("Photo", validators=[FileSize(max_size=1024)])',
        'photo = forms.FileField(label="Photo", required=False)',
        False,
    ),
    (
        'photos = MultipleFileField("Photos", validators=[FileRequired()])',
        'photos = MultipleFileField(label="Photos")',
        True,
    ),
    (
        (
            'cat = QuerySelectField("Category", query_factory=lambda: Category.query.all(), get_label="name", '
            'allow_blank=True, blank_text="(none)")'
        ),
        (
            "cat = ProfileCatChoiceField(\n"
            '    label="Category",\n'
            "    queryset=Category.objects.all(),\n"
            '    empty_label="(none)",\n'
            "    required=False,\n"
            ")"
        ),
        True,
    ),
    (
        'cat = QuerySelectField("Category", query_factory=lambda: Category.query.filter_by(active=True))',
        'cat = forms.ModelChoiceField(label="Category", queryset=None, empty_label=None)',
        False,
    ),
    (
        'tags = QuerySelectMultipleField("Tags", query_factory=lambda: Tag.query)',
        'tags = forms.ModelMultipleChoiceField(label="Tags", queryset=Tag.objects.all(), required=False)',
        True,
    ),
    (
        'code = StringField("Code", [Regexp(r"^[A-Z]{3}$", message="Three capitals")])',
        (
            "code = forms.CharField(\n"
            '    label="Code",\n'
            '    validators=[RegexValidator(r"^[A-Z]{3}$", message="Three capitals")],\n'
            ")"
        ),
        True,
    ),
    (
        'code = StringField("Code", [Regexp("[a-z]+", flags=re.I)])',
        (
            "code = forms.CharField(\n"
            '    label="Code",\n'
            "    required=False,\n"
            '    validators=[RegexValidator(r"\\A(?:[a-z]+)", flags=re.I)],\n'
            ")"
        ),
        True,
    ),
    (
        'ip = StringField("IP", [IPAddress()])',
        'ip = forms.GenericIPAddressField(label="IP", protocol="IPv4")',
        True,
    ),
    (
        'ip = StringField("IP", [IPAddress(ipv6=True, ipv4=False)])',
        'ip = forms.GenericIPAddressField(label="IP", protocol="IPv6")',
        False,
    ),
    (
        'mac = StringField("MAC", [MacAddress()])',
        (
            "mac = forms.CharField(\n"
            '    label="MAC",\n'
            '    validators=[RegexValidator(r"^(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$", '
            'message="Invalid Mac address.")],\n'
            ")"
        ),
        True,
    ),
    (
        'uid = StringField("UUID", [UUID()])',
        'uid = forms.UUIDField(label="UUID")',
        False,
    ),
    (
        'ro = StringField("Locked", [ReadOnly()])',
        'ro = forms.CharField(label="Locked", disabled=True, required=False)',
        False,
    ),
    (
        'title = StringField("Title", default="Untitled", description="Shown on top", filters=[str.strip])',
        (
            "title = forms.CharField(\n"
            '    label="Title",\n'
            '    initial="Untitled",\n'
            '    help_text="Shown on top",\n'
            "    required=False,\n"
            ")"
        ),
        True,
    ),
    (
        'title = StringField("Title", filters=[lambda s: s.lower() if s else s])',
        'title = forms.CharField(label="Title", required=False)',
        False,
    ),
]


@pytest.mark.parametrize(("before", "after", "exact"), CASES, ids=[c[0].split(" = ")[1][:40] for c in CASES])
def test_field_translation(before: str, after: str, exact: bool) -> None:
    result = translate(before)
    assert result.code == after
    assert result.exact is exact
    _parses(after)


def test_optional_by_default_becomes_required_false() -> None:
    """The trap: WTForms fields are optional unless a validator says otherwise."""
    assert translate('nickname = StringField("Nickname")').arguments["required"] == "False"
    assert "required" not in translate('nickname = StringField("Nickname", [DataRequired()])').arguments
    assert translate('agree = BooleanField("Agree")').arguments["required"] == "False"
    # Optional() after DataRequired(): DataRequired stops the chain first, so the field stays required.
    assert "required" not in translate('n = StringField("N", [DataRequired(), Optional()])').arguments
    assert translate('n = StringField("N", [Optional(), DataRequired()])').arguments["required"] == "False"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('age = IntegerField("Age")', "WTForms rejects an empty integer value"),
        ('day = DateField("Day")', "WTForms rejects an empty date value"),
        ('nick = StringField("Nick", [Length(min=3)])', "Length(min=3) rejects an empty value"),
        ('mail = StringField("Mail", [Email()])', "Email() rejects an empty value"),
        ('kind = SelectField("Kind", choices=[("a", "A")])', "a choice field rejects a value that is not one"),
        ('zip = StringField("Zip", [Regexp(r"\\d{5}")])', "its Regexp does not match an empty value"),
        ('cat = QuerySelectField("Cat", query_factory=lambda: Category.query)', "without allow_blank=True"),
    ],
)
def test_fields_that_reject_empty_values_stay_required(line: str, reason: str) -> None:
    result = translate(line)
    assert "required" not in result.arguments
    assert any(note.startswith("Kept required") and reason in note for note in result.notes), result.notes


def test_empty_value_accepted_by_the_validators_keeps_the_field_optional() -> None:
    assert translate('code = StringField("Code", [Regexp("[a-z]*")])').arguments["required"] == "False"
    assert translate('tags = SelectMultipleField("Tags", choices=[("a", "A")])').arguments["required"] == "False"
    assert translate('nick = StringField("Nick", [NoneOf(["admin"])])').arguments["required"] == "False"


def test_submit_and_button_fields_become_template_buttons() -> None:
    for line in ('submit = SubmitField("Save")', 'preview = ButtonField("Preview")'):
        result = translate(line)
        assert result.code is None
        assert result.exact
        assert result.comment == 'a <button type="submit"> in the template'
        assert '<button type="submit"' in result.notes[0]
    form = django_form(_form('name = StringField("Name")\nsubmit = SubmitField("Save")'))
    assert '    # submit: a <button type="submit"> in the template' in form.code


def test_recaptcha_has_no_core_equivalent() -> None:
    result = translate("captcha = RecaptchaField()")
    assert result.code is None
    assert not result.exact
    assert "django-recaptcha" in result.notes[0]


def test_field_list_of_fields_becomes_an_entry_form_and_formset() -> None:
    result = translate('items = FieldList(StringField("Item", [DataRequired()]), min_entries=2)')
    assert result.code is None
    assert not result.exact
    assert result.companion == (
        "class ProfileItemsEntryForm(forms.Form):\n"
        '    value = forms.CharField(label="Item")\n'
        "\n"
        "\n"
        "ProfileItemsFormSet = forms.formset_factory(ProfileItemsEntryForm, extra=0, min_num=2, validate_min=True)"
    )
    assert any("items-0-value instead of items-0" in note for note in result.notes)
    _parses(result.companion)


def test_field_list_of_optional_entries_does_not_validate_the_minimum() -> None:
    result = translate('tags = FieldList(StringField("Tag"), min_entries=1)')
    assert result.companion is not None
    assert result.companion.endswith("forms.formset_factory(ProfileTagsEntryForm, extra=0, min_num=1)")


def test_field_list_of_form_fields_uses_the_sub_form() -> None:
    result = translate("addresses = FieldList(FormField(AddressForm), min_entries=1, max_entries=3)")
    assert result.companion == (
        "ProfileAddressesFormSet = forms.formset_factory(\n"
        "    AddressForm,\n"
        "    extra=0,\n"
        "    min_num=1,\n"
        "    validate_min=True,\n"
        "    max_num=3,\n"
        "    validate_max=True,\n"
        ")"
    )
    assert any("silently drops entries beyond max_entries" in note for note in result.notes)
    assert any("addresses-0-<field>, as before" in note for note in result.notes)


def test_form_field_becomes_a_prefixed_second_form() -> None:
    result = translate("address = FormField(AddressForm)")
    assert result.code is None
    assert not result.exact
    assert result.notes[0].startswith(
        'FormField(AddressForm): bind AddressForm(request.POST or None, prefix="address")'
    )


def test_query_select_field_label_helper_and_queryset() -> None:
    result = translate(
        'cat = QuerySelectField("Category", query_factory=lambda: Category.query.all(), get_label="name", '
        'allow_blank=True, blank_text="(none)")'
    )
    assert result.helpers == [
        "class ProfileCatChoiceField(forms.ModelChoiceField):\n"
        "    def label_from_instance(self, obj):\n"
        "        return obj.name"
    ]
    assert "from .models import Category" in result.imports
    assert result.arguments["required"] == "False"
    assert result.arguments["empty_label"] == '"(none)"'
    _parses(result.helpers[0])


def test_query_select_field_with_a_callable_label_and_no_blank() -> None:
    result = translate(
        'cat = QuerySelectField("Cat", query_factory=lambda: Category.query, get_label=lambda c: c.title)'
    )
    assert result.helpers[0].endswith("        return (lambda c: c.title)(obj)")
    assert result.arguments["empty_label"] == "None"
    assert "required" not in result.arguments


def test_query_select_field_without_a_factory() -> None:
    result = translate('cat = QuerySelectField("Cat")')
    assert result.arguments["queryset"] == "None"
    assert not result.exact
    assert 'self.fields["cat"].queryset' in result.notes[0]


def test_multiple_file_field_helper() -> None:
    result = translate('photos = MultipleFileField("Photos")')
    helper = result.helpers[0]
    assert "class MultipleFileInput(forms.ClearableFileInput):\n    allow_multiple_selected = True" in helper
    assert "class MultipleFileField(forms.FileField):" in helper
    _parses(helper)
    form = django_form(_form('a = MultipleFileField("A")\nb = MultipleFileField("B")'))
    assert form.code.count("class MultipleFileField") == 1
    assert any("request.FILES" in note for note in form.notes)


def test_flask_wtf_file_field_is_the_same_as_wtforms() -> None:
    assert translate('f = FileField("F")').code == 'f = forms.FileField(label="F", required=False)'


def test_select_choice_objects_become_pairs_and_groups() -> None:
    result = translate(
        'kind = SelectField("Kind", choices=[SelectChoice("a", "A"), SelectChoice("b", optgroup="G"), '
        'SelectChoice(value="c", label="C", optgroup="G")])'
    )
    assert result.arguments["choices"] == '[("a", "A"), ("G", [("b", "b"), ("c", "C")])]'


def test_equal_to_becomes_a_clean_check() -> None:
    form = _form(
        'password = PasswordField("Password", [DataRequired()])\n'
        'confirm = PasswordField("Repeat", [EqualTo("password", message="Must equal %(other_label)s")])'
    )
    code = django_form(form)
    confirm = code.fields[1]
    assert not confirm.exact
    assert confirm.clean_checks == [
        'if "confirm" in cleaned_data and "password" in cleaned_data:\n'
        '    if cleaned_data["confirm"] != cleaned_data["password"]:\n'
        '        self.add_error("confirm", "Must equal Password")'
    ]
    assert (
        "    def clean(self):\n"
        "        cleaned_data = super().clean()\n"
        '        if "confirm" in cleaned_data and "password" in cleaned_data:\n'
        '            if cleaned_data["confirm"] != cleaned_data["password"]:\n'
        '                self.add_error("confirm", "Must equal Password")\n'
        "        return cleaned_data"
    ) in code.code
    assert not code.exact


def test_equal_to_default_message_names_the_other_field() -> None:
    form = _form('a = StringField("A")\nb = StringField("B", [EqualTo("a")])')
    assert django_form(form).fields[1].clean_checks[0].endswith('self.add_error("b", "Field must be equal to a.")')


def test_validate_methods_become_clean_stubs() -> None:
    form = _form(
        'email = StringField("Email", [DataRequired()])\n'
        "\n"
        "def validate_email(self, field):\n"
        "    pass\n"
        "\n"
        "def validate(self, extra_validators=None):\n"
        "    return super().validate(extra_validators)\n"
        "\n"
        "def helper(self):\n"
        "    return 1\n"
    )
    code = django_form(form)
    assert (
        "    def clean_email(self):\n"
        '        value = self.cleaned_data["email"]\n'
        "        # Port ProfileForm.validate_email(self, field) here: read `value` instead of field.data,\n"
        "        # raise forms.ValidationError(...) instead of wtforms' ValidationError.\n"
        "        return value\n"
    ) in code.code
    assert "    def clean(self):\n        cleaned_data = super().clean()\n        # Port the cross-field" in code.code
    assert "Method helper() must be ported by hand." in code.notes
    assert not code.exact
    compile(code.code, "forms.py", "exec")


def test_meta_csrf_off_needs_csrf_exempt() -> None:
    code = django_form(_form('name = StringField("Name")\n\nclass Meta:\n    csrf = False\n    locales = ["de"]'))
    assert any("csrf_exempt" in note for note in code.notes)
    assert "Meta options locales have no Django counterpart." in code.notes
    assert not code.exact


def test_project_field_classes_and_validators() -> None:
    result = translate('code = UpperField("Code", [DataRequired(), no_spaces])')
    assert result.code == 'code = forms.CharField(label="Code")'
    assert not result.exact
    assert "`UpperField` is the project's own field class (extends `wtforms.StringField`)" in result.notes[0]
    assert result.notes[1].startswith("Project validator `no_spaces`: rewrite it as a Django validator")


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ('w = WeekField("Week")', "Django has no week field"),
        ('c = StringField("C", [AnyOf(["red", "blue"])])', 'AnyOf(["red", "blue"]): Django has no such validator'),
        ('n = StringField("N", [NoneOf(["admin"])])', "NoneOf"),
        ('d = DateField("D", [DateRange(min=None)])', "DateRange: check the bounds in clean_d()"),
        ('x = StringField("X", [Disabled()])', "disabled=True: Django ignores submitted data"),
        ('f = FileField("F", [FileSize(max_size=1024)])', "FileSize(1024): write a validator checking value.size"),
        ('f = FileField("F", [FileAllowed(IMAGES)])', "FileAllowed(IMAGES)"),
        ('t = StringField("T", filters=[lambda s: s.lower() if s else s])', "apply them in clean_t()"),
        ('n = IntegerField("N", [DataRequired()])', "DataRequired rejects 0"),
        ('p = DecimalField("P", places=3)', "`places` only rounds the displayed value"),
        ('e = EmailField("E")', "also validates the address on the server"),
    ],
)
def test_inexact_translations_say_what_to_do(line: str, fragment: str) -> None:
    result = translate(line)
    assert not result.exact
    assert any(fragment in note for note in result.notes), result.notes
    if result.code is not None:
        _parses(result.code)


def test_messages_written_as_code_are_kept() -> None:
    result = translate('n = StringField("N", [DataRequired(message=_l("Tell us"))])')
    assert result.arguments["error_messages"] == '{"required": _l("Tell us")}'
    assert any('`_l("Tell us")` is copied as written' in note for note in result.notes)


def test_arguments_default_description_render_kw_and_id() -> None:
    result = translate('n = StringField("N", default="x", description="Help", render_kw={"class": "wide"}, id="nm")')
    assert result.code == (
        "n = forms.CharField(\n"
        '    label="N",\n'
        '    initial="x",\n'
        '    help_text="Help",\n'
        "    required=False,\n"
        '    widget=forms.TextInput(attrs={"class": "wide", "id": "nm"}),\n'
        ")"
    )
    assert any("default= → initial=" in note for note in result.notes)


def test_whole_form_code() -> None:
    form = _form(
        'email = StringField("Email", validators=[DataRequired(), Email()])\n'
        'password = PasswordField("Password", validators=[DataRequired(), Length(min=8)])\n'
        'remember = BooleanField("Remember me")\n'
        'submit = SubmitField("Sign in")',
        base="Form",
    )
    code = django_form(form)
    assert code.imports == ["from django import forms"]
    assert code.code == (
        "class ProfileForm(forms.Form):\n"
        '    """Ported from WTForms form app.forms.ProfileForm."""\n'
        '    email = forms.EmailField(label="Email")\n'
        "    password = forms.CharField(\n"
        '        label="Password",\n'
        "        strip=False,\n"
        "        min_length=8,\n"
        "        widget=forms.PasswordInput,\n"
        "    )\n"
        '    remember = forms.BooleanField(label="Remember me", required=False)\n'
        '    # submit: a <button type="submit"> in the template'
    )
    assert code.exact
    assert code.model_form is None
    assert code.notes[0] == "ProfileForm(request.form) → ProfileForm(request.POST)."
    compile(code.code, "forms.py", "exec")
    _parses(code.code)


def test_flask_form_notes_binding_and_inherited_fields() -> None:
    source = HEAD + "\n\nclass BaseForm(FlaskForm):\n    note = StringField()\n"
    source += "\n\nclass ChildForm(BaseForm):\n    x = StringField()\n"
    files = {"app/__init__.py": "", "app/forms.py": source, "app/fields.py": FIELDS, "app/models.py": ""}
    child = next(f for f in discover_forms(index_of(files)) if f.name == "ChildForm")
    code = django_form(child)
    assert code.notes[0].startswith("FlaskForm bound request.form itself: bind ChildForm(request.POST or None")
    assert "Fields inherited from BaseForm are declared here" in code.notes[1]
    assert "    note = forms.CharField(required=False)\n    x = forms.CharField(required=False)" in code.code


def test_every_translated_field_compiles_in_one_module() -> None:
    """All the cases above in one form (first case of each field name): the module compiles."""
    by_name: dict[str, str] = {}
    for before, _, _ in CASES:
        by_name.setdefault(before.split(" = ", 1)[0], before)
    code = django_form(_form("\n".join(by_name.values())))
    assert len(code.fields) == len(by_name)
    module = django_forms_module([code])
    compile(module, "forms.py", "exec")
    _parses(module)


# ------------------------------------------------------------------ model forms
def _span() -> Span:
    return Span(1, 1, 1, 1)


def _column(name: str, type_name: str = "String", *args: object, **kwargs: object) -> ColumnSpec:
    return ColumnSpec(name, _span(), "app/models.py", TypeSpec(type_name, args), kwargs=dict(kwargs))  # type: ignore[arg-type]


def _model(name: str, *columns: ColumnSpec, abstract: bool = False, relationships: tuple[str, ...] = ()) -> ModelSpec:
    return ModelSpec(
        qualname=f"app.models.{name}",
        name=name,
        file="app/models.py",
        span=_span(),
        table_name=name.lower() + "s",
        abstract=abstract,
        columns=[_column("id", "Integer", primary_key=True), *columns],
        relationships=[RelationshipSpec(r, _span(), "app/models.py", target=None) for r in relationships],
    )


def _spec(*names: str, submit: bool = True) -> FormSpec:
    fields = [FieldSpec(n, _span(), "app/forms.py", "wtforms.StringField", label=n.title()) for n in names]
    if submit:
        fields.append(FieldSpec("submit", _span(), "app/forms.py", "wtforms.SubmitField"))
    return FormSpec("app.forms.BookForm", "BookForm", "app/forms.py", _span(), "flask_wtf.FlaskForm", fields=fields)


def test_model_form_candidate_needs_two_fields_and_sixty_percent() -> None:
    book = _model("Book", _column("title"), _column("isbn"), _column("summary", "Text"))
    schema = OrmSchema(models=[book])
    assert model_form_candidate(_spec("title", "isbn", "note"), schema) == ("Book", ["title", "isbn"])  # 2 of 3
    assert model_form_candidate(_spec("title", "isbn", "a", "b"), schema) is None  # 50 %
    assert model_form_candidate(_spec("title"), schema) is None  # one field is no mirror
    assert model_form_candidate(_spec("id", "title"), schema) is None  # primary keys do not count


def test_model_form_candidate_prefers_more_matches_then_the_form_name() -> None:
    book = _model("Book", _column("title"), _column("summary"))
    post = _model("Post", _column("title"), _column("summary"))
    draft = _model("Draft", _column("title"), _column("summary"), _column("body"), abstract=True)
    schema = OrmSchema(models=[post, book, draft])
    assert model_form_candidate(_spec("title", "summary"), schema) == ("Book", ["title", "summary"])
    article = _model("Article", _column("title"), _column("summary"), _column("body"))
    schema = OrmSchema(models=[book, article])
    assert model_form_candidate(_spec("title", "summary", "body"), schema) == ("Article", ["title", "summary", "body"])


def test_model_form_candidate_uses_relationships_not_foreign_key_columns() -> None:
    author_id = ColumnSpec(
        "author_id", _span(), "app/models.py", TypeSpec("Integer"), foreign_key=ForeignKeySpec("authors.id")
    )
    book = _model("Book", _column("title"), author_id, relationships=("author",))
    schema = OrmSchema(models=[book])
    assert model_form_candidate(_spec("title", "author"), schema) == ("Book", ["title", "author"])
    assert model_form_candidate(_spec("title", "author_id"), schema) is None


def test_django_model_form() -> None:
    form = _form(
        'title = StringField("Title", [DataRequired(), Length(max=200)])\n'
        'isbn = StringField("ISBN", description="13 digits")\n'
        'summary = TextAreaField("Summary", [DataRequired()])\n'
        'cover = FileField("Cover")\n'
        'submit = SubmitField("Save")'
    )
    book = _model(
        "Book", _column("title", "String", 200, nullable=False), _column("isbn", "String", 20),
        _column("summary", "Text", nullable=False),
    )  # fmt: skip
    code = django_form(form, OrmSchema(models=[book]))
    assert code.model_form == "Book"
    assert "from .models import Book" in code.imports
    assert code.code == (
        "class ProfileForm(forms.ModelForm):\n"
        '    """Ported from WTForms form app.forms.ProfileForm."""\n'
        '    title = forms.CharField(label="Title", max_length=200)\n'
        '    cover = forms.FileField(label="Cover", required=False)\n'
        '    # submit: a <button type="submit"> in the template\n'
        "\n"
        "    class Meta:\n"
        "        model = Book\n"
        '        fields = ["title", "isbn", "summary"]\n'
        '        labels = {"isbn": "ISBN", "summary": "Summary"}\n'
        '        help_texts = {"isbn": "13 digits"}\n'
        '        widgets = {"summary": forms.Textarea}'
    )
    assert not code.exact  # isbn now has the model's max_length
    assert any("isbn, summary take their type" in note for note in code.notes)
    _parses(code.code)


def test_forms_module_merges_imports_and_helpers() -> None:
    first = django_form(_form('a = MultipleFileField("A")\nb = StringField("B", [Regexp("x")])'))
    second = FormCode(**{**first.__dict__, "name": "Other", "body": first.body.replace("ProfileForm", "OtherForm")})
    module = django_forms_module([first, second])
    assert module.startswith("from django import forms\nfrom django.core.validators import RegexValidator\n\n\n")
    assert module.count("class MultipleFileField") == 1
    assert "class ProfileForm(forms.Form)" in module and "class OtherForm(forms.Form)" in module
    compile(module, "forms.py", "exec")


def test_validator_specs_written_by_hand() -> None:
    field = FieldSpec(
        "code",
        _span(),
        "app/forms.py",
        "wtforms.StringField",
        validators=[
            ValidatorSpec("wtforms.validators.Length", (2, 4)),
            ValidatorSpec("some.lib.Check", code="Check()"),
        ],
    )
    form = FormSpec("app.forms.F", "F", "app/forms.py", _span(), "wtforms.Form", fields=[field])
    result = django_form_field(field, form)
    assert result.code == "code = forms.CharField(min_length=2, max_length=4)"
    assert "Validator `Check()` has no Django counterpart known to fwlint." in result.notes
    assert not result.exact


def test_invalid_value_messages_become_error_messages() -> None:
    result = translate('n = IntegerField("N", [Optional()], invalid_value_message="Digits only")')
    assert result.code == 'n = forms.IntegerField(label="N", required=False, error_messages={"invalid": "Digits only"})'
    assert result.exact


def test_a_blank_choice_only_makes_uncoerced_selects_optional() -> None:
    assert translate('k = SelectField("K", choices=[("", "-"), ("a", "A")])').arguments["required"] == "False"
    coerced = translate('k = SelectField("K", choices=[("", "-"), (1, "A")], coerce=int)')
    assert "required" not in coerced.arguments


def test_number_range_bounds_computed_at_run_time() -> None:
    result = translate('age = IntegerField("Age", [NumberRange(min=load_kinds, max=99)])')
    assert result.code == (
        'age = forms.IntegerField(label="Age", max_value=99, validators=[MinValueValidator(load_kinds)])'
    )
    assert "from django.core.validators import MinValueValidator" in result.imports


def test_arguments_of_fields_without_a_django_field_are_reported() -> None:
    result = translate('submit = SubmitField("Save", render_kw={"class": "btn"})')
    assert result.code is None
    assert 'render_kw={"class": "btn"} moves with it (template, formset or second form).' in result.notes


def test_project_names_keep_their_class_qualification() -> None:
    result = translate('kind = SelectField("Kind", choices=[("dog", "Dog")], default=Category.DOG.value)')
    assert result.arguments["initial"] == "Category.DOG.value"
    assert translate('kind = SelectField("Kind", choices=load_kinds)').arguments["choices"] == "load_kinds"


def test_messages_are_escaped_where_django_formats_them() -> None:
    regexp = translate('c = StringField("C", [Regexp("^a", message="100% letters")])')
    assert regexp.arguments["validators"] == '[RegexValidator(r"^a", message="100%% letters")]'
    required = translate('c = StringField("C", [DataRequired(message="100% needed")])')
    assert required.arguments["error_messages"] == '{"required": "100% needed"}'  # Django shows it as is
    ranged = translate('n = IntegerField("N", [NumberRange(min=1, message="At least %(min)s (100%%)")])')
    assert ranged.arguments["error_messages"] == '{"min_value": "At least 1 (100%%)"}'
