"""Map facts to findings through the rule catalog and the translators."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from fwlint.facts import Call, FileFacts, Span
from fwlint.frameworks import is_reportable_unmapped, unmapped_category
from fwlint.link.flask_routes import FlaskStructure, RouteSite
from fwlint.link.index import ProjectIndex
from fwlint.report.model import Finding, RouteEntry
from fwlint.rules_engine.catalog import Catalog, Rule
from fwlint.translate.flask_calls import CALL_TRANSLATORS, SITE_TRANSLATORS, Context

UNMAPPED_CODE = {"flask": "FD000", "django": "DF000"}
UNMAPPED_EFFORT = 2
STRUCTURAL = {
    "async-view": "FD204",
    "strict-slashes": "FD110",
    "subdomain-host": "FD109",
}


@dataclass(slots=True)
class MappingResult:
    findings: list[Finding]
    mapped: int
    unmapped: int
    unmapped_apis: Counter[str]


def _suppressed(facts: FileFacts, line: int, code: str) -> bool:
    codes = facts.suppressions.get(line)
    return codes is not None and (not codes or code in codes or any(code.startswith(c) for c in codes))


class Mapper:
    def __init__(self, index: ProjectIndex, structure: FlaskStructure, catalog: Catalog, source: str) -> None:
        self.index = index
        self.structure = structure
        self.catalog = catalog
        self.source = source
        self.findings: list[Finding] = []
        self.mapped = 0
        self.unmapped = 0
        self.unmapped_apis: Counter[str] = Counter()
        self._seen: set[tuple[str, int, int, str]] = set()
        self.file_units = self._file_units()
        # For relative endpoints (``url_for(".index")``): the blueprint a file's routes belong to.
        self.file_blueprints: dict[str, str] = {}
        for site in structure.routes:
            if site.blueprint:
                self.file_blueprints.setdefault(site.file, site.blueprint)

    def _file_units(self) -> dict[str, str]:
        """Each file's blueprint (where its routes or its blueprint live), else its package."""
        votes: dict[str, Counter[str]] = {}
        for site in self.structure.routes:
            if site.blueprint:
                votes.setdefault(site.file, Counter())[site.blueprint] += 1
        for bp in self.structure.blueprints.values():
            mounts = self.structure.mounts.get(bp.path)
            votes.setdefault(bp.file, Counter())[mounts[0].name if mounts else bp.name] += 1
        units = {path: counter.most_common(1)[0][0] for path, counter in votes.items()}
        for facts in self.index.files:
            if facts.path not in units:
                package = facts.module if facts.is_package else facts.module.rpartition(".")[0]
                units[facts.path] = package or facts.module
        return units

    def add(
        self,
        facts: FileFacts,
        rule: Rule,
        span: Span,
        source_api: str,
        suggestion: str | None,
        message: str | None = None,
    ) -> bool:
        return self._append(
            facts,
            span,
            rule,
            source_api=source_api,
            category=rule.category,
            target_api=rule.target,
            kind=rule.kind,
            message=message or rule.message,
            suggestion=suggestion or rule.suggestion,
        )

    def add_unmapped(self, facts: FileFacts, span: Span, name: str) -> None:
        rule = self.catalog.rules.get(UNMAPPED_CODE[self.source])
        if rule is None:
            return
        target = "Django" if self.source == "flask" else "Flask"
        if self._append(
            facts,
            span,
            rule,
            source_api=name,
            category=unmapped_category(name),
            target_api="",
            kind="unmapped",
            message=f"No rule maps `{name}` yet: find its {target} equivalent by hand",
            suggestion="",
        ):
            self.unmapped += 1
            self.unmapped_apis[name] += 1

    def _append(self, facts: FileFacts, span: Span, rule: Rule, **fields: str) -> bool:
        """One finding per rule and position, unless suppressed inline."""
        key = (facts.path, span.line, span.column, rule.code)
        if key in self._seen or _suppressed(facts, span.line, rule.code):
            return False
        self._seen.add(key)
        self.findings.append(
            Finding(
                rule=rule.code,
                file=facts.path,
                line=span.line,
                column=span.column,
                end_line=span.end_line,
                end_column=span.end_column,
                effort=rule.effort,
                docs=rule.docs,
                unit=self.file_units.get(facts.path, ""),
                **fields,
            )
        )
        return True

    # ------------------------------------------------------------------ facts
    def map_file(self, facts: FileFacts) -> None:
        ctx = Context(self.structure, self.file_blueprints.get(facts.path))
        for call in facts.calls:
            canonical = self.index.canonical(call.callee)
            if canonical is None:
                continue
            how = "decorator" if call.decorates is not None else "call"
            self._map_site(facts, canonical, how, call.span, call, ctx)
        for reference in facts.references:
            canonical = self.index.canonical(reference.path)
            if canonical is None:
                continue
            self._map_site(facts, canonical, "reference", reference.span, None, ctx)

    def _map_site(
        self, facts: FileFacts, canonical: str, how: str, span: Span, call: Call | None, ctx: Context
    ) -> None:
        kwargs = frozenset(call.kwargs) if call is not None else frozenset()
        matched = self.catalog.match(self.source, canonical, how, kwargs)
        if matched is None:
            if is_reportable_unmapped(canonical, self.source):
                self.add_unmapped(facts, span, canonical)
            return
        rule, _ = matched
        suggestion = None
        message = None
        if rule.translator == "url_map_converters":
            suggestion = self.structure.converter_sites.get((facts.path, span.line))
        elif rule.translator and call is not None:
            key = (facts.path, span.line, span.column)
            if rule.translator in SITE_TRANSLATORS:
                suggestion = SITE_TRANSLATORS[rule.translator](call, ctx, key)
                message = self._route_message(rule, key)
            elif rule.translator in CALL_TRANSLATORS:
                suggestion = CALL_TRANSLATORS[rule.translator](call, ctx)
        if self.add(facts, rule, span, canonical, suggestion, message):
            self.mapped += 1

    def _route_message(self, rule: Rule, key: tuple[str, int, int]) -> str | None:
        sites = self.structure.by_call.get(key)
        if not sites:
            return None
        site = sites[0]
        target = site.django.pattern if site.django else "?"
        text = f'Flask route `{site.path}` → Django `{site.django.function if site.django else "path"}("{target}")`'
        notes: list[str] = []
        if site.path.endswith("/") and site.path != "/":
            notes.append("Flask redirects the slashless URL (308); Django's APPEND_SLASH redirects GETs only (301)")
        if site.django:
            notes.extend(site.django.notes)
        if site.error:
            notes.append(site.error)
        return text + (". " + "; ".join(notes) if notes else "")

    def map_helper_call(self, facts: FileFacts, call: Call, rule: Rule) -> None:
        key = (facts.path, call.span.line, call.span.column)
        ctx = Context(self.structure, self.file_blueprints.get(facts.path))
        suggestion = SITE_TRANSLATORS["route"](call, ctx, key)
        if self.add(facts, rule, call.span, rule.source[0], suggestion, self._route_message(rule, key)):
            self.mapped += 1

    # ------------------------------------------------------------- structure
    def map_structure(self, files: dict[str, FileFacts]) -> None:
        """Findings that come from the route map rather than from one API name."""
        for site in self.structure.routes:
            facts = files.get(site.file)
            if facts is None:
                continue
            if site.is_async:
                self._structural(facts, "async-view", site, f"`{site.handler}` is an async view")
            if site.strict_slashes is False:
                self._structural(facts, "strict-slashes", site, f"`{site.path}` uses strict_slashes=False")
            if site.subdomain or site.host:
                self._structural(facts, "subdomain-host", site, f"`{site.path}` matches on subdomain/host")

    def _structural(self, facts: FileFacts, kind: str, site: RouteSite, lead: str) -> None:
        rule = self.catalog.rules.get(STRUCTURAL[kind])
        if rule is None:
            return
        self.add(facts, rule, site.span, rule.source[0], None, f"{lead}: {rule.message}")


def map_project(
    index: ProjectIndex,
    structure: FlaskStructure,
    catalog: Catalog,
    source: str,
    selected: Callable[[str], bool] = lambda path: True,
) -> MappingResult:
    """Findings for the selected files (all by default); the index still covers the project."""
    mapper = Mapper(index, structure, catalog, source)
    files = {f.path: f for f in index.files if selected(f.path)}
    for facts in files.values():
        mapper.map_file(facts)
    mapper.map_structure(files)
    add_url_rule = catalog.match(source, "flask.Flask.add_url_rule", "call")
    if add_url_rule is not None:
        for facts, call in structure.helper_calls:
            if facts.path in files:
                mapper.map_helper_call(facts, call, add_url_rule[0])
    mapper.findings.sort(key=lambda f: (f.file, f.line, f.column, f.rule))
    return MappingResult(mapper.findings, mapper.mapped, mapper.unmapped, mapper.unmapped_apis)


def route_entries(structure: FlaskStructure) -> list[RouteEntry]:
    entries = []
    for site in structure.routes:
        target: dict[str, object] = {"path": site.django.pattern if site.django else None, "code": site.django_code}
        if site.django is not None:
            target.update(
                {
                    "function": site.django.function,
                    "name": site.django_name,
                    "converters": site.django.converters,
                    "notes": site.django.notes,
                }
            )
        if site.error:
            target["error"] = site.error
        entries.append(
            RouteEntry(
                site.methods,
                site.path,
                site.handler,
                site.file,
                site.span.line,
                site.endpoint,
                site.blueprint,
                target,
                site.is_async,
            )
        )
    return entries
