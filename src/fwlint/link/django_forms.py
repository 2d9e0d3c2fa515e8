"""The project's Django forms, model forms and formsets (the Django → Flask direction).

A form is any project class whose bases reach ``django.forms.Form``,
``django.forms.ModelForm`` (or ``BaseForm`` / ``BaseModelForm``, or one of
``django.contrib.auth.forms``' forms) directly, through other project classes in
any module, or through aliases and re-exports.  Its fields are collected the way
Django's ``DeclarativeFieldsMetaclass`` does
(https://docs.djangoproject.com/en/5.2/ref/forms/api/#subclassing-forms): every
class attribute whose value is a form field, base classes first, a subclass field
of the same name replacing the inherited one in place, and an attribute set to
``None`` removing it.

Django's own forms in ``django.contrib.auth.forms`` (``UserCreationForm``,
``AuthenticationForm``, ``SetPasswordForm``...) are read from a copy of their
Django 5.2 declarations kept in this module, by the same extractor as project
code, so a project subclass gets their declared fields and ``Meta`` (with
``class Meta(UserCreationForm.Meta)``) exactly as Django builds it; the fields
they add in ``__init__`` are not in ``base_fields`` and not listed.

For a ``ModelForm`` the fields Django generates from ``Meta.model`` are added the
way ``ModelFormMetaclass`` and ``fields_for_model`` (django/forms/models.py) do:
editable model fields only (auto fields and parent links have no form field),
filtered by ``Meta.fields`` / ``Meta.exclude``, in ``Meta.fields`` order when it
is a list, declared fields replacing generated ones in place, other declared
fields after them, ``Meta.widgets`` / ``labels`` / ``help_texts`` /
``error_messages`` / ``field_classes`` / ``localized_fields`` applied.  Each model
field becomes what its ``formfield()`` returns in Django 5.2
(https://docs.djangoproject.com/en/5.2/topics/forms/modelforms/#field-types):
``CharField`` → ``CharField(max_length)``, ``TextField`` → ``CharField(widget=Textarea)``,
``ForeignKey`` → ``ModelChoiceField``, ``ManyToManyField`` → ``ModelMultipleChoiceField``,
a field with ``choices`` → ``TypedChoiceField`` (with the blank choice Django adds),
``blank=True`` → ``required=False``, a model ``BooleanField`` → ``required=False``...

Model information comes through :class:`ModelFieldSource`: :func:`schema_model_fields`
reads it from the full model discovery (:class:`~fwlint.link.django_models.DjangoSchema`,
Django's own models included); :func:`model_fields_from_index` is the fallback that
reads a project model's own and project-inherited field attributes from the index.

Formsets are module-level (or local) assignments of ``formset_factory``,
``modelformset_factory`` or ``inlineformset_factory``; ``modelform_factory``
assignments are forms.  Every argument is kept as a fact value, positional ones
named by the callee's signature.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Protocol

from fwlint.facts import CallValue, ClassDef, FileFacts, Opaque, Ref, Span, Value
from fwlint.link.builtin_sources import builtin_facts
from fwlint.link.django_models import DjangoField, DjangoModel, DjangoSchema, discover_django_models
from fwlint.link.index import ProjectIndex
from fwlint.translate.values import code_of

FORMS = "django.forms."
MODELS = "django.db.models."
# Framework form classes a project form may extend, and what kind of form each makes.
FORM_BASES = {
    "django.forms.Form": "form",
    "django.forms.BaseForm": "form",
    "django.forms.ModelForm": "model_form",
    "django.forms.BaseModelForm": "model_form",
}
# django.contrib.auth's forms, and what kind of form each makes; their declarations are in AUTH_FORMS_SOURCE.
AUTH_FORMS = {
    "django.contrib.auth.forms.AuthenticationForm": "form",
    "django.contrib.auth.forms.PasswordResetForm": "form",
    "django.contrib.auth.forms.SetPasswordForm": "form",
    "django.contrib.auth.forms.PasswordChangeForm": "form",
    "django.contrib.auth.forms.AdminPasswordChangeForm": "form",
    "django.contrib.auth.forms.BaseUserCreationForm": "model_form",
    "django.contrib.auth.forms.UserCreationForm": "model_form",
    "django.contrib.auth.forms.AdminUserCreationForm": "model_form",
    "django.contrib.auth.forms.UserChangeForm": "model_form",
}
AUTH_FORMS_MODULE = "django.contrib.auth.forms"
AUTH_FORMS_FILE = "django/contrib/auth/forms.py"
# django/contrib/auth/forms.py of Django 5.2: the fields each form declares, its Meta and field_order, and its
# methods (bodies left out).  Labels and help texts are the English text of Django's gettext_lazy() calls; the
# fields ``SetPasswordMixin.create_password_fields()`` and ``SetUnusablePasswordMixin.create_usable_password_field()``
# make are written out.
AUTH_FORMS_SOURCE = """\
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator


class ReadOnlyPasswordHashField(forms.Field):
    def __init__(self, *args, **kwargs): ...


class UsernameField(forms.CharField):
    def to_python(self, value): ...
    def widget_attrs(self, widget): ...


class SetPasswordMixin:
    error_messages = {"password_mismatch": "The two password fields didn’t match."}

    def validate_passwords(self, password1_field_name="password1", password2_field_name="password2"): ...
    def validate_password_for_user(self, user, password_field_name="password2"): ...
    def set_password_and_save(self, user, password_field_name="password1", commit=True): ...


class SetUnusablePasswordMixin:
    def validate_passwords(
        self,
        password1_field_name="password1",
        password2_field_name="password2",
        usable_password_field_name="usable_password",
    ): ...
    def validate_password_for_user(self, user, **kwargs): ...
    def set_password_and_save(self, user, commit=True, **kwargs): ...


class BaseUserCreationForm(SetPasswordMixin, forms.ModelForm):
    password1 = forms.CharField(
        label="Password",
        required=True,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password confirmation",
        required=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text="Enter the same password as before, for verification.",
    )

    class Meta:
        model = User
        fields = ("username",)
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs): ...
    def clean(self): ...
    def _post_clean(self): ...
    def save(self, commit=True): ...


class UserCreationForm(BaseUserCreationForm):
    def clean_username(self): ...


class UserChangeForm(forms.ModelForm):
    password = ReadOnlyPasswordHashField(
        label="Password",
        help_text="Raw passwords are not stored, so there is no way to see the user’s password.",
    )

    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs): ...


class AuthenticationForm(forms.Form):
    username = UsernameField(widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request=None, *args, **kwargs): ...
    def clean(self): ...
    def confirm_login_allowed(self, user): ...
    def get_user(self): ...
    def get_invalid_login_error(self): ...


class PasswordResetForm(forms.Form):
    email = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ): ...
    def get_users(self, email): ...
    def save(
        self,
        domain_override=None,
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.html",
        use_https=False,
        token_generator=default_token_generator,
        from_email=None,
        request=None,
        html_email_template_name=None,
        extra_email_context=None,
    ): ...


class SetPasswordForm(SetPasswordMixin, forms.Form):
    new_password1 = forms.CharField(
        label="New password",
        required=True,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label="New password confirmation",
        required=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text="Enter the same password as before, for verification.",
    )

    def __init__(self, user, *args, **kwargs): ...
    def clean(self): ...
    def save(self, commit=True): ...


class PasswordChangeForm(SetPasswordForm):
    old_password = forms.CharField(
        label="Old password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self): ...


class AdminPasswordChangeForm(SetUnusablePasswordMixin, SetPasswordMixin, forms.Form):
    required_css_class = "required"
    password1 = forms.CharField(
        label="Password",
        required=True,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password confirmation",
        required=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text="Enter the same password as before, for verification.",
    )

    def __init__(self, user, *args, **kwargs): ...
    def clean(self): ...
    def save(self, commit=True): ...


class AdminUserCreationForm(SetUnusablePasswordMixin, UserCreationForm):
    usable_password = forms.ChoiceField(
        label="Password-based authentication",
        required=False,
        initial="true",
        choices={"true": "Enabled", "false": "Disabled"},
        widget=forms.RadioSelect(attrs={"class": "radiolist inline"}),
        help_text=(
            "Whether the user will be able to authenticate using a password or not. If disabled, they may still be "
            "able to authenticate using other backends, such as Single Sign-On or LDAP."
        ),
    )

    def __init__(self, *args, **kwargs): ...
"""
FORM_FIELDS = frozenset(
    {
        "Field", "CharField", "IntegerField", "DateField", "TimeField", "DateTimeField", "DurationField",
        "RegexField", "EmailField", "FileField", "ImageField", "URLField", "BooleanField", "NullBooleanField",
        "ChoiceField", "MultipleChoiceField", "ComboField", "MultiValueField", "FloatField", "DecimalField",
        "SplitDateTimeField", "GenericIPAddressField", "FilePathField", "JSONField", "SlugField",
        "TypedChoiceField", "TypedMultipleChoiceField", "UUIDField", "ModelChoiceField",
        "ModelMultipleChoiceField",
    }
)  # fmt: skip
# Framework fields outside django.forms that are one of its fields with extras.
FIELD_ALIASES = {
    "django.contrib.auth.forms.UsernameField": "django.forms.CharField",
    "django.contrib.auth.forms.ReadOnlyPasswordHashField": "django.forms.Field",
}
# Form field parameters that may be passed positionally (Django 5.2 signatures).
FIELD_POSITIONAL: dict[str, tuple[str, ...]] = {
    "RegexField": ("regex",),
    "ComboField": ("fields",),
    "MultiValueField": ("fields",),
    "FilePathField": ("path",),
    "ModelChoiceField": ("queryset",),
    "ModelMultipleChoiceField": ("queryset",),
    "JSONField": ("encoder", "decoder"),
}
WIDGET_POSITIONAL: dict[str, tuple[str, ...]] = {
    "Select": ("attrs", "choices"),
    "SelectMultiple": ("attrs", "choices"),
    "RadioSelect": ("attrs", "choices"),
    "CheckboxSelectMultiple": ("attrs", "choices"),
    "NullBooleanSelect": ("attrs",),
    "DateInput": ("attrs", "format"),
    "DateTimeInput": ("attrs", "format"),
    "TimeInput": ("attrs", "format"),
    "PasswordInput": ("attrs", "render_value"),
    "CheckboxInput": ("attrs", "check_test"),
    "SelectDateWidget": ("attrs", "years", "months", "empty_label"),
    "SplitDateTimeWidget": ("attrs", "date_format", "time_format", "date_attrs", "time_attrs"),
    "MultiWidget": ("widgets", "attrs"),
}
VALIDATOR_POSITIONAL: dict[str, tuple[str, ...]] = {
    "MinLengthValidator": ("limit_value", "message"),
    "MaxLengthValidator": ("limit_value", "message"),
    "MinValueValidator": ("limit_value", "message"),
    "MaxValueValidator": ("limit_value", "message"),
    "StepValueValidator": ("limit_value", "message", "offset"),
    "RegexValidator": ("regex", "message", "code", "inverse_match", "flags"),
    "UnicodeUsernameValidator": ("regex", "message", "code", "inverse_match", "flags"),
    "ASCIIUsernameValidator": ("regex", "message", "code", "inverse_match", "flags"),
    "EmailValidator": ("message", "code", "allowlist"),
    "URLValidator": ("schemes",),
    "FileExtensionValidator": ("allowed_extensions", "message", "code"),
    "ProhibitNullCharactersValidator": ("message", "code"),
    "DecimalValidator": ("max_digits", "decimal_places"),
    "int_list_validator": ("sep", "message", "code", "allow_negative"),
}
# Model field parameters that may be passed positionally (Django 5.2 signatures).
_MODEL_FIELD = ("verbose_name", "name")
MODEL_FIELD_POSITIONAL: dict[str, tuple[str, ...]] = {
    "ForeignKey": ("to", "on_delete", "related_name", "related_query_name", "limit_choices_to", "parent_link"),
    "OneToOneField": ("to", "on_delete", "to_field"),
    "ManyToManyField": ("to", "related_name", "related_query_name", "limit_choices_to", "symmetrical", "through"),
    "DecimalField": (*_MODEL_FIELD, "max_digits", "decimal_places"),
    "FileField": (*_MODEL_FIELD, "upload_to", "storage"),
    "ImageField": (*_MODEL_FIELD, "width_field", "height_field"),
    "FilePathField": (*_MODEL_FIELD, "path", "match", "recursive", "allow_files", "allow_folders"),
    "GenericIPAddressField": (*_MODEL_FIELD, "protocol", "unpack_ipv4"),
    "JSONField": (*_MODEL_FIELD, "encoder", "decoder"),
}
RELATION_FIELDS = frozenset({"ForeignKey", "OneToOneField", "ManyToManyField"})
AUTO_FIELDS = frozenset({"AutoField", "BigAutoField", "SmallAutoField"})
FACTORY_POSITIONAL: dict[str, tuple[str, ...]] = {
    "formset_factory": (
        "form", "formset", "extra", "can_order", "can_delete", "max_num", "validate_max", "min_num",
        "validate_min", "absolute_max", "can_delete_extra", "renderer",
    ),
    "modelformset_factory": (
        "model", "form", "formfield_callback", "formset", "extra", "can_delete", "can_order", "max_num",
        "fields", "exclude", "widgets", "validate_max", "localized_fields", "labels", "help_texts",
        "error_messages", "min_num", "validate_min", "field_classes", "absolute_max", "can_delete_extra",
        "renderer", "edit_only",
    ),
    "inlineformset_factory": (
        "parent_model", "model", "form", "formset", "fk_name", "fields", "exclude", "extra", "can_order",
        "can_delete", "max_num", "formfield_callback", "widgets", "validate_max", "localized_fields", "labels",
        "help_texts", "error_messages", "min_num", "validate_min", "field_classes", "absolute_max",
        "can_delete_extra", "renderer", "edit_only",
    ),
    "modelform_factory": (
        "model", "form", "fields", "exclude", "formfield_callback", "widgets", "localized_fields", "labels",
        "help_texts", "error_messages", "field_classes",
    ),
}  # fmt: skip
META_OPTIONS = (
    "model", "fields", "exclude", "widgets", "localized_fields", "labels", "help_texts", "error_messages",
    "field_classes", "formfield_callback",
)  # fmt: skip
ALL_FIELDS = "__all__"
BLANK_CHOICE = ("", "---------")
BIGINT = 9223372036854775807
# What a model field's ``to_python`` makes of a submitted choice (TypedChoiceField's ``coerce``).
CHOICE_COERCE = {
    "IntegerField": "int", "SmallIntegerField": "int", "BigIntegerField": "int", "PositiveIntegerField": "int",
    "PositiveSmallIntegerField": "int", "PositiveBigIntegerField": "int", "FloatField": "float",
    "DecimalField": "decimal.Decimal",
}  # fmt: skip
# Model field class → form field class (``formfield()`` in Django 5.2); absent: ``forms.CharField``.
MODEL_FORM_FIELD = {
    "EmailField": "EmailField", "URLField": "URLField", "SlugField": "SlugField", "IntegerField": "IntegerField",
    "SmallIntegerField": "IntegerField", "BigIntegerField": "IntegerField", "PositiveIntegerField": "IntegerField",
    "PositiveSmallIntegerField": "IntegerField", "PositiveBigIntegerField": "IntegerField",
    "FloatField": "FloatField", "DecimalField": "DecimalField", "DateField": "DateField",
    "DateTimeField": "DateTimeField", "TimeField": "TimeField", "DurationField": "DurationField",
    "UUIDField": "UUIDField", "GenericIPAddressField": "GenericIPAddressField", "FileField": "FileField",
    "ImageField": "ImageField", "FilePathField": "FilePathField", "JSONField": "JSONField",
    "BooleanField": "BooleanField", "NullBooleanField": "NullBooleanField", "ForeignKey": "ModelChoiceField",
    "OneToOneField": "ModelChoiceField", "ManyToManyField": "ModelMultipleChoiceField",
}  # fmt: skip
# Model field arguments that become form field arguments of the same name.
MODEL_FIELD_PASSED = {
    "CharField": ("max_length",),
    "TextField": ("max_length",),
    "EmailField": ("max_length",),
    "URLField": ("max_length",),
    "SlugField": ("max_length", "allow_unicode"),
    "DecimalField": ("max_digits", "decimal_places"),
    "FileField": ("max_length",),
    "ImageField": ("max_length",),
    "FilePathField": ("path", "match", "recursive", "allow_files", "allow_folders"),
    "GenericIPAddressField": ("protocol",),
    "JSONField": ("encoder", "decoder"),
}
# Defaults model fields set for themselves (Django 5.2).
MODEL_FIELD_DEFAULTS: dict[str, dict[str, Value]] = {
    "EmailField": {"max_length": 254},
    "URLField": {"max_length": 200},
    "SlugField": {"max_length": 50},
    "FileField": {"max_length": 100},
    "ImageField": {"max_length": 100},
    "FilePathField": {"max_length": 100, "path": ""},
}
CHOICES_BASES = frozenset(
    {"django.db.models.TextChoices", "django.db.models.IntegerChoices", "django.db.models.Choices"}
)
POSITIVE_FIELDS = frozenset({"PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField"})


# ------------------------------------------------------------------ model information
@dataclass(frozen=True)
class ModelFieldInfo:
    """What a ModelForm needs to know of one model field.

    ``kwargs`` holds every argument by parameter name (positional ones named by the
    model field's signature: ``CharField("Title", max_length=200)`` gives
    ``verbose_name="Title"``).  ``related_model`` is the target of a relation: the
    project qualname of the model when known, else the reference as written
    (``"auth.User"``).  ``declared_class`` is the project's own field class when
    ``field_class`` is the framework field it extends.  ``auto_created`` marks a field
    Django adds itself (the automatic ``id``, a parent link): it has no form field, and
    naming it in ``Meta.fields`` is silently ignored rather than refused."""

    name: str
    field_class: str  # canonical, "django.db.models.CharField"
    kwargs: dict[str, Value]
    related_model: str | None
    editable: bool
    declared_class: str | None = None
    auto_created: bool = False


class ModelFieldSource(Protocol):
    """The fields of a model, by the model's project qualname, in declaration order
    (inherited ones first); None when the model is unknown."""

    def __call__(self, model_qualname: str) -> list[ModelFieldInfo] | None: ...


# ------------------------------------------------------------------ forms
@dataclass
class DjangoWidget:
    """``widget=forms.Textarea(attrs={"rows": 4})``: the class and its arguments by name."""

    widget_class: str  # canonical ("django.forms.Textarea"), "project:<Name>", or "expression"
    base: str | None = None  # a project widget class's framework base
    attrs: Value = None  # ``attrs=`` as written (usually a dict)
    kwargs: dict[str, Value] = field(default_factory=dict)  # choices, format, render_value, input_type...
    code: str = ""


@dataclass
class DjangoValidator:
    """A validator in ``validators=[...]``; arguments by the validator's parameter names."""

    name: str  # canonical ("django.core.validators.MinLengthValidator"), or "project:<name>"
    kwargs: dict[str, Value] = field(default_factory=dict)
    args: tuple[Value, ...] = ()  # positional arguments beyond the known parameters
    code: str = ""
    called: bool = True  # False for a function used as is (``validate_slug``)


@dataclass
class DjangoFormField:
    """One form field: written in the form (``origin="declared"``) or generated from a model
    field by a ModelForm (``origin="model"``)."""

    name: str
    file: str
    span: Span
    # Canonical class ("django.forms.CharField"), "project:<Name>" for the project's own field
    # class, or the dotted path of a field class from another package.
    field_class: str
    # For project (and contrib) field classes: the django.forms field they are translated as.
    base: str | None = None
    # Every argument by parameter name as written, except ``widget`` and ``validators``
    # (required, label, initial, help_text, max_length, choices, coerce, queryset...).
    kwargs: dict[str, Value] = field(default_factory=dict)
    widget: DjangoWidget | None = None
    validators: list[DjangoValidator] = field(default_factory=list)
    # ``validators=`` that is not a list literal (a shared list): as written.
    validators_value: Value = None
    extra_args: tuple[Value, ...] = ()  # positional arguments beyond the known parameters
    origin: str = "declared"  # "declared" | "model"
    model_field: str | None = None  # origin "model": the model field class ("django.db.models.CharField")
    model_kwargs: dict[str, Value] = field(default_factory=dict)  # origin "model": the model field's arguments
    # ModelChoiceField / ModelMultipleChoiceField: the model the choices come from, and whether the
    # queryset is all of its rows (``Author.objects.all()``) rather than a filtered one.
    related_model: str | None = None
    plain_queryset: bool = False
    inherited_from: str | None = None  # the form class that declares it, when a base class does
    # Declared by one of django.contrib.auth's forms ("django.contrib.auth.forms.BaseUserCreationForm"): the
    # field then sits at the project form's class line, as Django's own code is not the project's.
    framework_form: str | None = None

    @property
    def framework_class(self) -> str:
        """The django.forms field this field is (its base for project and contrib classes)."""
        return self.base or self.field_class

    @property
    def short_class(self) -> str:
        return self.framework_class.rsplit(".", 1)[-1]


@dataclass
class DjangoFormMeta:
    """A ModelForm's ``class Meta`` (own attributes and those of its project bases)."""

    model: str | None = None  # the model's project qualname, or the reference as written
    model_name: str | None = None
    fields: list[str] | str | None = None  # a list, "__all__", or None (not given or not a literal)
    exclude: list[str] | None = None
    widgets: dict[str, Value] = field(default_factory=dict)
    labels: dict[str, Value] = field(default_factory=dict)
    help_texts: dict[str, Value] = field(default_factory=dict)
    error_messages: dict[str, Value] = field(default_factory=dict)
    field_classes: dict[str, Value] = field(default_factory=dict)
    localized_fields: list[str] | str | None = None
    raw: dict[str, Value] = field(default_factory=dict)  # every Meta attribute as written


@dataclass
class DjangoForm:
    qualname: str
    name: str
    file: str
    span: Span
    base: str  # the framework form class it reaches ("django.forms.ModelForm"...)
    kind: str  # "form" | "model_form"
    bases: list[str] = field(default_factory=list)  # project form classes it extends (names)
    fields: list[DjangoFormField] = field(default_factory=list)  # Django's base_fields order
    field_cleaners: dict[str, str] = field(default_factory=dict)  # field -> ``clean_<field>``
    has_clean: bool = False
    methods: list[str] = field(default_factory=list)  # every other method (``__init__``, ``save``...)
    meta: DjangoFormMeta | None = None
    # False when a ModelForm's model fields could not be read: ``fields`` then holds the declared ones.
    model_fields_known: bool = True
    problems: list[str] = field(default_factory=list)  # what Django would reject, or what fwlint cannot see
    factory: str | None = None  # "modelform_factory" for ``BookForm = modelform_factory(Book, ...)``
    # django.contrib.auth's form classes in the MRO, most derived first ("django.contrib.auth.forms.UserCreationForm",
    # "django.contrib.auth.forms.BaseUserCreationForm", "django.contrib.auth.forms.SetPasswordMixin").
    framework_forms: list[str] = field(default_factory=list)
    # ``field_order``: the order Django's ``__init__`` gives the fields (``order_fields()``), when set.
    field_order: list[str] | None = None


@dataclass
class DjangoFormset:
    """``BookFormSet = formset_factory(BookForm, extra=2)`` and the model formset factories."""

    name: str
    qualname: str
    file: str
    span: Span
    factory: str  # "formset_factory" | "modelformset_factory" | "inlineformset_factory"
    form: DjangoForm | None  # the entry form: the project form named, or the ModelForm the factory builds
    options: dict[str, Value] = field(default_factory=dict)  # every argument by parameter name
    model: str | None = None
    parent_model: str | None = None
    fk_name: str | None = None  # inline formsets: the child's foreign key to the parent
    prefix: str = "form"  # Django's default prefix for the submitted keys
    problems: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ helpers
def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _named(
    args: tuple[Value, ...], kwargs: tuple[tuple[str, Value], ...], params: tuple[str, ...]
) -> tuple[dict[str, Value], tuple[Value, ...]]:
    """Arguments by parameter name (positional ones named by ``params``), and positional leftovers."""
    named: dict[str, Value] = {}
    for param, value in zip(params, args, strict=False):
        named[param] = value
    named.update(kwargs)
    return named, tuple(args[len(params) :])


def _string_list(value: Value) -> list[str] | None:
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return [item for item in value if isinstance(item, str)]
    return None


def _written_choices(value: Value) -> bool:
    """Whether choices are written out as (value, label) pairs, (group, pairs) groups or a mapping."""
    if isinstance(value, dict):
        return True
    if not isinstance(value, (list, tuple)):
        return False
    for item in value:
        if not (isinstance(item, (list, tuple)) and len(item) == 2):
            return False
        label = item[1]
        if isinstance(label, (list, tuple)) and not all(
            isinstance(inner, (list, tuple)) and len(inner) == 2 for inner in label
        ):
            return False
    return True


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def pretty_name(name: str) -> str:
    """Django's default label for a form field (``django.forms.utils.pretty_name``)."""
    return name.replace("_", " ").capitalize()


@functools.lru_cache(maxsize=1)
def auth_forms_index() -> ProjectIndex:
    """django.contrib.auth's forms (:data:`AUTH_FORMS_SOURCE`), read by the extractor into an index of their own."""
    return ProjectIndex([builtin_facts(AUTH_FORMS_FILE, AUTH_FORMS_MODULE, AUTH_FORMS_SOURCE)])


class _Names:
    """Canonical names and project classes, memoised.  With ``framework`` (:func:`auth_forms_index`),
    the MRO of a class also runs through the django.contrib.auth form classes it extends."""

    def __init__(self, index: ProjectIndex, framework: ProjectIndex | None = None) -> None:
        self.index = index
        self.framework = framework
        self._base_of: dict[tuple[str, str], str | None] = {}
        self._base_class: dict[str, str | None] = {}

    def canonical(self, path: str) -> str | None:
        return self.index.canonical(path)

    def project_class(self, path: str) -> str | None:
        resolved = self.index.resolve_project(path)
        return resolved if resolved in self.index.classes else None

    def is_framework(self, qualname: str) -> bool:
        """Whether a class of an MRO is one of Django's (from the framework index)."""
        return qualname not in self.index.classes and self.framework is not None and qualname in self.framework.classes

    def has_class(self, qualname: str) -> bool:
        return qualname in self.index.classes or self.is_framework(qualname)

    def class_def(self, qualname: str) -> tuple[ClassDef, FileFacts]:
        """A project class, or a Django class of the framework index."""
        found = self.index.classes.get(qualname)
        if found is None and self.framework is not None:
            found = self.framework.classes.get(qualname)
        if found is None:
            raise KeyError(qualname)
        return found

    def base_class(self, path: str) -> str | None:
        """The class a base class expression names: a project class, a class of the framework index, or a
        class one of those inherits as a member (``class Meta(UserCreationForm.Meta)``, whose ``Meta`` is
        ``BaseUserCreationForm``'s)."""
        if path in self._base_class:
            return self._base_class[path]
        self._base_class[path] = None  # guards against cycles through member lookups
        found = self.project_class(path)
        if found is None and self.framework is not None:
            canonical = self.canonical(path) or path
            found = canonical if canonical in self.framework.classes else None
        if found is None:
            found = self._inherited_member(path)
        self._base_class[path] = found
        return found

    def _inherited_member(self, path: str) -> str | None:
        owner_path, _, member = path.rpartition(".")
        owner = self.base_class(owner_path) if owner_path else None
        if owner is None:
            return None
        for ancestor in self.mro(owner)[1:]:
            if self.has_class(f"{ancestor}.{member}"):
                return f"{ancestor}.{member}"
        return None

    def framework_base(self, qualname: str, accept: tuple[str, ...], seen: frozenset[str] = frozenset()) -> str | None:
        """The first framework class starting with one of ``accept`` that a project class reaches."""
        key = (qualname, "|".join(accept))
        if key in self._base_of:
            return self._base_of[key]
        self._base_of[key] = None  # guards against inheritance cycles
        found: str | None = None
        for base in self.index.classes[qualname][0].bases:
            canonical = self.canonical(base)
            if canonical is not None and canonical.startswith(accept):
                found = canonical
            else:
                resolved = self.project_class(base)
                if resolved is not None and resolved != qualname and resolved not in seen:
                    found = self.framework_base(resolved, accept, seen | {qualname})
            if found is not None:
                break
        self._base_of[key] = found
        return found

    def class_bases(self, qualname: str) -> list[str]:
        bases: list[str] = []
        for base in self.class_def(qualname)[0].bases:
            resolved = self.base_class(base)
            if resolved is not None and resolved != qualname:
                bases.append(resolved)
        return bases

    def mro(self, qualname: str) -> list[str]:
        """The project classes (and framework index classes) of a class's MRO (C3; depth-first when the
        hierarchy is inconsistent)."""
        seen: set[str] = set()

        def linearise(name: str) -> list[str]:
            if name in seen:
                return [name]
            seen.add(name)
            bases = self.class_bases(name)
            sequences = [linearise(base) for base in bases] + [list(bases)]
            result = [name]
            while True:
                sequences = [seq for seq in sequences if seq]
                if not sequences:
                    return result
                for seq in sequences:
                    head = seq[0]
                    if not any(head in other[1:] for other in sequences):
                        break
                else:
                    for seq in sequences:
                        result.extend(c for c in seq if c not in result)
                    return result
                result.append(head)
                for seq in sequences:
                    if seq and seq[0] == head:
                        del seq[0]

        return linearise(qualname)

    def model_reference(self, value: Value, owner_module: str | None = None) -> str | None:
        """A model written as a class reference or a string (``"Tag"``, ``"shop.Tag"``, ``"self"``)."""
        if isinstance(value, Ref):
            resolved = self.project_class(value.path)
            return resolved if resolved is not None else value.path
        if isinstance(value, Opaque):
            return self._model_by_name(value.code, owner_module) or value.code
        if isinstance(value, str):
            return self._model_by_name(value.rsplit(".", 1)[-1], owner_module) or value
        return None

    def choices(self, value: Value, owner: str | None = None) -> Value:
        """``choices=`` made literal where the project defines them: a class attribute or module-level
        list (``choices=GENRES`` in the model body, ``Book.GENRES``) or a ``TextChoices`` /
        ``IntegerChoices`` class (``Status.choices``, or the class itself as Django 5 allows)."""
        path: str | None = None
        if isinstance(value, Ref):
            path = value.path
        elif isinstance(value, Opaque) and value.code.isidentifier() and owner is not None:
            path = f"{owner}.{value.code}"
        if path is None:
            return value
        path = self.index.resolve_project(path)
        choices_class = self.project_class(path.removesuffix(".choices"))
        if choices_class is not None and self.framework_base(choices_class, ("django.db.models.",)) in CHOICES_BASES:
            return self._enum_choices(choices_class)
        holder, _, attribute = path.rpartition(".")
        holder_class = self.project_class(holder)
        if holder_class is not None:
            found = self.index.classes[holder_class][0].attributes.get(attribute)
            return found if _written_choices(found) else value
        # A module-level constant, or one a package re-exports from a submodule (``from .constants import *``,
        # which the index does not follow).
        depth = holder.count(".") + 1
        for module_name, facts in self.index.modules.items():
            if module_name != holder and not (module_name.startswith(holder + ".") and module_name.count(".") == depth):
                continue
            target = f"{module_name}.{attribute}"
            for assignment in facts.assignments:
                if assignment.target == target and _written_choices(assignment.value):
                    return assignment.value
        return value

    def _enum_choices(self, qualname: str) -> Value:
        """``DRAFT = "d", "Draft"`` → ``("d", "Draft")``; ``DRAFT = "d"`` → ``("d", "Draft")`` (Django's label)."""
        pairs: list[Value] = []
        for name, member in self.index.classes[qualname][0].attributes.items():
            if name.startswith("_") or not name.isupper():
                continue
            if isinstance(member, (list, tuple)) and len(member) >= 2:
                pairs.append((member[0], member[-1]))
            elif isinstance(member, (str, int, float)):
                pairs.append((member, name.replace("_", " ").title()))
        return pairs

    def _model_by_name(self, name: str, owner_module: str | None) -> str | None:
        if owner_module is not None and f"{owner_module}.{name}" in self.index.classes:
            return f"{owner_module}.{name}"
        matches = [q for q in self.index.classes if _short(q) == name and self._is_model(q)]
        return matches[0] if len(matches) == 1 else None

    def _is_model(self, qualname: str) -> bool:
        return self.framework_base(qualname, ("django.db.models.Model",)) is not None


# ------------------------------------------------------------------ the index as a model source
class IndexModelFields:
    """The fallback :class:`ModelFieldSource`: a project model's field attributes read from the index.

    A field is a class attribute whose value calls a ``django.db.models`` field class (or a
    project subclass of one); fields of project base classes (abstract models, multi-table
    parents) come first.  ``editable`` is False for ``editable=False``, ``auto_now`` /
    ``auto_now_add`` and ``GeneratedField``.  A full model discovery knows more (fields added
    by third-party base classes, ``contribute_to_class``): prefer it when there is one."""

    def __init__(self, index: ProjectIndex) -> None:
        self.names = _Names(index)
        self._cache: dict[str, list[ModelFieldInfo] | None] = {}

    def __call__(self, model_qualname: str) -> list[ModelFieldInfo] | None:
        if model_qualname in self._cache:
            return self._cache[model_qualname]
        result: list[ModelFieldInfo] | None = None
        index = self.names.index
        if model_qualname not in index.classes and model_qualname in django_builtin_models():
            result = _builtin_model_fields(model_qualname)
        elif model_qualname in index.classes and self.names._is_model(model_qualname):
            fields: dict[str, ModelFieldInfo] = {}
            for owner in reversed(self.names.mro(model_qualname)):
                cls, facts = index.classes[owner]
                for name, value in cls.attributes.items():
                    info = self.field_info(name, value, facts.module, owner)
                    if info is not None:
                        fields.pop(name, None)
                        fields[name] = info
            result = list(fields.values())
        self._cache[model_qualname] = result
        return result

    def field_info(self, name: str, value: Value, module: str, owner: str) -> ModelFieldInfo | None:
        if not isinstance(value, CallValue) or name.startswith("_"):
            return None
        canonical = self.names.canonical(value.callee)
        declared: str | None = None
        if canonical is None:
            resolved = self.names.project_class(value.callee)
            if resolved is None:
                return None
            canonical = self.names.framework_base(resolved, (MODELS,))
            declared = resolved
        if canonical is None or not canonical.startswith(MODELS):
            return None
        short = _short(canonical)
        if not (short.endswith("Field") or short in RELATION_FIELDS):
            return None
        kwargs, _ = _named(value.args, value.kwargs, MODEL_FIELD_POSITIONAL.get(short, _MODEL_FIELD))
        if "choices" in kwargs:
            kwargs["choices"] = self.names.choices(kwargs["choices"], owner)
        related = None
        if short in RELATION_FIELDS and "to" in kwargs:
            related = self.names.model_reference(kwargs["to"], module)  # "self" stays "self"
        editable = kwargs.get("editable") is not False
        if kwargs.get("auto_now") is True or kwargs.get("auto_now_add") is True or short == "GeneratedField":
            editable = False
        return ModelFieldInfo(name, canonical, kwargs, related, editable, declared)


def model_fields_from_index(index: ProjectIndex) -> ModelFieldSource:
    """The fallback model source: reads model classes from the index (see :class:`IndexModelFields`);
    Django's own models (``auth.User``...) come from the model discovery."""
    return IndexModelFields(index)


# ------------------------------------------------------------------ the model discovery as a model source
# A model pointing at each of Django's own models, so that the model discovery describes every one of them.
_BUILTIN_REFERENCES_FILE = "fwlint_django_models/models.py"
_BUILTIN_REFERENCES_SOURCE = """\
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import models


class DjangoModels(models.Model):
    user = models.ForeignKey(User, models.CASCADE)
    group = models.ForeignKey(Group, models.CASCADE)
    permission = models.ForeignKey(Permission, models.CASCADE)
    content_type = models.ForeignKey(ContentType, models.CASCADE)
"""
# Django's username validators, which its own models' fields name (``validators=[UnicodeUsernameValidator()]``).
USERNAME_VALIDATORS = {
    "UnicodeUsernameValidator()": "django.contrib.auth.validators.UnicodeUsernameValidator",
    "ASCIIUsernameValidator()": "django.contrib.auth.validators.ASCIIUsernameValidator",
}


@functools.lru_cache(maxsize=1)
def django_builtin_models() -> dict[str, DjangoModel]:
    """Django's own models (``auth.User``, ``auth.Group``, ``auth.Permission``, ``contenttypes.ContentType``)
    as :func:`~fwlint.link.django_models.discover_django_models` describes them, by qualname."""
    module = _BUILTIN_REFERENCES_FILE.removesuffix(".py").replace("/", ".")
    references = builtin_facts(_BUILTIN_REFERENCES_FILE, module, _BUILTIN_REFERENCES_SOURCE)
    schema = discover_django_models(ProjectIndex([references]))
    return {model.qualname: model for model in schema.builtin_models}


def _builtin_model_fields(model_qualname: str) -> list[ModelFieldInfo] | None:
    return SchemaModelFields(DjangoSchema())(model_qualname)


class SchemaModelFields:
    """A :class:`ModelFieldSource` over the model discovery's :class:`~fwlint.link.django_models.DjangoSchema`.

    A model's fields are its concrete parents' (multi-table inheritance) then its own, inherited abstract
    ones included, as Django's ``_meta`` lists them; a proxy has its concrete model's.  Django's own
    models are known even when no project model points at them.  ``kwargs`` are the arguments named by
    the field class's signature; ``choices`` written as a name (``Status.choices``, ``GENRES``) are made
    literal when ``index`` is given, as :class:`IndexModelFields` does.  ``related_model`` is the resolved
    target's qualname.  Not editable: ``editable=False``, ``auto_now`` / ``auto_now_add``,
    ``GeneratedField``, ``GenericRelation`` and the fields Django adds (``auto_created``).  Fields with no
    form field fwlint knows (third-party and ``django.contrib.postgres`` classes, ``GenericForeignKey``) are
    left out, as the index fallback leaves them out."""

    def __init__(self, schema: DjangoSchema, index: ProjectIndex | None = None) -> None:
        self.models = {model.qualname: model for model in schema.all_models()}
        self.names = _Names(index) if index is not None else None
        self._cache: dict[str, list[ModelFieldInfo] | None] = {}

    def __call__(self, model_qualname: str) -> list[ModelFieldInfo] | None:
        if model_qualname in self._cache:
            return self._cache[model_qualname]
        model = self.model(model_qualname)
        result: list[ModelFieldInfo] | None = None
        if model is not None:
            found = (self.field_info(owner, spec) for owner, spec in self.fields_of(model, frozenset()))
            result = [info for info in found if info is not None]
        self._cache[model_qualname] = result
        return result

    def model(self, qualname: str) -> DjangoModel | None:
        return self.models.get(qualname) or django_builtin_models().get(qualname)

    def fields_of(self, model: DjangoModel, seen: frozenset[str]) -> list[tuple[DjangoModel, DjangoField]]:
        """(model declaring it, field) for every field of a model, parents' first."""
        seen = seen | {model.qualname}
        if model.proxy:
            concrete = self.model(model.proxy_for or "")
            return self.fields_of(concrete, seen) if concrete is not None and concrete.qualname not in seen else []
        by_name: dict[str, tuple[DjangoModel, DjangoField]] = {}
        for parent_name in model.parents:
            parent = self.model(parent_name)
            if parent is not None and parent.qualname not in seen:
                for owner, spec in self.fields_of(parent, seen):
                    by_name.setdefault(spec.name, (owner, spec))
        for spec in model.fields:
            by_name[spec.name] = (model, spec)
        return list(by_name.values())

    def field_info(self, model: DjangoModel, spec: DjangoField) -> ModelFieldInfo | None:
        if spec.kind in ("unknown", "generic_fk"):
            return None
        if spec.kind != "generic_relation" and not spec.field_class.startswith(MODELS):
            return None
        kwargs = dict(spec.options)
        if "choices" in kwargs and self.names is not None:
            kwargs["choices"] = self.names.choices(kwargs["choices"], spec.inherited_from or model.qualname)
        validators = kwargs.get("validators")
        if isinstance(validators, list) and (model.builtin or (spec.inherited_from or "").startswith("django.")):
            kwargs["validators"] = [_django_validator(item) for item in validators]
        related = (spec.target or spec.target_label) if spec.is_relation else None
        not_editable = (
            spec.implicit
            or spec.auto_now
            or spec.auto_now_add
            or _short(spec.field_class) == "GeneratedField"
            or spec.kind == "generic_relation"
        )
        return ModelFieldInfo(
            name=spec.name,
            field_class=spec.field_class,
            kwargs=kwargs,
            related_model=related,
            editable=spec.editable and not not_editable,
            declared_class=spec.declared_class,
            auto_created=spec.implicit and spec.editable,  # the automatic id and parent links, not ``_order``
        )


def _django_validator(value: Value) -> Value:
    """A validator of Django's own model fields, named the way Django's validators are."""
    if isinstance(value, Opaque) and value.code in USERNAME_VALIDATORS:
        return CallValue(USERNAME_VALIDATORS[value.code], (), (), value.code)
    return value


def schema_model_fields(schema: DjangoSchema, index: ProjectIndex | None = None) -> ModelFieldSource:
    """The model source for ModelForms when the project's models were discovered (see :class:`SchemaModelFields`);
    ``index`` (the project's) makes ``choices`` written as names literal."""
    return SchemaModelFields(schema, index)


# ------------------------------------------------------------------ model field → form field
def _has_default(kwargs: dict[str, Value]) -> bool:
    return "default" in kwargs


def model_form_field(
    info: ModelFieldInfo, model_qualname: str, meta: DjangoFormMeta | None, file: str, span: Span
) -> DjangoFormField | None:
    """The form field Django's ``Field.formfield()`` makes for a model field, with the ModelForm's
    Meta overrides; None for fields without one (auto fields, multi-table parent links)."""
    short = _short(info.field_class)
    kwargs = {**MODEL_FIELD_DEFAULTS.get(short, {}), **info.kwargs}
    if short in AUTO_FIELDS or (short == "OneToOneField" and kwargs.get("parent_link") is True):
        return None
    blank = kwargs.get("blank", False)
    form_kwargs: dict[str, Value] = {}
    form_kwargs["required"] = (not blank) if isinstance(blank, bool) else Opaque(f"not ({_value_code(blank)})")
    verbose = kwargs.get("verbose_name")
    if isinstance(verbose, str):
        form_kwargs["label"] = _capfirst(verbose)
    elif verbose is not None:
        form_kwargs["label"] = verbose
    else:
        form_kwargs["label"] = _capfirst(info.name.replace("_", " "))
    if kwargs.get("help_text") not in (None, ""):
        form_kwargs["help_text"] = kwargs["help_text"]
    if _has_default(kwargs):
        form_kwargs["initial"] = kwargs["default"]
    form_class = FORMS + MODEL_FORM_FIELD.get(short, "CharField")
    widget: DjangoWidget | None = None
    related: str | None = None
    choices = kwargs.get("choices")
    if choices is not None and short not in RELATION_FIELDS:
        # Field.formfield(): a TypedChoiceField whose coerce is the model field's to_python.
        include_blank = blank is True or not _has_default(kwargs)
        if short == "BooleanField":
            include_blank = not _has_default(kwargs)
        form_kwargs["choices"] = _with_blank(choices) if include_blank else choices
        coerce = CHOICE_COERCE.get(short)
        if coerce is not None:
            form_kwargs["coerce"] = Opaque(coerce)
        if kwargs.get("null") is True:
            form_kwargs["empty_value"] = None
        form_class = FORMS + "TypedChoiceField"
    elif short == "BooleanField":
        form_class = FORMS + ("NullBooleanField" if kwargs.get("null") is True else "BooleanField")
        form_kwargs["required"] = False  # required would mean "must be checked"
    else:
        for name in MODEL_FIELD_PASSED.get(short, ()):
            if name in kwargs:
                form_kwargs[name] = kwargs[name]
        if short == "CharField" and kwargs.get("null") is True:
            form_kwargs["empty_value"] = None
        if short == "TextField":
            widget = DjangoWidget(FORMS + "Textarea", code="forms.Textarea")
        if short == "BigIntegerField":
            form_kwargs["min_value"] = -BIGINT - 1
            form_kwargs["max_value"] = BIGINT
        if short in POSITIVE_FIELDS:
            form_kwargs["min_value"] = 0
        if short in ("ForeignKey", "OneToOneField", "ManyToManyField"):
            related = model_qualname if info.related_model == "self" else info.related_model
            if short != "ManyToManyField":
                to_field = kwargs.get("to_field")
                if to_field is not None:
                    form_kwargs["to_field_name"] = to_field
                form_kwargs["blank"] = blank
            if kwargs.get("limit_choices_to") is not None:
                form_kwargs["limit_choices_to"] = kwargs["limit_choices_to"]
    validators: list[DjangoValidator] = []
    written = kwargs.get("validators")
    if isinstance(written, (list, tuple)):
        validators = [v for v in (_validator_from_value(item) for item in written) if v is not None]
    result = DjangoFormField(
        name=info.name,
        file=file,
        span=span,
        field_class=form_class,
        kwargs=form_kwargs,
        widget=widget,
        validators=validators,
        validators_value=written if written is not None and not isinstance(written, (list, tuple)) else None,
        origin="model",
        model_field=info.field_class,
        model_kwargs=dict(info.kwargs),
        related_model=related,
        plain_queryset=related is not None and "limit_choices_to" not in form_kwargs,
    )
    return _apply_meta(result, meta)


def _with_blank(choices: Value) -> Value:
    """Django's ``get_choices(include_blank=True)``: ``("", "---------")`` first unless a blank choice exists."""
    if isinstance(choices, (list, tuple)):
        has_blank = any(isinstance(c, (list, tuple)) and len(c) == 2 and c[0] in ("", None) for c in choices)
        return list(choices) if has_blank else [BLANK_CHOICE, *choices]
    return Opaque(f'[("", "---------"), *{_value_code(choices)}]')


def _value_code(value: Value) -> str:
    return code_of(value)


def _validator_from_value(value: Value) -> DjangoValidator | None:
    """A validator from a model field's ``validators=`` list (names are already canonical or paths)."""
    if isinstance(value, CallValue):
        kwargs, extra = _named(value.args, value.kwargs, VALIDATOR_POSITIONAL.get(_short(value.callee), ()))
        return DjangoValidator(value.callee, kwargs, extra, value.code)
    if isinstance(value, Ref):
        return DjangoValidator(value.path, code=_short(value.path), called=False)
    if isinstance(value, Opaque):
        return DjangoValidator("project:<expression>", code=value.code, called=False)
    return None


def _apply_meta(spec: DjangoFormField, meta: DjangoFormMeta | None) -> DjangoFormField:
    """``Meta.widgets`` / ``labels`` / ``help_texts`` / ``error_messages`` / ``localized_fields`` for one field
    (``field_classes`` is applied by the discovery, which can resolve the class)."""
    if meta is None:
        return spec
    name = spec.name
    if name in meta.labels:
        spec.kwargs["label"] = meta.labels[name]
    if name in meta.help_texts:
        spec.kwargs["help_text"] = meta.help_texts[name]
    if name in meta.error_messages:
        spec.kwargs["error_messages"] = meta.error_messages[name]
    localized = meta.localized_fields
    if localized == ALL_FIELDS or (isinstance(localized, list) and name in localized):
        spec.kwargs["localize"] = True
    return spec


# ------------------------------------------------------------------ discovery
class _Discovery:
    def __init__(self, index: ProjectIndex, model_fields: ModelFieldSource) -> None:
        self.index = index
        self.names = _Names(index, auth_forms_index())
        self.model_source = model_fields
        self._own: dict[str, dict[str, DjangoFormField | None]] = {}

    # ------------------------------------------------------------ classes
    def form_base(self, qualname: str) -> str | None:
        """The framework form class a project class reaches; a model form wins, as Django's
        ``ModelFormMetaclass`` does for ``class F(PlainBase, forms.ModelForm)``."""
        reached = [
            base for base in self.index.class_canonical_bases(qualname) if base in FORM_BASES or base in AUTH_FORMS
        ]
        for base in reached:
            if (FORM_BASES.get(base) or AUTH_FORMS.get(base)) == "model_form":
                return base
        return reached[0] if reached else None

    def field_kind(self, callee: str) -> tuple[str, str | None] | None:
        """``(field_class, base)`` for a call in a form body, or None when it makes no field."""
        canonical = self.names.canonical(callee)
        if canonical is not None:
            if canonical.startswith(FORMS) and _short(canonical) in FORM_FIELDS and canonical.count(".") == 2:
                return canonical, None
            if canonical in FIELD_ALIASES:
                return canonical, FIELD_ALIASES[canonical]
            if ".forms" in canonical and _short(canonical).endswith("Field"):
                return canonical, None  # a framework field fwlint has no translation for
            return None
        resolved = self.names.project_class(callee)
        if resolved is not None:
            base = self.names.framework_base(resolved, (FORMS, "django.contrib."))
            if base is None or not _short(base).endswith("Field"):
                return None
            return "project:" + _short(resolved), FIELD_ALIASES.get(base, base)
        written = self.index.resolve_project(callee)
        if _short(written).endswith("Field") and not self._in_project(written):
            return written, None  # another package's form field
        return None

    def _in_project(self, path: str) -> bool:
        parts = path.split(".")
        return any(".".join(parts[:i]) in self.index.modules for i in range(len(parts) - 1, 0, -1))

    # ------------------------------------------------------------ values
    def widget(self, value: Value) -> DjangoWidget | None:
        if value is None:
            return None
        if isinstance(value, Ref):
            return DjangoWidget(*self.widget_class(value.path), code=_short(value.path))
        if isinstance(value, CallValue):
            widget_class, base = self.widget_class(value.callee)
            params = WIDGET_POSITIONAL.get(_short(base or widget_class), ("attrs",))
            kwargs, _ = _named(value.args, value.kwargs, params)
            attrs = kwargs.pop("attrs", None)
            return DjangoWidget(widget_class, base, attrs, kwargs, value.code)
        code = value.code if isinstance(value, Opaque) else repr(value)
        return DjangoWidget("expression", code=code)

    def widget_class(self, path: str) -> tuple[str, str | None]:
        canonical = self.names.canonical(path)
        if canonical is not None:
            return canonical, None
        resolved = self.names.project_class(path)
        if resolved is not None:
            return "project:" + _short(resolved), self.names.framework_base(resolved, (FORMS,))
        return self.index.resolve_project(path), None

    def validator(self, value: Value) -> DjangoValidator | None:
        if isinstance(value, CallValue):
            return self._called_validator(value)
        if isinstance(value, Ref):
            instance = self.index.instance_of(value.path)
            if instance is not None and self.names.canonical(instance.call.callee) is not None:
                return self._called_validator(instance.call)  # ``slug_check = RegexValidator(...)`` at module level
            return DjangoValidator(self.validator_name(value.path), code=_short(value.path), called=False)
        if isinstance(value, Opaque):
            return DjangoValidator("project:<expression>", code=value.code, called=False)
        return None

    def _called_validator(self, call: CallValue) -> DjangoValidator:
        name = self.validator_name(call.callee)
        kwargs, extra = _named(call.args, call.kwargs, VALIDATOR_POSITIONAL.get(_short(name), ()))
        return DjangoValidator(name, kwargs, extra, call.code)

    def validator_name(self, path: str) -> str:
        canonical = self.names.canonical(path)
        if canonical is not None:
            return canonical
        resolved = self.index.resolve_project(path)
        if (
            resolved in self.index.functions
            or resolved in self.index.classes
            or resolved in self.index.instances
            or self._in_project(resolved)
        ):
            return "project:" + _short(resolved)
        return resolved

    def queryset_model(self, value: Value) -> tuple[str | None, bool]:
        """The model a ``queryset=`` reads and whether it is all rows (``Author.objects.all()``)."""
        path: str | None = None
        code = ""
        if isinstance(value, CallValue):
            path, code = value.callee, value.code
        elif isinstance(value, Ref):
            path, code = value.path, _short(value.path)
        if path is None:
            return None, False
        parts = path.split(".")
        for position in range(len(parts) - 1, 0, -1):
            resolved = self.names.project_class(".".join(parts[:position]))
            if resolved is not None and self.names._is_model(resolved):
                rest = parts[position:]
                plain = rest in (["objects"], ["objects", "all"], ["_default_manager"], ["_default_manager", "all"])
                return resolved, plain and code.count("(") <= 1
        return None, False

    # ------------------------------------------------------------ fields
    def field_spec(
        self, name: str, call: CallValue, kind: tuple[str, str | None], file: str, span: Span, owner: str
    ) -> DjangoFormField:
        field_class, base = kind
        params = FIELD_POSITIONAL.get(_short(base or field_class), ())
        kwargs, extra = _named(call.args, call.kwargs, params)
        if "choices" in kwargs:
            kwargs["choices"] = self.names.choices(kwargs["choices"], owner)
        widget = self.widget(kwargs.pop("widget", None))
        if widget is not None and "choices" in widget.kwargs:
            widget.kwargs["choices"] = self.names.choices(widget.kwargs["choices"], owner)
        written = kwargs.pop("validators", None)
        validators: list[DjangoValidator] = []
        shared: Value = None
        if isinstance(written, (list, tuple)):
            validators = [v for v in (self.validator(item) for item in written) if v is not None]
        elif written is not None:
            shared = written
        spec = DjangoFormField(
            name=name,
            file=file,
            span=span,
            field_class=field_class,
            base=base,
            kwargs=kwargs,
            widget=widget,
            validators=validators,
            validators_value=shared,
            extra_args=extra,
        )
        if _short(base or field_class) in ("ModelChoiceField", "ModelMultipleChoiceField"):
            spec.related_model, spec.plain_queryset = self.queryset_model(kwargs.get("queryset"))
        return spec

    def own_fields(self, qualname: str) -> dict[str, DjangoFormField | None]:
        """The fields a class body declares; ``None`` for an attribute set to None (it removes the field)."""
        cached = self._own.get(qualname)
        if cached is not None:
            return cached
        cls, facts = self.names.class_def(qualname)
        fields: dict[str, DjangoFormField | None] = {}
        for name, value in cls.attributes.items():
            if value is None:
                fields[name] = None
                continue
            if not isinstance(value, CallValue):
                continue
            kind = self.field_kind(value.callee)
            if kind is not None:
                span = cls.attribute_spans.get(name, cls.span)
                fields[name] = self.field_spec(name, value, kind, facts.path, span, qualname)
        self._own[qualname] = fields
        return fields

    # ------------------------------------------------------------ Meta
    def meta(self, mro: list[str]) -> DjangoFormMeta | None:
        """``Meta`` as Python finds it: the first class in the MRO that has one, with its own bases."""
        for owner in mro:
            meta_name = owner + ".Meta"
            if self.names.has_class(meta_name):
                return self.meta_of(meta_name)
        return None

    def meta_of(self, meta_name: str) -> DjangoFormMeta:
        raw: dict[str, Value] = {}
        for owner in reversed(self.names.mro(meta_name)):
            raw.update(self.names.class_def(owner)[0].attributes)
        return self.meta_from(raw, self.names.class_def(meta_name)[1].module)

    def meta_from(self, raw: dict[str, Value], module: str) -> DjangoFormMeta:
        meta = DjangoFormMeta(raw=raw)
        model = raw.get("model")
        if model is not None:
            meta.model = self.names.model_reference(model, module)
            meta.model_name = _short(meta.model) if meta.model is not None else None
        fields = raw.get("fields")
        meta.fields = fields if fields == ALL_FIELDS else _string_list(fields)
        meta.exclude = _string_list(raw.get("exclude"))
        for option in ("widgets", "labels", "help_texts", "error_messages", "field_classes"):
            value = raw.get(option)
            if isinstance(value, dict):
                setattr(meta, option, dict(value))
        localized = raw.get("localized_fields")
        meta.localized_fields = localized if localized == ALL_FIELDS else _string_list(localized)
        return meta

    # ------------------------------------------------------------ forms
    def collect(self, qualname: str, base: str) -> DjangoForm:
        cls, facts = self.index.classes[qualname]
        mro = self.names.mro(qualname)
        declared: dict[str, DjangoFormField] = {}
        method_names: dict[str, None] = {}
        for owner in reversed(mro):
            framework = self.names.is_framework(owner)
            for name, spec in self.own_fields(owner).items():
                if spec is None:
                    declared.pop(name, None)
                elif framework:  # Django's own field: placed at the project form, whose code will hold it
                    declared[name] = replace(
                        spec, file=facts.path, span=cls.span, inherited_from=_short(owner), framework_form=owner
                    )
                else:  # an existing key keeps its place: a subclass field replaces the inherited one in place
                    declared[name] = self._inherited(spec, owner) if owner != qualname else spec
            if not framework:  # Django's own methods are described by the translation, not ported by hand
                for method in self.index.classes[owner][0].methods:
                    method_names[method] = None
        kind = FORM_BASES.get(base) or AUTH_FORMS.get(base, "form")
        form = DjangoForm(
            qualname=qualname,
            name=_short(qualname),
            file=facts.path,
            span=cls.span,
            base=base,
            kind=kind,
            bases=[_short(owner) for owner in mro[1:] if not self.names.is_framework(owner)],
            framework_forms=[owner for owner in mro if self.names.is_framework(owner)],
            field_order=self.field_order(mro),
        )
        meta = self.meta(mro)
        form.meta = meta
        if kind == "model_form" and meta is not None and meta.model is not None:
            form.fields = self.model_form_fields(form, meta, declared, cls.span)
        else:
            if kind == "model_form" and base in FORM_BASES:
                form.problems.append(
                    "No Meta.model: a base for other ModelForms (Django cannot instantiate it on its own)."
                )
            form.fields = list(declared.values())
        self.classify_methods(form, method_names)
        return form

    @staticmethod
    def _inherited(spec: DjangoFormField, owner: str) -> DjangoFormField:
        return replace(spec, inherited_from=_short(owner))

    def field_order(self, mro: list[str]) -> list[str] | None:
        """``field_order`` as Python finds it on the form class."""
        for owner in mro:
            attributes = self.names.class_def(owner)[0].attributes
            if "field_order" in attributes:
                return _string_list(attributes["field_order"])
        return None

    def classify_methods(self, form: DjangoForm, method_names: dict[str, None]) -> None:
        names = {f.name for f in form.fields}
        for method in method_names:
            target = method.removeprefix("clean_")
            if method.startswith("clean_") and target in names:
                form.field_cleaners[target] = method
            elif method == "clean":
                form.has_clean = True
            else:
                form.methods.append(method)

    def model_form_fields(
        self, form: DjangoForm, meta: DjangoFormMeta, declared: dict[str, DjangoFormField], span: Span
    ) -> list[DjangoFormField]:
        """``ModelFormMetaclass``: generated fields, declared ones in their place, the rest after."""
        model = meta.model or ""
        infos = self.model_fields(model)
        if "fields" not in meta.raw and "exclude" not in meta.raw:
            form.problems.append(
                "Meta has neither fields nor exclude: Django refuses the ModelForm (ImproperlyConfigured)."
            )
        if infos is None:
            form.model_fields_known = False
            form.problems.append(
                f"The fields of {meta.model_name} are not known to fwlint: only the declared fields are listed."
            )
            return list(declared.values())
        if "fields" in meta.raw and meta.fields is None:
            form.model_fields_known = False
            form.problems.append("Meta.fields is not a literal list: only the declared fields are listed.")
            return list(declared.values())
        if "formfield_callback" in meta.raw:
            form.problems.append("Meta.formfield_callback builds the fields Django generates: check them by hand.")
        wanted = meta.fields if isinstance(meta.fields, list) else None
        exclude = meta.exclude or []
        generated: dict[str, DjangoFormField | None] = {}
        ignored: list[str] = []
        for info in infos:
            if info.auto_created:  # formfield() is None: Django ignores the field, even when Meta.fields names it
                ignored.append(info.name)
                continue
            if not info.editable:
                if wanted is not None and info.name in wanted and info.name not in exclude:
                    form.problems.append(
                        f"'{info.name}' is not editable: Django refuses it in Meta.fields (FieldError)."
                    )
                    ignored.append(info.name)
                continue
            if (wanted is not None and info.name not in wanted) or info.name in exclude:
                continue
            if info.name in declared:
                generated[info.name] = declared[info.name]
                continue
            spec = model_form_field(info, model, meta, form.file, span)
            if spec is None:
                ignored.append(info.name)
                continue
            self.apply_meta_objects(spec, meta)
            generated[info.name] = spec
        if wanted is not None:
            generated = {name: generated.get(name) for name in wanted if name not in exclude and name not in ignored}
        result: dict[str, DjangoFormField] = {}
        for name, spec in generated.items():
            if spec is not None:
                result[name] = spec
            elif name in declared:  # Meta.fields names a declared field: Django keeps it in that place
                result[name] = declared[name]
            else:
                form.problems.append(
                    f"Meta.fields names '{name}', which fwlint does not find on {meta.model_name} (Django raises "
                    "FieldError for a field the model does not have): add it by hand if the model has it."
                )
        for name, spec in declared.items():
            result[name] = spec
        return list(result.values())

    def apply_meta_objects(self, spec: DjangoFormField, meta: DjangoFormMeta) -> None:
        """``Meta.widgets`` and ``Meta.field_classes``, which name classes."""
        if spec.name in meta.widgets:
            spec.widget = self.widget(meta.widgets[spec.name])
        written = meta.field_classes.get(spec.name)
        if isinstance(written, Ref):
            kind = self.field_kind(written.path)
            if kind is not None:
                spec.field_class, spec.base = kind

    def model_fields(self, model: str) -> list[ModelFieldInfo] | None:
        return self.model_source(model) if model else None

    # ------------------------------------------------------------ factories
    def factory_call(self, value: Value) -> tuple[str, dict[str, Value]] | None:
        if not isinstance(value, CallValue):
            return None
        canonical = self.names.canonical(value.callee)
        if canonical is None or not canonical.startswith(FORMS) or _short(canonical) not in FACTORY_POSITIONAL:
            return None
        factory = _short(canonical)
        kwargs, _ = _named(value.args, value.kwargs, FACTORY_POSITIONAL[factory])
        return factory, kwargs

    def factory_form(
        self,
        name: str,
        qualname: str,
        facts: FileFacts,
        span: Span,
        kwargs: dict[str, Value],
        forms: dict[str, DjangoForm],
    ) -> DjangoForm:
        """The ModelForm ``modelform_factory`` / the model formset factories build from ``fields``/``exclude``."""
        form_ref = kwargs.get("form")
        base_form = forms.get(self.names.project_class(form_ref.path) or "") if isinstance(form_ref, Ref) else None
        raw: dict[str, Value] = dict(base_form.meta.raw) if base_form is not None and base_form.meta else {}
        for option in META_OPTIONS:
            if option in kwargs and option != "model":
                raw[option] = kwargs[option]
        raw["model"] = kwargs.get("model")
        meta = self.meta_from(raw, facts.module)
        form = DjangoForm(
            qualname=qualname,
            name=name,
            file=facts.path,
            span=span,
            base="django.forms.ModelForm",
            kind="model_form",
            bases=[base_form.name] if base_form is not None else [],
            meta=meta,
            factory="modelform_factory",
        )
        declared = {f.name: f for f in (base_form.fields if base_form is not None else []) if f.origin == "declared"}
        if meta.model is not None:
            form.fields = self.model_form_fields(form, meta, declared, span)
        if base_form is not None:
            form.field_cleaners = dict(base_form.field_cleaners)
            form.has_clean = base_form.has_clean
            form.methods = list(base_form.methods)
        return form


def _new_discovery(index: ProjectIndex, model_fields: ModelFieldSource | None) -> _Discovery:
    return _Discovery(index, model_fields if model_fields is not None else model_fields_from_index(index))


def _classes_in_order(index: ProjectIndex) -> list[tuple[ClassDef, FileFacts]]:
    found: list[tuple[ClassDef, FileFacts]] = []
    for facts in index.files:
        for cls in facts.classes:
            known = index.classes.get(cls.qualname)
            if known is not None and known[0] is cls:  # skip duplicate definitions the index does not keep
                found.append((cls, facts))
    return found


def discover_django_forms(index: ProjectIndex, model_fields: ModelFieldSource | None = None) -> list[DjangoForm]:
    """Every Django form class the project defines, then every ``modelform_factory`` form, in file order.

    ``model_fields`` supplies a ModelForm's model fields; without it they are read from the
    index (:func:`model_fields_from_index`).  Field specs inherited from a base form are copies
    marked ``inherited_from``; treat every spec as read-only."""
    discovery = _new_discovery(index, model_fields)
    forms: list[DjangoForm] = []
    for cls, _facts in _classes_in_order(index):
        base = discovery.form_base(cls.qualname)
        if base is not None:
            forms.append(discovery.collect(cls.qualname, base))
    by_qualname = {form.qualname: form for form in forms}
    for facts in index.files:
        for assignment in facts.assignments:
            found = discovery.factory_call(assignment.value)
            if found is None or found[0] != "modelform_factory":
                continue
            name = _short(assignment.target)
            forms.append(discovery.factory_form(name, assignment.target, facts, assignment.span, found[1], by_qualname))
    return forms


def discover_django_formsets(
    index: ProjectIndex, model_fields: ModelFieldSource | None = None, forms: list[DjangoForm] | None = None
) -> list[DjangoFormset]:
    """Every ``formset_factory`` / ``modelformset_factory`` / ``inlineformset_factory`` assignment.

    ``forms`` are the project's forms (from :func:`discover_django_forms`; computed when not
    given); the entry form of a model formset without ``form=`` is the ModelForm the factory
    builds from ``fields`` / ``exclude``."""
    discovery = _new_discovery(index, model_fields)
    known = forms if forms is not None else discover_django_forms(index, model_fields)
    by_qualname = {form.qualname: form for form in known}
    formsets: list[DjangoFormset] = []
    for facts in index.files:
        for assignment in facts.assignments:
            found = discovery.factory_call(assignment.value)
            if found is None or found[0] == "modelform_factory":
                continue
            factory, kwargs = found
            name = _short(assignment.target)
            formset = DjangoFormset(
                name=name,
                qualname=assignment.target,
                file=facts.path,
                span=assignment.span,
                factory=factory,
                form=None,
                options=kwargs,
            )
            form_ref = kwargs.get("form")
            named_form = (
                by_qualname.get(discovery.names.project_class(form_ref.path) or "")
                if isinstance(form_ref, Ref)
                else None
            )
            if factory == "formset_factory":
                formset.form = named_form
                if named_form is None:
                    formset.problems.append(f"The entry form {_value_code(form_ref)} is not a form fwlint knows.")
            else:
                formset.model = discovery.names.model_reference(kwargs.get("model"), facts.module)
                if factory == "inlineformset_factory":
                    formset.parent_model = discovery.names.model_reference(kwargs.get("parent_model"), facts.module)
                    fk_name = kwargs.get("fk_name")
                    formset.fk_name = fk_name if isinstance(fk_name, str) else None
                # Named after the formset: Django's own name ("<Model>Form") may be the project form's.
                stem = name.removesuffix("FormSet").removesuffix("Formset") or _short(formset.model or "Model")
                formset.form = discovery.factory_form(
                    f"{stem}EntryForm", f"{assignment.target}.<form>", facts, assignment.span, kwargs, by_qualname
                )
                if factory == "inlineformset_factory":
                    _inline_details(formset, discovery)
                # A form= used as it is (no fields, exclude, widgets... of the factory's own) is the entry form.
                own_options = any(option in kwargs for option in META_OPTIONS if option != "model")
                fk_in_form = named_form is not None and formset.fk_name in {f.name for f in named_form.fields}
                if named_form is not None and not own_options and not fk_in_form:
                    formset.form = named_form
            formsets.append(formset)
    return formsets


def _inline_details(formset: DjangoFormset, discovery: _Discovery) -> None:
    """The foreign key to the parent: left out of the entry form, and the default prefix."""
    infos = discovery.model_fields(formset.model or "") or []
    relations = [
        info
        for info in infos
        if _short(info.field_class) in ("ForeignKey", "OneToOneField")
        and info.related_model is not None
        and (
            info.related_model == formset.parent_model
            or _short(info.related_model) == _short(formset.parent_model or "")
        )
    ]
    fk = next((info for info in relations if info.name == formset.fk_name), None) if formset.fk_name else None
    if fk is None and len(relations) == 1:
        fk = relations[0]
    if fk is None:
        formset.problems.append(
            f"No single foreign key from {_short(formset.model or '?')} to {_short(formset.parent_model or '?')} "
            "is known: name it with fk_name."
        )
        return
    formset.fk_name = fk.name
    related_name = fk.kwargs.get("related_name")
    if isinstance(related_name, str) and not related_name.endswith("+"):
        formset.prefix = related_name
    else:
        formset.prefix = f"{_short(formset.model or '').lower()}_set"
    if formset.form is not None:
        formset.form.fields = [f for f in formset.form.fields if f.name != fk.name]
