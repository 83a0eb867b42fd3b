"""The figures of a run as it happens, without Qt: one growing array per figure."""

from __future__ import annotations

import operator

import numpy as np

from desktop.training.session import EpochFigures

REPORT_FIELDS = ("loss", "val_loss", "accuracy", "val_accuracy")  # read from an EpochReport


class EpochSeries:
    """Per-epoch figures in arrays that grow geometrically (flat memory per epoch)."""

    FIELDS = (*REPORT_FIELDS, "drawn_accuracy")

    def __init__(self) -> None:
        self.count = 0
        # Only the first ``count`` columns are ever read, and each is written in full, so
        # the rest stays uninitialised: filling megabytes with NaN when the arrays grew
        # cost a long run a frame at once (page faults).
        self._data = np.empty((len(self.FIELDS), 1024))

    def extend(self, epochs: list[EpochFigures]) -> None:
        """Append the figures of finished epochs (missing ones stored as NaN)."""
        needed = self.count + len(epochs)
        if needed > self._data.shape[1]:
            grown = np.empty((len(self.FIELDS), max(needed, 2 * self._data.shape[1])))
            grown[:, : self.count] = self._data[:, : self.count]
            self._data = grown
        # One conversion for the whole batch (None becomes NaN): a Python loop storing
        # epoch by epoch took twice as long in the GUI thread.
        report_figures = operator.attrgetter(*REPORT_FIELDS)
        rows = [(*report_figures(f.report), f.drawn_accuracy) for f in epochs]
        block = np.array(rows, dtype=float).reshape(len(epochs), len(self.FIELDS))
        self._data[:, self.count : needed] = block.T
        self.count = needed

    @classmethod
    def of(cls, figures: dict[str, np.ndarray]) -> EpochSeries:
        """A series holding ``figures`` (by name; missing ones NaN), e.g. a kept run's."""
        series = cls()
        count = max((len(values) for values in figures.values()), default=0)
        series._data = np.full((len(cls.FIELDS), max(count, 1)), np.nan)
        for row, name in enumerate(cls.FIELDS):
            if name in figures:
                series._data[row, : len(figures[name])] = figures[name]
        series.count = count
        return series

    def table(self) -> dict[str, np.ndarray]:
        """Every figure by name (copies), for keeping a run."""
        return {name: self[name].copy() for name in self.FIELDS}

    @property
    def capacity(self) -> int:
        """Epochs the arrays hold before they grow again."""
        return int(self._data.shape[1])

    def epochs(self) -> np.ndarray:
        """1, 2, ..., count."""
        return np.arange(1, self.count + 1)

    def __getitem__(self, name: str) -> np.ndarray:
        return self._data[self.FIELDS.index(name), : self.count]

    def curve(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(epochs, values) of ``name``; empty for a figure never measured (no validation)."""
        values = self[name]
        if self.count == 0 or np.isnan(values[0]):  # measured for every epoch or for none
            return np.empty(0), np.empty(0)
        return self.epochs(), values
