"""A faster answer to the question PySide6 asks about every module imported after it.

PySide6 replaces ``__import__`` to support ``from __feature__ import ...``, and after each
import asks whether the new module uses PySide6: it reads the module's source through
``inspect.getsource`` (tokenize, linecache) and searches it for "PySide6". Measured here,
that cost 65-78 ms of every launch: about 40 ms before the window shows and 25-30 ms in
the Train tab's pyqtgraph import, in the GUI thread (a known upstream cost, napari#8584).
:func:`speed_up_pyside_import_hook` answers the same question with a byte search of the
module's file: the same answer for all 1,449 modules the app, pyqtgraph and scikit-learn
load (checked, and kept so by a test), in a fifth of the time; anything that is not a
plain ``.py`` file still gets PySide6's own check.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"
CHECK_NAME = "_mod_uses_pyside"  # private to PySide6 (6.11 here); if absent, nothing changes

_pyside_check: Callable[[ModuleType], bool] | None = None


def uses_pyside(module: ModuleType) -> bool:
    """True if the module's source mentions PySide6 (PySide6's own rule)."""
    path = getattr(module, "__file__", None)
    if isinstance(path, str) and path.endswith(".py"):
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            pass  # not on disk as itself (a zip, say): PySide6's way below
    return _pyside_check(module) if _pyside_check is not None else False


def speed_up_pyside_import_hook() -> bool:
    """Let PySide6's import hook use :func:`uses_pyside`; False if there is nothing to do.

    Call it right after PySide6 is first imported (its hook module comes with it);
    before that, and on a PySide6 without this hook, it changes nothing.
    """
    global _pyside_check
    feature = sys.modules.get(FEATURE_MODULE)
    check = getattr(feature, CHECK_NAME, None)
    if check is None or check is uses_pyside:
        return False
    _pyside_check = check
    setattr(feature, CHECK_NAME, uses_pyside)
    return True
