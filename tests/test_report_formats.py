"""SARIF, GitLab Code Quality and JUnit reports, and the CLI's repeated --format/--output."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jsonschema
import pytest
from click.testing import CliRunner, Result

from fwlint.cli import main
from fwlint.facts import FileError
from fwlint.report import gitlab, junit, sarif
from fwlint.report.fingerprint import fingerprint, fingerprints, normalise
from fwlint.report.model import Finding, Report
from fwlint.rules_engine.catalog import load_catalog

from .conftest import FIXTURES, SEARCH_APP, scan_dir

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
PLAIN_ENV: dict[str, str | None] = {"FORCE_COLOR": None, "TTY_COMPATIBLE": None, "TTY_INTERACTIVE": None}
TRICKY = "use <b> & \"quotes\" 'too' ]]> done"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=PLAIN_ENV)


def validated_sarif(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    assert SARIF_SCHEMA["$schema"].startswith("http://json-schema.org/draft-04/")
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(data)
    return data


@pytest.fixture(scope="module")
def clinic_report() -> Report:
    return scan_dir(FIXTURES / "flask_clinic")


@pytest.fixture(scope="module")
def library_report() -> Report:
    return scan_dir(FIXTURES / "django_library")


@pytest.fixture(params=["flask_shop", "flask_clinic", "django_library"])
def fixture_report(
    request: pytest.FixtureRequest, shop_report: Report, clinic_report: Report, library_report: Report
) -> Report:
    """Each fixture app: two Flask ones and the Django one (the other direction)."""
    return {"flask_shop": shop_report, "flask_clinic": clinic_report, "django_library": library_report}[request.param]


def tricky_report(tmp_path: Path) -> Report:
    """A small report with markup characters in messages and suggestions, and a file error."""
    (tmp_path / "app.py").write_text(SEARCH_APP)
    report = scan_dir(tmp_path)
    assert report.findings
    first = report.findings[0]
    first.message = TRICKY
    first.suggestion = "x < y && z > 'w'\nsecond line"
    report.errors.append(FileError("broken <1>.py", "syntax-error", 'bad "token" & <more>', 3))
    return report


# --- fingerprints --------------------------------------------------------------------------------


def test_fingerprint_ignores_whitespace_and_position_but_not_identity() -> None:
    finding = Finding("FD101", "routing", "a.py", 3, 1, 3, 5, "flask.Flask.route", "path", 1, "mechanical", "m", "s")
    moved = Finding("FD101", "routing", "a.py", 30, 9, 30, 13, "flask.Flask.route", "path", 1, "mechanical", "m", "s")
    base = fingerprint(finding, "@app.route('/')", 0)
    assert fingerprint(moved, "    @app.route('/')  ", 0) == base
    assert normalise("  a \t b\n") == "a b"
    assert fingerprint(finding, "@app.route('/')", 1) != base
    assert fingerprint(finding, "@app.route('/x')", 0) != base
    other_file = Finding("FD101", "routing", "b.py", 3, 1, 3, 5, "flask.Flask.route", "path", 1, "mechanical", "m", "s")
    assert fingerprint(other_file, "@app.route('/')", 0) != base


def test_fingerprints_are_unique_and_survive_a_line_shift(tmp_path: Path) -> None:
    project = tmp_path / "shop"
    shutil.copytree(FIXTURES / "flask_shop", project)
    before = scan_dir(project)
    prints = fingerprints(before, project)
    assert len(prints) == len(before.findings)
    assert len(set(prints.values())) == len(prints)

    counts: dict[str, int] = {}
    for finding in before.findings:
        counts[finding.file] = counts.get(finding.file, 0) + 1
    edited = max(counts, key=lambda f: counts[f])
    path = project / edited
    path.write_text("\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    after = scan_dir(project)

    def of_file(report: Report, marks: dict[int, str]) -> tuple[set[str], list[int]]:
        indices = [i for i, f in enumerate(report.findings) if f.file == edited]
        return {marks[i] for i in indices}, sorted(report.findings[i].line for i in indices)

    prints_before, lines_before = of_file(before, prints)
    prints_after, lines_after = of_file(after, fingerprints(after, project))
    assert lines_after == [line + 1 for line in lines_before]  # the lines did move
    assert prints_after == prints_before
    assert len(prints_before) == counts[edited] > 5


def test_unreadable_file_uses_empty_text(shop_report: Report, tmp_path: Path) -> None:
    prints = fingerprints(shop_report, tmp_path / "missing")
    assert len(set(prints.values())) == len(shop_report.findings)


# --- SARIF ---------------------------------------------------------------------------------------


def test_sarif_validates_and_has_one_result_per_finding(fixture_report: Report) -> None:
    data = validated_sarif(sarif.render(fixture_report))
    assert data["version"] == "2.1.0"
    (run_,) = data["runs"]
    results = run_["results"]
    assert len(results) == len(fixture_report.findings)
    rules = run_["tool"]["driver"]["rules"]
    for result, finding in zip(results, fixture_report.findings, strict=True):
        assert result["ruleId"] == finding.rule
        assert rules[result["ruleIndex"]]["id"] == finding.rule
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": quote(finding.file), "uriBaseId": "PROJECTROOT"}
        region = location["region"]
        assert (region["startLine"], region["startColumn"]) == (finding.line, finding.column)
        assert (region["endLine"], region["endColumn"]) == (finding.end_line, finding.end_column)
        assert result["message"]["text"].startswith(finding.message)
        assert result["level"] == sarif.LEVELS[finding.kind]
    root_uri = run_["originalUriBaseIds"]["PROJECTROOT"]["uri"]
    assert root_uri == Path(fixture_report.root).as_uri() + "/"
    prints = [r["partialFingerprints"]["fwlintFingerprint/v1"] for r in results]
    assert len(set(prints)) == len(prints)
    assert run_["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]


def test_sarif_rules_carry_the_catalog_metadata(shop_report: Report) -> None:
    catalog = load_catalog()
    run_ = json.loads(sarif.render(shop_report, catalog))["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "fwlint"
    assert driver["version"] == shop_report.tool_version
    used = sorted({f.rule for f in shop_report.findings})
    assert [r["id"] for r in driver["rules"]] == used
    assert "FD000" in used  # the unmapped finding points at its rule too
    expected_level = {"no-equivalent": "error", "rewrite": "warning", "mechanical": "note"}
    for descriptor in driver["rules"]:
        rule = catalog.rules[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["helpUri"] == rule.docs
        assert descriptor["shortDescription"]["text"] == rule.message
        assert descriptor["fullDescription"]["text"] == rule.why
        assert descriptor["defaultConfiguration"]["level"] == expected_level[rule.kind]
        assert descriptor["properties"]["category"] == rule.category
        assert descriptor["properties"]["effort"] == rule.effort
        assert descriptor["properties"]["target"] == rule.target
    levels = {r["level"] for r in run_["results"]}
    assert levels == {"error", "warning", "note"}
    unmapped = [r for r in run_["results"] if r["properties"]["kind"] == "unmapped"]
    assert unmapped and all(r["level"] == "warning" and r["ruleId"] == "FD000" for r in unmapped)


def test_sarif_message_adds_the_first_suggestion_line_and_errors_become_notifications(tmp_path: Path) -> None:
    report = tricky_report(tmp_path)
    data = validated_sarif(sarif.render(report))
    run_ = data["runs"][0]
    assert run_["results"][0]["message"]["text"] == f"{TRICKY} → x < y && z > 'w'"
    assert run_["results"][0]["properties"]["suggestion"] == "x < y && z > 'w'\nsecond line"
    (notification,) = run_["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert 'bad "token"' in notification["message"]["text"]
    location = notification["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "broken%20%3C1%3E.py"
    assert location["region"] == {"startLine": 3}
    assert run_["invocations"][0]["executionSuccessful"] is True


# --- GitLab Code Quality -------------------------------------------------------------------------


def test_gitlab_report_has_one_issue_per_finding(fixture_report: Report) -> None:
    issues = json.loads(gitlab.render(fixture_report))
    assert isinstance(issues, list)
    assert len(issues) == len(fixture_report.findings)
    prints = [issue["fingerprint"] for issue in issues]
    assert len(set(prints)) == len(prints)
    sarif_results = json.loads(sarif.render(fixture_report))["runs"][0]["results"]
    sarif_prints = [r["partialFingerprints"]["fwlintFingerprint/v1"] for r in sarif_results]
    assert prints == sarif_prints
    for issue, finding in zip(issues, fixture_report.findings, strict=True):
        assert issue["check_name"] == finding.rule
        assert issue["location"]["path"] == finding.file
        assert issue["location"]["lines"]["begin"] == finding.line
        assert finding.message in issue["description"]
        assert issue["categories"] == ["Compatibility"]
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")


def test_gitlab_severities_follow_kind_and_effort(shop_report: Report) -> None:
    issues = json.loads(gitlab.render(shop_report))
    seen = set()
    for issue, finding in zip(issues, shop_report.findings, strict=True):
        expected = {
            "mechanical": "info",
            "no-equivalent": "critical",
            "unmapped": "minor",
            "rewrite": "major" if finding.effort >= 5 else "minor",
        }[finding.kind]
        assert issue["severity"] == expected
        seen.add(expected)
    assert {"info", "minor", "critical"} <= seen


def test_gitlab_severity_mapping_directly() -> None:
    def make(kind: str, effort: int) -> Finding:
        return Finding("FD1", "orm", "a.py", 1, 1, 1, 2, "x", "y", effort, kind, "m", "")

    assert gitlab.severity(make("mechanical", 8)) == "info"
    assert gitlab.severity(make("rewrite", 3)) == "minor"
    assert gitlab.severity(make("rewrite", 5)) == "major"
    assert gitlab.severity(make("no-equivalent", 1)) == "critical"
    assert gitlab.severity(make("unmapped", 2)) == "minor"


# --- JUnit ---------------------------------------------------------------------------------------


def test_junit_counts_match_findings(fixture_report: Report) -> None:
    root = ET.fromstring(junit.render(fixture_report))
    assert root.tag == "testsuites"
    cases = root.findall("testsuite/testcase")
    failures = root.findall("testsuite/testcase/failure")
    assert len(cases) == len(failures) == len(fixture_report.findings)
    assert int(root.get("failures", "")) == len(fixture_report.findings)
    files = {f.file for f in fixture_report.findings}
    assert [s.get("name") for s in root.findall("testsuite")] == sorted(files)
    for suite in root.findall("testsuite"):
        assert int(suite.get("tests", "")) == len(suite.findall("testcase"))
    names = {(c.get("classname"), c.get("name")) for c in cases}
    first = fixture_report.findings[0]
    assert (first.file, f"{first.rule} {first.line}:{first.column}") in names
    assert {f.get("type") for f in failures} == {f.rule for f in fixture_report.findings}


def test_junit_special_characters_round_trip(tmp_path: Path) -> None:
    report = tricky_report(tmp_path)
    assert len(report.findings) > 1
    report.findings[-1].message = "nul\x00 esc\x1b"
    root = ET.fromstring(junit.render(report))
    failures = root.findall("testsuite/testcase/failure")
    assert failures[0].get("message") == TRICKY
    assert failures[-1].get("message") == "nul\ufffd esc\ufffd"
    assert "x < y && z > 'w'\nsecond line" in (failures[0].text or "")
    (error,) = root.findall("testsuite/testcase/error")
    assert error.get("message") == 'bad "token" & <more>'
    assert error.get("type") == "syntax-error"
    assert root.get("errors") == "1"
    suite_names = [s.get("name") for s in root.findall("testsuite")]
    assert "broken <1>.py" in suite_names


def test_junit_without_findings_has_one_passing_case(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text("print('hi')\n")
    report = scan_dir(tmp_path)
    assert not report.findings and not report.errors
    root = ET.fromstring(junit.render(report))
    (case,) = root.findall("testsuite/testcase")
    assert case.get("name") == "fwlint scan"
    assert list(case) == []
    assert root.get("failures") == "0"


# --- CLI -----------------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "app.py").write_text(SEARCH_APP)
    return root


def test_cli_repeated_formats_write_every_artifact_from_one_scan(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fwlint.api

    calls = []
    real_scan = fwlint.api.scan

    def counting_scan(*args: Any, **kwargs: Any) -> Report:
        calls.append(args)
        return real_scan(*args, **kwargs)

    monkeypatch.setattr(fwlint.api, "scan", counting_scan)
    out = tmp_path / "out"
    names = {"json": "r.json", "sarif": "r.sarif", "gitlab": "cq.json", "junit": "r.xml", "text": "r.txt"}
    args = ["scan", str(project), "--no-cache"]
    for fmt, name in names.items():
        args += ["--format", fmt, "-o", str(out / name)]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    assert result.stdout == ""
    assert json.loads((out / "r.json").read_text())["schema_version"] == 1
    validated_sarif((out / "r.sarif").read_text())
    assert json.loads((out / "cq.json").read_text())[0]["check_name"].startswith("FD")
    assert ET.parse(out / "r.xml").getroot().tag == "testsuites"
    assert "\x1b" not in (out / "r.txt").read_text()
    assert sorted(p.name for p in out.iterdir()) == sorted(names.values())  # no temporaries left


def test_cli_mismatched_format_and_output_counts_exit_2(project: Path, tmp_path: Path) -> None:
    result = run("scan", str(project), "--no-cache", "--format", "json", "--format", "sarif", "-o", str(tmp_path / "a"))
    assert result.exit_code == 2
    assert "2 --format and 1 --output" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "a").exists()


def test_cli_one_format_two_outputs_exit_2(project: Path, tmp_path: Path) -> None:
    result = run("scan", str(project), "--no-cache", "-o", str(tmp_path / "a"), "-o", str(tmp_path / "b"))
    assert result.exit_code == 2
    assert "--output" in result.stderr


def test_cli_same_output_twice_exits_2(project: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "a")
    result = run("scan", str(project), "--no-cache", "--format", "json", "-o", out, "--format", "sarif", "-o", out)
    assert result.exit_code == 2
    assert "twice" in result.stderr


@pytest.mark.parametrize("fmt", ["sarif", "gitlab"])
def test_cli_machine_format_to_stdout_is_pure_json(project: Path, fmt: str) -> None:
    result = run("scan", str(project), "--no-cache", "--format", fmt)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    if fmt == "sarif":
        validated_sarif(result.stdout)
        assert data["runs"][0]["results"]
    assert result.stderr == ""


def test_cli_junit_to_stdout_parses(project: Path) -> None:
    result = run("scan", str(project), "--no-cache", "--format", "junit")
    assert result.exit_code == 0, result.output
    assert ET.fromstring(result.stdout).findall("testsuite/testcase/failure")


def test_cli_markdown_goes_to_the_markdown_renderer(project: Path, tmp_path: Path) -> None:
    pytest.importorskip("fwlint.report.markdown")
    out = tmp_path / "report.md"
    result = run("scan", str(project), "--no-cache", "--format", "markdown", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "app.py" in out.read_text(encoding="utf-8")
