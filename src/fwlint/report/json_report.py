"""``--format json``: the machine contract (schema_version 1, see schema.json)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from fwlint.report.model import Report

SCHEMA_VERSION = 1


def report_dict(report: Report) -> dict[str, Any]:
    estimate = report.estimate
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "fwlint", "version": report.tool_version},
        "project": {
            "root": report.root,
            "source_framework": report.source_framework,
            "target_framework": report.target_framework,
            "detected": report.detected,
            "files_scanned": report.files_scanned,
            "files_with_errors": report.files_with_errors,
        },
        "summary": {
            "findings": len(report.findings),
            "effort_points": estimate.effort_points if estimate else 0,
            "estimate": {
                "low_days": estimate.low_days if estimate else 0.0,
                "high_days": estimate.high_days if estimate else 0.0,
                "formula": estimate.formula if estimate else "",
            },
            "mechanical_share": estimate.mechanical_share if estimate else 0.0,
            "coverage": {"mapped": report.coverage_mapped, "unmapped": report.coverage_unmapped},
            "unmapped_apis": report.unmapped_apis,
            "blockers": len(report.blockers),
            "by_category": {k: v.to_json() for k, v in sorted(report.by_category.items())},
            "by_file": {k: v.to_json() for k, v in sorted(report.by_file.items())},
            "by_unit": {k: v.to_json() for k, v in sorted(report.by_unit.items())},
            **({"baseline": report.baseline} if report.baseline is not None else {}),
        },
        "inventory": {
            "routes": [r.to_json() for r in report.routes],
            "models": report.models,
            "forms": report.forms,
            "auth": report.auth,
            "queries": report.queries,
            "templates": report.templates,
            **({"project_structure": report.project_structure} if report.project_structure is not None else {}),
        },
        "findings": [f.to_json() for f in report.findings],
        "errors": [{"file": e.path, "kind": e.kind, "message": e.message, "line": e.line} for e in report.errors],
    }


def render(report: Report, indent: int | None = None) -> str:
    """Compact by default: the C encoder only runs without ``indent``, and reports can be large
    (pipe through ``jq`` to read them)."""
    return json.dumps(report_dict(report), indent=indent, ensure_ascii=False) + "\n"


def schema() -> dict[str, Any]:
    text = resources.files("fwlint.report").joinpath("schema.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]
