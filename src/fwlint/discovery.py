"""Find the files to analyse: Python sources and templates.

Honours ``.gitignore`` files (every level, git's own semantics through
pathspec), the ``exclude``/``extend-exclude`` settings, skips virtualenvs,
``site-packages``, ``node_modules`` and build/cache directories, and never
follows a symlink into a directory it has already visited.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from fwlint.extract import SourceFile
from fwlint.facts import FileError

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        "__pycache__",
        "node_modules",
        "site-packages",
        "dist-packages",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".fwlint_cache",
        ".eggs",
        "build",
        "dist",
        "htmlcov",
        ".idea",
        ".vscode",
    }
)
TEMPLATE_SUFFIXES = (".html", ".htm", ".jinja", ".jinja2", ".j2", ".txt", ".xml")


@dataclass(slots=True)
class TemplateSource:
    abspath: str
    path: str


@dataclass(slots=True)
class Discovered:
    root: Path
    python: list[SourceFile] = field(default_factory=list)
    templates: list[TemplateSource] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    # Top-level importable names of the project (packages and modules at a source root).
    project_roots: set[str] = field(default_factory=set)


def _is_template(rel_parts: tuple[str, ...]) -> bool:
    name = rel_parts[-1].lower()
    if name.endswith((".jinja", ".jinja2", ".j2")):
        return True
    return name.endswith(TEMPLATE_SUFFIXES) and any("templates" in part.lower() for part in rel_parts[:-1])


def _is_virtualenv(entries: Iterable[str]) -> bool:
    return "pyvenv.cfg" in entries


class _IgnoreStack:
    """Nested .gitignore files, each applying to its own directory's subtree."""

    def __init__(self, excludes: list[str]) -> None:
        self.layers: list[tuple[str, pathspec.GitIgnoreSpec]] = []
        if excludes:
            self.layers.append(("", pathspec.GitIgnoreSpec.from_lines(excludes)))

    def push_dir(self, rel_dir: str, abs_dir: str) -> bool:
        gitignore = os.path.join(abs_dir, ".gitignore")
        try:
            with open(gitignore, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
        except OSError:
            return False
        self.layers.append((rel_dir, pathspec.GitIgnoreSpec.from_lines(lines)))
        return True

    def pop(self) -> None:
        self.layers.pop()

    def ignored(self, rel: str, is_dir: bool) -> bool:
        # Like git: the deepest .gitignore with a matching pattern decides (so `!x` can re-include).
        verdict = False
        for base, spec in self.layers:
            if base:
                if not rel.startswith(base + "/"):
                    continue
                candidate = rel[len(base) + 1 :]
            else:
                candidate = rel
            result = spec.check_file(candidate + "/" if is_dir else candidate)
            if result.include is not None:
                verdict = result.include
        return verdict


def module_name(rel_parts: tuple[str, ...], package_dirs: set[tuple[str, ...]]) -> tuple[str, bool]:
    """Dotted module name: the file's path below the outermost enclosing package chain."""
    *dirs, filename = rel_parts
    stem = filename[:-3] if filename.endswith(".py") else filename.rsplit(".", 1)[0]
    is_package = stem == "__init__"
    start = len(dirs)
    while start > 0 and tuple(dirs[:start]) in package_dirs:
        start -= 1
    parts = list(dirs[start:])
    if not is_package:
        parts.append(stem)
    return ".".join(parts), is_package


def discover(root: Path, excludes: list[str] | None = None, use_gitignore: bool = True) -> Discovered:
    root = root.resolve()
    found = Discovered(root)
    ignore = _IgnoreStack(excludes or [])
    package_dirs: set[tuple[str, ...]] = set()
    python_files: list[tuple[str, tuple[str, ...]]] = []
    visited: set[tuple[int, int]] = set()
    deferred: list[tuple[str, tuple[str, ...], list[tuple[str, pathspec.GitIgnoreSpec]]]] = []

    def walk(abs_dir: str, rel_parts: tuple[str, ...]) -> None:
        try:
            info = os.stat(abs_dir)
        except OSError as exc:
            found.errors.append(
                FileError("/".join(rel_parts) or ".", "unreadable", f"cannot enter directory: {exc.strerror}")
            )
            return
        key = (info.st_dev, info.st_ino)
        if key in visited:
            return  # a symlink back into the tree: already scanned (or a loop)
        visited.add(key)
        try:
            entries = sorted(os.scandir(abs_dir), key=lambda e: e.name)
        except OSError as exc:
            found.errors.append(
                FileError("/".join(rel_parts) or ".", "unreadable", f"cannot list directory: {exc.strerror}")
            )
            return
        names = [e.name for e in entries]
        if rel_parts and _is_virtualenv(names):
            return
        rel_dir = "/".join(rel_parts)
        pushed = use_gitignore and ignore.push_dir(rel_dir, abs_dir)
        if "__init__.py" in names:
            package_dirs.add(rel_parts)
        try:
            for entry in entries:
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if entry.name in SKIP_DIRS or entry.name.endswith(".egg-info") or ignore.ignored(rel, True):
                        continue
                    if entry.is_symlink():
                        # Walked after the real tree, so a link never hides the directory it points to.
                        deferred.append((entry.path, (*rel_parts, entry.name), list(ignore.layers)))
                    else:
                        walk(entry.path, (*rel_parts, entry.name))
                    continue
                if ignore.ignored(rel, False):
                    continue
                parts = (*rel_parts, entry.name)
                if entry.name.endswith((".py", ".pyi")):
                    if entry.is_symlink():
                        try:
                            os.stat(entry.path)
                        except OSError as exc:
                            found.errors.append(
                                FileError(rel, "unreadable", f"broken or looping symlink: {exc.strerror}")
                            )
                            continue
                    elif not entry.is_file():
                        try:
                            mode = entry.stat().st_mode
                        except OSError as exc:
                            found.errors.append(FileError(rel, "unreadable", f"cannot stat file: {exc.strerror}"))
                            continue
                        if not stat.S_ISREG(mode):
                            continue
                    python_files.append((entry.path, parts))
                elif _is_template(parts):
                    found.templates.append(TemplateSource(entry.path, rel))
        finally:
            if pushed:
                ignore.pop()

    if root.is_file():
        python_files.append((str(root), (root.name,)))
        found.root = root.parent
    else:
        walk(str(root), ())
        while deferred:
            abs_dir, parts, layers = deferred.pop(0)
            ignore.layers = layers
            walk(abs_dir, parts)
    sources = {parts for _, parts in python_files if parts[-1].endswith(".py")}
    for abspath, parts in python_files:
        if parts[-1].endswith(".pyi") and (*parts[:-1], parts[-1][:-1]) in sources:
            continue  # a stub next to its module adds nothing
        module, is_package = module_name(parts, package_dirs)
        found.python.append(SourceFile(abspath, "/".join(parts), module, is_package))
        if module:
            found.project_roots.add(module.split(".", 1)[0])
    return found
