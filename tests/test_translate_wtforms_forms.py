"""Django form fields, widgets and validators → WTForms code (``fwlint.translate.wtforms_forms``).

Each case goes from Django source, through discovery, to the exact WTForms code; every
generated snippet and whole module must compile, and whole modules must parse (libcst).
"""

from __future__ import annotations

import libcst
import pytest

from fwlint.link.django_forms import DjangoForm, discover_django_forms, discover_django_formsets
from fwlint.translate.wtforms_forms import (
    FieldTranslation,
    FormsTranslation,
    translate_form,
    translate_formset,
    wtforms_field,
    wtforms_module,
)
from tests.conftest import index_of

HEAD = """\
import datetime
import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import UsernameField
from django.contrib.auth.validators import ASCIIUsernameValidator, UnicodeUsernameValidator
from django.core import validators
from django.core.validators import (
    EmailValidator, FileExtensionValidator, MaxLengthValidator, MaxValueValidator, MinLengthValidator,
    MinValueValidator, ProhibitNullCharactersValidator, RegexValidator, StepValueValidator, URLValidator,
    int_list_validator, validate_email, validate_ipv4_address, validate_ipv46_address,
)
from django.utils.translation import gettext_lazy as _

from .fields import UpperField, no_spaces
from .models import Author, Tag
"""
FIELDS = """\
from django import forms


class UpperField(forms.CharField):
    pass


def no_spaces(value):
    pass
"""
MODELS = """\
from django.db import models


class Author(models.Model):
    KINDS = [("a", "Author"), ("e", "Editor")]
    name = models.CharField(max_length=50)


class Tag(models.Model):
    name = models.CharField(max_length=20)
"""


def _form(body: str, base: str = "forms.Form") -> DjangoForm:
    source = HEAD + f"\n\nclass ProfileForm({base}):\n" + "\n".join("    " + line for line in body.splitlines()) + "\n"
    files = {"app/__init__.py": "", "app/forms.py": source, "app/fields.py": FIELDS, "app/models.py": MODELS}
    return next(f for f in discover_django_forms(index_of(files)) if f.name == "ProfileForm")


def translate(line: str) -> FieldTranslation:
    form = _form(line)
    return wtforms_field(form.fields[0], form)


CASES = [
    # ------------------------------------------------------------ text
    (
        "name = forms.CharField()",
        'name = StringField("Name", validators=[DataRequired()], filters=[strip_whitespace])',
        True,
    ),
    (
        'name = forms.CharField(label=_("Your name"), max_length=50, help_text="As on the card", initial="Ann")',
        "name = StringField(\n"
        '    _("Your name"),\n'
        "    validators=[DataRequired(), Length(max=50)],\n"
        '    default="Ann",\n'
        '    description="As on the card",\n'
        "    filters=[strip_whitespace],\n"
        ")",
        True,
    ),
    (
        'name = forms.CharField(required=False, strip=False, widget=forms.TextInput(attrs={"class": "x"}))',
        'name = StringField("Name", validators=[Optional(strip_whitespace=False)], render_kw={"class": "x"})',
        True,
    ),
    (
        'bio = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, empty_value=None)',
        "bio = TextAreaField(\n"
        '    "Bio",\n'
        "    validators=[Optional()],\n"
        "    filters=[strip_whitespace, empty_to_none],\n"
        '    render_kw={"rows": 4},\n'
        ")",
        True,
    ),
    (
        "password = forms.CharField(widget=forms.PasswordInput(render_value=True), strip=False)",
        'password = PasswordField("Password", validators=[InputRequired()], widget=PasswordInput(hide_value=False))',
        True,
    ),
    (
        "token = forms.CharField(widget=forms.HiddenInput)",
        'token = HiddenField("Token", validators=[DataRequired()], filters=[strip_whitespace])',
        True,
    ),
    (
        "count = forms.CharField(widget=forms.NumberInput)",
        'count = StringField("Count", validators=[DataRequired()], filters=[strip_whitespace], widget=NumberInput())',
        True,
    ),
    (
        'kind = forms.CharField(widget=forms.Select(choices=[("a", "A")]))',
        "kind = SelectField(\n"
        '    "Kind",\n'
        "    validators=[DataRequired()],\n"
        '    choices=[SelectChoice("a", "A")],\n'
        "    validate_choice=False,\n"
        "    filters=[strip_whitespace],\n"
        ")",
        True,
    ),
    (
        'name = forms.CharField(min_length=2, max_length=5, error_messages={"required": "Please", '
        '"min_length": "At least %(limit_value)d, got %(show_value)d", "max_length": "Max %(limit_value)d"})',
        "name = StringField(\n"
        '    "Name",\n'
        "    validators=[\n"
        '        DataRequired(message="Please"),\n'
        '        Length(min=2, message="At least %(min)d, got %(length)d"),\n'
        '        Length(max=5, message="Max %(max)d"),\n'
        "    ],\n"
        "    filters=[strip_whitespace],\n"
        ")",
        True,
    ),
    (
        "name = UpperField(max_length=5)",
        'name = StringField("Name", validators=[DataRequired(), Length(max=5)], filters=[strip_whitespace])',
        False,
    ),
    (
        "email = forms.EmailField(max_length=100, required=False)",
        'email = EmailField("Email", validators=[Optional(), Length(max=100), Email()], filters=[strip_whitespace])',
        True,
    ),
    (
        'email = forms.EmailField(error_messages={"invalid": "Bad"})',
        "email = EmailField(\n"
        '    "Email",\n'
        '    validators=[DataRequired(), Length(max=320), Email(message="Bad")],\n'
        "    filters=[strip_whitespace],\n"
        ")",
        True,
    ),
    (
        'site = forms.URLField(assume_scheme="https", max_length=200)',
        "site = URLField(\n"
        '    "Site",\n'
        "    validators=[\n"
        "        DataRequired(),\n"
        "        Length(max=200),\n"
        '        URL(allow_userinfo=True, schemes=("http", "https", "ftp", "ftps")),\n'
        "    ],\n"
        '    filters=[strip_whitespace, url_with_scheme("https")],\n'
        ")",
        True,
    ),
    (
        "slug = forms.SlugField(allow_unicode=True)",
        'slug = StringField("Slug", validators=[DataRequired(), Regexp(r"^[-\\w]+\\Z")], filters=[strip_whitespace])',
        True,
    ),
    (
        'code = forms.RegexField(r"^\\d{4}$", error_messages={"invalid": "Four digits"})',
        "code = StringField(\n"
        '    "Code",\n'
        '    validators=[InputRequired(), Regexp(r"^\\d{4}$", message="Four digits", matcher=re.search)],\n'
        ")",
        True,
    ),
    (
        'token = forms.UUIDField(error_messages={"invalid": "Not a UUID"})',
        'token = StringField("Token", validators=[DataRequired(), UUID(message="Not a UUID")], '
        "filters=[strip_whitespace])",
        False,
    ),
    (
        'ip = forms.GenericIPAddressField(protocol="IPv4")',
        'ip = StringField("Ip", validators=[DataRequired(), IPAddress(ipv4=True, ipv6=False)], '
        "filters=[strip_whitespace])",
        True,
    ),
    (
        "ip = forms.GenericIPAddressField()",
        'ip = StringField("Ip", validators=[DataRequired(), IPAddress(ipv4=True, ipv6=True)], '
        "filters=[strip_whitespace])",
        False,  # Django normalises IPv6 addresses
    ),
    (
        "payload = forms.JSONField(required=False)",
        'payload = TextAreaField("Payload", validators=[Optional(strip_whitespace=False), valid_json])',
        False,
    ),
    (
        "mix = forms.ComboField(fields=[forms.CharField(max_length=20), forms.EmailField()])",
        "mix = StringField(\n"
        '    "Mix",\n'
        "    validators=[DataRequired(), Length(max=20), Length(max=320), Email()],\n"
        "    filters=[strip_whitespace],\n"
        ")",
        True,
    ),
    (
        "parts = forms.MultiValueField(fields=(forms.CharField(), forms.CharField()))",
        'parts = StringField("Parts", validators=[DataRequired()], filters=[strip_whitespace])',
        False,
    ),
    (
        "anything = forms.Field(required=False)",
        'anything = StringField("Anything", validators=[Optional(strip_whitespace=False)])',
        True,
    ),
    # ------------------------------------------------------------ numbers
    (
        'age = forms.IntegerField(min_value=0, max_value=120, error_messages={"invalid": "Whole number please", '
        '"min_value": "At least %(limit_value)s"})',
        "age = IntegerField(\n"
        '    "Age",\n'
        '    validators=[InputRequired(), NumberRange(min=0, message="At least %(min)s"), NumberRange(max=120)],\n'
        '    invalid_value_message="Whole number please",\n'
        ")",
        True,
    ),
    (
        "age = forms.IntegerField(widget=forms.TextInput, step_size=10)",
        'age = IntegerField("Age", validators=[InputRequired(), StepValue(10)], widget=TextInput())',
        True,
    ),
    (
        "age = forms.IntegerField(min_value=1, step_size=5, required=False)",
        'age = IntegerField("Age", validators=[Optional(strip_whitespace=False), NumberRange(min=1), '
        "StepValue(5, offset=1)])",
        True,
    ),
    (
        'level = forms.IntegerField(widget=forms.NumberInput(attrs={"type": "range"}))',
        'level = IntegerRangeField("Level", validators=[InputRequired()], render_kw={"type": "range"})',
        True,
    ),
    (
        "price = forms.DecimalField(max_digits=8, decimal_places=2, min_value=0)",
        "price = DecimalField(\n"
        '    "Price",\n'
        "    validators=[InputRequired(), NumberRange(min=0), DecimalDigits(max_digits=8, decimal_places=2)],\n"
        "    places=2,\n"
        ")",
        True,
    ),
    (
        "price = forms.DecimalField(localize=True)",
        'price = DecimalField("Price", validators=[InputRequired(), DecimalDigits()], places=None)',
        False,
    ),
    (
        "ratio = forms.FloatField(max_value=1.0)",
        'ratio = FloatField("Ratio", validators=[InputRequired(), NumberRange(max=1.0), finite_number])',
        True,
    ),
    # ------------------------------------------------------------ booleans and choices
    (
        'agree = forms.BooleanField(error_messages={"required": "You must agree"})',
        'agree = BooleanField("Agree", validators=[DataRequired(message="You must agree")])',
        True,
    ),
    (
        "agree = forms.BooleanField(required=False, initial=True)",
        'agree = BooleanField("Agree", default=True)',
        True,
    ),
    (
        "agree = forms.BooleanField(required=False, disabled=True)",
        'agree = BooleanField("Agree", render_kw={"disabled": True})',
        False,
    ),
    (
        "maybe = forms.NullBooleanField()",
        "maybe = SelectField(\n"
        '    "Maybe",\n'
        '    choices=[SelectChoice("unknown", "Unknown"), SelectChoice("true", "Yes"), SelectChoice("false", "No")],\n'
        "    coerce=null_boolean,\n"
        "    validate_choice=False,\n"
        ")",
        True,
    ),
    (
        'color = forms.ChoiceField(choices=[("r", _("Red")), ("g", _("Green"))], initial="r")',
        "color = SelectField(\n"
        '    "Color",\n'
        "    validators=[InputRequired()],\n"
        '    choices=[SelectChoice("r", _("Red")), SelectChoice("g", _("Green"))],\n'
        '    default="r",\n'
        ")",
        True,
    ),
    (
        'color = forms.ChoiceField(choices=(("r", "Red"),), widget=forms.RadioSelect, required=False)',
        'color = RadioField("Color", validators=[Optional(strip_whitespace=False)], '
        'choices=[SelectChoice("r", "Red")])',
        True,
    ),
    (
        'color = forms.ChoiceField(choices={"Warm": {"r": "Red"}, "b": "Blue"})',
        "color = SelectField(\n"
        '    "Color",\n'
        "    validators=[InputRequired()],\n"
        '    choices=[SelectChoice("r", "Red", optgroup="Warm"), SelectChoice("b", "Blue")],\n'
        ")",
        True,
    ),
    (
        'size = forms.TypedChoiceField(choices=[(1, "S")], coerce=int, required=False, empty_value=None)',
        "size = SelectField(\n"
        '    "Size",\n'
        "    validators=[Optional(strip_whitespace=False)],\n"
        '    choices=[SelectChoice(1, "S")],\n'
        "    coerce=coerce_or_empty(int, None),\n"
        ")",
        True,
    ),
    (
        'tags = forms.MultipleChoiceField(choices=[("a", "A")], required=False, '
        'error_messages={"invalid_choice": "%(value)s?"})',
        "tags = SelectMultipleField(\n"
        '    "Tags",\n'
        "    validators=[Optional(strip_whitespace=False)],\n"
        '    choices=[SelectChoice("a", "A")],\n'
        '    invalid_choice_message="%(value)s?",\n'
        ")",
        True,
    ),
    (
        'tags = forms.TypedMultipleChoiceField(choices=[(1, "1")], coerce=int, widget=forms.CheckboxSelectMultiple)',
        "tags = SelectMultipleField(\n"
        '    "Tags",\n'
        "    validators=[InputRequired()],\n"
        "    option_widget=CheckboxInput(),\n"
        '    choices=[SelectChoice(1, "1")],\n'
        "    coerce=int,\n"
        "    widget=ListWidget(prefix_label=False),\n"
        ")",
        True,
    ),
    (
        "kind = forms.ChoiceField(choices=Author.KINDS)",
        "kind = SelectField(\n"
        '    "Kind",\n'
        "    validators=[InputRequired()],\n"
        '    choices=[SelectChoice("a", "Author"), SelectChoice("e", "Editor")],\n'
        ")",
        True,
    ),
    (
        "kind = forms.ChoiceField()",
        'kind = SelectField("Kind", validators=[InputRequired()], choices=[])',
        False,
    ),
    # ------------------------------------------------------------ dates
    (
        'when = forms.DateField(input_formats=["%d/%m/%Y"], widget=forms.DateInput(attrs={"type": "date"}))',
        'when = DateField("When", validators=[InputRequired()], format=["%d/%m/%Y"], render_kw={"type": "date"})',
        True,
    ),
    (
        "when = forms.DateField(widget=forms.SelectDateWidget)",
        'when = DateField("When", validators=[InputRequired()], format=DATE_INPUT_FORMATS)',
        False,
    ),
    (
        "when = forms.DateTimeField(required=False, initial=datetime.datetime.now)",
        "when = DateTimeLocalField(\n"
        '    "When",\n'
        "    validators=[Optional(strip_whitespace=False)],\n"
        "    format=DATETIME_INPUT_FORMATS,\n"
        "    default=datetime.datetime.now,\n"
        ")",
        True,
    ),
    (
        'when = forms.TimeField(input_formats=["%H.%M"])',
        'when = TimeField("When", validators=[InputRequired()], format=["%H.%M"])',
        True,
    ),
    (
        "when = forms.DateField(validators=[MinValueValidator(datetime.date(2020, 1, 1))])",
        "when = DateField(\n"
        '    "When",\n'
        "    validators=[InputRequired(), DateRange(min=datetime.date(2020, 1, 1))],\n"
        "    format=DATE_INPUT_FORMATS,\n"
        ")",
        True,
    ),
    (
        "span = forms.DurationField()",
        'span = StringField("Span", validators=[InputRequired()])',
        False,
    ),
    (
        "when = forms.SplitDateTimeField()",
        'when = DateTimeLocalField("When", validators=[InputRequired()], format=DATETIME_INPUT_FORMATS)',
        False,
    ),
    # ------------------------------------------------------------ files
    (
        'doc = forms.FileField(allow_empty_file=True, error_messages={"required": "Upload it"})',
        'doc = FileField("Doc", validators=[FileRequired(message="Upload it")])',
        True,
    ),
    (
        "doc = forms.FileField(max_length=50, allow_empty_file=True)",
        'doc = FileField("Doc", validators=[FileRequired()])',
        False,
    ),
    (
        "doc = forms.FileField(required=False, widget=forms.FileInput, "
        'validators=[FileExtensionValidator(allowed_extensions=["CSV"], message="CSV only")])',
        "doc = FileField(\n"
        '    "Doc",\n'
        "    validators=[\n"
        '        FileSize(max_size=math.inf, min_size=1, message="The submitted file is empty."),\n'
        '        FileAllowed(["csv"], message="CSV only"),\n'
        "    ],\n"
        ")",
        True,
    ),
    (
        "photo = forms.ImageField()",
        "photo = FileField(\n"
        '    "Photo",\n'
        "    validators=[\n"
        "        FileRequired(),\n"
        '        FileSize(max_size=math.inf, min_size=1, message="The submitted file is empty."),\n'
        '        FileAllowed(["bmp", "gif", "ico", "jpeg", "jpg", "png", "tif", "tiff", "webp"]),\n'
        "    ],\n"
        ")",
        False,
    ),
    (
        'path = forms.FilePathField(path="/srv/files", match=r".*\\.txt$")',
        'path = SelectField("Path", validators=[InputRequired()], choices=[])',
        False,
    ),
    # ------------------------------------------------------------ model choices
    (
        'author = forms.ModelChoiceField(queryset=Author.objects.all(), empty_label="(choose)", to_field_name="name")',
        "author = QuerySelectField(\n"
        '    "Author",\n'
        "    validators=[InputRequired()],\n"
        "    query_factory=lambda: db.session.scalars(db.select(Author)).all(),\n"
        "    get_pk=lambda obj: obj.name,\n"
        "    allow_blank=True,\n"
        '    blank_text="(choose)",\n'
        '    blank_value="",\n'
        ")",
        True,
    ),
    (
        'author = forms.ModelChoiceField(Author.objects.filter(name__startswith="A"), widget=forms.RadioSelect)',
        "author = QueryRadioField(\n"
        '    "Author",\n'
        "    validators=[InputRequired()],\n"
        "    query_factory=lambda: db.session.scalars(db.select(Author)).all(),\n"
        ")",
        False,
    ),
    (
        "author = forms.ModelChoiceField(queryset=None, required=False, empty_label=None)",
        'author = QuerySelectField("Author", validators=[Optional(strip_whitespace=False)])',
        False,
    ),
    (
        "tags = forms.ModelMultipleChoiceField(queryset=Tag.objects.all(), widget=forms.CheckboxSelectMultiple)",
        "tags = QueryCheckboxField(\n"
        '    "Tags",\n'
        "    validators=[InputRequired(), known_choices],\n"
        "    query_factory=lambda: db.session.scalars(db.select(Tag)).all(),\n"
        ")",
        True,
    ),
    # ------------------------------------------------------------ validators
    (
        'handle = forms.CharField(validators=[MinLengthValidator(3, message="Too short: %(show_value)d"), '
        'MaxLengthValidator(9), RegexValidator(r"^@", "Start with @", flags=re.I)])',
        "handle = StringField(\n"
        '    "Handle",\n'
        "    validators=[\n"
        "        DataRequired(),\n"
        '        Regexp(r"^@", flags=re.I, message="Start with @", matcher=re.search),\n'
        '        Length(min=3, message="Too short: %(length)d"),\n'
        "        Length(max=9),\n"
        "    ],\n"
        "    filters=[strip_whitespace],\n"
        ")",
        True,
    ),
    (
        "n = forms.IntegerField(validators=[MinValueValidator(1), MaxValueValidator(10, message="
        '"At most %(limit_value)s"), StepValueValidator(2, offset=1)])',
        "n = IntegerField(\n"
        '    "N",\n'
        "    validators=[\n"
        "        InputRequired(),\n"
        "        NumberRange(min=1),\n"
        '        NumberRange(max=10, message="At most %(max)s"),\n'
        "        StepValue(2, offset=1),\n"
        "    ],\n"
        ")",
        True,
    ),
    (
        'email = forms.CharField(validators=[validate_email, EmailValidator(message="Bad", allowlist=["intranet"])])',
        'email = StringField("Email", validators=[DataRequired(), Email(), Email(message="Bad")], '
        "filters=[strip_whitespace])",
        False,
    ),
    (
        'site = forms.CharField(validators=[URLValidator(schemes=["https"]), validators.validate_slug])',
        "site = StringField(\n"
        '    "Site",\n'
        '    validators=[DataRequired(), URL(allow_userinfo=True, schemes=("https",)), '
        'Regexp(r"^[-a-zA-Z0-9_]+\\Z")],\n'
        "    filters=[strip_whitespace],\n"
        ")",
        True,
    ),
    (
        "ip = forms.CharField(validators=[validate_ipv4_address, validate_ipv46_address])",
        "ip = StringField(\n"
        '    "Ip",\n'
        "    validators=[DataRequired(), IPAddress(ipv4=True, ipv6=False), IPAddress(ipv4=True, ipv6=True)],\n"
        "    filters=[strip_whitespace],\n"
        ")",
        True,
    ),
    (
        'ids = forms.CharField(validators=[int_list_validator(sep=";", allow_negative=True)])',
        'ids = StringField("Ids", validators=[DataRequired(), Regexp(r"^-?\\d+(?:;-?\\d+)*\\Z")], '
        "filters=[strip_whitespace])",
        True,
    ),
    (
        "safe = forms.CharField(validators=[ProhibitNullCharactersValidator(), no_spaces, "
        'RegexValidator(r"x", inverse_match=True)])',
        "safe = StringField(\n"
        '    "Safe",\n'
        "    validators=[\n"
        "        DataRequired(),\n"
        '        Regexp(r"\\A[^\\x00]*\\Z", message="Null characters are not allowed."),\n'
        '        Regexp(r"x", matcher=lambda regex, value: not regex.search(value)),\n'
        "    ],\n"
        "    filters=[strip_whitespace],\n"
        ")",
        False,  # no_spaces is the project's own validator
    ),
    (
        'name = forms.CharField(validators=SHARED, label_suffix=":")',
        'name = StringField("Name", validators=[DataRequired()], filters=[strip_whitespace])',
        False,
    ),
    # ------------------------------------------------------------ django.contrib.auth
    (
        "nick = forms.CharField(max_length=30, validators=[UnicodeUsernameValidator()])",
        "nick = StringField(\n"
        '    "Nick",\n'
        "    validators=[\n"
        "        DataRequired(),\n"
        "        Length(max=30),\n"
        '        Regexp(r"^[\\w.@+-]+\\Z", message=UNICODE_USERNAME_MESSAGE, matcher=re.search),\n'
        "    ],\n"
        "    filters=[strip_whitespace],\n"
        ")",
        True,
    ),
    (
        'handle = forms.CharField(validators=[ASCIIUsernameValidator(message="Letters only")])',
        "handle = StringField(\n"
        '    "Handle",\n'
        '    validators=[DataRequired(), Regexp(r"^[\\w.@+-]+\\Z", flags=re.ASCII, message="Letters only", '
        "matcher=re.search)],\n"
        "    filters=[strip_whitespace],\n"
        ")",
        True,
    ),
    (
        "login = UsernameField(max_length=20)",
        "login = StringField(\n"
        '    "Login",\n'
        "    validators=[DataRequired(), Length(max=20)],\n"
        "    filters=[strip_whitespace, normalize_username],\n"
        '    render_kw={"autocapitalize": "none", "autocomplete": "username"},\n'
        ")",
        True,
    ),
    (
        "secret = forms.CharField(strip=False, help_text=password_validation.password_validators_help_text_html())",
        'secret = StringField("Secret", validators=[InputRequired()])',
        True,
    ),
]


@pytest.mark.parametrize(("before", "after", "exact"), CASES, ids=[c[0].split(" = ", 1)[0] for c in CASES])
def test_field_translation(before: str, after: str, exact: bool) -> None:
    translated = translate(before)
    assert translated.code == after
    assert translated.exact is exact, translated.notes
    compile(translated.code, "<field>", "exec")
    assert all(len(line) <= 116 for line in translated.code.splitlines())


def test_notes_say_what_changes() -> None:
    assert 'Django accepts "1.0"' in " ".join(translate("n = forms.IntegerField()").notes)
    initial = translate('name = forms.CharField(initial="x")').notes
    assert any("key is missing from the submitted data" in note for note in initial)
    project = translate("name = UpperField()").notes
    assert project[0].startswith("`UpperField` is the project's own field class (extends `django.forms.CharField`)")
    shared = translate("name = forms.CharField(validators=SHARED)").notes
    assert "validators=SHARED is not a literal list: translate its validators by hand." in shared
    unknown = translate('name = forms.CharField(error_messages={"invalid": "x %(value)s"})').notes
    assert 'error_messages["invalid"] has no WTForms counterpart on this field.' in unknown
    message = translate('c = forms.ChoiceField(choices=[("a", "A")], error_messages={"invalid_choice": "%(value)s"})')
    assert any("uses %(value)s, which WTForms does not fill in" in note for note in message.notes)
    gettext = translate('name = forms.CharField(label=_("Name"))')
    assert ("flask_babel", "lazy_gettext as _") in gettext.imports
    stdlib = translate("when = forms.DateTimeField(initial=datetime.datetime.now)")
    assert ("datetime", "") in stdlib.imports


FORM = """\
from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import Book, Chapter


class ContactForm(forms.Form):
    name = forms.CharField(max_length=30)
    email = forms.EmailField()
    message = forms.CharField(widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_email(self):
        return self.cleaned_data["email"].lower()

    def clean(self):
        return super().clean()


class PlainForm(forms.Form):
    query = forms.CharField(required=False)


class BookForm(forms.ModelForm):
    class Meta:
        model = Book
        fields = ["title", "pages", "isbn"]


class SignUpForm(UserCreationForm):
    email = forms.EmailField()


ContactFormSet = forms.formset_factory(ContactForm, min_num=1, validate_min=True, max_num=4, validate_max=True)
ChapterFormSet = forms.inlineformset_factory(Book, Chapter, fields=["title"])
"""
MODEL_SOURCE = """\
from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=100)
    pages = models.PositiveIntegerField(null=True, blank=True)
    isbn = models.CharField(max_length=13, unique=True)


class Chapter(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="chapters")
    title = models.CharField(max_length=50)
"""


@pytest.fixture(scope="module")
def project() -> FormsTranslation:
    files = {"app/__init__.py": "", "app/forms.py": FORM, "app/models.py": MODEL_SOURCE}
    return FormsTranslation.from_index(index_of(files))


def _named(project: FormsTranslation, name: str) -> DjangoForm:
    return next(form for form in project.forms if form.name == name)


def test_whole_form_with_cleaning_methods(project: FormsTranslation) -> None:
    translated = translate_form(_named(project, "ContactForm"))
    assert translated.body == (
        "class ContactForm(FlaskForm):\n"
        '    """Ported from Django form app.forms.ContactForm."""\n'
        "\n"
        '    name = StringField("Name", validators=[DataRequired(), Length(max=30)], filters=[strip_whitespace])\n'
        '    email = EmailField("Email", validators=[DataRequired(), Length(max=320), Email()], '
        "filters=[strip_whitespace])\n"
        '    message = TextAreaField("Message", validators=[DataRequired()], filters=[strip_whitespace])\n'
        "\n"
        "    def validate_email(self, field):\n"
        "        value = field.data\n"
        "        # Port ContactForm.clean_email() here:\n"
        "        # check `value` and raise wtforms.validators.ValidationError; the value Django's method\n"
        "        # returned goes back into field.data.\n"
        "        field.data = value\n"
        "\n"
        "    def validate(self, extra_validators=None):\n"
        "        valid = super().validate(extra_validators)\n"
        "        # Port ContactForm.clean() here:\n"
        "        # read self.<field>.data, report a field's error with self.<field>.errors.append(message)\n"
        "        # and a form error with self.form_errors.append(message), setting valid = False.\n"
        "        return valid"
    )
    assert not translated.exact
    assert translated.model_form is None
    assert "Method __init__() must be ported by hand." in translated.notes
    assert any(note.startswith("clean_email() → validate_email(self, field)") for note in translated.notes)
    assert translated.imports == [
        "from flask_wtf import FlaskForm",
        "from wtforms import EmailField, StringField, TextAreaField",
        "from wtforms.validators import DataRequired, Email, Length",
    ]
    compile("\n".join(translated.imports) + "\n\n" + translated.code, "<form>", "exec")


def test_a_plain_form_is_exact(project: FormsTranslation) -> None:
    translated = translate_form(_named(project, "PlainForm"))
    assert translated.exact
    assert (
        translated.fields[0].code == 'query = StringField("Query", validators=[Optional()], filters=[strip_whitespace])'
    )
    assert translated.code.startswith("def strip_whitespace(value):")


def test_model_form_lists_the_model_fields(project: FormsTranslation) -> None:
    translated = translate_form(_named(project, "BookForm"))
    assert translated.model_form == "Book"
    assert [f.code for f in translated.fields] == [
        'title = StringField("Title", validators=[DataRequired(), Length(max=100)], filters=[strip_whitespace])',
        'pages = IntegerField("Pages", validators=[Optional(strip_whitespace=False), NumberRange(min=0)])',
        'isbn = StringField("Isbn", validators=[DataRequired(), Length(max=13)], filters=[strip_whitespace])',
    ]
    assert not translated.exact  # unique=True needs a database check
    assert any("form.populate_obj(obj)" in note for note in translated.notes)
    assert '"""Ported from Django ModelForm app.forms.BookForm."""' in translated.body


def test_user_creation_form_gets_djangos_fields_and_checks(project: FormsTranslation) -> None:
    translated = translate_form(_named(project, "SignUpForm"))
    assert not translated.exact
    assert [f.name for f in translated.fields] == ["username", "password1", "password2", "email"]
    password1, password2 = translated.fields[1:3]
    assert password1.code == (
        'password1 = PasswordField("Password", validators=[InputRequired()], '
        'render_kw={"autocomplete": "new-password"})'
    )
    assert password2.code == (
        "password2 = PasswordField(\n"
        '    "Password confirmation",\n'
        '    validators=[InputRequired(), EqualTo("password1", message="The two password fields didn’t match.")],\n'
        '    description="Enter the same password as before, for verification.",\n'
        '    render_kw={"autocomplete": "new-password"},\n'
        ")"
    )
    assert not password2.exact  # AUTH_PASSWORD_VALIDATORS are not ported
    assert any("settings.AUTH_PASSWORD_VALIDATORS on password2" in note for note in password2.notes)
    assert "The fields Django declares in BaseUserCreationForm (password1, password2) are written out here." in (
        translated.notes
    )
    assert any(note.startswith("BaseUserCreationForm.save() stored password1 hashed") for note in translated.notes)
    assert any(note.startswith("UserCreationForm.clean_username() rejects") for note in translated.notes)
    assert not any("Method" in note for note in translated.notes)  # Django's own methods are described, not stubs
    assert "def validate(self" not in translated.body


AUTH_FORMS = """\
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
    PasswordChangeForm,
    PasswordResetForm,
    UserChangeForm,
)


class Login(AuthenticationForm):
    pass


class ChangePassword(PasswordChangeForm):
    pass


class ResetPassword(PasswordResetForm):
    pass


class ChangeUser(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        fields = ["username", "password"]


class NoConfirmation(BaseUserCreationForm):
    password2 = None
"""


@pytest.fixture(scope="module")
def auth_project() -> FormsTranslation:
    return FormsTranslation.from_index(index_of({"app/__init__.py": "", "app/forms.py": AUTH_FORMS}))


def test_authentication_form(auth_project: FormsTranslation) -> None:
    translated = translate_form(_named(auth_project, "Login"))
    assert [f.code for f in translated.fields] == [
        "username = StringField(\n"
        '    "Username",\n'
        "    validators=[DataRequired()],\n"
        "    filters=[strip_whitespace, normalize_username],\n"
        '    render_kw={"autocapitalize": "none", "autocomplete": "username", "autofocus": True},\n'
        ")",
        'password = PasswordField("Password", validators=[InputRequired()], render_kw={"autocomplete": '
        '"current-password"})',
    ]
    assert any(
        note.startswith("AuthenticationForm(request, data=request.POST): clean() authenticated")
        for note in translated.notes
    )
    assert "import unicodedata" in translated.imports


def test_password_change_form_in_display_order(auth_project: FormsTranslation) -> None:
    form = _named(auth_project, "ChangePassword")
    assert [f.name for f in form.fields] == ["new_password1", "new_password2", "old_password"]  # base_fields
    translated = translate_form(form)
    assert [f.name for f in translated.fields] == ["old_password", "new_password1", "new_password2"]  # field_order
    assert 'EqualTo("new_password1", message=' in translated.fields[2].code
    assert "The fields are declared in the order field_order gives them, which is how Django shows them." in (
        translated.notes
    )
    assert any(note.startswith("PasswordChangeForm.clean_old_password() checked") for note in translated.notes)
    assert any(note.startswith("ChangePassword(user, data): save() set new_password1") for note in translated.notes)
    compile("\n".join(translated.imports) + "\n\n" + translated.code, "<form>", "exec")


def test_password_reset_and_user_change_forms(auth_project: FormsTranslation) -> None:
    reset = translate_form(_named(auth_project, "ResetPassword"))
    assert reset.fields[0].code.startswith(
        'email = EmailField(\n    "Email",\n    validators=[DataRequired(), Length(max=254)'
    )
    assert any(note.startswith("PasswordResetForm.save() e-mailed a one-time reset link") for note in reset.notes)
    change = translate_form(_named(auth_project, "ChangeUser"))
    username, password = change.fields
    assert "Regexp(" in username.code and "normalize_username" in username.code
    # ReadOnlyPasswordHashField: optional and disabled by default, never saved from the form.
    assert password.code == (
        "password = StringField(\n"
        '    "Password",\n'
        "    validators=[Optional(strip_whitespace=False)],\n"
        '    description="Raw passwords are not stored, so there is no way to see the user’s password.",\n'
        '    render_kw={"disabled": True},\n'
        ")"
    )
    assert not password.exact
    assert any(note.startswith("ReadOnlyPasswordHashField only displays a summary") for note in password.notes)


def test_a_removed_confirmation_has_no_equality_check(auth_project: FormsTranslation) -> None:
    translated = translate_form(_named(auth_project, "NoConfirmation"))
    assert [f.name for f in translated.fields] == ["username", "password1"]
    assert not any("EqualTo" in f.code for f in translated.fields)
    module = auth_project.module()
    libcst.parse_module(module)
    compile(module, "<forms>", "exec")
    assert module.count("UNICODE_USERNAME_MESSAGE = (") == 1
    assert all(len(line) <= 120 for line in module.splitlines())


def test_formsets_become_field_lists(project: FormsTranslation) -> None:
    contact, chapters = project.formsets
    translated = translate_formset(contact)
    assert translated.body == (
        "class ContactFormSet(FlaskForm):\n"
        '    """Ported from Django formset app.forms.ContactFormSet (formset_factory).\n'
        "\n"
        '    The entries are submitted as form-<n>-<field>, as before."""\n'
        "\n"
        "    form = FieldList(FormField(ContactForm), min_entries=1, max_entries=4)"
    )
    assert not translated.exact
    assert any("silently ignores entries beyond max_entries" in note for note in translated.notes)
    inline = translate_formset(chapters)
    assert inline.model_form == "Chapter"
    assert inline.body.startswith("class ChapterEntryForm(FlaskForm):\n")
    assert "    chapters = FieldList(FormField(ChapterEntryForm))" in inline.body
    assert "Inline formset: set row.book = parent for every entry; the entries do not submit it." in inline.notes
    assert any(note.startswith("can_delete:") for note in inline.notes)


def test_site_lookups(project: FormsTranslation) -> None:
    lines = FORM.splitlines()
    form_line = lines.index("class ContactForm(forms.Form):") + 1
    found = project.form_at("app/forms.py", form_line)
    assert found is not None and found.code.endswith("return valid")
    field = project.form_field_at("app/forms.py", form_line + 2)
    assert field is not None and field.code.startswith("email = EmailField(")
    formset_line = next(i for i, line in enumerate(lines, 1) if line.startswith("ContactFormSet"))
    formset = project.form_at("app/forms.py", formset_line)
    assert formset is not None and "form = FieldList(FormField(ContactForm)" in formset.code
    assert project.form_at("app/forms.py", 1) is None
    assert project.form_field_at("app/models.py", 5) is None


def test_whole_module_compiles_and_parses(project: FormsTranslation) -> None:
    module = project.module()
    libcst.parse_module(module)
    compile(module, "<forms>", "exec")
    assert module.count("def strip_whitespace(value):") == 1
    assert module.startswith("import re\nimport unicodedata\nfrom flask_wtf import FlaskForm\n")
    assert all(len(line) <= 120 for line in module.splitlines())


def test_every_case_field_fits_one_module() -> None:
    """All field cases in one form: imports and helpers are merged and the module compiles."""
    body = "\n".join(before for before, _, _ in CASES)
    translated = translate_form(_form(body))
    # A class body keeps the last assignment of a name, in the place of the first.
    assert [f.name for f in translated.fields] == list(dict.fromkeys(b.split(" = ", 1)[0] for b, _, _ in CASES))
    module = wtforms_module([translated])
    libcst.parse_module(module)
    compile(module, "<forms>", "exec")
    for helper in ("strip_whitespace", "DecimalDigits", "StepValue", "finite_number", "valid_json", "known_choices"):
        assert module.count(f"def {helper}(") + module.count(f"class {helper}:") == 1, helper
    assert "import math\n" in module and "import re\n" in module
    assert "from .models import Tag, db" in module


def test_formsets_discovered_once_per_assignment() -> None:
    files = {"app/__init__.py": "", "app/forms.py": FORM, "app/models.py": MODEL_SOURCE}
    index = index_of(files)
    forms = discover_django_forms(index)
    assert [f.name for f in discover_django_formsets(index, forms=forms)] == ["ContactFormSet", "ChapterFormSet"]


def test_source_text_cut_by_the_extractor_is_rebuilt_or_marked() -> None:
    long_text = "A help text that goes on and on. " * 6
    rebuilt = translate(f'name = forms.CharField(help_text=_("{long_text}"))')
    assert f'description=_("{long_text}")' in rebuilt.code
    compile(rebuilt.code, "<field>", "exec")
    lambda_body = " + ".join(f'"part{i}"' for i in range(30))
    marked = translate(f"name = forms.CharField(initial=lambda: {lambda_body})")
    assert "default=...," in marked.code
    assert not marked.exact
    assert any(note.startswith("An expression too long for fwlint to keep") for note in marked.notes)


def test_references_fwlint_cannot_write() -> None:
    files = {
        "app/__init__.py": "",
        "app/models.py": (
            "from django.conf import settings\n"
            "from django.db import models\n\n\n"
            "class Note(models.Model):\n"
            "    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)\n"
        ),
        "app/forms.py": (
            "from django import forms\n\n"
            "from .models import Note\n\n\n"
            "def build():\n"
            '    KINDS = [("a", "A")]\n\n'
            "    class LocalForm(forms.Form):\n"
            "        kind = forms.ChoiceField(choices=KINDS)\n\n"
            "    return LocalForm\n\n\n"
            "class NoteForm(forms.ModelForm):\n"
            "    class Meta:\n"
            "        model = Note\n"
            '        fields = ["owner"]\n'
        ),
    }
    forms = {form.name: form for form in discover_django_forms(index_of(files))}
    owner = translate_form(forms["NoteForm"]).fields[0]
    assert "query_factory" not in owner.code
    assert not owner.exact
    assert any("AUTH_USER_MODEL is not a class fwlint knows" in note for note in owner.notes)
    kind = translate_form(forms["LocalForm"]).fields[0]
    assert "choices=KINDS" in kind.code  # a function's local name, written as it is
