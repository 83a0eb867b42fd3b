"""The run ledger as a Qt table model: one row per kept run, sortable by any column.

Each column is one entry of :data:`COLUMNS`: its title, what it shows and what it sorts
by (numbers sort as numbers, a run without a figure sorts below every run with one).
The model sorts itself, one key per run (a sort proxy compares rows through Python calls,
several thousand for 1,000 runs: a pause the user sees).
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.data.run_ledger import RunRecord
from desktop.training.config import TrainingConfig
from desktop.training.run_clock import duration

Index = QModelIndex | QPersistentModelIndex


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


@functools.lru_cache(maxsize=4096)
def _summary(config_json: str) -> str:
    config = TrainingConfig.from_json(config_json)
    return "" if config is None else config.summary()


def _settings(run: RunRecord) -> str:
    config = _summary(json.dumps(run.config, sort_keys=True))
    if config:
        return config
    return ", ".join(f"{key} {value}" for key, value in run.config.items())


# title, shown text, sort key: each a function of the run (and of its model's state).
Column = tuple[str, Callable[[RunRecord, str], str], Callable[[RunRecord, str], Any]]
COLUMNS: tuple[Column, ...] = (
    ("★", lambda r, _: "★" if r.starred else "", lambda r, _: r.starred),
    ("Run", lambda r, _: r.title, lambda r, _: r.id),
    ("Drawn", lambda r, _: _percent(r.drawn_accuracy), lambda r, _: r.drawn_accuracy or -1.0),
    ("Test", lambda r, _: _percent(r.test_accuracy), lambda r, _: r.test_accuracy or -1.0),
    ("Ended", lambda r, _: r.ending, lambda r, _: r.ending),
    ("Epochs", lambda r, _: f"{r.epochs:,}", lambda r, _: r.epochs),
    ("Time", lambda r, _: duration(r.seconds), lambda r, _: r.seconds),
    ("Kind", lambda r, _: r.kind, lambda r, _: r.kind),
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
        self._order = (1, Qt.SortOrder.DescendingOrder)  # newest first

    def set_runs(self, runs: list[RunRecord], model_of: Callable[[RunRecord], Path | None]) -> None:
        """Show ``runs`` in the current order; ``model_of`` says where each one's model is."""
        self.beginResetModel()
        self.runs = runs
        self._models = [_model_state(run, model_of(run)) for run in runs]
        self._arrange()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the runs by ``column`` (the table's header asks); the selection follows."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self.runs[index.row()].id for index in before]
        self._order = (column, order)
        self._arrange()
        rows = {run.id: row for row, run in enumerate(self.runs)}
        self.changePersistentIndexList(
            before,
            [self.index(rows[i], index.column()) for i, index in zip(ids, before, strict=True)],
        )
        self.layoutChanged.emit()

    def _arrange(self) -> None:
        column, order = self._order
        key = COLUMNS[column][2]
        pairs = sorted(zip(self.runs, self._models, strict=True), key=lambda pair: key(*pair),
                       reverse=order == Qt.SortOrder.DescendingOrder)  # fmt: skip
        self.runs = [run for run, _ in pairs]
        self._models = [model for _, model in pairs]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  # Qt's signature
        """Runs shown (none under a parent: a flat table)."""
        return 0 if parent.isValid() else len(self.runs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One per entry of :data:`COLUMNS`."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The text, the sort key, or the tooltip of a cell."""
        run, model = self.runs[index.row()], self._models[index.row()]
        _, text, _ = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text(run, model)
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
