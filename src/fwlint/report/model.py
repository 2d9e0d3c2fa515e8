"""The report object every output format is rendered from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fwlint.facts import FileError


@dataclass
class Finding:
    rule: str
    category: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    source_api: str
    target_api: str
    effort: int
    kind: str  # mechanical | rewrite | no-equivalent | unmapped
    message: str
    suggestion: str
    docs: str = ""
    unit: str = ""  # blueprint or module the site belongs to

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "source_api": self.source_api,
            "target_api": self.target_api,
            "effort": self.effort,
            "kind": self.kind,
            "message": self.message,
            "suggestion": self.suggestion,
            "docs": self.docs,
            "unit": self.unit,
        }


@dataclass
class RouteEntry:
    methods: list[str]
    path: str
    handler: str
    file: str
    line: int
    endpoint: str
    blueprint: str | None
    target: dict[str, Any]
    is_async: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "methods": self.methods,
            "path": self.path,
            "handler": self.handler,
            "file": self.file,
            "line": self.line,
            "endpoint": self.endpoint,
            "blueprint": self.blueprint,
            "is_async": self.is_async,
            "target": self.target,
        }


@dataclass
class Rollup:
    findings: int = 0
    effort_points: int = 0

    def add(self, effort: int) -> None:
        self.findings += 1
        self.effort_points += effort

    def to_json(self) -> dict[str, int]:
        return {"findings": self.findings, "effort_points": self.effort_points}


@dataclass
class Estimate:
    effort_points: int
    low_days: float
    high_days: float
    mechanical_share: float
    formula: str


@dataclass
class Report:
    tool_version: str
    root: str
    source_framework: str | None
    target_framework: str | None
    detected: dict[str, int]
    files_scanned: int
    findings: list[Finding] = field(default_factory=list)
    routes: list[RouteEntry] = field(default_factory=list)
    models: list[dict[str, Any]] = field(default_factory=list)
    forms: list[dict[str, Any]] = field(default_factory=list)
    auth: list[dict[str, Any]] = field(default_factory=list)
    queries: list[dict[str, Any]] = field(default_factory=list)
    templates: list[dict[str, Any]] = field(default_factory=list)
    # A Django project's settings as the port sees them (None for Flask projects).
    project_structure: dict[str, Any] | None = None
    errors: list[FileError] = field(default_factory=list)
    estimate: Estimate | None = None
    coverage_mapped: int = 0
    coverage_unmapped: int = 0
    by_category: dict[str, Rollup] = field(default_factory=dict)
    by_file: dict[str, Rollup] = field(default_factory=dict)
    by_unit: dict[str, Rollup] = field(default_factory=dict)
    unmapped_apis: dict[str, int] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)
    # With ``--baseline``: {file, new, unchanged, fixed}; the findings are then the new ones only.
    baseline: dict[str, Any] | None = None

    @property
    def files_with_errors(self) -> int:
        return len({e.path for e in self.errors})

    @property
    def blockers(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "no-equivalent" and f.effort >= 3]


# How reports name each framework and what a URL declaration is called in it.
FRAMEWORK_NAMES = {"flask": "Flask", "django": "Django", None: "?"}
# How reports show an empty pattern (Django's root URL is ``path("", ...)``).
EMPTY_PATH = '""'
ROUTE_WORDS = {"flask": "Flask rule", "django": "Django pattern", None: "route"}


def route_heading(report: Report) -> tuple[str, str]:
    """(source column, target column) for a route table: "Flask rule" → "Django pattern" or back."""
    return ROUTE_WORDS[report.source_framework], ROUTE_WORDS[report.target_framework]


def units_heading(report: Report) -> str:
    """What a unit of the port is: a Flask blueprint, or a Django app."""
    return "By app / module" if report.source_framework == "django" else "By blueprint / module"


def target_name(report: Report) -> str:
    return FRAMEWORK_NAMES[report.target_framework]
