"""Settings from ``[tool.fwlint]`` in pyproject.toml, overridden by the command line."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


PROJECT_MARKERS = (".git", "pyproject.toml", "setup.py", "setup.cfg")


class ConfigError(Exception):
    """Invalid configuration: reported with exit code 2."""


@dataclass(frozen=True, slots=True)
class EstimateSettings:
    """Constants of the effort model (see fwlint.estimate)."""

    # A starting point (1 point ≈ a 10–35 minute change); calibrate with a ported sample.
    hours_per_point_low: float = 0.2
    hours_per_point_high: float = 0.6
    hours_per_day: float = 6.0


@dataclass(frozen=True, slots=True)
class Settings:
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    max_file_size: int = 2_000_000
    jobs: int = 0  # 0: all cores
    cache: bool = True
    cache_dir: str | None = None
    source: str | None = None  # --from
    target: str | None = None  # --to
    ignore: tuple[str, ...] = ()  # rule codes (or prefixes) turned off
    rule_files: tuple[str, ...] = ()
    estimate: EstimateSettings = field(default_factory=EstimateSettings)

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def find_project_root(start: Path) -> Path:
    """The nearest ancestor holding .git, pyproject.toml, setup.py or setup.cfg, else ``start`` itself."""
    start = start.resolve()
    base = start if start.is_dir() else start.parent
    for candidate in (base, *base.parents):
        if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
            return candidate
    return base


def _coerce(name: str, value: Any, expected: Any) -> Any:
    if isinstance(expected, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"[tool.fwlint] {name} must be a list of strings")
        return tuple(value)
    if isinstance(expected, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"[tool.fwlint] {name} must be true or false")
        return value
    if isinstance(expected, int):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"[tool.fwlint] {name} must be a non-negative integer")
        return value
    if not isinstance(value, str):
        raise ConfigError(f"[tool.fwlint] {name} must be a string")
    return value


def load_settings(pyproject: Path | None) -> Settings:
    if pyproject is None or not pyproject.is_file():
        return Settings()
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {pyproject}: {exc}") from exc
    section = data.get("tool", {}).get("fwlint", {})
    if not isinstance(section, dict):
        raise ConfigError("[tool.fwlint] must be a table")
    defaults = Settings()
    known = {f.name.replace("_", "-"): f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in section.items():
        if key == "estimate":
            values["estimate"] = _estimate(value)
            continue
        if key == "from":
            key = "source"
        elif key == "to":
            key = "target"
        attr = known.get(key) or (key if key in known.values() else None)
        if attr is None:
            raise ConfigError(f"[tool.fwlint] unknown setting {key!r}")
        values[attr] = _coerce(key, value, getattr(defaults, attr) if getattr(defaults, attr) is not None else "")
    if "cache_dir" in values:
        values["cache_dir"] = str((pyproject.parent / values["cache_dir"]).resolve())
    if "rule_files" in values:
        values["rule_files"] = tuple(str((pyproject.parent / p).resolve()) for p in values["rule_files"])
    for framework_key in ("source", "target"):
        if values.get(framework_key) not in (None, "flask", "django"):
            raise ConfigError(f"[tool.fwlint] {framework_key} must be 'flask' or 'django'")
    return replace(defaults, **values)


def _estimate(value: Any) -> EstimateSettings:
    if not isinstance(value, dict):
        raise ConfigError("[tool.fwlint.estimate] must be a table")
    known = {f.name.replace("_", "-"): f.name for f in fields(EstimateSettings)}
    values: dict[str, float] = {}
    for key, number in value.items():
        attr = known.get(key)
        if attr is None:
            raise ConfigError(f"[tool.fwlint.estimate] unknown setting {key!r}")
        if not isinstance(number, (int, float)) or isinstance(number, bool) or number <= 0:
            raise ConfigError(f"[tool.fwlint.estimate] {key} must be a positive number")
        values[attr] = float(number)
    result = EstimateSettings(**values)
    if result.hours_per_point_low > result.hours_per_point_high:
        raise ConfigError("[tool.fwlint.estimate] hours-per-point-low must not exceed hours-per-point-high")
    return result


def default_cache_dir(root: Path) -> Path:
    env = os.environ.get("FWLINT_CACHE_DIR")
    return Path(env) if env else root / ".fwlint_cache"
