"""fwlint on the Django fixture, compared with its hand-written expected routes and inventory
(``fixtures/django_library/expected_*.json``, proven against Django by test_fixture_django_library)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from .conftest import FIXTURES, scan_dir, validated_json

LIBRARY = FIXTURES / "django_library"
EXPECTED_ROUTES: list[dict[str, Any]] = json.loads((LIBRARY / "expected_routes.json").read_text())
INVENTORY: dict[str, Any] = json.loads((LIBRARY / "expected_inventory.json").read_text())


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return validated_json(scan_dir(LIBRARY))


def test_the_direction_is_detected(report: dict[str, Any]) -> None:
    assert report["project"]["source_framework"] == "django"
    assert report["project"]["target_framework"] == "flask"
    assert report["errors"] == []


def test_every_url_is_found_once(report: dict[str, Any]) -> None:
    found = Counter((r["file"], r["line"], r["path"]) for r in report["inventory"]["routes"])
    expected = Counter((e["file"], e["line"], e["path"]) for e in EXPECTED_ROUTES)
    assert found == expected


@pytest.mark.parametrize("entry", EXPECTED_ROUTES, ids=[f"{e['file']}:{e['line']}:{e['path']}" for e in EXPECTED_ROUTES])
def test_each_route_matches_the_expected_one(report: dict[str, Any], entry: dict[str, Any]) -> None:
    route = next(
        r
        for r in report["inventory"]["routes"]
        if (r["file"], r["line"], r["path"]) == (entry["file"], entry["line"], entry["path"])
    )
    assert route["methods"] == entry["methods"]
    assert route["target"]["path"] == entry["flask_rule"]
    assert route["is_async"] == entry["is_async"]
    handler = entry["view"] + (f".{entry['action']}" if entry["action"] else "")
    if entry["view_kind"] != "include-admin":
        assert route["handler"] == handler
    if entry["name"]:
        assert route["endpoint"] == entry["name"]
