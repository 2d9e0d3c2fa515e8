"""``--format sarif``: SARIF 2.1.0, one run, for code-scanning UIs (GitHub, GitLab, IDEs).

- ``tool.driver.rules`` holds the full metadata of every rule with at least one finding, sorted
  by code; each result points at its rule by ``ruleId`` and ``ruleIndex``.
- Levels follow the kind: ``no-equivalent`` → ``error``, ``rewrite`` and ``unmapped`` →
  ``warning``, ``mechanical`` → ``note`` (a rule's ``defaultConfiguration`` uses its own kind).
- Locations are relative to the ``PROJECTROOT`` base URI (the scanned root); columns are
  1-based code points, end exclusive, as fwlint's own positions are.
- ``partialFingerprints["fwlintFingerprint/v1"]`` is :mod:`fwlint.report.fingerprint`'s.
- Files that could not be analysed become ``error`` notifications of the one invocation, which
  still succeeded (the contract: a per-file error is not a failed scan).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fwlint.report.fingerprint import fingerprints
from fwlint.report.model import Finding, Report
from fwlint.rules_engine.catalog import Catalog, Rule, load_catalog

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/fwlint/"
BASE_ID = "PROJECTROOT"
FINGERPRINT_KEY = "fwlintFingerprint/v1"
LEVELS = {"no-equivalent": "error", "rewrite": "warning", "unmapped": "warning", "mechanical": "note"}


def level(kind: str) -> str:
    return LEVELS.get(kind, "warning")


def root_uri(root: str) -> str:
    uri = Path(root).resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def relative_uri(path: str) -> str:
    """A report path (relative, ``/``-separated) as a relative URI reference."""
    return quote(path, safe="/")


def _rule_descriptor(code: str, rule: Rule | None, example: Finding) -> dict[str, Any]:
    if rule is None:  # a rule the catalog at hand does not know (a project's own rule file)
        return {
            "id": code,
            "name": code,
            "shortDescription": {"text": example.message},
            **({"helpUri": example.docs} if example.docs else {}),
            "defaultConfiguration": {"level": level(example.kind)},
            "properties": {"category": example.category, "effort": example.effort, "kind": example.kind},
        }
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": rule.why},
        "helpUri": rule.docs,
        "help": {"text": f"{rule.why}\n\nTarget: {rule.target}\nDocs: {rule.docs}"},
        "defaultConfiguration": {"level": level(rule.kind)},
        "properties": {
            "category": rule.category,
            "effort": rule.effort,
            "kind": rule.kind,
            "target": rule.target,
            "tags": [rule.category, rule.kind],
        },
    }


def _message(finding: Finding) -> str:
    suggestion = finding.suggestion.strip().splitlines()
    return f"{finding.message} → {suggestion[0]}" if suggestion else finding.message


def _location(
    path: str, start_line: int, start_column: int | None = None, end: tuple[int, int] | None = None
) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": max(1, start_line)}
    if start_column is not None:
        region["startColumn"] = max(1, start_column)
    if end is not None:
        region["endLine"] = max(region["startLine"], end[0])
        region["endColumn"] = max(1, end[1])
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": relative_uri(path), "uriBaseId": BASE_ID},
            "region": region,
        }
    }


def sarif_dict(report: Report, catalog: Catalog | None = None) -> dict[str, Any]:
    catalog = catalog if catalog is not None else load_catalog()
    prints = fingerprints(report, Path(report.root))
    first: dict[str, Finding] = {}
    for finding in report.findings:
        first.setdefault(finding.rule, finding)
    codes = sorted(first)
    rule_index = {code: index for index, code in enumerate(codes)}
    results = []
    for index, finding in enumerate(report.findings):
        results.append(
            {
                "ruleId": finding.rule,
                "ruleIndex": rule_index[finding.rule],
                "level": level(finding.kind),
                "message": {"text": _message(finding)},
                "locations": [
                    _location(finding.file, finding.line, finding.column, (finding.end_line, finding.end_column))
                ],
                "partialFingerprints": {FINGERPRINT_KEY: prints[index]},
                "properties": {
                    "effort": finding.effort,
                    "category": finding.category,
                    "kind": finding.kind,
                    "source_api": finding.source_api,
                    "target_api": finding.target_api,
                    "suggestion": finding.suggestion,
                },
            }
        )
    notifications = []
    for error in report.errors:
        notification: dict[str, Any] = {
            "level": "error",
            "message": {"text": f"{error.path}: {error.message}"},
            "descriptor": {"id": error.kind},
            "locations": [_location(error.path, error.line or 1)],
        }
        notifications.append(notification)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "fwlint",
                "version": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(code, catalog.rules.get(code), first[code]) for code in codes],
            }
        },
        "originalUriBaseIds": {BASE_ID: {"uri": root_uri(report.root)}},
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "source_framework": report.source_framework,
            "target_framework": report.target_framework,
            "files_scanned": report.files_scanned,
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render(report: Report, catalog: Catalog | None = None) -> str:
    """The SARIF log as JSON text. ``catalog`` defaults to the packaged rule catalog."""
    return json.dumps(sarif_dict(report, catalog), indent=2, ensure_ascii=False) + "\n"
