"""Files that ship with Digit Pad (``resources/``, installed as ``desktop.resources``)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def read_bundled(name: str, read: Callable[[Path], T]) -> T:
    """``read(path)`` of the bundled file ``name``, from a checkout or an installed wheel."""
    with resources.as_file(resources.files("desktop.resources").joinpath(name)) as path:
        return read(path)
