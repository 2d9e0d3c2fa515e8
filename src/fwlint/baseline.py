"""The migration ratchet: record today's findings, then report only what is new.

``fwlint scan . --write-baseline fwlint-baseline.json`` stores one fingerprint per finding
(see :mod:`fwlint.report.fingerprint`: rule, file, the finding's line text, its API, robust to
line shifts). ``fwlint scan . --baseline fwlint-baseline.json`` keeps only the findings whose
fingerprint is not in the file, and counts the recorded ones that are gone as progress.
A scan of a few files (pre-commit) compares only those files' entries.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fwlint.output import write_atomically
from fwlint.report.fingerprint import VERSION, fingerprints
from fwlint.report.model import Report

FORMAT = "fwlint-baseline"


class BaselineError(Exception):
    """A baseline file that cannot be read or is not one (a usage error: exit 2)."""


@dataclass
class BaselineComparison:
    path: str
    new: int
    unchanged: int
    fixed: int

    def to_json(self) -> dict[str, Any]:
        return {"file": self.path, "new": self.new, "unchanged": self.unchanged, "fixed": self.fixed}


def baseline_dict(report: Report, root: Path) -> dict[str, Any]:
    prints = fingerprints(report, root)
    entries = {
        prints[i]: {"rule": f.rule, "file": f.file, "line": f.line, "source_api": f.source_api}
        for i, f in enumerate(report.findings)
    }
    return {
        "format": FORMAT,
        "fingerprint_version": VERSION,
        "tool_version": report.tool_version,
        "findings": len(entries),
        "entries": dict(sorted(entries.items(), key=lambda kv: (kv[1]["file"], kv[1]["line"], kv[0]))),
    }


def write_baseline(report: Report, root: Path, path: Path) -> int:
    """Write the baseline atomically; returns the number of recorded findings."""
    data = baseline_dict(report, root)
    write_atomically(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return int(data["findings"])


def read_baseline(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("entries"), dict):
        raise BaselineError(f"{path} is not an fwlint baseline (write one with --write-baseline)")
    if data.get("fingerprint_version") != VERSION:
        raise BaselineError(
            f"{path} was written with fingerprint version {data.get('fingerprint_version')}; "
            f"this fwlint uses {VERSION}: write it again with --write-baseline"
        )
    return data["entries"]  # type: ignore[no-any-return]


def apply_baseline(
    report: Report, root: Path, path: Path, selected: Callable[[str], bool] = lambda file: True
) -> BaselineComparison:
    """Keep only the findings the baseline does not know; count the known ones that are gone."""
    entries = read_baseline(path)
    prints = fingerprints(report, root)
    current = {prints[i] for i in range(len(report.findings))}
    new = [f for i, f in enumerate(report.findings) if prints[i] not in entries]
    fixed = sum(1 for fp, entry in entries.items() if selected(str(entry.get("file", ""))) and fp not in current)
    comparison = BaselineComparison(str(path), len(new), len(report.findings) - len(new), fixed)
    report.findings = new
    return comparison
