"""Load the declarative rule catalog (``rules/*/*.toml``) and look rules up by API name.

A rule file holds ``[[rule]]`` tables.  Each rule names the source APIs it
matches by canonical dotted name; a name matches an API use when it equals the
use's name or a dotted prefix of it (``flask.request.args`` matches
``flask.request.args.get``), the longest such name winning.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CATEGORIES = (
    "routing",
    "views",
    "request",
    "forms",
    "auth",
    "orm",
    "templates",
    "config",
    "middleware",
    "extensions",
    "other",
)
KINDS = ("mechanical", "rewrite", "no-equivalent")
DIRECTIONS = {"flask_to_django": ("flask", "django"), "django_to_flask": ("django", "flask")}
CODE_PATTERN = re.compile(r"^(FD|DF)\d{3}$")
REQUIRED = ("code", "name", "category", "source", "target", "kind", "effort", "message", "docs", "why")


class RuleError(Exception):
    """A malformed rule file: a configuration error (exit code 2)."""


@dataclass(frozen=True, slots=True)
class Example:
    before: str
    after: str
    # The source API the example's finding must carry (defaults to the rule's first source).
    expect: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    category: str
    source: tuple[str, ...]
    target: str
    kind: str
    effort: int
    message: str
    suggestion: str
    docs: str
    why: str
    examples: tuple[Example, ...]
    direction: tuple[str, str]
    translator: str | None = None
    # "any" (calls and references), "call", "reference" or "decorator".
    match: str = "any"
    # Match only the source names themselves, not longer names under them (a constructor
    # rule for ``flask.Flask`` must not claim ``flask.Flask.url_map.iter_rules``).
    exact: bool = False
    # Only calls passing one of these keyword arguments (``type=`` makes ``args.get`` a rewrite);
    # other calls fall through to the next shorter name's rule.
    with_kwargs: tuple[str, ...] = ()
    origin: str = ""

    @property
    def blocker(self) -> bool:
        return self.kind == "no-equivalent" and self.effort >= 3


@dataclass(slots=True)
class Catalog:
    rules: dict[str, Rule] = field(default_factory=dict)
    _by_source: dict[tuple[str, str], list[Rule]] = field(default_factory=dict)

    def add(self, rule: Rule) -> None:
        if rule.code in self.rules:
            raise RuleError(
                f"{rule.origin}: rule code {rule.code} is already defined in {self.rules[rule.code].origin}"
            )
        self.rules[rule.code] = rule
        for name in rule.source:
            rules = self._by_source.setdefault((rule.direction[0], name), [])
            rules.append(rule)
            rules.sort(key=lambda r: not r.with_kwargs)  # conditional rules are tried first

    def match(
        self, framework: str, name: str, how: str, kwargs: frozenset[str] = frozenset()
    ) -> tuple[Rule, str] | None:
        """The rule whose source is the longest dotted prefix of ``name`` and accepts ``how``
        (and, for rules that ask, one of the call's keyword arguments)."""
        candidate = name
        while candidate:
            for rule in self._by_source.get((framework, candidate), ()):
                if rule.exact and candidate != name:
                    continue
                if rule.with_kwargs and not (candidate == name and kwargs.intersection(rule.with_kwargs)):
                    continue
                if rule.match == "any" or rule.match == how:
                    return rule, candidate
            if "." not in candidate:
                break
            candidate = candidate.rsplit(".", 1)[0]
        return None

    def for_direction(self, source: str) -> list[Rule]:
        return sorted((r for r in self.rules.values() if r.direction[0] == source), key=lambda r: r.code)

    def without(self, disabled: Iterable[str]) -> Catalog:
        prefixes = tuple(d.upper() for d in disabled)
        result = Catalog()
        for rule in self.rules.values():
            if prefixes and rule.code.startswith(prefixes):
                continue
            result.add(rule)
        return result


def rules_dir() -> Path:
    """The catalog: packaged inside the wheel, or the repository's top-level ``rules/``."""
    packaged = Path(__file__).resolve().parent.parent / "_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def catalog_files() -> list[Path]:
    return sorted(rules_dir().glob("*/*.toml"))


def _parse_rule(raw: dict[str, object], origin: str, direction: tuple[str, str]) -> Rule:
    missing = [key for key in REQUIRED if key not in raw]
    if missing:
        raise RuleError(f"{origin}: rule {raw.get('code', '?')} lacks {', '.join(missing)}")
    code = str(raw["code"])
    if not CODE_PATTERN.match(code) or not code.startswith("FD" if direction[0] == "flask" else "DF"):
        raise RuleError(f"{origin}: rule code {code!r} must look like FD123 (Flask→Django) or DF123 (Django→Flask)")
    category = str(raw["category"])
    if category not in CATEGORIES:
        raise RuleError(f"{origin}: {code} has unknown category {category!r}")
    kind = str(raw["kind"])
    if kind not in KINDS:
        raise RuleError(f"{origin}: {code} has unknown kind {kind!r} (one of {', '.join(KINDS)})")
    effort = raw["effort"]
    if not isinstance(effort, int) or not 1 <= effort <= 13:
        raise RuleError(f"{origin}: {code} effort must be an integer from 1 to 13")
    source = raw["source"]
    if isinstance(source, str):
        source = [source]
    if not isinstance(source, list) or not source or not all(isinstance(s, str) for s in source):
        raise RuleError(f"{origin}: {code} source must be a non-empty list of names")
    raw_examples = raw.get("examples", [])
    if not isinstance(raw_examples, list) or not raw_examples:
        raise RuleError(f"{origin}: {code} needs at least one [[rule.examples]] (before/after)")
    examples = []
    for example in raw_examples:
        if not isinstance(example, dict) or "before" not in example or "after" not in example:
            raise RuleError(f"{origin}: {code} examples need 'before' and 'after'")
        examples.append(Example(str(example["before"]), str(example["after"]), example.get("expect")))
    match = str(raw.get("match", "any"))
    if match not in ("any", "call", "reference", "decorator"):
        raise RuleError(f"{origin}: {code} match must be any, call, reference or decorator")
    return Rule(
        code=code,
        name=str(raw["name"]),
        category=category,
        source=tuple(source),
        target=str(raw["target"]),
        kind=kind,
        effort=effort,
        message=str(raw["message"]),
        suggestion=str(raw.get("suggestion", raw["target"])),
        docs=str(raw["docs"]),
        why=str(raw["why"]),
        examples=tuple(examples),
        direction=direction,
        translator=str(raw["translator"]) if raw.get("translator") else None,
        match=match,
        exact=bool(raw.get("exact", False)),
        with_kwargs=_names(raw.get("with_kwargs", []), origin, code),
        origin=origin,
    )


def _names(value: object, origin: str, code: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{origin}: {code} with_kwargs must be a list of keyword names")
    return tuple(value)


def _direction_of(path: Path) -> tuple[str, str]:
    direction = DIRECTIONS.get(path.parent.name)
    if direction is None:
        raise RuleError(f"{path}: rule files live in a folder named {' or '.join(DIRECTIONS)}")
    return direction


def iter_rules(path: Path, direction: tuple[str, str] | None = None) -> Iterator[Rule]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"cannot read rule file {path}: {exc}") from exc
    raw_direction = data.get("direction")
    if direction is None:
        if isinstance(raw_direction, str) and raw_direction in DIRECTIONS:
            direction = DIRECTIONS[raw_direction]
        else:
            direction = _direction_of(path)
    for raw in data.get("rule", []):
        yield _parse_rule(raw, str(path), direction)


def load_catalog(extra_files: Iterable[str] = (), disabled: Iterable[str] = (), source: str | None = None) -> Catalog:
    """Every rule (or, with ``source``, only the rules of the direction that starts from it: a scan
    needs one direction, and parsing the other's TOML is most of a small scan's cost)."""
    catalog = Catalog()
    for path in catalog_files():
        if source is not None and DIRECTIONS.get(path.parent.name, (None,))[0] != source:
            continue
        for rule in iter_rules(path):
            catalog.add(rule)
    for extra in extra_files:
        for rule in iter_rules(Path(extra)):
            if source is None or rule.direction[0] == source:
                catalog.add(rule)
    disabled = list(disabled)
    return catalog.without(disabled) if disabled else catalog
