"""The data layer of both fixture apps, end to end: models field by field, forms, queries, auth.

`flask_shop`'s models are checked against a hand-written table below.  Both fixtures'
models, forms (every field and validator), query sites and auth sites are checked against
reviewed snapshots (`tests/golden/<fixture>_data_layer.json`; regenerate with
FWLINT_UPDATE_GOLDEN=1 and read the diff before committing it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import libcst as cst
import pytest

from fwlint.report.model import Report

from .conftest import FIXTURES, ROOT, SEARCH_APP, scan_dir, scan_source, validated_json

# Every field of every shop model and the Django line that replaces it ("" = Django's implicit id).
SHOP_MODELS: dict[str, dict[str, str]] = {
    "User": {
        "id": "",
        "email": "email = models.CharField(max_length=255, unique=True, db_index=True)",
        "display_name": 'display_name = models.CharField(max_length=80, default="")',
        "password_hash": "password_hash = models.CharField(max_length=255)",
        "is_admin": "is_admin = models.BooleanField(default=False)",
        "created_at": "created_at = models.DateTimeField(null=True, blank=True, auto_now_add=True)",
        # The reverse side: Order.user owns the ForeignKey, ``orders`` is its related_name.
        "orders": 'user = models.ForeignKey("User", on_delete=models.PROTECT, related_name="orders")',
    },
    "Author": {
        "id": "",
        "name": "name = models.CharField(max_length=120)",
        "slug": "slug = models.CharField(max_length=140, unique=True, db_index=True)",
        "bio": 'bio = models.TextField(null=True, blank=True, default="")',
        "books": 'books = models.ManyToManyField("Book", related_name="authors", db_table="book_authors")',
    },
    "Book": {
        "id": "",
        "isbn": "isbn = models.CharField(max_length=13, unique=True, db_index=True)",
        "title": "title = models.CharField(max_length=200)",
        "description": 'description = models.TextField(null=True, blank=True, default="")',
        "language": 'language = models.CharField(max_length=2, default="en")',
        "price": "price = models.DecimalField(max_digits=8, decimal_places=2)",
        "stock": "stock = models.IntegerField(default=0)",
        "rating": "rating = models.FloatField(null=True, blank=True)",
        "cover_filename": "cover_filename = models.CharField(max_length=255, null=True, blank=True)",
        "preview_token": "preview_token = models.UUIDField(null=True, blank=True, unique=True)",
        "published_at": "published_at = models.DateField(null=True, blank=True)",
        "authors": 'books = models.ManyToManyField("Book", related_name="authors", db_table="book_authors")',
        "reviews": 'book = models.ForeignKey("Book", on_delete=models.CASCADE, related_name="reviews")',
    },
    "Review": {
        "id": "",
        "book_id": 'book = models.ForeignKey("Book", on_delete=models.CASCADE, related_name="reviews")',
        # No relationship on either side: the database refuses to delete a user with reviews.
        "user_id": 'user = models.ForeignKey("User", on_delete=models.PROTECT, null=True, blank=True)',
        "stars": "stars = models.IntegerField()",
        "body": 'body = models.TextField(null=True, blank=True, default="")',
        "created_at": "created_at = models.DateTimeField(null=True, blank=True, auto_now_add=True)",
        "book": 'book = models.ForeignKey("Book", on_delete=models.CASCADE, related_name="reviews")',
    },
    "Order": {
        "id": "",
        "user_id": 'user = models.ForeignKey("User", on_delete=models.PROTECT, related_name="orders")',
        "status": 'status = models.CharField(max_length=20, default="pending")',
        "created_at": "created_at = models.DateTimeField(null=True, blank=True, db_index=True, auto_now_add=True)",
        "user": 'user = models.ForeignKey("User", on_delete=models.PROTECT, related_name="orders")',
        "items": 'order = models.ForeignKey("Order", on_delete=models.CASCADE, related_name="items")',
    },
    "OrderItem": {
        "id": "",
        "order_id": 'order = models.ForeignKey("Order", on_delete=models.CASCADE, related_name="items")',
        "book_id": 'book = models.ForeignKey("Book", on_delete=models.PROTECT)',
        "quantity": "quantity = models.IntegerField(default=1)",
        "unit_price": "unit_price = models.DecimalField(max_digits=8, decimal_places=2)",
        "order": 'order = models.ForeignKey("Order", on_delete=models.CASCADE, related_name="items")',
        "book": 'book = models.ForeignKey("Book", on_delete=models.PROTECT)',
    },
}


@pytest.fixture(scope="module")
def clinic_report() -> Report:
    return scan_dir(FIXTURES / "flask_clinic")


def _parses(code: str) -> None:
    cst.parse_module(code if code.endswith("\n") else code + "\n")


def test_every_shop_model_field_has_its_django_line(shop_report: Report) -> None:
    found = {m["name"]: {f["name"]: f["target"]["code"] for f in m["fields"]} for m in shop_report.models}
    assert found == SHOP_MODELS


def test_shop_model_findings_carry_the_same_code(shop_report: Report) -> None:
    by_line = {(f.file, f.line): f for f in shop_report.findings if f.rule in ("FD602", "FD603")}
    email = by_line[("shop/models.py", 33)]
    assert email.suggestion == SHOP_MODELS["User"]["email"]
    implicit_id = by_line[("shop/models.py", 32)]
    assert implicit_id.suggestion == "" and "needs no field" in implicit_id.message


@pytest.mark.parametrize("fixture", ["flask_shop", "flask_clinic", "flask_members"])
def test_every_suggestion_and_inventory_snippet_is_valid_python(fixture: str) -> None:
    report = scan_dir(FIXTURES / fixture)
    data = validated_json(report)
    for finding in data["findings"]:
        if finding["category"] in ("orm", "forms", "auth") and finding["suggestion"]:
            _parses(finding["suggestion"])
    inventory = data["inventory"]
    for entry in [*inventory["models"], *inventory["forms"]]:
        _parses(entry["target"]["code"])
        for field in entry["fields"]:
            if field["target"] and field["target"]["code"]:
                _parses(field["target"]["code"])
    for query in inventory["queries"]:
        if query["target"]:
            _parses(query["target"]["code"])


def test_clinic_inventory_counts(clinic_report: Report) -> None:
    assert len(clinic_report.models) == 14
    assert sum(len(m["fields"]) for m in clinic_report.models) == 127
    assert len(clinic_report.forms) == 19
    translated = [q for q in clinic_report.queries if q["target"] is not None]
    assert len(clinic_report.queries) >= 80 and len(translated) >= len(clinic_report.queries) - 3


def test_alembic_revisions_are_one_finding_not_hundreds(clinic_report: Report) -> None:
    assert not [f for f in clinic_report.findings if f.file.startswith("migrations/versions/")]
    env = [f for f in clinic_report.findings if f.rule == "FD690"]
    assert [(f.file, f.line) for f in env] == [("migrations/env.py", 1)]
    assert "1 revision" in env[0].message


def test_hand_written_auth_decorator_is_found_with_its_uses(clinic_report: Report) -> None:
    found = [f for f in clinic_report.findings if f.rule == "FD890"]
    assert [(f.file, f.source_api) for f in found] == [("clinic/auth/decorators.py", "project.auth_decorator")]
    assert "`admin_required`" in found[0].message
    assert "user_passes_test" in found[0].suggestion


def _snapshot(report: Report) -> dict[str, Any]:
    def target(entry: dict[str, Any] | None) -> Any:
        if entry is None:
            return None
        return {"code": entry["code"], "exact": entry["exact"], "notes": entry["notes"]}

    return {
        "models": {
            m["name"]: {
                "table": m["table"],
                "fields": {f["name"]: {"source": f["source"], "django": target(f["target"])} for f in m["fields"]},
                "relations": m["relations"],
                "django": target(m["target"]),
            }
            for m in report.models
        },
        "forms": {
            f["name"]: {
                "model_form": f["model_form"],
                "fields": {
                    x["name"]: {"type": x["type"], "validators": x["validators"], "django": target(x["target"])}
                    for x in f["fields"]
                },
            }
            for f in report.forms
        },
        "queries": [
            {"at": f"{q['file']}:{q['line']}", "code": q["code"], "django": target(q["target"])} for q in report.queries
        ],
        "auth": [
            {"at": f"{a['file']}:{a['line']}", "rule": a["rule"], "api": a["source_api"], "django": a["suggestion"]}
            for a in report.auth
        ],
    }


@pytest.mark.parametrize("fixture", ["flask_shop", "flask_clinic", "flask_members"])
def test_data_layer_matches_the_reviewed_snapshot(fixture: str) -> None:
    snapshot = _snapshot(scan_dir(FIXTURES / fixture))
    golden = ROOT / "tests" / "golden" / f"{fixture}_data_layer.json"
    if os.environ.get("FWLINT_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert snapshot == json.loads(golden.read_text(encoding="utf-8"))


REVISION = '''\
"""{message}"""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = {down}


def upgrade():
    op.add_column("users", sa.Column("{column}", sa.String(80), nullable=True))


def downgrade():
    op.drop_column("users", "{column}")
'''


def test_revision_folders_without_an_env_are_one_finding_each(tmp_path: Path) -> None:
    files = {
        "app.py": SEARCH_APP,
        "app_migrations/201501_init.py": REVISION.format(message="init", revision="a1", down="None", column="bio"),
        "app_migrations/201502_more.py": REVISION.format(message="more", revision="b2", down='"a1"', column="tz"),
    }
    report = scan_source(tmp_path, files)
    found = [(f.file, f.rule) for f in report.findings if f.file.startswith("app_migrations/")]
    assert found == [("app_migrations/201501_init.py", "FD690")]
    assert "2 revisions" in report.findings[[f.rule for f in report.findings].index("FD690")].message


def test_suggestions_stay_python_when_a_call_spans_lines_with_comments(tmp_path: Path) -> None:
    source = SEARCH_APP + (
        "\n\n@app.route('/go/<int:page>')\ndef go(page):\n"
        "    from flask import flash, redirect, url_for\n\n"
        "    flash(\n        'Moved'  # no trailing period\n    )\n"
        "    return redirect(url_for('search', **{'page': page}))\n"
    )
    report = scan_source(tmp_path, {"app.py": source})
    suggestions = {f.rule: f.suggestion for f in report.findings if f.rule in ("FD343", "FD354")}
    assert set(suggestions) == {"FD343", "FD354"}
    for code in suggestions.values():
        _parses(code)
    assert "**{'page': page}" in suggestions["FD343"] or '**{"page": page}' in suggestions["FD343"]
