"""Snapshot of the terminal report for the fixture shop (each golden file was read and checked).

Regenerate after an intended change with ``FWLINT_UPDATE_GOLDEN=1 pytest tests/test_golden_reports.py``,
then read the diff before committing it.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from rich.console import Console

from fwlint.report import text
from fwlint.report.model import Report

GOLDEN = Path(__file__).parent / "golden"


def render_text(report: Report, **options: object) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None, force_terminal=False)
    text.render(report, console, **options)  # type: ignore[arg-type]
    return buffer.getvalue().replace(report.root, "<root>")


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("FWLINT_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_shop_text_report(shop_report: Report) -> None:
    check_golden("flask_shop.txt", render_text(shop_report, route_limit=None, explain_estimate=True))
