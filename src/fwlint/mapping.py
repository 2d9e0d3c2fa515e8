"""Map facts to findings through the rule catalog and the translators."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

from fwlint.facts import Call, FileFacts, FunctionDef, Span
from fwlint.frameworks import is_reportable_unmapped, unmapped_category
from fwlint.link.flask_routes import FlaskStructure, RouteSite
from fwlint.link.index import ProjectIndex
from fwlint.report.model import Finding, RouteEntry
from fwlint.rules_engine.catalog import Catalog, Rule
from fwlint.translate.data_layer import DataLayer, SiteTranslation
from fwlint.translate.flask_calls import CALL_TRANSLATORS, SITE_TRANSLATORS, Context
from fwlint.translate.values import code_of

UNMAPPED_CODE = {"flask": "FD000", "django": "DF000"}
UNMAPPED_EFFORT = 2
STRUCTURAL = {
    "async-view": "FD204",
    "strict-slashes": "FD110",
    "subdomain-host": "FD109",
    "migrations-folder": "FD690",
    "auth-decorator": "FD890",
}
# Methods of the user object with no attribute of the same name on Django's user.
ROLE_CHECKS = (".has_role", ".has_permission", ".get_auth_token")
# What a hand-written auth decorator checks: the user object of each auth extension.
CURRENT_USER_APIS = ("flask_login.current_user", "flask_jwt_extended.current_user", "flask_security.current_user")


# Declaration sites whose Django code comes from the data layer, by translator name.
DECLARATION_TRANSLATORS = {
    "model": DataLayer.model_at,
    "column": DataLayer.column_at,
    "relationship": DataLayer.relationship_at,
    "table": DataLayer.table_at,
    "form": DataLayer.form_at,
    "form_field": DataLayer.form_field_at,
}
# APIs that, inside a declaration or a query, are part of it rather than sites of their own.
FOLDED_ROOTS = ("sqlalchemy.", "flask_sqlalchemy.", "wtforms.", "wtforms_sqlalchemy.", "flask_wtf.file.")
NAME_TOKEN = re.compile(r"[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*")


class TranslatedQuery(NamedTuple):
    code: str
    notes: list[str]
    exact: bool
    kind: str


@dataclass(slots=True)
class MappingResult:
    findings: list[Finding]
    mapped: int
    unmapped: int
    unmapped_apis: Counter[str]
    queries: list[dict[str, Any]] = field(default_factory=list)


def _suppressed(facts: FileFacts, line: int, code: str) -> bool:
    codes = facts.suppressions.get(line)
    return codes is not None and (not codes or code in codes or any(code.startswith(c) for c in codes))


class Mapper:
    def __init__(
        self,
        index: ProjectIndex,
        structure: FlaskStructure,
        catalog: Catalog,
        source: str,
        data: DataLayer | None = None,
    ) -> None:
        self.index = index
        self.structure = structure
        self.data = data or DataLayer()
        self.queries: list[dict[str, Any]] = []
        self.query_memo: dict[str, object] = {}
        self._folded: list[Span] = []  # query spans of the file being mapped
        self._chains: dict[tuple[int, int], Call] = {}
        self._claimed: set[tuple[str, int, str]] = set()
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
            suggestion=rule.suggestion if suggestion is None else suggestion,
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
        self._start_file(facts)
        for call in facts.calls:
            canonical = self._call_canonical(facts, call)
            if canonical is None:
                continue
            how = "decorator" if call.decorates is not None else "call"
            self._map_site(facts, canonical, how, call.span, call, ctx)
        for reference in facts.references:
            canonical = self.index.canonical(reference.path)
            if canonical is None:
                continue
            self._map_site(facts, canonical, "reference", reference.span, None, ctx)

    def _start_file(self, facts: FileFacts) -> None:
        self._folded = []
        # A chain ``A.b(x).c()`` records one call per link, all starting where the chain starts;
        # the longest is the whole query.
        self._chains = {}
        for call in facts.calls:
            start = (call.span.line, call.span.column)
            known = self._chains.get(start)
            if known is None or (call.span.end_line, call.span.end_column) > (
                known.span.end_line,
                known.span.end_column,
            ):
                self._chains[start] = call

    def _call_canonical(self, facts: FileFacts, call: Call) -> str | None:
        """The framework API a call uses."""
        return self.index.canonical(call.callee)

    @property
    def model_names(self) -> dict[str, str]:
        """The project's models: qualified name → class name."""
        return self.data.model_names

    def _folded_site(self, facts: FileFacts, canonical: str, span: Span) -> bool:
        """A SQLAlchemy/WTForms name used inside a column, relationship, form field or query."""
        if not canonical.startswith(FOLDED_ROOTS):
            return False
        for outer in self._folded:
            if outer.contains(span):
                return True
        return self.data.orm_sites.within_declaration(facts.path, span)

    def _map_site(
        self, facts: FileFacts, canonical: str, how: str, span: Span, call: Call | None, ctx: Context
    ) -> None:
        kwargs = frozenset(call.kwargs) if call is not None else frozenset()
        matched = self.catalog.match(self.source, canonical, how, kwargs)
        rule = matched[0] if matched is not None else None
        if rule is not None and self._is_declaration(rule):
            # The declaration itself (``db.Column(...)``), once per line; names nested in it fold.
            claim = (facts.path, span.line, str(rule.translator))
            if claim in self._claimed or self._inside_declaration(facts, span):
                return
            self._claimed.add(claim)
        elif self._folded_site(facts, canonical, span):
            return
        if rule is None:
            if is_reportable_unmapped(canonical, self.source):
                self.add_unmapped(facts, span, canonical)
            return
        suggestion, message = self._suggest(facts, canonical, rule, span, call, ctx)
        if self.add(facts, rule, span, canonical, suggestion, message):
            self.mapped += 1

    def _is_declaration(self, rule: Rule) -> bool:
        """A model, column, form or field declaration, whose code comes from the data layer."""
        return rule.translator in DECLARATION_TRANSLATORS

    def _inside_declaration(self, facts: FileFacts, span: Span) -> bool:
        """A declaration nested in another that already covers it (a column inside a ``Table``)."""
        return self.data.orm_sites.within_table(facts.path, span)

    def _suggest(
        self, facts: FileFacts, canonical: str, rule: Rule, span: Span, call: Call | None, ctx: Context
    ) -> tuple[str | None, str | None]:
        """The site's own target code and message, from the rule's translator (None: the rule's)."""
        suggestion = None
        message = None
        if rule.translator in DECLARATION_TRANSLATORS:
            translated = DECLARATION_TRANSLATORS[rule.translator](self.data, facts.path, span.line)
            if translated is not None:
                # An empty suggestion is an answer too: nothing to write (Django's implicit ``id``).
                suggestion, message = translated.code, _with_notes(_lead(rule.message), translated)
        elif rule.translator == "query":
            translated = self._query(facts, span, call, rule)
            if translated is not None:
                suggestion, message = translated.code or None, _with_notes(rule.message, translated)
        elif rule.translator == "current_user" and ".current_user" in canonical and not canonical.endswith(ROLE_CHECKS):
            # ``current_user.orders`` → ``request.user.orders``; a call (``get_current_user()``) keeps its bare form.
            suggestion = "request.user" + canonical.split(".current_user", 1)[1].removesuffix("._get_current_object")
        elif rule.translator == "url_map_converters":
            suggestion = self.structure.converter_sites.get((facts.path, span.line))
        elif rule.translator and call is not None:
            key = (facts.path, span.line, span.column)
            if rule.translator in SITE_TRANSLATORS:
                suggestion = SITE_TRANSLATORS[rule.translator](call, ctx, key)
                message = self._route_message(rule, key)
            elif rule.translator in CALL_TRANSLATORS:
                suggestion = CALL_TRANSLATORS[rule.translator](call, ctx)
        return suggestion, message

    # ----------------------------------------------------------------- queries
    def _query(self, facts: FileFacts, span: Span, call: Call | None, rule: Rule) -> SiteTranslation | None:
        """The Django QuerySet code for the query that starts at ``span``, once per query."""
        chain = self._chains.get((span.line, span.column)) or call
        if chain is None:
            return None
        code = chain.code or self._call_code(facts, chain)
        if code is None:
            return None
        self._folded.append(chain.span)
        translated = self._translate_query(code, self._models_in(facts, code))
        entry: dict[str, Any] = {
            "file": facts.path,
            "line": chain.span.line,
            "column": chain.span.column,
            "code": code,
            "rule": rule.code,
            "effort": rule.effort,
            "target": None,
        }
        self.queries.append(entry)
        if translated is None:
            return None
        entry["target"] = {
            "code": translated.code,
            "kind": translated.kind,
            "exact": translated.exact,
            "notes": translated.notes,
        }
        return SiteTranslation(translated.code, translated.notes, translated.exact)

    def _translate_query(self, code: str, models: dict[str, str]) -> TranslatedQuery | None:
        """Translations are memoised by the query's text, the models it names and the shape of
        the project's relations: a few changed files need few new translations."""
        key = hashlib.blake2b(repr((code, sorted(models.items()), self.data.relations_digest)).encode()).hexdigest()
        if key in self.query_memo:
            return cast("TranslatedQuery | None", self.query_memo[key])
        from fwlint.translate.django_queries import translate_query  # libcst: only for new queries

        result = translate_query(code, models, self.data.relations)
        # Plain tuples in the memo: unpickling the translator's own class would import libcst.
        translated = (
            TranslatedQuery(result.code, list(result.notes), result.exact, result.kind) if result is not None else None
        )
        self.query_memo[key] = translated
        return translated

    def _call_code(self, facts: FileFacts, call: Call) -> str | None:
        """Source for a call recorded without its text (``db.session.add(book)``, ``User.query.get(5)``)."""
        parts = call.callee.split(".")
        start = None
        for i in range(len(parts) - 1, 0, -1):
            if parts[i] == "session" or self.index.resolve_project(".".join(parts[: i + 1])) in self.data.model_names:
                start = i - 1 if parts[i] == "session" else i
                break
        if start is None:
            return None
        arguments = [code_of(a) for a in call.args] + [
            f"{k}={code_of(v)}" if k != "**" else f"**{code_of(v)}" for k, v in call.kwargs.items()
        ]
        return ".".join(parts[start:]) + "(" + ", ".join(arguments) + ")"

    def _models_in(self, facts: FileFacts, code: str) -> dict[str, str]:
        """Names in ``code`` that denote project models, as written → the model's class name."""
        found: dict[str, str] = {}
        for token in set(NAME_TOKEN.findall(code)):
            parts = token.split(".")
            for i in range(len(parts), 0, -1):
                written = ".".join(parts[:i])
                if written in found:
                    break
                model = self.model_names.get(self.index.resolve_project(f"{facts.module}.{written}"))
                if model is not None:
                    found[written] = model
                    break
        return found

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

    def map_data_structure(self, files: dict[str, FileFacts]) -> None:
        """Findings about the project's shape rather than one call: models and forms that reach
        their framework base only through project classes, migrations, auth decorators."""
        self._class_declarations(files)
        self._migrations(files)
        rule = self.catalog.rules.get(STRUCTURAL["auth-decorator"])
        if rule is not None:
            for facts, function, uses in self._auth_decorators(files):
                lead = f"`{function.qualname.rsplit('.', 1)[-1]}` checks the current user ({_plural(uses, 'view')})"
                name = function.qualname.rsplit(".", 1)[-1]
                suggestion = f"{name} = user_passes_test(lambda user: user.is_authenticated)  # + the original check"
                self.add(facts, rule, function.span, rule.source[0], suggestion, f"{lead}: {rule.message}")

    def _migrations(self, files: dict[str, FileFacts]) -> None:
        """One finding per Alembic history: on its ``env.py``, or on the first revision of a
        folder of revisions that has none (apps that point Alembic at several folders)."""
        rule = self.catalog.rules.get(STRUCTURAL["migrations-folder"])
        if rule is None:
            return
        revisions = sorted(f.path for f in self.index.files if _is_alembic_revision(f))
        envs = sorted(f.path for f in self.index.files if _is_alembic_env(f))
        covered: set[str] = set()
        anchors: list[tuple[str, str, int]] = []  # (file, folder, revisions)
        for env in envs:
            folder = env.rpartition("/")[0]
            inside = [r for r in revisions if r.startswith(f"{folder}/" if folder else "")]
            covered.update(inside)
            anchors.append((env, folder or ".", len(inside)))
        by_folder: dict[str, list[str]] = {}
        for revision in revisions:
            if revision not in covered:
                by_folder.setdefault(revision.rpartition("/")[0] or ".", []).append(revision)
        anchors += [(paths[0], folder, len(paths)) for folder, paths in by_folder.items()]
        for path, folder, count in anchors:
            facts = files.get(path)
            if facts is not None:
                lead = f"`{folder}/` holds an Alembic history of {_plural(count, 'revision')}"
                self.add(facts, rule, Span(1, 1, 1, 1), rule.source[0], rule.suggestion, f"{lead}: {rule.message}")

    def _class_declarations(self, files: dict[str, FileFacts]) -> None:
        """``class Note(PetRecord)`` names no framework class on its line, yet it is a model too."""
        rules = {r.translator: r for r in self.catalog.for_direction(self.source) if r.translator in ("model", "form")}
        declared = [("model", m.file, m.span) for m in self.data.schema.models]
        declared += [("form", f.file, f.span) for f in self.data.forms]
        for translator, file, span in declared:
            rule = rules.get(translator)
            facts = files.get(file)
            if rule is None or facts is None or (file, span.line, translator) in self._claimed:
                continue
            self._claimed.add((file, span.line, translator))
            translated = DECLARATION_TRANSLATORS[translator](self.data, file, span.line)
            if translated is not None and self.add(
                facts, rule, span, rule.source[0], translated.code, _with_notes(_lead(rule.message), translated)
            ):
                self.mapped += 1

    def _auth_decorators(self, files: dict[str, FileFacts]) -> list[tuple[FileFacts, FunctionDef, int]]:
        """Project functions used as decorators whose body looks at ``current_user``."""
        checking: set[str] = set()
        for facts in self.index.files:
            for reference in facts.references:
                if reference.path.rsplit(".", 1)[-1] == "current_user" or ".current_user." in reference.path:
                    canonical = self.index.canonical(reference.path)
                    if canonical is not None and canonical.startswith(CURRENT_USER_APIS):
                        checking.add(reference.scope.split(".<locals>.", 1)[0])
        uses: Counter[str] = Counter()
        for facts in self.index.files:
            for call in facts.calls:
                if call.decorates is None:
                    continue
                target = self.index.resolve_project(call.callee.removesuffix("()"))
                if target in checking and target in self.index.functions:
                    uses[target] += 1
        found = []
        for qualname, count in sorted(uses.items()):
            function, facts = self.index.functions[qualname]
            if facts.path in files:
                found.append((facts, function, count))
        return found


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _is_alembic_env(facts: FileFacts) -> bool:
    """An Alembic ``env.py`` (whatever its name): it hands control to ``context.run_migrations()``."""
    return any(
        call.callee.startswith("alembic.") and call.callee.endswith("context.run_migrations") for call in facts.calls
    )


def _is_alembic_revision(facts: FileFacts) -> bool:
    """A revision script: module-level ``upgrade()``/``downgrade()`` next to ``from alembic import op``."""
    functions = {f.qualname for f in facts.functions}
    if f"{facts.module}.upgrade" not in functions or f"{facts.module}.downgrade" not in functions:
        return False
    return any(target == "alembic.op" or target.startswith("alembic.op.") for target in facts.aliases.values())


def _lead(message: str) -> str:
    """A rule message's first clause: the site's own notes say the rest."""
    return re.split(r"(?<=[.;])\s", message, maxsplit=1)[0].rstrip(".;")


def _with_notes(message: str, translated: SiteTranslation) -> str:
    if not translated.notes:
        return message
    return message.rstrip(".") + ". " + "; ".join(note.rstrip(".") for note in translated.notes) + "."


def map_project(
    index: ProjectIndex,
    structure: FlaskStructure,
    catalog: Catalog,
    source: str,
    selected: Callable[[str], bool] = lambda path: True,
    data: DataLayer | None = None,
    query_memo: dict[str, object] | None = None,
) -> MappingResult:
    """Findings for the selected files (all by default); the index still covers the project.

    ``query_memo`` holds query translations from earlier scans and receives the new ones."""
    mapper = Mapper(index, structure, catalog, source, data)
    if query_memo is not None:
        mapper.query_memo = query_memo
    files = {f.path: f for f in index.files if selected(f.path)}
    for facts in files.values():
        # Alembic revisions are history, not code to port: one finding covers them all.
        if source == "flask" and _is_alembic_revision(facts):
            continue
        mapper.map_file(facts)
    mapper.map_structure(files)
    if source == "flask":
        mapper.map_data_structure(files)
    add_url_rule = catalog.match(source, "flask.Flask.add_url_rule", "call")
    if add_url_rule is not None:
        for facts, call in structure.helper_calls:
            if facts.path in files:
                mapper.map_helper_call(facts, call, add_url_rule[0])
    mapper.findings.sort(key=lambda f: (f.file, f.line, f.column, f.rule))
    return MappingResult(mapper.findings, mapper.mapped, mapper.unmapped, mapper.unmapped_apis, mapper.queries)


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
