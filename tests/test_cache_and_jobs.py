"""The facts cache (content-addressed, salted) and parallel extraction."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import fwlint.engine
from fwlint.api import scan
from fwlint.config import Settings
from fwlint.report.model import Report

from .conftest import FIXTURES, scan_dir, validated_json

APP_FACTORY = """\
from flask import Flask, request

{imports}


def create_app():
    app = Flask(__name__)
{registrations}

    @app.route("/search")
    def search():
        return request.args.get("q", "")

    return app
"""

VIEWS = """\
from flask import Blueprint, jsonify, request

bp = Blueprint("section{i}", __name__, url_prefix="/section{i}")


@bp.route("/")
def index():
    page = request.args.get("page", 1, type=int)
    return jsonify(page=page)


@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
def item(item_id):
    if request.method == "POST":
        return jsonify(saved=request.form["name"])
    return jsonify(id=item_id)
"""

BROKEN = """\
from flask import Blueprint

bp = Blueprint("broken", __name__)


@bp.route("/broken")
def broken(:
    return "x"
"""


def make_project(root: Path, sections: int) -> list[str]:
    """A Flask package with ``sections`` blueprints, plus one file with a syntax error."""
    pkg = root / "shop"
    pkg.mkdir(parents=True, exist_ok=True)
    imports = "\n".join(f"from shop.views{i} import bp as bp{i}" for i in range(sections))
    registrations = "\n".join(f"    app.register_blueprint(bp{i})" for i in range(sections))
    (pkg / "__init__.py").write_text(APP_FACTORY.format(imports=imports, registrations=registrations))
    for i in range(sections):
        (pkg / f"views{i}.py").write_text(VIEWS.format(i=i))
    (pkg / "broken.py").write_text(BROKEN)
    return ["shop/__init__.py", *(f"shop/views{i}.py" for i in range(sections)), "shop/broken.py"]


def cached_scan(root: Path, cache_dir: Path, **overrides: Any) -> Report:
    settings = Settings(cache=True, cache_dir=str(cache_dir), jobs=1).with_overrides(**overrides)
    return scan(root, settings)


def comparable(report: Report) -> dict[str, Any]:
    data = validated_json(report)
    return {"findings": data["findings"], "routes": data["inventory"]["routes"], "errors": data["errors"]}


@pytest.fixture(autouse=True)
def _no_cache_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FWLINT_CACHE_DIR", raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    make_project(root, sections=3)
    return root


def test_first_scan_parses_every_relevant_file(project: Path, tmp_path: Path) -> None:
    report = cached_scan(project, tmp_path / "cache")
    assert report.stats["parsed"] == 5  # __init__, three views, broken
    assert report.stats["from_cache"] == 0


def test_second_scan_reads_every_parsed_file_from_cache(project: Path, tmp_path: Path) -> None:
    first = cached_scan(project, tmp_path / "cache")
    second = cached_scan(project, tmp_path / "cache")
    assert second.stats["parsed"] == 0
    assert second.stats["from_cache"] == first.stats["parsed"] == 5


def test_cached_scan_gives_identical_json(project: Path, tmp_path: Path) -> None:
    first = comparable(cached_scan(project, tmp_path / "cache"))
    second = comparable(cached_scan(project, tmp_path / "cache"))
    assert first == second
    assert len(first["routes"]) == 7
    assert [e["file"] for e in first["errors"]] == ["shop/broken.py"]


def test_cached_scan_matches_an_uncached_scan(project: Path, tmp_path: Path) -> None:
    cached_scan(project, tmp_path / "cache")
    assert comparable(cached_scan(project, tmp_path / "cache")) == comparable(scan_dir(project))


def test_changing_one_file_reparses_only_that_file(project: Path, tmp_path: Path) -> None:
    cached_scan(project, tmp_path / "cache")
    views = project / "shop" / "views1.py"
    views.write_text(views.read_text() + '\n\n@bp.route("/extra")\ndef extra():\n    return "extra"\n')
    report = cached_scan(project, tmp_path / "cache")
    assert report.stats["parsed"] == 1
    assert report.stats["from_cache"] == 4
    assert "/section1/extra" in {r.path for r in report.routes}


def test_no_cache_writes_nothing(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    report = scan(project, Settings(cache=False, cache_dir=str(cache_dir), jobs=1))
    assert report.stats["parsed"] == 5
    assert not cache_dir.exists()
    assert not (project / ".fwlint_cache").exists()


def test_no_cache_reads_nothing(project: Path, tmp_path: Path) -> None:
    cached_scan(project, tmp_path / "cache")
    report = scan(project, Settings(cache=False, cache_dir=str(tmp_path / "cache"), jobs=1))
    assert report.stats["from_cache"] == 0
    assert report.stats["parsed"] == 5


def test_cache_dir_is_marked_gitignored_and_tagged(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cached_scan(project, cache_dir)
    gitignore = (cache_dir / ".gitignore").read_text().splitlines()
    assert "*" in gitignore
    tag = (cache_dir / "CACHEDIR.TAG").read_text()
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")


def test_default_cache_dir_is_in_the_project_and_not_scanned(project: Path) -> None:
    first = scan(project, Settings(cache=True, jobs=1))
    cache_dir = project / ".fwlint_cache"
    assert (cache_dir / ".gitignore").is_file()
    second = scan(project, Settings(cache=True, jobs=1))
    assert second.stats["from_cache"] == 5
    assert second.files_scanned == first.files_scanned == 5


def test_cache_dir_from_environment(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FWLINT_CACHE_DIR", str(tmp_path / "env-cache"))
    scan(project, Settings(cache=True, jobs=1))
    assert (tmp_path / "env-cache" / "CACHEDIR.TAG").is_file()
    assert not (project / ".fwlint_cache").exists()


def test_different_cache_salt_reparses_everything(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached_scan(project, tmp_path / "cache")
    monkeypatch.setattr(fwlint.engine, "cache_salt", lambda *args, **kwargs: "fwlint-test-another-salt")
    report = cached_scan(project, tmp_path / "cache")
    assert report.stats["from_cache"] == 0
    assert report.stats["parsed"] == 5


def test_entries_under_an_old_salt_are_removed(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    cached_scan(project, cache_dir)
    monkeypatch.setattr(fwlint.engine, "cache_salt", lambda *args, **kwargs: "fwlint-test-another-salt")
    cached_scan(project, cache_dir)
    assert len(list(cache_dir.glob("facts-*"))) == 1


def test_salts_differing_only_after_sixteen_characters_do_not_share_entries(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fwlint.engine, "cache_salt", lambda *a, **k: "0.2.0.dev14+g1a2b3c4-aaaaaaaaaaaa")
    cached_scan(project, tmp_path / "cache")
    monkeypatch.setattr(fwlint.engine, "cache_salt", lambda *a, **k: "0.2.0.dev14+g1a2b3c4-bbbbbbbbbbbb")
    report = cached_scan(project, tmp_path / "cache")
    assert report.stats["from_cache"] == 0


def test_raising_max_file_size_reanalyses_a_file_cached_as_too_large(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    text = 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route("/")\ndef index():\n    return "hi"\n'
    (root / "app.py").write_text(text)
    size = len(text.encode())
    first = cached_scan(root, tmp_path / "cache", max_file_size=size - 1)
    assert [e.kind for e in first.errors] == ["too-large"]
    second = cached_scan(root, tmp_path / "cache", max_file_size=10 * size)
    assert second.errors == []
    assert [r.path for r in second.routes] == ["/"]


def test_damaged_cache_entry_is_a_miss_not_a_crash(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cached_scan(project, cache_dir)
    entries = [
        p
        for p in cache_dir.glob("facts-*/*/*")
        if p.is_file() and not p.name.startswith(".tmp-") and not p.name.endswith(".summary")
    ]
    assert len(entries) == 5
    for entry in entries:
        entry.write_bytes(b"\x80\x09damaged")  # "unsupported pickle protocol: 9"
    shutil.rmtree(cache_dir / "reports")  # else the unchanged tree's whole report is reused
    report = cached_scan(project, cache_dir)
    assert report.stats["parsed"] == 5


def test_truncated_cache_entry_is_a_miss(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cached_scan(project, cache_dir)
    entries = [p for p in cache_dir.glob("facts-*/*/*") if p.is_file()]
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:10])  # summaries too
    shutil.rmtree(cache_dir / "reports")
    report = cached_scan(project, cache_dir)
    assert report.stats["parsed"] == 5
    assert report.stats["from_cache"] == 0
    assert len(report.routes) == 7


def test_unchanged_tree_reuses_the_whole_report(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = cached_scan(project, cache_dir)
    second = cached_scan(project, cache_dir)
    assert second.stats.get("report_from_cache") == 1
    assert [f.to_json() for f in second.findings] == [f.to_json() for f in first.findings]
    views = next(project.rglob("views*.py"))
    views.write_text(views.read_text() + "\n# changed\n")
    third = cached_scan(project, cache_dir)
    assert "report_from_cache" not in third.stats and third.stats["parsed"] == 1


def test_report_reuse_depends_on_the_options(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cached_scan(project, cache_dir)
    ignoring = scan(project, Settings(cache_dir=str(cache_dir), jobs=1, ignore=("FD101",)))
    assert "report_from_cache" not in ignoring.stats
    assert not [f for f in ignoring.findings if f.rule == "FD101"]


def test_damaged_report_entry_is_a_miss(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = cached_scan(project, cache_dir)
    for entry in (cache_dir / "reports").iterdir():
        entry.write_bytes(b"not a pickle")
    again = cached_scan(project, cache_dir)
    assert "report_from_cache" not in again.stats
    assert len(again.findings) == len(first.findings)


# --- parallel extraction --------------------------------------------------------------------------


@pytest.fixture
def big_project(tmp_path: Path) -> Path:
    root = tmp_path / "big"
    files = make_project(root, sections=16)
    assert len(files) >= 15
    return root


def test_parallel_scan_gives_the_same_report_as_serial(big_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = scan_dir(big_project, jobs=1)
    calls: list[int] = []
    real = fwlint.engine._run_parallel

    def spy(items: Any, jobs: int, progress: Any) -> Any:
        calls.append(jobs)
        return real(items, jobs, progress)

    monkeypatch.setattr(fwlint.engine, "_run_parallel", spy)
    parallel = scan_dir(big_project, jobs=2)
    assert calls == [2], "jobs=2 with this many files must use the process pool"
    assert comparable(parallel) == comparable(serial)
    assert len(serial.routes) == 1 + 2 * 16
    assert parallel.stats["parsed"] == serial.stats["parsed"] == 18


def test_serial_scan_does_not_start_a_pool(big_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: Any) -> Any:
        raise AssertionError("jobs=1 must not start worker processes")

    monkeypatch.setattr(fwlint.engine, "_run_parallel", forbidden)
    assert len(scan_dir(big_project, jobs=1).routes) == 33


def test_parallel_scan_reports_per_file_errors_like_serial(big_project: Path) -> None:
    (big_project / "shop" / "legacy.py").write_bytes(b'from flask import Flask\nprint "hi"\n')
    (big_project / "shop" / "strings.py").write_bytes(b'from flask import Flask\nX = "caf\xe9"\n')
    serial = scan_dir(big_project, jobs=1)
    parallel = scan_dir(big_project, jobs=2)
    assert [(e.path, e.kind, e.line) for e in parallel.errors] == [(e.path, e.kind, e.line) for e in serial.errors]
    assert {e.path: e.kind for e in serial.errors} == {
        "shop/broken.py": "syntax-error",
        "shop/legacy.py": "python2",
        "shop/strings.py": "decode-error",
    }


def test_parallel_scan_fills_and_reads_the_cache(big_project: Path, tmp_path: Path) -> None:
    first = cached_scan(big_project, tmp_path / "cache", jobs=2)
    second = cached_scan(big_project, tmp_path / "cache", jobs=2)
    assert first.stats["parsed"] == 18
    assert second.stats["from_cache"] == 18
    assert comparable(first) == comparable(second)


def test_query_translations_and_the_catalog_are_kept_between_scans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scan of a few files after a full scan translates no query again and parses no TOML."""
    from fwlint.rules_engine import catalog as catalog_module
    from fwlint.translate import django_queries

    shop = FIXTURES / "flask_shop"
    cache_dir = tmp_path / "cache"
    full = cached_scan(shop, cache_dir)
    expected = {(q["file"], q["line"]): q["target"] for q in full.queries if q["file"] == "shop/api/views.py"}
    assert expected and all(expected.values())

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("translated again")

    monkeypatch.setattr(django_queries, "translate_query", refuse)
    monkeypatch.setattr(catalog_module, "load_catalog", refuse)
    monkeypatch.setattr("fwlint.api.load_catalog", refuse)
    partial = scan(shop, Settings(cache=True, cache_dir=str(cache_dir), jobs=1), only_files={"shop/api/views.py"})
    assert {(q["file"], q["line"]): q["target"] for q in partial.queries} == expected
