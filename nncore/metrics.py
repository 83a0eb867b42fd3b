"""Classification metrics on integer labels."""

from __future__ import annotations

import numpy as np


def accuracy_score(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Fraction of positions where ``y_true`` (n,) equals ``y_pred`` (n,)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1 or y_true.size == 0:
        raise ValueError(f"need two equal 1-D label arrays, got {y_true.shape} and {y_pred.shape}")
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Counts (n_classes, n_classes): row = true label, column = predicted label."""
    y_true, y_pred = np.asarray(y_true, dtype=np.int64), np.asarray(y_pred, dtype=np.int64)
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix


def calibration_error(
    probabilities: np.ndarray, y_true: np.ndarray, bins: int = 10
) -> tuple[float, list[tuple[float, float, float, int]]]:
    """Expected calibration error of class probabilities (n, k), and its reliability table.

    The highest probability of each row (its confidence) goes to one of ``bins`` equal
    bins of [0, 1]; the error is the gap between confidence and accuracy in each bin,
    weighted by the bin's share of rows. The table: (low, mean confidence, accuracy,
    count) per bin that holds rows.
    """
    probabilities, y_true = np.asarray(probabilities, dtype=np.float64), np.asarray(y_true)
    if probabilities.ndim != 2 or len(probabilities) != len(y_true) or not len(y_true):
        raise ValueError(
            f"need probabilities (n, k) and n labels, got {probabilities.shape} and {y_true.shape}"
        )
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == y_true
    # The top bin is closed ([0.9, 1.0]): a confidence of exactly 1 belongs to it.
    which = np.minimum((confidence * bins).astype(np.int64), bins - 1)
    table, error = [], 0.0
    for b in range(bins):
        members = which == b
        if members.any():
            mean_confidence, accuracy = (
                float(confidence[members].mean()),
                float(correct[members].mean()),
            )
            error += members.mean() * abs(mean_confidence - accuracy)
            table.append((b / bins, mean_confidence, accuracy, int(members.sum())))
    return float(error), table
