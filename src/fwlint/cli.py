"""The command line: ``fwlint scan``, ``fwlint rules``, ``fwlint schema``."""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from rich.table import Table

    from fwlint.config import Settings
    from fwlint.gates import Gate
    from fwlint.report.model import Report

from fwlint import __version__
from fwlint.config import ConfigError, find_project_root, load_settings
from fwlint.output import write_atomically
from fwlint.rules_engine.catalog import Catalog, Rule, RuleError, load_catalog

FORMATS = ("text", "json", "sarif", "markdown", "html", "gitlab", "junit")
# Progress is shown only when this many files need parsing (a warm or small scan is instant).
PROGRESS_THRESHOLD = 50


def _stderr() -> Console:
    return Console(stderr=True)


def _fail(message: str) -> NoReturn:
    _stderr().print(f"[bold red]error:[/] {escape(message)}")
    sys.exit(2)


class _Group(click.Group):
    """Turns an unexpected exception into the contract's exit code 2 (not Python's 1)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except OSError as exc:
            _fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
        except Exception as exc:
            _fail(f"internal error: {type(exc).__name__}: {exc} (please report it)")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fwlint")
def main() -> None:
    """fwlint: what a Flask ⇄ Django port involves, site by site."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--from", "source", type=click.Choice(["flask", "django"]), help="Source framework (default: detected).")
@click.option(
    "--to", "target", type=click.Choice(["flask", "django"]), help="Target framework (default: the other one)."
)
@click.option(
    "--format",
    "output_formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="Report format (default: text). Repeatable: the n-th --format goes to the n-th --output.",
)
@click.option(
    "--output",
    "-o",
    "outputs",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="Write the report to FILE (repeatable, paired with --format in order).",
)
@click.option("--jobs", "-j", type=click.IntRange(min=0), help="Worker processes (default: all cores).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the facts cache.")
@click.option(
    "--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Cache location (default: .fwlint_cache)."
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="pyproject.toml to read [tool.fwlint] from (default: the project's).",
)
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Project root when PATHS are files (default: nearest .git/pyproject.toml/setup.py).",
)
@click.option("--ignore", "ignore", multiple=True, help="Rule code or prefix to turn off (repeatable).")
@click.option("--worklist", is_flag=True, help="Text format: list every site with the code to write.")
@click.option("--routes", "route_limit", default="25", show_default=True, help="Text format: routes to show, or 'all'.")
@click.option("--explain-estimate", is_flag=True, help="Text format: print the estimate's formula.")
@click.option(
    "--diff",
    "--changed-since",
    "diff_ref",
    metavar="REF",
    help="Report only files changed since the git REF (and untracked ones); the whole project is still read.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record today's findings in FILE (the ratchet's starting point).",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report only findings FILE does not know; exit 1 when there are any.",
)
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    help="Exit 1 when: any, new, unmapped, blockers, effort>N, category:NAME, rule:CODE (repeatable).",
)
def scan(
    paths: tuple[Path, ...],
    source: str | None,
    target: str | None,
    output_formats: tuple[str, ...],
    outputs: tuple[Path, ...],
    jobs: int | None,
    no_cache: bool,
    cache_dir: Path | None,
    config_file: Path | None,
    root: Path | None,
    ignore: tuple[str, ...],
    worklist: bool,
    route_limit: str,
    explain_estimate: bool,
    diff_ref: str | None,
    write_baseline: Path | None,
    baseline_file: Path | None,
    fail_on: tuple[str, ...],
) -> None:
    """Scan PATHS (a project directory, or files inside one) and report the port."""
    from fwlint.api import scan as run_scan
    from fwlint.gates import Gate, GateError
    from fwlint.report import text

    artifacts = _pair_outputs(output_formats, outputs)
    try:
        gates = [Gate.parse(g) for g in fail_on]
    except GateError as exc:
        _fail(str(exc))
    if baseline_file is not None and write_baseline is not None:
        _fail("--baseline and --write-baseline do not go together: write the baseline first")
    if baseline_file is not None and not any(g.text == "new" for g in gates):
        gates.append(Gate("new"))  # a baseline is a ratchet: anything new fails the run
    paths = paths or (Path("."),)
    only_files: set[str] | None = None
    if len(paths) == 1 and paths[0].is_dir() and root is None:
        root = paths[0].resolve()
    else:
        root = root.resolve() if root is not None else find_project_root(paths[0])
        only_files = set()
        for path in paths:
            resolved = path.resolve()
            try:
                relative = resolved.relative_to(root)
            except ValueError:
                _fail(f"{path} is outside the project root {root}")
            only_files.add(relative.as_posix())
    if diff_ref is not None:
        changed = _changed_files(root, diff_ref)
        only_files = changed if only_files is None else only_files & changed
    if source is not None and target is not None and source == target:
        _fail("--from and --to name the same framework")
    try:
        settings = load_settings(config_file or root / "pyproject.toml")
    except ConfigError as exc:
        _fail(str(exc))
    settings = settings.with_overrides(
        source=source,
        target=target,
        jobs=jobs,
        cache=False if no_cache else None,
        cache_dir=str(cache_dir) if cache_dir else None,
        ignore=tuple(settings.ignore) + ignore if ignore else None,
    )
    limit = None if route_limit == "all" else int(route_limit) if route_limit.isdigit() else 25

    err = _stderr()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]parsing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task("parse", total=None, visible=False)

        def on_progress(done: int, total: int) -> None:
            if total >= PROGRESS_THRESHOLD:
                progress.update(task, completed=done, total=total, visible=True)

        # A scan builds hundreds of thousands of small, acyclic objects (facts from the cache
        # and the workers); the cyclic collector would rescan them again and again, for
        # nothing: off for this short-lived process, it halves a warm partial scan.
        gc.disable()
        try:
            report = run_scan(root, settings, on_progress, None, only_files)
        except RuleError as exc:
            _fail(str(exc))
    failed = _ratchet(report, root, settings, only_files, write_baseline, baseline_file, gates)

    if len(artifacts) == 1 and artifacts[0][1] is None:
        output_format = artifacts[0][0]
        if output_format == "text":
            text.render(report, Console(), worklist, limit, explain_estimate)
        else:
            sys.stdout.write(_render(output_format, report, settings.rule_files))
        _exit_for(failed)
        return
    # Render everything first: a failing renderer then leaves no half-written set of artifacts.
    rendered: list[tuple[Path, str]] = []
    for output_format, output in artifacts:
        assert output is not None
        if output_format == "text":
            console = Console(record=True, width=100, file=open(os.devnull, "w"))  # noqa: SIM115
            text.render(report, console, worklist, limit, explain_estimate)
            rendered.append((output, console.export_text()))
        else:
            rendered.append((output, _render(output_format, report, settings.rule_files)))
    for output, content in rendered:
        write_atomically(output, content)
    _exit_for(failed)


def _ratchet(
    report: Report,
    root: Path,
    settings: Settings,
    only_files: set[str] | None,
    write_baseline: Path | None,
    baseline_file: Path | None,
    gates: list[Gate],
) -> list[str]:
    """Write or apply the baseline, then check the gates; returns the gates that failed."""
    from fwlint.baseline import BaselineError, apply_baseline
    from fwlint.baseline import write_baseline as write
    from fwlint.estimate import roll_up
    from fwlint.gates import GateError, failures

    err = _stderr()
    if write_baseline is not None:
        count = write(report, root, write_baseline)
        err.print(f"fwlint: baseline of {count} finding{'' if count == 1 else 's'} written to {write_baseline}")
    if baseline_file is not None:
        try:
            comparison = apply_baseline(
                report, root, baseline_file, lambda file: only_files is None or file in only_files
            )
        except BaselineError as exc:
            _fail(str(exc))
        report.baseline = comparison.to_json()
        roll_up(report, settings.estimate)  # the summary now counts the new findings only
        err.print(
            f"fwlint: {comparison.new} new, {comparison.unchanged} already in the baseline, "
            f"{comparison.fixed} site{'' if comparison.fixed == 1 else 's'} ported since the baseline"
        )
    try:
        failed = failures(gates, report, baseline_file is not None)
    except GateError as exc:
        _fail(str(exc))
    for line in failed:
        err.print(f"fwlint: {line}")
    return failed


def _changed_files(root: Path, ref: str) -> set[str]:
    """Files under ``root`` changed since ``ref`` (committed or not) and untracked ones, relative to it."""
    import subprocess

    commands = (
        ["git", "-C", str(root), "diff", "--name-only", "--relative", "--no-renames", ref, "--"],
        ["git", "-C", str(root), "ls-files", "--others", "--exclude-standard"],
    )
    changed: set[str] = set()
    for command in commands:
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as exc:
            _fail(f"--diff needs git: {exc}")
        if result.returncode != 0:
            _fail(f"--diff {ref}: {result.stderr.strip() or 'git failed'}")
        changed.update(line.strip() for line in result.stdout.splitlines() if line.strip())
    return {path for path in changed if (root / path).is_file()}


def _exit_for(failed: list[str]) -> None:
    if failed:
        sys.exit(1)


def _pair_outputs(formats: tuple[str, ...], outputs: tuple[Path, ...]) -> list[tuple[str, Path | None]]:
    """Pair the n-th ``--format`` with the n-th ``--output``; one format may go to stdout."""
    formats = formats or ("text",)
    if len(formats) == 1 and len(outputs) <= 1:
        return [(formats[0], outputs[0] if outputs else None)]
    if len(formats) != len(outputs):
        _fail(
            f"{len(formats)} --format and {len(outputs)} --output options: with several formats, "
            "give each --format its own --output (paired in order)"
        )
    resolved = [path.resolve() for path in outputs]
    if len(set(resolved)) != len(resolved):
        _fail("the same --output file is named twice")
    return list(zip(formats, outputs, strict=True))


def _render(output_format: str, report: Report, rule_files: tuple[str, ...]) -> str:
    """A machine format as text (``text`` is rendered through rich by the caller)."""
    if output_format == "json":
        from fwlint.report import json_report

        return json_report.render(report)
    if output_format == "sarif":
        from fwlint.report import sarif

        try:
            catalog = load_catalog(rule_files)
        except RuleError as exc:
            _fail(str(exc))
        return sarif.render(report, catalog)
    if output_format == "gitlab":
        from fwlint.report import gitlab

        return gitlab.render(report)
    if output_format == "junit":
        from fwlint.report import junit

        return junit.render(report)
    if output_format == "markdown":
        from fwlint.report import markdown

        return markdown.render(report)
    if output_format == "html":
        from fwlint.report import html

        return html.render(report)
    raise ValueError(f"unknown format {output_format!r}")


def _rule_table(rules: list[Rule]) -> Table:
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    table.add_column("code", style="bold")
    table.add_column("name")
    table.add_column("category")
    table.add_column("kind")
    table.add_column("effort", justify="right")
    for rule in rules:
        table.add_row(rule.code, rule.name, rule.category, rule.kind, str(rule.effort))
    return table


def render_rule(rule: Rule, console: Console) -> None:
    from rich.syntax import Syntax

    source, target = rule.direction
    console.print(
        f"[bold]{rule.code}[/] {escape(rule.name)}  [dim]({source} → {target}, {rule.category}, "
        f"{rule.kind}, effort {rule.effort})[/]\n"
    )
    console.print("[bold]What it does[/]")
    console.print(f"Finds {', '.join(f'`{escape(s)}`' for s in rule.source)} and maps it to {escape(rule.target)}.")
    console.print(escape(rule.message) + "\n")
    console.print("[bold]Why[/]")
    console.print(escape(rule.why) + "\n")
    for number, example in enumerate(rule.examples, start=1):
        console.print(f"[bold]Example{f' {number}' if len(rule.examples) > 1 else ''}[/] (before, {source})")
        console.print(Syntax(example.before.strip("\n"), "python", theme="ansi_dark", background_color="default"))
        console.print(f"[bold]Use instead[/] ({target})")
        console.print(Syntax(example.after.strip("\n"), "python", theme="ansi_dark", background_color="default"))
        console.print()
    console.print(f"[bold]Docs[/] {escape(rule.docs)}")


@main.command()
@click.argument("code", required=False)
@click.option("--from", "source", type=click.Choice(["flask", "django"]), help="Only rules for this source framework.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(code: str | None, source: str | None, output_format: str) -> None:
    """List the rules, or explain rule CODE (what, why, before → after, docs)."""
    try:
        catalog: Catalog = load_catalog()
    except RuleError as exc:
        _fail(str(exc))
    console = Console()
    if code is not None:
        rule = catalog.rules.get(code.upper())
        if rule is None:
            _fail(f"no rule {code!r}; `fwlint rules` lists them")
        if output_format == "json":
            sys.stdout.write(json.dumps(_rule_json(rule), indent=2) + "\n")
        else:
            render_rule(rule, console)
        return
    selected = sorted(catalog.rules.values(), key=lambda r: r.code)
    if source:
        selected = [r for r in selected if r.direction[0] == source]
    if output_format == "json":
        sys.stdout.write(json.dumps([_rule_json(r) for r in selected], indent=2) + "\n")
        return
    console.print(_rule_table(selected))
    console.print(f"\n{len(selected)} rules. `fwlint rules CODE` explains one.", style="dim")


def _rule_json(rule: Rule) -> dict[str, object]:
    return {
        "code": rule.code,
        "name": rule.name,
        "direction": list(rule.direction),
        "category": rule.category,
        "source": list(rule.source),
        "target": rule.target,
        "kind": rule.kind,
        "effort": rule.effort,
        "message": rule.message,
        "why": rule.why,
        "docs": rule.docs,
        "examples": [{"before": e.before, "after": e.after} for e in rule.examples],
    }


@main.command()
def schema() -> None:
    """Print the JSON Schema of the `--format json` report."""
    from fwlint.report.json_report import schema as load_schema

    sys.stdout.write(json.dumps(load_schema(), indent=2) + "\n")
