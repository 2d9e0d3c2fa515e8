"""``--format html``: one self-contained page (inline style, script and SVG; nothing is fetched).

The content follows the Markdown report: headline, effort by category and the hot files as bar
charts, the route map, the models with their Django classes, then every finding in a table that
can be filtered and sorted in the browser.  Every string from the report is escaped with
``html.escape``; the data the script reads is JSON with ``<``, ``>`` and ``&`` written as ``\\u003c``
escapes so that nothing in it can close the ``<script>`` element.  Only ``http``/``https`` docs
links become anchors.
"""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import urlsplit

from fwlint.report.model import EMPTY_PATH, Finding, Report, Rollup, route_heading, target_name
from fwlint.report.model import FRAMEWORK_NAMES as NAMES

HOT_LIMIT = 10
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;
padding:1rem 1.5rem;color:#1d232b;background:#fafbfc}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d6dbe1}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #d6dbe1;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#eef1f4}th[data-key]{cursor:pointer;user-select:none}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
td.num,th.num{text-align:right}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
pre{background:#f0f2f5;padding:.6rem;overflow:auto;border-radius:4px}
dl.headline{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.headline dt{font-weight:600}dl.headline dd{margin:0}
.controls{display:flex;gap:.6rem;align-items:center;margin:.5rem 0}
.controls input{flex:1;padding:.3rem}.bar{fill:#3f7fbf}.chart text{font-size:12px;fill:#1d232b}
.notes{color:#6b4b00}.muted{color:#66707a}
"""

_SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("fwlint-data").textContent);
  var findings = data.findings;
  var body = document.getElementById("findings-body");
  var rows = Array.prototype.slice.call(body.querySelectorAll("tr"));
  var search = document.getElementById("filter-text");
  var category = document.getElementById("filter-category");
  var counter = document.getElementById("findings-shown");
  var textKeys = ["rule", "file", "category", "kind", "message", "suggestion"];
  var haystacks = rows.map(function (row) {
    var f = findings[Number(row.getAttribute("data-i"))];
    return textKeys.map(function (k) { return String(f[k]); }).join("\\n").toLowerCase() +
      "\\n" + f.file.toLowerCase() + ":" + f.line;
  });

  function applyFilter() {
    var needle = search.value.trim().toLowerCase();
    var wanted = category.value;
    var shown = 0;
    rows.forEach(function (row, n) {
      var f = findings[Number(row.getAttribute("data-i"))];
      var visible = (!needle || haystacks[n].indexOf(needle) !== -1) && (!wanted || f.category === wanted);
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    counter.textContent = String(shown);
  }

  function compare(key, a, b) {
    var x = findings[Number(a.getAttribute("data-i"))];
    var y = findings[Number(b.getAttribute("data-i"))];
    var p = x[key], q = y[key];
    if (key === "file") { p = x.file + ":" + String(1e9 + x.line); q = y.file + ":" + String(1e9 + y.line); }
    if (typeof p === "number" && typeof q === "number") { return p - q; }
    return String(p).localeCompare(String(q));
  }

  var headers = Array.prototype.slice.call(document.querySelectorAll("#findings th[data-key]"));
  headers.forEach(function (th) {
    th.addEventListener("click", function () {
      var key = th.getAttribute("data-key");
      var descending = th.getAttribute("aria-sort") === "ascending";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      rows.sort(function (a, b) {
        var order = compare(key, a, b) || (Number(a.getAttribute("data-i")) - Number(b.getAttribute("data-i")));
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  search.addEventListener("input", applyFilter);
  category.addEventListener("change", applyFilter);
  applyFilter();
})();
"""


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def script_json(value: Any) -> str:
    """JSON that is safe as the text of a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def safe_url(url: str) -> str | None:
    """``url`` when it is an absolute http(s) link, else None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None


def _days(value: float) -> str:
    return f"{value:g}"


def _percent(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"


def _headline(report: Report) -> str:
    direction = f"{NAMES[report.source_framework]} → {NAMES[report.target_framework]}"
    items: list[tuple[str, str, str]] = [
        ("direction", "Direction", esc(direction)),
        ("files", "Files", str(report.files_scanned)),
        ("findings", "Findings", str(len(report.findings))),
    ]
    estimate = report.estimate
    if estimate is not None:
        items.append(
            (
                "effort",
                "Effort",
                f'<strong><span id="h-points">{estimate.effort_points}</span> points</strong> ≈ '
                f'<span id="h-low">{_days(estimate.low_days)}</span>–<span id="h-high">'
                f"{_days(estimate.high_days)}</span> person-days",
            )
        )
        items.append(
            (
                "mechanical",
                "Mechanical",
                f"{estimate.mechanical_share:.0%} of the effort can be done by a codemod",
            )
        )
    mapped, unmapped = report.coverage_mapped, report.coverage_unmapped
    items.append(("blockers", "Blockers", str(len(report.blockers))))
    items.append(
        (
            "coverage",
            "API coverage",
            f"{_percent(mapped, mapped + unmapped)} ({mapped} mapped, {unmapped} unmapped)",
        )
    )
    items.append(("routes", "Routes", str(len(report.routes))))
    items.append(("errors", "Not analysed", f"{report.files_with_errors} files"))
    rows = "".join(f'<dt>{label}</dt><dd id="h-{key}">{value}</dd>' for key, label, value in items)
    out = f"<h1>fwlint {esc(report.tool_version)}: {esc(direction)} migration report</h1>\n"
    out += f'<p class="muted">Scanned <code>{esc(report.root)}</code></p>\n'
    out += f'<dl class="headline">{rows}</dl>\n'
    if estimate is not None:
        out += f'<p class="muted"><small>{esc(estimate.formula)}</small></p>\n'
    return out


def bar_chart(title: str, rollups: dict[str, Rollup], limit: int | None = None) -> str:
    """A horizontal bar chart of effort points, as inline SVG."""
    ranked = sorted(rollups.items(), key=lambda kv: (-kv[1].effort_points, kv[0]))[:limit]
    if not ranked:
        return ""
    label_width, bar_width, row_height = 260, 520, 22
    top = max(r.effort_points for _, r in ranked) or 1
    height = row_height * len(ranked) + 6
    width = label_width + bar_width + 110
    parts = [
        f'<svg class="chart" role="img" aria-label="{esc(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>{esc(title)}</title>'
    ]
    for n, (name, rollup) in enumerate(ranked):
        y = n * row_height + 3
        length = max(1, round(bar_width * rollup.effort_points / top))
        shown = name if len(name) <= 40 else "…" + name[-39:]
        parts.append(
            f"<g><title>{esc(name)}: {rollup.effort_points} points, {rollup.findings} sites</title>"
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">{esc(shown)}</text>'
            f'<rect class="bar" x="{label_width}" y="{y + 2}" width="{length}" height="{row_height - 6}"/>'
            f'<text x="{label_width + length + 6}" y="{y + 15}">{rollup.effort_points} pts '
            f"({rollup.findings})</text></g>"
        )
    parts.append("</svg>")
    return f"<h2>{esc(title)}</h2>\n<figure>" + "".join(parts) + "</figure>\n"


def _routes(report: Report) -> str:
    if not report.routes:
        return ""
    rows = []
    for route in report.routes:
        target = route.target
        django = target.get("path")
        if django is None:
            shown = f'<span class="notes">? {esc(target.get("error", ""))}</span>'
        else:
            shown = "<code>" + esc(django if django != "" else '""') + "</code>"
            if target.get("function") == "re_path":
                shown = "re_path " + shown
        source_path = route.path or EMPTY_PATH  # Django's root pattern is the empty string
        rows.append(
            f"<tr><td><code>{esc(route.file)}:{route.line}</code></td><td>{esc(','.join(route.methods))}</td>"
            f"<td><code>{esc(source_path)}</code></td><td>{shown}</td><td><code>{esc(route.endpoint)}</code></td></tr>"
        )
    source, target_words = route_heading(report)
    return (
        f"<h2>Route map: {esc(source)} → {esc(target_words)} ({len(report.routes)})</h2>\n"
        f'<table id="routes"><thead><tr><th>where</th><th>methods</th><th>{esc(source)}</th>'
        f"<th>{esc(target_words)}</th><th>endpoint</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>\n"
    )


def _model(model: dict[str, Any]) -> str:
    target = model.get("target") or {}
    fields = model.get("fields") or []
    table = model.get("table")
    where = f"{model.get('file')}:{model.get('line')}"
    facts = [f"<code>{esc(where)}</code>"]
    facts.append("abstract" if model.get("abstract") else f"table <code>{esc(table) if table else '?'}</code>")
    facts.append(f"{len(fields)} fields")
    if not target.get("exact"):
        facts.append('<strong class="notes">review the notes</strong>')
    out = f"<h3><code>{esc(model.get('name'))}</code></h3>\n<p>{' · '.join(facts)}</p>\n"
    notes = target.get("notes") or []
    if notes:
        out += '<ul class="notes">' + "".join(f"<li>{esc(note)}</li>" for note in notes) + "</ul>\n"
    if target.get("code"):
        out += f'<pre><code class="language-python">{esc(target["code"])}</code></pre>\n'
    return out


def _models(report: Report) -> str:
    if not report.models:
        return ""
    body = "".join(_model(m) for m in report.models)
    heading = f"Models with their {esc(target_name(report))} classes ({len(report.models)})"
    return f'<h2>{heading}</h2>\n<div id="models">{body}</div>\n'


def _rule_cell(finding: Finding) -> str:
    url = safe_url(finding.docs) if finding.docs else None
    if url is None:
        return esc(finding.rule)
    return f'<a class="docs" href="{esc(url)}" rel="noopener noreferrer">{esc(finding.rule)}</a>'


def _findings(report: Report) -> str:
    rows = []
    for n, f in enumerate(report.findings):
        suggestion = f"<pre><code>{esc(f.suggestion)}</code></pre>" if f.suggestion.strip() else ""
        rows.append(
            f'<tr data-i="{n}"><td>{_rule_cell(f)}</td><td class="where"><code>{esc(f.file)}:{f.line}</code></td>'
            f'<td class="category">{esc(f.category)}</td><td>{esc(f.kind)}</td><td class="num">{f.effort}</td>'
            f"<td>{esc(f.message)}</td><td>{suggestion}</td></tr>"
        )
    options = "".join(
        f'<option value="{esc(c)}">{esc(c)}</option>' for c in sorted({f.category for f in report.findings})
    )
    headers = [
        ("rule", "rule", ""),
        ("file", "file:line", ""),
        ("category", "category", ""),
        ("kind", "kind", ""),
        ("effort", "effort", ' class="num"'),
        ("message", "message", ""),
    ]
    head = "".join(f'<th data-key="{key}"{extra}>{label}</th>' for key, label, extra in headers)
    return (
        f'<h2>Findings (<span id="findings-shown">{len(report.findings)}</span> of {len(report.findings)})</h2>\n'
        '<div class="controls"><input id="filter-text" type="search" placeholder="Filter by file, rule, text…" '
        'aria-label="Filter findings"><select id="filter-category" aria-label="Category">'
        f'<option value="">all categories</option>{options}</select></div>\n'
        f'<table id="findings"><thead><tr>{head}<th>suggestion</th></tr></thead>'
        '<tbody id="findings-body">\n' + "\n".join(rows) + "\n</tbody></table>\n"
    )


def _data(report: Report) -> dict[str, Any]:
    findings = []
    for f in report.findings:
        entry = f.to_json()
        entry.pop("docs")  # the links are in the table; the data carries no URLs
        findings.append(entry)
    return {"tool_version": report.tool_version, "findings": findings}


def render(report: Report) -> str:
    """The whole report as one HTML document."""
    parts = [_headline(report)]
    if report.source_framework is not None:
        parts.append(bar_chart("Effort by category", report.by_category))
        parts.append(bar_chart(f"Top {HOT_LIMIT} files by effort", report.by_file, HOT_LIMIT))
        parts.append(_routes(report))
        parts.append(_models(report))
    parts.append(_findings(report))
    title = f"fwlint report: {NAMES[report.source_framework]} → {NAMES[report.target_framework]}"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "".join(parts)
        + f'<script type="application/json" id="fwlint-data">{script_json(_data(report))}</script>\n'
        f"<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )
