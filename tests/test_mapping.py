"""Rule selection: longest name wins, exact rules, keyword-conditional rules."""

from __future__ import annotations

from pathlib import Path

from .conftest import scan_source

VIEW = """\
from flask import Flask, request

app = Flask(__name__)


@app.route("/books")
def books():
    q = request.args.get("q", "")
    page = request.args.get("page", 1, type=int)
    app.url_map.iter_rules()
    return q + str(page)
"""


def rules_at(tmp_path: Path, line: int) -> set[str]:
    report = scan_source(tmp_path, {"app.py": VIEW})
    return {f.rule for f in report.findings if f.line == line}


def test_a_plain_get_is_the_request_args_rename(tmp_path: Path) -> None:
    report = scan_source(tmp_path, {"app.py": VIEW})
    plain = next(f for f in report.findings if f.line == 8 and f.source_api == "flask.request.args.get")
    typed = next(f for f in report.findings if f.line == 9 and f.source_api == "flask.request.args.get")
    assert typed.rule == "FD303" and typed.kind == "rewrite"
    assert plain.rule != "FD303" and plain.kind == "mechanical" and plain.effort == 1


def test_constructor_rule_does_not_claim_other_app_methods(tmp_path: Path) -> None:
    report = scan_source(tmp_path, {"app.py": VIEW})
    [site] = [f for f in report.findings if f.line == 10]
    assert site.rule != "FD401"
    assert site.source_api == "flask.Flask.url_map.iter_rules"


FLASHES = """\
from flask import flash
from flask_babel import gettext as _

def notify(kind):
    flash(_("Saved."), "success")
    flash("Careful", category="danger")
    flash("Hello")
    flash("Custom", kind)
"""


def test_flash_suggestions_keep_the_message_and_map_the_category(tmp_path: Path) -> None:
    report = scan_source(tmp_path, {"app.py": FLASHES})
    suggestions = [f.suggestion for f in report.findings if f.rule == "FD354"]
    assert suggestions == [
        'messages.success(request, _("Saved."))',
        'messages.error(request, "Careful")',
        'messages.info(request, "Hello")',
        'messages.add_message(request, messages.INFO, "Custom", extra_tags=kind)',
    ]
