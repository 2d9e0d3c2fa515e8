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


ROUTE_IDS = [f"{e['file']}:{e['line']}:{e['path']}" for e in EXPECTED_ROUTES]


@pytest.mark.parametrize("entry", EXPECTED_ROUTES, ids=ROUTE_IDS)
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


MODELS = INVENTORY["models"]


@pytest.mark.parametrize("expected", MODELS, ids=[m["qualname"] for m in MODELS])
def test_each_model_has_every_field_with_its_sqlalchemy_code(report: dict[str, Any], expected: dict[str, Any]) -> None:
    model = next(m for m in report["inventory"]["models"] if m["qualname"] == expected["qualname"])
    assert (model["file"], model["line"], model["table"]) == (expected["file"], expected["line"], expected["table"])
    assert sorted(f["name"] for f in model["fields"]) == sorted(f["name"] for f in expected["fields"])
    by_name = {f["name"]: f for f in model["fields"]}
    for field in expected["fields"]:
        found = by_name[field["name"]]
        assert found["target"] is not None and found["target"]["code"], field["name"]
        if field["line"] is not None and field["inherited_from"] is None:
            assert found["line"] == field["line"], field["name"]
        if field["target"] is not None:
            # A relation names its target model, in the inventory and in the SQLAlchemy code.
            target = field["target"].rsplit(".", 1)[-1]
            assert found["kind"] == "relationship" and target in found["type"], field["name"]
    assert f"class {expected['name']}(" in model["target"]["code"]


def test_no_other_model_is_reported(report: dict[str, Any]) -> None:
    assert sorted(m["qualname"] for m in report["inventory"]["models"]) == sorted(m["qualname"] for m in MODELS)


@pytest.mark.parametrize("expected", INVENTORY["auth"], ids=[f"{a['file']}:{a['line']}" for a in INVENTORY["auth"]])
def test_each_auth_site_is_reported(report: dict[str, Any], expected: dict[str, Any]) -> None:
    at_line = [a for a in report["inventory"]["auth"] if (a["file"], a["line"]) == (expected["file"], expected["line"])]
    assert any(a["source_api"].startswith(expected["api"]) for a in at_line), at_line
