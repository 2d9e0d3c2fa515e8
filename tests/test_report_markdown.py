"""The Markdown report: golden file for the shop, headline numbers, escaping of scanned code, size cap.

Regenerate the golden file after an intended change with
``FWLINT_UPDATE_GOLDEN=1 pytest tests/test_report_markdown.py``, then read the diff before committing it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fwlint.report import markdown
from fwlint.report.model import Report
from tests.conftest import FIXTURES, scan_dir, scan_source
from tests.test_golden_reports import check_golden


def outside_code_blocks(document: str) -> str:
    """The document without its fenced code blocks (a fence closes only with a run at least as long)."""
    kept: list[str] = []
    fence: str | None = None
    for line in document.splitlines():
        match = re.match(r"^(`{3,})", line)
        if fence is None:
            if match:
                fence = match.group(1)
                continue
            kept.append(line)
        elif match and line.strip() == "`" * len(line.strip()) and len(line.strip()) >= len(fence):
            fence = None
    assert fence is None, "a code block is never closed"
    return "\n".join(kept)


def code_blocks(document: str) -> list[str]:
    blocks: list[str] = []
    fence: str | None = None
    current: list[str] = []
    for line in document.splitlines():
        if fence is None:
            match = re.match(r"^(`{3,})", line)
            if match:
                fence, current = match.group(1), []
        elif line.strip() and line.strip() == "`" * len(line.strip()) and len(line.strip()) >= len(fence):
            blocks.append("\n".join(current))
            fence = None
        else:
            current.append(line)
    return blocks


def test_shop_markdown_golden(shop_report: Report) -> None:
    document = markdown.render(shop_report)
    assert markdown.text(shop_report.root) in document
    check_golden("flask_shop.md", document.replace(markdown.text(shop_report.root), "&lt;root&gt;"))


def test_headline_numbers_match_the_report(shop_report: Report) -> None:
    document = markdown.render(shop_report)
    estimate = shop_report.estimate
    assert estimate is not None
    assert "Flask → Django" in document
    assert f"| Files | {shop_report.files_scanned} |" in document
    assert f"| Findings | {len(shop_report.findings)} |" in document
    assert f"**{estimate.effort_points} points** ≈ {estimate.low_days:g}–{estimate.high_days:g} person-days" in document
    assert f"{estimate.mechanical_share:.0%} of the effort" in document
    assert f"**{len(shop_report.blockers)}** sites with no equivalent" in document
    mapped, unmapped = shop_report.coverage_mapped, shop_report.coverage_unmapped
    assert f"({mapped} mapped, {unmapped} unmapped)" in document
    assert f"{len(shop_report.models)} models" in document
    assert f"{len(shop_report.queries)} sites" in document


def test_every_category_has_a_row(shop_report: Report) -> None:
    document = markdown.render(shop_report)
    total = sum(r.effort_points for r in shop_report.by_category.values())
    for name, rollup in shop_report.by_category.items():
        share = f"{rollup.effort_points / total:.0%}"
        assert f"| {name} | {rollup.findings} | {rollup.effort_points} | {share} |" in document


def test_route_row_model_code_and_blockers(shop_report: Report) -> None:
    document = markdown.render(shop_report)
    row = "| <code>shop/\\_\\_init\\_\\_.py:110</code> | GET | <code>/healthz</code> | <code>healthz</code> |"
    assert row in document
    user = next(m for m in shop_report.models if m["name"] == "User")
    assert f"```python\n{user['target']['code']}\n```" in document
    assert user["target"]["code"] in code_blocks(document)
    for blocker in shop_report.blockers:
        assert f"| {blocker.rule} | <code>{blocker.file}:{blocker.line}</code> |" in document
    assert document.count("<details>") == document.count("</details>") == 3
    assert "Report truncated" not in document


HOSTILE = '''\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
db = SQLAlchemy(app)


class Evil_Pipe(db.Model):
    """A <script>alert(1)</script> | model with ``` fences ``` and `ticks`."""

    __tablename__ = "t<script>|x"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), default="```</details><script>alert(1)</script>|")


@app.route("/a|b/<script>/<int:id>/```")
def evil(id):
    """<img src=x onerror=alert(1)> | ```"""
    return "<b>&amp;</b>"


@app.route("/x", endpoint="<script>|`tick`")
def other():
    return ""
'''


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, str]:
    root = tmp_path_factory.mktemp("app_<script>|`x`")
    report = scan_source(root, {"app.py": HOSTILE})
    return report, markdown.render(report)


def test_hostile_names_are_scanned(hostile: tuple[Report, str]) -> None:
    report, _ = hostile
    assert any("<script>" in r.path for r in report.routes)
    assert any("|" in m["name"] for m in report.models) or any("|" in str(m["table"]) for m in report.models)
    assert any("```" in m["target"]["code"] for m in report.models)


def test_nothing_leaks_outside_code_blocks(hostile: tuple[Report, str]) -> None:
    _, document = hostile
    prose = outside_code_blocks(document)
    # Only the report's own tags appear as HTML.
    tags = set(re.findall(r"</?([a-zA-Z]+)", prose))
    assert tags <= {"code", "details", "summary", "sub"}, tags
    assert "<script" not in prose and "<img" not in prose
    assert "&lt;script&gt;" in prose
    # Every table row has exactly the number of cells of its header (no unescaped | from the code).
    header_cells = 0
    for line in prose.splitlines():
        if not line.startswith("|"):
            header_cells = 0
            continue
        cells = len(re.findall(r"(?<!\\)\|", line)) - 1
        if header_cells == 0:
            header_cells = cells
        assert cells == header_cells, line
    # No backtick outside a code block opens a code span: they are all escaped or part of our own text.
    unescaped = re.findall(r"(?<!\\)`", prose.replace("`fwlint scan --format json`", "").replace("`--from`", ""))
    assert unescaped == []
    # No bare &: each one starts an entity.
    assert re.findall(r"&(?!amp;|lt;|gt;)", prose) == []


def test_code_with_fences_stays_in_its_block(hostile: tuple[Report, str]) -> None:
    report, document = hostile
    model = report.models[0]
    assert model["target"]["code"] in code_blocks(document)
    assert "````python\n" in document  # longer than the ``` inside the model code


def test_escaping_helpers() -> None:
    assert markdown.text("a|b <i>&`c`*_[x]\n$y@z #1") == "a\\|b &lt;i&gt;&amp;\\`c\\`\\*\\_\\[x\\] \\$y\\@z \\#1"
    assert markdown.prose("use `a|<b>` here") == "use <code>a\\|&lt;b&gt;</code> here"
    assert markdown.line_start("- x") == "\\- x" and markdown.line_start("12) x") == "12\\) x"
    assert markdown.line_start("x - 1") == "x - 1"
    assert markdown.fenced("x = '````'") == "`````python\nx = '````'\n`````\n"
    assert markdown.fenced("pass\n", "") == "```\npass\n```\n"


def test_truncation_keeps_the_summary_and_says_what_is_missing() -> None:
    report = scan_dir(FIXTURES / "flask_clinic")
    full = markdown.render(report)
    assert len(full.encode("utf-8")) > 20_000
    document = markdown.render(report, max_bytes=20_000)
    assert len(document.encode("utf-8")) <= 20_000
    assert f"| Findings | {len(report.findings)} |" in document
    assert "### By category" in document and "### Hot files" in document and "### Data layer" in document
    assert document.count("<details>") == document.count("</details>")
    assert outside_code_blocks(document)  # every code block is closed
    last = document.rstrip().splitlines()
    assert "Report truncated" in last[-2]
    assert "`fwlint scan --format json`" in last[-1] and "--format html" in last[-1]
    assert "findings by file" in last[-2]


@pytest.mark.parametrize("limit", [300, 2_000, 5_000, 60_000])
def test_any_limit_is_respected(limit: int, shop_report: Report) -> None:
    document = markdown.render(shop_report, max_bytes=limit)
    assert len(document.encode("utf-8")) <= limit
    if limit >= 5_000:
        assert document.startswith("## fwlint")
        assert document.count("<details>") == document.count("</details>")


def test_no_framework_found(tmp_path: Path) -> None:
    report = scan_source(tmp_path, {"tool.py": "print('hello')\n"})
    document = markdown.render(report)
    assert "No Flask or Django code found" in document
    assert "<details>" not in document
