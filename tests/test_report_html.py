from __future__ import annotations

import html as htmllib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from fwlint.report import html
from fwlint.report.model import Finding, Report

from .conftest import FIXTURES, scan_source

DOCS_LINK = re.compile(r'<a class="docs" href="([^"]*)"')
PAYLOAD = "<script>alert(1)</script>\"'"


def embedded_data(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="fwlint-data">(.*?)</script>', page, re.S)
    assert match is not None
    body = match.group(1)
    assert "<" not in body and ">" not in body and "&" not in body
    data: dict[str, Any] = json.loads(body)
    return data


def headline(page: str, key: str) -> str:
    match = re.search(rf'<dd id="h-{key}">(.*?)</dd>', page, re.S)
    assert match is not None, key
    return re.sub(r"<[^>]+>", "", match.group(1))


@pytest.fixture(scope="module")
def shop_page(shop_report: Report) -> str:
    return html.render(shop_report)


def test_shop_page_is_self_contained(shop_page: str) -> None:
    lowered = shop_page.lower()
    for forbidden in ("<script src", "<link", "@import", "url(http", "url(//", "<iframe", "<img"):
        assert forbidden not in lowered, forbidden
    csp = htmllib.escape("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:")
    assert f'<meta http-equiv="Content-Security-Policy" content="{csp}">' in shop_page
    links = DOCS_LINK.findall(shop_page)
    assert links and all(link.startswith(("https://", "http://")) for link in links)
    assert not re.search(r"https?://", DOCS_LINK.sub("", shop_page))
    assert shop_page.count("<svg") == 2


def test_shop_headline_matches_report(shop_page: str, shop_report: Report) -> None:
    estimate = shop_report.estimate
    assert estimate is not None
    assert headline(shop_page, "direction") == "Flask → Django"
    assert headline(shop_page, "files") == str(shop_report.files_scanned)
    assert headline(shop_page, "findings") == str(len(shop_report.findings))
    assert headline(shop_page, "blockers") == str(len(shop_report.blockers))
    assert f'<span id="h-points">{estimate.effort_points}</span>' in shop_page
    assert f'<span id="h-low">{estimate.low_days:g}</span>' in shop_page
    assert f'<span id="h-high">{estimate.high_days:g}</span>' in shop_page
    assert headline(shop_page, "mechanical").startswith(f"{estimate.mechanical_share:.0%}")
    mapped, unmapped = shop_report.coverage_mapped, shop_report.coverage_unmapped
    assert f"({mapped} mapped, {unmapped} unmapped)" in headline(shop_page, "coverage")


def test_shop_every_finding_is_embedded_and_listed(shop_page: str, shop_report: Report) -> None:
    data = embedded_data(shop_page)
    assert len(data["findings"]) == len(shop_report.findings)
    for entry, finding in zip(data["findings"], shop_report.findings, strict=True):
        expected = finding.to_json()
        expected.pop("docs")
        assert entry == expected
    assert shop_page.count('<tr data-i="') == len(shop_report.findings)
    for route in shop_report.routes:
        assert f"<code>{htmllib.escape(route.path)}</code>" in shop_page
    for model in shop_report.models:
        assert htmllib.escape(model["target"]["code"]) in shop_page


def test_docs_links_only_for_http_urls() -> None:
    base = dict(column=1, end_line=1, end_column=2, source_api="a", target_api="b", effort=1, kind="rewrite")
    good = Finding("R1", "views", "a.py", 1, message="m", suggestion="", docs="https://example.org/x?a=1&b=2", **base)
    bad = Finding("R2", "views", "a.py", 2, message="m", suggestion="", docs="javascript:alert(1)", **base)
    assert html._rule_cell(good) == (
        '<a class="docs" href="https://example.org/x?a=1&amp;b=2" rel="noopener noreferrer">R1</a>'
    )
    assert html._rule_cell(bad) == "R2"


def test_everything_from_the_scan_is_escaped(tmp_path: Path) -> None:
    app = f"""\
from flask import Flask, flash
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
db = SQLAlchemy(app)


class Evil(db.Model):
    {PAYLOAD!r}
    __tablename__ = {PAYLOAD!r}
    id = db.Column(db.Integer, primary_key=True)


@app.route({("/x/" + PAYLOAD)!r})
def evil():
    flash({PAYLOAD!r})
    return ""
"""
    report = scan_source(tmp_path / "app", {"app.py": app})
    page = html.render(report)
    embedded_data(page)  # parses, and holds no raw < > &
    assert "<script>alert(1)" not in page
    assert "alert(1)</script>" not in page
    escaped = htmllib.escape(PAYLOAD, quote=True)
    assert escaped == "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#x27;"
    assert f"table <code>{escaped}</code>" in page
    assert f"<code>/x/{escaped}</code>" in page
    assert any(PAYLOAD in r.path for r in report.routes)
    assert any(m["table"] == PAYLOAD for m in report.models)
    assert report.models


# ---------------------------------------------------------------- in a real browser


def _chromium() -> str:
    path = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
    if path is None:
        pytest.skip("no chromium executable (/usr/bin/chromium or on PATH)")
    return path


def test_page_works_in_a_headless_browser(shop_page: str, shop_report: Report, tmp_path: Path) -> None:
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    target = tmp_path / "report.html"
    target.write_text(shop_page, encoding="utf-8")
    errors: list[str] = []
    total = len(shop_report.findings)
    some_file = shop_report.findings[-1].file
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(target.as_uri())
            visible = "#findings-body tr:not([hidden])"
            assert page.locator(visible).count() == total
            assert page.inner_text("#findings-shown") == str(total)

            page.fill("#filter-text", some_file)
            wheres = page.locator(f"{visible} td.where").all_inner_texts()
            assert 0 < len(wheres) < total
            assert all(some_file in where for where in wheres)
            assert page.inner_text("#findings-shown") == str(len(wheres))

            page.fill("#filter-text", "")
            category = shop_report.findings[0].category
            page.select_option("#filter-category", category)
            categories = page.locator(f"{visible} td.category").all_inner_texts()
            assert len(categories) == sum(1 for f in shop_report.findings if f.category == category)
            assert set(categories) == {category}
            page.select_option("#filter-category", "")
            assert page.locator(visible).count() == total

            def efforts() -> list[int]:
                return [int(v) for v in page.locator(f"{visible} td.num").all_inner_texts()]

            before = efforts()
            page.click('#findings th[data-key="effort"]')
            ascending = efforts()
            assert ascending != before and ascending == sorted(before)
            page.click('#findings th[data-key="effort"]')
            assert efforts() == sorted(before, reverse=True)
            page.click('#findings th[data-key="rule"]')
            rules = page.locator(f"{visible} td:first-child").all_inner_texts()
            assert rules == sorted(rules)

            shot = tmp_path / "fwlint-report.png"
            page.screenshot(path=str(shot), full_page=False)
            assert shot.exists() and shot.stat().st_size > 0
        finally:
            browser.close()
    assert errors == []


def test_the_command_line_writes_the_html_report_with_the_other_artifacts(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from fwlint.cli import main

    page, sarif = tmp_path / "fwlint.html", tmp_path / "fwlint.sarif"
    result = CliRunner().invoke(
        main,
        [
            *("scan", str(FIXTURES / "flask_shop"), "--no-cache"),
            *("--format", "html", "-o", str(page), "--format", "sarif", "-o", str(sarif)),
        ],
    )
    assert result.exit_code == 0, result.output
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sarif.stat().st_size > 0
