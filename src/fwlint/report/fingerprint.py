"""Stable identities for findings, shared by SARIF, GitLab Code Quality and (later) baselines.

A fingerprint must survive edits that do not touch the finding itself: inserting or deleting
lines above it shifts its line number, re-indenting its block changes its column. So neither
the line nor the column is hashed. What is hashed:

- the rule code and the file's relative path;
- the text of the finding's first source line, whitespace normalised (runs of whitespace become
  one space, ends stripped), so re-indentation does not matter;
- the source API the finding is about;
- the occurrence index: among the file's findings with the same rule and the same normalised
  line text, in file order (line, then column), the position of this one. Two identical lines
  calling the same API thus get different fingerprints, and each keeps its own as long as their
  relative order is unchanged.

Editing the finding's own line, or duplicating an identical line above it, changes the
fingerprint: that is the intended trade-off (the same one as SARIF's partial fingerprints).
Everything here is pure apart from ``fingerprints`` reading the scanned files.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from fwlint.report.model import Finding, Report

# Bump when the recipe changes: stored baselines then know their fingerprints are stale.
VERSION = 1
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def normalise(text: str) -> str:
    """``text`` with runs of whitespace collapsed to one space and both ends stripped."""
    return " ".join(text.split())


def fingerprint(finding: Finding, line_text: str, occurrence: int) -> str:
    """The fingerprint of ``finding`` whose first source line reads ``line_text``, the
    ``occurrence``-th (from 0) finding of its rule on a line with that text in its file."""
    parts = (finding.rule, finding.file, normalise(line_text), finding.source_api, str(occurrence))
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def read_lines(path: Path) -> list[str]:
    """A file's lines as Python numbers them (``\\n``, ``\\r\\n`` or ``\\r`` breaks); ``[]`` when
    it cannot be read. Undecodable bytes become U+FFFD, the same on every run."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    return _LINE_BREAK.split(data.decode("utf-8", errors="replace"))


def line_text(lines: list[str], line: int) -> str:
    """Line ``line`` (1-based) of ``lines``, or ``""`` when out of range."""
    return lines[line - 1] if 1 <= line <= len(lines) else ""


def fingerprints(report: Report, root: Path) -> dict[int, str]:
    """Finding index (in ``report.findings``) → fingerprint. Each file under ``root`` is read once."""
    by_file: dict[str, list[int]] = {}
    for index, finding in enumerate(report.findings):
        by_file.setdefault(finding.file, []).append(index)
    result: dict[int, str] = {}
    for file, indices in by_file.items():
        lines = read_lines(root / file)
        ordered = sorted(
            indices,
            key=lambda i: (report.findings[i].line, report.findings[i].column, report.findings[i].end_line, i),
        )
        seen: dict[tuple[str, str], int] = {}
        for index in ordered:
            finding = report.findings[index]
            text = line_text(lines, finding.line)
            key = (finding.rule, normalise(text))
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            result[index] = fingerprint(finding, text, occurrence)
    return result
