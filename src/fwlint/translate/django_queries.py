"""SQLAlchemy / Flask-SQLAlchemy query code → Django QuerySet code.

fwlint never runs the project. For a query site it has the source text of the
expression and the names in that text that denote model classes;
``translate_query`` parses the text with libcst, recognises the receiver
(``Model.query``, ``<...>.session.query(...)``, ``<...>.session.<op>(...)``,
``select()``/``update()``/``delete()``/``insert()``/``text()`` statements and the
Flask-SQLAlchemy ``db.paginate``/``db.get_or_404``/``db.first_or_404``/
``db.one_or_404`` helpers), folds the method chain into one description of the
query, and writes that description back as Django code.

Decisions worth knowing (each is repeated in the notes of the sites it affects):

* ``.all()`` becomes ``list(qs)``: SQLAlchemy returns a list built at once, so
  ``list()`` keeps the evaluation point, negative indexing and list methods.
* Row results (``session.query(M.a, M.b)``, ``execute(select(M.a))``) become
  ``values_list(..., named=True)``: tuples with attribute access, like ``Row``.
  Scalar results (``scalars()``, ``scalar()``, a bare ``select(M.a)``) become
  ``values_list("a", flat=True)``.
* ``first_or_404()`` becomes ``get_object_or_404(qs[:1])``: the slice keeps
  "take the first row" (a plain filter would raise ``MultipleObjectsReturned``)
  and, like SQLAlchemy, adds no ``ORDER BY pk``.
* ``.get(pk)``/``session.get(M, pk)`` become ``filter(pk=pk).first()`` (None when
  missing, as in SQLAlchemy); ``one()`` becomes ``get()``.
* All filter criteria of a chain go into one ``filter()`` call, so lookups that
  span a multi-valued relation share one join as they do in SQL; ``!=`` and
  ``not_in`` become ``exclude()``/``~Q`` with a note on NULL rows.
* A legacy ``Query`` of one entity de-duplicates rows, a joined Django QuerySet
  does not: joined legacy queries get ``.distinct()``; an inner join whose
  target no filter mentions becomes ``<rel>__isnull=False``.
* ``db.session.commit()``/``flush()``/``close()`` become ``pass`` (a valid
  statement wherever the call stood); the notes explain autocommit and
  ``transaction.atomic()``. ``begin()``/``begin_nested()`` become
  ``transaction.atomic()``, ``no_autoflush`` becomes ``nullcontext()``.
* Raw SQL keeps its text with ``:name`` rewritten to ``%(name)s`` and the same
  parameter mapping: ``Model.objects.raw()`` when a model is selected, else a
  ``with connection.cursor() as cursor:`` block whose result variable is the
  assignment target when there is one.
* A statement held in a variable (``db.session.scalars(stmt)``) is assumed to
  hold the QuerySet its own ``select()`` site was translated to (not exact).

Anything that cannot be translated faithfully is kept verbatim in place (valid
Python, flagged by ``exact=False`` and a note naming the construct).

References:
https://docs.djangoproject.com/en/5.2/ref/models/querysets/
https://docs.sqlalchemy.org/en/20/orm/queryguide/index.html
https://flask-sqlalchemy.readthedocs.io/en/stable/queries/
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst

from fwlint.translate import call_chains as chains

# ---------------------------------------------------------------------------- public API


@dataclass
class QueryTranslation:
    """Django code for one query site and what the engineer must check."""

    code: str  # Django code to write instead: a valid Python expression or statement(s)
    notes: list[str]  # semantic differences to check, short sentences
    exact: bool  # False when part of the query could not be translated faithfully
    kind: str  # "read" | "write" | "transaction" | "raw" | "aggregate"
    imports: list[str] = field(default_factory=list)  # import lines the code needs (models excluded)


def translate_query(
    code: str, models: Mapping[str, str], relations: Mapping[tuple[str, str], str] | None = None
) -> QueryTranslation | None:
    """Translate one SQLAlchemy query expression; None when it is not a query understood here.

    ``models`` maps names as written in ``code`` (``"User"``, ``"m.Book"``) to the
    Django model class name.  ``relations`` gives, when the project's models are known,
    the Django lookup name from one model to another (``("User", "Appointment")`` →
    ``"appointments"``), so joins need no guessing.
    """
    try:
        node, target = _parse(code)
    except chains.Unsupported:
        return None
    translator = _Translator(models, target, relations or {})
    try:
        result = translator.translate(node)
    except (chains.Unsupported, RecursionError):  # RecursionError: absurdly deep nesting, not a query to port
        return None
    if "aliased(" in code:
        translator.lossy("aliased() entities have no Django counterpart: their columns were read as plain values")
    return translator.finish(result)


# ------------------------------------------------------------------------ vocabulary

# Names the generated code may use → the module they are imported from.
IMPORTS = {
    "Q": "django.db.models",
    "F": "django.db.models",
    "Count": "django.db.models",
    "Sum": "django.db.models",
    "Avg": "django.db.models",
    "Min": "django.db.models",
    "Max": "django.db.models",
    "Lower": "django.db.models.functions",
    "Upper": "django.db.models.functions",
    "Length": "django.db.models.functions",
    "Trim": "django.db.models.functions",
    "Abs": "django.db.models.functions",
    "get_object_or_404": "django.shortcuts",
    "Paginator": "django.core.paginator",
    "transaction": "django.db",
    "connection": "django.db",
    "nullcontext": "contextlib",
}
AGGREGATES = {"count": "Count", "sum": "Sum", "avg": "Avg", "min": "Min", "max": "Max"}
# SQL functions on a filtered column → Django database functions (filtered through .alias()).
FUNCTIONS = {"lower": "Lower", "upper": "Upper", "length": "Length", "char_length": "Length"}
FUNCTIONS |= {"trim": "Trim", "abs": "Abs"}
# SQL functions that are Django transforms: func.date(M.ts) == d → ts__date=d.
TRANSFORMS = {"date": "date", "year": "year", "month": "month", "day": "day"}
EXTRACT_FIELDS = {"year", "month", "day", "hour", "minute", "second", "week_day", "quarter", "week"}
LOOKUP_SUFFIXES = {"exact", "iexact", "lt", "lte", "gt", "gte", "in", "isnull", "range", "contains", "icontains"}
LOOKUP_SUFFIXES |= {"startswith", "istartswith", "endswith", "iendswith", "regex", "iregex", "date", "year"}
COMPARISON_SUFFIX = {"LessThan": "lt", "LessThanEqual": "lte", "GreaterThan": "gt", "GreaterThanEqual": "gte"}
FLIPPED = {
    "Equal": "Equal",
    "NotEqual": "NotEqual",
    "LessThan": "GreaterThan",
    "LessThanEqual": "GreaterThanEqual",
    "GreaterThan": "LessThan",
    "GreaterThanEqual": "LessThanEqual",
}
JOINED_LOADERS = {"joinedload", "contains_eager"}
SELECT_LOADERS = {"selectinload", "subqueryload", "immediateload"}
NO_LOAD = {"lazyload", "noload", "raiseload"}
# Chain methods that change nothing a Django QuerySet can express.
DROPPED = {"execution_options", "enable_eagerloads", "autoflush", "populate_existing", "enable_assertions", "params"}
DROPPED |= {"set_label_style", "tuples", "unique"}
SESSION_TRANSACTION = {"commit", "rollback", "flush", "begin", "begin_nested", "close", "remove"}
SESSION_TRANSACTION |= {"expunge", "expunge_all", "no_autoflush", "expire_all"}
SESSION_WRITES = {"add", "add_all", "delete", "merge", "refresh", "expire", "bulk_save_objects"}
SESSION_WRITES |= {"bulk_insert_mappings", "bulk_update_mappings"}
PAGINATION_ATTRIBUTES = {
    "items": "object_list",
    "total": "paginator.count",
    "pages": "paginator.num_pages",
    "page": "number",
    "per_page": "paginator.per_page",
    "has_next": "has_next()",
    "has_prev": "has_previous()",
    "next_num": "next_page_number()",
    "prev_num": "previous_page_number()",
}
# SQLAlchemy's TextClause bind-parameter syntax (sqlalchemy/sql/elements.py, _bind_params_regex).
BIND_PARAM = re.compile(r"(?<![:\w\\]):(\w+)(?![:\w])")
REGEX_SPECIALS = set(".^$*+?{}[]\\|()")
# ------------------------------------------------------------------------- syntax helpers


def _expr_src(node: cst.BaseExpression) -> str:
    """The source of an expression, with a call's bare generator argument parenthesized."""
    code = chains.source(node)
    return f"({code})" if isinstance(node, cst.GeneratorExp) and not node.lpar else code


def _last_name(node: cst.BaseExpression) -> str | None:
    """The last name of a dotted expression (``sa.and_`` → ``and_``)."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return None


def _function(node: cst.BaseExpression) -> str | None:
    """The function name of a call on a plain name or module path (``sa.or_(...)`` → ``or_``)."""
    if not isinstance(node, cst.Call) or chains.dotted(node.func) is None:
        return None
    return _last_name(node.func)


def _sql_function(node: cst.BaseExpression) -> str | None:
    """``count`` for ``func.count(...)``/``sa.func.count(...)``, else None."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return None
    owner = chains.dotted(node.func.value)
    if owner is None or owner.rsplit(".", 1)[-1] != "func":
        return None
    return node.func.attr.value.lower()


def _string(node: cst.BaseExpression) -> str | None:
    """The value of a plain string literal, else None."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _is_none(node: cst.BaseExpression) -> bool:
    """Whether the node is the name ``None``."""
    return isinstance(node, cst.Name) and node.value == "None"


def _is_bool(node: cst.BaseExpression) -> bool:
    """Whether the node is ``True`` or ``False``."""
    return isinstance(node, cst.Name) and node.value in ("True", "False")


def _relation_matches(relation: str, model: str) -> bool:
    """Whether a relationship name plausibly points at ``model`` (``posts`` → Post)."""
    names = {model.lower(), chains.snake_case(model)}
    forms = {n + suffix for n in names for suffix in ("", "s", "es", "_set", "_list")}
    return relation in forms


def _is_simple_name(code: str) -> bool:
    """Whether ``code`` is one identifier."""
    return re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", code) is not None


def _atomic(code: str) -> bool:
    """Whether ``code`` needs no parentheses as an operand of ``+``."""
    try:
        node = cst.parse_expression(code)
    except cst.ParserSyntaxError:
        return False
    return isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer)) and not node.lpar


def _kwargs(pairs: Sequence[tuple[str, str]]) -> str:
    """``a=1, **b`` from (key, value) pairs, where key ``**`` is a splat."""
    return ", ".join(f"**{v}" if k == "**" else f"{k}={v}" for k, v in pairs)


# ------------------------------------------------------------------------------- the chain


def _parse(code: str) -> tuple[cst.BaseExpression, str | None]:
    """The expression to translate and, for ``x = <query>``, the assignment target."""
    text = code.strip()
    if not text:
        raise chains.Unsupported
    try:
        return cst.parse_expression(text), None
    except cst.ParserSyntaxError:
        pass
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        raise chains.Unsupported from error
    if len(module.body) != 1 or not isinstance(module.body[0], cst.SimpleStatementLine):
        raise chains.Unsupported
    statement = module.body[0].body
    if len(statement) != 1:
        raise chains.Unsupported
    small = statement[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        return small.value, chains.source(small.targets[0].target)
    if isinstance(small, cst.Expr):
        return small.value, None
    raise chains.Unsupported


# --------------------------------------------------------------------------- conditions


@dataclass(frozen=True)
class _Lookup:
    """``key=value`` in filter(); key ``**`` is a ``**mapping`` splat."""

    key: str
    value: str


@dataclass(frozen=True)
class _Not:
    inner: _Cond


@dataclass(frozen=True)
class _And:
    parts: tuple[_Cond, ...]


@dataclass(frozen=True)
class _Or:
    parts: tuple[_Cond, ...]


@dataclass(frozen=True)
class _Verbatim:
    """A criterion kept as written (not translatable)."""

    code: str


_Cond = _Lookup | _Not | _And | _Or | _Verbatim


def _q(cond: _Cond) -> str:
    """A Q-object expression for a condition."""
    if isinstance(cond, _Lookup):
        return f"Q({_kwargs([(cond.key, cond.value)])})"
    if isinstance(cond, _Verbatim):
        return cond.code if _is_simple_name(cond.code) else f"({cond.code})"
    if isinstance(cond, _Not):
        inner = _q(cond.inner)
        return f"~{inner}" if _single_q(cond.inner) else f"~({inner})"
    if isinstance(cond, _And):
        if _single_q(cond):
            return "Q(" + _kwargs([(p.key, p.value) for p in cond.parts if isinstance(p, _Lookup)]) + ")"
        return " & ".join(f"({_q(p)})" if isinstance(p, _Or) else _q(p) for p in cond.parts)
    return " | ".join(f"({_q(p)})" if isinstance(p, _And) and not _single_q(p) else _q(p) for p in cond.parts)


def _single_q(cond: _Cond) -> bool:
    """Whether a condition renders as one ``Q(...)`` call (so ``~`` applies without parentheses)."""
    if isinstance(cond, _Lookup):
        return True
    if isinstance(cond, _And):
        keys = [p.key for p in cond.parts if isinstance(p, _Lookup)]
        return len(keys) == len(cond.parts) and len(set(keys)) == len(keys) and "**" not in keys
    return False


def _flatten_and(conds: Sequence[_Cond]) -> list[_Cond]:
    """Conditions with nested ANDs spread out into one list."""
    out: list[_Cond] = []
    for cond in conds:
        if isinstance(cond, _And):
            out.extend(_flatten_and(cond.parts))
        else:
            out.append(cond)
    return out


def _filter_calls(conds: Sequence[_Cond]) -> list[str]:
    """``.filter(...)``/``.exclude(...)`` calls for ANDed conditions: one filter() call, then excludes."""
    positional: list[str] = []
    pairs: list[tuple[str, str]] = []
    excludes: list[str] = []
    seen: set[str] = set()
    for cond in _flatten_and(conds):
        if isinstance(cond, _Lookup):
            if cond.key in seen:
                positional.append(_q(cond))
            else:
                pairs.append((cond.key, cond.value))
                if cond.key != "**":
                    seen.add(cond.key)
        elif isinstance(cond, _Not):
            inner = cond.inner
            if isinstance(inner, _Lookup):
                excludes.append(f".exclude({_kwargs([(inner.key, inner.value)])})")
            elif isinstance(inner, _And) and _single_q(inner):
                excludes.append(
                    ".exclude(" + _kwargs([(p.key, p.value) for p in inner.parts if isinstance(p, _Lookup)]) + ")"
                )
            else:
                excludes.append(f".exclude({_q(inner)})")
        else:
            positional.append(_q(cond))
    calls: list[str] = []
    if positional or pairs:
        calls.append(".filter(" + ", ".join([*positional, _kwargs(pairs)] if pairs else positional) + ")")
    return calls + excludes


def _negate(cond: _Cond) -> _Cond:
    """NOT cond, simplified where SQL and Django agree (booleans, IS NULL, double negation)."""
    if isinstance(cond, _Not):
        return cond.inner
    if isinstance(cond, _Lookup) and cond.value in ("True", "False"):
        last = cond.key.rsplit("__", 1)[-1]
        flipped = "False" if cond.value == "True" else "True"
        if last == "isnull" or last not in LOOKUP_SUFFIXES:
            return _Lookup(cond.key, flipped)
    return _Not(cond)


# -------------------------------------------------------------------------------- queries


@dataclass
class _Join:
    """A join, as the Django relation path it becomes."""

    path: str
    model: str | None
    outer: bool
    position: int
    filtered: bool = False


@dataclass
class _Item:
    """A selected column (``path``) or aggregate (``alias`` of ``expr``)."""

    kind: str  # "column" | "aggregate"
    name: str  # lookup path for a column, alias for an aggregate
    expr: str  # '"title"' or 'Count("id")'
    source: str  # the SQLAlchemy code, for matching order_by()/having() expressions


@dataclass
class _Query:
    """Everything a chain says about one SELECT, UPDATE or DELETE."""

    model: str
    legacy: bool
    entity: bool = True
    entity_nodes: list[cst.BaseExpression] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)
    count_star: bool = False
    exists: _Query | None = None
    conditions: list[_Cond] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    joins: list[_Join] = field(default_factory=list)
    order: list[str] | None = None
    select_related: list[str] = field(default_factory=list)
    prefetch_related: list[str] = field(default_factory=list)
    only: list[str] = field(default_factory=list)
    defer: list[str] = field(default_factory=list)
    distinct: list[str] | None = None
    dedupe: bool = False
    group_by: list[str] = field(default_factory=list)
    having: list[_Cond] = field(default_factory=list)
    offset: str | None = None
    limit: str | None = None
    stop: str | None = None
    for_update: str | None = None
    tail: list[str] = field(default_factory=list)
    raw_sql: _RawSql | None = None
    base: str | None = None  # a variable holding the QuerySet, instead of Model.objects

    @property
    def aggregates(self) -> list[_Item]:
        """The selected aggregates."""
        return [i for i in self.items if i.kind == "aggregate"]

    @property
    def columns(self) -> list[_Item]:
        """The selected plain columns."""
        return [i for i in self.items if i.kind == "column"]

    @property
    def sliced(self) -> bool:
        """Whether limit/offset/slicing applies."""
        return self.offset is not None or self.limit is not None or self.stop is not None


@dataclass
class _Scope:
    """Where column references are resolved: the query and, inside has()/any(), the relation path."""

    query: _Query
    prefix: str = ""
    position: int = 1 << 30


@dataclass
class _RawSql:
    sql: str  # Python string literal code
    params: str | None  # Python code for the parameters
    binds: list[str]
    literal: bool  # the SQL text is a literal (so it was rewritten)


@dataclass
class _Result:
    code: str
    kind: str


# ---------------------------------------------------------------------------- translator


class _Translator(chains.Notes):
    """One translation: holds the notes, the exactness and the models in scope."""

    def __init__(
        self, models: Mapping[str, str], target: str | None, relations: Mapping[tuple[str, str], str] | None = None
    ) -> None:
        self.models = dict(models)
        self.relations = dict(relations or {})
        self.target = target
        self.notes: list[str] = []
        self.exact = True
        self.safe: str | None = None

    # ------------------------------------------------------------------ bookkeeping
    def finish(self, result: _Result) -> QueryTranslation | None:
        """Check the code parses (falling back to a safe partial), add the target and imports."""
        code = result.code
        if self.target is not None and _is_expression(code) and code != "pass":
            code = f"{self.target} = {code}"
        if not _parses(code):
            if self.safe is None or not _parses(self.safe):
                return None
            self.lossy("Only the receiver could be written as valid Python; translate the rest by hand")
            code = self.safe
        return QueryTranslation(code, list(self.notes), self.exact, result.kind, _imports_for(code))

    # ------------------------------------------------------------------ models and columns
    def model(self, node: cst.BaseExpression) -> str | None:
        """The Django model for a model reference."""
        name = chains.dotted(node)
        return None if name is None else self.models.get(name)

    def column(self, node: cst.BaseExpression) -> tuple[str, str] | None:
        """(Django model, attribute) for ``Model.attr``."""
        if isinstance(node, cst.Attribute):
            model = self.model(node.value)
            if model is not None:
                return model, node.attr.value
        return None

    def path(self, model: str, name: str, scope: _Scope, *, filtering: bool = False) -> str | None:
        """The lookup path of ``Model.name`` from the query's model, or None when no join reaches it."""
        query = scope.query
        if scope.prefix:
            return name if model == query.model else f"{scope.prefix}__{name}"
        if model == query.model:
            return name
        join = self._join_for(query, model)
        if join is None:
            return None
        if filtering:
            join.filtered = True
        return f"{join.path}__{name}"

    def column_path(self, node: cst.BaseExpression, scope: _Scope, *, filtering: bool = False) -> str | None:
        """The lookup path of a column reference, None when ``node`` is not one or is unreachable."""
        column = self.column(node)
        if column is None:
            return None
        path = self.path(column[0], column[1], scope, filtering=filtering)
        if path is None:
            self.lossy(
                f"`{chains.source(node)}` belongs to {column[0]}, which the query does not join: "
                "write the relation lookup (`<relation>__<field>`) by hand"
            )
        return path

    def _join_for(self, query: _Query, model: str) -> _Join | None:
        """The join that reaches ``model``, matching unnamed relationship joins by name."""
        for join in query.joins:
            if join.model == model:
                return join
        unknown = [j for j in query.joins if j.model is None]
        for join in unknown:
            if _relation_matches(join.path.rsplit("__", 1)[-1], model):
                join.model = model
                return join
        if len(unknown) == 1:
            unknown[0].model = model
            self.note(f"Assumed the joined relation `{unknown[0].path}` leads to {model}")
            return unknown[0]
        return None

    def value(self, node: cst.BaseExpression, scope: _Scope) -> str:
        """Python code for a value: column references become F() expressions."""
        path = self.column_path(node, scope)
        if path is not None:
            return f'F("{path}")'
        if _sql_function(node) is not None or _function(node) in ("literal_column", "text", "cast", "case"):
            self.lossy(
                f"The SQL expression `{chains.source(node)}` was kept as written: use the matching Django expression"
            )
            return chains.source(node)
        rewritten = node.visit(_ColumnsToF(self, scope))
        if isinstance(rewritten, cst.BaseExpression):
            return chains.source(rewritten)
        return chains.source(node)

    # ------------------------------------------------------------------ entry point
    def translate(self, node: cst.BaseExpression) -> _Result:
        """Dispatch on the receiver of the chain."""
        links = chains.flatten(node)
        for end in range(1, len(links)):
            prefix = chains.plain_prefix(links, end)
            if prefix is None:
                break
            if prefix in self.models and links[end].name == "query" and not links[end].is_call:
                query = _Query(model=self.models[prefix], legacy=True)
                self.safe = f"{query.model}.objects.all()"
                return self.chain(query, links[end + 1 :], legacy=True)
        for index, link in enumerate(links):
            if link.name == "session" and link.subscript is None and index + 1 < len(links):
                if link.is_call and link.args:
                    break
                return self.session(links, index + 1)
        return self.standalone(links, node)

    def standalone(self, links: list[chains.Link], node: cst.BaseExpression) -> _Result:
        """``db.paginate(...)``/``db.*_or_404``, ``<x>.execute(text(...))`` and 2.0 statements."""
        for index, link in enumerate(links):
            if not link.is_call:
                continue
            if index > 0 and chains.plain_prefix(links, index) is not None:
                if link.name in ("paginate", "get_or_404", "first_or_404", "one_or_404"):
                    return self.db_helper(link, links[index + 1 :])
                if link.name == "execute" and link.args and _function(link.args[0].value) == "text":
                    return self.execute(link, links[index + 1 :])
            break
        statement = self.statement(node)
        if statement is None:
            raise chains.Unsupported
        return statement

    # ------------------------------------------------------------------ session operations
    def session(self, links: list[chains.Link], index: int) -> _Result:
        """``<...>.session.<op>(...)``: queries, reads, writes and transaction control."""
        op = links[index]
        rest = links[index + 1 :]
        if op.name == "no_autoflush" and not op.is_call:
            self.note("Django never autoflushes: the block needs no context manager and can be dedented")
            return _Result("nullcontext()", "transaction")
        if not op.is_call:
            raise chains.Unsupported
        assert op.args is not None
        if op.name == "query":
            return self.session_query(op.args, rest)
        if op.name in ("get", "get_one"):
            return self.session_get(op, rest)
        if op.name in ("execute", "scalars", "scalar"):
            return self.execute(op, rest)
        if op.name in SESSION_TRANSACTION:
            return self.transaction(op.name, op.args)
        if op.name in SESSION_WRITES:
            return self.write_op(op.name, op.args)
        raise chains.Unsupported

    def session_query(self, args: Sequence[cst.Arg], rest: list[chains.Link]) -> _Result:
        """``session.query(*entities)...``."""
        entities = chains.positional(args)
        if not entities:
            raise chains.Unsupported
        exists = self.exists_entity(entities[0]) if len(entities) == 1 else None
        if exists is not None:
            return self.exists_terminal(exists, rest)
        model = self.primary_model(entities, rest)
        if model is None:
            raise chains.Unsupported
        query = _Query(model=model, legacy=True, entity_nodes=list(entities))
        self.safe = f"{model}.objects.all()"
        return self.chain(query, rest, legacy=True)

    def primary_model(self, entities: Sequence[cst.BaseExpression], rest: Sequence[chains.Link]) -> str | None:
        """The model a list of selected entities is about (select_from() wins for func.count())."""
        for link in rest:
            if link.name == "select_from" and link.args:
                model = self.model(link.args[0].value)
                if model is not None:
                    return model
        for entity in entities:
            found = self.first_model_in(entity)
            if found is not None:
                return found
        for link in rest:
            for arg in link.args or ():
                found = self.first_model_in(arg.value)
                if found is not None:
                    return found
        return None

    def first_model_in(self, node: cst.BaseExpression) -> str | None:
        """The first model named anywhere inside ``node``."""
        finder = _ModelFinder(self)
        node.visit(finder)
        return finder.found

    def session_get(self, op: chains.Link, rest: list[chains.Link]) -> _Result:
        """``session.get(Model, pk)`` → ``filter(pk=pk).first()``; ``get_one`` → ``get(pk=pk)``."""
        assert op.args is not None
        values = chains.positional(op.args)
        if len(values) < 2:
            raise chains.Unsupported
        model = self.model(values[0])
        if model is None:
            raise chains.Unsupported
        query = _Query(model=model, legacy=False)
        options = chains.keyword(op.args, "options")
        if isinstance(options, (cst.List, cst.Tuple)):
            self.options(query, [e.value for e in options.elements])
        if chains.keyword(op.args, "with_for_update") is not None:
            query.for_update = ""
            self.note("select_for_update() must run inside transaction.atomic()")
        base = self.emit(query, "objects", bare=True)
        ident = chains.source(values[1])
        if op.name == "get_one":
            self.note("get() raises Model.DoesNotExist where get_one() raised NoResultFound")
            return self.trailing(_Result(f"{base}.get(pk={ident})", "read"), rest)
        self.note_get()
        return self.trailing(_Result(f"{base}.filter(pk={ident}).first()", "read"), rest)

    def note_get(self) -> None:
        """Explain why a primary-key fetch becomes ``filter(pk=...).first()``."""
        self.note(
            "filter(pk=...).first() returns None for a missing row like SQLAlchemy's get(); "
            "Django's get() would raise DoesNotExist instead"
        )

    def transaction(self, name: str, args: Sequence[cst.Arg]) -> _Result:
        """commit/rollback/flush/begin/... → the Django transaction idiom."""
        autocommit = "Django autocommits every query; wrap a unit of work in `with transaction.atomic():`"
        if name == "commit":
            self.note("Nothing to write: " + autocommit + " (the block commits when it exits)")
            self.note("Objects changed since the last save() are not written: call save() on each one")
            return _Result("pass", "transaction")
        if name == "rollback":
            self.note("set_rollback(True) only works inside transaction.atomic(); outside it the writes are committed")
            self.note("Raising an exception out of the atomic block is the usual way to roll back")
            return _Result("transaction.set_rollback(True)", "transaction")
        if name == "flush":
            self.note("Nothing to write: Django writes on save(); call save() where the flushed objects change")
            return _Result("pass", "transaction")
        if name in ("begin", "begin_nested"):
            if name == "begin_nested":
                self.note("A nested transaction.atomic() block creates a savepoint, like begin_nested()")
            else:
                self.note("Use it as `with transaction.atomic():`; the block commits on exit and rolls back on error")
            return _Result("transaction.atomic()", "transaction")
        if name == "expire_all":
            self.lossy("Django has no identity map to expire: call refresh_from_db() on the instances still in use")
            return _Result("pass", "transaction")
        self.note(f"Nothing to write: Django has no session or identity map, so {name}() has no equivalent")
        return _Result("pass", "transaction")

    def write_op(self, name: str, args: Sequence[cst.Arg]) -> _Result:
        """add/add_all/delete/merge/refresh/expire/bulk_* → model instance methods."""
        values = chains.positional(args)
        if not values:
            raise chains.Unsupported
        target = values[0]
        code = _expr_src(target)
        if name == "add":
            return self.add(target)
        if name in ("add_all", "bulk_save_objects"):
            self.note("Each save() commits at once unless inside transaction.atomic()")
            self.note("Model.objects.bulk_create(objs) is faster but skips save() and the pre/post_save signals")
            return _Result(f"for obj in {code}:\n    obj.save()", "write")
        if name == "delete":
            self.note("delete() runs at once (not at commit) and Django emulates ON DELETE in Python, with signals")
            return _Result(f"{code}.delete()", "write")
        if name == "merge":
            self.note("save() writes `obj` itself and returns None; merge() returned a session-bound copy")
            self.note("save() inserts when the pk is unset or unknown, else updates every column")
            if self.target is not None and _is_simple_name(code):
                self.target, target_name = None, self.target
                return _Result(f"{code}.save()\n{target_name} = {code}", "write")
            return _Result(f"{code}.save()", "write")
        if name in ("refresh", "expire"):
            return self.refresh(name, code, args)
        if name == "bulk_insert_mappings":
            return self.bulk_insert(values)
        self.lossy("bulk_update_mappings() has no direct equivalent: update by pk or use bulk_update()")
        model = self.model(target)
        rows = chains.source(values[1]) if len(values) > 1 else "rows"
        if model is None:
            raise chains.Unsupported
        return _Result(f'for row in {rows}:\n    {model}.objects.filter(pk=row["id"]).update(**row)', "write")

    def add(self, target: cst.BaseExpression) -> _Result:
        """``session.add(obj)`` → ``obj.save()``; ``session.add(Model(...))`` → ``Model.objects.create(...)``."""
        self.note("save() writes at once; SQLAlchemy wrote at flush/commit. Group writes in transaction.atomic()")
        if isinstance(target, cst.Call):
            model = self.model(target.func)
            if model is not None:
                arguments = ", ".join(chains.argument_source(a) for a in target.args)
                return _Result(f"{model}.objects.create({arguments})", "write")
        return _Result(f"{chains.source(target)}.save()", "write")

    def refresh(self, name: str, code: str, args: Sequence[cst.Arg]) -> _Result:
        """``refresh(obj[, names])``/``expire(obj)`` → ``obj.refresh_from_db(fields=...)``."""
        fields = chains.keyword(args, "attribute_names")
        positional = chains.positional(args)
        if fields is None and len(positional) > 1:
            fields = positional[1]
        if name == "expire":
            self.note("refresh_from_db() reloads at once; expire() reloaded lazily on next access")
        suffix = f"fields={chains.source(fields)}" if fields is not None else ""
        return _Result(f"{code}.refresh_from_db({suffix})", "read")

    def bulk_insert(self, values: Sequence[cst.BaseExpression]) -> _Result:
        """``bulk_insert_mappings(Model, rows)`` → ``bulk_create``."""
        model = self.model(values[0])
        if model is None or len(values) < 2:
            raise chains.Unsupported
        self.note("bulk_create() skips save() and signals, like bulk_insert_mappings()")
        rows = chains.source(values[1])
        return _Result(f"{model}.objects.bulk_create([{model}(**row) for row in {rows}])", "write")

    # ------------------------------------------------------------------ db.paginate / db.*_or_404
    def db_helper(self, op: chains.Link, rest: list[chains.Link]) -> _Result:
        """``db.paginate(stmt)``, ``db.get_or_404(M, pk)``, ``db.first_or_404(stmt)``, ``db.one_or_404(stmt)``."""
        assert op.args is not None
        values = chains.positional(op.args)
        if not values:
            raise chains.Unsupported
        if op.name == "get_or_404":
            model = self.model(values[0])
            if model is None or len(values) < 2:
                raise chains.Unsupported
            query = _Query(model=model, legacy=False)
            options = chains.keyword(op.args, "options")
            if isinstance(options, (cst.List, cst.Tuple)):
                self.options(query, [e.value for e in options.elements])
            self.note_description(op.args)
            return self.trailing(self.get_or_404(query, chains.source(values[1])), rest)
        statement = self.select_query(values[0]) or self.variable_query(values[0])
        if statement is None:
            raise chains.Unsupported
        self.note_description(op.args)
        if op.name == "paginate":
            return self.trailing(self.paginate(statement, op.args, positional_page=False), rest, pagination=True)
        if op.name == "first_or_404":
            return self.trailing(self.first_or_404(statement, "flat"), rest)
        return self.trailing(self.one_or_404(statement, "flat"), rest)

    def note_description(self, args: Sequence[cst.Arg]) -> None:
        """The 404 ``description=`` has no place in get_object_or_404()."""
        if chains.keyword(args, "description") is not None:
            self.note("The 404 description is not passed on: raise Http404(message) to keep it")

    # ------------------------------------------------------------------ execute / scalars / scalar
    def execute(self, op: chains.Link, rest: list[chains.Link]) -> _Result:
        """``session.execute(stmt, params)``, ``session.scalars(stmt)``, ``session.scalar(stmt)``."""
        assert op.args is not None
        values = chains.positional(op.args)
        if not values:
            raise chains.Unsupported
        stmt = values[0]
        params = chains.source(values[1]) if len(values) > 1 else None
        if _function(stmt) == "text" or self.text_call(stmt) is not None:
            return self.raw_execute(stmt, params, op.name, rest)
        heads = [link for link in chains.flatten(stmt) if link.is_call] if _safe_flatten(stmt) else []
        if heads and heads[0].name == "insert" and len(heads) == 1 and params is not None:
            model = self.model(heads[0].args[0].value) if heads[0].args else None
            if model is not None:
                self.note("bulk_create() skips save() and signals, like an executemany INSERT")
                rows = values[1]
                objects = self.insert_rows(model, rows) if isinstance(rows, cst.List) else None
                objects = objects or f"[{model}(**row) for row in {params}]"
                return _Result(f"{model}.objects.bulk_create({objects})", "write")
        write = self.write_statement(stmt, rest)
        if write is not None:
            return write
        query = self.select_query(stmt) or self.variable_query(stmt)
        if query is None:
            raise chains.Unsupported
        if query.raw_sql is not None:
            query.raw_sql.params = params or query.raw_sql.params
            return self.raw_model(query, rest)
        if query.exists is not None:
            return self.exists_terminal(
                query.exists, rest if op.name == "execute" else [chains.Link("scalar", (), stmt)]
            )
        mode = {"execute": "rows", "scalars": "scalars", "scalar": "scalar"}[op.name]
        return self.result_chain(query, mode, rest)

    def variable_query(self, node: cst.BaseExpression) -> _Query | None:
        """A statement held in a variable (``stmt``, ``query.limit(20)``): assume it now holds the QuerySet."""
        if not _safe_flatten(node):
            return None
        links = chains.flatten(node)
        end = 0
        while end < len(links) and not links[end].is_call and links[end].subscript is None:
            end += 1
        name = chains.plain_prefix(links, end)
        rest = links[end:]
        if name is None or name in self.models or any(link.name not in _BUILDERS for link in rest):
            return None
        self.lossy(f"`{name}` is built elsewhere: this assumes it now holds the QuerySet translated from its select()")
        model = self.primary_model([], rest) or ""
        query = _Query(model=model, legacy=False, base=name)
        self.build(query, rest)
        if query.order is not None:
            self.note(f"order_by() replaces any ordering `{name}` has; SQLAlchemy's order_by() added to it")
        return query

    def result_chain(self, query: _Query, mode: str, rest: list[chains.Link]) -> _Result:
        """Result methods after execute()/scalars()/scalar(): scalars(), all(), first(), one(), ..."""
        index = 0
        while index < len(rest) and rest[index].name in ("scalars", "unique", "tuples", "mappings"):
            name = rest[index].name
            if name == "scalars":
                mode = "scalars"
            elif name == "mappings":
                mode = "mappings"
            elif name == "unique" and query.joins and query.entity:
                query.dedupe = True
            index += 1
        terminal = rest[index] if index < len(rest) else None
        after = rest[index + 1 :]
        if mode == "scalar":
            return self.trailing(self.scalar(query, "scalar"), rest[index:])
        if terminal is None or not terminal.is_call:
            return self.trailing(self.result_object(query, mode), rest[index:])
        name = terminal.name
        if name in ("scalar", "scalar_one", "scalar_one_or_none"):
            return self.trailing(self.scalar(query, name), after)
        if name == "yield_per" and terminal.args:
            code = self.emit(query, "objects" if query.entity else "flat", bare=True)
            return self.trailing(
                _Result(f"{code}.iterator(chunk_size={chains.argument_source(terminal.args[0])})", "read"), after
            )
        shape = "flat" if mode == "scalars" else ("mappings" if mode == "mappings" else "rows")
        if name in ("all", "fetchall"):
            return self.trailing(self.listing(query, shape), after)
        if name in ("first", "fetchone"):
            return self.trailing(self.first(query, shape), after)
        if name == "one":
            return self.trailing(self.one(query, shape), after)
        if name == "one_or_none":
            return self.trailing(self.one_or_none(query, shape), after)
        raise chains.Unsupported

    def result_object(self, query: _Query, mode: str) -> _Result:
        """An un-terminated Result: the QuerySet iterates the same way."""
        shape = {"scalars": "flat", "mappings": "mappings"}.get(mode, "rows")
        return _Result(self.emit(query, shape), self.kind(query))

    # ------------------------------------------------------------------ raw SQL
    def text_call(self, node: cst.BaseExpression) -> _RawSql | None:
        """``text("...")`` or ``text("...").bindparams(x=1)`` as raw SQL."""
        params: str | None = None
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "bindparams":
            pairs = [(a.keyword.value, chains.source(a.value)) for a in node.args if a.keyword is not None]
            params = "{" + ", ".join(f"{chains.python_string(k)}: {v}" for k, v in pairs) + "}"
            node = node.func.value
        if _function(node) != "text" or not isinstance(node, cst.Call) or not node.args:
            return None
        literal = _string(node.args[0].value)
        if literal is None:
            self.lossy("The SQL text is not a literal: rewrite its :name parameters as %(name)s by hand")
            return _RawSql(chains.source(node.args[0].value), params, [], literal=False)
        binds = [m.group(1) for m in BIND_PARAM.finditer(literal)]
        return _RawSql(chains.python_string(literal), params, binds, literal=True)

    def django_sql(self, raw: _RawSql, *, percent: bool) -> str:
        """The SQL literal with :name → %(name)s (and % doubled when Django formats the string)."""
        if not raw.literal:
            return raw.sql
        text = json.loads(raw.sql)
        if percent:
            text = text.replace("%", "%%")
        if raw.binds:
            self.note("SQL parameters changed from :name to %(name)s (Django's pyformat style)")
        text = BIND_PARAM.sub(lambda m: f"%({m.group(1)})s", text).replace("\\:", ":")
        return chains.python_string(text)

    def raw_execute(self, stmt: cst.BaseExpression, params: str | None, op: str, rest: list[chains.Link]) -> _Result:
        """``execute(text(...), params)`` → ``with connection.cursor() as cursor: ...``."""
        raw = self.text_call(stmt)
        if raw is None:
            raise chains.Unsupported
        params = params or raw.params
        if raw.binds and params is None:
            self.lossy("The SQL has :name parameters but no values were passed here")
        sql = self.django_sql(raw, percent=params is not None)
        many = params is not None and params.startswith("[")
        call = f"cursor.{'executemany' if many else 'execute'}({sql}{', ' + params if params else ''})"
        lines = ["with connection.cursor() as cursor:", f"    {call}"]
        fetch = self.fetch_lines(op, rest)
        lines.extend(f"    {line}" for line in fetch)
        if any("fetch" in line for line in fetch):
            self.note("Rows come back as plain tuples; column names are in cursor.description")
        return _Result("\n".join(lines), "raw")

    def fetch_lines(self, op: str, rest: list[chains.Link]) -> list[str]:
        """Statements reading the cursor for the Result methods that followed execute()."""
        names = [link.name for link in rest]
        if op == "scalar" or names[:1] in (["scalar"], ["scalar_one"], ["scalar_one_or_none"]):
            target = self.target or "value"
            return ["row = cursor.fetchone()", f"{target} = row[0] if row is not None else None"]
        if names[:2] == ["scalars", "all"] or op == "scalars":
            return [f"{self.target or 'values'} = [row[0] for row in cursor.fetchall()]"]
        if names[:1] == ["mappings"]:
            columns = "columns = [column[0] for column in cursor.description]"
            return [columns, f"{self.target or 'rows'} = [dict(zip(columns, row)) for row in cursor.fetchall()]"]
        if names[:1] in (["all"], ["fetchall"]):
            return [f"{self.target or 'rows'} = cursor.fetchall()"]
        if names[:1] in (["first"], ["fetchone"], ["one"], ["one_or_none"]):
            if names[0] in ("one", "one_or_none"):
                self.note("fetchone() does not check that exactly one row came back")
            return [f"{self.target or 'row'} = cursor.fetchone()"]
        if names[:1] == ["rowcount"]:
            return [f"{self.target or 'count'} = cursor.rowcount"]
        if names:
            self.lossy(f"The result method `{names[0]}` was not translated: read the rows from the cursor")
        elif self.target is not None:
            return [f"{self.target} = cursor.fetchall()"]
        return []

    def raw_model(self, query: _Query, rest: list[chains.Link]) -> _Result:
        """``select(M).from_statement(text(...))`` → ``M.objects.raw(sql, params)``."""
        raw = query.raw_sql
        assert raw is not None
        for link in rest:
            if link.name == "params" and link.args:
                pairs = [(a.keyword.value, chains.source(a.value)) for a in link.args if a.keyword is not None]
                raw.params = "{" + ", ".join(f"{chains.python_string(k)}: {v}" for k, v in pairs) + "}"
        rest = [link for link in rest if link.name != "params"]
        sql = self.django_sql(raw, percent=True)
        params = f", {raw.params}" if raw.params else ""
        code = f"{query.model}.objects.raw({sql}{params})"
        self.note("raw() needs the primary key among the selected columns")
        names = [link.name for link in rest if link.is_call and link.name not in ("scalars", "unique")]
        if names[:1] == ["all"]:
            code = f"list({code})"
        elif names[:1] in (["first"], ["scalar"], ["one_or_none"]):
            code = f"next(iter({code}), None)"
        elif names:
            self.lossy(f"`{names[0]}()` on a raw query was not translated")
        return _Result(code, "raw")

    # ------------------------------------------------------------------ 2.0 statements
    def statement(self, node: cst.BaseExpression) -> _Result | None:
        """A statement on its own: select() → QuerySet; update/delete/insert → run at once; text() → SQL."""
        write = self.write_statement(node, [])
        if write is not None:
            self.note("Django runs the write at once, where SQLAlchemy built a statement to execute later")
            return write
        raw = self.text_call(node)
        if raw is not None:
            sql = self.django_sql(raw, percent=bool(raw.params))
            self.note("Run it with `connection.cursor().execute(sql, params)` or Model.objects.raw(sql, params)")
            return _Result(sql, "raw")
        query = self.select_query(node)
        if query is None:
            return None
        if query.raw_sql is not None:
            return self.raw_model(query, [])
        if query.exists is not None:
            self.note("exists() runs the query at once; inside another query use Exists(qs)")
            return _Result(self.emit(query.exists, "objects", bare=True) + ".exists()", "read")
        if query.count_star or (query.aggregates and not query.group_by):
            self.note("Django aggregates run at once, where select() built a statement to execute later")
            return self.scalar(query, "scalar")
        columns = query.columns
        shape = "flat" if len(columns) == 1 and not query.group_by else "rows"
        if shape == "flat" and not query.entity:
            self.note("One selected column: values_list(flat=True) matches scalars(); execute() would give 1-tuples")
        return _Result(self.emit(query, shape), self.kind(query))

    def select_query(self, node: cst.BaseExpression) -> _Query | None:
        """A ``_Query`` for ``select(...)...``, ``session.query(...)...``, ``Model.query...`` or ``exists()...``."""
        if not _safe_flatten(node):
            return None
        links = chains.flatten(node)
        for end in range(1, len(links)):
            prefix = chains.plain_prefix(links, end)
            if prefix is None:
                break
            if prefix in self.models and links[end].name == "query" and not links[end].is_call:
                query = _Query(model=self.models[prefix], legacy=True)
                self.build(query, links[end + 1 :])
                return query
            if links[end].name == "query" and links[end].is_call and prefix.rsplit(".", 1)[-1] == "session":
                entities = chains.positional(links[end].args or ())
                model = self.primary_model(entities, links[end + 1 :])
                if model is None:
                    return None
                query = _Query(model=model, legacy=True, entity_nodes=list(entities))
                self.build(query, links[end + 1 :])
                return query
        for index, link in enumerate(links):
            if link.is_call and link.name in ("select", "exists"):
                if index and chains.plain_prefix(links, index) is None:
                    return None
                return self.select_statement(link, links[index + 1 :])
            if link.is_call or link.subscript is not None:
                return None
        return None

    def select_statement(self, head: chains.Link, rest: list[chains.Link]) -> _Query | None:
        """``select(*entities)...`` or ``exists().where(...)``."""
        assert head.args is not None
        entities = chains.positional(head.args)
        if head.name == "exists":
            model = self.primary_model(entities, rest)
            if model is None:
                return None
            inner = _Query(model=model, legacy=False)
            self.build(inner, rest)
            return _Query(model=model, legacy=False, exists=inner)
        if len(entities) == 1:
            exists = self.exists_entity(entities[0])
            if exists is not None:
                self.build(exists, rest)
                return _Query(model=exists.model, legacy=False, exists=exists)
        model = self.primary_model(entities, rest)
        if model is None:
            return None
        query = _Query(model=model, legacy=False, entity_nodes=list(entities))
        self.build(query, rest)
        return query

    def write_statement(self, node: cst.BaseExpression, rest: list[chains.Link]) -> _Result | None:
        """``update(M).where(...).values(...)``, ``delete(M).where(...)``, ``insert(M).values(...)``."""
        if not _safe_flatten(node):
            return None
        links = chains.flatten(node)
        for index, link in enumerate(links):
            if link.is_call and link.name in ("update", "delete", "insert"):
                if index and chains.plain_prefix(links, index) is None:
                    return None
                if not link.args or self.model(link.args[0].value) is None:
                    return None
                model = self.model(link.args[0].value)
                assert model is not None
                names = [r.name for r in rest]
                if link.name == "insert":
                    return self.insert(model, links[index + 1 :])
                result = self.update_delete(model, link.name, links[index + 1 :])
                if link.name == "delete" and names[:1] == ["rowcount"]:
                    return _Result(f"{result.code}[0]", "write")
                return result
            if link.is_call or link.subscript is not None:
                return None
        return None

    def update_delete(self, model: str, name: str, links: list[chains.Link]) -> _Result:
        """``update(M)...`` / ``delete(M)...`` statements → ``qs.update()`` / ``qs.delete()``."""
        query = _Query(model=model, legacy=False)
        values: list[tuple[str, str]] = []
        scope = _Scope(query)
        kept: list[chains.Link] = []
        for link in links:
            if link.name == "values" and link.args is not None:
                values.extend(self.assignments(link.args, scope))
            elif link.name == "returning":
                self.lossy("RETURNING has no QuerySet equivalent: query the rows separately")
            else:
                kept.append(link)
        self.build(query, kept)
        base = self.emit(query, "objects", bare=True)
        if name == "delete":
            return self.delete_code(base)
        return self.update_code(base, values)

    def delete_code(self, base: str) -> _Result:
        """``qs.delete()`` with its notes (a Manager has no delete(), so ``.all()`` first)."""
        if base.endswith(".objects"):
            base += ".all()"  # Manager has no delete(), by design
        self.note("Django collects the rows, emulates ON DELETE in Python and sends signals")
        self.note("delete() returns (count, per-model counts) where SQLAlchemy returned the row count")
        return _Result(f"{base}.delete()", "write")

    def update_code(self, base: str, values: list[tuple[str, str]]) -> _Result:
        """``qs.update(**values)`` with its notes."""
        if not values:
            raise chains.Unsupported
        self.note("update() runs no save() or signals and skips auto_now fields; SQLAlchemy's onupdate= did run")
        return _Result(f"{base}.update({_kwargs(values)})", "write")

    def assignments(self, args: Sequence[cst.Arg], scope: _Scope) -> list[tuple[str, str]]:
        """``values(a=1)`` / ``values({M.a: 1})`` / ``update({"a": 1})`` → (field, code) pairs."""
        pairs: list[tuple[str, str]] = []
        for arg in args:
            if arg.keyword is not None:
                pairs.append((arg.keyword.value, self.value(arg.value, scope)))
            elif arg.star == "**":
                pairs.append(("**", chains.source(arg.value)))
            elif isinstance(arg.value, cst.Dict):
                for element in arg.value.elements:
                    if not isinstance(element, cst.DictElement):
                        pairs.append(("**", chains.source(element.value)))
                        continue
                    key = _string(element.key)
                    column = self.column(element.key)
                    if column is not None:
                        key = column[1]
                    if key is None or not _is_simple_name(key):
                        raise chains.Unsupported
                    pairs.append((key, self.value(element.value, scope)))
            else:
                pairs.append(("**", chains.source(arg.value)))
        return pairs

    def insert(self, model: str, links: list[chains.Link]) -> _Result:
        """``insert(M).values(...)`` → ``create()``/``bulk_create()``."""
        rows: str | None = None
        pairs: list[tuple[str, str]] = []
        ignore = False
        for link in links:
            if link.name == "values" and link.args is not None:
                values = chains.positional(link.args)
                if len(values) == 1 and isinstance(values[0], cst.List):
                    rows = self.insert_rows(model, values[0])
                elif len(values) == 1 and not isinstance(values[0], cst.Dict):
                    rows = f"[{model}(**row) for row in {chains.source(values[0])}]"
                else:
                    pairs.extend(self.assignments(link.args, _Scope(_Query(model=model, legacy=False))))
            elif link.name in ("on_conflict_do_nothing", "prefix_with"):
                ignore = True
            elif link.name == "returning":
                self.lossy("RETURNING has no equivalent: create() returns the new instance instead")
            else:
                self.lossy(f"`{link.name}` on insert() was not translated")
        if rows is not None:
            self.note("bulk_create() skips save() and signals, like a Core INSERT")
            suffix = ", ignore_conflicts=True" if ignore else ""
            return _Result(f"{model}.objects.bulk_create({rows}{suffix})", "write")
        if ignore:
            self.note("bulk_create(ignore_conflicts=True) matches ON CONFLICT DO NOTHING / INSERT OR IGNORE")
            return _Result(f"{model}.objects.bulk_create([{model}({_kwargs(pairs)})], ignore_conflicts=True)", "write")
        self.note("create() runs save() and the pre/post_save signals, which a Core INSERT did not")
        return _Result(f"{model}.objects.create({_kwargs(pairs)})", "write")

    def insert_rows(self, model: str, rows: cst.List) -> str:
        """A list literal of row dicts → a list of unsaved model instances."""
        items: list[str] = []
        scope = _Scope(_Query(model=model, legacy=False))
        for element in rows.elements:
            value = element.value
            if isinstance(value, cst.Dict):
                pairs = self.assignments([cst.Arg(value)], scope)
                items.append(f"{model}({_kwargs(pairs)})")
            else:
                items.append(f"{model}(**{chains.source(value)})")
        return "[" + ", ".join(items) + "]"

    # ------------------------------------------------------------------ exists
    def exists_entity(self, node: cst.BaseExpression) -> _Query | None:
        """The query inside ``<query>.exists()`` or ``exists().where(...)``."""
        if not _safe_flatten(node):
            return None
        links = chains.flatten(node)
        if links[-1].name == "exists" and links[-1].args is not None and len(links) > 1:
            inner = _strip_last_call(node)
            if inner is None:
                return None
            return self.select_query(inner)
        if (links[0].name == "exists" and links[0].is_call) or (
            len(links) > 1 and links[1].name == "exists" and links[1].is_call and chains.plain_prefix(links, 1)
        ):
            query = self.select_query(node)
            return query.exists if query is not None else None
        return None

    def exists_terminal(self, inner: _Query, rest: list[chains.Link]) -> _Result:
        """Reading an EXISTS query (``scalar()``) → ``qs.exists()``."""
        names = [link.name for link in rest if link.is_call]
        if names[:1] in (["scalar"], ["scalar_one"], ["first"], ["one"]) or not names:
            if names[:1] == ["first"] or names[:1] == ["one"]:
                self.note("exists() returns a bool, not a one-column row")
            return _Result(self.emit(inner, "objects", bare=True) + ".exists()", "read")
        raise chains.Unsupported

    # ------------------------------------------------------------------ chains
    def chain(self, query: _Query, links: list[chains.Link], *, legacy: bool) -> _Result:
        """Builder methods, then the terminal of a legacy Query."""
        position = next((i for i, link in enumerate(links) if link.name in _LEGACY_TERMINALS), len(links))
        if position < len(links) and links[position].name == "from_statement":
            self.build(query, links[: position + 1])
            if query.raw_sql is None:
                raise chains.Unsupported
            return self.raw_model(query, links[position + 1 :])
        self.build(query, links[:position])
        if position == len(links):
            return _Result(self.emit(query, "rows" if not query.entity else "objects"), self.kind(query))
        terminal = links[position]
        after = links[position + 1 :]
        return self.legacy_terminal(query, terminal, after)

    def legacy_terminal(self, query: _Query, terminal: chains.Link, after: list[chains.Link]) -> _Result:
        """The method that ends a legacy Query chain (all, first, count, paginate, ...)."""
        name = terminal.name
        args = terminal.args or ()
        values = chains.positional(args)
        if name == "all":
            return self.trailing(self.listing(query, "rows"), after)
        if name == "first":
            return self.trailing(self.first(query, "rows"), after)
        if name == "one":
            return self.trailing(self.one(query, "rows"), after)
        if name == "one_or_none":
            return self.trailing(self.one_or_none(query, "rows"), after)
        if name == "scalar":
            return self.trailing(self.scalar(query, "scalar_legacy"), after)
        if name == "count":
            return self.trailing(_Result(self.emit(query, "count", bare=True) + ".count()", "aggregate"), after)
        if name == "exists":
            self.note("exists() runs the query at once; inside another query use Exists(qs)")
            return self.trailing(_Result(self.emit(query, "objects", bare=True) + ".exists()", "read"), after)
        if name == "get" and values:
            base = self.emit(query, "objects", bare=True)
            self.note_get()
            return self.trailing(_Result(f"{base}.filter(pk={chains.source(values[0])}).first()", "read"), after)
        if name == "get_or_404" and values:
            self.note_description(args)
            return self.trailing(self.get_or_404(query, chains.source(values[0])), after)
        if name == "first_or_404":
            self.note_description(args)
            return self.trailing(self.first_or_404(query, "rows"), after)
        if name == "one_or_404":
            self.note_description(args)
            return self.trailing(self.one_or_404(query, "rows"), after)
        if name == "paginate":
            return self.trailing(self.paginate(query, args, positional_page=True), after, pagination=True)
        if name == "delete":
            base = self.emit(query, "objects", bare=True)
            return self.trailing(self.delete_code(base), after)
        if name == "update":
            pairs = self.assignments(
                [a for a in args if a.keyword is None or a.keyword.value != "synchronize_session"], _Scope(query)
            )
            return self.trailing(self.update_code(self.emit(query, "objects", bare=True), pairs), after)
        if name in ("subquery", "scalar_subquery", "cte", "statement"):
            self.lossy(f"`{name}` became the QuerySet itself: use Subquery(qs.values(...)) or `field__in=qs`")
            return self.trailing(_Result(self.emit(query, "values"), "read"), after)
        if name == "yield_per" and values:
            code = self.emit(query, "objects", bare=True) + f".iterator(chunk_size={chains.source(values[0])})"
            return self.trailing(_Result(code, "read"), after)
        raise chains.Unsupported

    def build(self, query: _Query, links: list[chains.Link]) -> None:
        """Apply builder methods (filters, joins, ordering, options, limits) to ``query``."""
        for position, link in enumerate(links):
            if link.name in ("join", "outerjoin", "join_from") and link.args is not None:
                self.join(query, link, position)
            elif link.name == "select_from" and link.args:
                model = self.model(link.args[0].value)
                if model is not None and query.entity and not query.entity_nodes:
                    query.model = model
        self.resolve_entities(query)
        for position, link in enumerate(links):
            self.apply(query, link, position)

    def resolve_entities(self, query: _Query) -> None:
        """Turn the selected entities into items once the joins are known."""
        if not query.entity_nodes:
            return
        scope = _Scope(query)
        query.entity = False
        for node in query.entity_nodes:
            self.entity(query, node, scope)

    def entity(self, query: _Query, node: cst.BaseExpression, scope: _Scope) -> None:
        """One selected entity: the model, a column, an aggregate (``func.count(...).filter(...)``)."""
        model = self.model(node)
        if model is not None:
            if query.entity or query.items:
                self.lossy(f"Several entities are selected: only {query.model} rows are returned here")
            if model == query.model:
                query.entity = True
            return
        label: str | None = None
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "label":
            label = _string(node.args[0].value) if node.args else None
            node = node.func.value
        condition: str | None = None
        source = chains.source(node)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "filter":
            inner = node.func.value
            if _sql_function(inner) is not None and len(node.args) == 1:
                cond = self.condition(node.args[0].value, scope)
                condition, node = _q(_And((cond,)) if isinstance(cond, _Lookup) else cond), inner
        function = _sql_function(node)
        if function is not None:
            self.aggregate_entity(query, node, function, label, scope, condition)
            if query.items:
                query.items[-1].source = source
            return
        distinct = _function(node) == "distinct" and isinstance(node, cst.Call) and bool(node.args)
        if distinct and isinstance(node, cst.Call):
            node = node.args[0].value
            query.distinct = []
        path = self.column_path(node, scope)
        if path is None:
            self.lossy(f"The selected expression `{chains.source(node)}` was not translated")
            return
        if label is not None:
            self.note(f"The row field `{label}` is called `{path}` in values_list()")
        query.items.append(_Item("column", path, chains.python_string(path), chains.source(node)))

    def aggregate_entity(
        self,
        query: _Query,
        node: cst.BaseExpression,
        function: str,
        label: str | None,
        scope: _Scope,
        condition: str | None = None,
    ) -> None:
        """``func.count(...)``/``sum``/... selected → an aggregate item (or COUNT(*))."""
        assert isinstance(node, cst.Call)
        if function == "count" and not node.args:
            if label is None and not query.items and condition is None:
                query.count_star = True
                return
            where = f", filter={condition}" if condition else ""
            _add_aggregate(query, _Item("aggregate", label or "count", f'Count("*"{where})', chains.source(node)))
            return
        expression = self.aggregate_expression(node, function, scope, condition)
        if expression is None:
            self.lossy(f"The SQL function `{chains.source(node)}` has no translation here")
            return
        code, default_alias = expression
        _add_aggregate(query, _Item("aggregate", label or default_alias, code, chains.source(node)))

    def aggregate_expression(
        self, node: cst.Call, function: str, scope: _Scope, condition: str | None = None
    ) -> tuple[str, str] | None:
        """``Count("id")`` and its default alias ``id__count`` for ``func.count(M.id)``."""
        if function not in AGGREGATES or len(node.args) != 1:
            return None
        arg = node.args[0].value
        distinct = False
        if _function(arg) == "distinct" and isinstance(arg, cst.Call) and arg.args:
            arg, distinct = arg.args[0].value, True
        elif isinstance(arg, cst.Call) and isinstance(arg.func, cst.Attribute) and arg.func.attr.value == "distinct":
            arg, distinct = arg.func.value, True
        path = self.column_path(arg, scope)
        if path is None:
            return None
        suffix = (", distinct=True" if distinct else "") + (f", filter={condition}" if condition else "")
        return f'{AGGREGATES[function]}("{path}"{suffix})', f"{path}__{function}"

    def join(self, query: _Query, link: chains.Link, position: int) -> None:
        """``join(Target[, onclause])`` → a relation path, checked later against the filters."""
        assert link.args is not None
        values = chains.positional(link.args)
        if link.name == "join_from" and values:
            values = values[1:]
        if not values:
            return
        outer = (
            link.name == "outerjoin"
            or chains.source(chains.keyword(link.args, "isouter") or cst.Name("False")) == "True"
        )
        target = values[0]
        onclause = values[1] if len(values) > 1 else None
        relation = self.column(target)
        if relation is not None:
            base = self.path(relation[0], relation[1], _Scope(query))
            if base is None:
                self.lossy(f"The join `{chains.source(target)}` starts from an entity the query does not reach")
                return
            query.joins.append(_Join(base, None, outer, position))
            return
        model = self.model(target)
        if model is None:
            if isinstance(target, cst.SimpleString) and _string(target):
                query.joins.append(_Join(_string(target) or "", None, outer, position))
                return
            self.lossy(f"The join target `{chains.source(target)}` is not a model: translate this join by hand")
            return
        path = self.join_path(query, model, onclause)
        query.joins.append(_Join(path, model, outer, position))

    def join_path(self, query: _Query, model: str, onclause: cst.BaseExpression | None) -> str:
        """The relation name for ``join(Model[, onclause])``: from the ON clause or the model name."""
        if onclause is not None:
            relation = self.column(onclause)
            if relation is not None and relation[0] == query.model:
                return relation[1]
            name = self.relation_from_onclause(query, model, onclause)
            if name is not None:
                self.note(f"The ON clause was dropped: Django joins through the relation `{name}`")
                return name
        known = self.relations.get((query.model, model))
        if known is not None:
            return known
        name = model.lower()
        previous = [j for j in query.joins if j.model is not None]
        if previous:
            self.note(f"Assumed {model} is joined through {previous[-1].model} as `{previous[-1].path}__{name}`")
            return f"{previous[-1].path}__{name}"
        assumed = (
            f"Assumed the relation from {query.model} to {model} is named `{name}` "
            "(Django's default query name; use the related_name if one is set)"
        )
        if self.relations:
            # The project's models are known and none links these two: the guess is likely wrong.
            self.lossy(assumed)
        else:
            self.note(assumed)
        return name

    def relation_from_onclause(self, query: _Query, model: str, onclause: cst.BaseExpression) -> str | None:
        """``Book.author_id == Author.id`` → ``author``; ``Author.id == Book.author_id`` from Author → ``book``."""
        if not isinstance(onclause, cst.Comparison) or len(onclause.comparisons) != 1:
            return None
        sides = [self.column(onclause.left), self.column(onclause.comparisons[0].comparator)]
        for side in sides:
            if side is not None and side[0] == query.model and side[1].endswith("_id"):
                return side[1][: -len("_id")]
        for i, side in enumerate(sides):
            if side is not None and side[0] == model and side[1].endswith("_id"):
                other = sides[1 - i]
                joined = [j for j in query.joins if other is not None and j.model == other[0] != query.model]
                if joined and other is not None:
                    # ``join(B, B.a_id == A.id)`` after ``join(A)``: B is reached through A.
                    return f"{joined[-1].path}__{self.relations.get((other[0], model), model.lower())}"
                return self.relations.get((query.model, model), model.lower())
        return None

    def apply(self, query: _Query, link: chains.Link, position: int) -> None:
        """One builder method."""
        name = link.name
        args = link.args or ()
        scope = _Scope(query, position=position)
        if name in ("filter", "where") and link.is_call:
            query.conditions.extend(self.condition(a.value, scope) for a in args if a.keyword is None)
        elif name == "filter_by":
            query.conditions.extend(self.filter_by(query, args, scope))
        elif name == "order_by":
            self.order_by(query, args, scope)
        elif name in ("limit", "offset") and args:
            if query.stop is not None:
                self.lossy(f"{name}() after a slice was not combined with it")
            setattr(query, name, chains.source(args[0].value))
        elif name == "slice" and len(args) == 2:
            query.offset, query.stop, query.limit = chains.source(args[0].value), chains.source(args[1].value), None
        elif name == "[]":
            self.subscript(query, link)
        elif name == "distinct":
            query.distinct = [p for p in (self.column_path(a.value, scope) for a in args) if p]
            if query.distinct:
                self.note("distinct(*fields) is DISTINCT ON: PostgreSQL only, and order_by() must start with them")
        elif name == "options":
            self.options(query, [a.value for a in args])
        elif name == "group_by":
            query.group_by.extend(p for p in (self.column_path(a.value, scope) for a in args) if p)
        elif name == "having":
            query.having.extend(self.having(query, a.value, scope) for a in args)
        elif name in ("with_entities", "with_only_columns", "add_columns"):
            self.reselect(query, name, args, scope)
        elif name == "with_for_update":
            self.for_update(query, args)
        elif name == "from_statement" and args:
            query.raw_sql = self.text_call(args[0].value)
            if query.raw_sql is None:
                self.lossy("from_statement() of a non-text() statement was not translated")
        elif name in ("correlate", "correlate_except"):
            self.lossy("A correlated subquery needs Subquery()/Exists() with OuterRef() for the outer columns")
        elif name in ("subquery", "scalar_subquery", "cte", "alias"):
            self.note(f"{name}() is not needed: pass the QuerySet itself (`field__in=qs`, Subquery(qs))")
        elif name in ("join", "outerjoin", "join_from", "select_from") or name in DROPPED:
            if name == "params" and query.raw_sql is not None:
                pairs = [(a.keyword.value, chains.source(a.value)) for a in args if a.keyword is not None]
                query.raw_sql.params = "{" + ", ".join(f"{chains.python_string(k)}: {v}" for k, v in pairs) + "}"
        else:
            self.lossy(f"`{name}` has no translation here and was kept as written")
            query.tail.append(_call_text(link))

    def filter_by(self, query: _Query, args: Sequence[cst.Arg], scope: _Scope) -> list[_Cond]:
        """``filter_by(k=v)``: names refer to the last joined entity, else the query's model."""
        joins = [j for j in query.joins if j.position < scope.position]
        prefix = f"{joins[-1].path}__" if joins else ""
        if joins:
            joins[-1].filtered = True
        conds: list[_Cond] = []
        for arg in args:
            if arg.keyword is not None:
                value = self.value(arg.value, scope)
                key = f"{prefix}{arg.keyword.value}"
                conds.append(_Lookup(f"{key}__isnull", "True") if value == "None" else _Lookup(key, value))
            elif arg.star == "**":
                if prefix:
                    self.lossy("filter_by(**mapping) after a join filters the joined entity: prefix its keys")
                conds.append(_Lookup("**", chains.source(arg.value)))
        return conds

    def subscript(self, query: _Query, link: chains.Link) -> None:
        """``query[a:b]`` / ``query[i]``."""
        elements = link.subscript or ()
        if len(elements) != 1:
            raise chains.Unsupported
        part = elements[0].slice
        if query.sliced:
            self.lossy("A subscript after limit()/offset() was not combined with them")
        if isinstance(part, cst.Index):
            query.tail.append(f"[{chains.source(part.value)}]")
            return
        if isinstance(part, cst.Slice):
            if part.step is not None:
                self.lossy("A slice step is not supported by QuerySets")
            lower = chains.source(part.lower) if part.lower is not None else None
            upper = chains.source(part.upper) if part.upper is not None else None
            for bound in (lower, upper):
                if bound is not None and bound.startswith("-"):
                    self.lossy("QuerySets do not support negative indexes")
            query.offset, query.stop, query.limit = lower, upper, None

    def for_update(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``with_for_update(...)`` → ``select_for_update(...)``."""
        pairs = [(a.keyword.value, chains.source(a.value)) for a in args if a.keyword is not None]
        kept = [(k, v) for k, v in pairs if k in ("nowait", "skip_locked")]
        for key, value in pairs:
            if key == "read" and value == "True":
                self.lossy("with_for_update(read=True) (FOR SHARE) has no Django equivalent")
            elif key == "of":
                self.note("with_for_update(of=...) becomes select_for_update(of=(...)) with relation names")
            elif key == "key_share":
                self.lossy("FOR KEY SHARE has no Django equivalent")
            elif key == "no_key_update" and value == "True":
                kept.append(("no_key", "True"))
        query.for_update = _kwargs(kept)
        self.note("select_for_update() must run inside transaction.atomic(), else Django raises")

    def reselect(self, query: _Query, name: str, args: Sequence[cst.Arg], scope: _Scope) -> None:
        """with_entities()/with_only_columns() replace the selection; add_columns() extends it."""
        if name != "add_columns":
            query.items = []
            query.entity = False
            query.count_star = False
        nodes = [a.value for a in args if a.keyword is None]
        if len(nodes) == 1 and isinstance(nodes[0], (cst.List, cst.Tuple)):
            nodes = [e.value for e in nodes[0].elements]
        for node in nodes:
            self.entity(query, node, scope)

    def having(self, query: _Query, node: cst.BaseExpression, scope: _Scope) -> _Cond:
        """``having(func.count(M.id) > 1)`` → a filter on the aggregate's alias."""
        if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
            left, target = node.left, node.comparisons[0]
            alias = self.aggregate_alias(query, left, scope)
            op = type(target.operator).__name__
            if alias is not None and op in FLIPPED:
                value = self.value(target.comparator, scope)
                if op == "Equal":
                    return _Lookup(alias, value)
                if op == "NotEqual":
                    return _Not(_Lookup(alias, value))
                return _Lookup(f"{alias}__{COMPARISON_SUFFIX[op]}", value)
        self.lossy(f"The HAVING clause `{chains.source(node)}` was kept as written")
        return _Verbatim(chains.source(node))

    def aggregate_alias(self, query: _Query, node: cst.BaseExpression, scope: _Scope) -> str | None:
        """The alias of a selected aggregate, adding a new annotation if it is not selected."""
        source = chains.source(node)
        for item in query.aggregates:
            if item.source == source:
                return item.name
        function = _sql_function(node)
        if function is None or not isinstance(node, cst.Call):
            return None
        if function == "count" and not node.args:
            _add_aggregate(query, _Item("aggregate", "count", 'Count("*")', source))
            return query.items[-1].name
        expression = self.aggregate_expression(node, function, scope)
        if expression is None:
            return None
        _add_aggregate(query, _Item("aggregate", expression[1], expression[0], source))
        return query.items[-1].name

    # ------------------------------------------------------------------ order_by
    def order_by(self, query: _Query, args: Sequence[cst.Arg], scope: _Scope) -> None:
        """Successive order_by() calls add up in SQLAlchemy (Django's replace): merge them."""
        values = [a.value for a in args if a.keyword is None]
        if len(values) == 1 and _is_none(values[0]):
            query.order = []
            return
        if query.order is None:
            query.order = []
        for value in values:
            query.order.append(self.ordering(query, value, scope))

    def ordering(self, query: _Query, node: cst.BaseExpression, scope: _Scope) -> str:
        """One ORDER BY expression as a Django ordering argument."""
        descending, nulls, base = _unwrap_ordering(node)
        expression: str | None = None
        name: str | None = None
        literal = _string(base)
        if literal is not None and _is_simple_name(literal.strip()):
            name = literal.strip()
        elif self.column(base) is not None:
            name = self.column_path(base, scope)
        else:
            name = self.aggregate_alias(query, base, scope) if query.aggregates or query.group_by else None
            function = _sql_function(base)
            if name is None and function in FUNCTIONS and isinstance(base, cst.Call) and len(base.args) == 1:
                path = self.column_path(base.args[0].value, scope)
                if path is not None:
                    expression = f'{FUNCTIONS[function]}("{path}")'
        if name is None and expression is None:
            self.lossy(f"The ordering `{chains.source(node)}` was kept as written")
            return chains.source(node)
        if nulls is not None or expression is not None:
            expression = expression or f'F("{name}")'
            method = "desc" if descending else "asc"
            option = f"nulls_{nulls}=True" if nulls else ""
            return f"{expression}.{method}({option})"
        return chains.python_string(f"-{name}" if descending else f"{name}")

    # ------------------------------------------------------------------ options (loaders)
    def options(self, query: _Query, nodes: Sequence[cst.BaseExpression]) -> None:
        """Loader options → select_related/prefetch_related/only/defer."""
        for node in nodes:
            self.option(query, node)

    def option(self, query: _Query, node: cst.BaseExpression) -> None:
        """``joinedload(M.a).selectinload(A.b)`` → ``select_related``/``prefetch_related("a__b")``."""
        if not _safe_flatten(node):
            self.lossy(f"The loader option `{chains.source(node)}` was not translated")
            return
        links = [link for link in chains.flatten(node) if link.is_call]
        path: list[str] = []
        strategies: list[str] = []
        for link in links:
            args = chains.positional(link.args or ())
            names = [a.attr.value if isinstance(a, cst.Attribute) else self.attribute_name(a) for a in args]
            if link.name in ("load_only", "defer", "undefer"):
                self.field_option(query, link.name, path, [n for n in names if n])
                continue
            if link.name in NO_LOAD:
                self.note(f"{link.name}() has no Django equivalent and was dropped")
                return
            if link.name not in JOINED_LOADERS | SELECT_LOADERS | {"defaultload"} or len(names) != 1 or not names[0]:
                self.lossy(f"The loader option `{chains.source(node)}` was not translated")
                return
            path.append(names[0])
            strategies.append(link.name)
        if not path or all(s == "defaultload" for s in strategies):
            return
        lookup = "__".join(path)
        if any(s in SELECT_LOADERS for s in strategies):
            if lookup not in query.prefetch_related:
                query.prefetch_related.append(lookup)
            return
        if lookup not in query.select_related:
            query.select_related.append(lookup)
        if "contains_eager" in strategies:
            self.note("contains_eager() became select_related(): Django writes the join itself")
        self.note(
            f"select_related() follows foreign keys and one-to-one relations only: if `{lookup}` is a collection, "
            f'use prefetch_related("{lookup}")'
        )

    def attribute_name(self, node: cst.BaseExpression) -> str | None:
        """The attribute name of ``Model.attr`` or a string literal."""
        column = self.column(node)
        if column is not None:
            return column[1]
        literal = _string(node)
        return literal if literal and _is_simple_name(literal) else None

    def field_option(self, query: _Query, name: str, path: list[str], fields: list[str]) -> None:
        """``load_only``/``defer``/``undefer`` under a loader path."""
        prefix = "__".join(path) + "__" if path else ""
        if name == "undefer":
            self.note("Django loads every field unless deferred: undefer() needs no translation")
            return
        if name == "load_only" and path:
            self.lossy("only() on a related model also defers the main model's other fields: list them too")
        target = query.only if name == "load_only" else query.defer
        target.extend(prefix + f for f in fields)

    # ------------------------------------------------------------------ conditions
    def condition(self, node: cst.BaseExpression, scope: _Scope) -> _Cond:
        """A SQLAlchemy criterion → a condition tree."""
        if isinstance(node, cst.Comparison):
            return self.comparison(node, scope)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.BitInvert):
            return self.negated(node.expression, scope)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.BitAnd, cst.BitOr)):
            parts = (self.condition(node.left, scope), self.condition(node.right, scope))
            return _And(parts) if isinstance(node.operator, cst.BitAnd) else _Or(parts)
        if isinstance(node, cst.Call):
            return self.call_condition(node, scope)
        if self.column(node) is not None:
            path = self.column_path(node, scope, filtering=True)
            if path is not None:
                return _Lookup(path, "True")
        if isinstance(node, (cst.BooleanOperation, cst.UnaryOperation)):
            self.lossy(
                f"Python `and`/`or`/`not` do not build SQL (SQLAlchemy raises TypeError): `{chains.source(node)}`"
            )
        else:
            self.lossy(f"The criterion `{chains.source(node)}` was kept as written")
        return _Verbatim(chains.source(node))

    def negated(self, node: cst.BaseExpression, scope: _Scope) -> _Cond:
        """NOT criterion; a negated any() is NOT EXISTS, which exclude() matches without duplicates."""
        dedupe, noted = scope.query.dedupe, len(self.notes)
        cond = _negate(self.condition(node, scope))
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "any":
            scope.query.dedupe = dedupe
            self.notes[noted:] = [n for n in self.notes[noted:] if not n.startswith("any() is an EXISTS")]
            self.note(
                f"`{chains.source(node.func.value)}` must match the Django related name "
                "(related_name or the model name)"
            )
        return cond

    def call_condition(self, node: cst.Call, scope: _Scope) -> _Cond:
        """A call used as a criterion: and_/or_/not_, column methods, SQL functions."""
        name = _function(node)
        if name in ("and_", "or_") and self.model(node.func) is None:
            parts = tuple(self.condition(a.value, scope) for a in node.args)
            if len(parts) == 1:
                return parts[0]
            return _And(parts) if name == "and_" else _Or(parts)
        if name == "not_" and len(node.args) == 1:
            return self.negated(node.args[0].value, scope)
        if isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            target = node.func.value
            if self.column(target) is not None:
                path = self.column_path(target, scope, filtering=True)
                if path is not None:
                    return self.column_method(path, method, node, scope)
                return _Verbatim(chains.source(node))
            operand = self.function_operand(target, scope)
            if operand is not None and method in _PATTERN_METHODS:
                return self.column_method(operand, method, node, scope)
        self.lossy(f"The criterion `{chains.source(node)}` was kept as written")
        return _Verbatim(chains.source(node))

    def column_method(self, path: str, method: str, node: cst.Call, scope: _Scope) -> _Cond:
        """``M.col.in_(...)``, ``.like()``, ``.is_()``, ``.between()``, ``.has()``, ``.any()``, ..."""
        args = chains.positional(node.args)
        if method in ("has", "any"):
            return self.relation(path, method, node.args, scope)
        if method in ("in_", "not_in", "notin_") and len(args) == 1:
            cond: _Cond = _Lookup(f"{path}__in", self.in_value(args[0], scope))
            if method != "in_":
                self.note_not_equal(path)
                return _Not(cond)
            return cond
        if method in ("is_", "is_not", "isnot", "isnot_distinct_from") and len(args) == 1:
            return self.identity(path, method, args[0], scope)
        if method == "between" and len(args) == 2:
            if chains.keyword(node.args, "symmetric") is not None:
                self.lossy("between(symmetric=True) has no Django lookup")
            low, high = self.value(args[0], scope), self.value(args[1], scope)
            return _Lookup(f"{path}__range", f"({low}, {high})")
        if method in _PATTERN_METHODS and len(args) == 1:
            return self.pattern(path, method, args[0], node, scope)
        if method in ("regexp_match", "not_regexp_match") and args:
            flags = _string(chains.keyword(node.args, "flags") or cst.SimpleString('""')) or ""
            lookup = "iregex" if "i" in flags else "regex"
            cond = _Lookup(f"{path}__{lookup}", self.value(args[0], scope))
            self.note("Regular expression syntax is the database's (Django passes it through)")
            return _Not(cond) if method.startswith("not_") else cond
        self.lossy(f"The column method `{method}()` in `{chains.source(node)}` was kept as written")
        return _Verbatim(chains.source(node))

    def identity(self, path: str, method: str, arg: cst.BaseExpression, scope: _Scope) -> _Cond:
        """``is_(x)``/``is_not(x)``: NULL checks and booleans."""
        negated = method != "is_"
        if _is_none(arg):
            return _Lookup(f"{path}__isnull", "False" if negated else "True")
        if _is_bool(arg) or _function(arg) in ("true", "false"):
            value = "True" if chains.source(arg) == "True" or _function(arg) == "true" else "False"
            cond: _Cond = _Lookup(path, value)
            return _negate(cond) if negated else cond
        cond = _Lookup(path, self.value(arg, scope))
        return _Not(cond) if negated else cond

    def in_value(self, node: cst.BaseExpression, scope: _Scope) -> str:
        """The right side of ``__in``: a list, or a subquery translated to a QuerySet."""
        if isinstance(node, (cst.List, cst.Tuple, cst.Set, cst.Name)) or self.column(node) is not None:
            return self.value(node, scope)
        nested = _Translator(self.models, None)
        query = nested.select_query(node) if _safe_flatten(node) else None
        if query is None or query.raw_sql is not None:
            return self.value(node, scope)
        code = nested.emit(query, "values")
        for text in nested.notes:
            self.note(text)
        self.exact = self.exact and nested.exact
        return code

    def note_not_equal(self, path: str) -> None:
        """Explain the NULL difference of exclude()/~Q against SQL != and NOT IN."""
        self.note(
            f"exclude()/~Q() keep rows where `{path}` IS NULL, which SQL's != / NOT IN drops: "
            f"add `{path}__isnull=False` if the field is nullable"
        )

    def relation(self, path: str, method: str, args: Sequence[cst.Arg], scope: _Scope) -> _Cond:
        """``M.rel.has(...)``/``.any(...)`` → lookups through the relation."""
        inner = _Scope(scope.query, prefix=path)
        conds: list[_Cond] = []
        for arg in args:
            if arg.keyword is not None:
                conds.append(_Lookup(f"{path}__{arg.keyword.value}", self.value(arg.value, scope)))
            elif arg.star:
                self.lossy(f"{method}(**mapping) was not translated")
            else:
                conds.append(self.condition(arg.value, inner))
        if method == "any":
            scope.query.dedupe = True
            self.note(
                f"any() is an EXISTS subquery; Django joins `{path}` instead, so .distinct() removes the duplicates. "
                f"`{path}` must be the Django related name (related_name or the lowercased model name)"
            )
        if not conds:
            return _Lookup(f"{path}__isnull", "False")
        return conds[0] if len(conds) == 1 else _And(tuple(conds))

    # ------------------------------------------------------------------ comparisons
    def comparison(self, node: cst.Comparison, scope: _Scope) -> _Cond:
        """``a <op> b`` with a column on one side."""
        if len(node.comparisons) != 1:
            self.lossy(f"Chained comparisons are not SQL (Python evaluates `and`): `{chains.source(node)}`")
            return _Verbatim(chains.source(node))
        target = node.comparisons[0]
        op = type(target.operator).__name__
        left, right = node.left, target.comparator
        if op not in FLIPPED:
            self.lossy(
                f"Python `{chains.source(target.operator).strip()}` is not a SQL comparison: `{chains.source(node)}`"
            )
            return _Verbatim(chains.source(node))
        lhs = self.operand(left, scope)
        if lhs is None:
            rhs = self.operand(right, scope)
            if rhs is None:
                self.lossy(f"The criterion `{chains.source(node)}` names no column and was kept as written")
                return _Verbatim(chains.source(node))
            left, right, lhs, op = right, left, rhs, FLIPPED[op]
        return self.compare(lhs, op, left, right, scope)

    def compare(self, lhs: str, op: str, left: cst.BaseExpression, right: cst.BaseExpression, scope: _Scope) -> _Cond:
        """A comparison with a resolved column-like left side."""
        if lhs.startswith("lower:") or lhs.startswith("upper:"):
            lhs = self.case_insensitive(lhs, op, right, scope)
            if lhs.endswith("__iexact"):
                return _Lookup(lhs, self.value(right, scope))
        if _is_none(right):
            if op in ("Equal", "NotEqual"):
                return _Lookup(f"{lhs}__isnull", "True" if op == "Equal" else "False")
            self.lossy("An ordering comparison with None is always NULL in SQL")
            return _Verbatim(f"{chains.source(left)} {op} None")
        value = self.value(right, scope)
        if op == "Equal":
            return _Lookup(lhs, value)
        if op == "NotEqual":
            self.note_not_equal(lhs)
            return _Not(_Lookup(lhs, value))
        return _Lookup(f"{lhs}__{COMPARISON_SUFFIX[op]}", value)

    def operand(self, node: cst.BaseExpression, scope: _Scope) -> str | None:
        """A lookup key for a column-like comparison operand, None for plain values."""
        if self.column(node) is not None:
            return self.column_path(node, scope, filtering=True)
        return self.function_operand(node, scope)

    def function_operand(self, node: cst.BaseExpression, scope: _Scope) -> str | None:
        """``func.lower(M.c)`` → ``lower:c`` (decided at the comparison), ``func.date(M.c)`` → ``c__date``."""
        function = _sql_function(node)
        if isinstance(node, cst.Call) and _function(node) == "extract" and len(node.args) == 2:
            field_name = _string(node.args[0].value)
            path = self.column_path(node.args[1].value, scope, filtering=True)
            if field_name in EXTRACT_FIELDS and path is not None:
                return f"{path}__{field_name}"
            return None
        if function is None or not isinstance(node, cst.Call) or len(node.args) != 1:
            return None
        path = self.column_path(node.args[0].value, scope, filtering=True)
        if path is None:
            return None
        if function in ("lower", "upper"):
            return f"{function}:{path}"
        if function in TRANSFORMS:
            return f"{path}__{TRANSFORMS[function]}"
        if function in FUNCTIONS:
            return self.function_alias(function, path, scope)
        return None

    def function_alias(self, function: str, path: str, scope: _Scope) -> str:
        """Register ``.alias(<path>_<fn>=Fn("path"))`` and return the alias to filter on."""
        alias = f"{path.replace('__', '_')}_{function}"
        scope.query.aliases[alias] = f'{FUNCTIONS[function]}("{path}")'
        return alias

    def case_insensitive(self, operand: str, op: str, right: cst.BaseExpression, scope: _Scope) -> str:
        """``func.lower(M.c) == x``: ``c__iexact`` when x is lower-case already, else an alias."""
        function, path = operand.split(":", 1)
        literal = _string(right)
        folded = literal is not None and literal == (literal.lower() if function == "lower" else literal.upper())
        method = _last_name(right.func) if isinstance(right, cst.Call) and not right.args else None
        if op == "Equal" and (folded or method == function):
            self.note(
                f"iexact matches like {function}(column) = a value already in {function} case; equal for ASCII text"
            )
            return f"{path}__iexact"
        return self.function_alias(function, path, scope)

    # ------------------------------------------------------------------ LIKE patterns
    def pattern(self, path: str, method: str, arg: cst.BaseExpression, node: cst.Call, scope: _Scope) -> _Cond:
        """like/ilike/contains/startswith/endswith → contains/startswith/endswith/exact/regex lookups."""
        negated = method.startswith("not")
        base = method.replace("not_", "").replace("not", "")  # notilike / not_ilike → ilike
        insensitive = base.startswith("i")
        kind = base.removeprefix("i")  # like, contains, startswith, endswith
        if path.startswith(("lower:", "upper:")):
            function, column = path.split(":", 1)
            path = self.function_alias(function, column, scope)
        escape = _string(chains.keyword(node.args, "escape") or cst.SimpleString('""')) or None
        autoescape = chains.source(chains.keyword(node.args, "autoescape") or cst.Name("False")) == "True"
        literal = _string(arg)
        if kind == "like":
            cond = self.like(path, arg, literal, insensitive, escape)
        else:
            cond = self.operator_pattern(path, kind, arg, literal, insensitive, autoescape, scope)
        return _Not(cond) if negated else cond

    def operator_pattern(
        self,
        path: str,
        kind: str,
        arg: cst.BaseExpression,
        literal: str | None,
        insensitive: bool,
        autoescape: bool,
        scope: _Scope,
    ) -> _Cond:
        """``contains/startswith/endswith(x)`` (LIKE with x's own % and _ live unless autoescape)."""
        prefix = "i" if insensitive else ""
        if literal is not None and not autoescape and ("%" in literal or "_" in literal):
            pattern = {"contains": f"%{literal}%", "startswith": f"{literal}%", "endswith": f"%{literal}"}[kind]
            return self.like_literal(path, pattern, insensitive, None)
        if literal is None and not autoescape:
            self.note(f"Django escapes % and _ in the {kind} value; SQLAlchemy's {kind}() treated them as wildcards")
            if kind == "contains":
                self.note(f"If `{path}` is a relationship, contains(obj) becomes `{path}=obj`")
        return _Lookup(f"{path}__{prefix}{kind}", self.value(arg, scope))

    def like(
        self, path: str, arg: cst.BaseExpression, literal: str | None, insensitive: bool, escape: str | None
    ) -> _Cond:
        """``like``/``ilike`` with a literal, a formatted or an opaque pattern."""
        if literal is not None:
            return self.like_literal(path, literal, insensitive, escape)
        parts = _pattern_parts(arg)
        prefix = "i" if insensitive else ""
        if parts is not None:
            before, expression, after = parts
            kind = {("%", "%"): "contains", ("", "%"): "startswith", ("%", ""): "endswith"}.get((before, after))
            if kind is None:
                kind = "iexact" if insensitive else "exact"
                key = path if kind == "exact" else f"{path}__iexact"
            else:
                key = f"{path}__{prefix}{kind}"
            self.note(f"Django escapes % and _ inside `{expression}`; SQLAlchemy's LIKE treated them as wildcards")
            return _Lookup(key, expression)
        self.lossy(
            f"The LIKE pattern `{chains.source(arg)}` is not a literal: assumed `%value%` (__{prefix}contains); "
            "Django escapes % and _, so strip them from the value or use __regex"
        )
        return _Lookup(f"{path}__{prefix}contains", chains.source(arg))

    def like_literal(self, path: str, pattern: str, insensitive: bool, escape: str | None) -> _Cond:
        """A literal LIKE pattern → the narrowest equivalent lookup."""
        tokens = _like_tokens(pattern, escape)
        prefix = "i" if insensitive else ""
        if escape is None and "\\" in pattern:
            self.note("A backslash in a LIKE pattern is an escape on PostgreSQL and MySQL, literal on SQLite")
        wild = [i for i, t in enumerate(tokens) if t in ("%", "_")]
        text = "".join(t[1:] if t.startswith("=") else "" for t in tokens)
        if not wild:
            if not insensitive:
                self.note("On SQLite LIKE ignores ASCII case but = does not; use __iexact to keep that")
            return _Lookup(path if not insensitive else f"{path}__iexact", chains.python_string(text))
        percent_only = all(tokens[i] == "%" for i in wild)
        inner = [i for i in wild if 0 < i < len(tokens) - 1]
        if percent_only and not inner:
            starts, ends = tokens[0] == "%", tokens[-1] == "%"
            if not text:
                return _Lookup(f"{path}__isnull", "False")
            kind = "contains" if starts and ends else ("endswith" if starts else "startswith")
            return _Lookup(f"{path}__{prefix}{kind}", chains.python_string(text))
        regex = "^" + "".join(_regex_token(t) for t in tokens) + "$"
        self.note("The LIKE pattern became an anchored regular expression (% → .*, _ → .)")
        if not insensitive:
            self.note("On SQLite LIKE ignores ASCII case but __regex does not; use __iregex to keep that")
        return _Lookup(f"{path}__{prefix}regex", chains.python_string(regex))

    # ------------------------------------------------------------------ terminals
    def listing(self, query: _Query, shape: str) -> _Result:
        """``.all()`` → ``list(qs)``."""
        if query.count_star or (query.aggregates and not query.group_by and not query.entity):
            row = self.aggregate_row(query)
            return _Result(f"[{row}]", "aggregate")
        code = self.emit(query, self.entity_shape(query, shape))
        self.note("list() evaluates at once like .all(); drop it to keep a lazy QuerySet")
        return _Result(f"list({code})", self.kind(query))

    def entity_shape(self, query: _Query, shape: str) -> str:
        """Rows of a whole-entity query are the instances (with a note for 2.0 Row results)."""
        if query.entity and shape in ("rows", "mappings") and not query.legacy:
            self.lossy(
                "execute(select(Model)) returned Row 1-tuples; these are model instances, "
                "so drop the `row[0]`/`row.Model` access"
            )
        return shape

    def first(self, query: _Query, shape: str) -> _Result:
        """``first()`` (a row, an instance or an aggregate row)."""
        if query.count_star or (query.aggregates and not query.group_by and not query.entity):
            return _Result(self.aggregate_row(query), "aggregate")
        code = self.first_code(query, self.entity_shape(query, shape))
        if query.group_by and query.order is None:
            self.lossy("first() on an unordered aggregation raises TypeError in Django: add order_by()")
        return _Result(code, self.kind(query))

    def first_code(self, query: _Query, shape: str) -> str:
        """``qs.first()``; on a sliced query, the first row of the slice (Django cannot reorder a slice)."""
        if not query.sliced:
            if query.order is None:
                self.note("Django's first() orders by pk when the query has no order_by()")
            return self.emit(query, shape, bare=True) + ".first()"
        low = query.offset
        query.limit = query.stop = None
        if low is None or low == "0":
            query.offset = None
            return self.first_code(query, shape)
        query.stop = str(int(low) + 1) if low.isdigit() else f"{low} + 1"
        return f"next(iter({self.emit(query, shape)}), None)"

    def one(self, query: _Query, shape: str) -> _Result:
        """``one()`` → ``get()``."""
        if query.count_star or (query.aggregates and not query.group_by and not query.entity):
            return _Result(self.aggregate_row(query), "aggregate")
        code = self.emit(query, self.entity_shape(query, shape), bare=True)
        self.note(
            "get() raises Model.DoesNotExist / Model.MultipleObjectsReturned "
            "instead of NoResultFound / MultipleResultsFound"
        )
        return _Result(f"{code}.get()", self.kind(query))

    def one_or_none(self, query: _Query, shape: str) -> _Result:
        """``one_or_none()`` → ``first()``."""
        code = self.first_code(query, self.entity_shape(query, shape))
        self.note("first() returns None when nothing matches but never raises MultipleResultsFound")
        return _Result(code, self.kind(query))

    def scalar(self, query: _Query, how: str) -> _Result:
        """scalar()/scalar_one()/scalar_one_or_none() and session.scalar(): first column of the row."""
        if query.count_star:
            return _Result(self.emit(query, "count", bare=True) + ".count()", "aggregate")
        if query.aggregates and not query.group_by and not query.entity:
            first = query.aggregates[0]
            if query.columns or len(query.aggregates) > 1:
                self.note("scalar() keeps the first column only")
            return _Result(self.aggregate_call(query, [first]) + f"[{chains.python_string(first.name)}]", "aggregate")
        shape = "objects" if query.entity else "flat"
        if how in ("scalar_one",):
            self.note("get() raises DoesNotExist / MultipleObjectsReturned where scalar_one() raised NoResultFound")
            return _Result(f"{self.emit(query, shape, bare=True)}.get()", self.kind(query))
        if how == "scalar_legacy":
            self.note("first() returns None without rows but never raises MultipleResultsFound as Query.scalar() did")
        elif how == "scalar_one_or_none":
            self.note("first() returns None when nothing matches but never raises MultipleResultsFound")
        return _Result(self.first_code(query, shape), self.kind(query))

    def aggregate_row(self, query: _Query) -> str:
        """One aggregate row as a tuple (``first()``/``one()`` on an aggregate query)."""
        if query.count_star:
            return f"({self.emit(query, 'count', bare=True)}.count(),)"
        self.note("aggregate() returns a dict; tuple(...values()) keeps the row's column order")
        return f"tuple({self.aggregate_call(query, query.aggregates)}.values())"

    def aggregate_call(self, query: _Query, items: Sequence[_Item]) -> str:
        """``qs.aggregate(alias=Expr, ...)``."""
        base = self.emit(query, "aggregate", bare=True)
        return f"{base}.aggregate({_kwargs([(i.name, i.expr) for i in items])})"

    def get_or_404(self, query: _Query, ident: str) -> _Result:
        """``get_or_404(pk)`` → ``get_object_or_404(Model or qs, pk=pk)``."""
        base = self.emit(query, "objects", bare=True)
        klass = query.model if base == f"{query.model}.objects" else base
        self.note("Http404 replaces Flask's abort(404); Django renders its own 404 page")
        return _Result(f"get_object_or_404({klass}, pk={ident})", "read")

    def first_or_404(self, query: _Query, shape: str) -> _Result:
        """``first_or_404()`` → ``get_object_or_404(qs[:1])``: the first row, or 404."""
        lookups = self.pk_lookups(query)
        if lookups is not None:
            return _Result(f"get_object_or_404({query.model}, {lookups})", "read")
        if query.sliced:
            self.lossy("first_or_404() after limit()/offset(): check the slice")
        code = self.emit(query, shape)
        self.note(
            "get_object_or_404(qs[:1]) takes the first row like first_or_404(); "
            "without [:1] several matches would raise MultipleObjectsReturned"
        )
        return _Result(f"get_object_or_404({code}[:1])", "read")

    def pk_lookups(self, query: _Query) -> str | None:
        """``pk=...`` when the query is nothing but a primary-key filter."""
        conds = _flatten_and(query.conditions)
        plain = not (query.order is not None or query.joins or query.sliced or query.select_related)
        plain = plain and not (query.prefetch_related or query.only or query.defer or query.items or query.aliases)
        if plain and len(conds) == 1 and isinstance(conds[0], _Lookup) and conds[0].key in ("id", "pk"):
            return f"{conds[0].key}={conds[0].value}"
        return None

    def one_or_404(self, query: _Query, shape: str) -> _Result:
        """``one_or_404()`` → ``get_object_or_404(Model, **lookups)`` or ``(qs)``."""
        conds = _flatten_and(query.conditions)
        self.note("get_object_or_404() raises MultipleObjectsReturned (a 500) where one_or_404() answered 404")
        plain = all(isinstance(c, _Lookup) for c in conds) and query.entity
        plain = plain and not (query.order is not None or query.joins or query.sliced or query.select_related)
        plain = plain and not (query.prefetch_related or query.aliases or query.only or query.defer)
        if plain:
            pairs = [(c.key, c.value) for c in conds if isinstance(c, _Lookup)]
            if len({k for k, _ in pairs}) == len(pairs):
                arguments = _kwargs(pairs)
                return _Result(f"get_object_or_404({query.model}{', ' + arguments if arguments else ''})", "read")
        return _Result(f"get_object_or_404({self.emit(query, shape)})", "read")

    def paginate(self, query: _Query, args: Sequence[cst.Arg], *, positional_page: bool) -> _Result:
        """``paginate(page=, per_page=, error_out=)`` → ``Paginator(qs, per_page).page(page)``."""
        values = chains.positional(args)[1:] if not positional_page else chains.positional(args)
        page = chains.keyword(args, "page") or (values[0] if values else None)
        per_page = chains.keyword(args, "per_page") or (values[1] if len(values) > 1 else None)
        error_out = chains.keyword(args, "error_out") or (values[2] if len(values) > 2 else None)
        strict = error_out is None or chains.source(error_out) != "False"
        if query.joins and query.entity:
            query.dedupe = True  # both Flask-SQLAlchemy paginators de-duplicate entity rows
        code = self.emit(query, "objects" if query.entity else "flat")
        if query.order is None:
            self.note("Paginator warns on an unordered QuerySet (UnorderedObjectListWarning): add order_by()")
        if page is None:
            self.note("Flask-SQLAlchemy read ?page= itself; request.GET.get() does it here")
        page_code = chains.source(page) if page is not None else 'request.GET.get("page", 1)'
        per_page_code = chains.source(per_page) if per_page is not None else "20"
        if per_page is None:
            self.note("Flask-SQLAlchemy also read ?per_page= (default 20, capped by max_per_page)")
        if chains.keyword(args, "max_per_page") is not None:
            self.note("max_per_page has no Paginator equivalent: clamp per_page yourself")
        if chains.keyword(args, "count") is not None:
            self.note("Paginator always counts; pass a cheaper object_list or a custom Paginator to avoid it")
        self.note(
            "Pagination attributes change: items → object_list, total → paginator.count, "
            "pages → paginator.num_pages, has_next → has_next(), next_num → next_page_number()"
        )
        if strict:
            self.note(
                "page() raises EmptyPage/PageNotAnInteger where error_out=True answered 404: "
                "catch InvalidPage and raise Http404"
            )
            return _Result(f"Paginator({code}, {per_page_code}).page({page_code})", "read")
        self.note(
            "get_page() clamps an out-of-range page to the last one; Flask-SQLAlchemy (error_out=False) "
            "returned an empty page"
        )
        return _Result(f"Paginator({code}, {per_page_code}).get_page({page_code})", "read")

    def trailing(self, result: _Result, after: Sequence[chains.Link], *, pagination: bool = False) -> _Result:
        """Attribute access, calls and subscripts on the result (``.first().name``, ``.paginate().items``)."""
        code = result.code
        for link in after:
            if pagination and link.name in PAGINATION_ATTRIBUTES and not link.is_call:
                if link.name in ("next_num", "prev_num"):
                    self.note("next_page_number()/previous_page_number() raise EmptyPage where next_num was None")
                code += "." + PAGINATION_ATTRIBUTES[link.name]
                continue
            code += _call_text(link)
        if not _is_expression(code) and after:
            raise chains.Unsupported
        return _Result(code, result.kind)

    def kind(self, query: _Query) -> str:
        """``aggregate`` for counts and aggregates, else ``read``."""
        return "aggregate" if query.count_star or query.aggregates or query.group_by else "read"

    # ------------------------------------------------------------------ emitting the QuerySet
    def emit(self, query: _Query, shape: str, *, bare: bool = False) -> str:
        """The QuerySet code for ``query``.

        ``shape``: ``objects`` (instances), ``rows`` (named tuples), ``flat`` (first column),
        ``values`` (a one-column subquery), ``mappings`` (dicts), ``count``/``aggregate`` (no selection).
        ``bare`` leaves ``Model.objects`` without ``.all()`` when nothing is chained.
        """
        calls: list[str] = []
        if query.aliases:
            calls.append(".alias(" + _kwargs(list(query.aliases.items())) + ")")
        conditions = list(query.conditions)
        reached = [j.path for j in query.joins if j.filtered]
        for join in query.joins:
            if any(path.startswith(join.path + "__") for path in reached):
                continue  # a filter through a longer path needs this join anyway
            if not join.outer and not join.filtered:
                conditions.append(_Lookup(f"{join.path}__isnull", "False"))
                self.note(f"The inner join became `{join.path}__isnull=False` (rows without a related row are skipped)")
        calls.extend(_filter_calls(conditions))
        self.note_outer_joins(query)
        if query.select_related:
            calls.append(".select_related(" + ", ".join(chains.python_string(p) for p in query.select_related) + ")")
        if query.prefetch_related:
            calls.append(
                ".prefetch_related(" + ", ".join(chains.python_string(p) for p in query.prefetch_related) + ")"
            )
        if query.only:
            calls.append(".only(" + ", ".join(chains.python_string(p) for p in query.only) + ")")
        if query.defer:
            calls.append(".defer(" + ", ".join(chains.python_string(p) for p in query.defer) + ")")
        grouping, projection = self.selection(query, shape)
        calls.extend(grouping)
        if query.order is not None and shape not in ("count", "aggregate"):
            calls.append(".order_by(" + ", ".join(query.order) + ")")
        calls.extend(projection)
        calls.extend(self.distinct_calls(query, shape))
        if query.for_update is not None:
            calls.append(f".select_for_update({query.for_update})")
        calls.extend(query.tail)
        if query.sliced and shape != "aggregate":
            calls.append(self.slice(query))
        if query.base is not None:
            return query.base + "".join(calls)
        code = f"{query.model}.objects" + "".join(calls)
        if (not calls and not bare) or (calls and calls[0].startswith("[")):
            code = f"{query.model}.objects.all()" + "".join(calls)
        return code

    def note_outer_joins(self, query: _Query) -> None:
        """Outer joins are implicit in Django."""
        if any(j.outer for j in query.joins):
            self.note("The outer join was dropped: Django adds LEFT OUTER JOINs itself where a lookup needs one")

    def distinct_calls(self, query: _Query, shape: str) -> list[str]:
        """``.distinct(...)`` for DISTINCT, DISTINCT ON and de-duplicated joins."""
        fields = query.distinct
        single = query.legacy and query.entity and not query.items and len(query.entity_nodes) <= 1
        dedupe = query.dedupe or (single and bool(query.joins) and shape != "count")
        if fields:
            return [".distinct(" + ", ".join(chains.python_string(f) for f in fields) + ")"]
        if fields is not None:
            return [".distinct()"]
        if dedupe and shape != "aggregate":
            if single and query.joins and not query.dedupe:
                self.note("SQLAlchemy's legacy Query de-duplicated the joined entity rows; .distinct() does the same")
            return [".distinct()"]
        return []

    def selection(self, query: _Query, shape: str) -> tuple[list[str], list[str]]:
        """values()/annotate() calls (before order_by()) and the values_list() projection (after it)."""
        calls: list[str] = []
        aggregates = query.aggregates
        columns = query.columns
        if query.entity and (aggregates or query.group_by) and shape not in ("count", "aggregate"):
            if aggregates:
                calls.append(".annotate(" + _kwargs([(a.name, a.expr) for a in aggregates]) + ")")
                calls.extend(_filter_calls(query.having))
            self.lossy(
                "(Model, aggregate) rows became model instances carrying the aggregate as an attribute "
                f"({', '.join(a.name for a in aggregates)}); GROUP BY follows from annotate()"
            )
            return calls, []
        if query.group_by and shape not in ("count", "aggregate"):
            if aggregates:
                calls.append(".values(" + ", ".join(chains.python_string(p) for p in query.group_by) + ")")
                calls.append(".annotate(" + _kwargs([(a.name, a.expr) for a in aggregates]) + ")")
            calls.extend(_filter_calls(query.having))
            names = [i.name for i in query.items]
            if not aggregates:
                self.note("GROUP BY without an aggregate became distinct values")
                if query.distinct is None:
                    query.distinct = []
            projection: list[str] = []
            if shape == "flat":
                projection.append(f".values_list({chains.python_string(names[0])}, flat=True)")
            elif shape != "values":
                projection.append(".values_list(" + ", ".join(chains.python_string(n) for n in names) + ", named=True)")
            return calls, projection
        if query.entity or shape in ("objects", "count", "aggregate") or not columns:
            return calls, []
        names = [chains.python_string(c.name) for c in columns]
        if shape == "flat":
            if len(columns) > 1:
                self.note("scalars() keeps the first column only")
            return calls, [f".values_list({names[0]}, flat=True)"]
        if shape == "values":
            return calls, [f".values({names[0]})"]
        if shape == "mappings":
            return calls, [".values(" + ", ".join(names) + ")"]
        self.note("values_list(named=True) rows are named tuples, like SQLAlchemy's Row")
        return calls, [".values_list(" + ", ".join(names) + ", named=True)"]

    def slice(self, query: _Query) -> str:
        """limit/offset → ``[m:m + n]`` (computed when both are integer literals)."""
        self.note("LIMIT/OFFSET became slicing, which must stay last (no filter() after it); no negative indexes")
        low, count = query.offset, query.limit
        if query.stop is not None or (low is None and count is None):
            return f"[{low or ''}:{query.stop or ''}]"
        if low is None:
            return f"[:{count}]"
        if count is None:
            return f"[{low}:]"
        if low.isdigit() and count.isdigit():
            return f"[{low}:{int(low) + int(count)}]"
        low_code = low if _atomic(low) else f"({low})"
        count_code = count if _atomic(count) else f"({count})"
        return f"[{low}:{low_code} + {count_code}]"


_LEGACY_TERMINALS = {
    "all",
    "first",
    "one",
    "one_or_none",
    "scalar",
    "count",
    "exists",
    "get",
    "get_or_404",
    "first_or_404",
    "one_or_404",
    "paginate",
    "delete",
    "update",
    "subquery",
    "scalar_subquery",
    "cte",
    "statement",
    "yield_per",
    "from_statement",
}
# Chain methods that only refine a statement (so a variable followed by them is still a statement).
_BUILDERS = {"where", "filter", "filter_by", "order_by", "limit", "offset", "slice", "join", "outerjoin", "options"}
_BUILDERS |= {"distinct", "group_by", "having", "with_for_update", "execution_options", "select_from", "[]"}
_PATTERN_METHODS = {
    "like",
    "ilike",
    "not_like",
    "notlike",
    "not_ilike",
    "notilike",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
}


# ------------------------------------------------------------------------- small helpers


class _ColumnsToF(cst.CSTTransformer):
    """Rewrites ``Model.col`` inside a value expression to ``F("col")``."""

    def __init__(self, translator: _Translator, scope: _Scope) -> None:
        super().__init__()
        self.translator = translator
        self.scope = scope

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        if self.translator.column(original_node) is None:
            return updated_node
        path = self.translator.column_path(original_node, self.scope)
        if path is None:
            return updated_node
        return cst.parse_expression(f'F("{path}")')


class _ModelFinder(cst.CSTVisitor):
    """Finds the first model referenced in an expression."""

    def __init__(self, translator: _Translator) -> None:
        super().__init__()
        self.translator = translator
        self.found: str | None = None

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if self.found is None:
            self.found = self.translator.model(node)
        return self.found is None

    def visit_Name(self, node: cst.Name) -> bool:
        if self.found is None:
            self.found = self.translator.models.get(node.value)
        return False


class _UsedNames(cst.CSTVisitor):
    """Names the code uses as values (not attribute names or keywords), for its imports."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> bool:
        self.names.add(node.value)
        return False


def _imports_for(code: str) -> list[str]:
    """``from django.db.models import Count, Q`` lines for the names the code uses."""
    visitor = _UsedNames()
    cst.parse_module(code).visit(visitor)
    by_module: dict[str, list[str]] = {}
    for name in sorted(visitor.names & IMPORTS.keys()):
        by_module.setdefault(IMPORTS[name], []).append(name)
    return [f"from {module} import {', '.join(names)}" for module, names in sorted(by_module.items())]


def _call_text(link: chains.Link) -> str:
    """``.name(args)``, ``.name`` or ``[index]`` for one link, as written."""
    if link.subscript is not None:
        return chains.source(cst.Subscript(value=cst.Name("x"), slice=link.subscript))[1:]
    if link.args is not None:
        return f".{link.name}(" + ", ".join(chains.argument_source(a) for a in link.args) + ")"
    return f".{link.name}"


def _parses(code: str) -> bool:
    """libcst parses it, and Python compiles it (which also rejects repeated keyword arguments)."""
    try:
        cst.parse_module(code)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "'str' object is not callable" in code kept as written
            compile(code, "<fwlint translation>", "exec", dont_inherit=True)
    except (cst.ParserSyntaxError, SyntaxError, ValueError):
        return False
    return True


def _add_aggregate(query: _Query, item: _Item) -> None:
    """Select an aggregate under an alias no other selected aggregate uses."""
    names = {i.name for i in query.items}
    name, number = item.name, 2
    while name in names:
        name, number = f"{item.name}_{number}", number + 1
    item.name = name
    query.items.append(item)


def _is_expression(code: str) -> bool:
    """Whether ``code`` is one expression (not a statement)."""
    try:
        cst.parse_expression(code)
    except cst.ParserSyntaxError:
        return False
    return True


def _safe_flatten(node: cst.BaseExpression) -> bool:
    """Whether ``chains.flatten`` understands the node."""
    try:
        chains.flatten(node)
    except chains.Unsupported:
        return False
    return True


def _strip_last_call(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """``a.b().c()`` → ``a.b()``."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        return node.func.value
    return None


def _unwrap_ordering(node: cst.BaseExpression) -> tuple[bool, str | None, cst.BaseExpression]:
    """(descending, "last"/"first"/None, the ordered expression) for desc()/asc()/nulls_last() wrappers."""
    descending = False
    nulls: str | None = None
    while isinstance(node, cst.Call):
        if isinstance(node.func, cst.Attribute) and not node.args:
            name, inner = node.func.attr.value, node.func.value
        elif chains.dotted(node.func) is not None and len(node.args) == 1:
            name, inner = _last_name(node.func) or "", node.args[0].value
        else:
            break
        if name in ("desc", "asc"):
            descending = descending or name == "desc"
        elif name in ("nulls_last", "nullslast"):
            nulls = "last"
        elif name in ("nulls_first", "nullsfirst"):
            nulls = "first"
        else:
            break
        node = inner
    return descending, nulls, node


def _like_tokens(pattern: str, escape: str | None) -> list[str]:
    """A LIKE pattern as tokens: ``%``, ``_`` and ``=<literal char>``."""
    tokens: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if escape and char == escape and index + 1 < len(pattern):
            tokens.append("=" + pattern[index + 1])
            index += 2
            continue
        if not (char == "%" and tokens and tokens[-1] == "%"):  # %% matches what % matches
            tokens.append(char if char in ("%", "_") else "=" + char)
        index += 1
    return tokens


def _regex_token(token: str) -> str:
    """One LIKE token as a regular expression fragment."""
    if token == "%":
        return ".*"
    if token == "_":
        return "."
    char = token[1:]
    return "\\" + char if char in REGEX_SPECIALS else char


def _pattern_parts(node: cst.BaseExpression) -> tuple[str, str, str] | None:
    """``f"%{q}%"`` / ``"%" + q + "%"`` → ("%", "q", "%"); None for other shapes."""
    pieces: list[str | cst.BaseExpression] = []
    if isinstance(node, cst.FormattedString):
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                pieces.append(part.value)
            elif isinstance(part, cst.FormattedStringExpression) and part.conversion is None and not part.format_spec:
                pieces.append(part.expression)
            else:
                return None
    elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        for operand in _concat_operands(node):
            literal = _string(operand)
            pieces.append(literal if literal is not None else operand)
    else:
        return None
    expressions = [p for p in pieces if not isinstance(p, str)]
    if len(expressions) != 1:
        return None
    index = pieces.index(expressions[0])
    before = "".join(p for p in pieces[:index] if isinstance(p, str))
    after = "".join(p for p in pieces[index + 1 :] if isinstance(p, str))
    if before not in ("", "%") or after not in ("", "%"):
        return None
    expression = expressions[0]
    assert not isinstance(expression, str)
    return before, chains.source(expression), after


def _concat_operands(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The operands of ``a + b + c``."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        return _concat_operands(node.left) + _concat_operands(node.right)
    return [node]
