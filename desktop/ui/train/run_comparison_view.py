"""Two kept runs side by side: each setting in which they differ, one row each."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.data.run_ledger import RunRecord
from desktop.training.run_comparison import differences

HELP = "Select two runs to compare their settings; several to overlay their curves."
ROWS_SHOWN = 4  # rows of differences before the table scrolls


class RunComparison(QTableWidget):
    """The settings two runs differ in (rows) for each run (columns); hidden otherwise."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.setObjectName("runsDiffTable")
        self.setAccessibleName("Settings that differ between the two selected runs")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        rows = self.verticalHeader().defaultSectionSize() * ROWS_SHOWN
        self.setFixedHeight(rows + self.horizontalHeader().sizeHint().height() + 4)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # showing it moves nothing
        self.setSizePolicy(policy)
        self.setVisible(False)

    def compare(self, runs: list[RunRecord]) -> str:
        """Show two runs' differences (oldest first); a line saying what was compared."""
        if len(runs) != 2:
            self.setVisible(False)
            return HELP
        first, second = sorted(runs, key=lambda run: run.id)
        changes = differences(first.config, second.config)
        self.setRowCount(len(changes))
        self.setHorizontalHeaderLabels([first.title, second.title])
        self.setVerticalHeaderLabels([name for name, _, _ in changes])
        for row, (_, a, b) in enumerate(changes):
            self.setItem(row, 0, QTableWidgetItem(a))
            self.setItem(row, 1, QTableWidgetItem(b))
        self.setVisible(bool(changes))
        if not changes:
            return f"{first.title} and {second.title} have the same settings."
        return f"{first.title} → {second.title}: " + "; ".join(
            f"{name} {a} → {b}" for name, a, b in changes
        )
