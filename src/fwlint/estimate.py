"""The effort model: points per site, rolled up, turned into a person-days range.

    points        = Σ effort of every finding (an unmapped API counts as 2: it needs a look)
    low_days      = points × hours-per-point-low  / hours-per-day
    high_days     = points × hours-per-point-high / hours-per-day
    mechanical    = points of mechanical findings / points

Effort per site follows the catalog's scale: 1 a rename or import swap, 2 a
mechanical change with arguments to check, 3 a local rewrite, 5 a change that
crosses files or touches data or security, 8 an architectural change.  The
constants live in ``[tool.fwlint.estimate]``.
"""

from __future__ import annotations

from fwlint.config import EstimateSettings
from fwlint.report.model import Estimate, Finding, Report, Rollup


def formula(settings: EstimateSettings) -> str:
    return (
        f"days = effort points × {settings.hours_per_point_low:g}–{settings.hours_per_point_high:g} hours "
        f"per point ÷ {settings.hours_per_day:g} hours per day"
    )


def estimate(findings: list[Finding], settings: EstimateSettings) -> Estimate:
    points = sum(f.effort for f in findings)
    mechanical = sum(f.effort for f in findings if f.kind == "mechanical")
    return Estimate(
        effort_points=points,
        low_days=round(points * settings.hours_per_point_low / settings.hours_per_day, 1),
        high_days=round(points * settings.hours_per_point_high / settings.hours_per_day, 1),
        mechanical_share=round(mechanical / points, 3) if points else 0.0,
        formula=formula(settings),
    )


def roll_up(report: Report, settings: EstimateSettings) -> None:
    """Fill the report's totals, per category, per file and per blueprint/module."""
    report.by_category = {}
    report.by_file = {}
    report.by_unit = {}
    for finding in report.findings:
        report.by_category.setdefault(finding.category, Rollup()).add(finding.effort)
        report.by_file.setdefault(finding.file, Rollup()).add(finding.effort)
        report.by_unit.setdefault(finding.unit or "(project)", Rollup()).add(finding.effort)
    report.estimate = estimate(report.findings, settings)
