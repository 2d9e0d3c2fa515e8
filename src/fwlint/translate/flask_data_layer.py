"""The Flask side of a Django project's data layer: SQLAlchemy models, WTForms forms and the
schema query translation needs, built once per scan and looked up by declaration site.

Discovery is cheap and runs eagerly (the mapper needs model names and managers for every file);
the SQLAlchemy and WTForms code is written on first use, so a scan of a few files writes only
what those files declare.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from fwlint.link.django_forms import DjangoForm, schema_model_fields
from fwlint.link.django_models import DjangoField, DjangoModel, DjangoSchema, discover_django_models
from fwlint.link.django_settings import DjangoSettings
from fwlint.link.index import ProjectIndex
from fwlint.translate.data_layer import SiteTranslation, translation_json
from fwlint.translate.sqlalchemy_models import ModelsTranslation, translate_schema
from fwlint.translate.wtforms_forms import FormsTranslation

if TYPE_CHECKING:
    from fwlint.translate.sqlalchemy_queries import QuerySchema

RELATION_KINDS = ("fk", "o2o", "m2m")
# Identifier length limits by database backend (``connection.ops.max_name_length()``): the names Django
# generates for tables, indexes and constraints are cut to them, so the models must be too.
MAX_NAME_LENGTHS = {"postgresql": 63, "postgis": 63, "mysql": 64, "oracle": 30, "sqlite3": None, "spatialite": None}
POSTGRESQL = 63


class FlaskDataLayer:
    def __init__(
        self,
        schema: DjangoSchema | None = None,
        forms: FormsTranslation | None = None,
        max_name_length: int | None = POSTGRESQL,
    ) -> None:
        self.schema = schema or DjangoSchema()
        self.forms = forms or FormsTranslation([])
        self.max_name_length = max_name_length
        # Model qualname → class name, for the query sites of every file.
        self.model_names = {m.qualname: m.name for m in self.schema.all_models()}
        self.managers: dict[str, set[str]] = {
            m.qualname: {manager.name for manager in m.managers} | {"objects"}
            for m in self.schema.models
            if not m.abstract
        }

    # ----------------------------------------------------------------- models
    @cached_property
    def models(self) -> ModelsTranslation:
        return translate_schema(self.schema, self.max_name_length)

    def model_at(self, file: str, line: int) -> SiteTranslation | None:
        return self.models.model_at(file, line)

    def field_at(self, file: str, line: int) -> SiteTranslation | None:
        return self.models.field_at(file, line)

    def form_at(self, file: str, line: int) -> SiteTranslation | None:
        return self.forms.form_at(file, line)

    def form_field_at(self, file: str, line: int) -> SiteTranslation | None:
        return self.forms.form_field_at(file, line)

    # ---------------------------------------------------------------- queries
    @cached_property
    def query_schema(self) -> QuerySchema:
        # Imported here: libcst, which the query translator needs, loads only for new queries.
        from fwlint.translate.sqlalchemy_queries import QuerySchema, RelationInfo

        relations: dict[str, dict[str, RelationInfo]] = {}
        for model_name, by_attribute in self.schema.relations().items():
            # Lookups use the query name (``book``), the SQLAlchemy model the accessor (``book_set``).
            relations[model_name] = {
                info.query_name: RelationInfo(
                    info.target,
                    info.kind,
                    info.column if info.kind in ("fk", "o2o") else None,
                    attribute if attribute != info.query_name else None,
                )
                for attribute, info in by_attribute.items()
            }
        fields: dict[str, frozenset[str]] = {}
        ordering: dict[str, tuple[str, ...]] = {}
        managers: dict[str, dict[str, str]] = {}
        nullable: dict[str, frozenset[str]] = {}
        primary_keys: dict[str, str] = {}
        for model in self.schema.all_models():
            if model.abstract or model.name in fields:
                continue
            fields[model.name] = frozenset(_attributes(model))
            if model.meta.ordering:
                ordering[model.name] = tuple(model.meta.ordering)
            custom = {m.name: (m.queryset_class or m.manager_class or "").rsplit(".", 1)[-1] for m in model.managers}
            managers[model.name] = {name: cls for name, cls in custom.items() if cls}
            nullable[model.name] = frozenset(f.name for f in model.fields if f.null)
            if model.pk is not None:
                primary_keys[model.name] = model.pk.name
        return QuerySchema(relations, fields, ordering, managers, nullable, primary_keys)

    @cached_property
    def schema_digest(self) -> str:
        """What query translations depend on: the models' fields, relations and orderings."""
        shape = sorted(
            (m.qualname, tuple(f.name for f in m.fields), tuple(m.meta.ordering or ()))
            for m in self.schema.all_models()
        )
        return hashlib.blake2b(repr((shape, sorted(self.schema.relations().items(), key=repr))).encode()).hexdigest()

    # -------------------------------------------------------------- inventory
    def model_entries(self, selected: Callable[[str], bool] = lambda path: True) -> list[dict[str, Any]]:
        entries = []
        for model in self.schema.models:
            if not selected(model.file):
                continue
            code = self.models.model_code.get(model.qualname)
            entries.append(
                {
                    "name": model.name,
                    "qualname": model.qualname,
                    "file": model.file,
                    "line": model.span.line,
                    "table": model.table_name or None,
                    "abstract": model.abstract,
                    "bases": model.bases,
                    "fields": [self._field_entry(model, f) for f in model.fields],
                    "relations": [
                        {
                            "name": f.name,
                            "model": _short(f.target),
                            "secondary": f.m2m_table if f.kind == "m2m" else None,
                        }
                        for f in model.fields
                        if f.kind in RELATION_KINDS
                    ],
                    "target": translation_json(code) or {"code": "", "exact": False, "notes": ["not translated"]},
                }
            )
        return entries

    def _field_entry(self, model: DjangoModel, spec: DjangoField) -> dict[str, Any]:
        return {
            "name": spec.name,
            "source": spec.source or f"{spec.name} = {spec.field_class.rsplit('.', 1)[-1]}()  # implicit",
            "kind": "relationship" if spec.kind in RELATION_KINDS else "column",
            "type": spec.field_class.rsplit(".", 1)[-1] + (f"({_short(spec.target)})" if spec.target else ""),
            "file": spec.file or model.file,
            "line": spec.span.line,
            "inherited_from": spec.inherited_from,
            "target": translation_json(self.models.field_code.get((model.qualname, spec.name))),
        }

    def form_entries(self, selected: Callable[[str], bool] = lambda path: True) -> list[dict[str, Any]]:
        entries = []
        for form in self.forms.forms:
            if not selected(form.file):
                continue
            translated = self.forms.translation(form)
            by_name = {f.name: f for f in translated.fields}
            entries.append(
                {
                    "name": form.name,
                    "qualname": form.qualname,
                    "file": form.file,
                    "line": form.span.line,
                    "base": form.base,
                    "fields": [_form_field_entry(form, spec.name, by_name) for spec in form.fields],
                    "field_validators": {name: method for name, method in form.field_cleaners.items()},
                    "model_form": translated.model_form,
                    "target": translation_json(translated),
                }
            )
        return entries


def _form_field_entry(form: DjangoForm, name: str, translated: dict[str, Any]) -> dict[str, Any]:
    spec = next(f for f in form.fields if f.name == name)
    field_code = translated.get(name)
    return {
        "name": name,
        "type": spec.short_class,
        "file": spec.file,
        "line": spec.span.line,
        "validators": [v.name for v in spec.validators],
        "inherited_from": spec.inherited_from,
        "target": translation_json(field_code),
    }


def _attributes(model: DjangoModel) -> list[str]:
    """The attribute names a model's fields become: a relation and, for FKs, its ``_id`` column."""
    names = []
    for spec in model.fields:
        names.append(spec.name)
        if spec.kind in ("fk", "o2o") and spec.column:
            names.append(spec.column)
    return names


def _short(qualname: str | None) -> str | None:
    return qualname.rsplit(".", 1)[-1] if qualname else None


def build_flask_data_layer(index: ProjectIndex, settings: DjangoSettings) -> FlaskDataLayer:
    """Models (with the default primary key type and user model the settings name) and forms, whose
    ModelForms take their model fields from the same models (Django's own ``User`` included)."""
    default_auto_field = settings.text("DEFAULT_AUTO_FIELD")
    options: dict[str, Any] = {"auth_user_model": settings.auth_user_model}
    if default_auto_field:
        options["default_auto_field"] = default_auto_field
    schema = discover_django_models(index, **options)
    forms = FormsTranslation.from_index(index, schema_model_fields(schema, index))
    return FlaskDataLayer(schema, forms, _max_name_length(settings))


def _max_name_length(settings: DjangoSettings) -> int | None:
    """The default database's identifier limit; PostgreSQL's when the engine is not written out."""
    databases = settings.values.get("DATABASES")
    default = databases.value.get("default") if databases is not None and isinstance(databases.value, dict) else None
    engine = default.get("ENGINE") if isinstance(default, dict) else None
    if isinstance(engine, str):
        return MAX_NAME_LENGTHS.get(engine.rsplit(".", 1)[-1], POSTGRESQL)
    return POSTGRESQL
