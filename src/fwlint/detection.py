"""Which framework a project is written in, from what its files import."""

from __future__ import annotations

from collections import Counter

from fwlint.facts import FileFacts
from fwlint.frameworks import framework_of_root

OTHER = {"flask": "django", "django": "flask"}


def import_counts(files: list[FileFacts]) -> dict[str, int]:
    """Files importing each framework's ecosystem (a file counts once per framework)."""
    counts: Counter[str] = Counter()
    for facts in files:
        seen = {framework_of_root(i.module.split(".", 1)[0]) for i in facts.imports}
        for framework in seen:
            if framework is not None:
                counts[framework] += 1
    return {"flask": counts.get("flask", 0), "django": counts.get("django", 0)}


def detect(files: list[FileFacts]) -> tuple[str, dict[str, int]]:
    """``flask``, ``django``, ``both`` or ``neither``, with the per-framework file counts."""
    counts = import_counts(files)
    present = [name for name, count in counts.items() if count]
    if not present:
        return "neither", counts
    if len(present) == 2:
        return "both", counts
    return present[0], counts


def choose_direction(
    detected: str, counts: dict[str, int], source: str | None, target: str | None
) -> tuple[str | None, str | None]:
    """The (source, target) pair: explicit options win, else the framework the project uses most."""
    if source is None and target is not None:
        source = OTHER[target]
    if source is None:
        if detected == "neither":
            return None, target
        source = max(counts, key=lambda name: counts[name]) if detected == "both" else detected
    return source, target or OTHER[source]
