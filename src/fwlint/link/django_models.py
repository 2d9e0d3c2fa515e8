"""Find the project's Django models and everything a port of their schema needs.

A model is a project class whose bases reach ``django.db.models.Model`` through
project classes in any modules, or Django's own abstract user classes
(``AbstractUser``, ``AbstractBaseUser``, ``PermissionsMixin``).  For each model the
finder works out what Django itself would: the app label and table name, the
implicit primary key (``DEFAULT_AUTO_FIELD`` or the app's ``AppConfig``), the
fields inherited from abstract bases (Django's own included, with their exact
definitions), the parent link of multi-table inheritance, ``Meta`` with Django's
inheritance rules, managers and querysets, and every relation resolved to its
target model with the names Django gives its columns, join tables and reverse
accessors.

Django's own models that project models point at (``auth.User``, ``auth.Group``,
``auth.Permission``, ``contenttypes.ContentType``) are described from a faithful
copy of their field definitions, read by the same extractor as project code, so
they come out exactly like project models; they are kept apart in
:attr:`DjangoSchema.builtin_models`.

References: https://docs.djangoproject.com/en/5.2/ref/models/options/ and
https://docs.djangoproject.com/en/5.2/topics/db/models/#model-inheritance
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field, replace
from typing import cast

from fwlint.facts import CallValue, ClassDef, FileFacts, Opaque, Ref, Span, Value
from fwlint.link.builtin_sources import builtin_facts
from fwlint.link.index import ProjectIndex

__all__ = [
    "DjangoChoices",
    "DjangoField",
    "DjangoManager",
    "DjangoMeta",
    "DjangoModel",
    "DjangoQuerySet",
    "DjangoSchema",
    "RelationInfo",
    "discover_django_models",
    "django_index_name",
    "reverse_accessor",
    "truncate_name",
]

MODEL = "django.db.models.Model"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_SETTING = "django.conf.settings.AUTH_USER_MODEL"
GET_USER_MODEL = "django.contrib.auth.get_user_model"
APP_CONFIG = "django.apps.AppConfig"
QUERYSET = "django.db.models.QuerySet"
MANAGER_BASES = frozenset(
    {
        "django.db.models.Manager",
        "django.db.models.BaseManager",
        "django.contrib.auth.models.BaseUserManager",
        "django.contrib.auth.models.UserManager",
    }
)
CHOICES_BASES = {
    "django.db.models.TextChoices": False,
    "django.db.models.IntegerChoices": True,
    "django.db.models.Choices": False,
}
# Field classes of forms and serializers, which a model never declares.
NOT_MODEL_FIELDS = ("django.forms", "rest_framework", "django_filters")
PROPERTY_DECORATORS = frozenset({"django.utils.functional.cached_property"})
# PostgreSQL limits identifiers to 63 characters; Django truncates longer generated names with a hash.
POSTGRESQL_MAX_NAME_LENGTH = 63

# Django's field classes by public name.  The tuple lists the parameters a call may pass by position.
_FIELD_PARAMS = (
    "verbose_name", "name", "primary_key", "max_length", "unique", "blank", "null", "db_index", "rel",
    "default", "editable", "serialize", "unique_for_date", "unique_for_month", "unique_for_year", "choices",
    "help_text", "db_column", "db_tablespace", "auto_created", "validators", "error_messages", "db_comment",
    "db_default",
)  # fmt: skip
_DATE_PARAMS = ("verbose_name", "name", "auto_now", "auto_now_add")
MODEL_FIELDS: dict[str, tuple[str, ...]] = {
    "AutoField": _FIELD_PARAMS,
    "BigAutoField": _FIELD_PARAMS,
    "SmallAutoField": _FIELD_PARAMS,
    "BigIntegerField": _FIELD_PARAMS,
    "BinaryField": _FIELD_PARAMS,
    "BooleanField": _FIELD_PARAMS,
    "NullBooleanField": _FIELD_PARAMS,
    "CharField": _FIELD_PARAMS,
    "CommaSeparatedIntegerField": _FIELD_PARAMS,
    "DateField": _DATE_PARAMS,
    "DateTimeField": _DATE_PARAMS,
    "TimeField": _DATE_PARAMS,
    "DecimalField": ("verbose_name", "name", "max_digits", "decimal_places"),
    "DurationField": _FIELD_PARAMS,
    "EmailField": _FIELD_PARAMS,
    "FileField": ("verbose_name", "name", "upload_to", "storage"),
    "ImageField": ("verbose_name", "name", "width_field", "height_field"),
    "FilePathField": ("verbose_name", "name", "path", "match", "recursive", "allow_files", "allow_folders"),
    "FloatField": _FIELD_PARAMS,
    "GeneratedField": (),
    "GenericIPAddressField": ("verbose_name", "name", "protocol", "unpack_ipv4"),
    "IPAddressField": _FIELD_PARAMS,
    "IntegerField": _FIELD_PARAMS,
    "SmallIntegerField": _FIELD_PARAMS,
    "PositiveIntegerField": _FIELD_PARAMS,
    "PositiveSmallIntegerField": _FIELD_PARAMS,
    "PositiveBigIntegerField": _FIELD_PARAMS,
    "JSONField": ("verbose_name", "name", "encoder", "decoder"),
    "SlugField": _FIELD_PARAMS,
    "TextField": _FIELD_PARAMS,
    "URLField": ("verbose_name", "name"),
    "UUIDField": ("verbose_name",),
    "ForeignKey": (
        "to", "on_delete", "related_name", "related_query_name", "limit_choices_to", "parent_link", "to_field",
        "db_constraint",
    ),
    "OneToOneField": ("to", "on_delete", "to_field"),
    "ManyToManyField": (
        "to", "related_name", "related_query_name", "limit_choices_to", "symmetrical", "through",
        "through_fields", "db_constraint", "db_table", "swappable",
    ),
}  # fmt: skip
POSTGRES_FIELDS: dict[str, tuple[str, ...]] = {
    "ArrayField": ("base_field", "size"),
    "HStoreField": _FIELD_PARAMS,
    "CICharField": _FIELD_PARAMS,
    "CIEmailField": _FIELD_PARAMS,
    "CITextField": _FIELD_PARAMS,
    "IntegerRangeField": _FIELD_PARAMS,
    "BigIntegerRangeField": _FIELD_PARAMS,
    "DecimalRangeField": _FIELD_PARAMS,
    "DateRangeField": _FIELD_PARAMS,
    "DateTimeRangeField": _FIELD_PARAMS,
}
GENERIC_FIELDS: dict[str, tuple[str, ...]] = {
    "GenericForeignKey": ("ct_field", "fk_field", "for_concrete_model"),
    "GenericRelation": ("to", "object_id_field", "content_type_field", "for_concrete_model", "related_query_name"),
}
FIELD_MODULES = (
    ("django.db.models.", MODEL_FIELDS),
    ("django.contrib.postgres.fields.", POSTGRES_FIELDS),
    ("django.contrib.contenttypes.fields.", GENERIC_FIELDS),
)
RELATION_KINDS = {"ForeignKey": "fk", "OneToOneField": "o2o", "ManyToManyField": "m2m"}
DEFAULT_MAX_LENGTH = {
    "EmailField": 254,
    "URLField": 200,
    "SlugField": 50,
    "FileField": 100,
    "ImageField": 100,
    "FilePathField": 100,
    "GenericIPAddressField": 39,
    "IPAddressField": 15,
}
META_OPTIONS = (
    "verbose_name", "verbose_name_plural", "db_table", "db_table_comment", "ordering", "unique_together",
    "index_together", "permissions", "get_latest_by", "order_with_respect_to", "app_label", "db_tablespace",
    "abstract", "managed", "proxy", "swappable", "default_permissions", "select_on_save", "default_related_name",
    "required_db_features", "required_db_vendor", "base_manager_name", "default_manager_name", "indexes",
    "constraints",
)  # fmt: skip


# ---------------------------------------------------------------------------
# Django's own models, as declared in django/contrib (Django 5.2).  Only what shapes the schema and
# the API a port meets: fields, Meta, managers and the public methods.

_CONTENTTYPES_SOURCE = """\
from django.db import models


class ContentTypeManager(models.Manager):
    def get_for_model(self, model, for_concrete_model=True): ...
    def get_for_id(self, id): ...


class ContentType(models.Model):
    app_label = models.CharField(max_length=100)
    model = models.CharField("python model class name", max_length=100)
    objects = ContentTypeManager()

    class Meta:
        verbose_name = "content type"
        verbose_name_plural = "content types"
        db_table = "django_content_type"
        unique_together = [["app_label", "model"]]

    def __str__(self): ...
    def model_class(self): ...
    def get_object_for_this_type(self, using=None, **kwargs): ...
    def natural_key(self): ...
"""

_AUTH_SOURCE = """\
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class BaseUserManager(models.Manager):
    def normalize_email(cls, email): ...
    def get_by_natural_key(self, username): ...


class UserManager(BaseUserManager):
    def create_user(self, username, email=None, password=None, **extra_fields): ...
    def create_superuser(self, username, email=None, password=None, **extra_fields): ...
    def with_perm(self, perm, is_active=True, include_superusers=True, backend=None, obj=None): ...


class PermissionManager(models.Manager):
    def get_by_natural_key(self, codename, app_label, model): ...


class GroupManager(models.Manager):
    def get_by_natural_key(self, name): ...


class AbstractBaseUser(models.Model):
    password = models.CharField("password", max_length=128)
    last_login = models.DateTimeField("last login", blank=True, null=True)

    class Meta:
        abstract = True

    def __str__(self): ...
    def save(self, *args, **kwargs): ...
    def get_username(self): ...
    def clean(self): ...
    def natural_key(self): ...
    def set_password(self, raw_password): ...
    def check_password(self, raw_password): ...
    def set_unusable_password(self): ...
    def has_usable_password(self): ...
    def get_session_auth_hash(self): ...


class Permission(models.Model):
    name = models.CharField("name", max_length=255)
    content_type = models.ForeignKey(ContentType, models.CASCADE, verbose_name="content type")
    codename = models.CharField("codename", max_length=100)
    objects = PermissionManager()

    class Meta:
        verbose_name = "permission"
        verbose_name_plural = "permissions"
        unique_together = [["content_type", "codename"]]
        ordering = ["content_type__app_label", "content_type__model", "codename"]

    def __str__(self): ...
    def natural_key(self): ...


class Group(models.Model):
    name = models.CharField("name", max_length=150, unique=True)
    permissions = models.ManyToManyField(Permission, verbose_name="permissions", blank=True)
    objects = GroupManager()

    class Meta:
        verbose_name = "group"
        verbose_name_plural = "groups"

    def __str__(self): ...
    def natural_key(self): ...


class PermissionsMixin(models.Model):
    is_superuser = models.BooleanField("superuser status", default=False)
    groups = models.ManyToManyField(
        Group, verbose_name="groups", blank=True, related_name="user_set", related_query_name="user"
    )
    user_permissions = models.ManyToManyField(
        Permission, verbose_name="user permissions", blank=True, related_name="user_set", related_query_name="user"
    )

    class Meta:
        abstract = True

    def get_user_permissions(self, obj=None): ...
    def get_group_permissions(self, obj=None): ...
    def get_all_permissions(self, obj=None): ...
    def has_perm(self, perm, obj=None): ...
    def has_perms(self, perm_list, obj=None): ...
    def has_module_perms(self, app_label): ...


class AbstractUser(AbstractBaseUser, PermissionsMixin):
    username = models.CharField(
        "username", max_length=150, unique=True, validators=[UnicodeUsernameValidator()]
    )
    first_name = models.CharField("first name", max_length=150, blank=True)
    last_name = models.CharField("last name", max_length=150, blank=True)
    email = models.EmailField("email address", blank=True)
    is_staff = models.BooleanField("staff status", default=False)
    is_active = models.BooleanField("active", default=True)
    date_joined = models.DateTimeField("date joined", default=timezone.now)
    objects = UserManager()

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        abstract = True

    def clean(self): ...
    def get_full_name(self): ...
    def get_short_name(self): ...
    def email_user(self, subject, message, from_email=None, **kwargs): ...


class User(AbstractUser):
    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
"""

# Django's apps for its own models: module -> (app module, label, default auto field).
BUILTIN_APPS = {
    "django.contrib.auth.models": ("django.contrib.auth", "auth", "django.db.models.AutoField"),
    "django.contrib.contenttypes.models": (
        "django.contrib.contenttypes",
        "contenttypes",
        "django.db.models.AutoField",
    ),
}
# Django's concrete models a project may point at, and its abstract user classes a model may extend.
BUILTIN_MODELS = (
    "django.contrib.auth.models.User",
    "django.contrib.auth.models.Group",
    "django.contrib.auth.models.Permission",
    "django.contrib.contenttypes.models.ContentType",
)
ABSTRACT_USER_CLASSES = frozenset(
    {
        "django.contrib.auth.models.AbstractUser",
        "django.contrib.auth.models.AbstractBaseUser",
        "django.contrib.auth.models.PermissionsMixin",
    }
)


@functools.lru_cache(maxsize=1)
def _builtin_index() -> ProjectIndex:
    facts: list[FileFacts] = []
    for path, module, text in (
        ("django/contrib/contenttypes/models.py", "django.contrib.contenttypes.models", _CONTENTTYPES_SOURCE),
        ("django/contrib/auth/models.py", "django.contrib.auth.models", _AUTH_SOURCE),
    ):
        facts.append(builtin_facts(path, module, text))
    return ProjectIndex(facts)


# ---------------------------------------------------------------------------
# Results


@dataclass
class DjangoChoices:
    """The ``choices=`` of a field: a ``TextChoices``/``IntegerChoices`` class or a literal list."""

    # Stored value -> label as written (the label's source code when it is not a plain string).
    values: list[tuple[Value, str]] = field(default_factory=list)
    enum_class: str | None = None  # qualname of the choices class, when there is one
    members: dict[str, Value] = field(default_factory=dict)  # NAME -> stored value, for a choices class
    integer: bool = False  # IntegerChoices (or every value is an int)
    source: str = ""  # ``choices=`` as written
    complete: bool = True  # False when some values could not be read (a call, a computed list)


@dataclass
class DjangoField:
    """One model field as Django sees it once the model class is built."""

    name: str
    file: str
    span: Span
    field_class: str  # canonical Django class, e.g. "django.db.models.CharField"; "unknown" for third-party
    kind: str  # column | fk | o2o | m2m | generic_fk | generic_relation | unknown
    args: tuple[Value, ...] = ()
    kwargs: dict[str, Value] = field(default_factory=dict)
    # Positional arguments named after the field class's signature, merged with the keywords.
    options: dict[str, Value] = field(default_factory=dict)
    source: str = ""  # ``title = models.CharField(max_length=200)``
    declared_class: str | None = None  # the project's / third party's field class when not Django's own
    column: str | None = None  # database column; None for many-to-many and generic relations
    # Relations.
    target: str | None = None  # qualname of the related model, once resolved
    target_label: str | None = None  # as written: "self", "catalog.Author", "settings.AUTH_USER_MODEL", "Author"
    on_delete: str | None = None  # CASCADE | PROTECT | RESTRICT | SET_NULL | SET_DEFAULT | SET | DO_NOTHING | custom
    on_delete_code: str | None = None  # "PROTECT", or the call as written: "models.SET(get_sentinel_user)"
    related_name: str | None = None  # with %(class)s / %(app_label)s filled in
    related_query_name: str | None = None
    to_field: str | None = None
    through: str | None = None  # qualname of the through model
    through_fields: tuple[str, ...] | None = None
    symmetrical: bool | None = None
    m2m_table: str | None = None  # the join table (auto-created, db_table=, or the through model's)
    m2m_columns: tuple[str, str] | None = None  # (column to this model, column to the target) in the join table
    db_constraint: bool = True
    parent_link: bool = False
    # Options.
    choices: DjangoChoices | None = None
    null: bool = False
    blank: bool = False
    unique: bool = False
    db_index: bool = False
    primary_key: bool = False
    has_default: bool = False
    default: Value = None
    has_db_default: bool = False
    db_default: Value = None
    max_length: int | None = None
    max_digits: int | None = None
    decimal_places: int | None = None
    auto_now: bool = False
    auto_now_add: bool = False
    editable: bool = True
    validators: list[str] = field(default_factory=list)  # source code of each validator
    help_text: Value = None
    verbose_name: Value = None
    db_column: str | None = None
    db_comment: Value = None
    base_field: DjangoField | None = None  # ArrayField's element field, GeneratedField's output_field
    inherited_from: str | None = None  # qualname of the abstract class that declares it
    implicit: bool = False  # added by Django: the automatic primary key or a parent link

    @property
    def is_relation(self) -> bool:
        return self.kind in ("fk", "o2o", "m2m")


@dataclass
class DjangoMeta:
    """``class Meta`` after Django's inheritance rules (abstract parents, ordering from concrete parents)."""

    ordering: list[str] | None = None
    unique_together: list[tuple[str, ...]] = field(default_factory=list)
    index_together: list[tuple[str, ...]] = field(default_factory=list)
    constraints: list[Value] = field(default_factory=list)
    indexes: list[Value] = field(default_factory=list)
    verbose_name: Value = None
    verbose_name_plural: Value = None
    default_permissions: Value = None
    permissions: Value = None
    get_latest_by: Value = None
    managed: bool = True
    db_table: str | None = None  # as written; DjangoModel.table_name is the effective name
    app_label: str | None = None
    default_related_name: str | None = None
    order_with_respect_to: str | None = None
    db_table_comment: Value = None
    # Every option as written (after inheritance), for what the fields above do not interpret.
    options: dict[str, Value] = field(default_factory=dict)


@dataclass
class DjangoManager:
    """A manager attribute: ``objects = BookManager()``, ``BookQuerySet.as_manager()``, ``from_queryset``."""

    name: str
    kind: str  # default | custom | as_manager | from_queryset | unknown
    manager_class: str | None = None  # qualname or canonical name
    queryset_class: str | None = None  # qualname of a project QuerySet
    methods: list[str] = field(default_factory=list)  # project-defined methods of the manager and queryset
    source: str = ""
    file: str = ""
    line: int = 0
    inherited_from: str | None = None
    implicit: bool = False  # Django's automatic ``objects``


@dataclass
class DjangoQuerySet:
    qualname: str
    name: str
    file: str
    line: int
    methods: list[str] = field(default_factory=list)


@dataclass
class DjangoModel:
    name: str
    qualname: str
    app_label: str
    app: str  # the app package (module path)
    file: str
    span: Span
    bases: list[str] = field(default_factory=list)  # model bases: project qualnames or canonical Django names
    abstract: bool = False
    proxy: bool = False
    proxy_for: str | None = None  # the concrete model a proxy stands for
    parent: str | None = None  # multi-table inheritance: the parent model's qualname
    parents: list[str] = field(default_factory=list)  # every concrete parent (first one is ``parent``)
    table_name: str = ""  # effective db table ("" for abstract models)
    model_name: str = ""  # Django's ``_meta.model_name``: the class name in lower case
    fields: list[DjangoField] = field(default_factory=list)
    meta: DjangoMeta = field(default_factory=DjangoMeta)
    managers: list[DjangoManager] = field(default_factory=list)
    querysets: list[str] = field(default_factory=list)  # qualnames of the project QuerySets its managers use
    methods: list[str] = field(default_factory=list)  # methods defined on it and on its model bases
    method_owners: dict[str, str] = field(default_factory=dict)  # method -> qualname of the class defining it
    properties: list[str] = field(default_factory=list)  # methods decorated as (cached) properties
    external_bases: list[str] = field(default_factory=list)  # bases fwlint cannot read (third-party models)
    builtin: bool = False  # one of Django's own models (auth, contenttypes)
    default_auto_field: str = DEFAULT_AUTO_FIELD

    @property
    def concrete(self) -> bool:
        return not self.abstract and not self.proxy

    def field_named(self, name: str) -> DjangoField | None:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        return None

    @property
    def pk(self) -> DjangoField | None:
        for candidate in self.fields:
            if candidate.primary_key:
                return candidate
        return None


@dataclass(frozen=True)
class RelationInfo:
    """One relation a model can follow in queries (``filter(author__name=...)``) and as an attribute."""

    target: str  # target model class name
    kind: str  # fk | o2o | m2m | reverse_fk | reverse_o2o | reverse_m2m
    column: str | None  # the FK column (on this model for fk/o2o, on the target for reverse ones); None for m2m
    query_name: str  # the name lookups use (differs from the accessor for reverse relations)
    field: str  # the declaring field: on this model for forward kinds, on the target for reverse kinds
    table: str | None = None  # the join table of a many-to-many relation
    target_qualname: str = ""


@dataclass
class DjangoSchema:
    """The project's models (``models``) and the Django models they point at (``builtin_models``)."""

    models: list[DjangoModel] = field(default_factory=list)
    builtin_models: list[DjangoModel] = field(default_factory=list)
    querysets: list[DjangoQuerySet] = field(default_factory=list)
    auth_user_model: str | None = None  # qualname of the model AUTH_USER_MODEL names, when it is used
    # relations by model qualname, computed on first use (the schema is not changed after discovery)
    _relations: dict[str, dict[str, RelationInfo]] | None = field(default=None, repr=False, compare=False)

    def all_models(self) -> list[DjangoModel]:
        return [*self.models, *self.builtin_models]

    def model(self, qualname: str) -> DjangoModel | None:
        """The model with this qualname (project or Django's own)."""
        for candidate in self.all_models():
            if candidate.qualname == qualname:
                return candidate
        return None

    def model_named(self, name: str) -> DjangoModel | None:
        """The first model with this class name, project models first."""
        for candidate in self.all_models():
            if candidate.name == name:
                return candidate
        return None

    def models_named(self, name: str) -> list[DjangoModel]:
        return [candidate for candidate in self.all_models() if candidate.name == name]

    def relations_of(self, qualname: str) -> dict[str, RelationInfo]:
        """A model's relations by attribute name (forward fields and reverse accessors)."""
        return self._by_qualname().get(qualname, {})

    def _by_qualname(self) -> dict[str, dict[str, RelationInfo]]:
        if self._relations is None:
            self._relations = _relations(self)
        return self._relations

    def relations(self) -> dict[str, dict[str, RelationInfo]]:
        """Relations by model class name, then by attribute name: forward relation fields and reverse
        accessors (``related_name``, ``<model>_set``, ``<model>`` for one-to-one).  Multi-table children
        and proxies also get their parents' relations, as Django's lookups do.  When two models share a
        class name, the first (project models first) wins: use :meth:`relations_of` to be exact."""
        by_qualname = self._by_qualname()
        result: dict[str, dict[str, RelationInfo]] = {}
        for candidate in self.all_models():
            if candidate.name not in result and candidate.qualname in by_qualname:
                result[candidate.name] = by_qualname[candidate.qualname]
        return result

    def query_relations(self) -> dict[str, dict[str, RelationInfo]]:
        """Like :meth:`relations`, keyed by the name lookups use (``related_query_name``)."""
        return {
            name: {info.query_name: info for info in relations.values()} for name, relations in self.relations().items()
        }


# ---------------------------------------------------------------------------
# Name helpers Django uses


def truncate_name(identifier: str, length: int | None = None, hash_len: int = 4) -> str:
    """``django.db.backends.utils.truncate_name``: shorten a name with a repeatable hash."""
    if length is None or len(identifier) <= length:
        return identifier
    digest = hashlib.md5(identifier.encode(), usedforsecurity=False).hexdigest()[:hash_len]
    return identifier[: length - hash_len] + digest


def django_index_name(table: str, columns: list[str], suffix: str = "", max_length: int | None = None) -> str:
    """The name Django's schema editor gives an index or constraint it names itself
    (``BaseDatabaseSchemaEditor._create_index_name``); ``max_length`` is the backend's
    ``max_name_length()`` (None: SQLite's 200)."""
    digest = hashlib.md5("".join([table, *columns]).encode(), usedforsecurity=False).hexdigest()[:8]
    hash_suffix = digest + suffix
    limit = max_length or 200
    name = f"{table}_{'_'.join(columns)}_{hash_suffix}"
    if len(name) <= limit:
        return name
    if len(hash_suffix) > limit / 3:
        hash_suffix = hash_suffix[: limit // 3]
    other = (limit - len(hash_suffix)) // 2 - 1
    name = f"{table[:other]}_{'_'.join(columns)[:other]}_{hash_suffix}"
    if name[0] == "_" or name[0].isdigit():
        name = "D" + name[:-1]
    return name


def _tail(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def _class_value(index: ProjectIndex, qualname: str, name: str) -> Value:
    """A class attribute's extracted value, looked up through the class's project bases."""
    return cast(Value, index.class_attribute(qualname, name))


def _code(value: Value) -> str:
    if isinstance(value, (CallValue, Opaque)):
        return value.code
    if isinstance(value, Ref):
        return _tail(value.path)
    return repr(value)


def _as_str(value: Value) -> str | None:
    return value if isinstance(value, str) else None


def _as_int(value: Value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _as_bool(value: Value, default: bool) -> bool:
    return value if isinstance(value, bool) else default


def _strings(value: Value) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [item for item in value if isinstance(item, str)]
    return [value] if isinstance(value, str) else []


def _groups(value: Value) -> list[tuple[str, ...]]:
    """``unique_together``: a list of lists, or one flat list/tuple of names (Django accepts both)."""
    if not isinstance(value, (list, tuple)) or not value:
        return []
    if all(isinstance(item, str) for item in value):
        return [tuple(_strings(value))]
    return [tuple(_strings(item)) for item in value if isinstance(item, (list, tuple))]


def _fill(template: str | None, cls_name: str, model_name: str, app_label: str) -> str | None:
    """``related_name="%(app_label)s_%(class)s_set"`` as Django fills it in for each concrete model."""
    if template is None:
        return None
    try:
        return template % {"class": cls_name.lower(), "model_name": model_name, "app_label": app_label.lower()}
    except (KeyError, ValueError, TypeError):
        return template


# ---------------------------------------------------------------------------
# The finder


@dataclass
class _Class:
    """A class and the index that knows it (the project's, or the one of Django's own models)."""

    index: ProjectIndex
    qualname: str

    @property
    def cls(self) -> ClassDef:
        return self.index.classes[self.qualname][0]

    @property
    def facts(self) -> FileFacts:
        return self.index.classes[self.qualname][1]

    @property
    def builtin(self) -> bool:
        return self.qualname.startswith("django.")


@dataclass
class _App:
    module: str
    label: str
    auto_field: str | None = None


class _Finder:
    def __init__(self, index: ProjectIndex, default_auto_field: str, auth_user_model: str | None) -> None:
        self.index = index
        self.builtin = _builtin_index()
        self.literals = _module_literals(index)
        self.default_auto_field = self._setting("DEFAULT_AUTO_FIELD") or default_auto_field
        self.auth_user_label = auth_user_model or self._setting("AUTH_USER_MODEL")
        self.apps = self._read_apps()
        self._is_model: dict[str, bool] = {}
        self.models: dict[str, DjangoModel] = {}  # qualname -> model, project and built-in
        self.sites: dict[str, _Class] = {}

    # ------------------------------------------------------------ settings
    def _setting(self, name: str) -> str | None:
        """A string setting, from a settings module (one that sets INSTALLED_APPS or is named so) first."""
        settings = {module for (module, setting) in self.literals if setting == "INSTALLED_APPS"}
        found = [
            (module not in settings and "settings" not in module.split("."), value)
            for (module, setting), value in self.literals.items()
            if setting == name and isinstance(value, str)
        ]
        return str(min(found, key=lambda item: item[0])[1]) if found else None

    def _read_apps(self) -> list[_App]:
        """Installed apps (from a settings module's ``INSTALLED_APPS``) and the project's AppConfigs."""
        configs: dict[str, _App] = {}
        for qualname in self.index.classes:
            if APP_CONFIG in self.index.class_canonical_bases(qualname):
                name = _as_str(_class_value(self.index, qualname, "name"))
                if name is None:
                    continue
                label = _as_str(_class_value(self.index, qualname, "label")) or _tail(name)
                auto = _as_str(_class_value(self.index, qualname, "default_auto_field"))
                configs[qualname] = _App(name, label, auto)
        apps: list[_App] = []
        for (_, setting), value in self.literals.items():
            if setting != "INSTALLED_APPS":
                continue
            for entry in _strings(value):
                config = configs.get(self.index.resolve_project(entry))
                if config is None:
                    # ``"catalog"``: the one AppConfig its ``apps`` module defines, as Django picks it.
                    found = [c for q, c in configs.items() if q.startswith(entry + ".apps.") and c.module == entry]
                    config = found[0] if len(found) == 1 else _App(entry, _tail(entry))
                apps.append(config)
        known = {app.module for app in apps}
        apps.extend(config for config in configs.values() if config.module not in known)
        return apps

    def app_of(self, module: str) -> _App:
        """The app a module belongs to: the longest installed app containing it, else the package
        holding its ``models`` module (``shop.catalog.models.book`` → ``shop.catalog``)."""
        if module in BUILTIN_APPS:
            package, label, auto = BUILTIN_APPS[module]
            return _App(package, label, auto)
        best: _App | None = None
        for app in self.apps:
            if (module == app.module or module.startswith(app.module + ".")) and (
                best is None or len(app.module) > len(best.module)
            ):
                best = app
        if best is not None:
            return best
        parts = module.split(".")
        if "models" in parts[1:]:
            package = ".".join(parts[: len(parts) - 1 - parts[::-1].index("models")])
        else:
            package = ".".join(parts[:-1]) or module
        return _App(package, _tail(package))

    # ------------------------------------------------------------ classes
    def lookup(self, index: ProjectIndex, path: str) -> _Class | None:
        """The class a base or a reference names, in the project or among Django's own models."""
        resolved = index.resolve_project(path)
        if resolved in index.classes:
            return _Class(index, resolved)
        canonical = index.canonical(path)
        if canonical is not None and canonical in self.builtin.classes:
            return _Class(self.builtin, canonical)
        return None

    def is_model(self, site: _Class, depth: int = 0) -> bool:
        key = site.qualname
        if key in self._is_model:
            return self._is_model[key]
        self._is_model[key] = False  # cycle guard
        result = False
        for base in site.cls.bases:
            found = self.lookup(site.index, base)
            if found is not None and found.qualname != key and depth < 24:
                if self.is_model(found, depth + 1):
                    result = True
            elif site.index.canonical(base) == MODEL:
                result = True
        if not result and self._external_model(site):
            result = True
        self._is_model[key] = result
        return result

    def _external_model(self, site: _Class) -> bool:
        """A class on a base fwlint cannot read (a third-party model) that declares Django model fields
        (``django.db.models.*``: serializer and form fields do not count)."""
        unknown = [b for b in site.cls.bases if self.lookup(site.index, b) is None and site.index.canonical(b) != MODEL]
        if not unknown:
            return False
        for value in site.cls.attributes.values():
            if isinstance(value, CallValue):
                classified = self.field_class(site.index, value)
                if classified is not None and classified[0] != "unknown":
                    return True
        return False

    def meta_class(self, site: _Class) -> _Class | None:
        meta = site.qualname + ".Meta"
        return _Class(site.index, meta) if meta in site.index.classes else None

    def model_bases(self, site: _Class) -> list[_Class]:
        return [
            found
            for base in site.cls.bases
            if (found := self.lookup(site.index, base)) is not None and self.is_model(found)
        ]

    def ancestors(self, site: _Class) -> list[_Class]:
        """Model classes a model inherits from, in Python's method resolution order (nearest first)."""
        linear: list[_Class] = []

        def merge(sequences: list[list[_Class]]) -> None:
            pending = [list(s) for s in sequences if s]
            while pending:
                for sequence in pending:
                    head = sequence[0]
                    if not any(head.qualname in [c.qualname for c in other[1:]] for other in pending):
                        break
                else:  # inconsistent hierarchy: keep going in a stable order
                    head = pending[0][0]
                if head.qualname not in [c.qualname for c in linear]:
                    linear.append(head)
                pending = [[c for c in s if c.qualname != head.qualname] for s in pending]
                pending = [s for s in pending if s]

        bases = self.model_bases(site)
        merge([[base, *self.ancestors(base)] for base in bases] + [bases])
        return linear

    def own_abstract(self, site: _Class) -> bool:
        meta = self.meta_class(site)
        return meta is not None and meta.cls.attributes.get("abstract") is True

    # ------------------------------------------------------------ fields
    def field_class(self, index: ProjectIndex, value: CallValue) -> tuple[str, str | None] | None:
        """(canonical Django field class, the project/third-party class as written) of a field call."""
        resolved = index.resolve_project(value.callee)
        if resolved in index.classes:
            for base in index.class_canonical_bases(resolved):
                known = _known_field(base)
                if known is not None:
                    return known, resolved
            return None
        canonical = index.canonical(value.callee)
        if canonical is None:
            path = value.callee
            return ("unknown", path) if _tail(path).endswith(("Field", "ForeignKey")) else None
        known = _known_field(canonical)
        if known is not None:
            return known, None
        if _tail(canonical).endswith(("Field", "ForeignKey")) and not canonical.startswith(NOT_MODEL_FIELDS):
            return "unknown", canonical
        return None

    def read_field(self, site: _Class, name: str, value: CallValue, inherited_from: str | None) -> DjangoField | None:
        classified = self.field_class(site.index, value)
        if classified is None:
            return None
        field_class, declared = classified
        tail = _tail(field_class)
        params = _params(field_class)
        options: dict[str, Value] = {}
        for position, argument in enumerate(value.args):
            if position < len(params):
                options[params[position]] = argument
        options.update(dict(value.kwargs))
        kind = RELATION_KINDS.get(tail, "column")
        if tail == "GenericForeignKey":
            kind = "generic_fk"
        elif tail == "GenericRelation":
            kind = "generic_relation"
        elif field_class == "unknown":
            kind = "unknown"
        span = site.cls.attribute_spans.get(name, site.cls.span)
        spec = DjangoField(
            name=name,
            file=site.facts.path,
            span=span,
            field_class=field_class,
            kind=kind,
            args=value.args,
            kwargs=dict(value.kwargs),
            options=options,
            source=f"{name} = {value.code}",
            declared_class=declared,
            inherited_from=inherited_from,
        )
        self._options(spec, site.index, site.facts.module)
        # The field inside: ArrayField's elements, GeneratedField's output type.
        inner = options.get("base_field" if tail == "ArrayField" else "output_field")
        if tail in ("ArrayField", "GeneratedField") and isinstance(inner, CallValue):
            spec.base_field = self.read_field(site, name, inner, inherited_from)
        return spec

    def _options(self, spec: DjangoField, index: ProjectIndex, module: str) -> None:
        options = spec.options
        tail = _tail(spec.field_class)
        spec.null = _as_bool(options.get("null"), tail == "NullBooleanField")
        spec.blank = _as_bool(options.get("blank"), False)
        spec.primary_key = _as_bool(options.get("primary_key"), False)
        spec.unique = _as_bool(options.get("unique"), tail == "OneToOneField") or spec.primary_key
        spec.db_index = _as_bool(options.get("db_index"), tail in ("SlugField", "ForeignKey", "OneToOneField"))
        spec.max_length = _as_int(options.get("max_length")) or DEFAULT_MAX_LENGTH.get(tail)
        spec.max_digits = _as_int(options.get("max_digits"))
        spec.decimal_places = _as_int(options.get("decimal_places"))
        spec.auto_now = _as_bool(options.get("auto_now"), False)
        spec.auto_now_add = _as_bool(options.get("auto_now_add"), False)
        spec.editable = _as_bool(options.get("editable"), not (spec.auto_now or spec.auto_now_add))
        if spec.auto_now or spec.auto_now_add:
            spec.blank = True
        if "default" in options:
            spec.has_default, spec.default = True, _resolved(index, options["default"])
        if "db_default" in options:
            spec.has_db_default, spec.db_default = True, _resolved(index, options["db_default"])
        validators = options.get("validators")
        if isinstance(validators, (list, tuple)):
            spec.validators = [_code(v) for v in validators]
        elif validators is not None:
            spec.validators = [_code(validators)]
        spec.help_text = options.get("help_text")
        spec.verbose_name = options.get("verbose_name")
        spec.db_column = _as_str(options.get("db_column"))
        spec.db_comment = options.get("db_comment")
        if "choices" in options:
            spec.choices = self.choices(index, options["choices"], module)
        if spec.kind in ("fk", "o2o", "m2m"):
            self._relation_options(spec, index)

    def _relation_options(self, spec: DjangoField, index: ProjectIndex) -> None:
        options = spec.options
        to = options.get("to")
        if isinstance(to, str):
            spec.target_label = to
        elif isinstance(to, Ref):
            spec.target_label = "settings.AUTH_USER_MODEL" if index.canonical(to.path) == AUTH_USER_SETTING else to.path
        elif isinstance(to, CallValue):
            spec.target_label = to.code
        on_delete = options.get("on_delete")
        if on_delete is not None:
            spec.on_delete_code = _code(on_delete)
            path = (
                on_delete.path
                if isinstance(on_delete, Ref)
                else on_delete.callee
                if isinstance(on_delete, CallValue)
                else ""
            )
            canonical = index.canonical(path) if path else None
            known = ("CASCADE", "PROTECT", "RESTRICT", "SET_NULL", "SET_DEFAULT", "SET", "DO_NOTHING")
            if canonical is not None and canonical.startswith("django.db.models.") and _tail(canonical) in known:
                spec.on_delete = _tail(canonical)
            else:
                spec.on_delete = "custom"
        spec.related_name = _as_str(options.get("related_name"))
        spec.related_query_name = _as_str(options.get("related_query_name"))
        spec.to_field = _as_str(options.get("to_field"))
        spec.parent_link = _as_bool(options.get("parent_link"), False)
        spec.db_constraint = _as_bool(options.get("db_constraint"), True)
        symmetrical = options.get("symmetrical")
        spec.symmetrical = symmetrical if isinstance(symmetrical, bool) else None
        through_fields = options.get("through_fields")
        if isinstance(through_fields, (list, tuple)):
            spec.through_fields = tuple(_strings(through_fields))
        if spec.kind == "m2m":
            spec.m2m_table = _as_str(options.get("db_table"))
        if spec.kind in ("fk", "o2o"):
            spec.column = spec.db_column or f"{spec.name}_id"

    def choices(self, index: ProjectIndex, value: Value, module: str) -> DjangoChoices:
        source = ".".join(value.path.split(".")[-2:]) if isinstance(value, Ref) else _code(value)
        if isinstance(value, Opaque) and value.code.isidentifier() and (module, value.code) in self.literals:
            # A module constant (``choices=SIZES``): the extractor keeps literal-bound names opaque.
            choices = _literal_choices(self.literals[(module, value.code)])
            choices.source = source
            return choices
        if isinstance(value, Ref):
            path = value.path
            enum_site = self.lookup(index, path.removesuffix(".choices"))
            if enum_site is not None and _choices_kind(enum_site) is not None:
                return self._enum_choices(enum_site, source)
            module, _, constant = index.resolve_project(path).rpartition(".")
            literal = self.literals.get((module, constant))
            if literal is not None:
                choices = _literal_choices(literal)
                choices.source = source
                return choices
            return DjangoChoices(source=source, complete=False)
        if isinstance(value, (list, tuple, dict)):
            choices = _literal_choices(value)
            choices.source = source
            return choices
        return DjangoChoices(source=source, complete=False)

    def _enum_choices(self, site: _Class, source: str) -> DjangoChoices:
        integer = _choices_kind(site) is True
        choices = DjangoChoices(enum_class=site.qualname, integer=integer, source=source)
        counter = 0
        for member, raw in site.cls.attributes.items():
            if member.startswith("_") or member in ("do_not_call_in_templates", "label"):
                continue
            label: str | None = None
            stored: Value = raw
            if isinstance(raw, tuple) and raw:
                stored = raw[0]
                if len(raw) > 1:
                    label = raw[1] if isinstance(raw[1], str) else _code(raw[1])
            if isinstance(stored, CallValue) and _tail(stored.callee) == "auto":
                counter += 1
                stored = counter if integer else member
            elif isinstance(stored, int) and not isinstance(stored, bool):
                counter = stored
            if not isinstance(stored, (str, int, float)):
                choices.complete = False
                continue
            choices.members[member] = stored
            choices.values.append((stored, label if label is not None else member.replace("_", " ").title()))
        if choices.members and all(isinstance(v, int) for v in choices.members.values()):
            choices.integer = True
        return choices

    # ------------------------------------------------------------ models
    def collect(self) -> None:
        for qualname in self.index.classes:
            if ".<locals>." in qualname:
                continue  # defined in a function (tests' throwaway models): not part of the schema
            site = _Class(self.index, qualname)
            if self.is_model(site):
                self.sites[qualname] = site
        for qualname in BUILTIN_MODELS:
            self.sites[qualname] = _Class(self.builtin, qualname)
        for qualname, site in self.sites.items():
            self.models[qualname] = self.skeleton(site)
        for qualname, model in self.models.items():
            self.inherit(model, self.sites[qualname])

    def skeleton(self, site: _Class) -> DjangoModel:
        """Name, app, abstract/proxy and bases: what resolving relations needs from every model first."""
        module = site.facts.module
        app = self.app_of(module)
        name = _tail(site.qualname)
        meta_options = self.meta_options(site)
        app_label = _as_str(meta_options.get("app_label")) or app.label
        model = DjangoModel(
            name=name,
            qualname=site.qualname,
            app_label=app_label,
            app=app.module,
            file=site.facts.path,
            span=site.cls.span,
            abstract=self.own_abstract(site),
            proxy=meta_options.get("proxy") is True,
            model_name=name.lower(),
            builtin=site.builtin,
            default_auto_field=app.auto_field or self.default_auto_field,
        )
        for base in site.cls.bases:
            found = self.lookup(site.index, base)
            if found is not None and self.is_model(found):
                model.bases.append(found.qualname)
            elif found is None and site.index.canonical(base) != MODEL:
                model.external_bases.append(site.index.canonical(base) or site.index.resolve_project(base))
        return model

    def meta_options(self, site: _Class) -> dict[str, Value]:
        """Meta options after Django's rules: the model's own ``Meta`` (with its Python bases), else the
        ``Meta`` of the nearest abstract ancestor, minus ``abstract``."""
        meta = self.meta_class(site)
        inherited = meta is None
        if meta is None:
            for ancestor in self.ancestors(site):
                meta = self.meta_class(ancestor)
                if meta is not None and self.own_abstract(ancestor):
                    break
                meta = None
        if meta is None:
            return {}
        options: dict[str, Value] = {}
        for option in META_OPTIONS:
            found = _class_value(meta.index, meta.qualname, option)
            if found is not None or option in meta.cls.attributes:
                options[option] = found
        if inherited or "abstract" not in meta.cls.attributes:
            options.pop("abstract", None)  # Django resets ``abstract`` on the Meta children inherit
        return options

    def inherit(self, model: DjangoModel, site: _Class) -> None:
        """Concrete parents (multi-table), proxies' concrete model and the effective table name."""
        concrete_parents = [self.models[q] for q in model.bases if q in self.models and not self.models[q].abstract]
        if model.proxy:
            parent = concrete_parents[0] if concrete_parents else None
            while parent is not None and parent.proxy:
                grand = [self.models[q] for q in parent.bases if q in self.models and not self.models[q].abstract]
                parent = grand[0] if grand else None
            model.proxy_for = parent.qualname if parent is not None else None
        elif not model.abstract:
            model.parents = [p.qualname for p in concrete_parents]
            model.parent = model.parents[0] if model.parents else None

    def table_of(self, model: DjangoModel) -> str:
        if model.abstract:
            return ""
        if model.proxy and model.proxy_for in self.models:
            return self.table_of(self.models[model.proxy_for])
        db_table = _as_str(self.meta_options(self.sites[model.qualname]).get("db_table"))
        return db_table or f"{model.app_label}_{model.model_name}"

    # ------------------------------------------------------------ building each model
    def build(self, model: DjangoModel) -> None:
        site = self.sites[model.qualname]
        options = self.meta_options(site)
        model.table_name = self.table_of(model)
        model.meta = self.meta(options, model)
        model.fields = self.fields_of(model, site)
        model.managers = self.managers_of(model, site)
        model.querysets = list(dict.fromkeys(m.queryset_class for m in model.managers if m.queryset_class))
        self.methods_of(model, site)

    def parent_option(self, model: DjangoModel, option: str) -> Value:
        """``ordering`` / ``get_latest_by`` a multi-table child takes from its parent when it sets none."""
        parent = self.models.get(model.parent or "")
        if parent is None:
            return None
        options = self.meta_options(self.sites[parent.qualname])
        return options[option] if option in options else self.parent_option(parent, option)

    def meta(self, options: dict[str, Value], model: DjangoModel) -> DjangoMeta:
        options = dict(options)
        for option in ("ordering", "get_latest_by"):
            if option not in options and model.parent is not None:
                inherited = self.parent_option(model, option)
                if inherited is not None:
                    options[option] = inherited
        meta = DjangoMeta(options=options)
        if "ordering" in options:
            meta.ordering = _strings(options["ordering"])
        meta.unique_together = _groups(options.get("unique_together"))
        meta.index_together = _groups(options.get("index_together"))
        for key in ("constraints", "indexes"):
            value = options.get(key)
            items = list(value) if isinstance(value, (list, tuple)) else []
            setattr(meta, key, [self._canonical_call(item) for item in items])
        meta.verbose_name = options.get("verbose_name")
        meta.verbose_name_plural = options.get("verbose_name_plural")
        meta.default_permissions = options.get("default_permissions")
        meta.permissions = options.get("permissions")
        meta.get_latest_by = options.get("get_latest_by")
        meta.managed = _as_bool(options.get("managed"), True)
        meta.db_table = _as_str(options.get("db_table"))
        meta.app_label = _as_str(options.get("app_label"))
        meta.default_related_name = _as_str(options.get("default_related_name"))
        meta.order_with_respect_to = _as_str(options.get("order_with_respect_to"))
        meta.db_table_comment = options.get("db_table_comment")
        return meta

    def _canonical_call(self, value: Value) -> Value:
        """Constraint and index calls with canonical callees (``models.UniqueConstraint`` → ``django.db.models.…``)."""
        if isinstance(value, CallValue):
            canonical = self.index.canonical(value.callee) or self.builtin.canonical(value.callee)
            if canonical is not None:
                return CallValue(
                    canonical,
                    tuple(self._canonical_call(a) for a in value.args),
                    tuple((k, self._canonical_call(v)) for k, v in value.kwargs),
                    value.code,
                )
        if isinstance(value, list):
            return [self._canonical_call(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self._canonical_call(v) for v in value)
        return value

    def abstract_chain(self, site: _Class, seen: frozenset[str] = frozenset()) -> list[_Class]:
        """Abstract model classes whose fields a model copies, in Django's creation order: each direct
        abstract base after its own abstract bases.  Abstract classes reached only through a concrete
        parent are not in it: their fields live in that parent's table."""
        chain: list[_Class] = []
        for base in self.model_bases(site):
            if base.qualname in seen or not self.own_abstract(base):
                continue
            for member in [*self.abstract_chain(base, seen | {base.qualname}), base]:
                if member.qualname not in [c.qualname for c in chain]:
                    chain.append(member)
        return chain

    def fields_of(self, model: DjangoModel, site: _Class) -> list[DjangoField]:
        """Implicit fields first (as Django orders them), then inherited abstract fields, then own fields.
        When two abstract bases declare the same name, the one first in Python's MRO wins."""
        chain = self.abstract_chain(site)
        winner: dict[str, str] = {}
        for ancestor in self.ancestors(site):
            for name in ancestor.cls.attributes:
                winner.setdefault(name, ancestor.qualname)
        declared: dict[str, DjangoField] = {}
        for ancestor in chain:
            for name, value in ancestor.cls.attributes.items():
                if winner.get(name) == ancestor.qualname and name not in site.cls.attributes:
                    self._declare(ancestor, name, value, ancestor.qualname, declared)
        for name, value in site.cls.attributes.items():
            self._declare(site, name, value, None, declared)
        if model.proxy:
            return []
        fields = [self.contribute(f, model) for f in declared.values()]
        fields = self.implicit_fields(model, fields) + fields
        if model.meta.order_with_respect_to and not model.abstract:
            fields.append(
                DjangoField(
                    name="_order",
                    file=model.file,
                    span=model.span,
                    field_class="django.db.models.IntegerField",
                    kind="column",
                    source="_order = models.IntegerField(editable=False)  # Meta.order_with_respect_to",
                    column="_order",
                    editable=False,
                    implicit=True,
                    has_default=True,
                    default=0,
                )
            )
        return fields

    def _declare(
        self, site: _Class, name: str, value: Value, inherited_from: str | None, declared: dict[str, DjangoField]
    ) -> None:
        if value is None:
            declared.pop(name, None)  # ``field = None`` removes an inherited field
            return
        if not isinstance(value, CallValue):
            return
        spec = self.read_field(site, name, value, inherited_from)
        if spec is not None:
            declared.pop(name, None)
            declared[name] = spec

    def contribute(self, spec: DjangoField, model: DjangoModel) -> DjangoField:
        """The field as added to one concrete model: names filled in, relation target resolved."""
        spec = replace(spec)
        if spec.kind in ("column", "unknown") and spec.column is None:
            spec.column = spec.db_column or spec.name
        if not spec.is_relation:
            return spec
        related_name = spec.related_name or model.meta.default_related_name
        if not model.abstract:  # an abstract model keeps the templates its subclasses fill in
            spec.related_name = _fill(related_name, model.name, model.model_name, model.app_label)
            spec.related_query_name = _fill(spec.related_query_name, model.name, model.model_name, model.app_label)
        spec.target = self.resolve_target(spec.options.get("to"), model)
        through = spec.options.get("through")
        if isinstance(through, (str, Ref)):
            spec.through = self.resolve_target(through, model)
        return spec

    def resolve_target(self, value: Value, model: DjangoModel) -> str | None:
        if isinstance(value, str):
            if value == "self":
                return model.qualname
            if value == "auth.User" or value.lower() == (self.auth_user_label or "").lower():
                return self.auth_user()
            app_label, _, name = value.rpartition(".")
            return self.model_by_label(app_label or model.app_label, name)
        site = self.sites.get(model.qualname)
        index = site.index if site is not None else self.index
        if isinstance(value, Ref):
            if index.canonical(value.path) == AUTH_USER_SETTING:
                return self.auth_user()
            found = self.lookup(index, value.path)
            if found is not None and found.qualname in self.models:
                return found.qualname
            return None
        if isinstance(value, CallValue) and index.canonical(value.callee) == GET_USER_MODEL:
            return self.auth_user()
        if isinstance(value, CallValue) and len(value.args) == 2 and all(isinstance(a, str) for a in value.args):
            # A swappable-model helper: ``swapper.get_model_name("wagtailcore", "Page")``.
            app_label, name = (str(a) for a in value.args)
            return self.model_by_label(app_label, name)
        return None

    def model_by_label(self, app_label: str, name: str) -> str | None:
        lowered = name.lower()
        matches = [m for m in self.models.values() if m.model_name == lowered]
        for candidate in matches:
            if candidate.app_label == app_label:
                return candidate.qualname
        project = [m for m in matches if not m.builtin]
        return project[0].qualname if len(project) == 1 else None

    def auth_user(self) -> str:
        """What ``settings.AUTH_USER_MODEL`` names: the setting (or parameter), else the project's one
        concrete ``AbstractBaseUser`` model, else Django's ``auth.User``."""
        if self.auth_user_label and self.auth_user_label != "auth.User":
            app_label, _, name = self.auth_user_label.rpartition(".")
            found = self.model_by_label(app_label, name)
            if found is not None:
                return found
        if not self.auth_user_label:
            users = [
                m
                for m in self.models.values()
                if not m.builtin and not m.abstract and not m.proxy and self._extends_user(self.sites[m.qualname])
            ]
            if len(users) == 1:
                return users[0].qualname
        return "django.contrib.auth.models.User"

    def _extends_user(self, site: _Class) -> bool:
        return any(a.qualname == "django.contrib.auth.models.AbstractBaseUser" for a in self.ancestors(site))

    def implicit_fields(self, model: DjangoModel, fields: list[DjangoField]) -> list[DjangoField]:
        """The parent link of multi-table inheritance, or the automatic ``id``, as Django adds them."""
        if model.abstract or model.proxy:
            return []
        implicit: list[DjangoField] = []
        for position, parent_name in enumerate(model.parents):
            parent = self.models[parent_name]
            explicit = [f for f in fields if f.kind == "o2o" and f.parent_link and f.target == parent_name]
            if explicit:
                if position == 0:
                    explicit[0].primary_key = explicit[0].unique = True
                continue
            name = f"{parent.model_name}_ptr"
            implicit.append(
                DjangoField(
                    name=name,
                    file=model.file,
                    span=model.span,
                    field_class="django.db.models.OneToOneField",
                    kind="o2o",
                    source=f"{name} = models.OneToOneField({parent.name}, on_delete=models.CASCADE, "
                    "parent_link=True, primary_key=True)  # added by Django",
                    column=f"{name}_id",
                    target=parent_name,
                    target_label=parent.name,
                    on_delete="CASCADE",
                    on_delete_code="CASCADE",
                    parent_link=True,
                    primary_key=position == 0,
                    unique=True,
                    db_index=True,
                    implicit=True,
                )
            )
        if not model.parents and not any(f.primary_key for f in fields):
            auto = _known_field(model.default_auto_field) or "django.db.models.BigAutoField"
            implicit.append(
                DjangoField(
                    name="id",
                    file=model.file,
                    span=model.span,
                    field_class=auto,
                    kind="column",
                    source=f"id = models.{_tail(auto)}(primary_key=True)  # added by Django",
                    column="id",
                    primary_key=True,
                    unique=True,
                    implicit=True,
                    verbose_name="ID",
                )
            )
        return implicit

    def managers_of(self, model: DjangoModel, site: _Class) -> list[DjangoManager]:
        managers: dict[str, DjangoManager] = {}
        chain = [*reversed(self.ancestors(site)), site]
        for owner in chain:
            for name, value in owner.cls.attributes.items():
                if not isinstance(value, CallValue):
                    continue
                manager = self.manager(owner, name, value)
                if manager is not None:
                    manager.inherited_from = owner.qualname if owner.qualname != site.qualname else None
                    managers[name] = manager
        if not managers and not model.abstract:
            managers["objects"] = DjangoManager(
                "objects", "default", "django.db.models.Manager", file=model.file, line=model.span.line, implicit=True
            )
        return list(managers.values())

    def manager(self, site: _Class, name: str, value: CallValue) -> DjangoManager | None:
        index = site.index
        line = site.cls.attribute_spans.get(name, site.cls.span).line
        found_manager = self._manager_kind(site, value)
        if found_manager is None:
            return None
        kind, manager_class, queryset = found_manager
        manager = DjangoManager(name, kind, manager_class, source=f"{name} = {value.code}", file=site.facts.path)
        manager.line = line
        manager_site = self.lookup(index, manager_class) if manager_class else None
        if manager_site is not None and manager_site.qualname == manager_class:
            manager.methods.extend(self._methods(manager_site))
        if queryset is not None:
            manager.queryset_class = queryset.qualname
            manager.methods.extend(m for m in self._methods(queryset) if m not in manager.methods)
        return manager

    def _manager_kind(self, site: _Class, value: CallValue) -> tuple[str, str | None, _Class | None] | None:
        """(kind, manager class, project QuerySet) of a class attribute's call, or None for a non-manager."""
        index = site.index
        callee = value.callee
        if callee.endswith(".as_manager"):
            queryset = self.lookup(index, callee.removesuffix(".as_manager"))
            return "as_manager", None, queryset
        if callee.endswith(".from_queryset()"):
            manager_path = callee.removesuffix(".from_queryset()")
            return "from_queryset", self._class_name(index, manager_path), self._inline_queryset(site, value.code)
        instance = index.instance_of(callee)
        if instance is not None and _tail(instance.call.callee) == "from_queryset":
            manager_path = instance.call.callee.removesuffix(".from_queryset")
            argument = instance.call.args[0] if instance.call.args else None
            queryset = self.lookup(index, argument.path) if isinstance(argument, Ref) else None
            return "from_queryset", self._class_name(index, manager_path), queryset
        found = self.lookup(index, callee)
        if found is not None:
            bases = found.index.class_canonical_bases(found.qualname)
            # A subscripted base (``models.Manager["Book"]``) is not in the extracted facts: go by the name.
            unread = not found.cls.bases and _tail(found.qualname).endswith("Manager")
            return ("custom", found.qualname, None) if unread or any(b in MANAGER_BASES for b in bases) else None
        canonical = index.canonical(callee)
        if canonical in MANAGER_BASES:
            return "default", canonical, None
        if canonical is None and _tail(callee).endswith("Manager"):
            return "unknown", callee, None
        return None

    def _class_name(self, index: ProjectIndex, path: str) -> str | None:
        found = self.lookup(index, path)
        return found.qualname if found is not None else index.canonical(path)

    def _inline_queryset(self, site: _Class, code: str) -> _Class | None:
        """The QuerySet in ``Manager.from_queryset(BookQuerySet)()`` (the call's inner argument is only
        in its source text): a name of the model's module or one it imports."""
        if "from_queryset(" not in code:
            return None
        inner = code.split("from_queryset(", 1)[1].split(")", 1)[0].strip()
        if not inner.replace(".", "").replace("_", "").isalnum():
            return None
        return self.lookup(site.index, f"{site.facts.module}.{inner}")

    def _methods(self, site: _Class) -> list[str]:
        if site.builtin:
            return list(site.cls.methods)
        return list(site.index.class_methods(site.qualname))

    def methods_of(self, model: DjangoModel, site: _Class) -> None:
        owners: dict[str, str] = {}
        for owner in [*reversed(self.ancestors(site)), site]:
            owners.update(dict.fromkeys(owner.cls.methods, owner.qualname))
        model.methods = list(owners)
        model.method_owners = owners
        properties: list[str] = []
        for owner in [*reversed(self.ancestors(site)), site]:
            prefix = owner.qualname + "."
            for call in owner.facts.calls:
                decorated = call.decorates or ""
                if decorated.startswith(prefix) and owner.index.canonical(call.callee) in PROPERTY_DECORATORS:
                    properties.append(decorated[len(prefix) :])
        model.properties = list(dict.fromkeys(properties))

    # ------------------------------------------------------------ join tables
    def link(self) -> None:
        """What needs every model built: join tables and their columns, and the concrete model behind
        a relation to a proxy."""
        for model in self.models.values():
            for spec in model.fields:
                if spec.target in self.models and self.models[spec.target].proxy:
                    concrete = self.models[spec.target].proxy_for
                    if concrete is not None:
                        spec.target = concrete
                if spec.kind != "m2m" or model.abstract:
                    continue
                target = self.models.get(spec.target or "")
                if spec.symmetrical is None:
                    spec.symmetrical = spec.target == model.qualname and spec.through is None
                through = self.models.get(spec.through or "")
                if through is not None:
                    spec.m2m_table = through.table_name
                    spec.m2m_columns = _through_columns(spec, model, through)
                    continue
                if spec.m2m_table is None:
                    spec.m2m_table = f"{model.table_name}_{spec.name}"
                source_name = model.model_name
                target_name = target.model_name if target is not None else (spec.target_label or "").lower()
                target_name = _tail(target_name)
                if source_name == target_name:
                    source_name, target_name = f"from_{source_name}", f"to_{target_name}"
                spec.m2m_columns = (f"{source_name}_id", f"{target_name}_id")


def _through_columns(spec: DjangoField, model: DjangoModel, through: DjangoModel) -> tuple[str, str] | None:
    """The FK columns of a through model: ``through_fields``, else its FKs to each side."""
    fks = [f for f in through.fields if f.kind in ("fk", "o2o")]
    if spec.through_fields and len(spec.through_fields) == 2:
        by_name = {f.name: f for f in fks}
        source, target = (by_name.get(n) for n in spec.through_fields)
        if source is not None and target is not None and source.column and target.column:
            return source.column, target.column
    to_source = [f for f in fks if f.target == model.qualname]
    to_target = [f for f in fks if f.target == spec.target]
    if spec.target == model.qualname and len(to_source) >= 2:
        return to_source[0].column or "", to_source[1].column or ""
    if to_source and to_target and to_source[0].column and to_target[0].column:
        return to_source[0].column, to_target[0].column
    return None


def _resolved(index: ProjectIndex, value: Value) -> Value:
    """A default's names made absolute: framework names canonical (``timezone.now`` →
    ``django.utils.timezone.now``), project names where they are defined, calls likewise."""
    if isinstance(value, Ref):
        return Ref(_absolute(index, value.path))
    if isinstance(value, CallValue):
        callee = _absolute(index, value.callee)
        return CallValue(
            callee,
            tuple(_resolved(index, a) for a in value.args),
            tuple((k, _resolved(index, v)) for k, v in value.kwargs),
            value.code,
        )
    return value


def _absolute(index: ProjectIndex, path: str) -> str:
    """A project name where it is defined (``Book.Format.DRAFT`` → ``catalog.models.Book.Format.DRAFT``),
    anything else by its canonical framework name.  Project names go first: the index takes a member of a
    class nested in a model for an attribute the model inherits from Django."""
    resolved = index.resolve_project(path)
    parts = resolved.split(".")
    if any(".".join(parts[:end]) in index.classes for end in range(len(parts), 0, -1)):
        return resolved
    return index.canonical(path) or resolved


def _known_field(canonical: str) -> str | None:
    """The public name of a Django field class, or None when it is not one."""
    tail = _tail(canonical)
    for prefix, fields in FIELD_MODULES:
        if canonical.startswith(prefix) and tail in fields:
            return prefix + tail
    if canonical.startswith("django.db.models.") and tail in MODEL_FIELDS:
        return "django.db.models." + tail
    return None


def _params(field_class: str) -> tuple[str, ...]:
    tail = _tail(field_class)
    for _, fields in FIELD_MODULES:
        if tail in fields:
            return fields[tail]
    return ("verbose_name", "name")


def _choices_kind(site: _Class) -> bool | None:
    """True for IntegerChoices, False for other Choices classes, None when not a choices class."""
    for base in site.index.class_canonical_bases(site.qualname):
        if base in CHOICES_BASES:
            return CHOICES_BASES[base]
    return None


def _literal_choices(value: Value) -> DjangoChoices:
    """``[("d", "Draft"), ...]``, grouped choices (``("Group", [(...)])``) or a dict."""
    choices = DjangoChoices()
    items: list[tuple[Value, Value]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, (list, tuple)):
        for entry in value:
            if isinstance(entry, (list, tuple)) and len(entry) == 2:
                items.append((entry[0], entry[1]))
            else:
                choices.complete = False
    else:
        choices.complete = False
    for stored, label in items:
        if isinstance(label, (list, tuple, dict)):  # a named group of choices
            inner = _literal_choices(label)
            choices.values.extend(inner.values)
            choices.complete = choices.complete and inner.complete
            continue
        if isinstance(stored, (str, int, float)) or stored is None:
            choices.values.append((stored, label if isinstance(label, str) else _code(label)))
        else:
            choices.complete = False
    stored_values = [v for v, _ in choices.values if v is not None]
    choices.integer = bool(stored_values) and all(isinstance(v, int) and not isinstance(v, bool) for v in stored_values)
    return choices


def _module_literals(index: ProjectIndex) -> dict[tuple[str, str], Value]:
    """Module-level literal assignments: (module, name) -> value (``+=`` extends lists)."""
    literals: dict[tuple[str, str], Value] = {}
    for facts in index.files:
        for assignment in facts.assignments:
            if isinstance(assignment.value, CallValue):
                continue
            module, _, name = assignment.target.rpartition(".")
            if module != facts.module:
                continue
            key = (module, name)
            previous = literals.get(key)
            if assignment.augmented and isinstance(previous, list) and isinstance(assignment.value, list):
                literals[key] = [*previous, *assignment.value]
            else:
                literals[key] = assignment.value
    return literals


# ---------------------------------------------------------------------------
# Relations


def _relations(schema: DjangoSchema) -> dict[str, dict[str, RelationInfo]]:
    by_qualname = {m.qualname: m for m in schema.all_models()}
    own: dict[str, dict[str, RelationInfo]] = {m.qualname: {} for m in schema.all_models()}
    for model in schema.all_models():
        if not model.concrete:
            continue
        for spec in model.fields:
            target = by_qualname.get(spec.target or "")
            if not spec.is_relation or target is None:
                continue
            forward_kind = spec.kind
            own[model.qualname][spec.name] = RelationInfo(
                target.name,
                forward_kind,
                spec.column if forward_kind != "m2m" else None,
                spec.name,
                spec.name,
                spec.m2m_table if forward_kind == "m2m" else None,
                target.qualname,
            )
            accessor = reverse_accessor(spec, model)
            if accessor is None:
                continue
            reverse_kind = {"fk": "reverse_fk", "o2o": "reverse_o2o", "m2m": "reverse_m2m"}[forward_kind]
            query_name = spec.related_query_name or spec.related_name or model.model_name
            own[target.qualname].setdefault(
                accessor,
                RelationInfo(
                    model.name,
                    reverse_kind,
                    spec.column if forward_kind != "m2m" else None,
                    query_name,
                    spec.name,
                    spec.m2m_table if forward_kind == "m2m" else None,
                    model.qualname,
                ),
            )

    def chain(model: DjangoModel, seen: frozenset[str]) -> dict[str, RelationInfo]:
        result: dict[str, RelationInfo] = {}
        parents = [model.proxy_for] if model.proxy else list(reversed(model.parents))
        for parent in parents:
            if parent in by_qualname and parent not in seen:
                inherited = chain(by_qualname[parent], seen | {parent})
                # The parent's accessor to this very child (``place.restaurant``) is no relation of the child.
                result.update(
                    {name: info for name, info in inherited.items() if info.target_qualname != model.qualname}
                )
        result.update(own.get(model.qualname, {}))
        return result

    return {m.qualname: chain(m, frozenset({m.qualname})) for m in schema.all_models() if not m.abstract}


def reverse_accessor(spec: DjangoField, model: DjangoModel) -> str | None:
    """The attribute Django adds to the target model for a relation field, or None when hidden
    (``related_name`` ending in ``+``, a symmetrical self many-to-many)."""
    if spec.related_name is not None and spec.related_name.endswith("+"):
        return None
    if spec.kind == "m2m" and spec.symmetrical and spec.target == model.qualname:
        return None
    if spec.related_name:
        return spec.related_name
    return model.model_name + ("" if spec.kind == "o2o" else "_set")


# ---------------------------------------------------------------------------
# Entry point


def discover_django_models(
    index: ProjectIndex,
    default_auto_field: str = DEFAULT_AUTO_FIELD,
    auth_user_model: str | None = None,
) -> DjangoSchema:
    """Every Django model of the project, with the Django models it points at.

    ``default_auto_field`` stands for ``settings.DEFAULT_AUTO_FIELD`` when the project's settings
    module does not set it (an app's ``AppConfig.default_auto_field`` wins over both, as in Django).
    ``auth_user_model`` (``"accounts.User"``) stands for ``settings.AUTH_USER_MODEL`` likewise; without
    either, the project's one concrete ``AbstractBaseUser`` subclass is the user model, else
    ``auth.User``."""
    finder = _Finder(index, default_auto_field, auth_user_model)
    finder.collect()
    ordered = sorted(finder.models.values(), key=lambda m: (m.abstract, m.proxy))
    for model in ordered:  # concrete models first: proxies take their table from them
        finder.build(model)
    finder.link()
    project = [m for m in finder.models.values() if not m.builtin]
    used = _used_builtins(project, finder.models)
    builtin = [finder.models[q] for q in BUILTIN_MODELS if q in used]
    user = finder.auth_user()
    uses_user = any(m.qualname == user for m in project) or any(f.target == user for m in project for f in m.fields)
    used_querysets = {q for m in project for q in m.querysets}
    return DjangoSchema(project, builtin, _querysets(index, used_querysets), user if uses_user else None)


def _used_builtins(project: list[DjangoModel], models: dict[str, DjangoModel]) -> set[str]:
    used: set[str] = set()
    pending = [f.target for m in project for f in m.fields if f.target and models.get(f.target, m).builtin]
    pending += [f.through for m in project for f in m.fields if f.through and models.get(f.through, m).builtin]
    pending += [q for m in project for q in [m.proxy_for, *m.parents] if q and q in models and models[q].builtin]
    while pending:
        qualname = pending.pop()
        if qualname is None or qualname in used or qualname not in models:
            continue
        used.add(qualname)
        pending.extend(f.target for f in models[qualname].fields if f.target)
    return used


def _querysets(index: ProjectIndex, used: set[str]) -> list[DjangoQuerySet]:
    """Project QuerySet subclasses, and the classes managers use as one (``models.QuerySet["Book"]``
    bases are not in the extracted facts)."""
    found: list[DjangoQuerySet] = []
    for qualname, (cls, facts) in index.classes.items():
        if qualname in used or QUERYSET in index.class_canonical_bases(qualname):
            methods = list(index.class_methods(qualname))
            found.append(DjangoQuerySet(qualname, _tail(qualname), facts.path, cls.span.line, methods))
    return found
