"""WTForms / Flask-WTF forms → ``django.forms`` code.

Each :class:`~fwlint.link.form_types.FieldSpec` becomes the Django form field that
accepts and rejects the same submitted values, following the field and
validator references of both libraries:

* Django: https://docs.djangoproject.com/en/5.2/ref/forms/fields/ ,
  https://docs.djangoproject.com/en/5.2/ref/forms/widgets/ ,
  https://docs.djangoproject.com/en/5.2/ref/validators/ ,
  https://docs.djangoproject.com/en/5.2/ref/forms/validation/ ,
  https://docs.djangoproject.com/en/5.2/topics/forms/formsets/ ,
  https://docs.djangoproject.com/en/5.2/topics/http/file-uploads/#uploading-multiple-files ,
  https://docs.djangoproject.com/en/5.2/topics/forms/modelforms/
* WTForms: https://wtforms.readthedocs.io/en/stable/fields/ ,
  https://wtforms.readthedocs.io/en/stable/validators/ ; Flask-WTF:
  https://flask-wtf.readthedocs.io/en/stable/form/ ; WTForms-SQLAlchemy:
  https://wtforms-sqlalchemy.readthedocs.io/en/stable/

The central trap is the opposite default: a WTForms field is optional unless a
validator says otherwise, a Django field is required unless ``required=False``.
"Says otherwise" is wider than ``DataRequired``: a coercing field (integer,
decimal, date...) rejects an empty string, a choice field rejects a value that is
not a choice, and ``Length(min=3)``, ``Email()``, ``Regexp``... reject the empty
string too, unless ``Optional()`` clears those errors.  The translation works out
which case applies and says why in the notes.

``exact`` means the generated field needs no hand work and accepts and rejects
the same input; the notes describe every known difference.  The generated widgets
(``SearchInput``, ``TelInput``, ``ColorInput``) need Django 5.2.
"""

from __future__ import annotations

import builtins
import re
import sys
from dataclasses import dataclass, field

from fwlint.facts import CallValue, Opaque, Ref, Value
from fwlint.link.form_types import FieldSpec, FormSpec, ValidatorSpec
from fwlint.link.orm_types import ColumnSpec, ModelSpec, OrmSchema

FORMS_IMPORT = "from django import forms"
VALIDATORS_MODULE = "django.core.validators"
MODELS_MODULE = ".models"
# What a Django form field renders with when no widget is given (for ``render_kw`` attrs).
DEFAULT_WIDGET = {
    "CharField": "forms.TextInput",
    "EmailField": "forms.EmailInput",
    "URLField": "forms.URLInput",
    "IntegerField": "forms.NumberInput",
    "DecimalField": "forms.NumberInput",
    "FloatField": "forms.NumberInput",
    "BooleanField": "forms.CheckboxInput",
    "DateField": "forms.DateInput",
    "DateTimeField": "forms.DateTimeInput",
    "TimeField": "forms.TimeInput",
    "ChoiceField": "forms.Select",
    "TypedChoiceField": "forms.Select",
    "MultipleChoiceField": "forms.SelectMultiple",
    "TypedMultipleChoiceField": "forms.SelectMultiple",
    "FileField": "forms.ClearableFileInput",
    "ModelChoiceField": "forms.Select",
    "ModelMultipleChoiceField": "forms.SelectMultiple",
    "GenericIPAddressField": "forms.TextInput",
    "UUIDField": "forms.TextInput",
    "MultipleFileField": "MultipleFileInput",
}
# Parameter names of validators written positionally (wtforms 3.3, flask_wtf 1.3).
VALIDATOR_PARAMS: dict[str, tuple[str, ...]] = {
    "DataRequired": ("message",),
    "InputRequired": ("message",),
    "Optional": ("strip_whitespace",),
    "Length": ("min", "max", "message"),
    "NumberRange": ("min", "max", "message"),
    "DateRange": ("min", "max", "message"),
    "Email": ("message",),
    "EqualTo": ("fieldname", "message"),
    "Regexp": ("regex", "flags", "message"),
    "URL": ("require_tld", "allow_ip", "allow_userinfo", "schemes", "message"),
    "AnyOf": ("values", "message", "values_formatter"),
    "NoneOf": ("values", "message", "values_formatter"),
    "IPAddress": ("ipv4", "ipv6", "message"),
    "MacAddress": ("message",),
    "UUID": ("message",),
    "FileAllowed": ("upload_set", "message"),
    "FileRequired": ("message",),
    "FileSize": ("max_size", "min_size", "message"),
}
REQUIRING = frozenset({"DataRequired", "InputRequired", "FileRequired"})
# Fields whose ``process_formdata`` turns an empty string into "Not a valid ... value".
COERCING = {
    "IntegerField": "integer",
    "IntegerRangeField": "integer",
    "DecimalField": "decimal",
    "DecimalRangeField": "decimal",
    "FloatField": "float",
    "DateField": "date",
    "DateTimeField": "datetime",
    "DateTimeLocalField": "datetime",
    "TimeField": "time",
    "MonthField": "date",
    "WeekField": "week",
}
TEXT_CLASSES = frozenset({"CharField", "EmailField", "URLField"})
NUMBER_CLASSES = frozenset({"IntegerField", "DecimalField", "FloatField"})
DATE_DEFAULT_FORMATS: dict[str, list[str]] = {
    "DateField": ["%Y-%m-%d"],
    "DateTimeField": ["%Y-%m-%d %H:%M:%S"],
    "DateTimeLocalField": ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
    "TimeField": ["%H:%M"],
    "MonthField": ["%Y-%m"],
}
MAC_ADDRESS = r"^(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$"
# Fields with no field of their own in the Django form.
NO_FIELD = frozenset({"SubmitField", "ButtonField", "RecaptchaField", "FieldList", "FormField"})
# Column types (SQLAlchemy short names) a model-derived Django form field agrees with.
COLUMN_TYPES_FOR = {
    "CharField": frozenset({"String", "Text", "Unicode", "UnicodeText", "VARCHAR", "TEXT", "CHAR"}),
    "IntegerField": frozenset({"Integer", "BigInteger", "SmallInteger", "INTEGER", "BIGINT", "SMALLINT"}),
    "DecimalField": frozenset({"Numeric", "DECIMAL", "NUMERIC"}),
    "FloatField": frozenset({"Float", "Double", "FLOAT", "REAL"}),
    "BooleanField": frozenset({"Boolean", "BOOLEAN"}),
    "DateField": frozenset({"Date", "DATE"}),
    "DateTimeField": frozenset({"DateTime", "DATETIME", "TIMESTAMP"}),
    "TimeField": frozenset({"Time", "TIME"}),
}
# Arguments a ModelForm's ``Meta`` can carry for a field taken from the model.
META_ARGUMENTS = {"label": "labels", "help_text": "help_texts", "widget": "widgets"}
MODEL_FORM_MIN_FIELDS = 2
MODEL_FORM_MIN_SHARE = 0.6
_NOT_LITERAL = object()


@dataclass
class FormFieldCode:
    """One field's Django code.

    ``code`` is the statement in the form's class body, or None when the field has
    no Django field of its own (``SubmitField`` becomes a template button;
    ``FieldList``/``FormField`` become a formset/second form, see ``companion``)."""

    name: str
    code: str | None
    notes: list[str] = field(default_factory=list)
    exact: bool = True
    imports: list[str] = field(default_factory=list)
    # Module-level definitions the field uses, placed before the form class.
    helpers: list[str] = field(default_factory=list)
    # Module-level code placed after the form class (a formset and its entry form).
    companion: str | None = None
    # Statements for the form's ``clean()`` (cross-field checks such as ``EqualTo``).
    clean_checks: list[str] = field(default_factory=list)
    field_class: str | None = None  # e.g. "forms.CharField"
    arguments: dict[str, str] = field(default_factory=dict)  # keyword -> code, in order
    # For a field without ``code``: what replaces it, written as a comment in the class body.
    comment: str | None = None


@dataclass
class FormCode:
    """A whole form: ``code`` is helpers, the class and its companions (valid Python,
    given ``imports``)."""

    name: str
    code: str
    fields: list[FormFieldCode]
    notes: list[str]
    exact: bool
    model_form: str | None
    imports: list[str] = field(default_factory=list)
    helpers: list[str] = field(default_factory=list)
    body: str = ""  # ``code`` without the helpers


# ------------------------------------------------------------------ values as code
def _string(text: str) -> str:
    """A Python string literal, double-quoted where possible."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text:
        literal = '"' + literal[1:-1].replace("\\'", "'") + '"'
    return literal


def _regex_literal(text: str) -> str:
    """A raw string when the pattern allows one (the way patterns are usually written)."""
    if '"' not in text and "\n" not in text and "\r" not in text and not text.endswith("\\"):
        return 'r"' + text + '"'
    return _string(text)


def literal(value: Value) -> object:
    """The Python value of a literal fact, or ``_NOT_LITERAL``."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        items = [literal(v) for v in value]
        if any(item is _NOT_LITERAL for item in items):
            return _NOT_LITERAL
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        pairs = {k: literal(v) for k, v in value.items()}
        return _NOT_LITERAL if any(v is _NOT_LITERAL for v in pairs.values()) else pairs
    return _NOT_LITERAL


class _Code:
    """Writes values as source and remembers what that source needs (imports, notes)."""

    def __init__(self) -> None:
        self.imports: set[str] = set()
        self.references: list[str] = []

    def value(self, value: Value) -> str:
        if isinstance(value, str):
            return _string(value)
        if value is None or isinstance(value, (bool, int, float)):
            return repr(value)
        if isinstance(value, list):
            return "[" + ", ".join(self.value(v) for v in value) + "]"
        if isinstance(value, tuple):
            return "(" + ", ".join(self.value(v) for v in value) + ("," if len(value) == 1 else "") + ")"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{_string(k)}: {self.value(v)}" for k, v in value.items()) + "}"
        if isinstance(value, Ref):
            root = value.path.split(".", 1)[0]
            if "." in value.path and root in sys.stdlib_module_names:
                self.imports.add(f"import {root}")
                return value.path
            name = _local_name(value.path)
            self.reference(name)
            return name
        if isinstance(value, CallValue):
            self.reference(value.code)
            return value.code
        if isinstance(value, Opaque):
            if not (value.code.isidentifier() and hasattr(builtins, value.code)):
                self.reference(value.code)
            return value.code
        return repr(value)

    def reference(self, code: str) -> None:
        if code not in self.references:
            self.references.append(code)


def _local_name(path: str) -> str:
    """How a project name is written where it is imported: ``shop.models.Species.DOG`` → ``Species.DOG``.

    The module part is the lower-case prefix (modules are lower case, classes CapWords)."""
    parts = path.split(".")
    for position, part in enumerate(parts[:-1]):
        if part[:1].isupper():
            return ".".join(parts[position:])
    return parts[-1]


def _import_order(line: str) -> tuple[int, str]:
    """Standard library first, then Django, then the project's relative imports."""
    if line.startswith("import "):
        return (0, line)
    return (2, line) if line.startswith("from .") else (1, line)


def _show(value: Value) -> str:
    """A value as source, for notes (records nothing)."""
    return _Code().value(value)


def _call(function: str, positional: list[str], keywords: dict[str, str], prefix: int = 0) -> str:
    """``function(a, k=v)``, one argument a line when the line (after ``prefix`` characters) is long."""
    parts = [*positional, *(f"{k}={v}" for k, v in keywords.items())]
    one_line = f"{function}({', '.join(parts)})"
    if prefix + len(one_line) <= 100 or not parts:
        return one_line
    inner = "\n".join(f"    {part}," for part in parts)
    return f"{function}(\n{inner}\n)"


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_") if part)


def _stem(form: FormSpec) -> str:
    return form.name.removesuffix("Form") or form.name


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1].removeprefix("project:")


def _framework_type(spec: FieldSpec) -> str:
    if spec.field_type.startswith("project:") and spec.base:
        return _short(spec.base)
    return _short(spec.field_type)


def _validator_params(validator: ValidatorSpec) -> dict[str, Value]:
    """Keyword view of a validator's arguments (positional ones named by its signature)."""
    params = dict(zip(VALIDATOR_PARAMS.get(_short(validator.name), ()), validator.args, strict=False))
    params.update(validator.kwargs)
    return params


def _fill(message: str, values: dict[str, object]) -> str:
    """WTForms placeholders whose values are literals replaced in the text; the rest (``%%``,
    unknown values) left for Django, which %-formats validator messages again."""
    for name, value in values.items():
        if value is not None and value is not _NOT_LITERAL:
            # str.replace, not re.sub: the value is inserted as text.
            for conversion in "sdr":
                message = message.replace(f"%({name}){conversion}", str(value).replace("%", "%%"))
    return message


def _format_message(message: str, values: dict[str, object]) -> str:
    """WTForms ``%(name)s`` placeholders filled in now, where the values are known."""
    try:
        return message % values
    except (KeyError, ValueError, TypeError):
        return message


# ------------------------------------------------------------------ one field
class _FieldBuilder:
    def __init__(self, spec: FieldSpec, form: FormSpec) -> None:
        self.spec = spec
        self.form = form
        self.kind = _framework_type(spec)
        self.code = _Code()
        self.cls: str | None = "forms.CharField"
        self.args: dict[str, str] = {}
        self.widget: str | None = None
        self.widget_attrs: dict[str, str] = {}
        self.widget_attrs_code: str | None = None
        self.widget_kwargs: dict[str, str] = {}
        self.validators: list[str] = []
        self.error_messages: dict[str, str] = {}
        self.notes: list[str] = []
        self.exact = True
        self.helpers: list[str] = []
        self.companion: str | None = None
        self.clean_checks: list[str] = []
        self.comment: str | None = None  # for fields without a Django field
        self.kwargs = dict(spec.kwargs)
        self.implicitly_required: list[str] = []  # reasons WTForms rejects an empty value
        self.choices_blank = False

    # ---------------------------------------------------------------- helpers
    def note(self, text: str, exact: bool = True) -> None:
        if text not in self.notes:
            self.notes.append(text)
        if not exact:
            self.exact = False

    def validator_import(self, name: str) -> str:
        self.code.imports.add(f"from {VALIDATORS_MODULE} import {name}")
        return name

    def take(self, name: str) -> Value | None:
        return self.kwargs.pop(name, None)

    def django_class(self) -> str:
        return (self.cls or "").rsplit(".", 1)[-1]

    # ---------------------------------------------------------------- build
    def build(self) -> FormFieldCode:
        if self.spec.field_type.startswith("project:"):
            base = self.spec.base or "an unknown field"
            self.note(
                f"`{_short(self.spec.field_type)}` is the project's own field class (extends `{base}`): translated as "
                "its base; port its custom behaviour (process_formdata, _value, widget) to a Django field subclass.",
                exact=False,
            )
        handler = getattr(self, "field_" + self.kind, None)
        if handler is None:
            self.note(
                f"`{self.spec.field_type}` has no Django counterpart known to fwlint: a CharField stands in.", False
            )
        else:
            handler()
        if self.cls is not None:
            self.common_arguments()
            self.apply_validators()
            self.decide_required()
        else:
            for name, value in self.kwargs.items():
                self.note(f"{name}={_show(value)} moves with it (template, formset or second form).")
        return self.result()

    def result(self) -> FormFieldCode:
        name = self.spec.name
        arguments = self.rendered_arguments() if self.cls is not None else {}
        code = None if self.cls is None else f"{name} = " + _call(self.cls, [], arguments, prefix=len(name) + 7)
        for reference in self.code.references:
            self.note(
                f"`{reference}` is copied as written: make the names it uses available in the Django module "
                "(and rewrite any SQLAlchemy query in it)."
            )
        needed = self.code.imports | ({FORMS_IMPORT} if code or self.companion or self.helpers else set())
        imports = sorted(needed, key=_import_order)
        return FormFieldCode(
            name=name,
            code=code,
            notes=self.notes,
            exact=self.exact,
            imports=imports,
            helpers=self.helpers,
            companion=self.companion,
            clean_checks=self.clean_checks,
            field_class=self.cls,
            arguments=arguments,
            comment=self.comment,
        )

    def rendered_arguments(self) -> dict[str, str]:
        arguments: dict[str, str] = {}
        if self.spec.label is not None:
            arguments["label"] = self.code.value(self.spec.label)
        arguments.update(self.args)
        widget = self.rendered_widget()
        if widget is not None:
            arguments["widget"] = widget
        if self.validators:
            arguments["validators"] = "[" + ", ".join(self.validators) + "]"
        if self.error_messages:
            arguments["error_messages"] = "{" + ", ".join(f"{k}: {v}" for k, v in self.error_messages.items()) + "}"
        return arguments

    def rendered_widget(self) -> str | None:
        if self.widget is None and not (self.widget_attrs or self.widget_attrs_code or self.widget_kwargs):
            return None
        widget = self.widget or DEFAULT_WIDGET.get(self.django_class(), "forms.TextInput")
        keywords: dict[str, str] = {}
        if self.widget_attrs or self.widget_attrs_code:
            entries = [f"{k}: {v}" for k, v in self.widget_attrs.items()]
            if self.widget_attrs_code:
                entries.append("**" + self.widget_attrs_code)
            keywords["attrs"] = "{" + ", ".join(entries) + "}"
        keywords.update(self.widget_kwargs)
        if not keywords:
            return widget
        return _call(widget, [], keywords)

    # ---------------------------------------------------------------- field types
    def field_StringField(self) -> None:
        self.cls = "forms.CharField"

    field_Field = field_StringField
    field_TextField = field_StringField  # the WTForms 2 name

    def field_TextAreaField(self) -> None:
        self.cls = "forms.CharField"
        self.widget = "forms.Textarea"

    def field_PasswordField(self) -> None:
        self.cls = "forms.CharField"
        self.widget = "forms.PasswordInput"
        self.args["strip"] = "False"  # WTForms keeps surrounding whitespace in passwords

    def field_HiddenField(self) -> None:
        self.cls = "forms.CharField"
        self.widget = "forms.HiddenInput"

    def field_EmailField(self) -> None:
        self.cls = "forms.EmailField"
        if not any(_short(v.name) == "Email" for v in self.spec.validators):
            self.note(
                "WTForms' EmailField only renders type=\"email\"; Django's EmailField also validates the address "
                "on the server, which the original form did not (no Email() validator).",
                exact=False,
            )

    def field_URLField(self) -> None:
        self.cls = "forms.CharField"
        self.widget = "forms.URLInput"

    def field_TelField(self) -> None:
        self.cls = "forms.CharField"
        self.widget = "forms.TelInput"

    def field_SearchField(self) -> None:
        self.cls = "forms.CharField"
        self.widget = "forms.SearchInput"

    def field_ColorField(self) -> None:
        self.cls = "forms.CharField"
        self.widget = "forms.ColorInput"

    def field_IntegerField(self) -> None:
        self.cls = "forms.IntegerField"

    def field_IntegerRangeField(self) -> None:
        self.cls = "forms.IntegerField"
        self.widget_attrs['"type"'] = '"range"'

    def field_DecimalField(self) -> None:
        self.cls = "forms.DecimalField"
        places = self.take("places")
        if places is not None:
            self.args["decimal_places"] = self.code.value(places)
            self.note(
                "WTForms `places` only rounds the displayed value; Django's `decimal_places` rejects input with more "
                "decimal digits.",
                exact=False,
            )
        if self.take("rounding") is not None:
            self.note("`rounding=` (display rounding) has no Django counterpart.")

    def field_DecimalRangeField(self) -> None:
        self.field_DecimalField()
        self.widget_attrs['"type"'] = '"range"'

    def field_FloatField(self) -> None:
        self.cls = "forms.FloatField"

    def field_BooleanField(self) -> None:
        self.cls = "forms.BooleanField"
        if self.take("false_values") is not None:
            self.note(
                '`false_values=` has no Django counterpart: CheckboxInput treats only "false" and "" as unchecked.',
                False,
            )

    def dates(self, django: str, widget: str | None, input_type: str | None) -> None:
        self.cls = f"forms.{django}"
        written = self.take("format")
        formats: object = DATE_DEFAULT_FORMATS.get(self.kind, ["%Y-%m-%d"]) if written is None else literal(written)
        if isinstance(formats, str):
            formats = [formats]
        if isinstance(formats, list) and all(isinstance(f, str) for f in formats):
            # WTForms strips strftime's "%-d" padding flags before strptime (wtforms.utils).
            cleaned = [f.replace("%-", "%") for f in formats]
            self.args["input_formats"] = "[" + ", ".join(_string(f) for f in cleaned) + "]"
        elif written is not None:
            self.args["input_formats"] = self.code.value(written)
        if widget is not None and input_type is not None:
            self.widget = widget
            self.widget_attrs['"type"'] = _string(input_type)

    def field_DateField(self) -> None:
        self.dates("DateField", "forms.DateInput", "date")

    def field_DateTimeField(self) -> None:
        self.dates("DateTimeField", None, None)
        self.note("With USE_TZ=True Django returns an aware datetime; WTForms returns a naive one.")

    def field_DateTimeLocalField(self) -> None:
        self.dates("DateTimeField", "forms.DateTimeInput", "datetime-local")
        self.note("With USE_TZ=True Django returns an aware datetime; WTForms returns a naive one.")
        if self.take("tz") is not None:
            self.note("`tz=` has no field counterpart: Django interprets input in the current time zone.", False)

    def field_TimeField(self) -> None:
        self.dates("TimeField", "forms.TimeInput", "time")

    def field_MonthField(self) -> None:
        self.dates("DateField", "forms.DateInput", "month")
        self.widget_kwargs["format"] = _string("%Y-%m")  # render the value the way type="month" expects

    def field_WeekField(self) -> None:
        self.cls = "forms.CharField"
        self.widget_attrs['"type"'] = '"week"'
        self.take("format")
        self.note(
            "Django has no week field: parse the value in clean_<field>() "
            '(datetime.strptime(value + "-1", "%Y-W%W-%w").date()).',
            exact=False,
        )

    def choices(self, single: bool, widget: str | None) -> None:
        coerce = self.take("coerce")
        coerce_code = _show(coerce) if coerce is not None else None
        if coerce_code == "str":
            coerce_code = None
        written = self.take("validate_choice")
        validate_choice = literal(written) if written is not None else True
        choices = self.take("choices")
        if validate_choice is False:
            self.cls = "forms.CharField"
            self.widget = "forms.Select" if single else "forms.SelectMultiple"
            if widget == "forms.RadioSelect":
                self.widget = widget
            if choices is not None:
                self.widget_kwargs["choices"] = self.choices_code(choices)
            self.note("validate_choice=False: a CharField rendered as a select accepts any value, as before.")
            if coerce_code is not None:
                self.note(f"coerce={coerce_code} must move to clean_{self.spec.name}().", False)
            if not single:
                self.note("A multiple select posts a list: clean it with a MultipleChoiceField subclass.", False)
            return
        base = "ChoiceField" if single else "MultipleChoiceField"
        self.cls = f"forms.Typed{base}" if coerce_code is not None else f"forms.{base}"
        if choices is not None:
            self.args["choices"] = self.choices_code(choices)
        else:
            self.note(
                f'The choices are set at run time: set self.fields["{self.spec.name}"].choices in the form\'s '
                "__init__ (or pass a callable as choices=).",
                exact=False,
            )
        if coerce is not None and coerce_code is not None:
            self.args["coerce"] = self.code.value(coerce)
            # WTForms cannot coerce the blank choice ("" → int fails), so a blank option does not make it optional.
            self.choices_blank = False
        if widget is not None:
            self.widget = widget
        if single:
            self.implicitly_required.append("a choice field rejects a value that is not one of its choices")

    def choices_code(self, choices: Value) -> str:
        if isinstance(choices, list) and choices and all(_is_select_choice(item) for item in choices):
            return self.select_choices([item for item in choices if isinstance(item, CallValue)])
        value = literal(choices)
        if isinstance(value, list) and value and all(isinstance(item, (str, int)) for item in value):
            # WTForms accepts a flat list of values; Django wants (value, label) pairs.
            self.choices_blank = "" in value
            return "[" + ", ".join(f"({self.code.value(v)}, {self.code.value(str(v))})" for v in value) + "]"
        if isinstance(value, list):
            self.choices_blank = any(isinstance(item, (list, tuple)) and item and item[0] == "" for item in value)
        elif value is _NOT_LITERAL:
            self.note(
                "choices= is not a literal: Django accepts a sequence or a callable (called per form), "
                "as WTForms 3 does."
            )
        return self.code.value(choices)

    def select_choices(self, items: list[CallValue]) -> str:
        """WTForms 3.3 ``SelectChoice(value, label, render_kw, optgroup)`` → Django pairs and groups."""
        groups: dict[str, list[str]] = {}
        plain: list[str] = []
        for item in items:
            params = dict(zip(("value", "label", "render_kw", "optgroup"), item.args, strict=False))
            params.update(item.kwargs)
            option = params.get("value")
            label = params.get("label", option)
            pair = f"({self.code.value(option)}, {self.code.value(label)})"
            self.choices_blank = self.choices_blank or option == ""
            if params.get("render_kw") is not None:
                self.note("Per-option render_kw needs a custom Select widget (override create_option()).", False)
            group = params.get("optgroup")
            if isinstance(group, str):
                groups.setdefault(group, []).append(pair)
            else:
                plain.append(pair)
        entries = plain + [f"({_string(name)}, [{', '.join(pairs)}])" for name, pairs in groups.items()]
        return "[" + ", ".join(entries) + "]"

    def field_SelectField(self) -> None:
        self.choices(single=True, widget=None)

    def field_RadioField(self) -> None:
        self.choices(single=True, widget="forms.RadioSelect")

    def field_SelectMultipleField(self) -> None:
        self.choices(single=False, widget=None)

    def field_FileField(self) -> None:
        self.cls = "forms.FileField"
        self.note(
            'Bind the form with request.FILES and use enctype="multipart/form-data"; the value becomes an '
            "UploadedFile instead of a werkzeug FileStorage."
        )

    def field_MultipleFileField(self) -> None:
        self.cls = "MultipleFileField"
        self.helpers.append(MULTIPLE_FILE_HELPER)
        self.note(
            "Several files: MultipleFileField is defined next to the form (Django's documented pattern); bind "
            "the form with request.FILES; cleaned_data holds a list of UploadedFile."
        )

    def field_SubmitField(self) -> None:
        self.cls = None
        self.comment = 'a <button type="submit"> in the template'
        self.note(
            f'SubmitField: render <button type="submit" name="{self.spec.name}"> in the template; '
            f'replace form.{self.spec.name}.data with "{self.spec.name}" in request.POST.'
        )

    field_ButtonField = field_SubmitField

    def field_RecaptchaField(self) -> None:
        self.cls = None
        self.comment = "reCAPTCHA: django-recaptcha's ReCaptchaField"
        self.note(
            "Django has no reCAPTCHA field: install django-recaptcha and declare "
            f"{self.spec.name} = ReCaptchaField() (from django_recaptcha.fields import ReCaptchaField).",
            exact=False,
        )

    def field_FormField(self) -> None:
        self.cls = None
        entry = self.spec.args[0] if self.spec.args else None
        sub = _show(entry) if entry is not None else "SubForm"
        self.comment = f'{sub}(data, prefix="{self.spec.name}") bound next to this form'
        self.note(
            f'FormField({sub}): bind {sub}(request.POST or None, prefix="{self.spec.name}") next to this form and '
            f"validate both; the submitted keys ({self.spec.name}-<field>) stay the same.",
            exact=False,
        )

    def field_FieldList(self) -> None:
        self.cls = None
        entry = self.spec.args[0] if self.spec.args else None
        stem = _stem(self.form) + _camel(self.spec.name)
        formset = f"{stem}FormSet"
        keywords: dict[str, str] = {"extra": "0"}
        min_entries = self.take("min_entries")
        max_entries = self.take("max_entries")
        validate_min = True
        if isinstance(entry, CallValue) and _short(entry.callee) == "FormField" and entry.args:
            entry_form = _show(entry.args[0])  # translated as a form of its own
            keys = f"{self.spec.name}-0-<field>, as before"
            code_lines: list[str] = []
        elif isinstance(entry, CallValue):
            entry_form = f"{stem}EntryForm"
            inner = _entry_spec(entry, self.spec)
            inner_code = django_form_field(inner, self.form)
            for text in inner_code.notes:
                self.note(f"entry: {text}")
            self.exact = self.exact and inner_code.exact
            self.code.imports.update(inner_code.imports)
            self.helpers.extend(inner_code.helpers)
            body = inner_code.code or "pass"
            code_lines = [f"class {entry_form}(forms.Form):", *("    " + line for line in body.splitlines()), "", ""]
            validate_min = inner_code.field_class is not None and "required" not in inner_code.arguments
            keys = f"{self.spec.name}-0-value instead of {self.spec.name}-0"
            self.note(f"Submitted keys change from {self.spec.name}-0 to {self.spec.name}-0-value.", False)
        else:
            self.note("The FieldList entry is not a field fwlint can read: write the formset by hand.", False)
            self.comment = "a formset (see notes)"
            return
        if min_entries is not None:
            keywords["min_num"] = self.code.value(min_entries)
            if validate_min:
                keywords["validate_min"] = "True"
        if max_entries is not None:
            keywords["max_num"] = self.code.value(max_entries)
            keywords["validate_max"] = "True"
            self.note("WTForms silently drops entries beyond max_entries; the formset rejects them.", False)
        code_lines.append(f"{formset} = " + _call("forms.formset_factory", [entry_form], keywords))
        self.companion = "\n".join(code_lines)
        self.comment = f'{formset} (a formset bound with prefix="{self.spec.name}")'
        self.note(
            f'FieldList → {formset}: bind {formset}(request.POST or None, prefix="{self.spec.name}") next to the '
            f"form, render {{{{ formset.management_form }}}}; submitted keys: {keys}.",
            exact=False,
        )
        if self.spec.label is not None or self.spec.validators:
            self.note("The FieldList's own label/validators belong on the formset (a BaseFormSet.clean()).", False)

    def model_choice(self, multiple: bool, widget: str | None) -> None:
        factory = self.take("query_factory")
        get_label = self.take("get_label")
        allow_blank = literal(self.take("allow_blank")) is True
        blank_text = self.take("blank_text")
        base = "ModelMultipleChoiceField" if multiple else "ModelChoiceField"
        self.cls = f"forms.{base}"
        self.args["queryset"] = self.queryset(factory)
        if get_label is not None:
            label_code = self.label_from(get_label)
            helper = f"{_stem(self.form)}{_camel(self.spec.name)}ChoiceField"
            self.helpers.append(
                f"class {helper}(forms.{base}):\n    def label_from_instance(self, obj):\n        return {label_code}"
            )
            self.cls = helper
            self.note(f"get_label → {helper}.label_from_instance().")
        if self.take("get_pk") is not None:
            self.note("get_pk= → to_field_name= on the Django field (options submit the primary key otherwise).", False)
        if widget is not None:
            self.widget = widget
        if not multiple:
            if allow_blank:
                if blank_text is not None:
                    self.args["empty_label"] = self.code.value(blank_text)
            else:
                self.args["empty_label"] = "None"  # WTForms offers no blank option without allow_blank
                self.implicitly_required.append("without allow_blank=True a QuerySelectField rejects an empty choice")

    def queryset(self, factory: Value | None) -> str:
        if factory is None:
            self.note(
                f'No query_factory: set self.fields["{self.spec.name}"].queryset in the form\'s __init__ (the view '
                f"set form.{self.spec.name}.query before).",
                exact=False,
            )
            return "None"
        code = factory.code if isinstance(factory, Opaque) else None
        match = re.fullmatch(r"lambda\s*:\s*([A-Za-z_]\w*)\.query(\.all\(\))?", code or "")
        if match:
            model = match.group(1)
            self.code.imports.add(f"from {MODELS_MODULE} import {model}")
            return f"{model}.objects.all()"
        written = _show(factory)
        self.note(
            f"query_factory={written} (SQLAlchemy) → rewrite as a Django queryset and set "
            f'self.fields["{self.spec.name}"].queryset in __init__; queryset=None until then.',
            exact=False,
        )
        return "None"

    def label_from(self, get_label: Value) -> str:
        if isinstance(get_label, str) and all(part.isidentifier() for part in get_label.split(".")):
            return f"obj.{get_label}"
        return f"({self.code.value(get_label)})(obj)"

    def field_QuerySelectField(self) -> None:
        self.model_choice(multiple=False, widget=None)

    def field_QueryRadioField(self) -> None:
        self.model_choice(multiple=False, widget="forms.RadioSelect")

    def field_QuerySelectMultipleField(self) -> None:
        self.model_choice(multiple=True, widget=None)

    def field_QueryCheckboxField(self) -> None:
        self.model_choice(multiple=True, widget="forms.CheckboxSelectMultiple")

    # ---------------------------------------------------------------- common arguments
    def common_arguments(self) -> None:
        default = self.take("default")
        if default is not None:
            self.args["initial"] = self.code.value(default)
            self.note(
                "default= → initial=: WTForms keeps the default when the key is missing from the submitted data; "
                "a bound Django form treats a missing key as empty."
            )
        description = self.take("description")
        if description is not None:
            self.args["help_text"] = self.code.value(description)
        render_kw = self.take("render_kw")
        if render_kw is not None:
            value = literal(render_kw)
            if isinstance(value, dict):
                for key, item in value.items():
                    self.widget_attrs[_string(key)] = self.code.value(item)
            else:
                self.widget_attrs_code = self.code.value(render_kw)
        element_id = self.take("id")
        if element_id is not None:
            self.widget_attrs['"id"'] = self.code.value(element_id)
        filters = self.take("filters")
        if filters is not None:
            strip_only = isinstance(filters, (list, tuple)) and all(
                isinstance(f, Opaque) and f.code == "str.strip" for f in filters
            )
            if strip_only and self.django_class() in TEXT_CLASSES:
                self.note("filters=[str.strip]: Django's CharField strips whitespace already (strip=True).")
                self.args.pop("strip", None)
            else:
                self.note(
                    f"filters={_show(filters)} → apply them in clean_{self.spec.name}() and return the result.", False
                )
        if self.take("widget") is not None:
            self.note("A WTForms widget= has no direct counterpart: choose a django.forms widget.", False)
        if self.take("name") is not None:
            self.note("name= (the submitted key) → use a Django field of that name or a prefix.", False)
        for written, key in (("invalid_value_message", '"invalid"'), ("invalid_choice_message", '"invalid_choice"')):
            message = self.take(written)
            if message is not None:
                self.error_messages[key] = self.code.value(message)
        if "validators" in self.kwargs:
            shared = _show(self.kwargs.pop("validators"))
            self.note(
                f"validators={shared} is a shared list fwlint cannot read: translate its validators by hand.", False
            )
        for name, value in self.kwargs.items():
            self.note(f"{name}={_show(value)} has no Django counterpart known to fwlint.", False)
        self.kwargs.clear()
        if len(self.spec.args) > (1 if self.kind in ("FieldList", "FormField") else 0):
            self.note("Further positional arguments were not translated.", False)

    # ---------------------------------------------------------------- validators
    def apply_validators(self) -> None:
        for validator in self.spec.validators:
            name = validator.name
            if name.startswith("project:"):
                self.note(
                    f"Project validator `{validator.code or _short(name)}`: rewrite it as a Django validator "
                    "taking the value (not form, field), or as a check in clean_"
                    f"{self.spec.name}() / clean() when it needs other fields.",
                    exact=False,
                )
                continue
            handler = getattr(self, "validator_" + _short(name), None)
            if handler is None or not name.startswith(("wtforms.validators.", "flask_wtf.")):
                self.note(f"Validator `{validator.code or name}` has no Django counterpart known to fwlint.", False)
                continue
            handler(_validator_params(validator), validator)

    def message(self, params: dict[str, Value], django_formats: bool = False) -> str | None:
        """A validator's ``message=`` as code.  WTForms shows these messages as written; when
        Django %-formats the message with its params, a literal ``%`` is doubled."""
        message = params.get("message")
        if isinstance(message, str) and django_formats:
            return _string(message.replace("%", "%%"))
        return None if message is None else self.code.value(message)

    def validator_DataRequired(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        message = self.message(params)
        if message is not None:
            self.error_messages['"required"'] = message
        if self.django_class() == "BooleanField":
            self.note(
                "DataRequired on a BooleanField: the box must be checked, which is what a required Django "
                "BooleanField means."
            )
        elif self.django_class() in NUMBER_CLASSES and _short(validator.name) == "DataRequired":
            self.note(
                "DataRequired rejects 0 (falsy); a required Django number field accepts it: use InputRequired "
                "semantics or add a check in clean_" + self.spec.name + "().",
                False,
            )

    validator_InputRequired = validator_DataRequired

    def validator_FileRequired(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        message = self.message(params)
        if message is not None:
            self.error_messages['"required"'] = message

    def validator_Optional(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        if literal(params.get("strip_whitespace", True)) is False:
            self.note("Optional(strip_whitespace=False): whitespace-only input is not empty in WTForms.", False)

    def validator_Length(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        low = literal(params.get("min", -1))
        high = literal(params.get("max", -1))
        written = literal(params["message"]) if "message" in params else None
        limits = ((low, "min", "min_length", "MinLengthValidator"), (high, "max", "max_length", "MaxLengthValidator"))
        for bound, param, key, validator_class in limits:
            if bound == -1:
                continue
            bound_code = self.code.value(params[param])
            message: str | None = None
            if isinstance(written, str):
                # WTForms fills %(min)d/%(max)d/%(length)d; Django offers %(limit_value)d/%(show_value)d.
                message = _string(_fill(written.replace("%(length)d", "%(show_value)d"), {"min": low, "max": high}))
            elif "message" in params:
                message = self.code.value(params["message"])
            if self.django_class() in TEXT_CLASSES:
                self.args[key] = bound_code
                if message is not None:
                    self.error_messages[_string(key)] = message
            else:
                self.validator_import(validator_class)
                extra = f", message={message}" if message is not None else ""
                self.validators.append(f"{validator_class}({bound_code}{extra})")
        if isinstance(low, int) and low > 0:
            self.implicitly_required.append(f"Length(min={low}) rejects an empty value")

    def validator_NumberRange(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        low = params.get("min")
        high = params.get("max")
        written = literal(params["message"]) if "message" in params else None
        values = {"min": literal(low), "max": literal(high)}
        for bound, key, validator_class in (
            (low, "min_value", "MinValueValidator"),
            (high, "max_value", "MaxValueValidator"),
        ):
            if bound is None:
                continue
            numeric = isinstance(bound, (int, float)) and not isinstance(bound, bool)
            bound_code = self.code.value(bound)
            message = _string(_fill(written, values)) if isinstance(written, str) else None
            if numeric and self.django_class() in NUMBER_CLASSES:
                self.args[key] = bound_code
                if message is not None:
                    self.error_messages[_string(key)] = message
            else:
                self.validator_import(validator_class)
                extra = f", message={message}" if message is not None else ""
                self.validators.append(f"{validator_class}({bound_code}{extra})")
        if any(b is not None and literal(b) is _NOT_LITERAL for b in (low, high)):
            self.note("NumberRange bounds computed at run time: Django's Min/MaxValueValidator call a callable limit.")
        self.implicitly_required.append("NumberRange rejects an empty value")

    def validator_Email(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        message = self.message(params, django_formats=True)
        if self.cls == "forms.CharField" and self.widget is None:
            self.cls = "forms.EmailField"
        if self.cls == "forms.EmailField":
            if message is not None:
                self.error_messages['"invalid"'] = message
        else:
            self.validator_import("EmailValidator")
            self.validators.append(f"EmailValidator(message={message})" if message else "EmailValidator()")
        options = sorted(set(params) - {"message"})
        if options:
            self.note(
                f"Email({', '.join(options)}=...) options of the email_validator package have no Django counterpart.",
                False,
            )
        self.note(
            "Email() uses the email_validator package, Django its own regex: rare addresses are judged differently."
        )
        self.implicitly_required.append("Email() rejects an empty value")

    def validator_EqualTo(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        other = literal(params.get("fieldname"))
        if not isinstance(other, str):
            self.note(f"EqualTo({_show(params.get('fieldname'))}): compare the fields in clean().", False)
            return
        other_spec = next((f for f in self.form.fields if f.name == other), None)
        other_label = literal(other_spec.label) if other_spec is not None else None
        written = literal(params.get("message")) if "message" in params else None
        template = written if isinstance(written, str) else "Field must be equal to %(other_name)s."
        label = other_label if isinstance(other_label, str) else other
        message = _string(_format_message(template, {"other_name": other, "other_label": label}))
        if "message" in params and not isinstance(written, str):
            message = self.code.value(params["message"])
            self.note("The EqualTo message is not a literal: fill its %(other_name)s placeholders by hand.")
        mine = _string(self.spec.name)
        theirs = _string(other)
        # Only when both values are clean: a field that failed its own validation already has its error.
        self.clean_checks.append(
            f"if {mine} in cleaned_data and {theirs} in cleaned_data:\n"
            f"    if cleaned_data[{mine}] != cleaned_data[{theirs}]:\n"
            f"        self.add_error({mine}, {message})"
        )
        if other_spec is None:
            self.note(f'EqualTo("{other}") names a field the form does not have.', False)
        self.note(f'EqualTo("{other}") → a check in clean() comparing cleaned values.', exact=False)

    def validator_Regexp(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        pattern = params.get("regex")
        matcher = params.get("matcher")
        matcher_code = _show(matcher) if matcher is not None else "re.match"
        arguments: list[str] = []
        if isinstance(pattern, str):
            anchored = pattern
            if matcher_code.endswith("fullmatch"):
                anchored = rf"\A(?:{pattern})\Z"
            elif matcher_code.endswith("search"):
                anchored = pattern
            elif not (pattern.startswith(r"\A") or (pattern.startswith("^") and "flags" not in params)):
                anchored = rf"\A(?:{pattern})"
            if anchored != pattern:
                self.note(
                    "The pattern is anchored with \\A: WTForms matches at the start (re.match), Django's "
                    "RegexValidator searches anywhere."
                )
            arguments.append(_regex_literal(anchored))
            try:
                flags = 0
                if params.get("flags") is not None:
                    flags = -1  # unknown flags: do not guess whether the empty string matches
                if flags == 0 and re.match(anchored, "") is None:
                    self.implicitly_required.append("its Regexp does not match an empty value")
            except re.error:
                self.note("The pattern does not compile in Python.", False)
        else:
            arguments.append(self.code.value(pattern))
            self.note("The pattern is not a literal: make sure it is anchored (\\A...) like WTForms' re.match.", False)
        message = self.message(params, django_formats=True)
        if message is not None:
            arguments.append(f"message={message}")
        if params.get("flags") is not None:
            arguments.append(f"flags={self.code.value(params['flags'])}")
        self.validator_import("RegexValidator")
        self.validators.append(f"RegexValidator({', '.join(arguments)})")

    def validator_URL(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        arguments: list[str] = []
        if "schemes" in params:
            schemes = literal(params["schemes"])
            arguments.append(
                "schemes="
                + (
                    "[" + ", ".join(_string(s) for s in schemes) + "]"
                    if isinstance(schemes, (list, tuple)) and all(isinstance(s, str) for s in schemes)
                    else self.code.value(params["schemes"])
                )
            )
        message = self.message(params, django_formats=True)
        if message is not None:
            arguments.append(f"message={message}")
        self.validator_import("URLValidator")
        self.validators.append(f"URLValidator({', '.join(arguments)})")
        for option in ("require_tld", "allow_ip", "allow_userinfo"):
            if option in params:
                self.note(f"URL({option}=...) has no URLValidator counterpart.", False)
        self.note("URL() and URLValidator disagree on edge hosts (WTForms requires a TLD, Django accepts localhost).")
        self.implicitly_required.append("URL() rejects an empty value")

    def validator_AnyOf(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        values = _show(params.get("values"))
        self.note(
            f"AnyOf({values}): Django has no such validator: a ChoiceField with these values, or a check in "
            f"clean_{self.spec.name}().",
            False,
        )
        allowed = literal(params.get("values"))
        if not (isinstance(allowed, (list, tuple)) and "" in allowed):
            self.implicitly_required.append("AnyOf rejects an empty value")

    def validator_NoneOf(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        values = _show(params.get("values"))
        self.note(f"NoneOf({values}): Django has no such validator: check it in clean_{self.spec.name}().", False)

    def validator_IPAddress(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        ipv4 = literal(params.get("ipv4", True)) is not False
        ipv6 = literal(params.get("ipv6", False)) is True
        protocol = "both" if ipv4 and ipv6 else ("IPv6" if ipv6 else "IPv4")
        if self.cls == "forms.CharField":
            self.cls = "forms.GenericIPAddressField"
            self.args.pop("strip", None)
            if protocol != "both":
                self.args = {"protocol": _string(protocol), **self.args}
            message = self.message(params, django_formats=True)
            if message is not None:
                self.error_messages['"invalid"'] = message
            if ipv6:
                self.note("Django normalises IPv6 addresses (compressed form); WTForms keeps them as typed.", False)
        else:
            self.validator_import("validate_ipv46_address")
            self.validators.append("validate_ipv46_address")
            self.note("IPAddress on a non-text field: validate_ipv46_address accepts both protocols.", False)
        self.implicitly_required.append("IPAddress rejects an empty value")

    def validator_MacAddress(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        message = self.message(params, django_formats=True) or _string("Invalid Mac address.")
        self.validator_import("RegexValidator")
        self.validators.append(f"RegexValidator({_regex_literal(MAC_ADDRESS)}, message={message})")
        self.implicitly_required.append("MacAddress rejects an empty value")

    def validator_UUID(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        if self.cls == "forms.CharField":
            self.cls = "forms.UUIDField"
            self.args.pop("strip", None)
            message = self.message(params, django_formats=True)
            if message is not None:
                self.error_messages['"invalid"'] = message
            self.note("cleaned_data holds a uuid.UUID, not the string WTForms kept.", False)
        else:
            self.note("UUID() on a non-text field: check it in clean_" + self.spec.name + "().", False)
        self.implicitly_required.append("UUID() rejects an empty value")

    def validator_ReadOnly(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        self.args["disabled"] = "True"
        self.note(
            "disabled=True: Django ignores submitted data and keeps the initial value; WTForms rejected a "
            "changed value with an error.",
            False,
        )

    validator_Disabled = validator_ReadOnly

    def validator_DateRange(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        self.note(
            f"DateRange: check the bounds in clean_{self.spec.name}() (Django has no date range validator).", False
        )
        self.implicitly_required.append("DateRange rejects an empty value")

    def validator_FileAllowed(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        allowed = literal(params.get("upload_set"))
        if not (isinstance(allowed, (list, tuple)) and all(isinstance(a, str) for a in allowed)):
            self.note(
                f"FileAllowed({_show(params.get('upload_set'))}): list the extensions in "
                "FileExtensionValidator(allowed_extensions=[...]) by hand.",
                False,
            )
            return
        arguments = ["allowed_extensions=[" + ", ".join(_string(a) for a in allowed) + "]"]
        message = self.message(params, django_formats=True)  # a custom message is shown as written
        if message is not None:
            arguments.append(f"message={message}")
        self.validator_import("FileExtensionValidator")
        self.validators.append(f"FileExtensionValidator({', '.join(arguments)})")

    def validator_FileSize(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        self.note(
            f"FileSize({_show(params.get('max_size'))}): write a validator checking value.size (Django has none).",
            False,
        )

    def validator_Recaptcha(self, params: dict[str, Value], validator: ValidatorSpec) -> None:
        self.note("Recaptcha(): django-recaptcha's ReCaptchaField validates itself.")

    # ---------------------------------------------------------------- required
    def decide_required(self) -> None:
        """WTForms fields are optional unless something rejects an empty value; Django's are required."""
        order = [_short(v.name) for v in self.spec.validators if not v.name.startswith("project:")]
        required_at = next((i for i, n in enumerate(order) if n in REQUIRING), None)
        optional_at = next((i for i, n in enumerate(order) if n == "Optional"), None)
        if self.kind in COERCING:
            self.implicitly_required.append(f"WTForms rejects an empty {COERCING[self.kind]} value")
        if self.choices_blank:
            self.implicitly_required = [r for r in self.implicitly_required if "choice" not in r]
        if optional_at is not None:
            required = required_at is not None and required_at < optional_at
        elif required_at is not None:
            required = True
        else:
            required = bool(self.implicitly_required)
            if required:
                self.note(
                    "Kept required although no DataRequired/InputRequired is given: "
                    + "; ".join(dict.fromkeys(self.implicitly_required))
                    + " (only Optional() would let it through)."
                )
        if not required:
            self.args["required"] = "False"
            if self.kind in ("SelectField", "RadioField") and self.cls != "forms.CharField":
                coerced = self.cls in ("forms.TypedChoiceField",)
                if coerced:
                    self.args["empty_value"] = "None"


MULTIPLE_FILE_HELPER = '''\
class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A FileField taking several files: cleaned_data holds a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        clean_one = super().clean
        if isinstance(data, (list, tuple)):
            return [clean_one(item, initial) for item in data]
        cleaned = clean_one(data, initial)
        return [] if cleaned in (None, False) else [cleaned]'''


def _is_select_choice(value: Value) -> bool:
    return isinstance(value, CallValue) and value.callee.rsplit(".", 1)[-1] in ("SelectChoice", "Choice")


def _entry_spec(entry: CallValue, owner: FieldSpec) -> FieldSpec:
    """A FieldSpec for the entry field written inside ``FieldList(...)``."""
    args = list(entry.args)
    kwargs: dict[str, Value] = dict(entry.kwargs)
    label = kwargs.pop("label") if "label" in kwargs else (args.pop(0) if args else None)
    raw = kwargs.pop("validators") if "validators" in kwargs else (args.pop(0) if args else None)
    validators: list[ValidatorSpec] = []
    if isinstance(raw, (list, tuple)):
        for item in raw:
            if isinstance(item, CallValue):
                validators.append(ValidatorSpec(item.callee, item.args, dict(item.kwargs), item.code))
            elif isinstance(item, Ref):
                validators.append(ValidatorSpec(item.path, code=item.path.rsplit(".", 1)[-1]))
    elif raw is not None:
        kwargs["validators"] = raw
    return FieldSpec(
        name="value",
        span=owner.span,
        file=owner.file,
        field_type=entry.callee,
        label=label,
        validators=validators,
        kwargs=kwargs,
        args=tuple(args),
    )


def django_form_field(field: FieldSpec, form: FormSpec) -> FormFieldCode:
    """The Django form field for one WTForms field (``code`` is the class-body statement)."""
    return _FieldBuilder(field, form).build()


# ------------------------------------------------------------------ model forms
def _primary(column: ColumnSpec) -> bool:
    return literal(column.kwargs.get("primary_key")) is True


def _nullable(column: ColumnSpec) -> bool:
    """SQLAlchemy's default: nullable unless primary key, ``nullable=False`` or a non-Optional ``Mapped``."""
    written = literal(column.kwargs.get("nullable"))
    if isinstance(written, bool):
        return written
    if _primary(column):
        return False
    if column.annotation is not None:
        return "Optional" in column.annotation or "None" in column.annotation
    return True


def _model_names(model: ModelSpec) -> dict[str, ColumnSpec | None]:
    """Names a ModelForm can list: plain columns (no primary or foreign keys) and relationships."""
    names: dict[str, ColumnSpec | None] = {}
    for column in model.columns:
        if not _primary(column) and column.foreign_key is None:
            names[column.name] = column
    for relationship in model.relationships:
        names.setdefault(relationship.name, None)
    return names


def _data_fields(form: FormSpec) -> list[FieldSpec]:
    """Fields that carry data a model could store (buttons, captchas and nested forms do not)."""
    return [
        f
        for f in form.fields
        if _framework_type(f) not in NO_FIELD and not (f.name == "id" and _framework_type(f) == "HiddenField")
    ]


def model_form_candidate(form: FormSpec, schema: OrmSchema) -> tuple[str, list[str]] | None:
    """``(model name, matching field names)`` when the form mirrors one model.

    A form mirrors a model when at least two of its data fields, and at least 60% of
    them, are named like the model's columns or relationships (primary and foreign key
    columns left out: Django names a foreign key after its relationship).  Data fields
    exclude submit buttons, captchas, ``FieldList``/``FormField`` and a hidden ``id``.
    The model with most matches wins; ties go to the model whose name starts the
    form's name (``BookEditForm`` → ``Book``), then to the one more of whose columns
    the form covers."""
    data = _data_fields(form)
    if not data:
        return None
    best: tuple[tuple[int, int, float], str, list[str]] | None = None
    stem = _stem(form)
    for model in schema.models:
        if model.abstract:
            continue
        names = _model_names(model)
        matches = [f.name for f in data if f.name in names]
        if len(matches) < MODEL_FORM_MIN_FIELDS or len(matches) / len(data) < MODEL_FORM_MIN_SHARE:
            continue
        key = (len(matches), int(stem.startswith(model.name)), len(matches) / max(len(names), 1))
        if best is None or key > best[0]:
            best = (key, model.name, matches)
    return (best[1], best[2]) if best is not None else None


def _meta_derivable(code: FormFieldCode, column: ColumnSpec | None) -> bool:
    """Whether a matched field can be left to the model (only labels, help texts, widgets)."""
    if column is None or code.field_class is None or code.clean_checks or not code.exact:
        return False
    if set(code.arguments) - {"label", "help_text", "widget", "required"}:
        return False
    django_class = code.field_class.rsplit(".", 1)[-1]
    column_type = column.type.name if column.type is not None else None
    if column_type is None or column_type not in COLUMN_TYPES_FOR.get(django_class, frozenset()):
        return False
    required = code.arguments.get("required") != "False"
    return required == (not _nullable(column))


# ------------------------------------------------------------------ whole forms
def django_form(form: FormSpec, schema: OrmSchema | None = None) -> FormCode:
    """The Django form class for a WTForms form; a ``ModelForm`` when it mirrors a model."""
    fields = [django_form_field(f, form) for f in form.fields]
    candidate = model_form_candidate(form, schema) if schema is not None else None
    model = schema.model_named(candidate[0]) if schema is not None and candidate is not None else None
    notes: list[str] = []
    imports: set[str] = {FORMS_IMPORT}
    helpers: list[str] = []
    for code in fields:
        imports.update(code.imports)
        for helper in code.helpers:
            if helper not in helpers:
                helpers.append(helper)
    derived: set[str] = set()
    meta_lines: list[str] = []
    model_changes_input = False
    if candidate is not None and model is not None:
        columns = _model_names(model)
        meta: dict[str, dict[str, str]] = {}
        for code in fields:
            if code.name in candidate[1] and _meta_derivable(code, columns.get(code.name)):
                derived.add(code.name)
                for argument, option in META_ARGUMENTS.items():
                    if argument in code.arguments:
                        meta.setdefault(option, {})[code.name] = code.arguments[argument]
        imports.add(f"from {MODELS_MODULE} import {model.name}")
        meta_lines = ["class Meta:", f"    model = {model.name}"]
        meta_lines.append("    fields = [" + ", ".join(_string(n) for n in candidate[1]) + "]")
        for option, entries in meta.items():
            meta_lines.append(f"    {option} = {{" + ", ".join(f"{_string(k)}: {v}" for k, v in entries.items()) + "}")
        if derived:
            notes.append(
                f"ModelForm for {model.name}: {', '.join(sorted(derived))} take their type, max_length and required "
                "from the model; the other matching fields are declared to keep the WTForms validation."
            )
        limited = sorted(n for n in derived if (c := columns.get(n)) is not None and c.type is not None and c.type.args)
        model_changes_input = bool(limited)
        if limited:
            notes.append(
                f"{', '.join(limited)}: the model's length limit now rejects longer input, which the "
                "WTForms form accepted."
            )
        notes.append(f"form.populate_obj(obj) → form = {form.name}(request.POST, instance=obj); form.save().")
    lines = [f'"""Ported from WTForms form {form.qualname}."""']
    for code in fields:
        if code.name in derived:
            continue
        if code.code is not None:
            lines.extend(code.code.splitlines())
        else:
            lines.append(f"# {code.name}: {code.comment or 'no Django field (see notes)'}")
    if meta_lines:
        lines.append("")
        lines.extend(meta_lines)
    lines.extend(_clean_methods(form, fields))
    base = "forms.ModelForm" if meta_lines else "forms.Form"
    class_code = f"class {form.name}({base}):\n" + "\n".join(("    " + line) if line else "" for line in lines)
    companions = [code.companion for code in fields if code.companion]
    body = "\n\n\n".join([class_code, *companions])
    notes.extend(_form_notes(form, fields))
    exact = all(code.exact for code in fields) and not form.field_validators and not form.methods
    exact = exact and literal(form.meta.get("csrf", True)) is not False
    exact = exact and not model_changes_input
    return FormCode(
        name=form.name,
        code="\n\n\n".join([*helpers, body]),
        fields=fields,
        notes=notes,
        exact=exact,
        model_form=model.name if meta_lines and model is not None else None,
        imports=sorted(imports, key=_import_order),
        helpers=helpers,
        body=body,
    )


def _clean_methods(form: FormSpec, fields: list[FormFieldCode]) -> list[str]:
    lines: list[str] = []
    for name, method in form.field_validators.items():
        lines += [
            "",
            f"def clean_{name}(self):",
            f'    value = self.cleaned_data["{name}"]',
            f"    # Port {form.name}.{method}(self, field) here: read `value` instead of field.data,",
            "    # raise forms.ValidationError(...) instead of wtforms' ValidationError.",
            "    return value",
        ]
    checks = [check for code in fields for check in code.clean_checks]
    if checks or "validate" in form.methods:
        lines += ["", "def clean(self):", "    cleaned_data = super().clean()"]
        for check in checks:
            lines.extend("    " + line for line in check.splitlines())
        if "validate" in form.methods:
            lines += [
                f"    # Port the cross-field checks of {form.name}.validate() here; report them with",
                "    # self.add_error(field, message) or raise forms.ValidationError(...).",
            ]
        lines.append("    return cleaned_data")
    return lines


def _form_notes(form: FormSpec, fields: list[FormFieldCode]) -> list[str]:
    notes: list[str] = []
    if form.base == "flask_wtf.FlaskForm":
        notes.append(
            f"FlaskForm bound request.form itself: bind {form.name}(request.POST or None, request.FILES or None). "
            "CSRF comes from Django's middleware: {% csrf_token %} replaces form.hidden_tag() / form.csrf_token."
        )
    else:
        notes.append(f"{form.name}(request.form) → {form.name}(request.POST).")
    inherited = sorted({f.inherited_from for f in form.fields if f.inherited_from})
    if inherited:
        notes.append(
            f"Fields inherited from {', '.join(inherited)} are declared here; a shared Django base form "
            "can hold them again."
        )
    if literal(form.meta.get("csrf", True)) is False:
        notes.append("Meta.csrf = False → decorate the view with django.views.decorators.csrf.csrf_exempt.")
    others = sorted(k for k in form.meta if k != "csrf")
    if others:
        notes.append(f"Meta options {', '.join(others)} have no Django counterpart.")
    for name, method in form.field_validators.items():
        notes.append(f"{method}() → clean_{name}(): port the checks into the stub and keep its `return value`.")
    for method in form.methods:
        if method == "validate":
            notes.append("validate() → clean() (a stub is generated): call super().clean() and return cleaned_data.")
        else:
            notes.append(f"Method {method}() must be ported by hand.")
    if any(code.field_class in ("forms.FileField", "MultipleFileField") for code in fields):
        notes.append('The form takes files: pass request.FILES and use <form enctype="multipart/form-data">.')
    return notes


def django_forms_module(forms: list[FormCode]) -> str:
    """One ``forms.py`` for several translated forms: imports and helpers once, then each form."""
    imports = sorted({line for form in forms for line in form.imports}, key=_import_order)
    helpers: list[str] = []
    for form in forms:
        for helper in form.helpers:
            if helper not in helpers:
                helpers.append(helper)
    parts = ["\n".join(imports), *helpers, *(form.body for form in forms)]
    return "\n\n\n".join(parts) + "\n"
