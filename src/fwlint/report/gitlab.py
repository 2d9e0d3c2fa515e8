"""``--format gitlab``: a GitLab Code Quality report (``artifacts:reports:codequality``).

A JSON array with one issue per finding, in the subset of the Code Climate issue format GitLab
reads: ``description``, ``check_name`` (the rule code), ``fingerprint`` (see
:mod:`fwlint.report.fingerprint`; GitLab uses it to tell new issues from old ones),
``severity`` and ``location`` {``path``, ``lines`` {``begin``}}; plus ``type`` and
``categories`` from the Code Climate spec (every finding is a ``Compatibility`` issue).

Severity by kind: ``mechanical`` → ``info``; ``rewrite`` → ``minor``, ``major`` from effort 5;
``no-equivalent`` → ``critical``; ``unmapped`` → ``minor``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fwlint.report.fingerprint import fingerprints
from fwlint.report.model import Finding, Report

MAJOR_EFFORT = 5


def severity(finding: Finding) -> str:
    if finding.kind == "mechanical":
        return "info"
    if finding.kind == "no-equivalent":
        return "critical"
    if finding.kind == "rewrite" and finding.effort >= MAJOR_EFFORT:
        return "major"
    return "minor"


def _description(finding: Finding) -> str:
    suggestion = finding.suggestion.strip().splitlines()
    text = f"{finding.rule} {finding.message}"
    return f"{text} → {suggestion[0]}" if suggestion else text


def issues(report: Report) -> list[dict[str, Any]]:
    prints = fingerprints(report, Path(report.root))
    return [
        {
            "type": "issue",
            "description": _description(finding),
            "check_name": finding.rule,
            "fingerprint": prints[index],
            "severity": severity(finding),
            "categories": ["Compatibility"],
            "location": {"path": finding.file, "lines": {"begin": finding.line, "end": finding.end_line}},
        }
        for index, finding in enumerate(report.findings)
    ]


def render(report: Report) -> str:
    return json.dumps(issues(report), indent=2, ensure_ascii=False) + "\n"
