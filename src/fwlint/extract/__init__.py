"""Extraction: one source file in, plain facts (or one clear error) out.

Never imports or executes the file: it is read as bytes, decoded per PEP 263,
parsed by ``ast`` (cheap; positions, and a guard against input that would make
libcst's parser recurse too deep) and by libcst, then walked once.
"""

from __future__ import annotations

import ast
import io
import os
import re
import tokenize
from dataclasses import dataclass

from fwlint.facts import ExtractionResult, FileError, FileFacts

SUPPRESSION = re.compile(r"#\s*fwlint:\s*ignore(?:\[([A-Za-z0-9_,\s-]+)\])?")
PYTHON2_HINTS = (
    re.compile(r"^\s*print\s+[^\s(=]", re.M),
    re.compile(r"^\s*exec\s+[\"'\w]", re.M),
    re.compile(r"except\s+[\w.]+\s*,\s*\w+\s*:"),
    re.compile(r"^\s*raise\s+\w+\s*,", re.M),
)
PYTHON2_MESSAGES = ("Missing parentheses in call to", "multiple exception types must be parenthesized")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A Python file to analyse: absolute path, project-relative path, module name."""

    abspath: str
    path: str
    module: str
    is_package: bool


def decode_source(data: bytes) -> str:
    """Decode per PEP 263 (coding cookie or BOM, else UTF-8); raises UnicodeDecodeError/SyntaxError."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)
    return text[1:] if text.startswith("\ufeff") else text


def _syntax_error(file: SourceFile, text: str, error: SyntaxError) -> FileError:
    message = error.msg or "invalid syntax"
    looks_py2 = any(hint in message for hint in PYTHON2_MESSAGES) or any(p.search(text) for p in PYTHON2_HINTS)
    if looks_py2:
        return FileError(
            file.path,
            "python2",
            f"looks like Python 2 code ({message}); fwlint reads Python 3 only",
            error.lineno,
        )
    return FileError(file.path, "syntax-error", f"syntax error: {message}", error.lineno)


def _libcst_accepts(text: str) -> bool:
    import libcst as cst

    try:
        cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError):
        return False
    return True


def check_source(
    file: SourceFile, data: bytes, max_bytes: int, size: int | None = None
) -> tuple[str, ast.Module | None] | FileError:
    """The checks every file gets, relevant or not: size, binary, encoding, Python 3 syntax."""
    if len(data) > max_bytes:
        return FileError(
            file.path,
            "too-large",
            f"skipped: {size or len(data):,} bytes is over the {max_bytes:,}-byte limit (setting max-file-size)",
        )
    if b"\x00" in data[:8192]:
        return FileError(file.path, "binary", "skipped: binary content (NUL bytes) in a .py file")
    try:
        text = decode_source(data)
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        return FileError(file.path, "decode-error", f"cannot decode as Python source text: {exc}")
    try:
        twin = ast.parse(text, filename=file.path)
    except SyntaxError as exc:
        if "too many nested" in (exc.msg or "") or "too complex" in (exc.msg or ""):
            return FileError(file.path, "too-deep", f"skipped: nesting too deep to parse ({exc.msg})", exc.lineno)
        error = _syntax_error(file, text, exc)
        if error.kind != "python2" and _libcst_accepts(text):
            # Syntax newer than this interpreter's parser (e.g. 3.12 f-strings on 3.11).
            return text, None
        return error
    except (RecursionError, MemoryError):
        return FileError(file.path, "too-deep", "skipped: nesting too deep to parse")
    except ValueError as exc:  # e.g. NUL characters after decoding
        return FileError(file.path, "binary", f"skipped: {exc}")
    return text, twin


def extract_source(file: SourceFile, data: bytes, max_bytes: int, size: int | None = None) -> ExtractionResult:
    checked = check_source(file, data, max_bytes, size)
    if isinstance(checked, FileError):
        return checked
    text, twin = checked

    import libcst as cst

    from fwlint.extract.walker import walk_module

    try:
        tree = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return FileError(file.path, "syntax-error", f"libcst cannot parse this file: {exc.message}", exc.raw_line)
    except RecursionError:
        return FileError(file.path, "too-deep", "skipped: nesting too deep to parse")
    facts = FileFacts(file.path, file.module, file.is_package, lines=text.count("\n") + 1)
    try:
        walk_module(facts, text, tree, twin)
    except RecursionError:
        return FileError(file.path, "too-deep", "skipped: nesting too deep to analyse")
    if "fwlint" in text:
        for number, line in enumerate(text.splitlines(), start=1):
            match = SUPPRESSION.search(line)
            if match:
                codes = frozenset(c.strip().upper() for c in (match.group(1) or "").split(",") if c.strip())
                facts.suppressions[number] = codes
    return facts


def read_source(file: SourceFile, max_bytes: int) -> tuple[bytes, int] | FileError:
    """The file's bytes (at most ``max_bytes + 1`` of them) and its size."""
    try:
        with open(file.abspath, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            return handle.read(max_bytes + 1), size
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return FileError(file.path, "unreadable", f"cannot read file: {reason}")


def extract_data(file: SourceFile, data: bytes, size: int, max_bytes: int) -> ExtractionResult:
    try:
        return extract_source(file, data, max_bytes, size)
    except Exception as exc:
        return FileError(file.path, "internal", f"internal error while analysing: {type(exc).__name__}: {exc}")


def extract_file(file: SourceFile, max_bytes: int) -> ExtractionResult:
    read = read_source(file, max_bytes)
    if isinstance(read, FileError):
        return read
    return extract_data(file, read[0], read[1], max_bytes)
