"""Bad input is one per-file error in the report; everything else is still analysed."""

from __future__ import annotations

import builtins
import importlib.util
import marshal
import os
from pathlib import Path
from typing import Any

import pytest

from fwlint.facts import FileError
from fwlint.report.model import Report

from .conftest import SEARCH_APP, scan_dir, scan_source, validated_json


def assert_app_fully_analysed(report: Report) -> None:
    """The valid app.py next to the bad file: its route, its findings, no error."""
    assert [(r.path, r.file, r.handler) for r in report.routes if r.file == "app.py"] == [
        ("/search", "app.py", "app.search")
    ]
    rules = {(f.rule, f.line) for f in report.findings if f.file == "app.py"}
    assert ("FD101", 6) in rules
    assert "app.py" not in {e.path for e in report.errors}


def only_error(report: Report) -> FileError:
    assert len(report.errors) == 1, report.errors
    return report.errors[0]


def scan_with(tmp_path: Path, name: str, content: bytes, **overrides: Any) -> Report:
    (tmp_path / "app.py").write_text(SEARCH_APP, encoding="utf-8")
    (tmp_path / name).write_bytes(content)
    return scan_dir(tmp_path, **overrides)


SYNTAX_ERROR = b"""\
from flask import Blueprint

bp = Blueprint("admin", __name__)


@bp.route("/admin")
def dashboard(:
    return "admin"
"""
PY2_PRINT = b"""\
from flask import Flask

print "starting the legacy app"
"""
PY2_EXCEPT = b"""\
from flask import Flask

try:
    import simplejson as json
except ImportError, e:
    import json
"""
NOT_UTF8 = b'from flask import Flask\n\nGREETING = "Bienvenue au caf\xe9"\n'
LATIN1_WITH_COOKIE = b"""\
# -*- coding: latin-1 -*-
from flask import Flask, request

cafe = Flask(__name__)


@cafe.route("/caf\xe9")
def menu():
    return request.args.get("dish", "cr\xeape")
"""


def compiled_module() -> bytes:
    """A .pyc renamed to .py: NUL bytes, and the names it imports (so it looks relevant)."""
    code = compile(SEARCH_APP, "app.py", "exec")
    return importlib.util.MAGIC_NUMBER + b"\x00" * 12 + marshal.dumps(code)


DEEPLY_NESTED = ("from flask import Flask\n\nx = " + "(" * 300 + "1" + ")" * 300 + "\n").encode()
LONG_CHAIN = ("from flask import Flask\n\nx = 1" + " + 1" * 20000 + "\n").encode()


def test_syntax_error_is_one_error_with_its_line(tmp_path: Path) -> None:
    report = scan_with(tmp_path, "admin.py", SYNTAX_ERROR)
    error = only_error(report)
    assert (error.path, error.kind, error.line) == ("admin.py", "syntax-error", 7)
    assert "syntax" in error.message.lower()
    assert_app_fully_analysed(report)


def test_python2_print_statement_is_reported_as_python2(tmp_path: Path) -> None:
    report = scan_with(tmp_path, "legacy.py", PY2_PRINT)
    error = only_error(report)
    assert (error.path, error.kind, error.line) == ("legacy.py", "python2", 3)
    assert "Python 2" in error.message
    assert_app_fully_analysed(report)


def test_python2_except_comma_is_reported_as_python2(tmp_path: Path) -> None:
    report = scan_with(tmp_path, "compat.py", PY2_EXCEPT)
    error = only_error(report)
    assert (error.path, error.kind, error.line) == ("compat.py", "python2", 5)
    assert "Python 2" in error.message
    assert_app_fully_analysed(report)


def test_non_utf8_bytes_without_cookie_are_a_decode_error(tmp_path: Path) -> None:
    report = scan_with(tmp_path, "strings.py", NOT_UTF8)
    error = only_error(report)
    assert (error.path, error.kind) == ("strings.py", "decode-error")
    assert "decode" in error.message and "utf-8" in error.message.lower()
    assert_app_fully_analysed(report)


def test_latin1_file_with_coding_cookie_is_analysed(tmp_path: Path) -> None:
    report = scan_with(tmp_path, "cafe.py", LATIN1_WITH_COOKIE)
    assert report.errors == []
    assert_app_fully_analysed(report)
    cafe_routes = [(r.path, r.handler) for r in report.routes if r.file == "cafe.py"]
    assert cafe_routes == [("/café", "cafe.menu")]
    assert any(f.rule == "FD101" and f.file == "cafe.py" for f in report.findings)


def test_binary_file_named_py_is_reported_as_binary(tmp_path: Path) -> None:
    report = scan_with(tmp_path, "compiled.py", compiled_module())
    error = only_error(report)
    assert (error.path, error.kind) == ("compiled.py", "binary")
    assert "NUL" in error.message or "binary" in error.message
    assert_app_fully_analysed(report)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file; see the simulated variant below")
def test_unreadable_file_is_reported_as_unreadable(tmp_path: Path) -> None:
    secret = tmp_path / "secret.py"
    (tmp_path / "app.py").write_text(SEARCH_APP, encoding="utf-8")
    secret.write_text("from flask import Flask\n", encoding="utf-8")
    secret.chmod(0)
    try:
        report = scan_dir(tmp_path)
    finally:
        secret.chmod(0o644)
    error = only_error(report)
    assert (error.path, error.kind) == ("secret.py", "unreadable")
    assert "Permission denied" in error.message
    assert_app_fully_analysed(report)


def test_unreadable_file_is_reported_as_unreadable_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as the chmod test, with the permission failure injected (runs as root too)."""
    (tmp_path / "app.py").write_text(SEARCH_APP, encoding="utf-8")
    secret = tmp_path / "secret.py"
    secret.write_text("from flask import Flask\n", encoding="utf-8")
    real_open = builtins.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)) and os.path.basename(os.fspath(file)) == "secret.py":
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    report = scan_dir(tmp_path)
    error = only_error(report)
    assert (error.path, error.kind) == ("secret.py", "unreadable")
    assert "Permission denied" in error.message
    assert_app_fully_analysed(report)


def test_too_large_file_is_skipped_with_the_limit_in_the_message(tmp_path: Path) -> None:
    generated = "from flask import Flask\n\n" + "".join(f"CONSTANT_{i} = {i}\n" for i in range(400))
    assert len(generated) > 2000 > len(SEARCH_APP)
    report = scan_source(tmp_path, {"app.py": SEARCH_APP, "constants.py": generated}, max_file_size=2000)
    error = only_error(report)
    assert (error.path, error.kind) == ("constants.py", "too-large")
    assert "2,000" in error.message and "max-file-size" in error.message
    assert f"{len(generated):,}" in error.message
    assert_app_fully_analysed(report)


def test_deeply_nested_expression_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    report = scan_with(tmp_path, "nested.py", DEEPLY_NESTED)
    error = only_error(report)
    assert error.path == "nested.py"
    assert error.kind in ("too-deep", "syntax-error")
    assert "nest" in error.message.lower()
    assert_app_fully_analysed(report)


def test_very_long_expression_chain_does_not_crash(tmp_path: Path) -> None:
    report = scan_with(tmp_path, "chain.py", LONG_CHAIN)
    if report.errors:
        error = only_error(report)
        assert (error.path, error.kind) == ("chain.py", "too-deep")
        assert error.message
    assert_app_fully_analysed(report)


def test_broken_symlink_is_reported_as_unreadable(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(SEARCH_APP, encoding="utf-8")
    os.symlink(tmp_path / "was_deleted.py", tmp_path / "settings.py")
    report = scan_dir(tmp_path)
    error = only_error(report)
    assert (error.path, error.kind) == ("settings.py", "unreadable")
    assert "symlink" in error.message
    assert_app_fully_analysed(report)


def test_scanned_code_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path.parent / f"{tmp_path.name}-executed.txt"
    evil = f"""\
import os
import pathlib

from flask import Flask

pathlib.Path({str(marker)!r}).write_text("executed")
app = Flask(__name__)


@app.route("/boom")
def boom():
    return "boom"


raise SystemExit(3)
os._exit(4)
"""
    report = scan_source(tmp_path, {"app.py": SEARCH_APP, "evil.py": evil})
    assert not marker.exists()
    assert report.errors == []
    assert_app_fully_analysed(report)
    assert [(r.path, r.file) for r in report.routes if r.file == "evil.py"] == [("/boom", "evil.py")]


BAD_FILES: dict[str, tuple[bytes, str]] = {
    "admin.py": (SYNTAX_ERROR, "syntax-error"),
    "legacy.py": (PY2_PRINT, "python2"),
    "compat.py": (PY2_EXCEPT, "python2"),
    "strings.py": (NOT_UTF8, "decode-error"),
    "compiled.py": (compiled_module(), "binary"),
    "constants.py": (("from flask import Flask\n" + "X = 1\n" * 1000).encode(), "too-large"),
    "nested.py": (DEEPLY_NESTED, "too-deep"),
}


def _everything_bad(tmp_path: Path) -> Report:
    (tmp_path / "app.py").write_text(SEARCH_APP, encoding="utf-8")
    (tmp_path / "cafe.py").write_bytes(LATIN1_WITH_COOKIE)
    for name, (content, _) in BAD_FILES.items():
        (tmp_path / name).write_bytes(content)
    os.symlink(tmp_path / "was_deleted.py", tmp_path / "settings.py")
    return scan_dir(tmp_path, max_file_size=5000)


def test_all_bad_inputs_together_give_one_error_each(tmp_path: Path) -> None:
    report = _everything_bad(tmp_path)
    kinds = {e.path: e.kind for e in report.errors}
    expected = {name: kind for name, (_, kind) in BAD_FILES.items()} | {"settings.py": "unreadable"}
    assert kinds == expected
    assert len(report.errors) == len(expected)
    assert_app_fully_analysed(report)
    assert any(r.file == "cafe.py" for r in report.routes)


def test_json_with_all_bad_inputs_validates_and_counts_error_files(tmp_path: Path) -> None:
    data = validated_json(_everything_bad(tmp_path))
    error_files = {e["file"] for e in data["errors"]}
    assert data["project"]["files_with_errors"] == len(error_files) == len(BAD_FILES) + 1
    assert data["project"]["files_scanned"] == len(BAD_FILES) + 3  # + app.py, cafe.py, settings.py
    assert all(e["message"] for e in data["errors"])
    assert {e["file"]: e["line"] for e in data["errors"] if e["kind"] == "syntax-error"} == {"admin.py": 7}
    routes = {(r["file"], r["path"]) for r in data["inventory"]["routes"]}
    assert {("app.py", "/search"), ("cafe.py", "/café")} <= routes


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("blob.py", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00", "binary"),
        ("strings.py", b'GREETING = "caf\xe9"\n', "decode-error"),
        ("legacy.py", b'def helper():\n    print "hi"\n', "python2"),
    ],
    ids=["binary", "decode-error", "python2"],
)
def test_unparseable_file_without_framework_names_is_still_reported(
    tmp_path: Path, name: str, content: bytes, kind: str
) -> None:
    report = scan_with(tmp_path, name, content)
    error = only_error(report)
    assert (error.path, error.kind) == (name, kind)
