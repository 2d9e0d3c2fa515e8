"""Every rule carries before → after examples; this runs them all.

The *before* snippet must produce a finding of the rule (with the expected
source API), and the *after* snippet must be valid Python.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from fwlint.rules_engine.catalog import Rule, load_catalog

from .conftest import scan_source

CATALOG = load_catalog()
EXAMPLES = [
    pytest.param(rule, index, id=f"{rule.code}-{index}")
    for rule in sorted(CATALOG.rules.values(), key=lambda r: r.code)
    for index in range(len(rule.examples))
]


@pytest.mark.parametrize(("rule", "index"), EXAMPLES)
def test_before_produces_the_rule(rule: Rule, index: int, tmp_path: Path) -> None:
    example = rule.examples[index]
    report = scan_source(tmp_path, {"app.py": example.before}, source=rule.direction[0])
    found = [f for f in report.findings if f.rule == rule.code]
    assert found, f"{rule.code} example produced only {sorted({f.rule for f in report.findings})}"
    expected = example.expect or None
    if expected is not None:
        assert expected in {f.source_api for f in found}


@pytest.mark.parametrize(("rule", "index"), EXAMPLES)
def test_after_is_valid_python(rule: Rule, index: int) -> None:
    cst.parse_module(rule.examples[index].after)


def test_codes_are_unique_and_every_rule_has_docs() -> None:
    for rule in CATALOG.rules.values():
        assert rule.docs.startswith("https://"), rule.code
        assert rule.why.strip() and rule.message.strip(), rule.code


@pytest.mark.parametrize(
    "rule",
    [r for r in CATALOG.rules.values() if r.direction[0] == "django" and r.suggestion and r.code != "DF000"],
    ids=lambda r: r.code,
)
def test_django_to_flask_suggestions_are_python(rule: Rule) -> None:
    """A suggestion is code the porter types into a Flask app: Python (templates go through Python too)."""
    cst.parse_module(rule.suggestion)
