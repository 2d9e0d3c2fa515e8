"""Django URL patterns → werkzeug (Flask) URL rules.

A Django URL is matched level by level: every ``include()`` consumes a prefix and
hands the rest to the included patterns (``django/urls/resolvers.py``:
``RoutePattern``, ``RegexPattern``, ``URLResolver.resolve``).  A route is
therefore a chain of :class:`PatternPart`, outermost first, and its Flask twin is
one werkzeug rule: ``"/"`` followed by every part, with each variable written as
the werkzeug converter that matches the same text and hands the view the same
value.

Conventions (one per construct, so that generated code is predictable):

* ``<str:x>`` and ``<x>`` → ``<x>``; ``<int:x>`` → ``<int:x>``; ``<path:x>`` →
  ``<path:x>``; ``<uuid:x>`` → ``<uuid:x>``;
* ``<slug:x>`` → ``<slug:x>`` with a registered ``SlugConverter`` (Django's regex);
* a registered custom converter ``<yyyy:x>`` → ``<yyyy:x>`` with a generated
  werkzeug ``BaseConverter`` subclass carrying the same regex, ``to_python`` and
  ``to_url``;
* a regex named group ``(?P<x>R)`` → ``<regex("R"):x>`` with a registered
  ``RegexConverter`` (the value stays a string, as ``re_path()`` passes it),
  except ``[^/]+`` → ``<x>`` and an alternation of plain words → ``<any(a, b):x>``;
* ``^`` and ``$`` are dropped; a trailing ``/?`` becomes ``strict_slashes=False``.

What werkzeug cannot express is translated as closely as possible and flagged
(``exact=False`` with a note), or reported as an ``error`` when no rule makes
sense.  Two known differences are accepted as exact because no client sends
them: werkzeug's ``int`` converter (``\\d+``) also accepts non-ASCII digits, and
werkzeug merges repeated slashes (``merge_slashes``) before matching.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# How a registered converter class is imported in generated code.
CONVERTER_IMPORTS = "from werkzeug.routing import BaseConverter, ValidationError"

# django.urls.resolvers._PATH_PARAMETER_COMPONENT_RE
_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
# werkzeug.routing.rules._part_re: what a rule variable may be called.
_WERKZEUG_VARIABLE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")
# A word werkzeug's converter-argument grammar reads as a bare string (not a number or constant).
_BARE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_QUANTIFIER_BRACES = re.compile(r"\{(\d*)(?:,(\d*))?\}")

SLUG_REGEX = "[-a-zA-Z0-9_]+"  # django.urls.converters.SlugConverter.regex
DJANGO_STR_REGEX = "[^/]+"  # django.urls.converters.StringConverter.regex


@dataclass(frozen=True)
class PatternPart:
    """One level of an ``include()`` chain, outermost first."""

    text: str  # as written: "books/<int:pk>/" or r"^archive/(?P<year>[0-9]{4})/$"
    is_regex: bool  # re_path()/url() vs path()
    # An i18n_patterns() language prefix: Django matches the active language code there.
    is_locale: bool = False


@dataclass(frozen=True)
class DjangoConverter:
    """A ``register_converter()``'d class, as the linker read it."""

    name: str  # "yyyy"
    class_name: str  # "FourDigitYearConverter"
    regex: str  # its `regex` attribute
    to_python: str | None = None  # source of its to_python method body, if read
    to_url: str | None = None  # source of its to_url method body, if read


@dataclass(frozen=True)
class FlaskRule:
    """The werkzeug rule for one Django pattern chain, with what the Flask side must register."""

    rule: str  # werkzeug rule: "/catalog/books/<int:pk>/"
    converters: dict[str, str]  # werkzeug converters the rule needs registered: name -> class source code
    arguments: list[str]  # view keyword arguments, in order
    notes: list[str]  # behaviour differences a porter must know
    exact: bool  # False when the rule matches a different set of URLs or passes other types
    error: str | None = None  # a pattern that cannot be translated (and why)
    # False for Django's optional trailing slash (``/?$``): werkzeug then matches both forms.
    strict_slashes: bool = True


class UntranslatableError(ValueError):
    """A regex feature no werkzeug rule can express."""


# --------------------------------------------------------------------------- converter classes
SLUG_CONVERTER_SOURCE = f'''class SlugConverter(BaseConverter):
    """Django's `slug` path converter: ASCII letters, digits, hyphens and underscores."""

    regex = r"{SLUG_REGEX}"
'''

REGEX_CONVERTER_SOURCE = '''class RegexConverter(BaseConverter):
    """`<regex("..."):name>`: the text a re_path() named group matched, passed on as a string."""

    # The pattern may match "/": matching the rest of the path as one piece is right for any pattern.
    part_isolating = False

    def __init__(self, map, regex):
        super().__init__(map)
        self.regex = regex
'''


def _python_string(text: str) -> str:
    """A Python string literal for ``text``: raw when it holds backslashes, quotes chosen to fit."""
    if "\n" in text or "\r" in text:
        return repr(text)
    if "\\" in text and not text.endswith("\\"):
        if '"' not in text:
            return f'r"{text}"'
        if "'" not in text:
            return f"r'{text}'"
        return repr(text)
    if "\\" in text:
        return repr(text)
    if '"' not in text:
        return f'"{text}"'
    return repr(text)


def _indent(body: str, prefix: str) -> str:
    lines = body.strip("\n").splitlines()
    # Dedent to the body's own margin before re-indenting.
    margin = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(prefix + line[margin:] if line.strip() else "" for line in lines)


def custom_converter_source(converter: DjangoConverter) -> str:
    """A werkzeug converter class twin of a Django converter class."""
    isolating = not can_match_slash(converter.regex)
    lines = [
        f"class {converter.class_name}(BaseConverter):",
        f'    """Django\'s `{converter.name}` path converter, for werkzeug."""',
        "",
        f"    regex = {_python_string(converter.regex)}",
        f"    part_isolating = {isolating}",
    ]
    if converter.to_python is not None:
        lines += [
            "",
            "    def to_python(self, value):",
            "        # Django skips a pattern whose converter raises ValueError; werkzeug wants ValidationError.",
            "        try:",
            _indent(converter.to_python, " " * 12),
            "        except ValueError as exc:",
            "            raise ValidationError() from exc",
        ]
    if converter.to_url is not None:
        lines += ["", "    def to_url(self, value):", _indent(converter.to_url, " " * 8)]
    return "\n".join(lines) + "\n"


def converter_registration(name: str, class_source: str, app: str = "app") -> str:
    """The line that registers a generated converter class: ``app.url_map.converters["slug"] = SlugConverter``."""
    class_name = class_source.split("(", 1)[0].removeprefix("class ").strip()
    return f"{app}.url_map.converters[{_python_string(name)}] = {class_name}"


def can_match_slash(regex: str) -> bool:
    """Whether a regex might match ``/`` somewhere (conservative: True when unsure).

    werkzeug matches a rule slash-separated part by part unless a converter says
    it is not ``part_isolating``; a converter whose regex can match ``/`` must say so.
    """
    position = 0
    while position < len(regex):
        char = regex[position]
        if char == "\\":
            escaped = regex[position + 1 : position + 2]
            if escaped in ("/", "W", "S", "D"):
                return True
            position += 2
        elif char == "[":
            end = _class_end(regex, position)
            if end < 0:
                return True
            if _class_accepts_slash(regex[position + 1 : end - 1]):
                return True
            position = end
        elif char in "./":
            return True
        elif char == "(" and regex.startswith("(?", position):
            # Inline flags such as (?s) change what "." means: be conservative.
            flags = re.match(r"\(\?[aiLmsux-]+[:)]", regex[position:])
            if flags and "s" in flags.group(0):
                return True
            position += 1
        else:
            position += 1
    return False


def _class_accepts_slash(body: str) -> bool:
    negated = body.startswith("^")
    if negated:
        body = body[1:]
    contains = False
    position = 0
    previous: str | None = None
    while position < len(body):
        char = body[position]
        if char == "\\":
            escaped = body[position + 1 : position + 2]
            if escaped in ("/", "W", "S", "D"):
                contains = True
            previous = escaped if escaped and not escaped.isalnum() else None
            position += 2
            continue
        if char == "-" and previous is not None and position + 1 < len(body):
            upper = body[position + 1]
            if ord(previous) <= ord("/") <= ord(upper):
                contains = True
            previous = None
            position += 2
            continue
        if char == "/":
            contains = True
        previous = char
        position += 1
    # A negated class accepts "/" unless "/" is listed; \W, \S and \D inside it are unclear.
    return not contains if negated else contains


def _class_end(regex: str, start: int) -> int:
    """Index just past the ``]`` closing the character class opened at ``start``, or -1."""
    position = start + 1
    if regex[position : position + 1] == "^":
        position += 1
    if regex[position : position + 1] == "]":
        position += 1
    while position < len(regex):
        if regex[position] == "\\":
            position += 2
            continue
        if regex[position] == "]":
            return position + 1
        position += 1
    return -1


# --------------------------------------------------------------------------- regex atoms
@dataclass
class _Atom:
    kind: str  # literal | any | class | group | alt | start | end | boundary
    text: str  # the atom as written (for a literal: the character it matches)
    quantifier: str = ""
    group: str = ""  # named | capture | noncapture | lookaround | flags | scoped-flags | comment
    name: str = ""
    body: str = ""


def _group_end(regex: str, start: int) -> int:
    """Index just past the ``)`` closing the group opened at ``start``."""
    depth = 0
    position = start
    while position < len(regex):
        char = regex[position]
        if char == "\\":
            position += 2
            continue
        if char == "[":
            end = _class_end(regex, position)
            if end < 0:
                raise UntranslatableError(f"unterminated character class in `{regex}`")
            position = end
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position + 1
        position += 1
    raise UntranslatableError(f"unbalanced parenthesis in `{regex}`")


def _escape_atom(regex: str, position: int) -> tuple[_Atom, int]:
    escaped = regex[position + 1 : position + 2]
    if not escaped:
        raise UntranslatableError("a pattern cannot end with a backslash")
    if escaped in "AZ":
        return _Atom("start" if escaped == "A" else "end", "\\" + escaped), position + 2
    if escaped in "dDwWsS":
        return _Atom("class", "\\" + escaped), position + 2
    if escaped in "bB":
        return _Atom("boundary", "\\" + escaped), position + 2
    if escaped in "nrtfv":
        return _Atom("literal", {"n": "\n", "r": "\r", "t": "\t", "f": "\f", "v": "\v"}[escaped]), position + 2
    if escaped == "x":
        digits = regex[position + 2 : position + 4]
        if re.fullmatch(r"[0-9a-fA-F]{2}", digits):
            return _Atom("literal", chr(int(digits, 16))), position + 4
    if escaped == "u":
        digits = regex[position + 2 : position + 6]
        if re.fullmatch(r"[0-9a-fA-F]{4}", digits):
            return _Atom("literal", chr(int(digits, 16))), position + 6
    if escaped.isdigit():
        raise UntranslatableError(f"back-reference `\\{escaped}` has no werkzeug rule equivalent")
    if escaped.isalnum():
        raise UntranslatableError(f"escape `\\{escaped}` has no werkzeug rule equivalent")
    return _Atom("literal", escaped), position + 2


def _group_atom(regex: str, position: int) -> tuple[_Atom, int]:
    end = _group_end(regex, position)
    inner = regex[position + 1 : end - 1]
    text = regex[position:end]
    named = re.match(r"\?P<([^>]+)>", inner)
    if named:
        return _Atom("group", text, group="named", name=named.group(1), body=inner[named.end() :]), end
    if inner.startswith("?P="):
        raise UntranslatableError(f"back-reference `{text}` has no werkzeug rule equivalent")
    if inner.startswith("?:"):
        return _Atom("group", text, group="noncapture", body=inner[2:]), end
    if inner.startswith(("?=", "?!", "?<=", "?<!")):
        return _Atom("group", text, group="lookaround"), end
    if inner.startswith("?#"):
        return _Atom("group", text, group="comment"), end
    if inner.startswith("?("):
        raise UntranslatableError(f"conditional group `{text}` has no werkzeug rule equivalent")
    flags = re.match(r"\?[aiLmsux-]+(:?)", inner)
    if flags:
        if flags.group(1):
            return _Atom("group", text, group="scoped-flags", body=inner[flags.end() :]), end
        return _Atom("group", text, group="flags"), end
    if inner.startswith("?"):
        raise UntranslatableError(f"group `{text}` has no werkzeug rule equivalent")
    return _Atom("group", text, group="capture", body=inner), end


def regex_atoms(regex: str) -> list[_Atom]:
    """The top-level atoms of a regex, each with its quantifier."""
    atoms: list[_Atom] = []
    position = 0
    while position < len(regex):
        char = regex[position]
        if char == "\\":
            atom, position = _escape_atom(regex, position)
        elif char == "(":
            atom, position = _group_atom(regex, position)
        elif char == "[":
            end = _class_end(regex, position)
            if end < 0:
                raise UntranslatableError(f"unterminated character class in `{regex}`")
            atom, position = _Atom("class", regex[position:end]), end
        elif char == ".":
            atom, position = _Atom("any", "."), position + 1
        elif char == "|":
            atom, position = _Atom("alt", "|"), position + 1
        elif char == "^":
            atom, position = _Atom("start", "^"), position + 1
        elif char == "$":
            atom, position = _Atom("end", "$"), position + 1
        elif char in "*+?":
            raise UntranslatableError(f"nothing to repeat at `{regex[position:]}`")
        elif char == ")":
            raise UntranslatableError(f"unbalanced parenthesis in `{regex}`")
        else:
            braces = _QUANTIFIER_BRACES.match(regex, position) if char == "{" else None
            if braces and (braces.group(1) or braces.group(2)):
                raise UntranslatableError(f"nothing to repeat at `{regex[position:]}`")
            atom, position = _Atom("literal", char), position + 1
        position = _read_quantifier(regex, position, atom)
        atoms.append(atom)
    return atoms


def _read_quantifier(regex: str, position: int, atom: _Atom) -> int:
    if position >= len(regex):
        return position
    char = regex[position]
    quantifier = ""
    if char in "*+?":
        quantifier = char
        position += 1
    elif char == "{":
        braces = _QUANTIFIER_BRACES.match(regex, position)
        if braces and (braces.group(1) or braces.group(2) is not None):
            quantifier = braces.group(0)
            position = braces.end()
    if quantifier and position < len(regex) and regex[position] in "?+":
        quantifier += regex[position]  # lazy or possessive: the same set of full matches
        position += 1
    if quantifier and atom.kind in ("start", "end", "boundary", "alt"):
        raise UntranslatableError(f"quantifier `{quantifier}` after `{atom.text}` cannot be translated")
    atom.quantifier = quantifier
    return position


def _literal_alternatives(body: str) -> list[str] | None:
    """``a|b|c`` as its words, when every alternative is a plain non-empty string without ``/``."""
    try:
        atoms = regex_atoms(body)
    except UntranslatableError:
        return None
    words: list[str] = []
    current = ""
    for atom in [*atoms, _Atom("alt", "|")]:
        if atom.kind == "alt":
            if not current or "/" in current:
                return None
            words.append(current)
            current = ""
        elif atom.kind == "literal" and not atom.quantifier:
            current += atom.text
        else:
            return None
    return words


# --------------------------------------------------------------------------- rule pieces
@dataclass
class _Variable:
    """A rule variable: ``<spec:name>``, or ``<name>`` when ``spec`` is empty."""

    name: str
    spec: str  # werkzeug converter as written in the rule: "", "int", 'regex("[0-9]+")'


@dataclass
class _Piece:
    """Literal text or a variable; ``optional`` when Django's pattern lets it be absent."""

    static: str = ""
    variable: _Variable | None = None
    optional: bool = False


@dataclass
class _Translation:
    pieces: list[_Piece] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    exact: bool = True
    converters: dict[str, str] = field(default_factory=dict)
    strict_slashes: bool = True
    synthetic: int = 0  # unnamed groups named so far

    def note(self, text: str, exact: bool = False) -> None:
        if text not in self.notes:
            self.notes.append(text)
        if not exact:
            self.exact = False


def _quote_argument(text: str) -> str:
    """A werkzeug converter argument holding ``text``: a bare word when werkzeug reads it as a string."""
    if _BARE_WORD.match(text) and text not in ("True", "False", "None"):
        return text
    return _quote_string(text)


def _quote_string(text: str) -> str:
    """``text`` quoted for werkzeug's converter-argument grammar, which has no escapes."""
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    raise UntranslatableError(f"`{text}` holds both quote characters: werkzeug cannot take it as an argument")


def _regex_variable(name: str, body: str, translation: _Translation) -> _Variable:
    if body == DJANGO_STR_REGEX:
        return _Variable(name, "")
    words = _literal_alternatives(body)
    if words is not None:
        return _Variable(name, "any(" + ", ".join(_quote_argument(w) for w in words) + ")")
    if "\n" in body:
        raise UntranslatableError(f"group `{name}` spans lines")
    argument = _quote_string(body)
    # werkzeug ends the argument list at the first "):" (werkzeug.routing.rules._part_re).
    if (argument + "):").find("):") != len(argument):
        raise UntranslatableError(f"the pattern of group `{name}` contains `):`, which ends a werkzeug argument list")
    translation.converters["regex"] = REGEX_CONVERTER_SOURCE
    return _Variable(name, f"regex({argument})")


def _route_pieces(part: PatternPart, custom: Mapping[str, DjangoConverter], translation: _Translation) -> None:
    """A ``path()`` route: literal text and ``<converter:name>`` parameters."""
    position = 0
    for match in _ROUTE_PARAMETER.finditer(part.text):
        translation.pieces.append(_Piece(static=part.text[position : match.start()]))
        position = match.end()
        if any(char.isspace() for char in match.group(0)):
            raise UntranslatableError(f"route `{part.text}` has whitespace in angle brackets (Django rejects it)")
        converter = match.group("converter") or "str"
        name = match.group("parameter")
        if not name.isidentifier():
            raise UntranslatableError(f"parameter `{name}` is not a Python identifier (Django rejects it)")
        translation.pieces.append(_Piece(variable=_route_variable(converter, name, custom, translation)))
    translation.pieces.append(_Piece(static=part.text[position:]))


def _route_variable(
    converter: str, name: str, custom: Mapping[str, DjangoConverter], translation: _Translation
) -> _Variable:
    if converter == "str":
        return _Variable(name, "")
    if converter == "int":
        return _Variable(name, "int")
    if converter == "slug":
        translation.converters["slug"] = SLUG_CONVERTER_SOURCE
        return _Variable(name, "slug")
    if converter == "uuid":
        translation.note(
            "werkzeug's `uuid` converter also accepts upper-case hex digits; Django's accepts lower case only"
        )
        return _Variable(name, "uuid")
    if converter == "path":
        translation.note(
            "werkzeug's `path` converter cannot start with `/` and werkzeug merges repeated slashes; "
            "Django's `path` (`.+`) matches any non-empty text"
        )
        return _Variable(name, "path")
    if converter in custom:
        registered = custom[converter]
        translation.converters[converter] = custom_converter_source(registered)
        if registered.to_python is None:
            translation.note(
                f"`{registered.class_name}.to_python` was not read: port it into the werkzeug converter "
                "(raise werkzeug's ValidationError where Django's raises ValueError)"
            )
        else:
            translation.note(
                f"a `{converter}` value that `to_python` rejects ends werkzeug's matching with a 404; "
                "Django tries the next pattern",
                exact=True,
            )
        return _Variable(name, converter)
    translation.note(
        f"converter `{converter}` is not registered in the scanned code: register a werkzeug converter "
        f"named `{converter}`"
    )
    return _Variable(name, converter)


def _regex_pieces(
    part: PatternPart,
    is_last: bool,
    passes_keywords: bool,
    translation: _Translation,
) -> None:
    """A ``re_path()`` regex: anchors, literal text and groups."""
    atoms = regex_atoms(part.text)
    if not atoms and not is_last:
        return  # an empty include() prefix
    if any(atom.kind == "alt" for atom in atoms):
        raise UntranslatableError(f"`{part.text}` alternates whole patterns (`|` outside a group)")
    # Global inline flags come first in Python regexes (``(?i)^shout/$``).
    while atoms and atoms[0].kind == "group" and atoms[0].group in ("flags", "comment"):
        _regex_group(atoms.pop(0), part, False, passes_keywords, translation)
    # RegexPattern.match: an endpoint ending with "$" must match the whole rest (fullmatch);
    # anything else is searched for, so it may start anywhere and end before the rest does.
    fullmatch = is_last and part.text.endswith("$")
    if atoms and atoms[0].kind == "start":
        atoms = atoms[1:]
    elif not fullmatch:
        translation.note(
            f"`{part.text}` has no `^`: Django finds it anywhere in the rest of the path, werkzeug only at its start"
        )
    ends = bool(atoms) and atoms[-1].kind == "end"
    if ends:
        atoms = atoms[:-1]
        if not is_last:
            translation.note(
                f"`{part.text}` ends with `$` but is an include() prefix: Django then matches only an empty rest"
            )
    elif is_last and not fullmatch:
        translation.note(
            f"`{part.text}` has no `$`: Django also matches every URL that merely starts with it; "
            "werkzeug matches it exactly"
        )
    last = atoms[-1] if atoms else None
    if is_last and ends and last is not None and last.kind == "literal" and last.text == "/" and last.quantifier == "?":
        # ``feed/?$``: both forms, no redirect: werkzeug's strict_slashes=False on the slash rule.
        translation.strict_slashes = False
        atoms = [*atoms[:-1], _Atom("literal", "/")]
    for atom in atoms:
        _regex_atom(atom, part, passes_keywords, translation)


def _regex_atom(atom: _Atom, part: PatternPart, passes_keywords: bool, translation: _Translation) -> None:
    optional = atom.quantifier in ("?", "??", "?+")
    if atom.kind == "class":
        raise UntranslatableError(f"`{part.text}`: `{atom.text}` outside a named group has no werkzeug rule equivalent")
    if atom.quantifier and not optional:
        raise UntranslatableError(
            f"`{atom.text}{atom.quantifier}` repeats part of the URL: werkzeug rules cannot repeat text"
        )
    if atom.kind == "literal":
        translation.pieces.append(_Piece(static=atom.text, optional=optional))
    elif atom.kind == "any":
        translation.note(f"`{part.text}`: an unescaped `.` matches any character in Django; werkzeug matches `.` only")
        translation.pieces.append(_Piece(static=".", optional=optional))
    elif atom.kind == "alt":
        raise UntranslatableError(f"`{part.text}` alternates patterns (`|` outside a group)")
    elif atom.kind in ("start", "end"):
        raise UntranslatableError(f"`{part.text}` has `{atom.text}` inside the pattern")
    elif atom.kind == "boundary":
        translation.note(f"`{part.text}`: the word boundary `{atom.text}` is dropped")
    else:
        _regex_group(atom, part, optional, passes_keywords, translation)


def _regex_group(
    atom: _Atom, part: PatternPart, optional: bool, passes_keywords: bool, translation: _Translation
) -> None:
    if atom.group == "comment":
        return
    if atom.group == "lookaround":
        translation.note(f"`{part.text}`: the lookaround `{atom.text}` is dropped, so werkzeug matches more URLs")
        return
    if atom.group == "flags":
        translation.note(
            f"`{part.text}`: the inline flags `{atom.text}` are dropped (werkzeug rules are case-sensitive)"
        )
        return
    if atom.group in ("noncapture", "scoped-flags"):
        if atom.group == "scoped-flags":
            translation.note(f"`{part.text}`: the flags of `{atom.text}` are dropped")
        inner = regex_atoms(atom.body)
        if any(a.kind == "alt" for a in inner):
            _synthetic_group(atom, part, optional, passes_keywords, translation)
            return
        start = len(translation.pieces)
        for inner_atom in inner:
            _regex_atom(inner_atom, part, passes_keywords, translation)
        if optional:
            for piece in translation.pieces[start:]:
                piece.optional = True
        return
    if atom.group == "named":
        if "(?P<" in atom.body:
            translation.note(
                f"`{atom.text}` holds named groups of its own: Django passes them to the view too, werkzeug does not"
            )
        variable = _regex_variable(atom.name, atom.body, translation)
        translation.pieces.append(_Piece(variable=variable, optional=optional))
        return
    _synthetic_group(atom, part, optional, passes_keywords, translation)


def _synthetic_group(
    atom: _Atom, part: PatternPart, optional: bool, passes_keywords: bool, translation: _Translation
) -> None:
    """An unnamed group: werkzeug can only match it as a named variable."""
    translation.synthetic += 1
    if passes_keywords or atom.group == "noncapture":
        name = f"_group{translation.synthetic}"
        translation.note(f"`{atom.text}`: Django matches this group without passing it; werkzeug passes it as `{name}`")
    else:
        name = f"arg{translation.synthetic}"
        translation.note(
            f"`{atom.text}`: Django passes this unnamed group as a positional argument; "
            f"the Flask view receives the keyword argument `{name}`"
        )
    variable = _regex_variable(name, atom.body, translation)
    translation.pieces.append(_Piece(variable=variable, optional=optional))


def _render(pieces: Sequence[_Piece], keep_optional: bool) -> str:
    text = ""
    for piece in pieces:
        if piece.optional and not keep_optional:
            continue
        if piece.variable is None:
            text += piece.static
        elif piece.variable.spec:
            text += f"<{piece.variable.spec}:{piece.variable.name}>"
        else:
            text += f"<{piece.variable.name}>"
    return "/" + text


def _passes_keywords(parts: Sequence[PatternPart]) -> bool:
    """Whether Django hands the view keyword arguments (then it drops unnamed groups)."""
    for part in parts:
        if part.is_regex and "(?P<" in part.text:
            return True
        if not part.is_regex and _ROUTE_PARAMETER.search(part.text):
            return True
    return False


def translate_pattern(parts: Sequence[PatternPart], custom: Mapping[str, DjangoConverter] | None = None) -> FlaskRule:
    """The werkzeug rule for a Django URL pattern chain (outermost ``include()`` first)."""
    custom = custom or {}
    translation = _Translation()
    passes_keywords = _passes_keywords(parts)
    error: str | None = None
    try:
        for index, part in enumerate(parts):
            is_last = index == len(parts) - 1
            if part.is_locale:
                translation.note(
                    "i18n_patterns(): Django matches the active language's prefix and does not pass it to the view; "
                    "in Flask, take `lang_code` off with `url_value_preprocessor`"
                )
                translation.pieces.append(_Piece(variable=_Variable("lang_code", "")))
                translation.pieces.append(_Piece(static="/"))
            elif part.is_regex:
                _regex_pieces(part, is_last, passes_keywords, translation)
            else:
                if "path" in _route_converters(part.text) and not is_last:
                    translation.note(
                        "a `path` converter in an include() prefix: Django fixes its value before trying the "
                        "included patterns, werkzeug matches the whole rule at once"
                    )
                _route_pieces(part, custom, translation)
    except UntranslatableError as exc:
        error = str(exc)
    rule = _render(translation.pieces, keep_optional=True)
    if error is None:
        error = _rule_problem(translation.pieces, rule)
    if error is None and any(piece.optional for piece in translation.pieces):
        translation.note(
            f"optional parts: werkzeug needs a second rule for the URLs without them, "
            f"e.g. `{_render(translation.pieces, keep_optional=False)}`"
        )
    if rule.startswith("//"):
        translation.note("the pattern starts with `/`: Django matches `//…`, werkzeug merges the slashes")
    arguments = [piece.variable.name for piece in translation.pieces if piece.variable is not None]
    return FlaskRule(
        rule=rule,
        converters=dict(translation.converters),
        arguments=arguments,
        notes=list(translation.notes),
        exact=translation.exact and error is None,
        error=error,
        strict_slashes=translation.strict_slashes,
    )


def _route_converters(route: str) -> list[str]:
    return [match.group("converter") or "str" for match in _ROUTE_PARAMETER.finditer(route)]


def _rule_problem(pieces: Sequence[_Piece], rule: str) -> str | None:
    """What makes a composed rule unusable by werkzeug, if anything."""
    names: list[str] = []
    for piece in pieces:
        if piece.variable is None:
            if "<" in piece.static:
                return f"`<` in literal text: werkzeug reads it as the start of a variable ({rule})"
            continue
        name = piece.variable.name
        if not _WERKZEUG_VARIABLE.match(name):
            return f"`{name}` is not a werkzeug variable name (ASCII letters, digits and `_`)"
        if name in names:
            return f"`{name}` is captured twice: Django keeps the innermost value, werkzeug cannot"
        names.append(name)
    return None


def django_display_path(parts: Sequence[PatternPart]) -> str:
    """The full pattern as Django shows it (``ResolverMatch.route``): ``api/books/$``."""
    if not parts:
        return ""
    # URLResolver._join_route, applied from the innermost level outwards as resolve() does.
    route = parts[-1].text
    for part in reversed(parts[:-1]):
        route = route if not part.text else part.text + route.removeprefix("^")
    return route


def _identifier(name: str) -> str:
    cleaned = re.sub(r"\W", "_", name)
    return cleaned if cleaned and not cleaned[0].isdigit() else f"_{cleaned}"


def flask_route_code(
    rule: FlaskRule,
    endpoint: str,
    view: str,
    methods: Sequence[str],
    blueprint: str | None,
    *,
    view_kind: str = "function",
    defaults: Mapping[str, str] | None = None,
) -> str:
    """The Flask line that declares ``rule``.

    Function views get a decorator, ``@catalog.route("/books/<int:pk>/", methods=["GET"])``,
    with ``endpoint=`` only when it differs from the function name (Flask's default).
    Class-based views (and DRF views and viewsets) are registered with
    ``catalog.add_url_rule("/books/", view_func=BookList.as_view("book-list"), methods=["GET"])``.
    Any other callable (``view_kind="reference"``, e.g. a framework's view function) with
    ``app.add_url_rule("/media/<path:path>", "serve", view_func=serve, methods=["GET"])``.
    ``blueprint`` is the dotted Flask blueprint name (nested blueprints are joined with
    ``.`` as Flask joins them); the receiver is its last part, or ``app`` without one.
    ``defaults`` maps keyword names to their code (Django's extra ``kwargs`` dict).
    """
    receiver = _identifier(blueprint.rsplit(".", 1)[-1]) if blueprint else "app"
    local = endpoint[len(blueprint) + 1 :] if blueprint and endpoint.startswith(blueprint + ".") else endpoint
    view_name = view.rsplit(".", 1)[-1]
    options: list[str] = []
    if methods:
        options.append("methods=[" + ", ".join(f'"{m}"' for m in methods) + "]")
    if not rule.strict_slashes:
        options.append("strict_slashes=False")
    if defaults:
        options.append("defaults={" + ", ".join(f"{_python_string(k)}: {v}" for k, v in defaults.items()) + "}")
    rule_text = _python_string(rule.rule)
    if view_kind == "function":
        if local != view_name:
            options.insert(0, f"endpoint={_python_string(local)}")
        return f"@{receiver}.route({', '.join([rule_text, *options])})"
    if view_kind == "reference":
        arguments = [rule_text, _python_string(local), f"view_func={view_name}", *options]
        return f"{receiver}.add_url_rule({', '.join(arguments)})"
    view_func = f"view_func={view_name}.as_view({_python_string(local)})"
    return f"{receiver}.add_url_rule({', '.join([rule_text, view_func, *options])})"
