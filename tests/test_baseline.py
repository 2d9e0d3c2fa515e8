"""The migration ratchet and the CI gates, on a small Flask app that changes between scans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fwlint.baseline import BaselineError, apply_baseline, read_baseline, write_baseline
from fwlint.config import Settings
from fwlint.estimate import roll_up
from fwlint.gates import Gate, GateError, failures
from fwlint.report.model import Report

from .conftest import scan_dir

APP = """\
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/books")
def books():
    return jsonify(page=request.args.get("page", 1, type=int))


@app.route("/authors/<int:author_id>")
def author(author_id):
    return jsonify(id=author_id)
"""

NEW_ROUTE = """\


@app.route("/search")
def search():
    return jsonify(q=request.args.get("q", ""))
"""


def _project(tmp_path: Path, source: str) -> Path:
    (tmp_path / "app.py").write_text(source, encoding="utf-8")
    return tmp_path


def _baseline(tmp_path: Path) -> tuple[Path, Report]:
    root = _project(tmp_path, APP)
    report = scan_dir(root)
    path = tmp_path / "fwlint-baseline.json"
    assert write_baseline(report, root, path) == len(report.findings) > 0
    return path, report


def test_an_unchanged_tree_has_nothing_new(tmp_path: Path) -> None:
    path, first = _baseline(tmp_path)
    again = scan_dir(tmp_path)
    comparison = apply_baseline(again, tmp_path, path)
    assert (comparison.new, comparison.unchanged, comparison.fixed) == (0, len(first.findings), 0)
    assert again.findings == []


def test_lines_shifted_by_an_edit_above_are_not_new(tmp_path: Path) -> None:
    path, _ = _baseline(tmp_path)
    _project(tmp_path, '"""Book catalogue."""\n\n# (comment)\n' + APP)
    comparison = apply_baseline(scan_dir(tmp_path), tmp_path, path)
    assert (comparison.new, comparison.fixed) == (0, 0)


def test_a_new_route_is_reported_alone(tmp_path: Path) -> None:
    path, _ = _baseline(tmp_path)
    _project(tmp_path, APP + NEW_ROUTE)
    report = scan_dir(tmp_path)
    comparison = apply_baseline(report, tmp_path, path)
    assert comparison.new == len(report.findings) > 0
    assert {f.line for f in report.findings} == {16, 18}  # the route and its request.args
    roll_up(report, Settings().estimate)
    assert failures([Gate.parse("new")], report, has_baseline=True)


def test_removed_code_counts_as_progress(tmp_path: Path) -> None:
    path, _ = _baseline(tmp_path)
    _project(tmp_path, APP.split('\n\n@app.route("/authors')[0] + "\n")
    comparison = apply_baseline(scan_dir(tmp_path), tmp_path, path)
    assert comparison.new == 0 and comparison.fixed >= 2


def test_a_partial_scan_counts_progress_only_for_its_files(tmp_path: Path) -> None:
    path, _ = _baseline(tmp_path)
    (tmp_path / "other.py").write_text("x = 1\n", encoding="utf-8")
    report = scan_dir(tmp_path)
    comparison = apply_baseline(report, tmp_path, path, selected=lambda file: file == "other.py")
    assert comparison.fixed == 0


def test_a_file_that_is_not_a_baseline_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "baseline.json"
    bad.write_text('{"findings": []}', encoding="utf-8")
    with pytest.raises(BaselineError, match="not an fwlint baseline"):
        read_baseline(bad)
    with pytest.raises(BaselineError, match="cannot read"):
        read_baseline(tmp_path / "missing.json")


def test_gates(tmp_path: Path) -> None:
    report = scan_dir(_project(tmp_path, APP))
    points = sum(f.effort for f in report.findings)
    assert failures([Gate.parse(f"effort>{points}")], report, False) == []
    assert failures([Gate.parse(f"effort>{points - 1}")], report, False) == [
        f"--fail-on effort>{points - 1}: {points} effort points > {points - 1}"
    ]
    assert failures([Gate.parse("category:routing")], report, False)
    assert failures([Gate.parse("category:orm"), Gate.parse("blockers"), Gate.parse("unmapped")], report, False) == []
    assert failures([Gate.parse("rule:FD1")], report, False)
    assert failures([Gate.parse("any")], report, False)
    with pytest.raises(GateError, match="unknown --fail-on gate"):
        Gate.parse("effort>lots")
    with pytest.raises(GateError, match="unknown category"):
        Gate.parse("category:database")
    with pytest.raises(GateError, match="needs --baseline"):
        failures([Gate.parse("new")], report, False)


def test_the_ratchet_from_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from fwlint.cli import main

    (tmp_path / "project").mkdir()
    root = _project(tmp_path / "project", APP)
    baseline = tmp_path / "baseline.json"
    runner = CliRunner()
    written = runner.invoke(
        main, ["scan", str(root), "--no-cache", "--write-baseline", str(baseline), "--format", "json"]
    )
    assert written.exit_code == 0, written.output
    clean = runner.invoke(main, ["scan", str(root), "--no-cache", "--baseline", str(baseline), "--format", "json"])
    assert clean.exit_code == 0, clean.output
    _project(root, APP + NEW_ROUTE)
    dirty = runner.invoke(main, ["scan", str(root), "--no-cache", "--baseline", str(baseline), "--format", "json"])
    assert dirty.exit_code == 1
    assert "--fail-on new: 3 new findings" in dirty.stderr
    summary = json.loads(dirty.stdout)["summary"]
    assert summary["findings"] == 3 and summary["baseline"]["new"] == 3
    gated = runner.invoke(main, ["scan", str(root), "--no-cache", "--fail-on", "effort>100000"])
    assert gated.exit_code == 0
    bad = runner.invoke(main, ["scan", str(root), "--no-cache", "--fail-on", "sometimes"])
    assert bad.exit_code == 2 and "unknown --fail-on gate" in bad.stderr


def test_diff_reports_only_files_changed_since_a_ref(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from click.testing import CliRunner

    from fwlint.cli import main

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    root.mkdir()
    _project(root, APP)
    (root / "helpers.py").write_text("from flask import jsonify\n\n\ndef ok():\n    return jsonify(ok=True)\n")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=dev@example.com", "-c", "user.name=Dev", "add", ".")
    git("-c", "user.email=dev@example.com", "-c", "user.name=Dev", "-c", "commit.gpgsign=false", "commit", "-qm", "x")
    _project(root, APP + NEW_ROUTE)
    runner = CliRunner()
    result = runner.invoke(main, ["scan", str(root), "--no-cache", "--diff", "HEAD", "--format", "json"])
    assert result.exit_code == 0, result.output
    files = {f["file"] for f in json.loads(result.stdout)["findings"]}
    assert files == {"app.py"}  # helpers.py is unchanged, yet still part of the project
    bad = runner.invoke(main, ["scan", str(root), "--no-cache", "--diff", "no-such-ref"])
    assert bad.exit_code == 2 and "--diff no-such-ref" in bad.stderr


def test_written_files_are_ordinary_files_not_owner_only(tmp_path: Path) -> None:
    import os

    from click.testing import CliRunner

    from fwlint.cli import main

    root = _project(tmp_path, APP)
    mask = os.umask(0o022)
    try:
        result = CliRunner().invoke(
            main,
            [
                *("scan", str(root), "--no-cache", "--write-baseline", str(tmp_path / "b.json")),
                *("--format", "json", "-o", str(tmp_path / "r.json")),
            ],
        )
    finally:
        os.umask(mask)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "b.json").stat().st_mode & 0o777 == 0o644
