"""``--format markdown``: a GitHub-flavoured Markdown report for a CI job summary or a pull-request comment.

The summary comes first (headline, categories, hot files, units, data layer, blockers, unmapped APIs,
files not analysed), then collapsible detail sections (route map, models, findings by file).  GitHub
caps comments and job summaries, so the output stays under ``max_bytes`` (UTF-8): parts are added in
order while they fit, and a closing note says what was left out.

Everything taken from the scanned code is escaped: ``&``, ``<`` and ``>`` become entities outside code
blocks (GitHub renders inline HTML), Markdown punctuation is backslash-escaped (``|`` cannot split a
table cell), inline code is written as ``<code>`` with escaped content, and code blocks use a fence
longer than any run of backticks inside them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from fwlint.report.model import EMPTY_PATH, Finding, Report, Rollup, route_heading, target_name, units_heading
from fwlint.report.model import FRAMEWORK_NAMES as NAMES

HOT_LIMIT = 10
UNMAPPED_LIMIT = 10
BLOCKER_LIMIT = 50
ERROR_LIMIT = 20

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Markdown punctuation that can start emphasis, links, code spans, strike-through, math, mentions or split a cell.
_PUNCTUATION = set("\\`*_[]|~$@#")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_BACKTICKS = re.compile(r"`+")
_SPACE = re.compile(r"\s+")
_BLOCK_START = re.compile(r"^\s*(?:[-+=]|\d+[.)])")


def text(value: object) -> str:
    """Plain text safe anywhere inline, table cells included: one line, no markup, no HTML."""
    out = []
    for char in _SPACE.sub(" ", str(value)):
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _PUNCTUATION:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def code(value: object) -> str:
    """Inline code (as HTML, so the content can be escaped like any text)."""
    return f"<code>{text(value)}</code>"


def prose(value: str) -> str:
    """A message: its backtick spans become inline code, the rest is plain text."""
    parts = []
    position = 0
    for match in _CODE_SPAN.finditer(value):
        parts.append(text(value[position : match.start()]))
        parts.append(code(match.group(1)))
        position = match.end()
    parts.append(text(value[position:]))
    return "".join(parts)


def line_start(rendered: str) -> str:
    """Escaped text placed at the start of a line (a list item): it must not open a nested list or a break."""
    match = _BLOCK_START.match(rendered)
    if match is None:
        return rendered
    return rendered[: match.end() - 1] + "\\" + rendered[match.end() - 1 :]


def fenced(source: str, language: str = "python") -> str:
    """A fenced code block whose fence is longer than any backtick run in ``source``."""
    longest = max((len(run) for run in _BACKTICKS.findall(source)), default=0)
    fence = "`" * max(3, longest + 1)
    body = source if source.endswith("\n") else source + "\n"
    return f"{fence}{language}\n{body}{fence}\n"


def _table(header: Iterable[str], rows: Iterable[Iterable[str]], right: Iterable[int] = ()) -> str:
    """A table from already escaped cells; ``right`` are the right-aligned column indexes."""
    names = list(header)
    aligned = set(right)
    lines = [
        "| " + " | ".join(names) + " |",
        "|" + "|".join("---:" if i in aligned else "---" for i in range(len(names))) + "|",
    ]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _days(value: float) -> str:
    return f"{value:g}"


def _percent(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"


def _where(file: str, line: int | None) -> str:
    return code(f"{file}:{line}" if line else file)


@dataclass
class _Section:
    """One part of the report: ``head`` and ``tail`` wrap the ``chunks``, which are added while they fit."""

    label: str  # what the closing note calls it when it is (partly) left out
    chunks: list[str]
    head: str = ""
    tail: str = ""
    noun: str = ""  # what a chunk is ("finding"), for "12 of 40 findings"; empty: the section is all or nothing
    shown: int = field(default=0, init=False)


def _size(value: str) -> int:
    return len(value.encode("utf-8"))


# ---------------------------------------------------------------- summary


def _headline(report: Report) -> str:
    direction = f"{NAMES[report.source_framework]} → {NAMES[report.target_framework]}"
    lines = [f"## fwlint {text(report.tool_version)}: {direction} migration report", ""]
    detected = report.detected
    lines.append(
        f"Scanned {code(report.root)}: {_count(report.files_scanned, 'Python file')} "
        f"(flask {detected.get('flask', 0)}, django {detected.get('django', 0)})."
    )
    lines.append("")
    if report.source_framework is None:
        lines.append("No Flask or Django code found: nothing to port. Use `--from` to force a direction.")
        return "\n".join(lines) + "\n"
    estimate = report.estimate
    mapped, unmapped = report.coverage_mapped, report.coverage_unmapped
    rows = [
        ["Direction", direction],
        ["Files", str(report.files_scanned)],
        ["Findings", str(len(report.findings))],
    ]
    if estimate is not None:
        rows.append(
            [
                "Effort",
                f"**{estimate.effort_points} points** ≈ {_days(estimate.low_days)}–{_days(estimate.high_days)} "
                "person-days",
            ]
        )
        rows.append(["Mechanical", f"{estimate.mechanical_share:.0%} of the effort can be done by a codemod"])
    blockers = len(report.blockers)
    rows.append(["Blockers", f"**{blockers}** {'site' if blockers == 1 else 'sites'} with no equivalent"])
    rows.append(["API coverage", f"{_percent(mapped, mapped + unmapped)} ({mapped} mapped, {unmapped} unmapped)"])
    rows.append(["Routes", str(len(report.routes))])
    rows.append(["Templates", str(len(report.templates))])
    errors = report.files_with_errors
    rows.append(["Not analysed", _count(errors, "file") if errors else "none"])
    lines.append(_table(["", ""], rows))
    if estimate is not None:
        lines.append(f"<sub>{text(estimate.formula)}</sub>\n")
    return "\n".join(lines)


def _categories(report: Report) -> str:
    total = sum(r.effort_points for r in report.by_category.values())
    ranked = sorted(report.by_category.items(), key=lambda kv: (-kv[1].effort_points, kv[0]))
    rows = [[text(name), str(r.findings), str(r.effort_points), _percent(r.effort_points, total)] for name, r in ranked]
    return "### By category\n\n" + _table(["category", "sites", "points", "share"], rows, right=(1, 2, 3))


def _ranked(title: str, header: str, rollups: dict[str, Rollup], limit: int, as_code: bool) -> str:
    ranked = sorted(rollups.items(), key=lambda kv: (-kv[1].effort_points, kv[0]))
    rows = [
        [code(name) if as_code else text(name), str(r.findings), str(r.effort_points)] for name, r in ranked[:limit]
    ]
    out = f"### {title}\n\n" + _table([header, "sites", "points"], rows, right=(1, 2))
    if len(ranked) > limit:
        out += f"\n… and {len(ranked) - limit} more\n"
    return out


def _data_layer(report: Report) -> str:
    fields = sum(len(m["fields"]) for m in report.models)
    form_fields = sum(len(f["fields"]) for f in report.forms)
    translated = sum(1 for q in report.queries if q["target"] is not None)
    rows = [
        ["Models", f"{_count(len(report.models), 'model')}, {_count(fields, 'field')}"],
        ["Forms", f"{_count(len(report.forms), 'form')}, {_count(form_fields, 'field')}"],
        ["Queries", f"{_count(len(report.queries), 'site')} ({translated} with QuerySet code)"],
        ["Auth", _count(len(report.auth), "site")],
    ]
    return "### Data layer\n\n" + _table(["", ""], rows)


def _blockers(report: Report) -> str:
    blockers = report.blockers
    rows = [[text(b.rule), _where(b.file, b.line), prose(b.message)] for b in blockers[:BLOCKER_LIMIT]]
    out = f"### Blockers ({len(blockers)})\n\n" + _table(["rule", "where", "problem"], rows)
    if len(blockers) > BLOCKER_LIMIT:
        out += f"\n… and {len(blockers) - BLOCKER_LIMIT} more (`--format json` lists all)\n"
    return out


def _unmapped(report: Report) -> str:
    ranked = sorted(report.unmapped_apis.items(), key=lambda kv: (-kv[1], kv[0]))
    rows = [[code(name), str(count)] for name, count in ranked[:UNMAPPED_LIMIT]]
    out = "### Unmapped framework APIs (no rule yet)\n\n" + _table(["API", "sites"], rows, right=(1,))
    if len(ranked) > UNMAPPED_LIMIT:
        out += f"\n… and {len(ranked) - UNMAPPED_LIMIT} more\n"
    return out


def _errors(report: Report) -> str:
    rows = [[_where(e.path, e.line), text(e.kind), text(e.message)] for e in report.errors[:ERROR_LIMIT]]
    out = "### Files not analysed\n\n" + _table(["file", "kind", "problem"], rows)
    if len(report.errors) > ERROR_LIMIT:
        out += f"\n… and {len(report.errors) - ERROR_LIMIT} more (`--format json` lists all)\n"
    return out


# ---------------------------------------------------------------- details


def _details(summary: str) -> str:
    # The blank line ends the HTML block, so the content is Markdown again.
    return f"<details>\n<summary>{summary}</summary>\n\n"


_CLOSE = "</details>\n"  # after chunks that end with a blank line


def _route_rows(report: Report) -> list[str]:
    """One row per declaration: a MethodView's per-method entries share their rule."""
    methods: dict[tuple[str, int, str], list[str]] = {}
    targets: dict[tuple[str, int, str], dict[str, object]] = {}
    for route in report.routes:
        key = (route.file, route.line, route.path)
        known = methods.setdefault(key, [])
        known.extend(m for m in route.methods if m not in known)
        targets.setdefault(key, route.target)
    rows = []
    for key, verbs in methods.items():
        file, line, path = key
        target = targets[key]
        django = target.get("path")
        if django is None:
            shown = f"? {text(target.get('error', ''))}"
        else:
            shown = code(django if django != "" else '""')
            if target.get("function") == "re_path":
                shown = "re_path " + shown
        rows.append(f"| {_where(file, line)} | {text(','.join(verbs))} | {code(path or EMPTY_PATH)} | {shown} |\n")
    return rows


def _routes(report: Report) -> _Section:
    rows = _route_rows(report)
    routes = _count(len(report.routes), "route")
    counted = routes if len(rows) == len(report.routes) else f"{routes}, {_count(len(rows), 'rule')}"
    source, target = route_heading(report)
    head = _details(f"Route map: {source} → {target} ({counted})") + (
        f"| where | methods | {source} | {target} |\n|---|---|---|---|\n"
    )
    return _Section("the route map", rows, head, "\n" + _CLOSE, "rule")


def _model_chunk(model: dict[str, object]) -> str:
    target = model["target"]
    assert isinstance(target, dict)
    fields = model["fields"]
    assert isinstance(fields, list)
    table = model.get("table")
    parts = [f"**{code(model['name'])}** · {_where(str(model['file']), int(str(model['line'])))}"]
    parts.append("abstract" if model.get("abstract") else f"table {code(table) if table else '?'}")
    parts.append(_count(len(fields), "field"))
    if not target.get("exact"):
        parts.append("**review the notes**")
    out = [" · ".join(parts) + "\n"]
    notes = target.get("notes") or []
    if notes:
        out.append("\n" + "".join(f"- {line_start(prose(str(note)))}\n" for note in notes))
    if target.get("code"):
        out.append("\n" + fenced(str(target["code"])))
    return "".join(out) + "\n"


def _models(report: Report) -> _Section:
    chunks = [_model_chunk(m) for m in report.models]
    head = _details(f"Models with their {target_name(report)} classes ({_count(len(chunks), 'model')})")
    return _Section("the model classes", chunks, head, _CLOSE, "model")


def _finding_chunk(finding: Finding, first_in_file: bool) -> str:
    out = []
    if first_in_file:
        out.append(f"#### {code(finding.file)}\n\n")
    out.append(
        f"**{text(finding.rule)}** · line {finding.line} · {text(finding.kind)} · "
        f"{_count(finding.effort, 'point')} · {prose(finding.message)}\n"
    )
    if finding.suggestion.strip():
        out.append("\n" + fenced(finding.suggestion))
    return "".join(out) + "\n"


def _findings(report: Report) -> _Section:
    chunks = []
    current = None
    for finding in report.findings:
        chunks.append(_finding_chunk(finding, finding.file != current))
        current = finding.file
    files = len({f.file for f in report.findings})
    head = _details(f"Findings by file ({_count(len(chunks), 'finding')} in {_count(files, 'file')})")
    return _Section("the findings by file", chunks, head, _CLOSE, "finding")


# ---------------------------------------------------------------- assembly


def _sections(report: Report) -> list[_Section]:
    sections = [_Section("the headline", [_headline(report)])]
    if report.source_framework is None:
        return sections
    summary: list[tuple[str, str]] = []
    if report.by_category:
        summary.append(("the category table", _categories(report)))
        summary.append(("the hot files", _ranked("Hot files", "file", report.by_file, HOT_LIMIT, as_code=True)))
        summary.append(("the units", _ranked(units_heading(report), "unit", report.by_unit, HOT_LIMIT, False)))
    summary.append(("the data layer", _data_layer(report)))
    if report.blockers:
        summary.append(("the blockers", _blockers(report)))
    if report.unmapped_apis:
        summary.append(("the unmapped APIs", _unmapped(report)))
    if report.errors:
        summary.append(("the files not analysed", _errors(report)))
    sections.extend(_Section(label, [chunk]) for label, chunk in summary)
    if report.routes:
        sections.append(_routes(report))
    if report.models:
        sections.append(_models(report))
    if report.findings:
        sections.append(_findings(report))
    return sections


def _join(sections: list[_Section]) -> str:
    out = []
    for section in sections:
        if section.shown:
            out.append(section.head + "".join(section.chunks[: section.shown]) + section.tail)
    return "\n".join(out)


def _left_out(section: _Section, partial: bool) -> str:
    total = len(section.chunks)
    if not section.noun:
        return section.label
    if partial:
        return f"{total - section.shown} of {total} {section.noun}s in {section.label}"
    return f"{section.label} ({_count(total, section.noun)})"


def _note(left_out: list[str], max_bytes: int) -> str:
    return (
        f"\n---\n\n> [!NOTE]\n> **Report truncated** to stay under {max_bytes:,} bytes. Left out: "
        f"{'; '.join(left_out)}.\n> For everything, run `fwlint scan --format json` (every field) "
        "or `fwlint scan --format html` (a browsable page).\n"
    )


def render(report: Report, max_bytes: int = 1_000_000) -> str:
    """The Markdown report, at most ``max_bytes`` long in UTF-8."""
    sections = _sections(report)
    for section in sections:
        section.shown = len(section.chunks)
    full = _join(sections)
    if _size(full) <= max_bytes:
        return full
    # Room for the note in the worst case: every section left out, in the longer wording.
    for section in sections:
        section.shown = 0
    reserve = _size(_note([max(_left_out(s, True), _left_out(s, False), key=_size) for s in sections], max_bytes))
    budget = max_bytes - reserve
    used = 0
    summary_complete = True
    for section in sections:
        if section.noun and not summary_complete:
            continue  # no details while part of the summary is missing
        separator = 1 if used else 0  # the newline _join puts between sections
        wrapping = separator + _size(section.head) + _size(section.tail)
        if not section.chunks or used + wrapping + _size(section.chunks[0]) > budget:
            summary_complete = summary_complete and bool(section.noun)
            continue
        used += wrapping
        for chunk in section.chunks:
            size = _size(chunk)
            if used + size > budget:
                break
            used += size
            section.shown += 1
    left_out = [_left_out(s, s.shown > 0) for s in sections if s.shown < len(s.chunks)]
    out = _join(sections) + _note(left_out, max_bytes)
    if _size(out) > max_bytes:  # only when max_bytes cannot even hold the note
        out = out.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore")
    return out
