"""Facts of the Django definitions fwlint carries as source text (the auth and contenttypes models,
the auth forms), extracted like project files.

Extraction parses with libcst, which costs more than a small scan's whole mapping; the facts are
the same every time, so they are kept in the project's fact cache while a scan has one
(:func:`cached_in`), and a pre-commit run over a few files neither parses them nor imports libcst.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fwlint.cache import FactCache
from fwlint.facts import FileFacts

MAX_BYTES = 1_000_000
_cache: list[FactCache] = []


@contextmanager
def cached_in(cache: FactCache | None) -> Iterator[None]:
    """Keep built-in facts in ``cache`` for the duration of a scan."""
    if cache is None:
        yield
        return
    _cache.append(cache)
    try:
        yield
    finally:
        _cache.pop()


def builtin_facts(path: str, module: str, text: str) -> FileFacts:
    """The facts of a built-in source (its text is fixed: it always extracts)."""
    from fwlint.extract import SourceFile, extract_source

    data = text.encode("utf-8")
    key = FactCache.key(data, path, module, False, MAX_BYTES)
    cache = _cache[-1] if _cache else None
    if cache is not None:
        found = cache.get(key)
        if isinstance(found, FileFacts):
            return found
    result = extract_source(SourceFile(path, path, module, False), data, MAX_BYTES)
    if not isinstance(result, FileFacts):  # the built-in sources are fixed: this cannot happen at runtime
        raise RuntimeError(f"cannot read fwlint's copy of {module}: {result}")
    if cache is not None:
        cache.put(key, result)
    return result
