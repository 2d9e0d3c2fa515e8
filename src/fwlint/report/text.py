"""The terminal report (rich): summary first, then where the work is.

Readable at 80 columns; colour only on a terminal (rich drops styles when the
output is piped or NO_COLOR is set).
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from fwlint.report.model import EMPTY_PATH, Report, route_heading, target_name, units_heading
from fwlint.report.model import FRAMEWORK_NAMES as NAMES

KIND_STYLE = {"mechanical": "green", "rewrite": "yellow", "no-equivalent": "red", "unmapped": "magenta"}


def _days(value: float) -> str:
    return f"{value:g}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _data_layer(report: Report, limit: int | None) -> Table:
    """Models and forms, a row each: where, what it becomes, and whether the translation needs review."""
    table = Table(title="Models and forms", box=box.SIMPLE_HEAD, title_justify="left", title_style="bold")
    table.add_column("line", justify="right", style="dim", no_wrap=True)
    # The class column also carries the file rows: wide enough for a path, within 80 columns.
    paths = [m["file"] for m in report.models] + [f["file"] for f in report.forms]
    table.add_column("class", overflow="fold", min_width=min(max(map(len, paths), default=10), 36))
    table.add_column("fields", justify="right")
    table.add_column(f"{target_name(report)} (* = read the notes)", overflow="fold")
    rows: list[tuple[str, int, str, int, str, str]] = []
    kind = "Model" if report.target_framework == "django" else "SQLAlchemy model"
    for model in report.models:
        target = f"abstract {kind}" if model["abstract"] else f"{kind}, table {model['table']}"
        review = "" if model["target"]["exact"] else " *"
        rows.append((model["file"], model["line"], model["name"], len(model["fields"]), target, review))
    for form in report.forms:
        base = "ModelForm" if report.target_framework == "django" else "FlaskForm from model"
        target = f"{base}({form['model_form']})" if form["model_form"] else ("Form" if kind == "Model" else "FlaskForm")
        review = "" if form["target"]["exact"] else " *"
        rows.append((form["file"], form["line"], form["name"], len(form["fields"]), target, review))
    rows.sort()
    current = None
    for file, line, name, fields, target, review in rows if limit is None else rows[:limit]:
        if file != current:
            current = file
            table.add_row("", Text(file, style="bold cyan"), "", "")
        table.add_row(str(line), escape(name), str(fields), escape(target + review))
    if limit is not None and len(rows) > limit:
        table.caption = f"… and {len(rows) - limit} more (--format json)"
    return table


def _summary(report: Report) -> Table:
    estimate = report.estimate
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    mapped, unmapped = report.coverage_mapped, report.coverage_unmapped
    total = mapped + unmapped
    coverage = f"{mapped / total:.0%}" if total else "n/a"
    table.add_row(
        "Findings", f"{len(report.findings)} sites  (API coverage {coverage}: {mapped} mapped, {unmapped} unmapped)"
    )
    if estimate:
        table.add_row(
            "Effort",
            f"{estimate.effort_points} points ≈ {_days(estimate.low_days)}–{_days(estimate.high_days)} person-days",
        )
        table.add_row("Mechanical", f"{estimate.mechanical_share:.0%} of the effort can be done by a codemod")
    blockers = len(report.blockers)
    table.add_row("Blockers", f"{blockers} site{'' if blockers == 1 else 's'} with no equivalent")
    table.add_row("Routes", str(len(report.routes)))
    if report.models or report.forms or report.queries or report.auth:
        fields = sum(len(m["fields"]) for m in report.models)
        form_fields = sum(len(f["fields"]) for f in report.forms)
        translated = sum(1 for q in report.queries if q["target"] is not None)
        table.add_row("Models", f"{_count(len(report.models), 'model')}, {_count(fields, 'field')}")
        table.add_row("Forms", f"{_count(len(report.forms), 'form')}, {_count(form_fields, 'field')}")
        table.add_row("Queries", f"{_count(len(report.queries), 'site')} ({translated} with QuerySet code)")
        table.add_row("Auth", _count(len(report.auth), "site"))
    table.add_row("Templates", str(len(report.templates)))
    errors = report.files_with_errors
    table.add_row("Errors", f"{errors} file{'' if errors == 1 else 's'} could not be analysed" if errors else "none")
    return table


def _categories(report: Report) -> Table:
    table = Table(title="By category", box=box.SIMPLE_HEAD, title_justify="left", title_style="bold")
    table.add_column("category")
    table.add_column("sites", justify="right")
    table.add_column("points", justify="right")
    total = sum(r.effort_points for r in report.by_category.values()) or 1
    table.add_column("share", justify="right")
    for name, rollup in sorted(report.by_category.items(), key=lambda kv: -kv[1].effort_points):
        table.add_row(name, str(rollup.findings), str(rollup.effort_points), f"{rollup.effort_points / total:.0%}")
    return table


def _ranked(title: str, header: str, rows: dict[str, object], limit: int) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", title_style="bold")
    table.add_column(header, overflow="fold")
    table.add_column("sites", justify="right")
    table.add_column("points", justify="right")
    ranked = sorted(rows.items(), key=lambda kv: (-kv[1].effort_points, kv[0]))  # type: ignore[attr-defined]
    for name, rollup in ranked[:limit]:
        table.add_row(escape(name), str(rollup.findings), str(rollup.effort_points))  # type: ignore[attr-defined]
    if len(ranked) > limit:
        table.caption = f"… and {len(ranked) - limit} more"
    return table


def _routes(report: Report, limit: int | None) -> Table:
    """Routes grouped by file (a section row per file), so each row stays narrow."""
    source, target_words = route_heading(report)
    table = Table(
        title=f"Routes ({source} → {target_words})", box=box.SIMPLE_HEAD, title_justify="left", title_style="bold"
    )
    table.add_column("line", justify="right", style="dim", no_wrap=True)
    table.add_column("methods", no_wrap=True)
    table.add_column(source, overflow="fold", ratio=1)
    table.add_column(target_name(report), overflow="fold", ratio=1)
    # One row per declaration: a MethodView's per-method entries share their rule.
    grouped: dict[tuple[str, int, str], list[str]] = {}
    targets: dict[tuple[str, int, str], dict[str, object]] = {}
    for route in report.routes:
        key = (route.file, route.line, route.path)
        grouped.setdefault(key, []).extend(m for m in route.methods if m not in grouped.get(key, []))
        targets.setdefault(key, route.target)
    keys = list(grouped) if limit is None else list(grouped)[:limit]
    current = None
    for key in keys:
        file, line, path = key
        if file != current:
            current = file
            table.add_row("", "", Text(file, style="bold cyan"), "")
        target = targets[key]
        django = target.get("path")
        if django is None:
            shown = f"? {target.get('error', '')}"
        elif target.get("function") == "re_path":
            shown = f"re_path {django}"
        else:
            shown = str(django) or '""'
        table.add_row(str(line), ",".join(grouped[key]), escape(path or EMPTY_PATH), escape(shown))
    if limit is not None and len(grouped) > limit:
        table.caption = f"… and {len(grouped) - limit} more (--routes all, or --format json)"
    return table


def _worklist(report: Report, console: Console) -> None:
    """Every site, file by file; suggested code is never wrapped, so it can be copied."""
    console.print(Text("Worklist", style="bold underline"))
    current = None
    for finding in report.findings:
        if finding.file != current:
            current = finding.file
            console.print(Text(f"\n{finding.file}", style="bold cyan"))
        line = Text()
        line.append(f"  {finding.line}:{finding.column} ", style="dim")
        line.append(finding.rule + " ", style=KIND_STYLE.get(finding.kind, ""))
        line.append(finding.message)
        console.print(line)
        for suggestion_line in finding.suggestion.splitlines():
            console.print(Text("      → " + suggestion_line, style="green"), soft_wrap=True)


def render(
    report: Report,
    console: Console,
    worklist: bool = False,
    route_limit: int | None = 25,
    explain_estimate: bool = False,
) -> None:
    direction = f"{NAMES[report.source_framework]} → {NAMES[report.target_framework]}"
    header = Text()
    header.append("fwlint ", style="bold")
    header.append(f"{report.tool_version}  ")
    header.append(direction, style="bold magenta")
    header.append(f"  {report.root}")
    console.print(header)
    detected = report.detected
    console.print(
        Text(
            f"{report.files_scanned} Python files, detected: {detected.get('framework')} "
            f"(flask {detected.get('flask', 0)} files, django {detected.get('django', 0)} files)",
            style="dim",
        )
    )
    if report.source_framework is None:
        console.print("\nNo Flask or Django code found: nothing to port. Use --from to force a direction.")
        return
    console.print()
    console.print(_summary(report))
    if report.estimate and explain_estimate:
        console.print(Text(report.estimate.formula, style="dim"))
    console.print()
    if report.by_category:
        console.print(_categories(report))
        console.print(_ranked("Hot files", "file", dict(report.by_file), 10))
        console.print(_ranked(units_heading(report), "unit", dict(report.by_unit), 10))
    if report.routes:
        console.print(_routes(report, route_limit))
    if report.models or report.forms:
        console.print(_data_layer(report, route_limit))
    if report.unmapped_apis:
        table = Table(
            title="Unmapped framework APIs (no rule yet)", box=box.SIMPLE_HEAD, title_justify="left", title_style="bold"
        )
        table.add_column("API", overflow="fold")
        table.add_column("sites", justify="right")
        items = list(report.unmapped_apis.items())
        for name, count in items[:10]:
            table.add_row(escape(name), str(count))
        if len(items) > 10:
            table.caption = f"… and {len(items) - 10} more"
        console.print(table)
    if report.errors:
        table = Table(title="Files not analysed", box=box.SIMPLE_HEAD, title_justify="left", title_style="bold")
        table.add_column("file", overflow="fold")
        table.add_column("problem", overflow="fold")
        for error in report.errors[:20]:
            where = f"{error.path}:{error.line}" if error.line else error.path
            table.add_row(escape(where), escape(error.message))
        if len(report.errors) > 20:
            table.caption = f"… and {len(report.errors) - 20} more (--format json lists all)"
        console.print(table)
    if worklist:
        _worklist(report, console)
    else:
        words = f"Per-site worklist with the {target_name(report)} code to write: --worklist"
        console.print(Text(words, style="dim"))
