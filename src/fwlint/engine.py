"""Run discovery and extraction over a project: cached, in parallel, never fatal per file."""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fwlint import __version__
from fwlint.cache import FactCache, code_fingerprint
from fwlint.config import Settings, default_cache_dir
from fwlint.discovery import Discovered, discover
from fwlint.extract import SourceFile, check_source, extract_data, read_source
from fwlint.extract.symbols import ROUTE_HELPER_METHODS
from fwlint.facts import ExtractionResult, FileError, FileFacts, TemplateFile
from fwlint.frameworks import DJANGO_ROOTS, FLASK_ROOTS

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

# Below this many files to parse, a process pool costs more than it saves.
POOL_THRESHOLD = 12
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class ProjectFacts:
    root: Path
    files: list[FileFacts] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    templates: list[TemplateFile] = field(default_factory=list)
    parsed: int = 0
    from_cache: int = 0
    skipped_irrelevant: int = 0


def relevance_pattern(project_roots: set[str]) -> re.Pattern[bytes]:
    """Bytes that any file holding a framework construct must contain."""
    # Route-registering helpers may import nothing: their method names mark them.
    names = sorted(FLASK_ROOTS | DJANGO_ROOTS | project_roots | ROUTE_HELPER_METHODS | {"flask_", "django_"})
    alternatives = b"|".join(re.escape(n.encode()) for n in names if n)
    return re.compile(rb"\b(?:" + alternatives + rb")|from\s+\.|import\s+\.")


def cache_salt(extra_rule_files: Sequence[str] = ()) -> str:
    package = Path(__file__).parent
    from fwlint.rules_engine.catalog import catalog_files

    sources = [*package.joinpath("extract").glob("*.py"), package / "facts.py", *catalog_files()]
    sources.extend(Path(p) for p in extra_rule_files)
    return f"{__version__}-{code_fingerprint(*sources)}"


@functools.cache
def analysis_salt() -> str:
    """Version and hash of all of fwlint's code and rules: what a saved report or translation
    depends on besides the project's files."""
    package = Path(__file__).parent
    from fwlint.rules_engine.catalog import catalog_files

    return f"{__version__}-{code_fingerprint(*package.rglob('*.py'), *catalog_files())}"


# A file to extract: the file, its bytes, its size, the size limit, and where to cache the result.
Job = tuple[SourceFile, bytes, int, int, "FactCache | None", "str | None"]


def _extract_one(job: Job) -> ExtractionResult:
    """Extract one file and cache the result (in the worker: the writes run in parallel too)."""
    file, data, size, max_bytes, cache, key = job
    result = extract_data(file, data, size, max_bytes)
    transient = isinstance(result, FileError) and result.kind in ("unreadable", "internal")
    if cache is not None and key is not None and not transient:
        cache.put(key, result)
    return result


def _pool_context() -> BaseContext:
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _run_parallel(items: list[Job], jobs: int, progress: Progress | None) -> list[ExtractionResult]:
    # Imported here: a warm or small scan never starts a pool and skips their import cost.
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    results: list[ExtractionResult | None] = [None] * len(items)
    done = 0
    pending = list(range(len(items)))
    while pending:
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context()) as pool:
                chunk = max(1, min(16, len(pending) // (jobs * 8) or 1))
                for index, result in zip(
                    pending, pool.map(_extract_one, [items[i] for i in pending], chunksize=chunk), strict=True
                ):
                    results[index] = result
                    done += 1
                    if progress:
                        progress(done, len(items))
            pending = []
        except BrokenProcessPool:
            # A worker died (e.g. the native parser crashed): isolate the culprit.
            remaining = [i for i in pending if results[i] is None]
            culprit = remaining[0]
            results[culprit] = _isolated(items[culprit])
            done += 1
            pending = remaining[1:]
    return [r for r in results if r is not None]


def _isolated(item: Job) -> ExtractionResult:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=_pool_context()) as pool:
            return pool.submit(_extract_one, item).result()
    except BrokenProcessPool:
        return FileError(item[0].path, "internal", "the parser crashed on this file")


@dataclass
class Plan:
    """What a scan will read: every file's bytes and cache key, known before any parsing."""

    found: Discovered
    cache: FactCache | None
    settings: Settings
    # (file, data, size, cache key or None); results already known (errors, irrelevant files).
    pending: list[tuple[SourceFile, bytes, int, str | None]] = field(default_factory=list)
    known: list[ExtractionResult] = field(default_factory=list)
    templates: list[TemplateFile] = field(default_factory=list)
    template_errors: list[FileError] = field(default_factory=list)
    skipped_irrelevant: int = 0
    fingerprint: str = ""


def plan(root: Path, settings: Settings, discovered: Discovered | None = None) -> Plan:
    found = discovered or discover(root, [*settings.exclude, *settings.extend_exclude], settings.respect_gitignore)
    salt = cache_salt(settings.rule_files)
    cache = None
    if settings.cache:
        cache_dir = Path(settings.cache_dir) if settings.cache_dir else default_cache_dir(found.root)
        cache = FactCache(cache_dir, salt)
    result = Plan(found, cache, settings)
    fingerprint = hashlib.blake2b(salt.encode(), digest_size=20)
    relevant = relevance_pattern(found.project_roots)
    limit = settings.max_file_size
    for file in found.python:
        read = read_source(file, limit)
        if isinstance(read, FileError):
            result.known.append(read)
            fingerprint.update(f"{file.path}\0unreadable\0".encode())
            continue
        data, size = read
        key = FactCache.key(data, file.path, file.module, file.is_package, limit)
        fingerprint.update(key.encode())
        if len(data) <= limit and not relevant.search(data):
            # Nothing in it can name a framework or project construct: no libcst parse,
            # but it must still be readable Python 3 (the cheap checks).
            result.skipped_irrelevant += 1
            checked = check_source(file, data, limit, size)
            if isinstance(checked, FileError):
                result.known.append(checked)
            else:
                result.known.append(FileFacts(file.path, file.module, file.is_package, lines=data.count(b"\n") + 1))
            continue
        result.pending.append((file, data, size, key))
    for template in found.templates:
        try:
            with open(template.abspath, "rb") as handle:
                count = handle.read().count(b"\n") + 1
        except OSError as exc:
            result.template_errors.append(
                FileError(template.path, "unreadable", f"cannot read template: {exc.strerror}")
            )
            continue
        result.templates.append(TemplateFile(template.path, count))
        fingerprint.update(f"{template.path}\0{count}\0".encode())
    for error in found.errors:
        fingerprint.update(f"{error.path}\0{error.message}\0".encode())
    result.fingerprint = fingerprint.hexdigest()
    return result


def extract(
    work: Plan, progress: Progress | None = None, selected: Callable[[str], bool] | None = None
) -> ProjectFacts:
    """Facts for every pending file; for files outside ``selected``, a cached summary will do."""
    settings, cache = work.settings, work.cache
    project = ProjectFacts(work.found.root, errors=list(work.found.errors) + work.template_errors)
    project.skipped_irrelevant = work.skipped_irrelevant
    project.templates = list(work.templates)
    results: list[ExtractionResult] = list(work.known)
    to_parse: list[Job] = []
    # A partial scan reads the other files' summaries from one bundle: thousands of small
    # files cost more in open/read calls than in unpickling.
    bundle = cache.load_bundle() if cache is not None and selected is not None else {}
    for file, data, size, key in work.pending:
        if cache is not None and key is not None:
            summary_only = selected is not None and not selected(file.path)
            bundled = bundle.get(file.path) if summary_only else None
            if bundled is not None and bundled[0] == key:
                project.from_cache += 1
                results.append(bundled[1])
                continue
            cached = cache.get(key, summary=summary_only)
            if cached is not None:
                project.from_cache += 1
                results.append(cached)
                continue
        to_parse.append((file, data, size, settings.max_file_size, cache, key))
    if cache is not None and to_parse:
        cache.prepare()  # once, here: workers receive a prepared cache and only write entries
    jobs = settings.jobs or os.cpu_count() or 1
    if jobs > 1 and len(to_parse) >= POOL_THRESHOLD:
        parsed = _run_parallel(to_parse, jobs, progress)
    else:
        parsed = []
        for i, item in enumerate(to_parse):
            parsed.append(_extract_one(item))
            if progress:
                progress(i + 1, len(to_parse))
    project.parsed = len(parsed)
    results.extend(parsed)
    for result in results:
        if isinstance(result, FileError):
            project.errors.append(result)
        else:
            project.files.append(result)
    project.files.sort(key=lambda f: f.path)
    project.errors.sort(key=lambda e: e.path)
    if cache is not None:
        keys = {file.path: key for file, _, _, key in work.pending if key is not None}
        cache.save_bundle(
            {f.path: (keys[f.path], f if f.partial else f.summary()) for f in project.files if f.path in keys}
        )
    return project


def analyse(
    root: Path,
    settings: Settings,
    progress: Progress | None = None,
    discovered: Discovered | None = None,
) -> ProjectFacts:
    return extract(plan(root, settings, discovered), progress)
