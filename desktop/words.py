"""Plain words for numbers in messages ("1 sample", "3 samples"), without Qt."""

from __future__ import annotations


def plural(count: int, one: str, many: str) -> str:
    """``one`` for a count of 1, else ``many``."""
    return one if count == 1 else many


def counted(count: int, noun: str, nouns: str | None = None) -> str:
    """Say e.g. "1 sample" or "12 samples" (``nouns`` for irregular plurals)."""
    return f"{count:,} {plural(count, noun, nouns or noun + 's')}"
