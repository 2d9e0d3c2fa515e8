"""The pre-commit hook, end to end: ``pre-commit try-repo`` against this checkout.

``.pre-commit-hooks.yaml`` publishes the ``fwlint`` hook (the migration ratchet). These
tests install it the way a user's pre-commit would, into pre-commit's own virtualenv,
and run it in a throwaway git repository holding a small Flask app with a baseline:

* the committed app, unchanged, passes;
* a new view that uses ``request.args`` is new porting debt, so the hook fails and says so;
* a change to a module with no framework code passes.

``try-repo`` builds the hook from this checkout's HEAD plus its uncommitted changes, so it
tests the working tree. Installing the hook needs pip and the package index; the calls get
a generous timeout, and every assertion prints pre-commit's output when it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 600  # seconds: the first run pip-installs fwlint into a fresh virtualenv

APP_PY = textwrap.dedent(
    '''\
    """A small Flask app: two JSON views that read the query string."""

    from flask import Flask, jsonify, request

    app = Flask(__name__)


    @app.route("/items")
    def items():
        page = request.args.get("page", 1)
        return jsonify(page=page)


    @app.route("/users/<int:user_id>")
    def user(user_id):
        fields = request.args.get("fields")
        return jsonify(id=user_id, fields=fields)
    '''
)

NEW_VIEW = textwrap.dedent(
    """\


    @app.route("/search")
    def search():
        query = request.args.get("q", "")
        return jsonify(query=query)
    """
)

UTILS_PY = textwrap.dedent(
    '''\
    """Helpers with no framework code."""


    def clamp(value, low, high):
        return max(low, min(value, high))
    '''
)


def _find_pre_commit() -> str | None:
    beside = Path(sys.executable).parent / "pre-commit"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("pre-commit")


PRE_COMMIT = _find_pre_commit()
GIT = shutil.which("git")

pytestmark = [
    pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed"),
    pytest.mark.skipif(GIT is None, reason="git is not on PATH"),
]


def _clean_env(pre_commit_home: Path | None = None) -> dict[str, str]:
    """The environment without git or pre-commit state inherited from the caller.

    Running the suite from inside a git hook would otherwise point the demo
    repository's git commands at the outer repository.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    if pre_commit_home is not None:
        env["PRE_COMMIT_HOME"] = str(pre_commit_home)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def _git(repo: Path, *args: str) -> str:
    assert GIT is not None
    result = _run([GIT, *args], repo, _clean_env())
    assert result.returncode == 0, f"git {' '.join(args)} failed:\n{result.stdout}"
    return result.stdout


def _try_repo(repo: Path, home: Path, *files: str) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo <this checkout> fwlint --files FILES`` inside ``repo``."""
    assert PRE_COMMIT is not None
    return _run(
        [PRE_COMMIT, "try-repo", str(REPO_ROOT), "fwlint", "--files", *files],
        repo,
        _clean_env(home),
    )


def _report(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}, pre-commit output:\n{result.stdout}"


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One PRE_COMMIT_HOME for the module, so its runs share pre-commit's store."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def demo_repo(tmp_path: Path) -> Path:
    """A committed git repository: a Flask app, a helper module and a fwlint baseline."""
    repo = tmp_path / "demo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "tests@example.com")
    _git(repo, "config", "user.name", "fwlint tests")
    _git(repo, "config", "commit.gpgsign", "false")

    (repo / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "0.1.0"\n', encoding="utf-8")
    (repo / "app.py").write_text(APP_PY, encoding="utf-8")
    (repo / "utils.py").write_text(UTILS_PY, encoding="utf-8")
    (repo / ".gitignore").write_text(".fwlint_cache/\n", encoding="utf-8")

    scan = _run(
        [sys.executable, "-m", "fwlint", "scan", ".", "--write-baseline", "fwlint-baseline.json"],
        repo,
        _clean_env(),
    )
    assert scan.returncode == 0, f"writing the baseline failed:\n{scan.stdout}"
    baseline = repo / "fwlint-baseline.json"
    assert baseline.is_file(), scan.stdout
    assert "app.py" in baseline.read_text(encoding="utf-8"), "the baseline records nothing"

    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "demo app with a fwlint baseline")
    assert _git(repo, "status", "--porcelain") == ""
    return repo


def test_hook_passes_known_debt_and_fails_new_debt(demo_repo: Path, pre_commit_home: Path) -> None:
    # Everything in app.py is in the baseline: nothing new, the hook passes.
    clean = _try_repo(demo_repo, pre_commit_home, "app.py")
    assert clean.returncode == 0, _report(clean)
    assert "fwlint (migration ratchet)" in clean.stdout, _report(clean)
    assert "Passed" in clean.stdout, _report(clean)
    assert "Failed" not in clean.stdout, _report(clean)

    # A new view reading request.args is porting debt the baseline does not know.
    with (demo_repo / "app.py").open("a", encoding="utf-8") as fh:
        fh.write(NEW_VIEW)
    dirty = _try_repo(demo_repo, pre_commit_home, "app.py")
    assert dirty.returncode != 0, _report(dirty)
    assert "Failed" in dirty.stdout, _report(dirty)
    assert "- exit code: 1" in dirty.stdout, _report(dirty)  # findings, not a usage error
    assert "new finding" in dirty.stdout, _report(dirty)
    assert "/search" in dirty.stdout, _report(dirty)  # the report names the new route

    # The hook reads files and reports; it must not rewrite anything tracked.
    assert _git(demo_repo, "status", "--porcelain").split() == ["M", "app.py"]


def test_hook_passes_a_change_without_framework_code(demo_repo: Path, pre_commit_home: Path) -> None:
    utils = demo_repo / "utils.py"
    utils.write_text(
        UTILS_PY + "\n\ndef percent(part, whole):\n    return 100 * part / whole\n",
        encoding="utf-8",
    )
    app = demo_repo / "app.py"
    app.write_text(APP_PY.replace("A small Flask app", "A tiny Flask app"), encoding="utf-8")

    result = _try_repo(demo_repo, pre_commit_home, "utils.py")
    assert result.returncode == 0, _report(result)
    assert "Passed" in result.stdout, _report(result)

    # Rewording the framework module's docstring is no new debt either.
    result = _try_repo(demo_repo, pre_commit_home, "app.py", "utils.py")
    assert result.returncode == 0, _report(result)
    assert "Passed" in result.stdout, _report(result)
