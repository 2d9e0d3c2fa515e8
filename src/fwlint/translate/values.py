"""Extracted values written back as Python source, for suggestions."""

from __future__ import annotations

from fwlint.facts import CallValue, Opaque, Ref, Value


def code_of(value: Value) -> str:
    if isinstance(value, (CallValue, Opaque)):
        return value.code
    if isinstance(value, Ref):
        return value.path.rsplit(".", 1)[-1]
    if isinstance(value, list):
        return "[" + ", ".join(code_of(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(code_of(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {code_of(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)
