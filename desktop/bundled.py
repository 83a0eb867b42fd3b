"""Files that ship with Digit Pad (``resources/``, installed as ``desktop.resources``)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

# A source checkout keeps the files in resources/ beside desktop/; only packaging (and
# an editable install) maps that folder to desktop.resources.
CHECKOUT_RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def bundled_folder() -> Traversable:
    """The folder of bundled files: the installed ``desktop.resources``, or a checkout's.

    ``python -m desktop`` run inside a clone imports the clone's ``desktop/`` (Python
    puts the working folder first on its path), even when another copy is installed;
    that copy has no ``desktop.resources``, but its checkout has ``resources/``.
    """
    try:
        return resources.files("desktop.resources")
    except ModuleNotFoundError:
        return CHECKOUT_RESOURCES


def read_bundled(name: str, read: Callable[[Path], T]) -> T:
    """``read(path)`` of the bundled file ``name``, from a checkout or an installed wheel."""
    with resources.as_file(bundled_folder().joinpath(name)) as path:
        return read(path)
