"""``--format junit``: JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure).

Layout (one choice among the dialects CI tools accept):

- a ``<testsuites name="fwlint">`` root with the totals;
- one ``<testsuite>`` per file with findings or errors, named by the file's relative path, in
  path order;
- one ``<testcase classname=FILE name="RULE line:col">`` per finding, holding a
  ``<failure message=MESSAGE type=RULE>`` whose text is the suggestion, target and docs;
- a file that could not be analysed is a ``<testcase name="analysis">`` with an ``<error>``;
- with no findings and no errors, one suite with a passing ``<testcase name="fwlint scan">``.

ElementTree escapes markup; characters XML 1.0 cannot hold at all are replaced by U+FFFD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from fwlint.facts import FileError
from fwlint.report.model import Finding, Report

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (escaping cannot represent them)."""
    return _NOT_XML.sub("\ufffd", text)


def _failure_text(finding: Finding) -> str:
    lines = [f"{finding.file}:{finding.line}:{finding.column}: {finding.message}"]
    if finding.suggestion:
        lines += ["", "Suggestion:", finding.suggestion]
    if finding.target_api:
        lines += ["", f"Target: {finding.target_api}"]
    lines += [f"Kind: {finding.kind}, effort {finding.effort}, category {finding.category}"]
    if finding.docs:
        lines.append(f"Docs: {finding.docs}")
    return "\n".join(lines)


def _finding_case(suite: ET.Element, finding: Finding) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        {"classname": clean(finding.file), "name": f"{finding.rule} {finding.line}:{finding.column}"},
    )
    failure = ET.SubElement(case, "failure", {"message": clean(finding.message), "type": finding.rule})
    failure.text = clean(_failure_text(finding))


def _error_case(suite: ET.Element, error: FileError) -> None:
    case = ET.SubElement(suite, "testcase", {"classname": clean(error.path), "name": "analysis"})
    element = ET.SubElement(case, "error", {"message": clean(error.message), "type": error.kind})
    where = f"{error.path}:{error.line}" if error.line else error.path
    element.text = clean(f"{where}: {error.message}")


def tree(report: Report) -> ET.Element:
    findings: dict[str, list[Finding]] = {}
    for finding in report.findings:
        findings.setdefault(finding.file, []).append(finding)
    errors: dict[str, list[FileError]] = {}
    for error in report.errors:
        errors.setdefault(error.path, []).append(error)
    root = ET.Element("testsuites", {"name": "fwlint"})
    for path in sorted(set(findings) | set(errors)):
        mine = sorted(findings.get(path, []), key=lambda f: (f.line, f.column, f.rule))
        broken = errors.get(path, [])
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": clean(path),
                "tests": str(len(mine) + len(broken)),
                "failures": str(len(mine)),
                "errors": str(len(broken)),
                "skipped": "0",
            },
        )
        for error in broken:
            _error_case(suite, error)
        for finding in mine:
            _finding_case(suite, finding)
    if len(root) == 0:
        suite = ET.SubElement(
            root, "testsuite", {"name": "fwlint", "tests": "1", "failures": "0", "errors": "0", "skipped": "0"}
        )
        ET.SubElement(suite, "testcase", {"classname": "fwlint", "name": "fwlint scan"})
    failures, errors_count = len(report.findings), len(report.errors)
    root.set("tests", str(max(1, failures + errors_count)))
    root.set("failures", str(failures))
    root.set("errors", str(errors_count))
    return root


def render(report: Report) -> str:
    root = tree(report)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
