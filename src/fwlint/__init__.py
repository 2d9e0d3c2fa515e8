"""fwlint: a static-analysis migration linter for Flask and Django applications."""

__version__ = "0.1.0"
