"""Linking: cross-file knowledge built from every file's facts."""

from fwlint.link.index import ProjectIndex

__all__ = ["ProjectIndex"]
