"""Scanning some files of a project (pre-commit) reports exactly what a full scan says
about those files, cold or with a warm cache (where other files come from summaries)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fwlint.api import scan
from fwlint.config import Settings

from .conftest import FIXTURES

SELECTED = {"shop/catalog/views.py", "shop/admin/reports/views.py"}


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    root = tmp_path / "flask_shop"
    shutil.copytree(FIXTURES / "flask_shop", root)
    return root


def _site_keys(report: object) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    findings = [(f.file, f.line, f.column, f.rule, f.suggestion) for f in report.findings]  # type: ignore[attr-defined]
    routes = [(r.file, r.line, r.path, r.endpoint, tuple(r.methods)) for r in report.routes]  # type: ignore[attr-defined]
    return findings, routes


@pytest.mark.parametrize("warm", [False, True])
def test_selected_files_match_the_full_scan(shop: Path, tmp_path: Path, warm: bool) -> None:
    settings = Settings(cache_dir=str(tmp_path / "cache"), jobs=1)
    full = scan(shop, settings)
    if not warm:
        shutil.rmtree(tmp_path / "cache")
    part = scan(shop, settings, only_files=SELECTED)
    full_findings, full_routes = _site_keys(full)
    part_findings, part_routes = _site_keys(part)
    assert part_findings == [f for f in full_findings if f[0] in SELECTED]
    assert part_routes == [r for r in full_routes if r[0] in SELECTED]
    assert ("shop/admin/reports/views.py", 28, "/admin/reports/sales", "admin.reports.sales", ("GET",)) in part_routes
    assert part.files_scanned == 2


def test_a_directory_selects_the_files_below_it(shop: Path) -> None:
    report = scan(shop, Settings(cache=False, jobs=1), only_files={"shop/api"})
    assert {f.file for f in report.findings} == {"shop/api/views.py"}
    assert {r.file for r in report.routes} == {"shop/api/views.py"}
    assert report.files_scanned == 2  # shop/api/__init__.py and shop/api/views.py


def test_partial_scan_survives_a_damaged_summary_bundle(shop: Path, tmp_path: Path) -> None:
    settings = Settings(cache_dir=str(tmp_path / "cache"), jobs=1)
    full = scan(shop, settings)
    bundles = list((tmp_path / "cache").glob("facts-*/summaries.pickle"))
    assert len(bundles) == 1
    bundles[0].write_bytes(b"damaged")
    part = scan(shop, settings, only_files=SELECTED)
    assert _site_keys(part)[0] == [f for f in _site_keys(full)[0] if f[0] in SELECTED]
