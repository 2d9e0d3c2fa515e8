"""Discovery: which files a scan reads, under which module names."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from fwlint.api import scan
from fwlint.config import load_settings
from fwlint.discovery import Discovered, discover

from .conftest import SEARCH_APP, scan_dir, validated_json

VIEWS = """\
from flask import Blueprint, request

bp = Blueprint("{name}", __name__)


@bp.route("/{name}")
def {name}_index():
    return request.args.get("page", "1")
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def python_paths(found: Discovered) -> list[str]:
    return sorted(source.path for source in found.python)


def modules(found: Discovered) -> dict[str, tuple[str, bool]]:
    return {source.path: (source.module, source.is_package) for source in found.python}


# --- .gitignore ------------------------------------------------------------------------------


def test_root_gitignore_pattern_applies_at_every_depth(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app.py": SEARCH_APP,
            "local_settings.py": "from flask import Flask\n",
            "shop/__init__.py": "",
            "shop/local_settings.py": "from flask import Flask\n",
            "shop/views.py": VIEWS.format(name="shop"),
            ".gitignore": "local_settings.py\n",
        },
    )
    assert python_paths(discover(tmp_path)) == ["app.py", "shop/__init__.py", "shop/views.py"]


def test_gitignored_directory_is_not_entered(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app.py": SEARCH_APP,
            "generated/client.py": "from flask import Flask\n",
            "generated/deep/more.py": "from flask import Flask\n",
            ".gitignore": "generated/\n",
        },
    )
    assert python_paths(discover(tmp_path)) == ["app.py"]


def test_nested_gitignore_applies_only_to_its_own_subtree(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app.py": SEARCH_APP,
            "helpers.py": "from flask import g\n",
            "other/helpers.py": "from flask import g\n",
            "sub/helpers.py": "from flask import g\n",
            "sub/deeper/helpers.py": "from flask import g\n",
            "sub/views.py": VIEWS.format(name="sub"),
            "sub/.gitignore": "helpers.py\n",
        },
    )
    assert python_paths(discover(tmp_path)) == ["app.py", "helpers.py", "other/helpers.py", "sub/views.py"]


def test_anchored_pattern_in_nested_gitignore_is_relative_to_that_directory(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app.py": SEARCH_APP,
            "generated.py": "from flask import Flask\n",
            "sub/generated.py": "from flask import Flask\n",
            "sub/inner/generated.py": "from flask import Flask\n",
            "sub/.gitignore": "/generated.py\n",
        },
    )
    assert python_paths(discover(tmp_path)) == ["app.py", "generated.py", "sub/inner/generated.py"]


def test_gitignore_negation_reincludes_a_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app.py": SEARCH_APP,
            "tools/build_assets.py": "from flask import Flask\n",
            "tools/keep.py": "from flask import Flask\n",
            ".gitignore": "tools/*.py\n!keep.py\n",
        },
    )
    assert python_paths(discover(tmp_path)) == ["app.py", "tools/keep.py"]


def test_nested_gitignore_negation_overrides_parent_pattern(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app.py": SEARCH_APP,
            "sub/generated_forms.py": "from flask import Flask\n",
            "sub/generated_keep.py": "from flask import Flask\n",
            ".gitignore": "generated_*.py\n",
            "sub/.gitignore": "!generated_keep.py\n",
        },
    )
    assert python_paths(discover(tmp_path)) == ["app.py", "sub/generated_keep.py"]


def test_gitignore_is_not_read_when_respect_gitignore_is_off(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": SEARCH_APP, "extra.py": VIEWS.format(name="extra"), ".gitignore": "extra.py\n"})
    honoured = scan_dir(tmp_path)
    ignored = scan_dir(tmp_path, respect_gitignore=False)
    assert "extra.py" not in {f.file for f in honoured.findings}
    assert "extra.py" in {f.file for f in ignored.findings}


# --- [tool.fwlint] exclude / extend-exclude -----------------------------------------------------


def _configured_project(tmp_path: Path, section: str) -> Path:
    write(
        tmp_path,
        {
            "app.py": SEARCH_APP,
            "legacy/old_views.py": VIEWS.format(name="legacy"),
            "blog/views.py": VIEWS.format(name="blog"),
            "blog/api_generated.py": VIEWS.format(name="generated"),
            "pyproject.toml": f'[project]\nname = "demo"\n\n[tool.fwlint]\n{section}',
        },
    )
    return tmp_path / "pyproject.toml"


def test_exclude_setting_from_pyproject_is_honoured(tmp_path: Path) -> None:
    pyproject = _configured_project(tmp_path, 'exclude = ["legacy/"]\n')
    settings = load_settings(pyproject).with_overrides(cache=False, jobs=1)
    assert settings.exclude == ("legacy/",)
    report = scan(tmp_path, settings)
    files = {f.file for f in report.findings} | {r.file for r in report.routes}
    assert files == {"app.py", "blog/views.py", "blog/api_generated.py"}
    assert report.files_scanned == 3


def test_extend_exclude_setting_from_pyproject_is_honoured(tmp_path: Path) -> None:
    pyproject = _configured_project(tmp_path, 'extend-exclude = ["*_generated.py"]\n')
    settings = load_settings(pyproject).with_overrides(cache=False, jobs=1)
    assert settings.extend_exclude == ("*_generated.py",)
    report = scan(tmp_path, settings)
    files = {f.file for f in report.findings} | {r.file for r in report.routes}
    assert files == {"app.py", "blog/views.py", "legacy/old_views.py"}


def test_exclude_and_extend_exclude_combine(tmp_path: Path) -> None:
    pyproject = _configured_project(tmp_path, 'exclude = ["legacy/"]\nextend-exclude = ["*_generated.py"]\n')
    report = scan(tmp_path, load_settings(pyproject).with_overrides(cache=False, jobs=1))
    assert {f.file for f in report.findings} == {"app.py", "blog/views.py"}
    assert report.files_scanned == 2


# --- directories that are never project code ----------------------------------------------------


@pytest.mark.parametrize(
    "skipped",
    [
        "env/lib/python3.11/site-packages/flask/app.py",  # a virtualenv (found by its pyvenv.cfg)
        "vendor/site-packages/flask/app.py",
        "frontend/node_modules/some-tool/setup.py",
        "build/lib/app.py",
        "__pycache__/app.py",
    ],
)
def test_non_project_directories_are_skipped(tmp_path: Path, skipped: str) -> None:
    write(tmp_path, {"app.py": SEARCH_APP, skipped: SEARCH_APP})
    if skipped.startswith("env/"):
        (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.11.9\n")
    assert python_paths(discover(tmp_path)) == ["app.py"]


def test_directory_without_pyvenv_cfg_is_scanned(tmp_path: Path) -> None:
    # The virtualenv check must be pyvenv.cfg, not the directory's name or shape.
    write(tmp_path, {"app.py": SEARCH_APP, "env/lib/settings.py": SEARCH_APP})
    assert python_paths(discover(tmp_path)) == ["app.py", "env/lib/settings.py"]


# --- symlinks ------------------------------------------------------------------------------------


def _discover_with_deadline(root: Path, seconds: float = 20.0) -> Discovered:
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["found"] = discover(root)
        except BaseException as exc:  # pragma: no cover - surfaced below
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "discovery did not finish: symlink loop followed forever?"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["found"]  # type: ignore[return-value]


def test_symlink_loop_terminates_without_duplicates(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": SEARCH_APP, "pkg/__init__.py": "", "pkg/views.py": VIEWS.format(name="pkg")})
    os.symlink("..", tmp_path / "pkg" / "loop")
    found = _discover_with_deadline(tmp_path)
    assert python_paths(found) == ["app.py", "pkg/__init__.py", "pkg/views.py"]
    real = [os.path.realpath(s.abspath) for s in found.python]
    assert len(real) == len(set(real))


def test_symlink_loop_does_not_duplicate_findings(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": SEARCH_APP, "pkg/__init__.py": "", "pkg/views.py": VIEWS.format(name="pkg")})
    os.symlink("..", tmp_path / "pkg" / "loop")
    baseline = validated_json(scan_dir(tmp_path))
    assert sorted(r["path"] for r in baseline["inventory"]["routes"]) == ["/pkg", "/search"]
    assert baseline["project"]["files_scanned"] == 3


def test_symlinked_directory_outside_root_is_followed_once(tmp_path: Path) -> None:
    project = tmp_path / "project"
    outside = tmp_path / "shared_views"
    write(project, {"app.py": SEARCH_APP})
    write(outside, {"reports.py": VIEWS.format(name="reports")})
    os.symlink(outside, project / "reports_link")
    os.symlink(outside, project / "reports_link_again")
    found = _discover_with_deadline(project)
    assert python_paths(found) == ["app.py", "reports_link/reports.py"]


def test_symlink_to_directory_inside_tree_keeps_real_paths(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": SEARCH_APP, "pkg/__init__.py": "", "pkg/views.py": VIEWS.format(name="pkg")})
    os.symlink("pkg", tmp_path / "alias")  # "alias" sorts before "pkg"
    found = _discover_with_deadline(tmp_path)
    assert modules(found) == {
        "app.py": ("app", False),
        "pkg/__init__.py": ("pkg", True),
        "pkg/views.py": ("pkg.views", False),
    }


# --- module names --------------------------------------------------------------------------------


def test_module_name_of_nested_package_module(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/__init__.py": "", "pkg/sub/__init__.py": "", "pkg/sub/mod.py": SEARCH_APP})
    assert modules(discover(tmp_path))["pkg/sub/mod.py"] == ("pkg.sub.mod", False)


def test_module_name_below_src_layout_drops_src(tmp_path: Path) -> None:
    write(tmp_path, {"src/pkg/__init__.py": "", "src/pkg/x.py": SEARCH_APP})
    found = discover(tmp_path)
    assert modules(found)["src/pkg/x.py"] == ("pkg.x", False)
    assert "pkg" in found.project_roots
    assert "src" not in found.project_roots


def test_package_init_is_named_after_the_package(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/__init__.py": SEARCH_APP, "pkg/sub/__init__.py": ""})
    found = modules(discover(tmp_path))
    assert found["pkg/__init__.py"] == ("pkg", True)
    assert found["pkg/sub/__init__.py"] == ("pkg.sub", True)


def test_top_level_script_is_its_own_module(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": SEARCH_APP})
    assert modules(discover(tmp_path)) == {"app.py": ("app", False)}


# --- templates and stubs -------------------------------------------------------------------------


def test_templates_are_discovered_under_template_dirs(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app.py": SEARCH_APP,
            "templates/index.html": "<h1>{{ title }}</h1>\n",
            "shop/templates/shop/item.jinja": "{% extends 'base.html' %}\n{% block body %}{% endblock %}\n",
            "templates/email/welcome.txt": "Hello {{ user.name }}\n",
            "docs/notes.txt": "release notes\n",
            "static/landing.html": "<p>static</p>\n",
        },
    )
    found = discover(tmp_path)
    assert sorted(t.path for t in found.templates) == [
        "shop/templates/shop/item.jinja",
        "templates/email/welcome.txt",
        "templates/index.html",
    ]


def test_templates_appear_in_the_json_inventory(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app.py": SEARCH_APP,
            "templates/index.html": "<h1>{{ title }}</h1>\n<p>{{ body }}</p>\n",
            "README.txt": "not a template\n",
        },
    )
    data = validated_json(scan_dir(tmp_path))
    assert data["inventory"]["templates"] == [{"file": "templates/index.html", "lines": 3}]


def test_stub_next_to_its_module_is_skipped(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/mod.py": SEARCH_APP,
            "pkg/mod.pyi": "from flask import Flask\napp: Flask\ndef search() -> str: ...\n",
        },
    )
    assert python_paths(discover(tmp_path)) == ["pkg/__init__.py", "pkg/mod.py"]
