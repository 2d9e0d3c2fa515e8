"""Django forms → WTForms / Flask-WTF code (the Django → Flask direction).

Each :class:`~fwlint.link.django_forms.DjangoFormField` becomes the WTForms field
that accepts and rejects the same submitted values, following both libraries'
references and sources (Django 5.2, WTForms 3.3, Flask-WTF 1.3, WTForms-SQLAlchemy 0.4):

* https://docs.djangoproject.com/en/5.2/ref/forms/fields/ ,
  https://docs.djangoproject.com/en/5.2/ref/forms/widgets/ ,
  https://docs.djangoproject.com/en/5.2/ref/validators/ ,
  https://docs.djangoproject.com/en/5.2/topics/forms/modelforms/ ,
  https://docs.djangoproject.com/en/5.2/topics/forms/formsets/
* https://wtforms.readthedocs.io/en/stable/fields/ ,
  https://wtforms.readthedocs.io/en/stable/validators/ ,
  https://flask-wtf.readthedocs.io/en/stable/form/ ,
  https://wtforms-sqlalchemy.readthedocs.io/en/stable/

The traps, and what the translation does about them:

* A Django field is required unless ``required=False``; a WTForms field is optional
  unless a validator says otherwise.  Required text becomes ``DataRequired()``
  (whitespace-only input is empty, as after Django's stripping), other required
  fields ``InputRequired()`` (``DataRequired`` would reject ``0``), a required
  ``BooleanField`` ``DataRequired()`` ("must be checked"), a required file
  ``FileRequired()``.  An optional field starts with ``Optional()`` because Django
  runs no validator on an empty value; for non-text fields with
  ``strip_whitespace=False``, since Django rejects ``"  "`` as a number, date or choice.
* Django strips text (``strip=True``) before validating and measuring it; WTForms
  does not, so the generated field gets ``filters=[strip_whitespace]``.
  ``empty_value=None`` becomes the ``empty_to_none`` filter.
* ``initial`` becomes ``default``; WTForms also falls back to it when the key is
  missing from the submitted data, which a bound Django form treats as empty.
* Choices are validated as strings by Django and after ``coerce`` by WTForms; a
  ``TypedChoiceField`` gets ``coerce_or_empty`` so an empty choice becomes its
  ``empty_value`` instead of failing to coerce.
* Implicit validation of Django fields is written out: ``EmailField``'s
  ``max_length=320``, ``DecimalField``'s digit limits and finiteness
  (``DecimalDigits``), ``FloatField``'s finiteness, ``URLField``'s assumed scheme
  and accepted schemes, ``SlugField``'s pattern, a ``FileField``'s refusal of
  empty files, ``RegexValidator``'s search (not match) semantics.
* django.contrib.auth's forms check more than their fields: the password pair
  they compare in ``clean()`` becomes ``EqualTo`` on the second field,
  ``UsernameField`` NFKC-normalises (the ``normalize_username`` filter), and the
  username validators become ``Regexp``; ``AUTH_PASSWORD_VALIDATORS``, the
  password hashing of ``save()`` and ``authenticate()`` are described in the notes.

Differences that remain are written in the notes; the known ones that change a
decision on some input: Django's ``IntegerField`` accepts ``"1.0"``; its
``CharField`` rejects NUL characters; its date fields strip surrounding
whitespace; ``Email()`` (the ``email_validator`` package) and ``URL()`` judge rare
addresses differently (``user@localhost``, ``http://localhost/``); a Django
formset skips blank extra forms that WTForms' ``FieldList`` validates.

Module-level helpers the fields need (``strip_whitespace``, ``DecimalDigits``,
Django's input formats...) are written once before the form classes; a
``ModelChoiceField`` becomes a WTForms-SQLAlchemy ``QuerySelectField`` reading the
ported model through Flask-SQLAlchemy's ``db``, both imported from ``.models``.

``exact`` means the generated field needs no hand work and accepts and rejects the
same input (up to those documented edge cases).  Generated choices use
``SelectChoice`` (WTForms 3.3); a ``DateTimeField`` becomes ``DateTimeLocalField``
because WTForms 3.3 deprecates its own ``DateTimeField``.  Nothing here is wired into
the scan: :class:`FormsTranslation` answers ``form_at`` / ``form_field_at`` lookups
for whoever reports Django form sites.
"""

from __future__ import annotations

import builtins
import re
import sys
import textwrap
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from fwlint.facts import CallValue, Opaque, Ref, Value
from fwlint.link.django_forms import (
    FORM_BASES,
    DjangoForm,
    DjangoFormField,
    DjangoFormset,
    DjangoValidator,
    DjangoWidget,
    ModelFieldSource,
    discover_django_forms,
    discover_django_formsets,
    pretty_name,
)
from fwlint.link.index import ProjectIndex

if TYPE_CHECKING:
    # Imported where used at run time: the data layer may import this module.
    from fwlint.translate.data_layer import SiteTranslation

ImportName = tuple[str, str]  # (module, name); name "" for ``import module``
FLASK_FORM: ImportName = ("flask_wtf", "FlaskForm")
MODELS_MODULE = ".models"
TRUNCATED = "…"  # how the extractor ends source text it cut at its length limit
LINE_LIMIT = 116  # a class-body line without its 4-space indent: ruff's 120 in the module

# Django's English input formats (django/conf/locale/en/formats.py plus the ISO formats
# ``django.utils.formats.get_format`` always adds), which the generated fields accept.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%b %d %Y", "%b %d, %Y", "%d %b %Y", "%d %b, %Y", "%B %d %Y",
    "%B %d, %Y", "%d %B %Y", "%d %B, %Y",
]  # fmt: skip
# ``forms.DateTimeField`` first tries ISO 8601 (``parse_datetime``: a ``T`` or a space), then
# DATETIME_INPUT_FORMATS, then DATE_INPUT_FORMATS (midnight).
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S.%f", "%m/%d/%Y %H:%M", "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M:%S.%f", "%m/%d/%y %H:%M", *DATE_INPUT_FORMATS,
]  # fmt: skip
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
# What ``validate_image_file_extension`` allows with a usual Pillow build.
IMAGE_EXTENSIONS = ["bmp", "gif", "ico", "jpeg", "jpg", "png", "tif", "tiff", "webp"]
URL_SCHEMES = ("http", "https", "ftp", "ftps")  # django.core.validators.URLValidator.schemes
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+\Z"
UNICODE_SLUG_PATTERN = r"^[-\w]+\Z"
NULL_BOOLEAN_CHOICES = [
    'SelectChoice("unknown", "Unknown")',
    'SelectChoice("true", "Yes")',
    'SelectChoice("false", "No")',
]

# Django widgets on a text field → the WTForms field rendering the same input.
TEXT_FIELD_FOR_WIDGET = {
    "Textarea": "TextAreaField",
    "PasswordInput": "PasswordField",
    "HiddenInput": "HiddenField",
    "EmailInput": "EmailField",
    "URLInput": "URLField",
    "SearchInput": "SearchField",
    "TelInput": "TelField",
    "ColorInput": "ColorField",
    "TextInput": "StringField",
}
# Django widgets → a ``wtforms.widgets`` widget, for fields whose class does not follow the widget.
WIDGET_FOR_WIDGET = {
    "TextInput": "TextInput()",
    "HiddenInput": "HiddenInput()",
    "NumberInput": "NumberInput()",
    "Textarea": "TextArea()",
    "PasswordInput": "PasswordInput()",
    "EmailInput": "EmailInput()",
    "URLInput": "URLInput()",
}
# Django widgets that render a text input: nothing to do on a text field.
RENDERED_AS_TEXT = frozenset({"TextInput", "DateInput", "DateTimeInput", "TimeInput"})

AUTH = "django.contrib.auth.forms."
USERNAME_FIELD = AUTH + "UsernameField"
PASSWORD_HASH_FIELD = AUTH + "ReadOnlyPasswordHashField"
PASSWORD_RULES_HELP = "django.contrib.auth.password_validation.password_validators_help_text_html"
# The password fields django.contrib.auth's forms compare in clean() (SetPasswordMixin.validate_passwords()), by
# the form class whose clean() does it: a mismatch is an error on the second one, which is also the field
# validate_password_for_user() checks against settings.AUTH_PASSWORD_VALIDATORS.
PASSWORD_CONFIRMATIONS = {
    AUTH + "BaseUserCreationForm": ("password1", "password2"),
    AUTH + "SetPasswordForm": ("new_password1", "new_password2"),
    AUTH + "AdminPasswordChangeForm": ("password1", "password2"),
}
PASSWORD_MISMATCH = "The two password fields didn’t match."  # SetPasswordMixin.error_messages["password_mismatch"]
# django.contrib.auth.validators (Django 5.2): RegexValidator subclasses; their messages become helper constants.
USERNAME_PATTERN = r"^[\w.@+-]+\Z"
USERNAME_MESSAGES = {
    "UnicodeUsernameValidator": (
        "UNICODE_USERNAME_MESSAGE",
        "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
    ),
    "ASCIIUsernameValidator": (
        "ASCII_USERNAME_MESSAGE",
        "Enter a valid username. This value may contain only unaccented lowercase a-z and uppercase A-Z letters, "
        "numbers, and @/./+/-/_ characters.",
    ),
}


# ------------------------------------------------------------------ helpers written into the module
@dataclass(frozen=True)
class Helper:
    """Module-level code a generated field uses (placed before the form classes)."""

    name: str
    code: str
    imports: tuple[ImportName, ...] = ()


def _helper_constant(name: str, values: list[str], comment: str) -> Helper:
    items = "\n".join(f'    "{value}",' for value in values)
    return Helper(name, f"# {comment}\n{name} = [\n{items}\n]")


def _helper_message(name: str, comment: str, text: str) -> Helper:
    """A message constant, its text cut into string literals that fit a line (the text has no quotes)."""
    lines = textwrap.wrap(text, 100, break_long_words=False, break_on_hyphens=False)
    parts = [f'    "{line} "' for line in lines[:-1]] + [f'    "{lines[-1]}"']
    return Helper(name, f"# {comment}\n{name} = (\n" + "\n".join(parts) + "\n)")


HELPERS: dict[str, Helper] = {
    "strip_whitespace": Helper(
        "strip_whitespace",
        '''def strip_whitespace(value):
    """Django's CharField strips surrounding whitespace before validating (strip=True)."""
    return value.strip() if isinstance(value, str) else value''',
    ),
    "empty_to_none": Helper(
        "empty_to_none",
        '''def empty_to_none(value):
    """Django's CharField(empty_value=None): empty input is None."""
    return value if value else None''',
    ),
    "url_with_scheme": Helper(
        "url_with_scheme",
        '''def url_with_scheme(scheme):
    """Django's URLField prepends its assume_scheme to input that has no scheme."""

    def prepend(value):
        if not value:
            return value
        name, colon, _ = value.partition(":")
        if colon and name and name[0].isascii() and name[0].isalpha() and "/" not in name:
            return value
        return f"{scheme}:{value}" if value.startswith("//") else f"{scheme}://{value}"

    return prepend''',
    ),
    "coerce_or_empty": Helper(
        "coerce_or_empty",
        '''def coerce_or_empty(coerce, empty_value=""):
    """Django's TypedChoiceField: an empty choice becomes empty_value instead of being coerced."""

    def convert(value):
        return empty_value if value in ("", None) else coerce(value)

    return convert''',
    ),
    **{
        name: _helper_message(name, f"django.contrib.auth.validators.{validator}'s message.", text)
        for validator, (name, text) in USERNAME_MESSAGES.items()
    },
    "normalize_username": Helper(
        "normalize_username",
        '''def normalize_username(value):
    """Django's UsernameField NFKC-normalises the username (compatibility characters folded)."""
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value''',
        (("unicodedata", ""),),
    ),
    "null_boolean": Helper(
        "null_boolean",
        '''def null_boolean(value):
    """Django's NullBooleanSelect: what each submitted value means (anything else is unknown)."""
    meanings = {True: True, "True": True, "true": True, "2": True, False: False, "False": False, "false": False}
    return meanings.get(value, False if value == "3" else None)''',
    ),
    "null_boolean_value": Helper(
        "null_boolean_value",
        '''def null_boolean_value(value):
    """Django's NullBooleanField.to_python(): "True"/"true"/"1" is True, "False"/"false"/"0" is False."""
    if value in (True, "True", "true", "1"):
        return True
    if value in (False, "False", "false", "0"):
        return False
    return None''',
    ),
    "finite_number": Helper(
        "finite_number",
        '''def finite_number(form, field):
    """Django's FloatField rejects nan and infinity, which float() accepts."""
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError("Enter a number.")''',
        (("math", ""), ("wtforms.validators", "ValidationError")),
    ),
    "DecimalDigits": Helper(
        "DecimalDigits",
        '''class DecimalDigits:
    """Django's DecimalField: a finite number with at most max_digits digits, decimal_places of them
    after the point (django.core.validators.DecimalValidator)."""

    def __init__(self, max_digits=None, decimal_places=None):
        self.max_digits = max_digits
        self.decimal_places = decimal_places

    def __call__(self, form, field):
        if field.data is None:
            return
        _, digit_tuple, exponent = field.data.as_tuple()
        if exponent in {"F", "n", "N"}:
            raise ValidationError("Enter a number.")
        if exponent >= 0:
            digits = len(digit_tuple) + (exponent if digit_tuple != (0,) else 0)
            decimals = 0
        elif abs(exponent) > len(digit_tuple):
            digits = decimals = abs(exponent)
        else:
            digits, decimals = len(digit_tuple), abs(exponent)
        if self.max_digits is not None and digits > self.max_digits:
            raise ValidationError(f"Ensure that there are no more than {self.max_digits} digits in total.")
        if self.decimal_places is not None and decimals > self.decimal_places:
            raise ValidationError(f"Ensure that there are no more than {self.decimal_places} decimal places.")
        if (
            self.max_digits is not None
            and self.decimal_places is not None
            and digits - decimals > self.max_digits - self.decimal_places
        ):
            whole = self.max_digits - self.decimal_places
            raise ValidationError(f"Ensure that there are no more than {whole} digits before the decimal point.")''',
        (("wtforms.validators", "ValidationError"),),
    ),
    "StepValue": Helper(
        "StepValue",
        '''class StepValue:
    """Django's StepValueValidator: a multiple of step, counted from offset."""

    def __init__(self, step, offset=None, message=None):
        self.step = step
        self.offset = offset
        self.message = message

    def __call__(self, form, field):
        if field.data is None:
            return
        offset = 0 if self.offset is None else self.offset
        if not math.isclose(math.remainder(field.data - offset, self.step), 0, abs_tol=1e-9):
            raise ValidationError(self.message or f"Ensure this value is a multiple of step size {self.step}.")''',
        (("math", ""), ("wtforms.validators", "ValidationError")),
    ),
    "valid_json": Helper(
        "valid_json",
        '''def valid_json(form, field):
    """Django's JSONField accepts only JSON text (its cleaned value is the parsed JSON)."""
    if field.data:
        try:
            json.loads(field.data)
        except ValueError:
            raise ValidationError("Enter a valid JSON.") from None''',
        (("json", ""), ("wtforms.validators", "ValidationError")),
    ),
    "known_choices": Helper(
        "known_choices",
        '''def known_choices(form, field):
    """Django's ModelMultipleChoiceField rejects a key no row has; QuerySelectMultipleField (0.4) checks the
    submitted keys only after it has read them, so an unknown key alone passes."""
    known = {str(choice[0]) for choice in field.iter_choices()}
    if any(str(key) not in known for key in field.raw_data or ()):
        raise ValidationError("Not a valid choice.")''',
        (("wtforms.validators", "ValidationError"),),
    ),
    "DATE_INPUT_FORMATS": _helper_constant(
        "DATE_INPUT_FORMATS", DATE_INPUT_FORMATS, "What Django's DateField accepts (English locale)."
    ),
    "DATETIME_INPUT_FORMATS": _helper_constant(
        "DATETIME_INPUT_FORMATS", DATETIME_INPUT_FORMATS, "What Django's DateTimeField accepts (English locale)."
    ),
    "TIME_INPUT_FORMATS": _helper_constant(
        "TIME_INPUT_FORMATS", TIME_INPUT_FORMATS, "What Django's TimeField accepts."
    ),
}


# ------------------------------------------------------------------ results
@dataclass
class FieldTranslation:
    """One field's WTForms code: ``code`` is the statement in the form's class body."""

    name: str
    code: str
    notes: list[str] = field(default_factory=list)
    exact: bool = True
    field_class: str = ""  # the WTForms class written, e.g. "StringField"
    imports: list[ImportName] = field(default_factory=list)
    helpers: list[str] = field(default_factory=list)  # names in HELPERS


@dataclass
class FormTranslation:
    """A whole form (or formset container): ``code`` is its helpers and class, valid Python
    given ``imports`` (see :func:`wtforms_module`)."""

    name: str
    code: str
    fields: list[FieldTranslation]
    exact: bool
    notes: list[str]
    model_form: str | None  # a ModelForm's model class name
    imports: list[str] = field(default_factory=list)  # import lines
    helpers: list[str] = field(default_factory=list)  # helper code blocks
    body: str = ""  # ``code`` without the helpers
    import_names: list[ImportName] = field(default_factory=list)


# ------------------------------------------------------------------ values as code
def _string(text: str) -> str:
    """A Python string literal, double-quoted where possible."""
    literal_text = repr(text)
    if literal_text.startswith("'") and '"' not in text:
        literal_text = '"' + literal_text[1:-1].replace("\\'", "'") + '"'
    return literal_text


def _regex_literal(text: str) -> str:
    if '"' not in text and "\n" not in text and "\r" not in text and not text.endswith("\\"):
        return 'r"' + text + '"'
    return _string(text)


def _local_name(path: str) -> str:
    """How a project name is written where it is imported: ``shop.models.Book.GENRES`` → ``Book.GENRES``."""
    parts = path.split(".")
    if "<locals>" in parts:  # a name local to a function is written as is
        return parts[-1]
    for position, part in enumerate(parts[:-1]):
        if part[:1].isupper():
            return ".".join(parts[position:])
    return parts[-1]


def _show(value: Value) -> str:
    """A value as source text."""
    if isinstance(value, str):
        return _string(value)
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_string(k)}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Ref):
        root = value.path.split(".", 1)[0]
        if "." in value.path and root in sys.stdlib_module_names:
            return value.path
        return _local_name(value.path)
    if isinstance(value, CallValue):
        if not value.code.endswith(TRUNCATED):
            return value.code
        # Source text cut at the extractor's limit: written again from the call's parts.
        callee = value.code.split("(", 1)[0] if "(" in value.code else _local_name(value.callee)
        parts = [_show(arg) for arg in value.args] + [f"{key}={_show(arg)}" for key, arg in value.kwargs]
        return f"{callee}({', '.join(parts)})"
    if isinstance(value, Opaque):
        return "..." if value.code.endswith(TRUNCATED) else value.code
    return repr(value)


def _choice_pairs(choices: Value) -> list[tuple[Value, Value, Value]] | None:
    """``(value, label, group)`` for Django's choices written as pairs, groups of pairs or a mapping;
    None when they are not written out that way."""
    pairs: list[tuple[Value, Value, Value]] = []
    if isinstance(choices, dict):
        for key, label in choices.items():
            if isinstance(label, dict):
                pairs.extend((value, inner, key) for value, inner in label.items())
            else:
                pairs.append((key, label, None))
        return pairs
    if not isinstance(choices, (list, tuple)):
        return None
    for item in choices:
        if not (isinstance(item, (list, tuple)) and len(item) == 2):
            return None
        value, label = item
        if isinstance(label, (list, tuple)):
            for inner in label:
                if not (isinstance(inner, (list, tuple)) and len(inner) == 2):
                    return None
                pairs.append((inner[0], inner[1], value))
        else:
            pairs.append((value, label, None))
    return pairs


def _call(function: str, positional: list[str], keywords: dict[str, str | list[str]], prefix: int = 0) -> str:
    """``function(a, k=[v, w])``, as ruff formats it: one argument a line when the statement is too
    long (``prefix``: the characters before it), and one list item a line when an argument still is."""

    def flat(value: str | list[str]) -> str:
        return value if isinstance(value, str) else "[" + ", ".join(value) + "]"

    parts = [*positional, *(f"{k}={flat(v)}" for k, v in keywords.items())]
    one_line = f"{function}({', '.join(parts)})"
    if prefix + len(one_line) <= LINE_LIMIT or not parts:
        return one_line
    lines = [f"    {part}," for part in positional]
    for key, value in keywords.items():
        line = f"    {key}={flat(value)},"
        if len(line) > LINE_LIMIT and isinstance(value, list):
            lines += [f"    {key}=[", *(f"        {item}," for item in value), "    ],"]
        else:
            lines.append(line)
    return f"{function}(\n" + "\n".join(lines) + "\n)"


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


_LITERAL_MISSING = object()


def literal(value: Value) -> object:
    """The Python value of a literal fact value, or ``_LITERAL_MISSING``."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        items = [literal(v) for v in value]
        if any(item is _LITERAL_MISSING for item in items):
            return _LITERAL_MISSING
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        pairs = {k: literal(v) for k, v in value.items()}
        return _LITERAL_MISSING if any(v is _LITERAL_MISSING for v in pairs.values()) else pairs
    return _LITERAL_MISSING


class _Message:
    """A Django error message rewritten for a WTForms validator.

    Django %-formats messages with its params (``%(limit_value)d``, ``%(show_value)d``,
    ``%(value)s``); WTForms formats some messages with its own names (Length: ``min``,
    ``max``, ``length``; NumberRange: ``min``, ``max``) and shows the others as written."""

    PLACEHOLDER = re.compile(r"%\((\w+)\)([sdrif])|%%")

    def __init__(self, writer: _FieldWriter) -> None:
        self.writer = writer

    def code(self, message: Value, names: dict[str, str] | None, values: dict[str, Value] | None = None) -> str:
        """``names``: Django placeholder → WTForms placeholder when WTForms formats the message
        (None when it shows it as written); ``values``: literal values for placeholders."""
        if not isinstance(message, str):
            self.writer.note(
                f"The message {_show(message)} is not a literal: check its placeholders against WTForms' "
                "(Length: %(min)d/%(max)d/%(length)d; NumberRange: %(min)s/%(max)s; others: none)."
            )
            return self.writer.show(message)
        values = values or {}
        unknown: list[str] = []

        def rewrite(match: re.Match[str]) -> str:
            if match.group(0) == "%%":
                return "%%" if names is not None else "%"
            name, conversion = match.group(1), match.group(2)
            if names is not None and name in names:
                return f"%({names[name]}){conversion}"
            value = literal(values[name]) if name in values else _LITERAL_MISSING
            if value is not _LITERAL_MISSING:
                text = str(value)
                return text.replace("%", "%%") if names is not None else text
            unknown.append(name)
            return f"%%({name}){conversion}" if names is not None else match.group(0)

        rewritten = self.PLACEHOLDER.sub(rewrite, message)
        if unknown:
            self.writer.note(
                f"The message {_string(message)} uses %({unknown[0]})s, which WTForms does not fill in: reword it."
            )
        return _string(rewritten)


# ------------------------------------------------------------------ one field
class _FieldWriter:
    def __init__(self, spec: DjangoFormField, form: DjangoForm | None) -> None:
        self.spec = spec
        self.form = form
        self.kind = spec.short_class
        self.options: dict[str, Value] = dict(spec.kwargs)
        self.cls = "StringField"
        self.cls_module = "wtforms"
        self.strip = False
        self.required_kind = "input"  # input | data (stripped text) | boolean | file | none
        self.validators: list[str] = []
        self.arguments: dict[str, str | list[str]] = {}
        self.filters: list[str] = []
        self.render_kw: dict[str, str] = {}
        self.render_kw_code: str | None = None
        self.widget_code: str | None = None
        self.notes: list[str] = []
        self.exact = True
        self.imports: set[ImportName] = set()
        self.helpers: list[str] = []
        self.messages: dict[str, Value] = {}
        self.message = _Message(self)
        self.widget_consumed = False  # the field class already renders what the Django widget rendered
        widget = spec.widget
        self.widget_short = _short(widget.base or widget.widget_class) if widget is not None else None

    # ---------------------------------------------------------------- small tools
    def note(self, text: str, exact: bool = True) -> None:
        if text not in self.notes:
            self.notes.append(text)
        if not exact:
            self.exact = False

    def take(self, name: str) -> Value:
        return self.options.pop(name, None)

    def use(self, module: str, name: str) -> str:
        self.imports.add((module, name))
        return name

    def validator(self, name: str, arguments: str = "") -> None:
        self.use("wtforms.validators", name)
        self.validators.append(f"{name}({arguments})")

    def helper(self, name: str) -> str:
        if name not in self.helpers:
            self.helpers.append(name)
        self.imports.update(HELPERS[name].imports)
        return name

    def field_class(self, name: str, module: str = "wtforms") -> None:
        self.cls, self.cls_module = name, module

    def error_message(self, key: str) -> Value:
        return self.messages.pop(key, None)

    def show(self, value: Value) -> str:
        """A value as code, recording what the code needs: a standard-library import, or a note
        for project names and other expressions copied as written."""
        self.record(value)
        return _show(value)

    def record(self, value: Value) -> None:
        if isinstance(value, (list, tuple)):
            for item in value:
                self.record(item)
        elif isinstance(value, dict):
            for item in value.values():
                self.record(item)
        elif isinstance(value, Ref):
            root = value.path.split(".", 1)[0]
            if "." in value.path and root in sys.stdlib_module_names:
                self.imports.add((root, ""))
            else:
                self.reference(_local_name(value.path))
        elif isinstance(value, CallValue):
            root = value.callee.split(".", 1)[0]
            if value.code.endswith(TRUNCATED):
                self.record(list(value.args))
                self.record([arg for _, arg in value.kwargs])
            if value.callee.startswith("django.utils.translation."):
                alias = value.code.split("(", 1)[0]
                self.use("flask_babel", "lazy_gettext" if alias == "lazy_gettext" else f"lazy_gettext as {alias}")
                self.note(
                    f"{value.code}: Django's translation function → flask_babel.lazy_gettext (import it under the "
                    "name the code uses)."
                )
            elif root in sys.stdlib_module_names and "." in value.callee:
                module, _, name = value.callee.rpartition(".")
                self.imports.add((root, "") if value.code.startswith(root + ".") else (module, name))
            else:
                self.reference(value.code)
        elif isinstance(value, Opaque):
            root = value.code.split(".", 1)[0]
            if value.code.endswith(TRUNCATED):
                self.note(
                    f"An expression too long for fwlint to keep is written as `...`: copy it from the Django source "
                    f"({value.code.removesuffix(TRUNCATED)}...).",
                    False,
                )
                return
            if value.code.isidentifier() and hasattr(builtins, value.code):
                return
            if root in sys.stdlib_module_names and "." in value.code and root.isidentifier():
                self.imports.add((root, ""))
            else:
                self.reference(value.code)

    def reference(self, code: str) -> None:
        self.note(f"`{code}` is copied as written: make the names it uses available in the Flask module.")

    # ---------------------------------------------------------------- build
    def build(self) -> FieldTranslation:
        written = self.take("error_messages")
        if isinstance(written, dict):
            self.messages = dict(written)
        elif written is not None:
            self.note(f"error_messages={_show(written)} is not a literal dict: move its messages by hand.", False)
        if self.spec.field_class.startswith("project:"):
            self.note(
                f"`{self.spec.field_class.removeprefix('project:')}` is the project's own field class (extends "
                f"`{self.spec.base}`): translated as its base; port its clean()/to_python() to a WTForms field "
                "subclass (process_formdata) or a validator.",
                False,
            )
        elif self.spec.field_class == PASSWORD_HASH_FIELD:
            # ReadOnlyPasswordHashField.__init__: kwargs.setdefault("required", False), ("disabled", True).
            self.options.setdefault("required", False)
            self.options.setdefault("disabled", True)
        elif self.spec.base is not None and self.spec.field_class != USERNAME_FIELD:
            self.note(f"`{self.spec.field_class}` is translated as `{self.spec.base}`.")
        handler = getattr(self, "field_" + self.kind, None)
        if handler is None or not self.spec.framework_class.startswith("django."):
            self.note(
                f"`{self.spec.field_class}` has no WTForms counterpart known to fwlint: a StringField stands in.", False
            )
        else:
            handler()
        self.auth_field()
        self.apply_widget()
        self.common_options()
        self.apply_validators()
        self.model_options()
        label = self.label_code()
        first = self.required_validator()
        self.leftovers()
        return self.result(label, first)

    def result(self, label: str, first: str | None) -> FieldTranslation:
        name = self.spec.name
        self.use(self.cls_module, self.cls)
        keywords: dict[str, str | list[str]] = {}
        validators = ([first] if first else []) + self.validators
        if validators:
            keywords["validators"] = validators
        keywords.update(self.arguments)
        if self.filters:
            keywords["filters"] = self.filters
        if self.render_kw or self.render_kw_code:
            entries = [f"{k}: {v}" for k, v in self.render_kw.items()]
            if self.render_kw_code:
                entries.append("**" + self.render_kw_code)
            keywords["render_kw"] = "{" + ", ".join(entries) + "}"
        if self.widget_code:
            keywords["widget"] = self.widget_code
        code = f"{name} = " + _call(self.cls, [label], keywords, prefix=len(name) + 3)
        return FieldTranslation(
            name=name,
            code=code,
            notes=self.notes,
            exact=self.exact,
            field_class=self.cls,
            imports=sorted(self.imports),
            helpers=self.helpers,
        )

    def label_code(self) -> str:
        label = self.take("label")
        if label is None:
            return _string(pretty_name(self.spec.name))  # Django's default; WTForms would title-case it
        return self.show(label)

    # ---------------------------------------------------------------- required / optional
    def required_validator(self) -> str | None:
        required = self.take("required")
        if required is None:
            required = True
        flag = literal(required)
        if not isinstance(flag, bool):
            self.note(f"required={_show(required)} is decided at run time: translated as required.", False)
            flag = True
        message = self.error_message("required")
        arguments = self.message.code(message, None) if message is not None else ""
        arguments = f"message={arguments}" if arguments else ""
        if self.required_kind == "none":
            return None
        if flag:
            if self.required_kind == "file":
                return self.use("flask_wtf.file", "FileRequired") + f"({arguments})"
            # A required BooleanField must be checked: DataRequired() rejects False.
            name = "DataRequired" if self.required_kind in ("data", "boolean") else "InputRequired"
            return self.use("wtforms.validators", name) + f"({arguments})"
        if self.required_kind in ("boolean", "file"):
            return None  # an unchecked box / a missing file passes the other validators untouched
        self.use("wtforms.validators", "Optional")
        # Django rejects whitespace as a number, date or choice: only stripped text counts as empty.
        return "Optional()" if self.strip else "Optional(strip_whitespace=False)"

    # ---------------------------------------------------------------- text fields
    def as_text(self, default_class: str = "StringField", strip_default: bool = True) -> None:
        """A string field: the WTForms class its widget renders, stripping like Django."""
        strip = self.take("strip")
        strip_flag = literal(strip) if strip is not None else strip_default
        if not isinstance(strip_flag, bool):
            self.note(f"strip={_show(strip)} is decided at run time: translated as strip=True.", False)
            strip_flag = True
        self.strip = strip_flag
        self.required_kind = "data" if strip_flag else "input"
        cls = TEXT_FIELD_FOR_WIDGET.get(self.widget_short or "", default_class)
        self.field_class(cls)
        if self.widget_short in TEXT_FIELD_FOR_WIDGET:
            self.widget_consumed = True
        if self.widget_short in RENDERED_AS_TEXT:
            self.widget_consumed = True
        if strip_flag:
            self.filters.append(self.helper("strip_whitespace"))
        empty_value = self.options.pop("empty_value", "")
        if literal(empty_value) is None:
            self.filters.append(self.helper("empty_to_none"))
        elif literal(empty_value) != "":
            self.note(f"empty_value={_show(empty_value)}: replace an empty field.data in the view.", False)

    def lengths(self) -> None:
        low = self.take("min_length")
        high = self.take("max_length")
        self.length_validator(low, high, self.error_message("min_length"), self.error_message("max_length"))

    def length_validator(self, low: Value, high: Value, low_message: Value, high_message: Value) -> None:
        """Length(min, max); one per bound when their messages differ."""
        if low is None and high is None:
            return
        names_low = {"limit_value": "min", "show_value": "length"}
        names_high = {"limit_value": "max", "show_value": "length"}
        if low_message is None and high_message is None:
            parts = [f"min={self.show(low)}"] if low is not None else []
            parts += [f"max={self.show(high)}"] if high is not None else []
            self.validator("Length", ", ".join(parts))
            return
        for bound, param, message, names in (
            (low, "min", low_message, names_low),
            (high, "max", high_message, names_high),
        ):
            if bound is None:
                continue
            extra = f", message={self.message.code(message, names)}" if message is not None else ""
            self.validator("Length", f"{param}={self.show(bound)}{extra}")

    def field_CharField(self) -> None:
        self.as_text()
        self.lengths()
        if self.widget_short in ("Select", "RadioSelect") and self.spec.widget is not None:
            choices = self.spec.widget.kwargs.get("choices")
            self.field_class("RadioField" if self.widget_short == "RadioSelect" else "SelectField")
            self.arguments["choices"] = self.choices_code(choices) if choices is not None else "[]"
            self.arguments["validate_choice"] = "False"
            self.widget_consumed = True
            self.note("A CharField rendered as a select accepts any value: validate_choice=False keeps that.")

    def field_Field(self) -> None:
        self.as_text(strip_default=False)
        self.lengths()
        self.note("forms.Field takes the value as submitted: a StringField without stripping.")

    def field_EmailField(self) -> None:
        self.as_text("EmailField")
        self.options.setdefault("max_length", 320)  # forms.EmailField's default
        self.lengths()
        message = self.error_message("invalid")
        self.validator("Email", f"message={self.message.code(message, None)}" if message is not None else "")
        self.note(
            "Email() needs the email_validator package; it and Django's EmailValidator judge rare addresses "
            "differently (Django accepts user@localhost)."
        )

    def field_URLField(self) -> None:
        self.as_text("URLField")
        self.lengths()
        scheme = self.take("assume_scheme")
        scheme_value = literal(scheme) if scheme is not None else "http"
        if scheme is None:
            self.note(
                'Django 5.2 assumes "http://" for input without a scheme unless FORMS_URLFIELD_ASSUME_HTTPS '
                '(then "https://"); the filter does the same.'
            )
        if isinstance(scheme_value, str):
            self.filters.append(f"{self.helper('url_with_scheme')}({_string(scheme_value)})")
        else:
            self.note(f"assume_scheme={_show(scheme)}: prepend the scheme to input without one.", False)
        message = self.error_message("invalid")
        arguments = ["allow_userinfo=True", "schemes=(" + ", ".join(_string(s) for s in URL_SCHEMES) + ")"]
        if message is not None:
            arguments.append(f"message={self.message.code(message, None)}")
        self.validator("URL", ", ".join(arguments))
        self.note(
            "URL() and Django's URLValidator judge rare URLs differently: Django also accepts "
            "http://localhost/, rejects whitespace in the path and URLs over 2048 characters."
        )

    def field_SlugField(self) -> None:
        self.as_text()
        self.lengths()
        unicode = literal(self.take("allow_unicode")) is True
        pattern = UNICODE_SLUG_PATTERN if unicode else SLUG_PATTERN
        message = self.error_message("invalid")
        extra = f", message={self.message.code(message, None)}" if message is not None else ""
        self.validator("Regexp", _regex_literal(pattern) + extra)

    def field_RegexField(self) -> None:
        self.as_text(strip_default=False)
        self.lengths()
        regex = self.take("regex")
        message = self.error_message("invalid")
        extra = f", message={self.message.code(message, None)}" if message is not None else ""
        pattern = _regex_literal(regex) if isinstance(regex, str) else self.show(regex)
        self.use("re", "")
        self.validator("Regexp", f"{pattern}{extra}, matcher=re.search")
        self.note("Regexp(matcher=re.search) searches like Django's RegexValidator (WTForms matches at the start).")

    def field_UUIDField(self) -> None:
        self.as_text()
        self.lengths()
        message = self.error_message("invalid")
        self.validator("UUID", f"message={self.message.code(message, None)}" if message is not None else "")
        self.note("field.data stays a string: Django's cleaned value was a uuid.UUID (uuid.UUID(field.data)).", False)

    def field_GenericIPAddressField(self) -> None:
        self.as_text()
        self.take("max_length")  # Django's default (39) fits every address IPAddress() accepts
        protocol = literal(self.take("protocol") or "both")
        protocol_name = protocol.lower() if isinstance(protocol, str) else "both"
        ipv4 = protocol_name in ("both", "ipv4")
        ipv6 = protocol_name in ("both", "ipv6")
        message = self.error_message("invalid")
        arguments = [f"ipv4={ipv4}", f"ipv6={ipv6}"]
        if message is not None:
            arguments.append(f"message={self.message.code(message, None)}")
        self.validator("IPAddress", ", ".join(arguments))
        if self.take("unpack_ipv4") is not None:
            self.note("unpack_ipv4: convert ::ffff:a.b.c.d to a.b.c.d in the view.", False)
        if ipv6:
            self.note("Django normalises IPv6 addresses (compressed form); WTForms keeps them as typed.", False)

    def field_JSONField(self) -> None:
        self.required_kind = "input"
        self.field_class("TextAreaField")
        if self.widget_short not in (None, "Textarea"):
            self.field_class("StringField")
        self.widget_consumed = True
        self.validators.append(self.helper("valid_json"))
        for name in ("encoder", "decoder"):
            if self.take(name) is not None:
                self.note(f"{name}= → pass it to json.loads/json.dumps where the view reads the data.", False)
        self.note("field.data stays the JSON text: Django's cleaned value was the parsed JSON (json.loads).", False)

    # ---------------------------------------------------------------- numbers
    def number_widget(self) -> None:
        if self.widget_short in (None, "NumberInput"):
            self.widget_consumed = True
            attrs = self.spec.widget.attrs if self.spec.widget is not None else None
            if isinstance(attrs, dict) and attrs.get("type") == "range":
                self.field_class(self.cls.replace("Field", "RangeField"))

    def number_range(self, date: bool = False) -> None:
        low = self.take("min_value")
        high = self.take("max_value")
        low_message = self.error_message("min_value")
        high_message = self.error_message("max_value")
        self.range_validator(low, high, low_message, high_message, date)

    def range_validator(self, low: Value, high: Value, low_message: Value, high_message: Value, date: bool) -> None:
        if low is None and high is None:
            return
        name = "DateRange" if date else "NumberRange"
        if low_message is None and high_message is None:
            parts = [f"min={self.show(low)}"] if low is not None else []
            parts += [f"max={self.show(high)}"] if high is not None else []
            self.validator(name, ", ".join(parts))
            return
        for bound, param, message in ((low, "min", low_message), (high, "max", high_message)):
            if bound is None:
                continue
            extra = f", message={self.message.code(message, {'limit_value': param})}" if message is not None else ""
            self.validator(name, f"{param}={self.show(bound)}{extra}")

    def step(self, offset: Value) -> None:
        step = self.take("step_size")
        if step is None:
            return
        message = self.error_message("step_size")
        arguments = [self.show(step)]
        if offset is not None:
            arguments.append(f"offset={self.show(offset)}")
        if message is not None:
            arguments.append(f"message={self.message.code(message, None, {'limit_value': step})}")
        self.validators.append(f"{self.helper('StepValue')}({', '.join(arguments)})")

    def invalid_message(self) -> None:
        message = self.error_message("invalid")
        if message is not None:
            self.arguments["invalid_value_message"] = self.message.code(message, None)

    def field_IntegerField(self) -> None:
        self.field_class("IntegerField")
        self.number_widget()
        offset = self.options.get("min_value")
        self.number_range()
        self.step(offset)
        self.invalid_message()
        self.localize_note()
        self.note('Django accepts "1.0" (trailing decimal zeros) as 1; WTForms\' int() rejects it.')

    def field_FloatField(self) -> None:
        self.field_class("FloatField")
        self.number_widget()
        offset = self.options.get("min_value")
        self.number_range()
        self.step(offset)
        self.validators.append(self.helper("finite_number"))
        self.invalid_message()
        self.localize_note()

    def field_DecimalField(self) -> None:
        self.field_class("DecimalField")
        self.number_widget()
        digits = self.take("max_digits")
        places = self.take("decimal_places")
        offset = self.options.get("min_value")
        self.number_range()
        self.step(offset)
        arguments = []
        if digits is not None:
            arguments.append(f"max_digits={self.show(digits)}")
        if places is not None:
            arguments.append(f"decimal_places={self.show(places)}")
        self.validators.append(f"{self.helper('DecimalDigits')}({', '.join(arguments)})")
        # ``places`` only formats the redisplayed value; None keeps it as typed, like Django.
        self.arguments["places"] = self.show(places) if places is not None else "None"
        for key in ("max_digits", "max_decimal_places", "max_whole_digits"):
            if self.error_message(key) is not None:
                self.note(f'error_messages["{key}"]: pass the message to DecimalDigits by hand.', False)
        self.invalid_message()
        self.localize_note()

    def localize_note(self) -> None:
        if literal(self.options.get("localize")) is True:
            self.take("localize")
            self.note(
                "localize=True: WTForms parses locale-formatted numbers only with use_locale=True (DecimalField, "
                "with babel); other number fields take Python syntax.",
                False,
            )

    # ---------------------------------------------------------------- booleans and choices
    def field_BooleanField(self) -> None:
        self.field_class("BooleanField")
        self.required_kind = "boolean"
        if self.widget_short in (None, "CheckboxInput"):
            self.widget_consumed = True
        self.note('Django reads "false" in any letter case as unchecked; WTForms only "false" (false_values).')

    def field_NullBooleanField(self) -> None:
        self.field_class("SelectField")
        self.required_kind = "none"  # NullBooleanField.validate() accepts everything, required or not
        self.options.pop("required", None)
        widget = self.spec.widget
        if self.widget_short in (None, "NullBooleanSelect"):
            self.arguments["choices"] = list(NULL_BOOLEAN_CHOICES)
            self.use("wtforms", "SelectChoice")
            self.arguments["coerce"] = self.helper("null_boolean")
            self.widget_consumed = True
        else:
            # Another widget submits its own values, which NullBooleanField.to_python() reads.
            choices = widget.kwargs.get("choices") if widget is not None else None
            self.arguments["choices"] = self.choices_code(choices) if choices is not None else "[]"
            self.arguments["coerce"] = self.helper("null_boolean_value")
            if self.widget_short in ("Select", "RadioSelect"):
                self.field_class("RadioField" if self.widget_short == "RadioSelect" else "SelectField")
                self.widget_consumed = True
        self.arguments["validate_choice"] = "False"
        self.note("A NullBooleanField is a select of unknown/yes/no: field.data is None, True or False.")

    def choice_widget(self, multiple: bool) -> None:
        if self.widget_short == "RadioSelect" and not multiple:
            self.field_class("RadioField")
        elif self.widget_short == "CheckboxSelectMultiple" and multiple:
            self.widget_code = self.use("wtforms.widgets", "ListWidget") + "(prefix_label=False)"
            self.arguments["option_widget"] = self.use("wtforms.widgets", "CheckboxInput") + "()"
        elif self.widget_short == "HiddenInput":
            self.widget_code = self.use("wtforms.widgets", "HiddenInput") + "()"
        elif self.widget_short not in (None, "Select", "SelectMultiple"):
            return
        self.widget_consumed = True

    def choices_argument(self) -> None:
        choices = self.take("choices")
        if choices is None:
            self.arguments["choices"] = "[]"
            self.note(
                f"No choices given: set form.{self.spec.name}.choices in the view or pass a callable as choices=.",
                False,
            )
            return
        self.arguments["choices"] = self.choices_code(choices)
        invalid = self.error_message("invalid_choice")
        if invalid is not None:
            names = {"value": "value"} if self.cls == "SelectMultipleField" else None
            self.arguments["invalid_choice_message"] = self.message.code(invalid, names)

    def choices_code(self, choices: Value) -> str | list[str]:
        """Django's (value, label) pairs and (group, [pairs]) groups → SelectChoice options; anything else
        (a name, a callable, pairs built by calls) is copied as written."""
        pairs = _choice_pairs(choices)
        if pairs is None:
            self.note(
                f"choices={_show(choices)} is copied as written: WTForms 3.3 warns about (value, label) tuples "
                "(SelectChoice instead), does not read Django's nested optgroups, and calls a callable with "
                "(form, field) or no argument."
            )
            return self.show(choices)
        self.use("wtforms", "SelectChoice")
        options: list[str] = []
        for value, label, group in pairs:
            group_code = f", optgroup={self.show(group)}" if group is not None else ""
            options.append(f"SelectChoice({self.show(value)}, {self.show(label)}{group_code})")
        return options

    def coerce_argument(self, multiple: bool) -> None:
        coerce = self.take("coerce")
        default_empty: Value = [] if multiple else ""
        empty_value = self.options.pop("empty_value", default_empty)
        if coerce is None or _show(coerce) == "str":
            if literal(empty_value) not in ("", [], None):
                self.note(f"empty_value={_show(empty_value)}: an empty choice is '' in WTForms.", False)
            elif literal(empty_value) is None and not multiple:
                self.note("empty_value=None: an empty choice is '' in WTForms (None in Django).")
            return
        if multiple:
            self.arguments["coerce"] = self.show(coerce)
            return
        empty = f", {self.show(empty_value)}" if literal(empty_value) != "" else ""
        self.arguments["coerce"] = f"{self.helper('coerce_or_empty')}({self.show(coerce)}{empty})"
        self.note(
            "Django compares the submitted text with the choices before coercing; WTForms compares coerced "
            'values ("01" matches 1 in WTForms only).'
        )

    def field_ChoiceField(self) -> None:
        self.field_class("SelectField")
        self.choice_widget(multiple=False)
        self.choices_argument()

    def field_TypedChoiceField(self) -> None:
        self.field_ChoiceField()
        self.coerce_argument(multiple=False)

    def field_MultipleChoiceField(self) -> None:
        self.field_class("SelectMultipleField")
        self.choice_widget(multiple=True)
        self.choices_argument()

    def field_TypedMultipleChoiceField(self) -> None:
        self.field_MultipleChoiceField()
        self.coerce_argument(multiple=True)

    def field_FilePathField(self) -> None:
        self.field_class("SelectField")
        self.choice_widget(multiple=False)
        path = self.take("path")
        for name in ("match", "recursive", "allow_files", "allow_folders"):
            self.take(name)
        self.arguments["choices"] = "[]"
        self.note(
            f"FilePathField lists {_show(path)} when the form is built: fill form.{self.spec.name}.choices from "
            "os.scandir() in the view (same filters).",
            False,
        )

    # ---------------------------------------------------------------- dates
    def temporal(self, cls: str, helper: str) -> None:
        self.field_class(cls)
        formats = self.take("input_formats")
        if formats is None:
            self.arguments["format"] = self.helper(helper)
        else:
            self.arguments["format"] = self.show(formats)
        if self.widget_short is not None and self.spec.widget is not None and "format" in self.spec.widget.kwargs:
            self.note(
                f"The widget's display format {_show(self.spec.widget.kwargs['format'])}: WTForms renders the "
                "value with the first format of format=.",
            )
        self.invalid_message()
        self.note("Django strips surrounding whitespace before parsing; WTForms' strptime rejects it.")

    def field_DateField(self) -> None:
        self.temporal("DateField", "DATE_INPUT_FORMATS")
        self.date_widget(("DateInput",), "date")

    def field_TimeField(self) -> None:
        self.temporal("TimeField", "TIME_INPUT_FORMATS")
        self.date_widget(("TimeInput",), "time")

    def field_DateTimeField(self) -> None:
        self.temporal("DateTimeLocalField", "DATETIME_INPUT_FORMATS")
        self.date_widget(("DateTimeInput",), "datetime-local")
        self.note(
            "Django returns an aware datetime (USE_TZ=True) and accepts ISO 8601 offsets (Z, +02:00); "
            "DateTimeLocalField returns a naive one (tz= attaches a zone)."
        )

    def date_widget(self, widgets: tuple[str, ...], input_type: str) -> None:
        if self.widget_short is None or self.widget_short in widgets:
            self.widget_consumed = True
            attrs = self.spec.widget.attrs if self.spec.widget is not None else None
            if not (isinstance(attrs, dict) and attrs.get("type") == input_type):
                self.note(f'WTForms renders <input type="{input_type}">; Django\'s widget was a text input.')
        elif self.widget_short == "SelectDateWidget":
            self.widget_consumed = True
            self.note(
                "SelectDateWidget posts <name>_year, <name>_month and <name>_day: use three SelectFields and "
                "combine them in validate_<field>(), or a single date input.",
                False,
            )

    def field_DurationField(self) -> None:
        self.as_text(strip_default=False)
        self.required_kind = "input"
        self.note(
            'WTForms has no duration field: parse the text (Django accepted "[DD] [[HH:]MM:]ss[.uuuuuu]" and '
            "ISO 8601 durations) in validate_<field>() into a datetime.timedelta.",
            False,
        )

    def field_SplitDateTimeField(self) -> None:
        self.temporal("DateTimeLocalField", "DATETIME_INPUT_FORMATS")
        for name in ("input_date_formats", "input_time_formats"):
            self.take(name)
        self.widget_consumed = True
        self.note(
            "SplitDateTimeField posts <name>_0 (date) and <name>_1 (time); this field takes one datetime-local "
            "value: change the template (or use a DateField and a TimeField).",
            False,
        )

    # ---------------------------------------------------------------- files
    def field_FileField(self) -> None:
        self.field_class("FileField", "flask_wtf.file")
        self.required_kind = "file"
        if self.widget_short in (None, "FileInput", "ClearableFileInput"):
            self.widget_consumed = True
        allow_empty = literal(self.take("allow_empty_file")) is True
        if not allow_empty:
            self.use("math", "")
            message = self.error_message("empty")
            text = self.message.code(message, None) if message is not None else '"The submitted file is empty."'
            self.validators.append(
                self.use("flask_wtf.file", "FileSize") + f"(max_size=math.inf, min_size=1, message={text})"
            )
        max_length = self.take("max_length")
        if max_length is not None:
            self.note(
                f"max_length={_show(max_length)} limits the file name in Django: check len(field.data.filename) "
                f"in validate_{self.spec.name}().",
                False,
            )
        if literal(self.options.get("required", True)) is False and self.widget_short in (None, "ClearableFileInput"):
            self.note(f'Django\'s ClearableFileInput adds a "{self.spec.name}-clear" checkbox; WTForms has none.')
        self.note(
            "field.data is a werkzeug FileStorage (.filename, .save()) instead of an UploadedFile (.name, .chunks())."
        )

    def field_ImageField(self) -> None:
        self.field_FileField()
        listed = ", ".join(_string(e) for e in IMAGE_EXTENSIONS)
        self.validators.append(self.use("flask_wtf.file", "FileAllowed") + f"([{listed}])")
        self.note(
            "ImageField also opens the file with Pillow to verify it is an image; FileAllowed only checks the "
            "extension: verify with PIL.Image.open(field.data).verify() in validate_<field>().",
            False,
        )

    # ---------------------------------------------------------------- model choices
    def model_choice(self, multiple: bool) -> None:
        self.required_kind = "input"
        radio = self.widget_short == "RadioSelect"
        checkboxes = self.widget_short == "CheckboxSelectMultiple"
        if multiple:
            self.field_class(
                "QueryCheckboxField" if checkboxes else "QuerySelectMultipleField", "wtforms_sqlalchemy.fields"
            )
        else:
            self.field_class("QueryRadioField" if radio else "QuerySelectField", "wtforms_sqlalchemy.fields")
        if self.widget_short in (None, "Select", "SelectMultiple", "RadioSelect", "CheckboxSelectMultiple"):
            self.widget_consumed = True
        queryset = self.take("queryset")
        model = self.spec.related_model
        name = _short(model) if model is not None else ""
        if model is None:
            self.note(
                f"queryset={_show(queryset)}: set form.{self.spec.name}.query (a SQLAlchemy query) in the view or "
                "pass query_factory=.",
                False,
            )
        elif not name[:1].isupper() or name.isupper():  # settings.AUTH_USER_MODEL and the like
            self.note(f"The related model {model} is not a class fwlint knows: write query_factory by hand.", False)
        else:
            self.use(MODELS_MODULE, name)
            self.use(MODELS_MODULE, "db")  # the Flask-SQLAlchemy instance the ported models are declared with
            self.arguments["query_factory"] = f"lambda: db.session.scalars(db.select({name})).all()"
            self.note(
                f"{name} is the ported model and `db` the Flask-SQLAlchemy instance: both are imported from "
                f"{MODELS_MODULE}, where the models are declared."
            )
            if not self.spec.plain_queryset:
                written = _show(queryset) if queryset is not None else f"{name} rows"
                self.note(
                    f"The queryset {written} filters the rows: add the same filter to the select() "
                    "(query_factory lists every row as written).",
                    False,
                )
        to_field = self.take("to_field_name")
        if isinstance(to_field, str):
            self.arguments["get_pk"] = f"lambda obj: obj.{to_field}"
        elif to_field is not None:
            self.note(f"to_field_name={_show(to_field)}: pass get_pk= returning that attribute.", False)
        if self.take("limit_choices_to") is not None:
            self.note("limit_choices_to filters the choices: add it to the select() in query_factory.", False)
        self.take("blank")
        self.take("iterator")
        empty_label = self.options.pop("empty_label", "---------")
        if not multiple:
            required = literal(self.options.get("required", True)) is not False
            # ModelChoiceField drops the empty option for empty_label=None, a required field with an
            # initial value, and a required RadioSelect.
            initial = self.options.get("initial")
            if not (empty_label is None or (required and initial is not None) or (radio and required)):
                self.arguments["allow_blank"] = "True"
                self.arguments["blank_text"] = self.show(empty_label)
                self.arguments["blank_value"] = '""'  # Django's empty option submits ""
        if multiple:
            self.validators.append(self.helper("known_choices"))
        if to_field is None:
            self.note("The options submit primary keys, as Django's did (get_pk= changes that).")

    def field_ModelChoiceField(self) -> None:
        self.model_choice(multiple=False)

    def field_ModelMultipleChoiceField(self) -> None:
        self.model_choice(multiple=True)

    # ---------------------------------------------------------------- composites
    def field_ComboField(self) -> None:
        fields = self.take("fields")
        inner = [f for f in fields if isinstance(f, CallValue)] if isinstance(fields, (list, tuple)) else []
        self.as_text()
        self.lengths()
        if not inner:
            self.note("ComboField(fields=...) is not a literal list: combine the fields' validators by hand.", False)
            return
        for call in inner:
            self.merge_inner(call)
        self.note("ComboField runs each field in turn: their validators are combined on one field.")

    def merge_inner(self, call: CallValue) -> None:
        """A field inside a ComboField: its validators join this field's (its ``required`` is ignored)."""
        short = _short(call.callee)
        spec = DjangoFormField(
            name=self.spec.name,
            file=self.spec.file,
            span=self.spec.span,
            field_class="django.forms." + short,
            kwargs={**dict(call.kwargs), "required": False},
        )
        inner = _FieldWriter(spec, self.form)
        inner.build()
        self.validators.extend(v for v in inner.validators if not v.startswith("Optional("))
        self.filters.extend(f for f in inner.filters if f not in self.filters)
        self.imports.update(inner.imports)
        for name in inner.helpers:
            self.helper(name)
        if not inner.exact:
            self.note(f"The inner {short}: " + " ".join(inner.notes), False)

    def field_MultiValueField(self) -> None:
        self.as_text()
        self.lengths()
        self.take("fields")
        self.take("require_all_fields")
        self.note(
            "A MultiValueField posts <name>_0, <name>_1...: declare one WTForms field per part (or a FormField) "
            "and port compress() to validate_<field>().",
            False,
        )

    # ---------------------------------------------------------------- django.contrib.auth
    def auth_field(self) -> None:
        """What Django's auth field classes and the password checks of django.contrib.auth's forms add."""
        help_text = self.options.get("help_text")
        if isinstance(help_text, CallValue) and help_text.callee == PASSWORD_RULES_HELP:
            self.take("help_text")
            self.note(
                "help_text listed the rules of settings.AUTH_PASSWORD_VALIDATORS "
                "(password_validators_help_text_html()): write them as description=."
            )
        if self.spec.field_class == USERNAME_FIELD:
            self.filters.append(self.helper("normalize_username"))
            self.render_kw['"autocapitalize"'] = '"none"'
            self.render_kw['"autocomplete"'] = '"username"'
            self.note(
                "UsernameField: normalize_username NFKC-normalises the stripped username, and the input gets "
                'autocapitalize="none" autocomplete="username", as UsernameField does.'
            )
        elif self.spec.field_class == PASSWORD_HASH_FIELD:
            self.note(
                "ReadOnlyPasswordHashField only displays a summary of the stored hash (algorithm, salt...) with a "
                "link to the password change form: render that in the template, and never set the password from "
                "this field (leave it out of populate_obj()).",
                False,
            )
        confirmation = password_confirmation(self.form)
        if confirmation is None or self.spec.name != confirmation[1]:
            return
        first, second = confirmation
        self.validator("EqualTo", f"{_string(first)}, message={_string(PASSWORD_MISMATCH)}")
        self.note(
            f'EqualTo("{first}") is the check clean() made (SetPasswordMixin.validate_passwords()); when {first} '
            f"is empty WTForms also reports the mismatch on {second}, where Django reported only {first} as required."
        )
        self.note(
            f"Django also ran settings.AUTH_PASSWORD_VALIDATORS on {second} "
            "(password_validation.validate_password(), with the user's new field values): add a validator making "
            "the same checks (minimum length, common passwords, all-numeric, similarity to the user's attributes, "
            "as configured).",
            False,
        )

    # ---------------------------------------------------------------- widgets and common options
    def apply_widget(self) -> None:
        widget = self.spec.widget
        if widget is None:
            return
        if widget.widget_class == "expression":
            self.note(f"widget={widget.code} is not a widget class fwlint can read: choose a WTForms widget.", False)
            return
        if widget.widget_class.startswith("project:"):
            self.note(
                f"The project widget {widget.widget_class.removeprefix('project:')} (extends {widget.base}): "
                "port its rendering (and any value_from_datadict()) to a WTForms widget.",
                False,
            )
        elif not self.widget_consumed:
            mapped = WIDGET_FOR_WIDGET.get(self.widget_short or "")
            if mapped is not None:
                self.widget_code = self.use("wtforms.widgets", mapped.removesuffix("()")) + "()"
            else:
                self.note(
                    f"The widget {self.widget_short} has no WTForms counterpart known to fwlint: choose one.", False
                )
        self.widget_attrs(widget)

    def widget_attrs(self, widget: DjangoWidget) -> None:
        attrs = widget.attrs
        if isinstance(attrs, dict):
            for key, value in attrs.items():
                self.render_kw[_string(key)] = self.show(value)
        elif attrs is not None:
            self.render_kw_code = self.show(attrs)
        for key, value in widget.kwargs.items():
            if key == "render_value" and literal(value) is True and self.cls == "PasswordField":
                self.widget_code = self.use("wtforms.widgets", "PasswordInput") + "(hide_value=False)"
            elif key in ("choices", "format"):
                continue  # used by the field handlers
            elif key == "input_type":
                self.render_kw['"type"'] = self.show(value)
            else:
                self.note(f"The widget's {key}={_show(value)} has no WTForms counterpart.", False)

    def common_options(self) -> None:
        initial = self.take("initial")
        if initial is not None:
            self.arguments["default"] = self.show(initial)
            if self.required_kind == "data":
                self.note(
                    "initial= → default=: WTForms keeps the default when the key is missing from the submitted "
                    "data, so DataRequired() passes; Django treated a missing key as empty."
                )
        help_text = self.take("help_text")
        if help_text is not None and literal(help_text) != "":
            self.arguments["description"] = self.show(help_text)
        if literal(self.take("disabled")) is True:
            self.render_kw['"disabled"'] = "True"
            self.note(
                "disabled=True: Django ignores the submitted value and keeps the initial one; WTForms takes what is "
                "submitted: don't save this field from form data.",
                False,
            )
        for name, reason in (
            ("label_suffix", "render the suffix in the template"),
            ("template_name", "render the field with a template macro"),
            ("bound_field_class", "WTForms has no bound field class"),
            ("show_hidden_initial", "WTForms renders no hidden initial value"),
            ("localize", "WTForms does not localise this field"),
        ):
            value = self.take(name)
            if value is not None and literal(value) not in (False, None):
                self.note(f"{name}={_show(value)}: {reason}.")

    def apply_validators(self) -> None:
        if self.spec.validators_value is not None:
            self.note(
                f"validators={_show(self.spec.validators_value)} is not a literal list: translate its validators "
                "by hand.",
                False,
            )
        lengths: dict[str, tuple[Value, Value]] = {}
        for validator in self.spec.validators:
            short = _short(validator.name)
            if not validator.name.startswith(("django.core.validators.", "django.contrib.auth.validators.")):
                self.note(
                    f"Validator `{validator.code}`: a WTForms validator takes (form, field) and raises "
                    "wtforms.validators.ValidationError; rewrite it (call it with field.data).",
                    False,
                )
                continue
            if short in ("MinLengthValidator", "MaxLengthValidator"):
                key = "min" if short.startswith("Min") else "max"
                lengths[key] = (validator.kwargs.get("limit_value"), validator.kwargs.get("message"))
                continue
            handler = getattr(self, "validator_" + short, None)
            if handler is None:
                self.note(f"Validator `{validator.code}` has no WTForms counterpart known to fwlint.", False)
                continue
            handler(validator)
        if lengths:
            low, low_message = lengths.get("min", (None, None))
            high, high_message = lengths.get("max", (None, None))
            self.length_validator(low, high, low_message, high_message)

    def validator_MinValueValidator(self, validator: DjangoValidator) -> None:
        self.value_bound(validator, "min")

    def validator_MaxValueValidator(self, validator: DjangoValidator) -> None:
        self.value_bound(validator, "max")

    def value_bound(self, validator: DjangoValidator, param: str) -> None:
        date = self.cls in ("DateField", "DateTimeLocalField", "TimeField")
        bound = validator.kwargs.get("limit_value")
        message = validator.kwargs.get("message")
        if param == "min":
            self.range_validator(bound, None, message, None, date)
        else:
            self.range_validator(None, bound, None, message, date)

    def validator_StepValueValidator(self, validator: DjangoValidator) -> None:
        arguments = [self.show(validator.kwargs.get("limit_value"))]
        if validator.kwargs.get("offset") is not None:
            arguments.append(f"offset={self.show(validator.kwargs['offset'])}")
        self.validators.append(f"{self.helper('StepValue')}({', '.join(arguments)})")

    def validator_DecimalValidator(self, validator: DjangoValidator) -> None:
        arguments = [
            f"{k}={self.show(validator.kwargs[k])}" for k in ("max_digits", "decimal_places") if k in validator.kwargs
        ]
        self.validators.append(f"{self.helper('DecimalDigits')}({', '.join(arguments)})")

    def validator_RegexValidator(self, validator: DjangoValidator) -> None:
        regex = validator.kwargs.get("regex")
        if regex is None:
            self.note(f"`{validator.code}` has no pattern fwlint can read: write a Regexp by hand.", False)
            return
        arguments = [_regex_literal(regex) if isinstance(regex, str) else self.show(regex)]
        if validator.kwargs.get("flags") is not None:
            arguments.append(f"flags={self.show(validator.kwargs['flags'])}")
        message = validator.kwargs.get("message")
        if message is not None:
            arguments.append(f"message={self.message.code(message, None)}")
        self.use("re", "")
        inverse = literal(validator.kwargs.get("inverse_match")) is True
        arguments.append("matcher=lambda regex, value: not regex.search(value)" if inverse else "matcher=re.search")
        self.validator("Regexp", ", ".join(arguments))

    def validator_UnicodeUsernameValidator(self, validator: DjangoValidator) -> None:
        self.username_validator(validator, "")

    def validator_ASCIIUsernameValidator(self, validator: DjangoValidator) -> None:
        self.username_validator(validator, "re.ASCII")

    def username_validator(self, validator: DjangoValidator, flags: str) -> None:
        """django.contrib.auth's username validators: RegexValidators with their own pattern, flags and message."""
        name, text = USERNAME_MESSAGES[_short(validator.name)]
        if validator.kwargs:  # arguments given to it override RegexValidator's class attributes
            defaults: dict[str, Value] = {"regex": USERNAME_PATTERN, "message": text}
            if flags:
                defaults["flags"] = Ref(flags)
            self.validator_RegexValidator(replace(validator, kwargs={**defaults, **validator.kwargs}))
            return
        self.use("re", "")
        message = self.helper(name)
        flags_argument = f", flags={flags}" if flags else ""
        self.validator(
            "Regexp", f"{_regex_literal(USERNAME_PATTERN)}{flags_argument}, message={message}, matcher=re.search"
        )

    def validator_EmailValidator(self, validator: DjangoValidator) -> None:
        message = validator.kwargs.get("message")
        self.validator("Email", f"message={self.message.code(message, None)}" if message is not None else "")
        if validator.kwargs.get("allowlist") is not None:
            self.note("EmailValidator(allowlist=...) has no Email() counterpart.", False)

    def validator_validate_email(self, validator: DjangoValidator) -> None:
        self.validator("Email")

    def validator_URLValidator(self, validator: DjangoValidator) -> None:
        schemes = literal(validator.kwargs.get("schemes", list(URL_SCHEMES)))
        if isinstance(schemes, (list, tuple)) and all(isinstance(s, str) for s in schemes):
            scheme_code = "(" + ", ".join(_string(str(s)) for s in schemes) + ("," if len(schemes) == 1 else "") + ")"
        else:
            scheme_code = self.show(validator.kwargs.get("schemes"))
        self.validator("URL", f"allow_userinfo=True, schemes={scheme_code}")

    def validator_validate_slug(self, validator: DjangoValidator) -> None:
        self.validator("Regexp", _regex_literal(SLUG_PATTERN))

    def validator_validate_unicode_slug(self, validator: DjangoValidator) -> None:
        self.validator("Regexp", _regex_literal(UNICODE_SLUG_PATTERN))

    def validator_validate_integer(self, validator: DjangoValidator) -> None:
        self.validator("Regexp", _regex_literal(r"^-?\d+\Z"))

    def validator_validate_comma_separated_integer_list(self, validator: DjangoValidator) -> None:
        self.validator("Regexp", _regex_literal(r"^\d+(?:,\d+)*\Z"))

    def validator_int_list_validator(self, validator: DjangoValidator) -> None:
        sep = literal(validator.kwargs.get("sep", ","))
        negative = literal(validator.kwargs.get("allow_negative", False)) is True
        if not isinstance(sep, str):
            self.note(f"`{validator.code}`: the separator is not a literal; write the Regexp by hand.", False)
            return
        sign = "-?" if negative else ""
        self.validator("Regexp", _regex_literal(rf"^{sign}\d+(?:{re.escape(sep)}{sign}\d+)*\Z"))

    def validator_validate_ipv4_address(self, validator: DjangoValidator) -> None:
        self.validator("IPAddress", "ipv4=True, ipv6=False")

    def validator_validate_ipv6_address(self, validator: DjangoValidator) -> None:
        self.validator("IPAddress", "ipv4=False, ipv6=True")

    def validator_validate_ipv46_address(self, validator: DjangoValidator) -> None:
        self.validator("IPAddress", "ipv4=True, ipv6=True")

    def validator_ProhibitNullCharactersValidator(self, validator: DjangoValidator) -> None:
        message = validator.kwargs.get("message")
        text = self.message.code(message, None) if message is not None else '"Null characters are not allowed."'
        self.validator("Regexp", f'r"\\A[^\\x00]*\\Z", message={text}')

    def validator_FileExtensionValidator(self, validator: DjangoValidator) -> None:
        allowed = literal(validator.kwargs.get("allowed_extensions"))
        if not (isinstance(allowed, (list, tuple)) and all(isinstance(a, str) for a in allowed)):
            self.note(f"`{validator.code}`: list the extensions in FileAllowed([...]) by hand.", False)
            return
        # Django compares lower-cased extensions; FileAllowed lower-cases only the file name.
        extensions = ", ".join(_string(str(a).lower()) for a in allowed)
        message = validator.kwargs.get("message")
        extra = f", message={self.message.code(message, None)}" if message is not None else ""
        self.validators.append(self.use("flask_wtf.file", "FileAllowed") + f"([{extensions}]{extra})")

    def validator_validate_image_file_extension(self, validator: DjangoValidator) -> None:
        listed = ", ".join(_string(e) for e in IMAGE_EXTENSIONS)
        self.validators.append(self.use("flask_wtf.file", "FileAllowed") + f"([{listed}])")

    # ---------------------------------------------------------------- model-derived fields
    def model_options(self) -> None:
        if self.spec.origin != "model":
            return
        model_kwargs = self.spec.model_kwargs
        if literal(model_kwargs.get("unique")) is True:
            self.note(
                "unique=True: Django's ModelForm rejects a value another row has (validate_unique); add a "
                "validator that queries the model.",
                False,
            )
        if isinstance(model_kwargs.get("default"), (Ref, Opaque, CallValue)) and "default" in self.arguments:
            self.note("The model default is computed: WTForms calls a callable default when the form is built.")

    def leftovers(self) -> None:
        for name, value in self.options.items():
            if name == "required":
                continue
            self.note(f"{name}={_show(value)} has no WTForms counterpart known to fwlint.", False)
        for key in self.messages:
            self.note(f'error_messages["{key}"] has no WTForms counterpart on this field.', False)
        if self.spec.extra_args:
            self.note("Further positional arguments were not translated.", False)


def password_confirmation(form: DjangoForm | None) -> tuple[str, str] | None:
    """The two password fields a django.contrib.auth form compares, when the form has both."""
    if form is None:
        return None
    names = {spec.name for spec in form.fields}
    for framework_form in form.framework_forms:
        pair = PASSWORD_CONFIRMATIONS.get(framework_form)
        if pair is not None:
            return pair if set(pair) <= names else None
    return None


def wtforms_field(spec: DjangoFormField, form: DjangoForm | None = None) -> FieldTranslation:
    """The WTForms field for one Django form field (``code`` is the class-body statement)."""
    return _FieldWriter(spec, form).build()


# ------------------------------------------------------------------ whole forms
def _import_lines(imports: set[ImportName]) -> list[str]:
    """``import x`` lines first, then ``from`` lines by module (names sorted), relative ones last."""
    plain = sorted(f"import {module}" for module, name in imports if not name)
    by_module: dict[str, set[str]] = {}
    for module, name in imports:
        if name:
            by_module.setdefault(module, set()).add(name)

    def order(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)

    absolute = [m for m in sorted(by_module) if not m.startswith(".")]
    relative = [m for m in sorted(by_module) if m.startswith(".")]
    lines: list[str] = []
    for module in absolute + relative:
        names = sorted(by_module[module], key=order)
        line = f"from {module} import {', '.join(names)}"
        if len(line) > LINE_LIMIT:
            line = f"from {module} import (\n" + "".join(f"    {name},\n" for name in names) + ")"
        lines.append(line)
    return plain + lines


def _indent(lines: list[str]) -> str:
    return "\n".join(("    " + line) if line else "" for line in lines)


def _cleaner_methods(form: DjangoForm) -> list[str]:
    lines: list[str] = []
    for name, method in form.field_cleaners.items():
        lines += [
            "",
            f"def validate_{name}(self, field):",
            "    value = field.data",
            f"    # Port {form.name}.{method}() here:",
            "    # check `value` and raise wtforms.validators.ValidationError; the value Django's method",
            "    # returned goes back into field.data.",
            "    field.data = value",
        ]
    if form.has_clean:
        lines += [
            "",
            "def validate(self, extra_validators=None):",
            "    valid = super().validate(extra_validators)",
            f"    # Port {form.name}.clean() here:",
            "    # read self.<field>.data, report a field's error with self.<field>.errors.append(message)",
            "    # and a form error with self.form_errors.append(message), setting valid = False.",
            "    return valid",
        ]
    return lines


def _form_notes(form: DjangoForm, fields: list[FieldTranslation]) -> list[str]:
    notes = [
        f"{form.name}(request.POST or None, request.FILES or None) → {form.name}() (FlaskForm binds request.form "
        "and request.files on POST/PUT/PATCH/DELETE); form.is_valid() → form.validate_on_submit(); "
        "cleaned_data[...] → form.<field>.data; non_field_errors() → form.form_errors.",
        "CSRF: {% csrf_token %} → {{ form.csrf_token }} (or form.hidden_tag()); Flask-WTF needs SECRET_KEY.",
    ]
    inherited = sorted({f.inherited_from for f in form.fields if f.inherited_from and f.framework_form is None})
    if inherited:
        notes.append(
            f"Fields inherited from {', '.join(inherited)} are declared here; a shared FlaskForm base can hold them."
        )
    from_django = [f for f in form.fields if f.framework_form is not None]
    if from_django:
        owners = ", ".join(sorted({_short(f.framework_form or "") for f in from_django}))
        notes.append(
            f"The fields Django declares in {owners} ({', '.join(f.name for f in from_django)}) are written out here."
        )
    notes.extend(_auth_form_notes(form))
    if form.field_order is not None and [f.name for f in _in_field_order(form)] != [f.name for f in form.fields]:
        notes.append("The fields are declared in the order field_order gives them, which is how Django shows them.")
    for name, method in form.field_cleaners.items():
        notes.append(
            f"{method}() → validate_{name}(self, field): raise ValidationError instead of forms.ValidationError; "
            "a changed value goes into field.data."
        )
    if form.has_clean:
        notes.append(
            "clean() → validate(): Django calls clean() even when a field failed; the stub runs after the field "
            "checks and keeps their result."
        )
    for method in form.methods:
        notes.append(f"Method {method}() must be ported by hand.")
    if any(f.field_class in ("FileField",) for f in fields):
        notes.append('The form takes files: use <form enctype="multipart/form-data"> (request.files).')
    notes.extend(form.problems)
    return notes


def _auth_form_notes(form: DjangoForm) -> list[str]:
    """What django.contrib.auth's forms do beyond their fields (Django 5.2), for the ones a form extends."""
    extends = set(form.framework_forms)
    names = {spec.name for spec in form.fields}
    model = form.meta.model_name if form.meta is not None and form.meta.model_name else "User"
    notes: list[str] = []
    if AUTH + "BaseUserCreationForm" in extends:
        notes.append(
            "BaseUserCreationForm.save() stored password1 hashed (user.set_password()): keep password1/password2 out "
            "of populate_obj() and set the user's password hash yourself "
            "(werkzeug.security.generate_password_hash(form.password1.data)); Django's stored hashes "
            "(pbkdf2_sha256$...) are not Werkzeug's format, so existing logins need a compatible check."
        )
    if AUTH + "UserCreationForm" in extends and "username" in names and "username" not in form.field_cleaners:
        notes.append(
            "UserCreationForm.clean_username() rejects a username that differs from an existing one only in letter "
            f"case: add validate_username() querying {model} with func.lower({model}.username) == field.data.lower()."
        )
    if AUTH + "AdminUserCreationForm" in extends:
        notes.append(
            'usable_password "false" gives the user an unusable password (set_unusable_password()), and __init__ '
            "makes password1/password2 optional: require them in validate() only when usable_password is "
            '"true".'
        )
    if AUTH + "UserChangeForm" in extends:
        notes.append(
            "UserChangeForm.__init__ rewords password's help text for a user without a usable password and loads "
            "user_permissions with their content types (select_related)."
        )
    if AUTH + "AuthenticationForm" in extends:
        notes.append(
            "AuthenticationForm(request, data=request.POST): clean() authenticated username and password "
            "(django.contrib.auth.authenticate()) and refused inactive users (confirm_login_allowed()); get_user() "
            "returned the user. Port it as validate(): look the user up, check_password_hash(user.password, "
            "form.password.data) (Werkzeug's argument order), check is_active, then flask_login.login_user(user). "
            "__init__ set username's max_length from the user model's USERNAME_FIELD (254 when it has none) and its "
            "label from that field's verbose_name."
        )
    if AUTH + "PasswordResetForm" in extends:
        notes.append(
            "PasswordResetForm.save() e-mailed a one-time reset link (default_token_generator, "
            "registration/password_reset_email.html) to every active user with that e-mail address (any letter "
            "case) and a usable password: port it with itsdangerous tokens and Flask-Mail; outstanding Django links "
            "stop working."
        )
    if AUTH + "SetPasswordForm" in extends:
        notes.append(
            f"{form.name}(user, data): save() set new_password1 as the user's password (user.set_password()): store "
            "werkzeug.security.generate_password_hash(form.new_password1.data) on the user."
        )
    if AUTH + "PasswordChangeForm" in extends and "old_password" in names:
        notes.append(
            "PasswordChangeForm.clean_old_password() checked old_password against the user's current password "
            "(user.check_password()): add validate_old_password() with check_password_hash(user.password, "
            "field.data)."
        )
    if AUTH + "AdminPasswordChangeForm" in extends:
        notes.append(
            f"{form.name}(user, data): save() set password1 as the user's password; when the user has a usable "
            "password, __init__ adds a usable_password choice and makes password1/password2 optional."
        )
    return notes


def _in_field_order(form: DjangoForm) -> list[DjangoFormField]:
    """The fields as Django's ``order_fields(field_order)`` arranges them: the named ones first."""
    if form.field_order is None:
        return list(form.fields)
    by_name = {spec.name: spec for spec in form.fields}
    first = [by_name[name] for name in dict.fromkeys(form.field_order) if name in by_name]
    return first + [spec for spec in form.fields if spec not in first]


def _model_notes(form: DjangoForm) -> list[str]:
    if form.kind != "model_form" or form.meta is None:
        return []
    model = form.meta.model_name or "the model"
    notes = [
        f"ModelForm of {model}: its fields are listed explicitly (as wtforms_sqlalchemy's model_form would "
        f"generate them). {form.name}(request.POST, instance=obj) → {form.name}(obj=obj); form.save() → "
        f"form.populate_obj(obj) (obj = {model}() for a new row), db.session.add(obj), db.session.commit().",
        "populate_obj() sets every form field on the object; Django saved only the model fields of Meta.fields "
        "(the same list here).",
    ]
    if not form.model_fields_known:
        notes.append(f"The fields generated from {model} are missing: add them by hand.")
    return notes


def translate_form(form: DjangoForm) -> FormTranslation:
    """The WTForms (Flask-WTF) class for a Django form; a ModelForm lists its model's fields.  WTForms renders
    fields in declaration order, so they are declared in Django's display order (``field_order``)."""
    fields = [wtforms_field(spec, form) for spec in _in_field_order(form)]
    imports: set[ImportName] = {FLASK_FORM}
    helpers: list[str] = []
    for translated in fields:
        imports.update(translated.imports)
        for helper in translated.helpers:
            if helper not in helpers:
                helpers.append(helper)
    for helper in helpers:
        imports.update(HELPERS[helper].imports)
    if form.qualname.endswith(".<form>"):
        model = form.meta.model_name if form.meta is not None else "the model"
        doc = f'"""The ModelForm Django\'s formset factory built for {model}."""'
    else:
        doc = f'"""Ported from Django {"ModelForm" if form.kind == "model_form" else "form"} {form.qualname}."""'
    lines = [doc, ""]
    for translated in fields:
        lines.extend(translated.code.splitlines())
    if not fields:
        lines.append("# (no fields)")
    lines.extend(_cleaner_methods(form))
    body = f"class {form.name}(FlaskForm):\n" + _indent(lines)
    helper_code = [HELPERS[h].code for h in helpers]
    notes = _form_notes(form, fields) + _model_notes(form)
    exact = (
        all(f.exact for f in fields)
        and not form.field_cleaners
        and not form.has_clean
        and not form.methods
        and not form.problems
        and form.base in FORM_BASES
        and form.model_fields_known
    )
    return FormTranslation(
        name=form.name,
        code="\n\n\n".join([*helper_code, body]),
        fields=fields,
        exact=exact,
        notes=notes,
        model_form=form.meta.model_name if form.kind == "model_form" and form.meta is not None else None,
        imports=_import_lines(imports),
        helpers=helper_code,
        body=body,
        import_names=sorted(imports),
    )


def translate_formset(formset: DjangoFormset) -> FormTranslation:
    """A formset → a FlaskForm holding ``FieldList(FormField(EntryForm))`` named after Django's prefix,
    so the submitted keys (``form-0-title``) stay the same.  A project entry form is referred to by
    name (translate it with :func:`translate_form`); a form the factory builds (model formsets) is
    translated here and placed first."""
    form = formset.form
    notes: list[str] = []
    imports: set[ImportName] = {FLASK_FORM, ("wtforms", "FieldList"), ("wtforms", "FormField")}
    companions: list[str] = []
    helpers: list[str] = []
    fields: list[FieldTranslation] = []
    entry_name = form.name if form is not None else "EntryForm"
    if form is not None and form.factory is not None:
        entry = translate_form(form)
        companions.append(entry.body)
        helpers = entry.helpers
        imports.update(entry.import_names)
        fields = entry.fields
        notes.extend(f"{entry.name}: {note}" for note in entry.notes)
    elif form is None:
        notes.append(f"The entry form of {formset.name} is unknown: replace {entry_name} with its WTForms port.")
    options = formset.options
    arguments: dict[str, str | list[str]] = {}
    min_num = literal(options.get("min_num", 0))
    validate_min = literal(options.get("validate_min", False)) is True
    max_num = options.get("max_num")
    validate_max = literal(options.get("validate_max", False)) is True
    extra = options.get("extra", 3 if formset.factory == "inlineformset_factory" else 1)
    if min_num not in (0, None):
        arguments["min_entries"] = _show(options["min_num"])
        if not validate_min:
            notes.append(
                "min_num without validate_min: WTForms validates the padded min_entries entries, so blank ones fail."
            )
    if max_num is not None and validate_max:
        arguments["max_entries"] = _show(max_num)
        notes.append("WTForms silently ignores entries beyond max_entries; Django's validate_max reported an error.")
    elif max_num is not None:
        notes.append(f"max_num={_show(max_num)} only limited the forms Django displayed.")
    field_line = f"{formset.prefix} = " + _call(
        "FieldList", [f"FormField({entry_name})"], arguments, prefix=len(formset.prefix) + 3
    )
    doc = [
        f'"""Ported from Django formset {formset.qualname} ({formset.factory}).',
        "",
        f'The entries are submitted as {formset.prefix}-<n>-<field>, as before."""',
    ]
    body = f"class {formset.name}(FlaskForm):\n" + _indent([*doc, "", *field_line.splitlines()])
    notes.extend(
        [
            f"{{{{ formset.management_form }}}} is not needed: FieldList reads the indices of the submitted "
            f"{formset.prefix}-<n>-<field> keys.",
            f"Django skips blank extra forms (extra={_show(extra)}); FieldList validates every "
            f"submitted entry: add blank ones for display with form.{formset.prefix}.append_entry() and drop "
            "untouched ones before validating.",
            f"FormField({entry_name}) nests a FlaskForm: with CSRF enabled each entry expects its own "
            f"{formset.prefix}-<n>-csrf_token; derive {entry_name} from wtforms.Form when it is only used here.",
        ]
    )
    can_delete = literal(options.get("can_delete", formset.factory == "inlineformset_factory")) is True
    if can_delete:
        notes.append(
            "can_delete: Django's <prefix>-<n>-DELETE checkbox skipped an entry; add delete = BooleanField() to the "
            "entry form and skip those entries."
        )
    if literal(options.get("can_order", False)) is True:
        notes.append("can_order: add an order IntegerField to the entry form and sort the entries by it.")
    if formset.factory != "formset_factory":
        model = _short(formset.model or "the model")
        notes.append(
            f"A model formset edits {model} rows: build it with {formset.name}({formset.prefix}=rows) and save each "
            "entry with entry.form.populate_obj(row)."
        )
    if formset.factory == "inlineformset_factory" and formset.fk_name is not None:
        notes.append(
            f"Inline formset: set row.{formset.fk_name} = parent for every entry; the entries do not submit it."
        )
    if formset.options.get("formset") is not None:
        notes.append(f"The formset class {_show(formset.options['formset'])} (clean()...) must be ported by hand.")
    notes.extend(formset.problems)
    return FormTranslation(
        name=formset.name,
        code="\n\n\n".join([*helpers, *companions, body]),
        fields=fields,
        exact=False,
        notes=notes,
        model_form=_short(formset.model) if formset.model is not None else None,
        imports=_import_lines(imports),
        helpers=helpers,
        body="\n\n\n".join([*companions, body]),
        import_names=sorted(imports),
    )


def wtforms_module(translations: list[FormTranslation]) -> str:
    """One ``forms.py`` for several translated forms: imports and helpers once, then each class."""
    imports: set[ImportName] = set()
    helpers: list[str] = []
    for translation in translations:
        imports.update(translation.import_names)
        for helper in translation.helpers:
            if helper not in helpers:
                helpers.append(helper)
    parts = ["\n".join(_import_lines(imports)), *helpers, *(t.body for t in translations)]
    return "\n\n\n".join(parts) + "\n"


# ------------------------------------------------------------------ lookups
class FormsTranslation:
    """The WTForms side of a project's Django forms and formsets, by declaration site.

    ``form_at`` answers for a form class line or a formset assignment line, ``form_field_at``
    for a declared field's line; translations are computed on first use."""

    def __init__(self, forms: list[DjangoForm], formsets: list[DjangoFormset] | None = None) -> None:
        self.forms = forms
        self.formsets = formsets or []
        self._translations: dict[str, FormTranslation] = {}
        self._form_sites: dict[tuple[str, int], DjangoForm] = {}
        self._formset_sites: dict[tuple[str, int], DjangoFormset] = {}
        self._field_sites: dict[tuple[str, int], tuple[DjangoForm, DjangoFormField]] = {}
        for form in forms:
            self._form_sites.setdefault((form.file, form.span.line), form)
            for spec in form.fields:
                if spec.origin == "declared" and spec.inherited_from is None:
                    self._field_sites.setdefault((spec.file, spec.span.line), (form, spec))
        for formset in self.formsets:
            self._formset_sites.setdefault((formset.file, formset.span.line), formset)

    @classmethod
    def from_index(cls, index: ProjectIndex, model_fields: ModelFieldSource | None = None) -> FormsTranslation:
        forms = discover_django_forms(index, model_fields)
        return cls(forms, discover_django_formsets(index, model_fields, forms))

    def translation(self, form: DjangoForm) -> FormTranslation:
        cached = self._translations.get(form.qualname)
        if cached is None:
            cached = self._translations[form.qualname] = translate_form(form)
        return cached

    def formset_translation(self, formset: DjangoFormset) -> FormTranslation:
        cached = self._translations.get(formset.qualname)
        if cached is None:
            cached = self._translations[formset.qualname] = translate_formset(formset)
        return cached

    def form_at(self, file: str, line: int) -> SiteTranslation | None:
        from fwlint.translate.data_layer import SiteTranslation

        form = self._form_sites.get((file, line))
        if form is not None:
            translated = self.translation(form)
            return SiteTranslation(translated.code, translated.notes, translated.exact)
        formset = self._formset_sites.get((file, line))
        if formset is not None:
            translated = self.formset_translation(formset)
            return SiteTranslation(translated.code, translated.notes, translated.exact)
        return None

    def form_field_at(self, file: str, line: int) -> SiteTranslation | None:
        from fwlint.translate.data_layer import SiteTranslation

        found = self._field_sites.get((file, line))
        if found is None:
            return None
        form, spec = found
        for translated in self.translation(form).fields:
            if translated.name == spec.name:
                return SiteTranslation(translated.code, translated.notes, translated.exact)
        return None

    def module(self) -> str:
        """Every form and formset as one WTForms module."""
        translations = [self.translation(form) for form in self.forms if form.factory is None]
        translations += [self.translation(form) for form in self.forms if form.factory is not None]
        translations += [self.formset_translation(formset) for formset in self.formsets]
        return wtforms_module(translations)
