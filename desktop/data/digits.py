"""scikit-learn's ``load_digits`` and the one held-out test split every figure uses.

load_digits (UCI optdigits' test part: 1,797 glyphs of 13 writers) is the project's
reference set. A stratified 20 % of it, drawn with a fixed seed, is never trained on by
the bundled model, the Train tab or fine-tuning, so their test figures compare.
"""

from __future__ import annotations

import numpy as np

from nncore import train_test_split

TEST_SHARE = 0.2
SPLIT_SEED = 0
TRAIN_SIZE = 1438  # glyphs in the training part (stratified rounding of 80 % of 1,797)


def load_digit_images() -> tuple[np.ndarray, np.ndarray]:
    """``load_digits``: features (1797, 8, 8) in 0..16 and labels (1797,).

    Imports scikit-learn on first use (about 3 s): call it off the GUI thread.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.images.astype(np.float64), digits.target.astype(np.int64)


def split_load_digits(
    images: np.ndarray, labels: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(train_images, test_images, train_labels, test_labels)``: the fixed held-out split."""
    return train_test_split(images, labels, 1 - TEST_SHARE, stratify=labels, seed=SPLIT_SEED)
