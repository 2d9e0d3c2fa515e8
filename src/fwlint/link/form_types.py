"""What the linker knows about a project's WTForms / Flask-WTF forms.

The Django translation (``translate/django_forms.py``) reads only these types.
Field and validator names are canonical: ``wtforms.StringField``,
``wtforms.validators.DataRequired``, ``flask_wtf.file.FileField``,
``wtforms_sqlalchemy.fields.QuerySelectField``.  A field class the project
defines itself is ``project:<ClassName>`` with its framework base in ``base``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fwlint.facts import Span, Value


@dataclass
class ValidatorSpec:
    name: str  # canonical, e.g. "wtforms.validators.Length"; "project:<name>" for the project's own
    args: tuple[Value, ...] = ()
    kwargs: dict[str, Value] = field(default_factory=dict)
    code: str = ""  # as written


@dataclass
class FieldSpec:
    name: str  # attribute name on the form
    span: Span
    file: str
    field_type: str  # canonical, e.g. "wtforms.StringField"; "project:<ClassName>"
    base: str | None = None  # for project field classes: the framework field they extend
    label: Value | None = None  # first positional argument or ``label=``
    validators: list[ValidatorSpec] = field(default_factory=list)
    # Every other keyword argument as written: default, choices, coerce, render_kw,
    # description, places, format, min_entries, query_factory, get_label, allow_blank...
    kwargs: dict[str, Value] = field(default_factory=dict)
    # Positional arguments after the label (FieldList's inner field, FormField's form class).
    args: tuple[Value, ...] = ()
    inherited_from: str | None = None


@dataclass
class FormSpec:
    qualname: str
    name: str
    file: str
    span: Span
    base: str  # canonical framework base: "flask_wtf.FlaskForm" | "wtforms.Form"
    bases: list[str] = field(default_factory=list)  # project form classes it extends (names)
    fields: list[FieldSpec] = field(default_factory=list)  # inherited ones first
    # ``validate_<field>`` methods: field name -> method name.
    field_validators: dict[str, str] = field(default_factory=dict)
    # Other methods the form defines (``validate``, ``__init__``, helpers).
    methods: list[str] = field(default_factory=list)
    # ``class Meta: csrf = False`` and the like, as written.
    meta: dict[str, Value] = field(default_factory=dict)
