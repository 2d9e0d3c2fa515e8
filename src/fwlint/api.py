"""Entry points other code calls: scan a project and get the report object."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fwlint import __version__
from fwlint.cache import FactCache
from fwlint.config import Settings
from fwlint.detection import choose_direction, detect
from fwlint.engine import Progress, analysis_salt, extract, plan
from fwlint.estimate import roll_up
from fwlint.facts import FileFacts
from fwlint.report.model import Report
from fwlint.rules_engine.catalog import Catalog, load_catalog

if TYPE_CHECKING:
    from fwlint.mapping import MappingResult

# Query translations kept between scans (most recent last).
QUERY_MEMO_SIZE = 50_000


def scan(
    root: Path,
    settings: Settings,
    progress: Progress | None = None,
    catalog: Catalog | None = None,
    only_files: set[str] | None = None,
) -> Report:
    """Scan ``root``; with ``only_files`` (project-relative paths), report only those files
    while still using the whole project for cross-file knowledge."""
    started = time.perf_counter()
    work = plan(root, settings)
    report_key = _report_key(work.fingerprint, settings, only_files)
    if work.cache is not None:
        cached = work.cache.get_report(report_key)
        if isinstance(cached, Report):
            cached.stats = {
                "seconds": round(time.perf_counter() - started, 3),
                "parsed": 0,
                "from_cache": len(work.pending),
                "skipped_irrelevant": work.skipped_irrelevant,
                "report_from_cache": 1,
            }
            return cached
    project = extract(work, progress, None if only_files is None else _selector(only_files))
    extracted = time.perf_counter()
    detected, counts = detect(project.files)
    source, target = choose_direction(detected, counts, settings.source, settings.target)
    report = Report(
        tool_version=__version__,
        root=str(project.root),
        source_framework=source,
        target_framework=target,
        detected={"framework": detected, **counts},  # type: ignore[dict-item]
        files_scanned=len(project.files) + len({e.path for e in project.errors}),
        errors=project.errors,
    )
    report.templates = [{"file": t.path, "lines": t.lines} for t in project.templates]
    if source is not None:
        # The catalog is read only now, for this direction: an unchanged tree's report needs none
        # (the cache salt already covers the rule files).
        catalog = catalog or _catalog(work.cache, settings, source)
    if source == "flask":
        assert catalog is not None
        _map_flask(report, project.files, catalog, work.cache, _selector(only_files))
    elif source == "django":
        assert catalog is not None
        _map_django(report, project.files, catalog, work.cache, _selector(only_files))
    if only_files is not None:
        # Findings and coverage already cover only the selection (map_project); the rest follows.
        selected = _selector(only_files)
        report.routes = [r for r in report.routes if selected(r.file)]
        report.models = [m for m in report.models if selected(m["file"])]
        report.forms = [f for f in report.forms if selected(f["file"])]
        report.errors = [e for e in report.errors if selected(e.path)]
        report.templates = [t for t in report.templates if selected(t["file"])]
        report.files_scanned = sum(1 for f in project.files if selected(f.path)) + len({e.path for e in report.errors})
    roll_up(report, settings.estimate)
    report.stats = {
        "seconds": round(time.perf_counter() - started, 3),
        "extract_seconds": round(extracted - started, 3),
        "parsed": project.parsed,
        "from_cache": project.from_cache,
        "skipped_irrelevant": project.skipped_irrelevant,
    }
    if work.cache is not None:
        work.cache.put_report(report_key, report)
    return report


def _map_flask(
    report: Report,
    files: list[FileFacts],
    catalog: Catalog,
    cache: FactCache | None,
    selected: Callable[[str], bool],
) -> None:
    # Imported here: an unchanged tree is answered from the report cache without loading the
    # linker and translators (libcst among them).
    from fwlint.inventory import auth_entries, form_entries, model_entries
    from fwlint.link import ProjectIndex
    from fwlint.link.flask_routes import build_flask_structure
    from fwlint.mapping import map_project, route_entries
    from fwlint.translate.data_layer import build_data_layer

    index = ProjectIndex(files)
    structure = build_flask_structure(index)
    data = build_data_layer(index)
    with _query_memo(cache) as memo:
        result = map_project(index, structure, catalog, "flask", selected, data, memo)
    report.findings = result.findings
    report.routes = route_entries(structure)
    report.models = model_entries(data, selected)
    report.forms = form_entries(data, selected)
    _fill_mapping(report, result)
    report.auth = auth_entries(result.findings)


def _map_django(
    report: Report,
    files: list[FileFacts],
    catalog: Catalog,
    cache: FactCache | None,
    selected: Callable[[str], bool],
) -> None:
    from fwlint.inventory import auth_entries
    from fwlint.link import ProjectIndex
    from fwlint.link.builtin_sources import cached_in
    from fwlint.mapping_django import build_django_project, django_route_entries, map_django_project, project_structure

    index = ProjectIndex(files)
    with cached_in(cache):
        project = build_django_project(index)
    with _query_memo(cache) as memo:
        result = map_django_project(index, project, catalog, selected, memo)
    report.findings = result.findings
    report.routes = django_route_entries(project.structure)
    report.models = project.data.model_entries(selected)
    report.forms = project.data.form_entries(selected)
    report.project_structure = project_structure(index, project)
    _fill_mapping(report, result)
    report.auth = auth_entries(result.findings)


def _fill_mapping(report: Report, result: MappingResult) -> None:
    report.queries = result.queries
    report.coverage_mapped = result.mapped
    report.coverage_unmapped = result.unmapped
    report.unmapped_apis = dict(result.unmapped_apis.most_common())


@contextmanager
def _query_memo(cache: FactCache | None) -> Iterator[dict[str, object]]:
    """Query translations kept across scans, so that checking a few files needs no query
    translation (nor libcst)."""
    name = f"queries-{analysis_salt()}"
    stored = cache.get_blob(name) if cache is not None else None
    memo: dict[str, object] = stored if isinstance(stored, dict) else {}
    known = len(memo)
    yield memo
    if cache is not None and len(memo) != known:
        cache.put_blob(name, dict(list(memo.items())[-QUERY_MEMO_SIZE:]))


def _selector(only_files: set[str] | None) -> Callable[[str], bool]:
    """Which project-relative paths a scan reports: files or directories; None or "." is all."""
    if only_files is None or "." in only_files:
        return lambda path: True
    chosen = set(only_files)
    prefixes = tuple(p.rstrip("/") + "/" for p in chosen if p)
    return lambda path: path in chosen or path.startswith(prefixes)


def _catalog(cache: FactCache | None, settings: Settings, source: str) -> Catalog:
    """One direction's rule catalog, parsed once and kept in the cache (TOML parsing dominates a small scan)."""
    if cache is None:
        return load_catalog(settings.rule_files, settings.ignore, source)
    digest = hashlib.blake2b(repr((analysis_salt(), settings.rule_files, sorted(settings.ignore), source)).encode())
    name = f"catalog-{digest.hexdigest()[:16]}"
    cached = cache.get_blob(name)
    if isinstance(cached, Catalog):
        return cached
    catalog = load_catalog(settings.rule_files, settings.ignore, source)
    cache.put_blob(name, catalog)
    return catalog


def _report_key(fingerprint: str, settings: Settings, only_files: set[str] | None) -> str:
    """Everything a report depends on besides the files: fwlint's own code and rules, the settings."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(fingerprint.encode())
    digest.update(analysis_salt().encode())
    parts = (settings.source, settings.target, sorted(settings.ignore), settings.estimate, sorted(only_files or ()))
    digest.update(repr(parts).encode())
    return digest.hexdigest()
