from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from fwlint.api import scan
from fwlint.config import Settings
from fwlint.extract import SourceFile, extract_source
from fwlint.facts import FileFacts
from fwlint.link.index import ProjectIndex
from fwlint.report import json_report
from fwlint.report.model import Report

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"

# A one-route Flask app that sits next to the bad inputs and odd layouts the tests build.
SEARCH_APP = """\
from flask import Flask, request

app = Flask(__name__)


@app.route("/search")
def search():
    return request.args.get("q", "")
"""


def scan_dir(path: Path, **overrides: Any) -> Report:
    settings = Settings(cache=False, jobs=1).with_overrides(**overrides)
    return scan(path, settings)


def scan_source(tmp_path: Path, files: dict[str, str], **overrides: Any) -> Report:
    """Write ``files`` (relative path -> source) under tmp_path and scan it."""
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return scan_dir(tmp_path, **overrides)


def index_of(files: dict[str, str]) -> ProjectIndex:
    """The project index of in-memory sources (relative path -> source), without touching disk."""
    facts: list[FileFacts] = []
    for name, text in files.items():
        is_package = name.endswith("__init__.py")
        module = name.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        result = extract_source(SourceFile(name, name, module, is_package), text.encode("utf-8"), 2_000_000)
        assert isinstance(result, FileFacts), result
        facts.append(result)
    return ProjectIndex(facts)


def validated_json(report: Report) -> dict[str, Any]:
    """The JSON report, checked against the shipped schema."""
    data = json.loads(json_report.render(report))
    jsonschema.validate(data, json_report.schema())
    return data


@pytest.fixture(scope="session")
def shop_report() -> Report:
    return scan_dir(FIXTURES / "flask_shop")
