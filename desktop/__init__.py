"""Digit Pad: the PySide6 desktop application around nncore."""

__version__ = "0.5.0"  # the single source: pyproject.toml reads it, CHANGELOG.md names it
