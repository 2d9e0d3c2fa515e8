"""The report's inventory of models, forms and auth sites, from the data layer and the findings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fwlint.facts import Value
from fwlint.link.orm_types import ColumnSpec, TypeSpec
from fwlint.report.model import Finding
from fwlint.translate.data_layer import DataLayer, translation_json
from fwlint.translate.values import code_of


def _type_text(spec: TypeSpec | None, column: ColumnSpec) -> str:
    if spec is None:
        return f"Mapped[{column.annotation}]" if column.annotation else "?"
    arguments = [code_of(a) for a in spec.args] + [f"{k}={code_of(v)}" for k, v in spec.kwargs.items()]
    return spec.name + (f"({', '.join(arguments)})" if arguments else "")


def model_entries(data: DataLayer, selected: Callable[[str], bool] = lambda path: True) -> list[dict[str, Any]]:
    entries = []
    for model in data.schema.models:
        if not selected(model.file):
            continue
        code = data.model_code[model.qualname]
        fields: list[dict[str, Any]] = []
        for column in model.columns:
            fields.append(
                {
                    "name": column.name,
                    "source": column.source,
                    "kind": "column",
                    "type": _type_text(column.type, column),
                    "file": column.file,
                    "line": column.span.line,
                    "inherited_from": column.inherited_from,
                    "target": translation_json(data.column_in(model, column)),
                }
            )
        for relationship in model.relationships:
            fields.append(
                {
                    "name": relationship.name,
                    "source": relationship.source,
                    "kind": "relationship",
                    "type": f"relationship({relationship.target or '?'})",
                    "file": relationship.file,
                    "line": relationship.span.line,
                    "inherited_from": relationship.inherited_from,
                    "target": translation_json(data.relationship_in(model, relationship)),
                }
            )
        entries.append(
            {
                "name": model.name,
                "qualname": model.qualname,
                "file": model.file,
                "line": model.span.line,
                "table": model.table_name,
                "abstract": model.abstract,
                "bases": model.bases,
                "fields": fields,
                "relations": [
                    {
                        "name": r.name,
                        "model": r.target,
                        "secondary": r.secondary.table_name if r.secondary is not None else None,
                        "back_populates": _text(r.kwargs.get("back_populates")),
                        "backref": _text(r.kwargs.get("backref")),
                    }
                    for r in model.relationships
                ],
                "target": translation_json(code),
            }
        )
    return entries


def _text(value: Value | None) -> str | None:
    """A relationship keyword as text: ``"orders"``, or the code of ``backref("orders", ...)``."""
    if value is None:
        return None
    return value if isinstance(value, str) else code_of(value)


def form_entries(data: DataLayer, selected: Callable[[str], bool] = lambda path: True) -> list[dict[str, Any]]:
    entries = []
    for form in data.forms:
        if not selected(form.file):
            continue
        code = data.form_code[form.qualname]
        translated = {f.name: f for f in code.fields}
        fields = []
        for spec in form.fields:
            field_code = translated.get(spec.name)
            fields.append(
                {
                    "name": spec.name,
                    "type": spec.field_type,
                    "file": spec.file,
                    "line": spec.span.line,
                    "validators": [v.name for v in spec.validators],
                    "inherited_from": spec.inherited_from,
                    "target": translation_json(field_code),
                }
            )
        entries.append(
            {
                "name": form.name,
                "qualname": form.qualname,
                "file": form.file,
                "line": form.span.line,
                "base": form.base,
                "fields": fields,
                "field_validators": form.field_validators,
                "model_form": code.model_form,
                "target": translation_json(code),
            }
        )
    return entries


# Packages whose every use is an auth site, whatever category its rule files it under
# (``UserAdmin`` is an admin class, and the admin rules count it as an extension).
AUTH_PACKAGES = ("django.contrib.auth.", "rest_framework.permissions.", "rest_framework.authentication.")


def auth_entries(findings: list[Finding]) -> list[dict[str, Any]]:
    return [
        {
            "file": f.file,
            "line": f.line,
            "column": f.column,
            "rule": f.rule,
            "source_api": f.source_api,
            "target_api": f.target_api,
            "suggestion": f.suggestion,
        }
        for f in findings
        if f.category == "auth" or f.source_api.startswith(AUTH_PACKAGES)
    ]
