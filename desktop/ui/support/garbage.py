"""Garbage collection that never costs the window a frame."""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Leave what start-up made (Qt wrappers, pyqtgraph, NumPy) out of garbage collection.

    CPython's ``gc.freeze`` is meant for this: objects that live as long as the process
    are never collected, yet a full collection walks them all, which took more than a
    frame in the GUI thread during runs of very fast epochs (each epoch's figures are new
    objects, so collections keep coming). Later objects are collected as usual.
    """
    gc.freeze()
