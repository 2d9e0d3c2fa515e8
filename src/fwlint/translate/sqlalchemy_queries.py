"""Django QuerySet code → SQLAlchemy 2.0 code for a Flask-SQLAlchemy 3.1 app.

fwlint never runs the project. For a query site it has the source text of one
call chain (``Book.objects.filter(author__name__icontains=q).order_by("-published")[:10]``),
the names in that text that denote model classes, and a :class:`QuerySchema` built
from the project's models (relations, concrete fields, ``Meta.ordering``, custom
managers). :func:`translate_queryset` parses the text with libcst, folds the chain
into one description of the query and writes that description as SQLAlchemy code.

The schema's optional parts sharpen the output: ``nullable`` (fields declared ``null=True``)
lets negations keep NULL rows exactly where Django does (without it they are noted),
``primary_keys`` names keys other than ``id``, ``RelationInfo.attribute`` names a SQLAlchemy
relationship that differs from the Django lookup name (``book_set`` for ``book``).

Session convention: the Flask app has ``db = SQLAlchemy(model_class=Base)``
(Flask-SQLAlchemy 3.1) and SQLAlchemy models with the Django models' class, field and
relation names. Reads are ``db.session.scalars(select(...)).all()`` and
``db.session.execute(...)``, ``get_object_or_404()`` becomes ``db.get_or_404(Book, pk)`` /
``db.one_or_404(select(...))``, writes ``db.session.add(...)`` or
``db.session.execute(update(...))`` followed by ``db.session.commit()``.

Decisions worth knowing (each is repeated in the notes of the sites it affects):

* A chain that ends without an evaluating method becomes the list it evaluates to
  (``db.session.scalars(stmt).all()``): the QuerySet ran lazily, the list is fetched here.
* Lookups across relations become ``has()`` (forward foreign key or one-to-one, reverse
  one-to-one) and ``any()`` (reverse foreign key, many-to-many): EXISTS subqueries.
  Lookups of one ``filter()`` call on one relation share one ``has()``/``any()``, as
  they share one join in Django; separate ``filter()`` calls get separate ones, as Django
  gives them separate joins. Django's join repeats a row once per matching related row,
  ``any()`` returns it once (what ``.distinct()`` gives in Django).
* ``exclude()`` and ``~Q`` follow Django: lookups on a multi-valued relation are negated
  one by one, and rows where a nullable column IS NULL are kept
  (``or_(Book.rating != 5, Book.rating.is_(None))``).
* ``Meta.ordering`` is written out wherever Django applies it (lists, slices,
  ``first()``/``last()``, ``values()``), never for counts, aggregates, writes or GROUP BY queries.
* ``get()``, ``earliest()`` and ``latest()`` end in ``.scalar_one()``: ``NoResultFound`` and
  ``MultipleResultsFound`` replace ``DoesNotExist`` and ``MultipleObjectsReturned``.
* ``annotate()`` with aggregates becomes Django's SQL: an outer join and ``GROUP BY`` the
  primary key, with rows ``(Book, n)``. ``values()`` becomes ``.mappings()`` rows,
  ``values_list()`` tuples, ``flat=True`` scalars.
* Django writes at once (autocommit): write translations end with ``db.session.commit()``;
  inside ``with db.session.begin():`` leave it out.
* ``get_or_create()``/``update_or_create()`` have no SQLAlchemy builtin: they become the
  lines they stand for.
* Raw SQL keeps its text, with ``%s``/``%(name)s`` placeholders rewritten to bound
  ``:p0``/``:name`` parameters of ``text()``.
* Custom manager and QuerySet methods are project code: ``Book.objects.cheap()`` becomes
  ``cheap(select(Book))``, a function to port that takes and returns a ``select()``.

Anything that cannot be translated faithfully is flagged by ``exact=False`` and a note.

References:
https://docs.djangoproject.com/en/5.2/ref/models/querysets/
https://docs.sqlalchemy.org/en/20/orm/queryguide/index.html
https://flask-sqlalchemy.readthedocs.io/en/stable/queries/
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst

from fwlint.translate import call_chains as chains

# ---------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class RelationInfo:
    """One relation of a model, usable in lookups, joins and loader options."""

    target: str  # target model class name
    kind: str  # "fk" | "o2o" | "m2m" | "reverse_fk" | "reverse_o2o" | "reverse_m2m"
    column: str | None = None  # FK column attribute on the SQLAlchemy side for fk/o2o ("author_id")
    attribute: str | None = None  # SQLAlchemy relationship attribute, when it is not the lookup name

    @property
    def many(self) -> bool:
        """Whether the relation reaches several rows (a Django join can repeat the row)."""
        return self.kind in MULTI_VALUED


@dataclass(frozen=True)
class QuerySchema:
    """What the translation needs to know about the project's models."""

    relations: Mapping[str, Mapping[str, RelationInfo]]  # model -> lookup name -> relation
    fields: Mapping[str, frozenset[str]]  # model -> concrete field attribute names
    default_ordering: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # Meta.ordering per model
    managers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # model -> manager attribute -> class
    nullable: Mapping[str, frozenset[str]] = field(default_factory=dict)  # model -> fields declared null=True
    primary_keys: Mapping[str, str] = field(default_factory=dict)  # model -> primary key attribute ("id")


@dataclass(frozen=True)
class TranslatedQuerySet:
    """SQLAlchemy code for one QuerySet site and what the porter must check."""

    code: str  # SQLAlchemy 2.0 code: an expression, or statements for writes and raw SQL blocks
    notes: list[str]  # semantic differences the porter must handle
    exact: bool  # False when a part could only be approximated
    kind: str  # "select" | "get" | "aggregate" | "write" | "raw" | "transaction"
    imports: list[str] = field(default_factory=list)  # import lines the code needs (models excluded)


def translate_queryset(code: str, models: Mapping[str, str], schema: QuerySchema) -> TranslatedQuerySet | None:
    """Translate one Django QuerySet chain; None when ``code`` is not a chain understood here.

    ``models`` maps names as written in ``code`` (``"Book"``, ``"models.Book"``) to model
    class names; ``schema`` describes those models. ``code`` may also be an assignment
    (``obj, created = Book.objects.get_or_create(...)``), a ``transaction.atomic`` use, or
    a ``with connection.cursor() as cursor:`` block.
    """
    try:
        source = _parse(code)
    except chains.Unsupported:
        return None
    translator = _Translator(models, schema, source.target)
    try:
        result = translator.translate(source)
    except (chains.Unsupported, RecursionError):  # RecursionError: absurdly deep nesting, not a query to port
        return None
    return translator.finish(result)


# ------------------------------------------------------------------------ vocabulary

SESSION = "db.session"
MULTI_VALUED = frozenset({"m2m", "reverse_fk", "reverse_m2m"})
FORWARD = frozenset({"fk", "o2o"})
LOOKUPS = frozenset(
    {"exact", "iexact", "contains", "icontains", "in", "gt", "gte", "lt", "lte", "startswith", "istartswith"}
    | {"endswith", "iendswith", "range", "isnull", "regex", "iregex"}
)
# Django transforms → the SQL field ``extract()`` reads ("date" is ``func.date()``).
EXTRACT_FIELDS = {"year": "year", "month": "month", "day": "day", "week_day": "dow", "hour": "hour"}
EXTRACT_FIELDS |= {"minute": "minute", "second": "second"}
TRANSFORMS = frozenset(EXTRACT_FIELDS) | {"date"}
COMPARISONS = {"exact": "==", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
NEGATED_COMPARISONS = {"==": "!=", ">": "<=", ">=": "<", "<": ">=", "<=": ">"}
LIKE_METHODS = {
    "contains": "contains",
    "icontains": "icontains",
    "startswith": "startswith",
    "istartswith": "istartswith",
    "endswith": "endswith",
    "iendswith": "iendswith",
}
AGGREGATES = {"Count": "count", "Sum": "sum", "Avg": "avg", "Min": "min", "Max": "max"}
# Django database functions with a same-named SQL function.
FUNCTIONS = {"Lower": "lower", "Upper": "upper", "Length": "length", "Trim": "trim", "LTrim": "ltrim"}
FUNCTIONS |= {"RTrim": "rtrim", "Abs": "abs", "Round": "round", "Now": "now", "Greatest": "max", "Least": "min"}
# Django model field classes (output_field=) → SQLAlchemy types.
FIELD_TYPES = {
    "IntegerField": "Integer",
    "BigIntegerField": "BigInteger",
    "SmallIntegerField": "SmallInteger",
    "PositiveIntegerField": "Integer",
    "PositiveSmallIntegerField": "SmallInteger",
    "PositiveBigIntegerField": "BigInteger",
    "FloatField": "Float",
    "DecimalField": "Numeric",
    "CharField": "String",
    "TextField": "Text",
    "BooleanField": "Boolean",
    "DateField": "Date",
    "DateTimeField": "DateTime",
    "TimeField": "Time",
    "DurationField": "Interval",
    "UUIDField": "Uuid",
    "JSONField": "JSON",
}
MANAGER_ATTRIBUTES = frozenset({"objects", "_default_manager", "_base_manager"})
BUILDERS = frozenset(
    {"all", "filter", "exclude", "annotate", "alias", "order_by", "reverse", "distinct", "values", "values_list"}
    | {"select_related", "prefetch_related", "only", "defer", "none", "select_for_update", "using"}
    | {"union", "intersection", "difference"}
)
TERMINALS = frozenset(
    {"get", "first", "last", "earliest", "latest", "count", "exists", "aggregate", "create", "get_or_create"}
    | {"update_or_create", "update", "delete", "bulk_create", "bulk_update", "in_bulk", "iterator", "dates", "raw"}
)
# Every public QuerySet/Manager method: a name outside this set on a custom manager is project code.
DJANGO_QUERYSET_API = BUILDERS | TERMINALS | {"complex_filter", "contains", "datetimes", "explain", "extra"}
DJANGO_QUERYSET_API |= {"get_queryset", "db_manager", "ordered", "db", "query", "check", "deconstruct"}
COMBINATORS = {"union": "union", "intersection": "intersect", "difference": "except_"}
# Names the generated code may use → the module they are imported from.
IMPORTS = {
    "select": "sqlalchemy",
    "update": "sqlalchemy",
    "delete": "sqlalchemy",
    "insert": "sqlalchemy",
    "func": "sqlalchemy",
    "and_": "sqlalchemy",
    "or_": "sqlalchemy",
    "not_": "sqlalchemy",
    "case": "sqlalchemy",
    "cast": "sqlalchemy",
    "type_coerce": "sqlalchemy",
    "literal": "sqlalchemy",
    "extract": "sqlalchemy",
    "text": "sqlalchemy",
    "false": "sqlalchemy",
    "true": "sqlalchemy",
    "desc": "sqlalchemy",
    "union": "sqlalchemy",
    "union_all": "sqlalchemy",
    "intersect": "sqlalchemy",
    "intersect_all": "sqlalchemy",
    "except_": "sqlalchemy",
    "except_all": "sqlalchemy",
    "aliased": "sqlalchemy.orm",
    "joinedload": "sqlalchemy.orm",
    "selectinload": "sqlalchemy.orm",
    "load_only": "sqlalchemy.orm",
    "defer": "sqlalchemy.orm",
    "abort": "flask",
    "timedelta": "datetime",
} | dict.fromkeys(FIELD_TYPES.values(), "sqlalchemy")
# A word of SQLAlchemy's text() that it would read as a bind parameter (sqlalchemy/sql/elements.py).
BIND_PARAM = re.compile(r"(?<![:\w\\]):(\w+)(?![:\w])")
DJANGO_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|%%")
SQL_WRITE = re.compile(r"^\s*(insert|update|delete|replace|create|drop|alter|truncate)\b", re.IGNORECASE)
# ------------------------------------------------------------------------- syntax helpers


def _call_name(node: cst.BaseExpression) -> str | None:
    """The last name of a call on a dotted name (``models.Count(...)`` → ``Count``)."""
    if not isinstance(node, cst.Call):
        return None
    name = chains.dotted(node.func)
    return None if name is None else name.rsplit(".", 1)[-1]


def _string(node: cst.BaseExpression | None) -> str | None:
    """The value of a plain string literal, else None."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _int(node: cst.BaseExpression | None) -> int | None:
    """The value of an integer literal (``3``, ``-3``), else None."""
    if isinstance(node, cst.Integer):
        return int(node.evaluated_value)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = _int(node.expression)
        return None if inner is None else -inner
    return None


def _bool(node: cst.BaseExpression | None) -> bool | None:
    """True/False for the names ``True``/``False``, else None."""
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value == "True"
    return None


def _is_none(node: cst.BaseExpression | None) -> bool:
    """Whether the node is the name ``None``."""
    return isinstance(node, cst.Name) and node.value == "None"


def _keywords(args: Sequence[cst.Arg], skip: Sequence[str] = ()) -> list[tuple[str, cst.BaseExpression]]:
    """Keyword arguments in order, without those named in ``skip``."""
    return [(a.keyword.value, a.value) for a in args if a.keyword is not None and a.keyword.value not in skip]


def _atomic(code: str) -> bool:
    """Whether ``code`` needs no parentheses as an operand (a name, attribute, call, literal)."""
    try:
        node = cst.parse_expression(code)
    except cst.ParserSyntaxError:
        return False
    simple = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float, cst.SimpleString)
    return isinstance(node, simple) or bool(node.lpar)


def _paren(code: str) -> str:
    """``code`` parenthesized unless it is atomic."""
    return code if _atomic(code) else f"({code})"


def _parses(code: str) -> bool:
    """Whether ``code`` is valid Python (statements or an expression)."""
    try:
        cst.parse_module(code)
    except cst.ParserSyntaxError:
        return False
    return True


def _looks_like_key(node: cst.BaseExpression) -> bool:
    """Whether a value compared with a relation looks like a primary key rather than an instance."""
    if isinstance(node, (cst.Integer, cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return True
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return all(_looks_like_key(element.value) for element in node.elements)
    if isinstance(node, cst.Call):
        return _call_name(node) in ("int", "str", "UUID")
    if isinstance(node, cst.Subscript):
        key = node.slice[0].slice if len(node.slice) == 1 else None
        text = _string(key.value) if isinstance(key, cst.Index) else None
        return text is not None and re.search(r"(^|_)(pk|id)$", text) is not None
    name = chains.dotted(node)
    if name is None:
        return False
    last = name.rsplit(".", 1)[-1]
    return re.search(r"(^|_)(pk|id|ids|pks)$", last) is not None


class _NameCollector(cst.CSTVisitor):
    """The names a piece of code reads (attribute names and keywords excluded)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False


def _imports_for(code: str) -> list[str]:
    """Import lines for the SQLAlchemy, Flask and datetime names ``code`` uses."""
    collector = _NameCollector()
    cst.parse_module(code).visit(collector)
    by_module: dict[str, list[str]] = {}
    for name in sorted(collector.names & IMPORTS.keys()):
        by_module.setdefault(IMPORTS[name], []).append(name)
    return [f"from {module} import {', '.join(names)}" for module, names in sorted(by_module.items())]


# ------------------------------------------------------------------------------- the chain


@dataclass
class _Source:
    """What was handed in: a chain (possibly assigned), a decorator, or a cursor block."""

    node: cst.BaseExpression | None
    target: str | None = None  # the assignment target's source
    block: cst.With | None = None
    decorator: bool = False


def _parse(code: str) -> _Source:
    """The chain to translate, with its assignment target; or a ``with`` block."""
    text = code.strip()
    decorator = text.startswith("@")
    text = text.lstrip("@").strip()
    if not text:
        raise chains.Unsupported
    for candidate in (text, f"({text})"):  # a chain split over lines is valid inside parentheses
        try:
            return _Source(cst.parse_expression(candidate), decorator=decorator)
        except cst.ParserSyntaxError:
            pass
    try:
        module = cst.parse_module(text + "\n")
    except cst.ParserSyntaxError as error:
        raise chains.Unsupported from error
    if len(module.body) != 1:
        raise chains.Unsupported
    statement = module.body[0]
    if isinstance(statement, cst.With):
        return _Source(None, block=statement)
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        raise chains.Unsupported
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        return _Source(small.value, target=chains.source(small.targets[0].target))
    if isinstance(small, cst.Expr):
        return _Source(small.value)
    raise chains.Unsupported


# --------------------------------------------------------------------------- conditions


@dataclass
class _Leaf:
    """``key=value`` in filter(), exclude(), get(), Q() or When()."""

    key: str
    value: cst.BaseExpression


@dataclass
class _Junction:
    """Conditions joined by AND or OR."""

    connector: str  # "and" | "or"
    parts: list[_Cond]


@dataclass
class _Negation:
    """NOT a condition (``~Q(...)``, ``exclude()``)."""

    inner: _Cond


@dataclass
class _Sql:
    """A condition already written as SQLAlchemy code (``Exists(...)``, a boolean expression)."""

    code: str
    aggregate: bool = False


_Cond = _Leaf | _Junction | _Negation | _Sql


@dataclass
class _Rendered:
    """A condition as SQLAlchemy code."""

    code: str
    negated: str | None = None  # the code for NOT this, when simpler than ``~(...)``
    guards: tuple[str, ...] = ()  # nullable columns whose NULL rows Django's negation keeps
    aggregate: bool = False  # refers to an aggregate annotation: belongs in HAVING


def _negate(rendered: _Rendered) -> str:
    """NOT a rendered condition, keeping the rows where a guarded column IS NULL (Django's exclude)."""
    code = rendered.negated or f"~{_paren(rendered.code)}"
    if not rendered.guards:
        return code
    return "or_(" + ", ".join([code, *(f"{g}.is_(None)" for g in rendered.guards)]) + ")"


def _folded(rendered: _Rendered) -> str:
    """The condition's code with its guards written in (``and_(cond, col.is_not(None))``)."""
    if not rendered.guards:
        return rendered.code
    return "and_(" + ", ".join([rendered.code, *(f"{g}.is_not(None)" for g in rendered.guards)]) + ")"


def _combine(connector: str, parts: Sequence[_Rendered]) -> _Rendered:
    """AND/OR of rendered conditions."""
    if len(parts) == 1:
        return parts[0]
    codes = [_folded(p) for p in parts]
    return _Rendered(f"{connector}_(" + ", ".join(codes) + ")", aggregate=any(p.aggregate for p in parts))


def _null_seeking(leaf: _Leaf) -> bool:
    """Whether the lookup matches a missing value (``isnull=True``, ``=None``): Django outer-joins for it."""
    last = leaf.key.rsplit("__", 1)[-1]
    if last == "isnull":
        return _bool(leaf.value) is True
    return _is_none(leaf.value) and last not in LOOKUPS - {"exact", "iexact"}


# -------------------------------------------------------------------------------- queries


@dataclass
class _Order:
    """One ORDER BY item as Django wrote it: a path (``-author__name``, ``?``) or an expression."""

    path: str | None
    node: cst.BaseExpression | None = None
    descending: bool = False
    nulls: str | None = None  # "first" | "last"

    def flipped(self) -> _Order:
        """The item ordered the other way (``reverse()``): direction and NULL placement swap."""
        nulls = {"first": "last", "last": "first"}.get(self.nulls or "")
        return _Order(self.path, self.node, not self.descending, nulls)


@dataclass
class _Column:
    """A selected column of values()/values_list()."""

    key: str  # the dict key and label
    code: str  # SQLAlchemy expression
    label: bool  # whether the expression needs .label(key) to carry the key
    group: bool = True  # a grouping column (annotations are not)


@dataclass
class _Annotation:
    """An annotate()/alias() expression."""

    code: str
    aggregate: bool
    selected: bool


@dataclass
class _Join:
    """An outer join the statement needs (for values, ordering, annotations)."""

    model: str
    code: str  # ".outerjoin(Author.books)"


@dataclass
class _Query:
    """Everything a chain says about one SELECT (or the UPDATE/DELETE it turns into)."""

    model: str
    base: str | None = None  # a select() built by ported project code, instead of select(Model)
    where: list[str] = field(default_factory=list)
    having: list[str] = field(default_factory=list)
    filter_by: list[str] = field(default_factory=list)
    annotations: dict[str, _Annotation] = field(default_factory=dict)
    joins: dict[tuple[str, ...], _Join] = field(default_factory=dict)
    order: list[_Order] | None = None  # None: not set (Meta.ordering applies); []: cleared
    reversed: bool = False
    distinct: bool = False
    distinct_on: list[str] = field(default_factory=list)
    values: list[_Column] | None = None
    values_kind: str | None = None  # "values" | "list" | "flat"
    group: str | None = None  # None | "pk" (annotate) | "values" (values().annotate())
    options: list[str] = field(default_factory=list)  # relation loaders
    load_only: list[str] | None = None  # only()
    deferred: list[str] = field(default_factory=list)  # defer()
    start: int | str | None = None  # slice start
    stop: int | str | None = None  # slice stop
    for_update: str | None = None
    combinator: tuple[str, list[_Query]] | None = None  # (SQLAlchemy function, queries)
    restrictions: dict[str, list[list[_Leaf]]] = field(default_factory=dict)  # relation -> filter() lookups
    empty: bool = False

    @property
    def shape(self) -> str:
        """How rows come back: "entity", "annotated" (entity + columns), "values", "list" or "flat"."""
        if self.values_kind is not None:
            return self.values_kind
        if any(a.selected for a in self.annotations.values()):
            return "annotated"
        return "entity"

    @property
    def sliced(self) -> bool:
        """Whether a slice applies."""
        return self.start is not None or self.stop is not None

    @property
    def grouped(self) -> bool:
        """Whether the SQL has a GROUP BY (Django then ignores Meta.ordering)."""
        return self.group is not None


@dataclass
class _Scope:
    """Where lookups are resolved while rendering a condition or an expression."""

    query: _Query  # the query the condition belongs to (its joins and annotations)
    model: str  # the model lookups start from
    top: bool = True  # lookups start at the query's own model (NULL guards apply)
    negated: bool = False  # under an odd number of negations
    join: tuple[str, ...] | None = None  # join mode: the join path that reaches ``model``

    def inner(self, model: str) -> _Scope:
        """The scope inside ``has()``/``any()`` on a relation to ``model``."""
        return _Scope(self.query, model, top=False, negated=self.negated, join=None)

    def flipped(self) -> _Scope:
        """The scope under one more negation."""
        return _Scope(self.query, self.model, self.top, not self.negated, self.join)


@dataclass
class _Result:
    """Translated code and its kind; ``statements`` when it is more than one expression."""

    code: str
    kind: str
    statements: bool = False


# ---------------------------------------------------------------------------------- notes

NOTE_LAZY = "A QuerySet ran lazily when first used; this fetches the list here (keep the select() to refine it later)"
NOTE_COMMIT = (
    "Django wrote at once (autocommit); db.session.commit() does that here. "
    "Inside `with db.session.begin():` (a translated transaction.atomic()) leave the commit out"
)
NOTE_GET = (
    "scalar_one() raises NoResultFound / MultipleResultsFound where Django raised "
    "DoesNotExist / MultipleObjectsReturned"
)
NOTE_ANNOTATED = "Rows come back as ({model}, {names}): read row.{model} and row.<name> where Django set the attribute"
NOTE_MAPPINGS = "values() rows are read-only mappings (RowMapping): use dict(row) where a real dict is needed"
NOTE_CUSTOM_MANAGER = "`{model}.{manager}` is a custom manager{kind}: apply what its get_queryset() adds (project code)"
NOTE_DEFAULT_MANAGER = "`{model}.objects` is {kind}: if its get_queryset() filters or orders, do the same here"


# ------------------------------------------------------------------------------ translator


class _ExpressionRewriter(cst.CSTTransformer):
    """Replaces the Django expressions in an expression (``F("price") * 2``) with SQLAlchemy code."""

    def __init__(self, translator: _Translator, scope: _Scope) -> None:
        self.translator = translator
        self.scope = scope
        self.pending: dict[int, str] = {}
        self.replaced = False

    def visit_Call(self, node: cst.Call) -> bool:
        code = self.translator.expression_call(node, self.scope)
        if code is None:
            return True
        self.pending[id(node)] = code
        return False

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        code = self.pending.get(id(original_node))
        if code is None:
            return updated_node
        self.replaced = True
        replacement = cst.parse_expression(_paren(code))
        if original_node.lpar and not replacement.lpar:
            return replacement.with_changes(lpar=original_node.lpar, rpar=original_node.rpar)
        return replacement


class _Translator(chains.Notes):
    """One translation: the notes, the exactness, the models and the schema in use."""

    def __init__(self, models: Mapping[str, str], schema: QuerySchema, target: str | None) -> None:
        self.models = dict(models)
        self.schema = schema
        self.target = target
        self.notes: list[str] = []
        self.exact = True
        self.outer: list[_Query] = []  # enclosing queries, innermost last (for OuterRef)
        self.custom_class: str | None = None  # the custom manager/QuerySet class whose methods are project code
        self.source: cst.BaseExpression | None = None

    # ------------------------------------------------------------------ bookkeeping
    def finish(self, result: _Result) -> TranslatedQuerySet | None:
        """Attach the assignment target, check the code parses, collect its imports."""
        code = result.code
        if self.target is not None and not result.statements:
            code = f"{self.target} = {code}"
        if not _parses(code):
            return None
        return TranslatedQuerySet(code, list(self.notes), self.exact, result.kind, _imports_for(code))

    # ------------------------------------------------------------------ schema
    def pk(self, model: str) -> str:
        """The primary key attribute of a model."""
        return self.schema.primary_keys.get(model, "id")

    def relation(self, model: str, name: str) -> tuple[str, RelationInfo] | None:
        """(SQLAlchemy attribute, relation) for a lookup or accessor name of ``model``."""
        relations = self.schema.relations.get(model, {})
        info = relations.get(name)
        if info is not None:
            return info.attribute or name, info
        for info in relations.values():
            if info.attribute == name:
                return name, info
        return None

    def known(self, model: str) -> bool:
        """Whether the schema describes the model's fields."""
        return model in self.schema.fields

    def check_field(self, model: str, name: str) -> None:
        """Flag a name the schema does not know as a field of ``model``."""
        if not self.known(model) or name == self.pk(model) or name in self.schema.fields[model]:
            return
        if any(info.column == name for info in self.schema.relations.get(model, {}).values()):
            return
        self.lossy(f"`{name}` is not a known field of {model}: check the attribute name")

    def nullable(self, model: str, name: str) -> bool | None:
        """Whether a field may be NULL; None when the schema does not say."""
        if model not in self.schema.nullable:
            return None
        names = self.schema.nullable[model]
        if name in names:
            return True
        return any(info.column == name and key in names for key, info in self.schema.relations.get(model, {}).items())

    def model_of(self, node: cst.BaseExpression) -> str | None:
        """The model class a name in the code denotes."""
        name = chains.dotted(node)
        return None if name is None else self.models.get(name)

    # ------------------------------------------------------------------ entry point
    def translate(self, source: _Source) -> _Result:
        """Dispatch on what the code is."""
        if source.block is not None:
            return self.cursor_block(source.block)
        assert source.node is not None
        self.source = source.node.with_changes(lpar=[], rpar=[])
        links = chains.flatten(self.source)
        last = links[-1]
        plain = all(not link.is_call and link.subscript is None for link in links[:-1]) and last.subscript is None
        dotted = ".".join(link.name for link in links) if plain else ""
        if dotted in ("transaction.atomic", "django.db.transaction.atomic", "db.transaction.atomic", "atomic"):
            return self.atomic(last.call_args if last.is_call else None, source.decorator or not last.is_call)
        if last.is_call and dotted.rsplit(".", 1)[-1] in ("get_object_or_404", "get_list_or_404"):
            return self.shortcut(last.name, last.call_args)
        if links[-1].is_call and links[-1].name in ("execute", "executemany"):
            cursor = self.cursor_call(links)
            if cursor is not None:
                return cursor
        start = self.manager_start(links)
        if start is None:
            raise chains.Unsupported
        model, index = start
        return self.chain(_Query(model), links[index:])

    def manager_start(self, links: Sequence[chains.Link]) -> tuple[str, int] | None:
        """(model, index of the first QuerySet method) for ``<Model>.<manager>.<method>(...)``."""
        for end in range(1, len(links) - 1):
            prefix = chains.plain_prefix(links, end)
            if prefix is None:
                return None
            model = self.models.get(prefix)
            if model is None:
                continue
            manager, method = links[end], links[end + 1]
            if manager.is_call or manager.subscript is not None or not method.is_call:
                return None
            managers = self.schema.managers.get(model, {})
            if manager.name not in MANAGER_ATTRIBUTES | managers.keys() and method.name not in DJANGO_QUERYSET_API:
                return None
            self.manager(model, manager.name, managers.get(manager.name))
            return model, end + 1
        return None

    def manager(self, model: str, name: str, manager_class: str | None) -> None:
        """Note what a custom manager means for the translation."""
        kind = f" ({manager_class})" if manager_class else ""
        if name not in MANAGER_ATTRIBUTES:
            self.lossy(NOTE_CUSTOM_MANAGER.format(model=model, manager=name, kind=kind))
            self.custom_class = manager_class or f"the `{name}` manager"
        elif manager_class is not None:
            self.note(NOTE_DEFAULT_MANAGER.format(model=model, kind=manager_class))
            self.custom_class = manager_class

    # ------------------------------------------------------------------ the chain
    def chain(self, query: _Query, links: Sequence[chains.Link]) -> _Result:
        """Fold builder methods into ``query``; translate the terminal method (or list the rows)."""
        for index, link in enumerate(links):
            if link.subscript is not None:
                position = self.subscript(query, link.subscript)
                if position is not None:
                    self.slice(query, position, _plus_one(position))
                    code = self.fetch(query, self.select(query), "all") + "[0]"
                    return self.trailing(_Result(code, "get"), link, links[index + 1 :])
                continue
            if not link.is_call:
                raise chains.Unsupported
            if link.name in TERMINALS:
                return self.terminal(query, link, links[index + 1 :])
            query = self.build(query, link)
        self.note(NOTE_LAZY)
        return _Result(self.fetch(query, self.select(query), "all"), "select")

    def build_only(self, node: cst.BaseExpression, outer: _Query | None) -> _Query:
        """The query of a nested QuerySet (``Exists(...)``, ``Subquery(...)``, ``__in=...``, ``Prefetch``)."""
        links = chains.flatten(node)
        start = self.manager_start(links)
        if start is None:
            raise chains.Unsupported
        model, index = start
        if outer is not None:
            self.outer.append(outer)
        try:
            query = _Query(model)
            for link in links[index:]:
                if link.subscript is not None:
                    position = self.subscript(query, link.subscript)
                    if position is not None:
                        raise chains.Unsupported
                    continue
                if not link.is_call or link.name in TERMINALS:
                    raise chains.Unsupported
                query = self.build(query, link)
        finally:
            if outer is not None:
                self.outer.pop()
        return query

    def is_queryset(self, node: cst.BaseExpression) -> bool:
        """Whether an expression is a QuerySet chain on a known model."""
        if not isinstance(node, (cst.Call, cst.Subscript)):
            return False
        try:
            links = chains.flatten(node)
        except chains.Unsupported:
            return False
        for end in range(1, len(links) - 1):
            prefix = chains.plain_prefix(links, end)
            if prefix is None:
                return False
            if prefix in self.models:
                return not links[end].is_call and links[end + 1].is_call
        return False

    def trailing(self, result: _Result, link: chains.Link, rest: Sequence[chains.Link]) -> _Result:
        """Append what follows a terminal method (``.get(...).title``) as written."""
        if not rest:
            return result
        if result.statements or self.source is None:
            raise chains.Unsupported
        whole = chains.source(self.source)
        head = chains.source(link.node)
        if not whole.startswith(head):
            raise chains.Unsupported
        code = result.code + whole[len(head) :]
        return _Result(code if _parses(code) else f"({code})", result.kind)

    def build(self, query: _Query, link: chains.Link) -> _Query:
        """Apply one builder method (or a custom QuerySet method) to the query."""
        name, args = link.name, link.call_args
        if name in COMBINATORS:
            return self.combine(query, name, args)
        if query.combinator is not None and name not in ("order_by", "all"):
            self.lossy(f"{name}() after {query.combinator[0]}() was left out: Django allows little after a union")
            return query
        if name in BUILDERS:
            getattr(self, f"op_{name}")(query, args)
            return query
        if self.custom_class is None:
            raise chains.Unsupported
        self.custom(query, name, args)
        return query

    # ------------------------------------------------------------------ builders
    def op_all(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``all()`` changes nothing."""

    def op_filter(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``filter(...)``: one call's lookups share joins, so they are rendered together."""
        cond = self.conditions(args, query)
        if cond is not None:
            self.add_condition(query, cond, record=True)

    def op_exclude(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``exclude(...)`` is NOT(the lookups), with Django's NULL and multi-valued semantics."""
        if any(a.star == "**" for a in args):
            self.lossy("exclude(**lookups) needs its lookups spelled out: write ~and_(...) of the conditions")
            args = [a for a in args if a.star != "**"]
        cond = self.conditions(args, query)
        if cond is not None:
            self.add_condition(query, _Negation(cond), record=False)

    def add_condition(self, query: _Query, cond: _Cond, *, record: bool) -> None:
        """Render a condition into WHERE (or HAVING for aggregate annotations)."""
        for part in self.render_and([cond], _Scope(query, query.model), record=record):
            if part.aggregate:
                query.having.append(_folded(part))
            else:
                query.where.append(_folded(part))

    def conditions(self, args: Sequence[cst.Arg], query: _Query) -> _Cond | None:
        """The condition of filter()/exclude()/get() arguments; ``**lookups`` becomes filter_by()."""
        parts: list[_Cond] = []
        for arg in args:
            if arg.star == "**":
                query.filter_by.append(f"**{chains.source(arg.value)}")
                self.lossy(
                    f"filter_by(**{chains.source(arg.value)}) takes plain attribute names only: "
                    "lookups with `__` in the dict must become conditions"
                )
            elif arg.star:
                self.lossy(
                    f"`*{chains.source(arg.value)}` holds Q objects built elsewhere: "
                    "write them as SQLAlchemy conditions"
                )
                parts.append(_Sql(f"*{chains.source(arg.value)}"))
            elif arg.keyword is not None:
                parts.append(_Leaf(arg.keyword.value, arg.value))
            else:
                parts.append(self.q(arg.value, query))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else _Junction("and", parts)

    def q(self, node: cst.BaseExpression, query: _Query) -> _Cond:
        """A Q object expression (``Q(a=1) | ~Q(b=2)``) as a condition tree."""
        if isinstance(node, cst.Call) and _call_name(node) == "Q":
            if chains.keyword(node.args, "_connector") is not None or chains.keyword(node.args, "_negated") is not None:
                raise chains.Unsupported
            inner = self.conditions(node.args, query)
            return inner if inner is not None else _Junction("and", [])
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.BitInvert):
            return _Negation(self.q(node.expression, query))
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.BitAnd, cst.BitOr)):
            connector = "and" if isinstance(node.operator, cst.BitAnd) else "or"
            left, right = self.q(node.left, query), self.q(node.right, query)
            parts: list[_Cond] = []
            for part in (left, right):
                if isinstance(part, _Junction) and part.connector == connector:
                    parts.extend(part.parts)
                else:
                    parts.append(part)
            return _Junction(connector, parts)
        if isinstance(node, (cst.Name, cst.Attribute, cst.Subscript)):
            self.lossy(f"`{chains.source(node)}` is built elsewhere (a Q object?): write it as a SQLAlchemy condition")
            return _Sql(chains.source(node))
        code = self.expr(node, _Scope(query, query.model))
        return _Sql(code, aggregate=self.has_aggregate(node, query))

    # ------------------------------------------------------------------ conditions
    def render_and(self, conds: Sequence[_Cond], scope: _Scope, *, record: bool = False) -> list[_Rendered]:
        """ANDed conditions; lookups through one relation share one ``has()``/``any()`` (one Django join).

        Under a negation Django tests each lookup on a multi-valued relation on its own (a
        subquery per lookup), so those are not grouped there.
        """
        flat: list[_Cond] = []

        def spread(cond: _Cond) -> None:
            if isinstance(cond, _Junction) and cond.connector == "and":
                for part in cond.parts:
                    spread(part)
            else:
                flat.append(cond)

        for cond in conds:
            spread(cond)
        slots: list[_Rendered | str] = []
        groups: dict[str, tuple[RelationInfo, list[_Leaf]]] = {}
        for cond in flat:
            hop = self.hop(scope, cond.key) if isinstance(cond, _Leaf) and scope.join is None else None
            if isinstance(cond, _Leaf) and hop is not None and not (hop[1].many and scope.negated):
                attribute, relation, rest = hop
                if attribute not in groups:
                    groups[attribute] = (relation, [])
                    slots.append(attribute)
                groups[attribute][1].append(_Leaf(rest, cond.value))
                continue
            slots.append(self.render(cond, scope))
        out: list[_Rendered] = []
        for slot in slots:
            if isinstance(slot, str):
                relation, leaves = groups[slot]
                if record and relation.many and scope.top and not scope.negated:
                    scope.query.restrictions.setdefault(slot, []).append(leaves)
                out.append(self.render_group(scope, slot, relation, leaves))
            else:
                out.append(slot)
        return out

    def render(self, cond: _Cond, scope: _Scope) -> _Rendered:
        """One condition."""
        if isinstance(cond, _Leaf):
            return self.render_leaf(cond, scope)
        if isinstance(cond, _Sql):
            return _Rendered(cond.code, aggregate=cond.aggregate)
        if isinstance(cond, _Negation):
            if isinstance(cond.inner, _Negation):
                return self.render(cond.inner.inner, scope)
            inner = self.render(cond.inner, scope.flipped())
            return _Rendered(_negate(inner), negated=_folded(inner), aggregate=inner.aggregate)
        if not cond.parts:
            return _Rendered("true()")
        if cond.connector == "and":
            return _combine("and", self.render_and(cond.parts, scope))
        return _combine("or", [self.render(part, scope) for part in cond.parts])

    def hop(self, scope: _Scope, key: str) -> tuple[str, RelationInfo, str] | None:
        """(attribute, relation, rest of the key) when a lookup goes through a relation of the scope's model."""
        parts = key.split("__")
        if len(parts) < 2 or (scope.top and parts[0] in scope.query.annotations):
            return None
        found = self.relation(scope.model, parts[0])
        if found is None or parts[1] in LOOKUPS:
            return None
        attribute, relation = found
        target_key = parts[1] in ("pk", self.pk(relation.target))
        if relation.kind in FORWARD and relation.column and target_key and (len(parts) == 2 or parts[2] in LOOKUPS):
            return None  # author__id=1 reads the author_id column, as Django does
        return attribute, relation, "__".join(parts[1:])

    def render_group(self, scope: _Scope, attribute: str, relation: RelationInfo, leaves: list[_Leaf]) -> _Rendered:
        """``Model.rel.has(...)``/``any(...)`` for lookups through one relation."""
        inner = _combine("and", self.render_and(leaves, scope.inner(relation.target)))
        method = "any" if relation.many else "has"
        owner = f"{scope.model}.{attribute}"
        code = f"{owner}.{method}({_folded(inner)})"
        if all(_null_seeking(leaf) for leaf in leaves):
            # Django outer-joins for IS NULL: a row without any related row matches too.
            code = f"or_(~{owner}.{method}(), {code})"
        if relation.many and not scope.negated:
            self.note(_duplicates_note(attribute, scope.model))
        return _Rendered(code)

    def render_leaf(self, leaf: _Leaf, scope: _Scope) -> _Rendered:
        """One ``key=value`` lookup at the scope's model."""
        if scope.join is not None:
            return self.join_leaf(leaf, scope)
        hop = self.hop(scope, leaf.key)
        if hop is not None:
            return self.render_group(scope, hop[0], hop[1], [_Leaf(hop[2], leaf.value)])
        parts = leaf.key.split("__")
        first, rest = parts[0], parts[1:]
        if scope.top and first in scope.query.annotations:
            annotation = scope.query.annotations[first]
            rendered = self.compare(scope, annotation.code, None, rest, leaf.value)
            return _Rendered(rendered.code, rendered.negated, aggregate=annotation.aggregate)
        model = scope.model
        found = self.relation(model, first)
        if found is not None:
            attribute, relation = found
            if rest and rest[0] in ("pk", self.pk(relation.target)) and relation.kind in FORWARD and relation.column:
                return self.compare(scope, f"{model}.{relation.column}", relation.column, rest[1:], leaf.value)
            return self.relation_leaf(scope, first, attribute, relation, rest, leaf.value)
        name = self.pk(model) if first == "pk" else first
        self.check_field(model, name)
        return self.compare(scope, f"{model}.{name}", name, rest, leaf.value)

    def relation_leaf(
        self,
        scope: _Scope,
        name: str,
        attribute: str,
        relation: RelationInfo,
        rest: list[str],
        value: cst.BaseExpression,
    ) -> _Rendered:
        """A lookup on a relation itself: ``author=a``, ``author__in=...``, ``genres=g``, ``books__isnull=True``."""
        lookup = rest[0] if rest else "exact"
        if len(rest) > 1 or lookup not in LOOKUPS:
            self.lossy(f"The lookup `{name}__{'__'.join(rest)}` is not a Django built-in: translate it by hand")
            lookup = "exact"
        model, target = scope.model, relation.target
        owner = f"{model}.{attribute}"
        method = "any" if relation.many else "has"
        if relation.kind in FORWARD and relation.column:
            column = f"{model}.{relation.column}"
            if lookup == "exact" and not _is_none(value) and not _looks_like_key(value) and not self.is_sql(value):
                self.note(
                    f"`{chains.source(value)}` is taken for {_article(target)} instance "
                    f"({owner} == {chains.source(value)}); "
                    f"compare {column} with a primary key value instead"
                )
                return _Rendered(f"{owner} == {chains.source(value)}", negated=f"{owner} != {chains.source(value)}")
            if lookup == "in" and not self.is_queryset(value) and not _looks_like_key(value):
                self.note(
                    f"`{chains.source(value)}` must hold {target} primary keys: "
                    f"map instances to their .{self.pk(target)}"
                )
            return self.compare(scope, column, name, [lookup], value, subquery_model=target)
        if lookup == "isnull" or (lookup == "exact" and _is_none(value)):
            present = f"{owner}.{method}()"
            missing = True if lookup == "exact" else _bool(value)
            if missing is None:
                return _Rendered(f"(~{present} if {chains.source(value)} else {present})")
            return _Rendered(f"~{present}", negated=present) if missing else _Rendered(present, negated=f"~{present}")
        if lookup == "in" and not self.is_queryset(value) and not _looks_like_key(value):
            self.note(
                f"`{chains.source(value)}` must hold {target} primary keys: map instances to their .{self.pk(target)}"
            )
        key_value = value
        if lookup == "exact" and not _is_none(value) and not _looks_like_key(value) and not self.is_sql(value):
            key_value = cst.parse_expression(f"{_paren(chains.source(value))}.{self.pk(target)}")
        inner = self.compare(scope.inner(target), f"{target}.{self.pk(target)}", None, [lookup], key_value)
        if relation.many and not scope.negated:
            self.note(_duplicates_note(attribute, model))
        return _Rendered(f"{owner}.{method}({inner.code})")

    def join_leaf(self, leaf: _Leaf, scope: _Scope) -> _Rendered:
        """A lookup resolved through the statement's joins (aggregate ``filter=``, ``When()``)."""
        assert scope.join is not None
        target = self.walk(scope.query, scope.model, scope.join, leaf.key.split("__"))
        return self.compare(scope, target.code, None, target.rest, leaf.value, subquery_model=target.relation_target)

    # ------------------------------------------------------------------ lookups
    def compare(
        self,
        scope: _Scope,
        lhs: str,
        column: str | None,
        rest: Sequence[str],
        value: cst.BaseExpression,
        *,
        subquery_model: str | None = None,
    ) -> _Rendered:
        """``lhs <lookup> value`` after the transforms in ``rest`` (``year``, ``date``, ...)."""
        lookup = rest[-1] if rest and rest[-1] in LOOKUPS else "exact"
        transforms = list(rest[:-1] if rest and rest[-1] in LOOKUPS else rest)
        guard_column = lhs if column is not None else None
        week_day = False
        for transform in transforms:
            if transform == "date":
                lhs = f"func.date({lhs})"
            elif transform in EXTRACT_FIELDS:
                lhs = f'extract("{EXTRACT_FIELDS[transform]}", {lhs})'
                week_day = transform == "week_day"
            else:
                self.lossy(f"The transform `__{transform}` is not translated: write its SQL function by hand")
        if week_day:
            self.note("Django's week_day counts 1 = Sunday … 7 = Saturday; SQL's dow counts 0 = Sunday")
            value, lhs = self.week_day(value, lhs)
        if lookup == "in" and self.is_queryset(value):
            value_code, sql = self.subquery_column(value, scope.query, subquery_model), True
        else:
            value_code, sql = self.expr_value(value, scope)
        rendered = self.lookup(lhs, lookup, value, value_code, sql, scope)
        guards: list[str] = []
        plain = lookup != "isnull" and not _is_none(value) and _bool(value) is None
        if scope.top and scope.negated and plain and column is not None and guard_column is not None:
            self.guard(scope.model, column, guard_column, guards)
            if isinstance(value, cst.Call) and _call_name(value) == "F":
                path = _string(value.args[0].value) if value.args else None
                if path is not None and "__" not in path:
                    self.guard(scope.query.model, path, value_code, guards)
        return _Rendered(rendered.code, rendered.negated, tuple(guards))

    def guard(self, model: str, column: str, code: str, guards: list[str]) -> None:
        """Keep NULL rows under a negation, as Django's exclude() does for nullable columns."""
        nullable = self.nullable(model, column)
        if nullable:
            guards.append(code)
        elif nullable is None:
            self.note(
                f"If `{column}` is nullable, Django's exclude() also keeps the rows where it IS NULL: "
                f"add `{code}.is_(None)` to the condition with or_()"
            )

    def week_day(self, value: cst.BaseExpression, lhs: str) -> tuple[cst.BaseExpression, str]:
        """Shift Django's 1-based week days to SQL's 0-based dow (in the value when it is a literal)."""
        number = _int(value)
        if number is not None:
            return cst.Integer(str(number - 1)), lhs
        if isinstance(value, (cst.List, cst.Tuple)) and all(_int(e.value) is not None for e in value.elements):
            shifted = ", ".join(str((_int(e.value) or 0) - 1) for e in value.elements)
            return cst.parse_expression(f"[{shifted}]"), lhs
        return value, f"{lhs} + 1"

    def lookup(
        self, lhs: str, lookup: str, value: cst.BaseExpression, code: str, sql: bool, scope: _Scope
    ) -> _Rendered:
        """The SQLAlchemy comparison for one Django lookup."""
        left = _paren(lhs)
        if lookup in ("exact", "iexact") and _is_none(value):
            return _Rendered(f"{left}.is_(None)", f"{left}.is_not(None)")
        if lookup == "exact" and _bool(value) is not None:
            return _Rendered(f"{left}.is_({code})", f"{left}.is_not({code})")
        if lookup in COMPARISONS:
            op = COMPARISONS[lookup]
            return _Rendered(f"{left} {op} {code}", f"{left} {NEGATED_COMPARISONS[op]} {code}")
        if lookup == "iexact":
            text = _string(value)
            right = chains.python_string(text.lower()) if text is not None and text.isascii() else f"func.lower({code})"
            return _Rendered(f"func.lower({lhs}) == {right}", f"func.lower({lhs}) != {right}")
        if lookup in LIKE_METHODS:
            # Django escapes % and _ in the value; autoescape=True does the same (for a str value).
            escape = "" if sql else ", autoescape=True"
            code = f"{left}.{LIKE_METHODS[lookup]}({code}{escape})"
            return _Rendered(code, f"~{code}")
        if lookup == "in":
            return _Rendered(f"{left}.in_({code})", f"{left}.not_in({code})")
        if lookup == "range":
            if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == 2:
                low, high = (self.expr(e.value, scope) for e in value.elements)
                code = f"{left}.between({low}, {high})"
            else:
                code = f"{left}.between(*{_paren(code)})"
            return _Rendered(code, f"~{code}")
        if lookup == "isnull":
            flag = _bool(value)
            if flag is None:
                return _Rendered(f"({left}.is_(None) if {code} else {left}.is_not(None))")
            null, not_null = f"{left}.is_(None)", f"{left}.is_not(None)"
            return _Rendered(null, not_null) if flag else _Rendered(not_null, null)
        if lookup == "regex":
            code = f"{left}.regexp_match({code})"
            return _Rendered(code, f"~{code}")
        # iregex: an inline (?i) flag, which SQLite's Python REGEXP, PostgreSQL and MySQL all read.
        text = _string(value)
        pattern = chains.python_string("(?i)" + text) if text is not None else f'"(?i)" + {_paren(code)}'
        code = f"{left}.regexp_match({pattern})"
        return _Rendered(code, f"~{code}")

    # ------------------------------------------------------------------ paths and joins
    def walk(self, query: _Query, model: str, path: tuple[str, ...], parts: Sequence[str]) -> _Target:
        """Resolve a lookup path through outer joins (Django's joins for values, ordering, annotations)."""
        for index, part in enumerate(parts):
            rest = list(parts[index + 1 :])
            if index == 0 and not path and model == query.model and part in query.annotations:
                annotation = query.annotations[part]
                return _Target(annotation.code, rest, aggregate=annotation.aggregate)
            if part == "pk":
                return _Target(f"{model}.{self.pk(model)}", rest)
            found = self.relation(model, part)
            if found is None:
                self.check_field(model, part)
                return _Target(f"{model}.{part}", rest)
            attribute, relation = found
            following = rest[0] if rest else None
            final = following is None or following in LOOKUPS or following in TRANSFORMS
            target_key = following in ("pk", self.pk(relation.target))
            if relation.kind in FORWARD and relation.column:
                if final:
                    return _Target(f"{model}.{relation.column}", rest, relation_target=relation.target)
                if target_key and (len(rest) == 1 or rest[1] in LOOKUPS):
                    return _Target(f"{model}.{relation.column}", rest[1:])
            path = (*path, part)
            model = self.join(query, path, model, attribute, relation)
            if final:
                return _Target(f"{model}.{self.pk(model)}", rest, relation_target=model)
        raise chains.Unsupported

    def model_at(self, model: str, parts: Sequence[str]) -> str | None:
        """The model a path of relation names leads to (schema only, no joins)."""
        for part in parts:
            found = self.relation(model, part)
            if found is None:
                return None
            model = found[1].target
        return model

    def join(self, query: _Query, path: tuple[str, ...], owner: str, attribute: str, relation: RelationInfo) -> str:
        """Register the outer join for ``path``; return the model it reaches."""
        if path in query.joins:
            return query.joins[path].model
        target = relation.target
        if target == query.model or any(join.model == target for join in query.joins.values()):
            self.lossy(
                f"`{'__'.join(path)}` reaches {target} a second time: join an aliased({target}) "
                "and use its columns instead"
            )
        query.joins[path] = _Join(target, f".outerjoin({owner}.{attribute})")
        groups = query.restrictions.get(attribute, []) if len(path) == 1 and relation.many else []
        if groups:
            # Django reuses the join of an earlier filter() on this relation: only matching rows take part.
            if len(groups) > 1:
                self.lossy(
                    f"Several filter() calls joined `{attribute}`; Django reuses one of those joins here: "
                    "check which rows should take part"
                )
            scope = _Scope(query, target, top=False, join=path)
            query.where.append(_folded(_combine("and", self.render_and(groups[0], scope))))
            self.note(
                f"The join on `{attribute}` keeps only the rows the earlier filter() matched, "
                "because Django reuses that filter's join"
            )
        return target

    # ------------------------------------------------------------------ expressions
    def expr(self, node: cst.BaseExpression, scope: _Scope) -> str:
        """SQLAlchemy code for a Django expression (plain Python values stay as written)."""
        return self.expr_value(node, scope)[0]

    def expr_value(self, node: cst.BaseExpression, scope: _Scope) -> tuple[str, bool]:
        """(code, whether it is a SQL expression rather than a plain Python value)."""
        rewriter = _ExpressionRewriter(self, scope)
        rewritten = node.visit(rewriter)
        assert isinstance(rewritten, cst.BaseExpression)
        if rewriter.replaced and any(isinstance(n.operator, cst.Divide) for n in _binary_operations(rewritten)):
            self.note(
                "Django's `/` is the database's: two integer columns divide as integers; SQLAlchemy 2.0's `/` "
                "always divides exactly, so write `//` where both sides are integers"
            )
        return chains.source(rewritten), rewriter.replaced

    def is_sql(self, node: cst.BaseExpression) -> bool:
        """Whether a value is a Django expression or a QuerySet (not a plain Python value)."""
        finder = _CallFinder(DJANGO_EXPRESSIONS)
        node.visit(finder)
        return finder.found or self.is_queryset(node)

    def has_aggregate(self, node: cst.BaseExpression, query: _Query) -> bool:
        """Whether an expression aggregates (an aggregate call, or a reference to an aggregate annotation)."""
        finder = _CallFinder(frozenset(AGGREGATES), stop=frozenset({"Subquery", "Exists"}))
        node.visit(finder)
        if finder.found:
            return True
        refs = _CallFinder(frozenset({"F"}))
        node.visit(refs)
        return any(
            (path := _string(call.args[0].value) if call.args else None) is not None
            and path in query.annotations
            and query.annotations[path].aggregate
            for call in refs.calls
        )

    def expression_call(self, node: cst.Call, scope: _Scope) -> str | None:
        """SQLAlchemy code for one Django expression call; None for anything else."""
        name = _call_name(node)
        args = node.args
        values = chains.positional(args)
        if name == "F" and values and _string(values[0]) is not None:
            return self.field_ref(str(_string(values[0])), scope)
        if name == "OuterRef" and values:
            return self.outer_ref(values[0])
        if name == "Value" and values:
            return chains.source(values[0])
        if name in AGGREGATES:
            return self.aggregate(node, scope)
        if name == "Case":
            return self.case(node, scope)
        if name == "Q":
            cond = self.q(node, scope.query)
            return _folded(self.render(cond, scope))
        if name == "Coalesce":
            return "func.coalesce(" + ", ".join(self.argument(v, scope) for v in values) + ")"
        if name in FUNCTIONS:
            return f"func.{FUNCTIONS[name]}(" + ", ".join(self.argument(v, scope) for v in values) + ")"
        if name == "Concat":
            return self.concat(values, scope)
        if name in ("ExpressionWrapper", "Cast") and values:
            inner = self.argument(values[0], scope)
            type_code = self.sa_type(chains.keyword(args, "output_field") or (values[1] if len(values) > 1 else None))
            if type_code is None:
                if name == "Cast":
                    self.lossy(
                        f"The type of `{chains.source(node)}` is not known here: write cast(..., <type>) by hand"
                    )
                return inner
            return f"{'cast' if name == 'Cast' else 'type_coerce'}({inner}, {type_code})"
        if name == "Subquery" and values:
            inner_query = self.build_only(values[0], scope.query)
            return self.select(inner_query, order=inner_query.sliced) + ".scalar_subquery()"
        if name == "Exists" and values:
            inner_query = self.build_only(values[0], scope.query)
            return self.select(inner_query, order=inner_query.sliced) + ".exists()"
        if self.is_queryset(node):
            return self.subquery_column(node, scope.query, None)
        return None

    def argument(self, node: cst.BaseExpression, scope: _Scope) -> str:
        """A database function argument: a string names a field, as in Django."""
        path = _string(node)
        if path is not None:
            return self.field_ref(path, scope)
        return self.expr(node, scope)

    def field_ref(self, path: str, scope: _Scope) -> str:
        """``F("path")``: a column of the query's model, through joins in join mode."""
        query = scope.query
        parts = path.split("__")
        if scope.join is not None:
            return self.walk(query, query.model, (), parts).code
        if parts[0] in query.annotations and len(parts) == 1:
            return query.annotations[parts[0]].code
        return self.correlated(query.model, parts, path)

    def correlated(self, model: str, parts: Sequence[str], path: str) -> str:
        """A column of ``model`` in a WHERE clause: its own, or through forward relations a scalar subquery."""
        first = parts[0]
        if first == "pk":
            return f"{model}.{self.pk(model)}"
        found = self.relation(model, first)
        if found is None:
            self.check_field(model, first)
            if len(parts) > 1:
                self.lossy(f'F("{path}") applies a transform: write the SQL function by hand')
            return f"{model}.{first}"
        attribute, relation = found
        target = relation.target
        if relation.kind in FORWARD and relation.column:
            if len(parts) == 1 or parts[1:] in (["pk"], [self.pk(target)]):
                return f"{model}.{relation.column}"
            column = self.correlated(target, parts[1:], path)
            return f"select({column}).where({target}.{self.pk(target)} == {model}.{relation.column}).scalar_subquery()"
        self.lossy(f'F("{path}") crosses the multi-valued `{attribute}`: join it and compare in the joined row')
        return f"{model}.{'.'.join(parts)}"

    def outer_ref(self, node: cst.BaseExpression) -> str:
        """``OuterRef("pk")``: a column of the enclosing query."""
        depth = 1
        while isinstance(node, cst.Call) and _call_name(node) == "OuterRef" and node.args:
            depth += 1
            node = node.args[0].value
        path = _string(node)
        if path is None or depth > len(self.outer):
            raise chains.Unsupported
        outer = self.outer[-depth]
        return self.correlated(outer.model, path.split("__"), path)

    def aggregate(self, node: cst.Call, scope: _Scope) -> str:
        """``Count("books", distinct=True, filter=Q(...))`` → ``func.count(Book.id.distinct()).filter(...)``."""
        name = _call_name(node)
        assert name is not None
        join_scope = _Scope(scope.query, scope.query.model, join=())
        values = chains.positional(node.args)
        if not values:
            raise chains.Unsupported
        if _string(values[0]) == "*":
            argument = ""
        else:
            argument = self.argument(values[0], join_scope)
            if _bool(chains.keyword(node.args, "distinct")):
                argument = f"{_paren(argument)}.distinct()"
        code = f"func.{AGGREGATES[name]}({argument})"
        condition = chains.keyword(node.args, "filter")
        if condition is not None:
            code += f".filter({_folded(self.render(self.q(condition, scope.query), join_scope))})"
        default = chains.keyword(node.args, "default")
        if default is not None:
            code = f"func.coalesce({code}, {self.expr(default, join_scope)})"
        return code

    def case(self, node: cst.Call, scope: _Scope) -> str:
        """``Case(When(..., then=...), default=...)`` → ``case((cond, value), else_=...)``."""
        join_scope = _Scope(scope.query, scope.query.model, join=())
        branches: list[str] = []
        for when in chains.positional(node.args):
            if not isinstance(when, cst.Call) or _call_name(when) != "When":
                raise chains.Unsupported
            then = chains.keyword(when.args, "then")
            arguments = [a for a in when.args if a.keyword is None or a.keyword.value != "then"]
            condition = self.conditions(arguments, scope.query)
            if condition is None or then is None:
                raise chains.Unsupported
            rendered = _folded(self.render(condition, join_scope))
            branches.append(f"({rendered}, {self.argument(then, join_scope)})")
        default = chains.keyword(node.args, "default")
        if default is not None:
            branches.append(f"else_={self.argument(default, join_scope)}")
        return "case(" + ", ".join(branches) + ")"

    def concat(self, values: Sequence[cst.BaseExpression], scope: _Scope) -> str:
        """``Concat(...)``: string concatenation where NULL counts as "" (Django coalesces each part)."""
        parts: list[str] = []
        for value in values:
            path = _string(value)
            if isinstance(value, cst.Call) and _call_name(value) == "Value" and value.args:
                parts.append(chains.source(value.args[0].value))
                continue
            code = self.field_ref(path, scope) if path is not None else self.expr(value, scope)
            field_name = path if path is not None and "__" not in path else None
            if field_name is not None and self.nullable(scope.query.model, field_name) is False:
                parts.append(code)
            else:
                parts.append(f'func.coalesce({code}, "")')
        return " + ".join(parts)

    def sa_type(self, node: cst.BaseExpression | None) -> str | None:
        """The SQLAlchemy type for a Django field instance (``DecimalField(max_digits=8, decimal_places=2)``)."""
        name = _call_name(node) if node is not None else None
        if node is None or name not in FIELD_TYPES or not isinstance(node, cst.Call):
            return None
        sa_name = FIELD_TYPES[name]
        if name == "DecimalField":
            digits, places = chains.keyword(node.args, "max_digits"), chains.keyword(node.args, "decimal_places")
            if digits is not None and places is not None:
                return f"{sa_name}({chains.source(digits)}, {chains.source(places)})"
        if name == "CharField" and chains.keyword(node.args, "max_length") is not None:
            return f"{sa_name}({chains.source(chains.keyword(node.args, 'max_length') or node)})"
        return sa_name

    def subquery_column(self, node: cst.BaseExpression, outer: _Query, model: str | None) -> str:
        """A QuerySet used as a set of values (``__in=qs``): a one-column select."""
        query = self.build_only(node, outer)
        if query.values is not None:
            if len(query.values) != 1:
                self.lossy("The subquery must select exactly one column")
            return self.select(query, order=query.sliced)
        if model is not None and model != query.model:
            self.lossy(f"The subquery selects {query.model} rows where {model} keys are expected")
        return self.select(query, order=query.sliced, columns=[f"{query.model}.{self.pk(query.model)}"])

    # ------------------------------------------------------------------ more builders
    def op_annotate(self, query: _Query, args: Sequence[cst.Arg], selected: bool = True) -> None:
        """``annotate(n=Count("books"))``: a labelled column; aggregates group by the primary key."""
        items = self.named_expressions(args)
        scope = _Scope(query, query.model, join=())
        for name, node in items:
            if isinstance(node, cst.Call) and _call_name(node) == "Value" and node.args:
                code = f"literal({chains.source(node.args[0].value)})"
            else:
                code = self.expr(node, scope)
            aggregate = self.has_aggregate(node, query)
            query.annotations[name] = _Annotation(code, aggregate, selected)
            if aggregate and query.group is None:
                query.group = "values" if query.values is not None else "pk"
            if selected and query.values is not None:
                query.values.append(_Column(name, code, True, group=not aggregate))
            if aggregate:
                self.check_restricted_aggregate(query, node)

    def op_alias(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``alias()``: an annotation usable in filters and ordering, not selected."""
        self.op_annotate(query, args, selected=False)

    def named_expressions(self, args: Sequence[cst.Arg]) -> list[tuple[str, cst.BaseExpression]]:
        """``n=Count("x")`` pairs; a positional aggregate gets Django's default alias (``x__count``)."""
        items: list[tuple[str, cst.BaseExpression]] = []
        for arg in args:
            if arg.star:
                raise chains.Unsupported
            if arg.keyword is not None:
                items.append((arg.keyword.value, arg.value))
                continue
            name = _call_name(arg.value)
            inner = chains.positional(arg.value.args) if isinstance(arg.value, cst.Call) else []
            path = _string(inner[0]) if inner else None
            if name not in AGGREGATES or path is None or path == "*":
                raise chains.Unsupported  # Django requires an alias for anything else
            items.append((f"{path}__{name.lower()}", arg.value))
        return items

    def check_restricted_aggregate(self, query: _Query, node: cst.BaseExpression) -> None:
        """Note a multi-valued path aggregated after a filter() on it (the join is reused, see join())."""
        paths = _CallFinder(frozenset(AGGREGATES))
        node.visit(paths)
        for call in paths.calls:
            path = _string(call.args[0].value) if call.args else None
            if path is not None and path.split("__")[0] in query.restrictions:
                self.note("Django's annotate() after filter() on the same relation aggregates only the matching rows")

    def op_order_by(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``order_by(...)`` replaces the ordering; ``order_by()`` clears it (Meta.ordering included)."""
        order: list[_Order] = []
        for value in chains.positional(args):
            text = _string(value)
            if text is not None:
                order.append(_Order(text.lstrip("-"), descending=text.startswith("-")))
                continue
            node, descending, nulls = value, False, None
            if (
                isinstance(value, cst.Call)
                and isinstance(value.func, cst.Attribute)
                and value.func.attr.value in ("asc", "desc")
            ):
                node = value.func.value
                descending = value.func.attr.value == "desc"
                if _bool(chains.keyword(value.args, "nulls_first")):
                    nulls = "first"
                elif _bool(chains.keyword(value.args, "nulls_last")):
                    nulls = "last"
            order.append(_Order(None, node, descending, nulls))
        query.order = order
        query.reversed = False

    def op_reverse(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``reverse()`` flips the ordering (none when the query is unordered, as in Django)."""
        query.reversed = not query.reversed

    def op_distinct(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``distinct()``; with fields it is PostgreSQL's DISTINCT ON."""
        fields = [_string(v) for v in chains.positional(args)]
        if not fields:
            query.distinct = True
            return
        if any(f is None for f in fields):
            raise chains.Unsupported
        query.distinct_on = [self.walk(query, query.model, (), str(f).split("__")).code for f in fields]
        self.note(
            "distinct(*fields) is PostgreSQL's DISTINCT ON, as in Django; "
            "SQLAlchemy 2.1 spells it .ext(distinct_on(...)) (sqlalchemy.dialects.postgresql)"
        )

    def op_values(self, query: _Query, args: Sequence[cst.Arg], kind: str = "values") -> None:
        """``values(...)``: mapping rows; ``values_list(...)`` tuples; ``flat=True`` scalars."""
        names = [_string(v) for v in chains.positional(args)]
        if any(n is None for n in names):
            raise chains.Unsupported
        columns: list[_Column] = []
        scope = _Scope(query, query.model, join=())
        if not names and not _keywords(args, skip=("flat", "named")):
            columns = self.all_columns(query, kind)
        for name in names:
            columns.append(self.value_column(query, str(name)))
        if kind == "values":
            for key, node in _keywords(args):
                columns.append(_Column(key, self.expr(node, scope), True))
        query.values = columns
        if kind == "values":
            query.values_kind = "values"
        elif _bool(chains.keyword(args, "flat")):
            if len(columns) != 1:
                raise chains.Unsupported
            query.values_kind = "flat"
        else:
            query.values_kind = "list"

    def op_values_list(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``values_list(...)``."""
        self.op_values(query, args, kind="values_list")

    def all_columns(self, query: _Query, kind: str) -> list[_Column]:
        """The columns of ``values()`` without fields: every concrete field, then the annotations."""
        model = query.model
        if not self.known(model):
            self.lossy(f"values() lists every field of {model}, which the schema does not describe: list them")
            return []
        names = set(self.schema.fields[model]) | {self.pk(model)}
        names |= {info.column for info in self.schema.relations.get(model, {}).values() if info.column}
        ordered = [self.pk(model), *sorted(names - {self.pk(model)})]
        if kind == "values_list":
            self.note("The columns are in alphabetical order here; Django used the model's field order")
        columns = [_Column(name, f"{model}.{name}", False) for name in ordered]
        columns += [
            _Column(name, a.code, True, group=not a.aggregate) for name, a in query.annotations.items() if a.selected
        ]
        return columns

    def value_column(self, query: _Query, name: str) -> _Column:
        """One ``values()`` field: a column (through joins), a FK's key, or an annotation."""
        annotation = query.annotations.get(name)
        if annotation is not None:
            return _Column(name, annotation.code, True, group=not annotation.aggregate)
        target = self.walk(query, query.model, (), name.split("__"))
        code = target.code
        if target.rest:
            code = self.transformed(code, target.rest, name)
        return _Column(name, code, code.rsplit(".", 1)[-1] != name)

    def transformed(self, code: str, transforms: Sequence[str], name: str) -> str:
        """A column with Django transforms applied (``published__year`` in values())."""
        for transform in transforms:
            if transform == "date":
                code = f"func.date({code})"
            elif transform in EXTRACT_FIELDS and transform != "week_day":
                code = f'extract("{EXTRACT_FIELDS[transform]}", {code})'
            else:
                self.lossy(f"The transform in `{name}` is not translated: write its SQL function by hand")
        return code

    def op_select_related(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``select_related(...)`` → ``joinedload(...)`` chains."""
        names = [_string(v) for v in chains.positional(args)]
        if any(n is None for n in names):
            raise chains.Unsupported
        paths = [str(n) for n in names] or self.non_null_relations(query.model)
        for path in paths:
            if any(other.startswith(path + "__") for other in paths):
                continue  # the longer path loads this one too
            option = self.loader_chain(query.model, path, "joinedload")
            if option is not None:
                query.options.append(option)

    def non_null_relations(self, model: str) -> list[str]:
        """What ``select_related()`` without fields follows: the non-null forward relations."""
        relations = self.schema.relations.get(model, {})
        forward = sorted(name for name, info in relations.items() if info.kind in FORWARD)
        if model not in self.schema.nullable:
            self.note("select_related() follows only non-null foreign keys: drop the nullable ones from the options")
        return [name for name in forward if not self.nullable(model, name)]

    def loader_chain(self, model: str, path: str, loader: str) -> str | None:
        """``joinedload(Book.author).joinedload(Author.profile)`` for ``author__profile``."""
        attributes = self.relation_attributes(model, path)
        return None if attributes is None else ".".join(f"{loader}({a})" for a in attributes)

    def relation_attributes(self, model: str, path: str) -> list[str] | None:
        """``["Book.author", "Author.profile"]`` for ``author__profile``; None (noted) when unknown."""
        attributes: list[str] = []
        for part in path.split("__"):
            found = self.relation(model, part)
            if found is None:
                self.lossy(f"`{part}` is not a known relation of {model}: write the loader option by hand")
                return None
            attributes.append(f"{model}.{found[0]}")
            model = found[1].target
        return attributes

    def op_prefetch_related(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``prefetch_related(...)`` → ``selectinload(...)``; ``Prefetch(queryset=...)`` → ``.and_(criteria)``."""
        for value in chains.positional(args):
            path = _string(value)
            nested: _Query | None = None
            if path is None and isinstance(value, cst.Call) and _call_name(value) == "Prefetch":
                path = _string(chains.keyword(value.args, "lookup") or (value.args[0].value if value.args else None))
                queryset = chains.keyword(value.args, "queryset") or (
                    value.args[1].value if len(value.args) > 1 else None
                )
                if queryset is not None:
                    nested = self.build_only(queryset, None)
                to_attr = chains.keyword(value.args, "to_attr")
                if to_attr is not None:
                    self.lossy(
                        f"Prefetch(to_attr={chains.source(to_attr)}) has no counterpart: "
                        "the loaded relationship holds the (filtered) rows instead, for this query's objects"
                    )
            if path is None:
                raise chains.Unsupported
            attributes = self.relation_attributes(query.model, path)
            if attributes is None:
                continue
            target = self.model_at(query.model, path.split("__"))
            if nested is not None:
                if target is not None and nested.model != target:
                    self.lossy(f"The Prefetch queryset is on {nested.model}, the relation reaches {target}")
                if nested.where:
                    attributes[-1] += ".and_(" + ", ".join(nested.where) + ")"
                if nested.order is not None or nested.values is not None or nested.annotations or nested.sliced:
                    self.lossy(
                        "Only the Prefetch queryset's filters and loaders carry over: order the relationship with "
                        "relationship(order_by=...), and load annotations or slices with a query of their own"
                    )
            if (nested is None or nested.order is None) and target and self.schema.default_ordering.get(target):
                self.note(
                    f"Django orders the prefetched {target} rows by its Meta.ordering: "
                    "give the relationship order_by= to keep that order"
                )
            option = ".".join(f"selectinload({a})" for a in attributes)
            for loader in self.load_options(nested) if nested is not None else []:
                option += "." + loader
            query.options.append(option)

    def op_only(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``only(...)`` → ``load_only(...)``: it replaces the loaded set, minus fields deferred before (Django)."""
        names = self.local_names(args, "only")
        query.load_only = [n for n in names if n not in query.deferred]
        query.deferred = []

    def op_defer(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``defer(...)`` → ``defer()`` options; after only() it removes fields from the loaded set."""
        if any(_is_none(v) for v in chains.positional(args)):
            query.load_only, query.deferred = None, []
            return
        names = self.local_names(args, "defer")
        if query.load_only is not None:
            query.load_only = [n for n in query.load_only if n not in names]
        else:
            query.deferred += [n for n in names if n not in query.deferred]

    def local_names(self, args: Sequence[cst.Arg], method: str) -> list[str]:
        """The field names of only()/defer() on the model itself (a relation's fields are noted)."""
        names = [_string(v) for v in chains.positional(args)]
        if any(n is None for n in names):
            raise chains.Unsupported
        local = [str(n) for n in names if "__" not in str(n)]
        if len(local) != len(names):
            self.lossy(f"{method}() through a relation: add the option to that relation's joinedload() by hand")
        return local

    def load_options(self, query: _Query) -> list[str]:
        """Loader options: the relation loaders, then load_only()/defer()."""
        options = list(query.options)
        if query.load_only is not None:
            names = query.load_only or [self.pk(query.model)]
            options.append("load_only(" + ", ".join(f"{query.model}.{n}" for n in names) + ")")
        options += [f"defer({query.model}.{n})" for n in query.deferred]
        return options

    def op_none(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``none()``: a query that matches nothing."""
        query.empty = True
        self.note("none() ran no query in Django; WHERE false runs one that returns nothing")

    def op_select_for_update(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``select_for_update(...)`` → ``with_for_update(...)``."""
        options: list[str] = []
        for django_name, sa_name in (("nowait", "nowait"), ("skip_locked", "skip_locked"), ("no_key", "key_share")):
            if _bool(chains.keyword(args, django_name)):
                options.append(f"{sa_name}=True")
        of = chains.keyword(args, "of")
        if of is not None:
            self.lossy("select_for_update(of=...) names relations: pass their classes as with_for_update(of=...)")
        query.for_update = ", ".join(options)
        self.note("SELECT ... FOR UPDATE holds its lock until the session's transaction ends (commit or rollback)")

    def op_using(self, query: _Query, args: Sequence[cst.Arg]) -> None:
        """``using(alias)``: another database."""
        self.lossy(
            "using() picks another database: give the models a __bind_key__ (SQLALCHEMY_BINDS) "
            "or execute with bind_arguments={'bind': db.engines[...]}"
        )

    def combine(self, query: _Query, name: str, args: Sequence[cst.Arg]) -> _Query:
        """``union()``/``intersection()``/``difference()`` of QuerySets."""
        others = [self.build_only(v, None) for v in chains.positional(args)]
        function = COMBINATORS[name] + ("_all" if _bool(chains.keyword(args, "all")) else "")
        combined = _Query(query.model, combinator=(function, [query, *others]))
        combined.values, combined.values_kind = query.values, query.values_kind
        return combined

    def custom(self, query: _Query, name: str, args: Sequence[cst.Arg]) -> None:
        """A custom manager/QuerySet method: a function to port that takes and returns a select()."""
        if query.values is not None or query.annotations or query.joins or query.combinator is not None:
            self.lossy(f"{name}() comes after values()/annotate(): apply it before them in the ported code")
        base = self.select(query, order=False)
        arguments = ", ".join([base, *(chains.argument_source(a) for a in args)])
        self.lossy(
            f"{name}() is a method of {self.custom_class} (project code): port it as a function that takes and "
            f"returns a select(), called as {name}(stmt, ...)"
        )
        query.base = f"{name}({arguments})"
        query.where, query.filter_by, query.options, query.load_only, query.deferred = [], [], [], None, []
        query.distinct, query.empty, query.start, query.stop = False, False, None, None

    def subscript(self, query: _Query, elements: Sequence[cst.SubscriptElement]) -> int | str | None:
        """Apply ``[a:b]`` to the query; for ``[i]`` return the index (the caller fetches that row)."""
        if len(elements) != 1:
            raise chains.Unsupported
        element = elements[0].slice
        if isinstance(element, cst.Index):
            return self.bound(element.value)
        if not isinstance(element, cst.Slice) or element.step is not None:
            raise chains.Unsupported
        start = self.bound(element.lower) if element.lower is not None else None
        stop = self.bound(element.upper) if element.upper is not None else None
        self.slice(query, start, stop)
        return None

    def bound(self, node: cst.BaseExpression) -> int | str:
        """A slice bound: an int, or code; negative indexes are an error in Django too."""
        number = _int(node)
        if number is not None:
            if number < 0:
                raise chains.Unsupported
            return number
        return chains.source(node)

    def slice(self, query: _Query, start: int | str | None, stop: int | str | None) -> None:
        """Narrow the query's slice by ``[start:stop]`` (relative to the current slice)."""
        if not query.sliced:
            query.start, query.stop = start, stop
            return
        old_start, offset = query.start or 0, start or 0
        bounds = (old_start, offset, stop, query.stop)
        if all(b is None or isinstance(b, int) for b in bounds):
            assert isinstance(old_start, int) and isinstance(offset, int)
            stops = [b for b in (None if stop is None else old_start + int(stop), query.stop) if isinstance(b, int)]
            query.start, query.stop = (old_start + offset) or None, min(stops) if stops else None
            return
        self.lossy("A slice of a slice with variable bounds: combine the bounds by hand")
        query.start, query.stop = start, stop

    # ------------------------------------------------------------------ rendering
    def ordered(self, query: _Query) -> bool:
        """Django's ``QuerySet.ordered``: an explicit ordering, or Meta.ordering outside GROUP BY."""
        if query.order is not None:
            return bool(query.order)
        return bool(self.schema.default_ordering.get(query.model)) and not query.grouped

    def order_items(self, query: _Query) -> list[_Order]:
        """The ordering Django applies: explicit, else Meta.ordering (not with GROUP BY), maybe reversed."""
        items = query.order
        if items is None:
            default = self.schema.default_ordering.get(query.model, ())
            items = []
            if default and not query.grouped and query.combinator is None:
                items = [_Order(d.lstrip("-"), descending=d.startswith("-")) for d in default]
                self.note(
                    f"{query.model}'s Meta.ordering ({', '.join(default)}) is written out: "
                    "SQLAlchemy has no default order"
                )
        return [item.flipped() for item in items] if query.reversed else list(items)

    def order_codes(self, query: _Query) -> list[str]:
        """ORDER BY expressions (registering the joins they need)."""
        codes: list[str] = []
        for item in self.order_items(query):
            codes.extend(self.order_code(query, item, 0))
        return codes

    def order_code(self, query: _Query, item: _Order, depth: int) -> list[str]:
        """One ordering item; a relation orders by its model's Meta.ordering (else its key), as in Django."""
        if item.node is not None:
            code = self.expr(item.node, _Scope(query, query.model, join=()))
        elif item.path == "?":
            self.note("func.random() is random() on SQLite and PostgreSQL; MySQL spells it func.rand()")
            return ["func.random()"]
        else:
            assert item.path is not None
            if query.combinator is not None:
                return [
                    f"desc({chains.python_string(item.path)})" if item.descending else chains.python_string(item.path)
                ]
            parts = item.path.split("__")
            owner = self.model_at(query.model, parts[:-1])
            found = self.relation(owner, parts[-1]) if owner is not None else None
            related = self.schema.default_ordering.get(found[1].target, ()) if found is not None else ()
            if found is not None and related and depth < 3:
                codes: list[str] = []
                for spec in related:
                    path = f"{item.path}__{spec.lstrip('-')}"
                    descending = item.descending != spec.startswith("-")
                    codes.extend(self.order_code(query, _Order(path, None, descending, item.nulls), depth + 1))
                return codes
            code = self.walk(query, query.model, (), parts).code
        if item.descending:
            code = f"{_paren(code)}.desc()"
        if item.nulls is not None:
            code = f"{_paren(code)}.nulls_{item.nulls}()"
        return [code]

    def select(self, query: _Query, *, order: bool = True, columns: Sequence[str] | None = None) -> str:
        """The ``select(...)`` statement for a query."""
        if query.combinator is not None:
            return self.combined(query, order=order, columns=columns)
        order_by = self.order_codes(query) if order else []
        model = query.model
        if columns is None and query.values is not None:
            columns = [f"{c.code}.label({chains.python_string(c.key)})" if c.label else c.code for c in query.values]
            if query.distinct and order_by:
                codes = {c.code for c in query.values}
                if any(o.removesuffix(".desc()") not in codes for o in order_by):
                    self.lossy(
                        "Django adds the ORDER BY columns to SELECT DISTINCT (so rows are distinct over them too); "
                        "clear the ordering with order_by() if only the values should be distinct"
                    )
        annotations = [
            f"{_paren(a.code)}.label({chains.python_string(n)})" for n, a in query.annotations.items() if a.selected
        ]
        if query.base is not None:
            head = query.base
            if columns is not None:
                head += ".with_only_columns(" + ", ".join(columns) + ")"
            elif annotations:
                head += ".add_columns(" + ", ".join(annotations) + ")"
        elif columns is not None:
            head = "select(" + ", ".join(columns) + ")"
            if query.joins or not all(c.startswith(f"{model}.") for c in columns):
                head += f".select_from({model})"
        else:
            head = "select(" + ", ".join([model, *annotations]) + ")"
        parts = [head, *(join.code for join in query.joins.values())]
        where = [*query.where, *(["false()"] if query.empty else [])]
        if where:
            parts.append(".where(" + ", ".join(where) + ")")
        parts.extend(f".filter_by({f})" for f in query.filter_by)
        if query.group is not None:
            parts.append(".group_by(" + ", ".join(self.group_columns(query, order_by)) + ")")
        if query.having:
            parts.append(".having(" + ", ".join(query.having) + ")")
        if order_by:
            parts.append(".order_by(" + ", ".join(order_by) + ")")
        if query.distinct_on:
            parts.append(".distinct(" + ", ".join(query.distinct_on) + ")")
        elif query.distinct:
            parts.append(".distinct()")
        parts.append(self.limits(query))
        options = self.load_options(query)
        if options and columns is None:
            parts.append(".options(" + ", ".join(options) + ")")
        if query.for_update is not None:
            parts.append(f".with_for_update({query.for_update})")
        return "".join(parts)

    def group_columns(self, query: _Query, order_by: Sequence[str]) -> list[str]:
        """GROUP BY: the primary key (annotate) or the values() columns, plus what ORDER BY adds, as Django does."""
        if query.group == "pk":
            columns = [f"{query.model}.{self.pk(query.model)}"]
        else:
            columns = [c.code for c in query.values or [] if c.group]
        aggregates = {a.code for a in query.annotations.values() if a.aggregate}
        for code in order_by:
            base = re.sub(r"\.(desc|asc|nulls_first|nulls_last)\(\)$", "", code)
            base = re.sub(r"\.(desc|asc)\(\)$", "", base)
            if base not in columns and base not in aggregates and base != "func.random()":
                columns.append(base)
        return columns

    def limits(self, query: _Query) -> str:
        """``.offset(a).limit(b)`` for a slice."""
        start, stop = query.start, query.stop
        code = ""
        if start not in (None, 0):
            code += f".offset({start})"
        if stop is not None:
            if start in (None, 0):
                code += f".limit({stop})"
            elif isinstance(start, int) and isinstance(stop, int):
                code += f".limit({max(stop - start, 0)})"
            else:
                code += f".limit({stop} - {_paren(str(start))})"
        return code

    def combined(self, query: _Query, *, order: bool, columns: Sequence[str] | None) -> str:
        """``union(select(...), select(...))`` with the combined query's ordering and slice."""
        assert query.combinator is not None
        function, parts = query.combinator
        selects = [self.select(part, order=False, columns=columns) for part in parts]
        code = f"{function}(" + ", ".join(selects) + ")"
        order_by = self.order_codes(query) if order else []
        if order_by:
            code += ".order_by(" + ", ".join(order_by) + ")"
        return code + self.limits(query)

    def fetch(self, query: _Query, statement: str, method: str) -> str:
        """Run a statement and read its rows the way the query's shape needs."""
        shape = query.shape
        if query.combinator is not None and shape == "entity":
            statement = f"select({query.model}).from_statement({statement})"
        if shape in ("entity", "flat"):
            return f"{SESSION}.scalars({statement}).{method}()"
        if shape == "values":
            self.note(NOTE_MAPPINGS)
            return f"{SESSION}.execute({statement}).mappings().{method}()"
        if shape == "annotated":
            names = [n for n, a in query.annotations.items() if a.selected]
            self.note(NOTE_ANNOTATED.format(model=query.model, names=", ".join(names)))
        return f"{SESSION}.execute({statement}).{method}()"

    def one(self, query: _Query, statement: str) -> str:
        """Exactly one row: ``scalar_one()`` for instances and scalars, ``one()`` for rows."""
        shape = query.shape
        if shape in ("entity", "flat"):
            return f"{SESSION}.execute({statement}).scalar_one()"
        if shape == "values":
            self.note(NOTE_MAPPINGS)
            return f"{SESSION}.execute({statement}).mappings().one()"
        return f"{SESSION}.execute({statement}).one()"

    # ------------------------------------------------------------------ terminals
    def terminal(self, query: _Query, link: chains.Link, rest: Sequence[chains.Link]) -> _Result:
        """An evaluating or writing method at the end of the chain."""
        name, args = link.name, link.call_args
        if query.combinator is not None and name not in ("count", "exists", "first", "last"):
            raise chains.Unsupported
        if name == "aggregate":
            return self.aggregate_terminal(query, args, link, rest)
        if name in ("get_or_create", "update_or_create"):
            return self.get_or_create(query, args, update=name == "update_or_create", rest=rest)
        handler = getattr(self, f"t_{name}")
        result: _Result = handler(query, args)
        return self.trailing(result, link, rest)

    def t_get(self, query: _Query, args: Sequence[cst.Arg]) -> _Result:
        """``get(**lookups)`` → ``execute(select(...).where(...)).scalar_one()``."""
        self.op_filter(query, args)
        self.note(NOTE_GET)
        return _Result(self.one(query, self.select(query, order=False)), "get")

    def t_first(self, query: _Query, args: Sequence[cst.Arg], last: bool = False) -> _Result:
        """``first()``/``last()``: Django orders an unordered query by the primary key first."""
        if query.combinator is not None:
            self.slice(query, 0, 1)
            return _Result(self.fetch(query, self.select(query), "first"), "get")
        if self.ordered(query):
            if last:
                query.reversed = not query.reversed
        else:
            query.order, query.reversed = [_Order("pk", descending=last)], False
            self.note("Django orders by the primary key when the query has no ordering: so does this")
        self.slice(query, 0, 1)
        return _Result(self.fetch(query, self.select(query), "first"), "get")

    def t_last(self, query: _Query, args: Sequence[cst.Arg]) -> _Result:
        """``last()``: the first row of the reversed ordering."""
        return self.t_first(query, args, last=True)

    def t_earliest(self, query: _Query, args: Sequence[cst.Arg], latest: bool = False) -> _Result:
        """``earliest(*fields)``/``latest(*fields)``: ordered, one row, DoesNotExist when empty."""
        fields = [_string(v) for v in chains.positional(args)]
        if any(f is None for f in fields):
            raise chains.Unsupported
        if not fields:
            self.lossy(
                f"{'latest' if latest else 'earliest'}() without fields orders by Meta.get_latest_by: "
                "the primary key stands in here, put that field instead"
            )
            fields = ["pk"]
        query.order = [_Order(str(f).lstrip("-"), descending=str(f).startswith("-") != latest) for f in fields]
        query.reversed = False
        self.slice(query, 0, 1)
        self.note(NOTE_GET)
        return _Result(self.one(query, self.select(query)), "get")

    def t_latest(self, query: _Query, args: Sequence[cst.Arg]) -> _Result:
        """``latest(*fields)``."""
        return self.t_earliest(query, args, latest=True)

    def needs_subquery(self, query: _Query) -> bool:
        """Whether counting needs ``SELECT count(*) FROM (<query>)`` (as Django does then)."""
        return bool(
            query.joins
            or query.grouped
            or query.distinct
            or query.distinct_on
            or query.sliced
            or query.combinator is not None
            or query.base is not None
        )

    def t_count(self, query: _Query, args: Sequence[cst.Arg]) -> _Result:
        """``count()`` → ``scalar(select(func.count())...)``."""
        if self.needs_subquery(query):
            inner = self.select(query, order=False)
            code = f"{SESSION}.scalar(select(func.count()).select_from({inner}.subquery()))"
        else:
            code = f"{SESSION}.scalar({self.select(query, order=False, columns=['func.count()'])})"
        return _Result(code, "aggregate")

    def t_exists(self, query: _Query, args: Sequence[cst.Arg]) -> _Result:
        """``exists()`` → ``scalar(select(<statement>.exists()))``."""
        return _Result(f"{SESSION}.scalar(select({self.select(query, order=False)}.exists()))", "aggregate")

    def aggregate_terminal(
        self, query: _Query, args: Sequence[cst.Arg], link: chains.Link, rest: Sequence[chains.Link]
    ) -> _Result:
        """``aggregate(total=Sum("price"))`` → a dict of labelled aggregates; ``[...]["total"]`` → one scalar."""
        if query.grouped or query.distinct or query.sliced:
            self.lossy(
                "Django aggregates this query as a subquery: select from stmt.subquery() and aggregate its columns"
            )
        items = self.named_expressions(args)
        wanted = None
        if len(rest) == 1 and rest[0].subscript is not None and len(rest[0].subscript) == 1:
            element = rest[0].subscript[0].slice
            key = _string(element.value) if isinstance(element, cst.Index) else None
            if key is not None and any(name == key for name, _ in items):
                wanted, rest = key, []
        scope = _Scope(query, query.model, join=())
        columns = [
            f"{_paren(self.expr(node, scope))}.label({chains.python_string(name)})"
            for name, node in items
            if wanted is None or name == wanted
        ]
        if wanted is not None:
            statement = self.select(query, order=False, columns=[columns[0].rsplit(".label(", 1)[0]])
            return _Result(f"{SESSION}.scalar({statement})", "aggregate")
        statement = self.select(query, order=False, columns=columns)
        return self.trailing(_Result(f"dict({SESSION}.execute({statement}).mappings().one())", "aggregate"), link, rest)

    def t_in_bulk(self, query: _Query, args: Sequence[cst.Arg]) -> _Result:
        """``in_bulk(ids)`` → ``{obj.id: obj for obj in scalars(... .in_(ids))}``."""
        values = chains.positional(args)
        field_name = _string(chains.keyword(args, "field_name")) or "pk"
        key = self.pk(query.model) if field_name == "pk" else field_name
        if values:
            query.where.append(f"{query.model}.{key}.in_({chains.source(values[0])})")
        statement = self.select(query, order=False)
        return _Result(f"{{obj.{key}: obj for obj in {SESSION}.scalars({statement})}}", "select")

    def t_iterator(self, query: _Query, args: Sequence[cst.Arg]) -> _Result:
        """``iterator(chunk_size)`` → a result streamed with ``yield_per``."""
        chunk = chains.keyword(args, "chunk_size") or next(iter(chains.positional(args)), None)
        size = chains.source(chunk) if chunk is not None else "2000"
        statement = self.select(query) + f".execution_options(yield_per={size})"
        self.note("yield_per streams rows in batches like iterator(); it cannot be combined with joinedload() of lists")
        if query.shape in ("entity", "flat"):
            return _Result(f"{SESSION}.scalars({statement})", "select")
        if query.shape == "values":
            return _Result(f"{SESSION}.execute({statement}).mappings()", "select")
        return _Result(f"{SESSION}.execute({statement})", "select")

    def t_dates(self, query: _Query, args: Sequence[cst.Arg]) -> _Result:
        """``dates(field, kind, order)`` → the distinct dates, truncated in Python (portable)."""
        values = chains.positional(args)
        field_name = _string(values[0]) if values else None
        kind = _string(chains.keyword(args, "kind") or (values[1] if len(values) > 1 else None))
        order = _string(chains.keyword(args, "order") or (values[2] if len(values) > 2 else None)) or "ASC"
        truncations = {
            "year": "value.replace(month=1, day=1)",
            "month": "value.replace(day=1)",
            "week": "value - timedelta(days=value.weekday())",
            "day": "value",
        }
        if field_name is None or kind not in truncations:
            raise chains.Unsupported
        column = self.walk(query, query.model, (), field_name.split("__")).code
        query.where.append(f"{column}.is_not(None)")
        query.distinct = True
        statement = self.select(query, order=False, columns=[column])
        reverse = ", reverse=True" if order == "DESC" else ""
        self.note(
            "The dates are truncated in Python (portable); on PostgreSQL func.date_trunc() does it in SQL. "
            "For a DateTimeField, take value.date() first"
        )
        code = f"sorted({{{truncations[kind]} for value in {SESSION}.scalars({statement})}}{reverse})"
        return _Result(code, "select")

    def t_raw(self, query: _Query, args: Sequence[cst.Arg]) -> _Result:
        """``Model.objects.raw(sql, params)`` → ``scalars(select(Model).from_statement(text(sql)), params)``."""
        values = chains.positional(args)
        if not values:
            raise chains.Unsupported
        params = chains.keyword(args, "params") or (values[1] if len(values) > 1 else None)
        if chains.keyword(args, "translations") is not None:
            self.lossy("raw(translations=...) renames columns: alias them in the SQL instead")
        sql, bound = self.raw_sql(values[0], params, interpolate=True)
        statement = f"select({query.model}).from_statement({sql})"
        arguments = f"{statement}, {bound}" if bound else statement
        self.note("from_statement() maps the result columns by name, like raw(); the primary key must be selected")
        return _Result(f"{SESSION}.scalars({arguments}).all()", "raw")

    # ------------------------------------------------------------------ writes
    def write_lines(self, lines: list[str], kind: str = "write") -> _Result:
        """Statements that write, then commit (Django's autocommit)."""
        self.note(NOTE_COMMIT)
        return _Result("\n".join([*lines, f"{SESSION}.commit()"]), kind, statements=True)

    def take_target(self) -> str | None:
        """The assignment target, which statement translations place themselves."""
        target, self.target = self.target, None
        return target

    def t_create(self, query: _Query, args: Sequence[cst.Arg]) -> _Result:
        """``create(**fields)`` → ``obj = Model(**fields)``, ``add(obj)``, ``commit()``."""
        instance = f"{query.model}(" + ", ".join(chains.argument_source(a) for a in args) + ")"
        target = self.take_target()
        if target is None:
            return self.write_lines([f"{SESSION}.add({instance})"])
        return self.write_lines([f"{target} = {instance}", f"{SESSION}.add({target})"])

    def get_or_create(
        self, query: _Query, args: Sequence[cst.Arg], *, update: bool, rest: Sequence[chains.Link]
    ) -> _Result:
        """``get_or_create()``/``update_or_create()``: no SQLAlchemy builtin, so the lines they stand for."""
        method = "update_or_create" if update else "get_or_create"
        index = self.tuple_index(rest)
        obj, created, whole = self.result_names(chains.snake_case(query.model), index)
        defaults = chains.keyword(args, "defaults")
        create_defaults = chains.keyword(args, "create_defaults") if update else None
        lookups = [a for a in args if a.keyword is None or a.keyword.value not in ("defaults", "create_defaults")]
        self.op_filter(query, lookups)
        statement = self.select(query, order=False) + (".with_for_update()" if update else "")
        creation = self.creation_arguments(lookups, create_defaults or defaults)
        lines = [f"{obj} = {SESSION}.execute({statement}).scalar_one_or_none()"]
        test = f"{obj} is None"
        if created is not None:
            lines.append(f"{created} = {obj} is None")
            test = created
        lines += [f"if {test}:", f"    {obj} = {query.model}({creation})", f"    {SESSION}.add({obj})"]
        if update and defaults is not None:
            lines.append("else:")
            if _literal_dict(defaults):
                assert isinstance(defaults, cst.Dict)
                for element in defaults.elements:
                    assert isinstance(element, cst.DictElement)
                    lines.append(f"    {obj}.{_string(element.key)} = {chains.source(element.value)}")
            else:
                lines += [
                    f"    for key, value in {chains.source(defaults)}.items():",
                    f"        setattr({obj}, key, value)",
                ]
        if whole is not None:
            lines.append(f"{whole} = ({obj}, {created})")
        self.note(f"{method}() has no SQLAlchemy builtin: these lines do what it did")
        self.note(
            f"Django's {method}() retried the lookup when a concurrent insert raised IntegrityError; "
            "catch IntegrityError here if two requests can create the same row"
        )
        if update:
            self.note("with_for_update() locks the row until the commit, like Django's select_for_update() here")
        if not _parses("\n".join(lines)):
            raise chains.Unsupported
        return self.write_lines(lines)

    def tuple_index(self, rest: Sequence[chains.Link]) -> int | None:
        """0/1 for a trailing ``[0]``/``[1]`` on the (obj, created) tuple."""
        if not rest:
            return None
        if len(rest) == 1 and rest[0].subscript is not None and len(rest[0].subscript) == 1:
            element = rest[0].subscript[0].slice
            index = _int(element.value) if isinstance(element, cst.Index) else None
            if index in (0, 1):
                return index
        raise chains.Unsupported

    def result_names(self, default: str, index: int | None) -> tuple[str, str | None, str | None]:
        """(object variable, created variable or None, variable for the whole tuple or None)."""
        target = self.take_target()
        if index is not None:
            if target is None:
                raise chains.Unsupported
            return (target, None, None) if index == 0 else (default, target, None)
        if target is None:
            self.note(f"The result is in `{default}` and `created`")
            return default, "created", None
        node = cst.parse_expression(target)
        if isinstance(node, cst.Tuple) and len(node.elements) == 2:
            obj, created = (chains.source(e.value) for e in node.elements)
            return obj, None if created == "_" else created, None
        return default, "created", target

    def creation_arguments(self, lookups: Sequence[cst.Arg], defaults: cst.BaseExpression | None) -> str:
        """Constructor arguments: the lookups without ``__`` plus the defaults (which win), as in Django."""
        values: dict[str, str] = {}
        for arg in lookups:
            if arg.keyword is not None and "__" not in arg.keyword.value:
                values[arg.keyword.value] = chains.source(arg.value)
        splat = None
        if _literal_dict(defaults):
            assert isinstance(defaults, cst.Dict)
            for element in defaults.elements:
                assert isinstance(element, cst.DictElement)
                values[str(_string(element.key))] = chains.source(element.value)
        elif defaults is not None and not _is_none(defaults):
            splat = f"**{chains.source(defaults)}"
        pieces = [f"{k}={v}" for k, v in values.items()]
        if splat is not None:
            pieces.append(splat)
        return ", ".join(pieces)

    def t_update(self, query: _Query, args: Sequence[cst.Arg]) -> _Result:
        """``update(**values)`` → ``execute(update(Model).where(...).values(...))``."""
        if query.joins or query.annotations or query.sliced or query.base is not None:
            self.lossy("update() after annotate()/values()/slicing/custom methods: restrict the rows with where() only")
        scope = _Scope(query, query.model)
        assignments: list[str] = []
        for name, node in _keywords(args):
            key, value = name, self.expr(node, scope)
            found = self.relation(query.model, name)
            if found is not None and found[1].column:
                key = found[1].column
                if not _looks_like_key(node) and not _is_none(node):
                    value = f"{_paren(value)}.{self.pk(found[1].target)}"
                    self.note(
                        f"`{chains.source(node)}` is taken for {_article(found[1].target)} instance: its key is written"
                    )
            assignments.append(f"{key}={value}")
        statement = f"update({query.model})" + self.where_clause(query) + ".values(" + ", ".join(assignments) + ")"
        self.note(
            "One bulk UPDATE, as in Django: no save(), no signals, auto_now fields unchanged "
            "(SQLAlchemy's onupdate= column defaults do fire)"
        )
        target = self.take_target()
        line = f"{SESSION}.execute({statement})"
        return self.write_lines([f"{target} = {line}.rowcount" if target else line])

    def where_clause(self, query: _Query) -> str:
        """``.where(...)`` and ``.filter_by(...)`` of a query, for UPDATE and DELETE."""
        code = ""
        where = [*query.where, *(["false()"] if query.empty else [])]
        if where:
            code += ".where(" + ", ".join(where) + ")"
        return code + "".join(f".filter_by({f})" for f in query.filter_by)

    def t_delete(self, query: _Query, args: Sequence[cst.Arg]) -> _Result:
        """``delete()`` → a bulk DELETE; Django also deleted the related rows its on_delete named."""
        if query.joins or query.annotations or query.sliced or query.base is not None:
            self.lossy("delete() after annotate()/values()/slicing/custom methods: restrict the rows with where() only")
        statement = f"delete({query.model})" + self.where_clause(query)
        related = sorted(
            name for name, info in self.schema.relations.get(query.model, {}).items() if info.kind not in FORWARD
        )
        message = (
            "Django's delete() collects the rows first, applies each relation's on_delete (CASCADE, SET_NULL, "
            "PROTECT) and many-to-many links in Python and sends pre/post_delete signals; a bulk DELETE relies on "
            "the database's ON DELETE clauses and sends no ORM events"
        )
        if related:
            self.lossy(f"{message} (here: {', '.join(related)})")
        else:
            self.note(message)
        target = self.take_target()
        line = f"{SESSION}.execute({statement})"
        if target is not None:
            self.lossy(
                "Django's delete() returned (total, {model: count}) including cascaded rows; "
                "rowcount counts this table's rows only"
            )
            line = f"{target} = {line}.rowcount"
        return self.write_lines([line])

    def t_bulk_create(self, query: _Query, args: Sequence[cst.Arg]) -> _Result:
        """``bulk_create(objs)`` → ``add_all(objs)``."""
        values = chains.positional(args)
        if not values:
            raise chains.Unsupported
        objects = chains.source(values[0])
        if any(_bool(chains.keyword(args, name)) for name in ("ignore_conflicts", "update_conflicts")):
            self.lossy(
                "ignore_conflicts/update_conflicts: use the dialect's insert().on_conflict_do_nothing()/"
                "on_conflict_do_update() (sqlalchemy.dialects.postgresql or sqlite)"
            )
        self.note(
            "Django's bulk_create() skipped save() and signals; add_all() goes through the unit of work "
            "(ORM events fire) and batches the INSERTs itself"
        )
        target = self.take_target()
        if target is None:
            return self.write_lines([f"{SESSION}.add_all({objects})"])
        listed = objects if isinstance(values[0], (cst.List, cst.ListComp)) else f"list({objects})"
        return self.write_lines([f"{target} = {listed}", f"{SESSION}.add_all({target})"])

    def t_bulk_update(self, query: _Query, args: Sequence[cst.Arg]) -> _Result:
        """``bulk_update(objs, fields)``: the session writes the changed attributes of loaded objects."""
        values = chains.positional(args)
        if not values:
            raise chains.Unsupported
        self.note(
            "The session writes every changed attribute of these objects at commit; "
            "Django's bulk_update() wrote only the listed fields, without save() or signals"
        )
        if self.take_target() is not None:
            self.lossy("Django's bulk_update() returned the number of rows written; nothing counts them here")
        return self.write_lines([f"{SESSION}.add_all({chains.source(values[0])})"])

    # ------------------------------------------------------------------ raw SQL
    def raw_sql(
        self, sql: cst.BaseExpression, params: cst.BaseExpression | None, *, interpolate: bool
    ) -> tuple[str, str | None]:
        """(``text(...)`` code, bound parameters code) for Django SQL with ``%s``/``%(name)s`` placeholders.

        ``interpolate`` is False for ``cursor.execute(sql)`` without parameters: Django then sends
        the SQL as is (``%`` stays ``%``).
        """
        text = _string(sql)
        if text is None:
            self.lossy(
                f"The SQL in `{chains.source(sql)}` is built elsewhere: rewrite its %s / %(name)s placeholders "
                "as :name bound parameters of text()"
            )
            return f"text({chains.source(sql)})", chains.source(params) if params is not None else None
        escaped = BIND_PARAM.sub(lambda m: "\\:" + m.group(1), text)  # a literal ":word" is no parameter
        if params is None and not interpolate:
            return f"text({chains.python_string(escaped)})", None
        names: list[str] = []

        def placeholder(match: re.Match[str]) -> str:
            if match.group(0) == "%%":
                return "%"
            name = match.group(1) or f"p{len(names)}"
            names.append(name)
            return f":{name}"

        rewritten = DJANGO_PLACEHOLDER.sub(placeholder, escaped)
        code = f"text({chains.python_string(rewritten)})"
        positional = [n for n in names if re.fullmatch(r"p\d+", n)]
        if params is None or _is_none(params):
            if names:
                self.lossy("The SQL has placeholders but no parameters are passed")
            return code, None
        if isinstance(params, cst.Dict) or (names and not positional):
            return code, chains.source(params)
        if isinstance(params, (cst.List, cst.Tuple)):
            items = [chains.source(e.value) for e in params.elements]
            if len(items) != len(positional):
                self.lossy("The number of %s placeholders and of parameters differ")
            pairs = [f'"{name}": {value}' for name, value in zip(positional, items, strict=False)]
            return code, "{" + ", ".join(pairs) + "}" if pairs else None
        source = _paren(chains.source(params))
        return code, "{" + ", ".join(f'"{name}": {source}[{i}]' for i, name in enumerate(positional)) + "}"

    def cursor_call(self, links: Sequence[chains.Link]) -> _Result | None:
        """``cursor.execute(sql, params)`` / ``connection.cursor().execute(...)`` → ``execute(text(...))``."""
        last = links[-1]
        receiver = links[:-1]
        named = len(receiver) == 1 and not receiver[0].is_call and re.search("cur", receiver[0].name, re.I)
        chained = len(receiver) >= 2 and receiver[-1].name == "cursor" and receiver[-1].is_call
        if not (named or chained):
            return None
        code = self.execute_code(last)
        sql = _string(chains.positional(last.call_args)[0]) if chains.positional(last.call_args) else None
        writes = sql is not None and SQL_WRITE.match(sql) is not None
        target = self.take_target()
        if last.name == "executemany":
            target = None  # executemany() returns nothing worth keeping
        elif named and target is None:
            target = receiver[0].name
            self.note(
                f"The Result replaces the cursor: {target}.fetchone(), .fetchall() and .rowcount work on it; "
                "the `with connection.cursor()` line goes away"
            )
        line = f"{target} = {code}" if target else code
        if writes:
            return self.write_lines([line], "raw")
        return _Result(line, "raw", statements=True)

    def execute_code(self, call: chains.Link) -> str:
        """``db.session.execute(text(...), params)`` for a cursor's execute()/executemany()."""
        values = chains.positional(call.call_args)
        if not values:
            raise chains.Unsupported
        params = values[1] if len(values) > 1 else chains.keyword(call.call_args, "params")
        if call.name == "executemany":
            if params is None:
                raise chains.Unsupported
            text_sql, row = self.raw_sql(values[0], cst.Name("row"), interpolate=True)
            rows = chains.source(params)
            if row in (None, "row"):  # named placeholders: each row is already a mapping
                return f"{SESSION}.execute({text_sql}, list({rows}))"
            return f"{SESSION}.execute({text_sql}, [{row} for row in {rows}])"
        text_sql, bound = self.raw_sql(values[0], params, interpolate=params is not None)
        return f"{SESSION}.execute({text_sql}{', ' + bound if bound else ''})"

    def cursor_block(self, block: cst.With) -> _Result:
        """``with connection.cursor() as cursor:`` → the body, with each execute() on ``db.session``."""
        if len(block.items) != 1 or not isinstance(block.body, cst.IndentedBlock):
            raise chains.Unsupported
        item = block.items[0]
        links = chains.flatten(item.item)
        if not links[-1].is_call or links[-1].name != "cursor" or item.asname is None:
            raise chains.Unsupported
        if not isinstance(item.asname.name, cst.Name):
            raise chains.Unsupported
        cursor = item.asname.name.value
        body_source = "".join(cst.Module(body=[]).code_for_node(s) for s in block.body.body)
        result = "result" if re.search(r"\bresult\b", body_source) is None else cursor
        renamer = _Renamer(cursor, result)
        lines: list[str] = []
        writes = False
        for statement in block.body.body:
            call = _execute_in(statement, cursor)
            if call is not None:
                link = chains.flatten(call)[-1]
                sql = _string(chains.positional(link.call_args)[0]) if chains.positional(link.call_args) else None
                writes = writes or (sql is not None and SQL_WRITE.match(sql) is not None)
                lines.append(f"{result} = {self.execute_code(link)}")
                continue
            renamed = statement.visit(renamer)
            assert isinstance(renamed, cst.CSTNode)
            lines.append(cst.Module(body=[]).code_for_node(renamed).rstrip("\n"))
        if "description" in body_source:
            self.lossy(f"{cursor}.description has no Result counterpart: read {result}.keys() for the column names")
        self.note(
            f"The Result replaces the cursor: {result}.fetchone(), .fetchall() and .rowcount work on it; "
            "the with block goes away (the session's connection is used)"
        )
        self.take_target()
        if writes:
            return self.write_lines(lines, "raw")
        return _Result("\n".join(lines), "raw", statements=True)

    # ------------------------------------------------------------------ transactions and shortcuts
    def atomic(self, args: Sequence[cst.Arg] | None, decorator: bool) -> _Result:
        """``transaction.atomic`` → ``db.session.begin()`` (a context manager)."""
        if decorator:
            self.note("As a decorator: SQLAlchemy has none; wrap the function body in `with db.session.begin():`")
        self.note(
            "db.session.begin() raises if the session already began a transaction (any query before it in the "
            "request does): commit first, or use db.session.begin_nested() (a SAVEPOINT, like a nested atomic())"
        )
        self.note(
            "Outside atomic() Django committed each query at once; a Flask-SQLAlchemy session keeps one "
            "transaction open until db.session.commit() (the with block commits on exit, rolls back on error)"
        )
        if args and chains.keyword(args, "using") is not None:
            self.lossy("atomic(using=...) names another database: begin a session bound to that engine")
        if args and _bool(chains.keyword(args, "durable")):
            self.note("durable=True has no counterpart: begin() is the outermost transaction by construction")
        if decorator:
            # The decorated function's body moves inside the block.
            return _Result(f"with {SESSION}.begin():\n    ...", "transaction", statements=True)
        return _Result(f"{SESSION}.begin()", "transaction")

    def shortcut(self, name: str, args: Sequence[cst.Arg]) -> _Result:
        """``get_object_or_404()`` → ``db.get_or_404()``/``db.one_or_404()``; ``get_list_or_404()`` → ``abort(404)``."""
        values = chains.positional(args)
        if not values:
            raise chains.Unsupported
        klass, lookups = values[0], list(args[1:])
        model = self.model_of(klass)
        query = _Query(model) if model is not None else self.build_only(klass, None)
        if name == "get_list_or_404":
            self.op_filter(query, lookups)
            return _Result(f"{self.fetch(query, self.select(query), 'all')} or abort(404)", "select")
        keys = _keywords(lookups)
        if model is not None and len(lookups) == 1 and len(keys) == 1 and keys[0][0] in ("pk", self.pk(model)):
            return _Result(f"db.get_or_404({model}, {chains.source(keys[0][1])})", "get")
        self.op_filter(query, lookups)
        self.note("one_or_404() answers 404 for several rows too, where Django raised MultipleObjectsReturned (a 500)")
        return _Result(f"db.one_or_404({self.select(query, order=False)})", "get")


# ---------------------------------------------------------------------------- helpers


@dataclass
class _Target:
    """Where a lookup path leads: the column (or annotation) code and the lookup parts left."""

    code: str
    rest: list[str]
    relation_target: str | None = None  # the related model, when the path ended at a relation
    aggregate: bool = False


# Django expression classes: a value built from these is SQL, not a plain Python value.
DJANGO_EXPRESSIONS = frozenset(
    {"F", "OuterRef", "Value", "Case", "When", "Coalesce", "Concat", "ExpressionWrapper", "Cast", "Subquery"}
    | {"Exists", "Q"}
    | set(AGGREGATES)
    | set(FUNCTIONS)
)


class _CallFinder(cst.CSTVisitor):
    """Finds calls to the named functions (not inside ``stop`` calls)."""

    def __init__(self, names: frozenset[str], stop: frozenset[str] = frozenset()) -> None:
        self.names = names
        self.stop = stop
        self.calls: list[cst.Call] = []

    @property
    def found(self) -> bool:
        """Whether any call was found."""
        return bool(self.calls)

    def visit_Call(self, node: cst.Call) -> bool:
        name = _call_name(node)
        if name in self.stop:
            return False
        if name in self.names:
            self.calls.append(node)
        return True


class _Renamer(cst.CSTTransformer):
    """Renames one variable (the cursor becomes the result)."""

    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value=self.new) if updated_node.value == self.old else updated_node

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.Attribute:
        # Only the receiver is renamed, never an attribute name (`x.cursor`).
        return updated_node.with_changes(attr=original_node.attr)


def _execute_in(statement: cst.BaseStatement, cursor: str) -> cst.Call | None:
    """The ``cursor.execute(...)`` call a statement consists of, if it does."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    value = small.value if isinstance(small, (cst.Expr, cst.Assign)) else None
    if (
        isinstance(value, cst.Call)
        and isinstance(value.func, cst.Attribute)
        and isinstance(value.func.value, cst.Name)
        and value.func.value.value == cursor
        and value.func.attr.value in ("execute", "executemany")
    ):
        return value
    return None


def _literal_dict(node: cst.BaseExpression | None) -> bool:
    """Whether a node is a dict literal with string keys only."""
    return isinstance(node, cst.Dict) and all(
        isinstance(e, cst.DictElement) and _string(e.key) is not None for e in node.elements
    )


def _plus_one(position: int | str) -> int | str:
    """The stop of the one-row slice at ``position``."""
    return position + 1 if isinstance(position, int) else f"{_paren(position)} + 1"


def _article(word: str) -> str:
    """``a Book``, ``an Author``."""
    return f"{'an' if word[:1].upper() in 'AEIOU' else 'a'} {word}"


def _duplicates_note(relation: str, model: str) -> str:
    """Django's join on a multi-valued relation repeats rows; any() does not."""
    return (
        f"Django joins `{relation}` for this lookup, so {_article(model)} comes back once per matching related "
        "row; any() returns it once (as .distinct() would in Django)"
    )


def _binary_operations(node: cst.CSTNode) -> list[cst.BinaryOperation]:
    """Every binary operation inside a node."""
    found: list[cst.BinaryOperation] = []

    class _Finder(cst.CSTVisitor):
        def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
            found.append(node)

    node.visit(_Finder())
    return found
