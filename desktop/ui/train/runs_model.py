"""The run ledger as a Qt table model: one row per kept run, sortable by any column.

Each column is one entry of :data:`COLUMNS`: its title, what it shows and what it sorts
by (numbers sort as numbers, a run without a figure sorts below every run with one).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.data.run_ledger import RunRecord
from desktop.training.config import TrainingConfig
from desktop.training.run_clock import duration

SORT_ROLE = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def _settings(run: RunRecord) -> str:
    config = TrainingConfig.from_json(json.dumps(run.config))
    if config is not None:
        return config.summary()
    return ", ".join(f"{key} {value}" for key, value in run.config.items())


# title, shown text, sort key: each a function of the run (and of its model's state).
Column = tuple[str, Callable[[RunRecord, str], str], Callable[[RunRecord, str], Any]]
COLUMNS: tuple[Column, ...] = (
    ("★", lambda r, _: "★" if r.starred else "", lambda r, _: r.starred),
    ("Run", lambda r, _: r.title, lambda r, _: r.id),
    ("Kind", lambda r, _: r.kind, lambda r, _: r.kind),
    ("Ended", lambda r, _: r.ending, lambda r, _: r.ending),
    ("Epochs", lambda r, _: f"{r.epochs:,}", lambda r, _: r.epochs),
    ("Test", lambda r, _: _percent(r.test_accuracy), lambda r, _: r.test_accuracy or -1.0),
    ("Drawn", lambda r, _: _percent(r.drawn_accuracy), lambda r, _: r.drawn_accuracy or -1.0),
    ("Time", lambda r, _: duration(r.seconds), lambda r, _: r.seconds),
    ("Model", lambda _, model: model, lambda _, model: model),
    ("Settings", lambda r, _: _settings(r), lambda r, _: _settings(r)),
    ("Started", lambda r, _: f"{datetime.datetime.fromtimestamp(r.started):%Y-%m-%d %H:%M}",
     lambda r, _: r.started),
)  # fmt: skip


class RunsModel(QAbstractTableModel):
    """The runs of a ledger (newest first until sorted otherwise)."""

    def __init__(self) -> None:
        super().__init__()
        self.runs: list[RunRecord] = []
        self._models: list[str] = []  # each run's model: kept, removed, missing or none

    def set_runs(self, runs: list[RunRecord], model_of: Callable[[RunRecord], Path | None]) -> None:
        """Show ``runs``; ``model_of`` says where each one's model file should be."""
        self.beginResetModel()
        self.runs = runs
        self._models = [_model_state(run, model_of(run)) for run in runs]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  # Qt's signature
        """Runs shown (none under a parent: a flat table)."""
        return 0 if parent.isValid() else len(self.runs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One per entry of :data:`COLUMNS`."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The text, the sort key, or the tooltip of a cell."""
        run, model = self.runs[index.row()], self._models[index.row()]
        _, text, key = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text(run, model)
        if role == SORT_ROLE:
            return key(run, model)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(part for part in (run.note, run.message, _settings(run)) if part)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        """The columns' titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None


def _model_state(run: RunRecord, path: Path | None) -> str:
    """Whether ``run``'s model file is there: kept, removed (budget), missing, or none."""
    if run.model_file is None:
        return "removed" if run.ending in ("finished", "stopped") and run.epochs else "none"
    return "kept" if path is not None and path.is_file() else "missing"
