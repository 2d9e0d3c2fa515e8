"""The README's "In CI and in pre-commit" snippets, run or checked as a user would copy them.

Shell lines run as written (``fwlint`` is the installed command) in a git copy of the shop
fixture; the YAML snippets are checked against the hook and the Action they configure, and the
GitLab job's scan command runs too.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT

yaml = pytest.importorskip("yaml")


def _section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## In CI and in pre-commit", 1)[1].split("\n## ", 1)[0]


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", _section(), flags=re.S)


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=ci@example.com", "-c", "user.name=CI", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The shop fixture as a git repository whose ``origin/main`` is its first commit."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "shop"
    shutil.copytree(FIXTURES / "flask_shop", root)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "shop")
    remote = tmp_path / "remote.git"
    _git(tmp_path, "init", "-q", "--bare", str(remote))
    _git(root, "remote", "add", "origin", str(remote))
    _git(root, "push", "-q", "origin", "main")
    _git(root, "fetch", "-q", "origin")
    return root


def _run(line: str, root: Path) -> subprocess.CompletedProcess[str]:
    words = shlex.split(line.split("#", 1)[0])
    assert words[0] == "fwlint", line
    command = [sys.executable, "-m", "fwlint", *words[1:]]
    env = {**os.environ, "FWLINT_CACHE_DIR": str(root.parent / "cache")}
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_the_artifact_command_writes_every_format(project: Path) -> None:
    (line,) = [text.strip() for text in _blocks("sh")[0].splitlines() if text.strip()]
    result = _run(line, project)
    assert result.returncode == 0, result.stderr
    sarif = json.loads((project / "fwlint.sarif").read_text(encoding="utf-8"))
    report = json.loads((project / "fwlint.json").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == len(report["findings"]) > 0
    assert "fwlint-data" in (project / "fwlint.html").read_text(encoding="utf-8")


def test_the_ratchet_commands_as_written(project: Path) -> None:
    write, compare, diff = [text.strip() for text in _blocks("sh")[1].splitlines() if text.strip()]
    assert _run(write, project).returncode == 0
    assert (project / "fwlint-baseline.json").is_file()
    assert _run(compare, project).returncode == 0  # nothing new yet
    views = project / "shop" / "main" / "views.py"
    views.write_text(
        views.read_text(encoding="utf-8")
        + '\n\n@bp.route("/hello")\ndef hello():\n    return request.args.get("name", "")\n',
        encoding="utf-8",
    )
    new = _run(compare, project)
    assert new.returncode == 1 and "new finding" in new.stderr
    changed = _run(diff, project)  # views.py changed since origin/main; the shop has ORM code there
    assert changed.returncode in (0, 1), changed.stderr


def test_the_pre_commit_snippet_names_the_hook_this_repository_defines() -> None:
    config = yaml.safe_load(_blocks("yaml")[0])
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in config["repos"][0]["hooks"]] == [hooks[0]["id"]] == ["fwlint"]
    assert "--baseline fwlint-baseline.json" in hooks[0]["entry"]


def test_the_workflow_snippet_matches_the_action() -> None:
    steps = yaml.safe_load(_blocks("yaml")[1])
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    ours = next(step for step in steps if str(step.get("uses", "")).startswith("fwlint/"))
    assert set(ours.get("with", {})) <= set(action["inputs"])
    upload = next(step for step in steps if "upload-sarif" in str(step.get("uses", "")))
    assert upload["with"]["sarif_file"] == action["inputs"]["sarif"]["default"]


def test_the_gitlab_job_writes_code_quality_and_junit(project: Path) -> None:
    job = yaml.safe_load(_blocks("yaml")[2])["fwlint"]
    scans = [line for line in job["script"] if line.startswith("fwlint ")]
    assert len(scans) == 1 and _run(scans[0], project).returncode == 0
    reports = job["artifacts"]["reports"]
    quality = json.loads((project / reports["codequality"]).read_text(encoding="utf-8"))
    assert quality and {"description", "check_name", "fingerprint", "severity", "location"} <= set(quality[0])
    junit = ElementTree.parse(project / reports["junit"]).getroot()
    assert junit.tag == "testsuites" and int(junit.get("failures", "0")) == len(quality)
