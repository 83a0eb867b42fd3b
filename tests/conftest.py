"""Shared test set-up: Qt renders offscreen, and the digits data set is loaded once."""

from __future__ import annotations

import os

# Must be set before any QApplication exists, or Qt aborts without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest


@pytest.fixture(scope="session")
def digits() -> tuple[np.ndarray, np.ndarray]:
    """``load_digits`` as features (1797, 64) in 0..16 and integer labels (1797,)."""
    from sklearn.datasets import load_digits

    data = load_digits()
    return data.data, data.target
