"""The Django side of the project's models and forms, computed once per scan.

Findings at a column, relationship, model, table or form field look their
suggestion up here by (file, line); the report's ``inventory.models`` and
``inventory.forms`` are rendered from the same objects, so both always agree.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from fwlint.link.form_types import FieldSpec, FormSpec
from fwlint.link.index import ProjectIndex
from fwlint.link.orm_types import ColumnSpec, ModelSpec, OrmSchema, RelationshipSpec, TableSpec
from fwlint.link.sqlalchemy_models import OrmSites, discover_models
from fwlint.link.wtforms_forms import discover_forms
from fwlint.translate.django_forms import FormCode, FormFieldCode, django_form
from fwlint.translate.django_models import FieldCode, ModelCode, django_field, django_model, django_relationship

T = TypeVar("T")


@dataclass
class SiteTranslation:
    """What one declaration site becomes: Django code (may be empty when merged) and notes."""

    code: str
    notes: list[str]
    exact: bool


class Translated(Protocol):
    """Anything translated: a site, a whole model or form, one form field."""

    @property
    def code(self) -> str | None: ...
    @property
    def notes(self) -> list[str]: ...
    @property
    def exact(self) -> bool: ...


def translation_json(translated: Translated | None) -> dict[str, Any] | None:
    """The report's ``target`` object for a translation: {code, exact, notes}."""
    if translated is None:
        return None
    return {"code": translated.code, "exact": translated.exact, "notes": translated.notes}


@dataclass
class DataLayer:
    schema: OrmSchema = field(default_factory=OrmSchema)
    orm_sites: OrmSites = field(default_factory=OrmSites)
    forms: list[FormSpec] = field(default_factory=list)
    # Django code by model / form qualname, computed on first use: a scan of a few files asks
    # for the few models and forms those files touch.
    model_code: dict[str, ModelCode] = field(default_factory=dict)
    form_code: dict[str, FormCode] = field(default_factory=dict)
    # Form class line and field lines, keyed by (file, line).
    form_sites: dict[tuple[str, int], FormSpec] = field(default_factory=dict)
    form_field_sites: dict[tuple[str, int], tuple[FormSpec, FieldSpec]] = field(default_factory=dict)
    # Model names by qualname, for query sites.
    model_names: dict[str, str] = field(default_factory=dict)
    _relations: dict[tuple[str, str], str] | None = None

    @functools.cached_property
    def relations_digest(self) -> str:
        """What the relations between models depend on, without translating any model."""
        shape = [
            (
                m.name,
                m.table_name,
                [
                    (r.name, r.target, r.kwargs.get("back_populates"), repr(r.kwargs.get("backref")))
                    for r in m.relationships
                ],
                [(c.name, c.foreign_key.target, c.foreign_key.model) for c in m.columns if c.foreign_key is not None],
            )
            for m in self.schema.models
        ]
        return hashlib.blake2b(repr(shape).encode(), digest_size=16).hexdigest()

    @property
    def relations(self) -> dict[tuple[str, str], str]:
        """Django lookup names between models: (from model, to model) -> name, for query joins."""
        if self._relations is None:
            self._relations = _relations([self.model_code[m.qualname] for m in self.schema.models])
        return self._relations

    # ------------------------------------------------------------- lookups
    def model_at(self, file: str, line: int) -> SiteTranslation | None:
        model = self.orm_sites.models.get((file, line))
        if model is None:
            return None
        code = self.model_code[model.qualname]
        return SiteTranslation(code.code, code.notes, code.exact)

    def column_at(self, file: str, line: int) -> SiteTranslation | None:
        found = self.orm_sites.columns.get((file, line))
        if found is None:
            return None
        owner, column = found
        if isinstance(owner, TableSpec):
            return self._table_column(owner)
        return self.column_in(owner, column)

    def relationship_at(self, file: str, line: int) -> SiteTranslation | None:
        found = self.orm_sites.relationships.get((file, line))
        if found is None:
            return None
        model, relationship = found
        return self.relationship_in(model, relationship)

    def table_at(self, file: str, line: int) -> SiteTranslation | None:
        table = self.orm_sites.tables.get((file, line))
        return self._table_column(table) if table is not None else None

    def form_at(self, file: str, line: int) -> SiteTranslation | None:
        form = self.form_sites.get((file, line))
        if form is None:
            return None
        code = self.form_code[form.qualname]
        return SiteTranslation(code.code, code.notes, code.exact)

    def form_field_at(self, file: str, line: int) -> SiteTranslation | None:
        found = self.form_field_sites.get((file, line))
        if found is None:
            return None
        form, spec = found
        for translated in self.form_code[form.qualname].fields:
            if translated.name == spec.name:
                return _form_field(translated)
        return None

    def column_in(self, model: ModelSpec, column: ColumnSpec) -> SiteTranslation:
        return self._field(model, column, django_field(column, model, self.schema))

    def relationship_in(self, model: ModelSpec, relationship: RelationshipSpec) -> SiteTranslation:
        return self._field(model, relationship, django_relationship(relationship, model, self.schema))

    # ------------------------------------------------------------- helpers
    def _field(
        self, model: ModelSpec, member: ColumnSpec | RelationshipSpec, translated: FieldCode | None
    ) -> SiteTranslation:
        if translated is not None:
            return SiteTranslation(translated.code, translated.notes, translated.exact)
        # Merged into another field (``user_id`` + ``user``) or owned by the other side.
        for candidate in self.model_code[model.qualname].fields:
            if member.name in _source_names(candidate.source):
                return SiteTranslation(
                    candidate.code,
                    [f"`{member.name}` is part of `{candidate.name}`", *candidate.notes],
                    candidate.exact,
                )
        owner = self._reverse_owner(model, member)
        if owner is not None:
            return owner
        return SiteTranslation("", [f"`{model.name}.{member.name}` needs no field of its own in Django"], True)

    def _reverse_owner(self, model: ModelSpec, member: ColumnSpec | RelationshipSpec) -> SiteTranslation | None:
        """The field on the other model that declares this relationship's reverse side.

        ``back_populates`` names it; otherwise it is the field whose ``related_name`` is this
        relationship's name and that points back at this model (two models may both use
        ``related_name="appointments"``)."""
        if not isinstance(member, RelationshipSpec) or member.target is None:
            return None
        other = self.schema.model_named(member.target)
        if other is None:
            return None
        back = member.kwargs.get("back_populates")
        pointing_back = (f'"{model.name}"', '"self"') if other.name == model.name else (f'"{model.name}"',)
        candidates = self.model_code[other.qualname].fields
        ranked = [c for c in candidates if isinstance(back, str) and c.name == back]
        ranked += [
            c
            for c in candidates
            if f'related_name="{member.name}"' in c.code and any(target in c.code for target in pointing_back)
        ]
        for candidate in ranked:
            note = f"`{model.name}.{member.name}` is the reverse accessor of `{other.name}.{candidate.name}`"
            return SiteTranslation(candidate.code, [note, *candidate.notes], candidate.exact)
        return None

    def _table_column(self, table: TableSpec) -> SiteTranslation:
        for model in self.schema.models:
            for candidate in self.model_code[model.qualname].fields:
                if f'db_table="{table.table_name}"' in candidate.code or table.variable in _source_names(
                    candidate.source
                ):
                    note = f"the association table `{table.table_name}` becomes `{model.name}.{candidate.name}`"
                    return SiteTranslation(candidate.code, [note, *candidate.notes], candidate.exact)
        for model in self.schema.models:
            model_code = self.model_code[model.qualname]
            if f'db_table = "{table.table_name}"' in model_code.code:
                return SiteTranslation(model_code.code, model_code.notes, model_code.exact)
        return SiteTranslation("", [f"`{table.table_name}` is not used as `secondary=` by any model"], False)


RELATION_FIELD = re.compile(r'^(\w+) = models\.(?:ForeignKey|OneToOneField|ManyToManyField)\("(\w+)"')
RELATED_NAME = re.compile(r'related_name="(\w+)"')


def _relations(model_code: list[ModelCode]) -> dict[tuple[str, str], str]:
    """Forward names (the field) and reverse names (``related_name``, else the model's name)."""
    relations: dict[tuple[str, str], str] = {}
    for code in model_code:
        for candidate in code.fields:
            match = RELATION_FIELD.match(candidate.code)
            if match is None:
                continue
            target = code.name if match.group(2) == "self" else match.group(2)
            relations.setdefault((code.name, target), match.group(1))
            related = RELATED_NAME.search(candidate.code)
            relations.setdefault((target, code.name), related.group(1) if related else code.name.lower())
    return relations


class _Computed(dict[str, T]):
    """A dict whose missing entries are computed by ``make`` and kept."""

    def __init__(self, make: Callable[[str], T]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: str) -> T:
        value = self[key] = self.make(key)
        return value


def _source_names(source: str) -> set[str]:
    return {part.strip() for part in source.replace("+", ",").split(",")}


def _form_field(translated: FormFieldCode) -> SiteTranslation:
    return SiteTranslation(translated.code or "", translated.notes, translated.exact)


def build_data_layer(index: ProjectIndex) -> DataLayer:
    schema, sites = discover_models(index)
    layer = DataLayer(schema=schema, orm_sites=sites)
    models = {model.qualname: model for model in schema.models}
    layer.model_code = _Computed(lambda qualname: django_model(models[qualname], schema))
    layer.model_names = {model.qualname: model.name for model in schema.models}
    layer.forms = discover_forms(index)
    forms = {form.qualname: form for form in layer.forms}
    layer.form_code = _Computed(lambda qualname: django_form(forms[qualname], schema))
    for form in layer.forms:
        layer.form_sites[(form.file, form.span.line)] = form
        for spec in form.fields:
            if spec.inherited_from is None:
                layer.form_field_sites[(spec.file, spec.span.line)] = (form, spec)
                # Validators and widgets inside a field are part of its translation.
                layer.orm_sites.declarations.setdefault(spec.file, []).append(spec.span)
    return layer
