"""The composite GitHub Action: its scan step, run as GitHub would, on the bundled shop."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT

yaml = pytest.importorskip("yaml")


def _scan_step() -> dict[str, object]:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = {step["name"]: step for step in action["runs"]["steps"]}
    assert "$GITHUB_ACTION_PATH" in steps["Install fwlint"]["run"]
    return steps["Scan"]  # type: ignore[no-any-return]


def _run(tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    step = _scan_step()
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        # The installed fwlint (the step before installs it from the action's checkout).
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_STEP_SUMMARY": str(summary),
        "FWLINT_PATH": str(FIXTURES / "flask_shop"),
        "FWLINT_BASELINE": inputs.get("baseline", ""),
        "FWLINT_FAIL_ON": inputs.get("fail_on", ""),
        "FWLINT_SARIF": str(tmp_path / "fwlint.sarif"),
    }
    script = str(step["run"])
    result = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    return result, summary


def test_the_scan_step_writes_the_job_summary_and_sarif(tmp_path: Path) -> None:
    result, summary = _run(tmp_path)
    assert result.returncode == 0, result.stderr
    text = summary.read_text(encoding="utf-8")
    assert "Flask → Django" in text and "### By category" in text
    sarif = json.loads((tmp_path / "fwlint.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]


def test_a_failing_gate_fails_the_step_but_still_writes_the_summary(tmp_path: Path) -> None:
    result, summary = _run(tmp_path, fail_on="blockers category:auth")
    assert result.returncode == 1
    assert "--fail-on blockers" in result.stderr
    assert summary.read_text(encoding="utf-8").strip()
