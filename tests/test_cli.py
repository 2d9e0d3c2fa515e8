"""The command line contract: streams, exit codes, formats, rule docs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

import fwlint.api
import fwlint.cli
from fwlint import __version__
from fwlint.cli import main
from fwlint.report import json_report
from fwlint.rules_engine.catalog import load_catalog

from .conftest import FIXTURES, SEARCH_APP

BROKEN = """\
from flask import Flask

def index(:
    return "x"
"""

# Variables that would force colour or a terminal on; the tests want a pipe.
PLAIN_ENV: dict[str, str | None] = {"FORCE_COLOR": None, "TTY_COMPATIBLE": None, "TTY_INTERACTIVE": None}


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env={**PLAIN_ENV, **(env or {})})


def cli_json(text: str) -> dict[str, Any]:
    """stdout parsed as JSON (it must be nothing else) and checked against the shipped schema."""
    data = json.loads(text)
    jsonschema.validate(data, json_report.schema())
    return data  # type: ignore[no-any-return]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "app.py").write_text(SEARCH_APP)
    return root


# --- scan: streams and output ------------------------------------------------------------------


def test_scan_json_stdout_is_pure_json_that_validates(project: Path) -> None:
    result = run("scan", str(project), "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    data = cli_json(result.stdout)
    assert data["project"]["source_framework"] == "flask"
    assert [(r["path"], r["file"]) for r in data["inventory"]["routes"]] == [("/search", "app.py")]
    assert result.stderr == ""


def test_scan_json_in_a_real_pipe_keeps_stdout_pure(project: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "fwlint", "scan", str(project), "--format", "json", "--no-cache"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert cli_json(completed.stdout)["project"]["files_scanned"] == 1


def test_scan_output_file_gets_the_report_and_stdout_stays_empty(project: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "reports"
    result = run("scan", str(project), "--format", "json", "--no-cache", "--output", str(out_dir / "fwlint.json"))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    data = cli_json((out_dir / "fwlint.json").read_text(encoding="utf-8"))
    assert data["summary"]["findings"] >= 1


def test_scan_output_leaves_no_temporary_files(project: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "reports"
    out_dir.mkdir()
    (out_dir / "fwlint.json").write_text("stale report")
    result = run("scan", str(project), "--format", "json", "--no-cache", "--output", str(out_dir / "fwlint.json"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out_dir.iterdir()) == ["fwlint.json"]
    cli_json((out_dir / "fwlint.json").read_text(encoding="utf-8"))


def test_failed_output_write_keeps_the_old_file_and_no_temporary(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out_dir = tmp_path / "reports"
    out_dir.mkdir()
    (out_dir / "fwlint.json").write_text("previous report")

    target = out_dir / "fwlint.json"
    real_replace = os.replace

    def failing_replace(src: Any, dst: Any) -> None:
        if Path(dst) == target:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(fwlint.cli.os, "replace", failing_replace)
    result = run("scan", str(project), "--format", "json", "--no-cache", "--output", str(target))
    assert result.exit_code != 0
    assert (out_dir / "fwlint.json").read_text() == "previous report"
    assert sorted(p.name for p in out_dir.iterdir()) == ["fwlint.json"]


def test_scan_text_output_file_is_plain_text(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    result = run("scan", str(project), "--no-cache", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "Flask → Django" in text
    assert "\x1b[" not in text


# --- scan: exit codes -----------------------------------------------------------------------------


def test_scan_exits_0_on_a_normal_scan(project: Path) -> None:
    result = run("scan", str(project), "--no-cache")
    assert result.exit_code == 0, result.output
    assert "Flask → Django" in result.stdout


def test_scan_exits_0_when_a_file_has_a_syntax_error(project: Path) -> None:
    (project / "broken.py").write_text(BROKEN)
    result = run("scan", str(project), "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    data = cli_json(result.stdout)
    assert [(e["file"], e["kind"], e["line"]) for e in data["errors"]] == [("broken.py", "syntax-error", 3)]
    assert data["project"]["files_with_errors"] == 1


def test_scan_exits_2_on_an_unknown_config_key(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.fwlint]\nexlude = ["legacy/"]\n')
    result = run("scan", str(project), "--no-cache")
    assert result.exit_code == 2
    assert "exlude" in result.stderr
    assert result.stdout == ""


def test_scan_exits_2_on_a_config_value_of_the_wrong_type(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.fwlint]\njobs = "four"\n')
    result = run("scan", str(project), "--no-cache", "--format", "json")
    assert result.exit_code == 2
    assert "jobs" in result.stderr
    assert result.stdout == ""


def test_scan_exits_2_when_from_and_to_are_the_same(project: Path) -> None:
    result = run("scan", str(project), "--from", "flask", "--to", "flask", "--no-cache")
    assert result.exit_code == 2
    assert "same framework" in result.stderr


def test_scan_exits_2_on_an_unknown_format(project: Path) -> None:
    result = run("scan", str(project), "--format", "yaml")
    assert result.exit_code == 2


def test_scan_exits_2_on_an_internal_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(fwlint.api, "scan", crash)
    result = run("scan", str(project), "--no-cache", "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""


# --- rules and schema ------------------------------------------------------------------------------


def test_rules_lists_fd101() -> None:
    result = run("rules", env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    rows = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    assert "FD101" in rows
    assert "FD000" in rows


def test_rules_fd101_explains_why_with_example_and_docs() -> None:
    rule = load_catalog().rules["FD101"]
    result = run("rules", "FD101", env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "Why" in lines
    assert any(line.startswith("Docs ") and rule.docs in line for line in lines)
    example = rule.examples[0]
    for snippet in (example.before, example.after):
        for code_line in filter(None, (line.strip() for line in snippet.splitlines())):
            assert code_line in lines
    assert rule.docs.startswith("https://docs.djangoproject.com/")


def test_rules_code_is_case_insensitive() -> None:
    assert run("rules", "fd101").stdout == run("rules", "FD101").stdout


def test_rules_unknown_code_exits_2() -> None:
    result = run("rules", "NOPE")
    assert result.exit_code == 2
    assert "NOPE" in result.stderr
    assert result.stdout == ""


def test_rules_json_is_a_list_with_fd101() -> None:
    result = run("rules", "--format", "json")
    assert result.exit_code == 0
    codes = [r["code"] for r in json.loads(result.stdout)]
    assert "FD101" in codes and codes == sorted(codes)


def test_schema_prints_the_shipped_json_schema() -> None:
    result = run("schema")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["$schema"].startswith("https://json-schema.org/")
    assert data == json_report.schema()
    jsonschema.Draft202012Validator.check_schema(data)


# --- text output when piped ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def shop_text() -> Result:
    return run("scan", str(FIXTURES / "flask_shop"), "--no-cache", "--routes", "all", env={"COLUMNS": "80"})


def test_text_output_when_piped_has_no_ansi_escapes(shop_text: Result) -> None:
    assert shop_text.exit_code == 0, shop_text.output
    assert "Routes (Flask rule → Django pattern)" in shop_text.stdout
    assert "\x1b[" not in shop_text.stdout


def test_text_output_fits_80_columns(shop_text: Result) -> None:
    too_wide = [line for line in shop_text.stdout.splitlines() if len(line) > 80]
    assert too_wide == []


def test_text_worklist_fits_80_columns_except_code_to_copy() -> None:
    result = run("scan", str(FIXTURES / "flask_shop"), "--no-cache", "--worklist", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "Worklist" in result.stdout
    lines = result.stdout.splitlines()
    assert [line for line in lines if len(line) > 80 and not line.startswith("      → ")] == []
    # Suggested code is printed whole, never broken across lines.
    assert '      → path("catalog/books/<int:book_id>", views.book_detail, name="book_detail")' in lines
    assert '      → register_converter(IsbnConverter, "isbn")' in lines


# --- entry points --------------------------------------------------------------------------------


def test_python_dash_m_fwlint_version() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "fwlint", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == f"fwlint, version {__version__}"


def test_version_option_in_process() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout
