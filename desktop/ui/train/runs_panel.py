"""The Train tab's Runs panel: every run kept, to sort, compare, overlay and go on from.

A thin view of the :class:`RunLedger`: the table (``runsTable``), the selected runs'
actions, their name and note, the comparison of two, and the models' size budget. What
the actions do to a run's model (use it, continue it) the Train tab and the window do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.data.run_ledger import DEFAULT_BUDGET_MB, RunLedger, RunRecord
from desktop.training.recording import continuation, settings_of
from desktop.training.run_comparison import labels
from desktop.training.series import EpochSeries
from desktop.ui import settings as keys
from desktop.ui.train.run_comparison_view import RunComparison
from desktop.ui.train.runs_model import RunsModel
from desktop.ui.widgets.controls import named_button, reserved_label, say_within, show_error

MB = 1 << 20
FIT_ROWS = 30
FORM_KINDS = ("train", "continue", "lr-test")  # runs of the form's settings
GOING_ON = ("train", "continue")  # runs that can be continued
PER_EPOCH = GOING_ON  # runs whose figures are per epoch (the plots' kind)


class RunsPanel(QWidget):
    """The kept runs; emits what the user asks of the selected ones."""

    overlay_requested = Signal(list)  # [(label, EpochSeries)] of the selected runs, when idle
    load_settings_requested = Signal(object)  # TrainingConfig
    continue_requested = Signal(object)  # Continuation
    use_requested = Signal(object)  # Path of its model
    save_requested = Signal(object)  # Path of its model
    problem_found = Signal(str)  # history became unavailable: said once, in plain words

    def __init__(self, ledger: RunLedger, settings: QSettings | None = None,
                 more_epochs: Callable[[], int] = lambda: 10,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.ledger = ledger
        self.more_epochs = more_epochs  # how many epochs Continue adds
        self.settings = settings
        self.settings_notices: list[str] = []  # remembered values that had to be reset
        self.model = RunsModel()
        self.table = QTableView()
        self.table.setObjectName("runsTable")
        self.table.setAccessibleName("Runs")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # newest first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(24)
        # Columns fit the first rows, not all (Qt reads 1,000 by default: every cell of a
        # long history through Python, a quarter of a second).
        header.setResizeContentsPrecision(FIT_ROWS)
        self.table.setMinimumHeight(120)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.star_button = named_button("☆ Star", "starButton", slot=self._on_star_clicked,
                                        tip="Starred runs keep their model for ever")  # fmt: skip
        self.load_button = named_button("Load settings", "loadSettingsButton",
                                        slot=self._on_load_clicked,
                                        tip="Put this run's settings in the form")  # fmt: skip
        self.continue_button = named_button(
            "Continue", "continueButton", slot=self._on_continue_clicked,
            tip="Train this run for the form's number of epochs more, where it stopped",
        )  # fmt: skip
        self.use_button = named_button("Use", "useRunButton", slot=self._on_use_clicked,
                                       tip="Recognise drawings with this run's model")  # fmt: skip
        self.save_button = named_button("Save model…", "saveRunButton",
                                        slot=self._on_save_clicked)  # fmt: skip
        self.delete_button = named_button("Delete", "deleteRunsButton",
                                          slot=self._on_delete_clicked)  # fmt: skip
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("runNameEdit")
        self.name_edit.setPlaceholderText("Name")
        self.name_edit.setAccessibleName("Run name")
        self.name_edit.editingFinished.connect(lambda: self._change("name", self.name_edit))
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("runNoteEdit")
        self.note_edit.setPlaceholderText("Note")
        self.note_edit.setAccessibleName("Run note")
        self.note_edit.editingFinished.connect(lambda: self._change("note", self.note_edit))
        self.budget_spin = QSpinBox()
        self.budget_spin.setObjectName("runsBudgetSpin")
        self.budget_spin.setRange(0, 100_000)
        self.budget_spin.setSuffix(" MB")
        self.budget_spin.setAccessibleName("Size budget for the runs' models")
        self.budget_spin.setToolTip("Unstarred runs keep their models within this size, the "
                                    "newest first; starred ones always keep theirs")  # fmt: skip
        self.budget_spin.setValue(self._saved_budget())
        self.budget_spin.editingFinished.connect(self._on_budget_changed)
        self.diff_label = reserved_label("", "runsDiffLabel", 2)
        self.comparison = RunComparison()
        self.notice_label = reserved_label("", "runsNotice", 1)

        # Three actions a row, and the fields in rows of their own: the middle column of
        # the Train tab stays narrow enough for the results beside it.
        actions = QGridLayout()
        for number, button in enumerate((
            self.continue_button, self.load_button, self.use_button,
            self.star_button, self.save_button, self.delete_button,
        )):  # fmt: skip
            actions.addWidget(button, number // 3, number % 3)
        details = QHBoxLayout()
        details.addWidget(self.name_edit, 1)
        details.addWidget(self.note_edit, 2)
        budget = QHBoxLayout()
        budget.addWidget(QLabel("Model budget:"))
        budget.addWidget(self.budget_spin, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addLayout(details)
        layout.addWidget(self.diff_label)
        layout.addWidget(self.comparison)
        layout.addWidget(self.notice_label)
        layout.addLayout(budget)
        self._busy = False
        self._sized = False  # the columns fitted to the runs
        self._problem_said = False
        self.ledger.changed_elsewhere()  # from here on, what others write
        self.refresh()

    def refresh(self) -> None:
        """Read the ledger again (a run ended, or another window recorded one)."""
        chosen = {run.id for run in self.selected()}
        self.model.set_runs(self.ledger.runs(), self.ledger.model_of)
        picked = QItemSelection()  # selected again in one change: one overlay, not one a run
        for row, run in enumerate(self.model.runs):
            if run.id in chosen:
                picked.select(self.model.index(row, 0), self.model.index(row, 0))
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().select(picked, flags.Select | flags.Rows)
        self._show_usage()
        self._update_actions()
        if self.model.runs and not self._sized:  # once: later the user's widths stand
            self._sized = True
            self.table.resizeColumnsToContents()

    def refresh_if_changed(self) -> None:
        """Read the ledger again if another window recorded or changed runs meanwhile."""
        if self.ledger.changed_elsewhere():
            self.refresh()

    def selected(self) -> list[RunRecord]:
        """The selected runs, in the table's order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.runs[row] for row in rows]

    def set_busy(self, busy: bool) -> None:
        """While a run trains: no continuing, loading or deleting, and the plots show it."""
        self._busy = busy
        if busy:
            self.table.clearSelection()  # else its overlay would come back when the run ends
        self._update_actions()

    def refresh_within_budget(self) -> None:
        """Remove the models of the oldest unstarred runs beyond the budget, then refresh."""
        self.ledger.keep_within(self.budget_spin.value() * MB)
        self.refresh()

    def _show_usage(self) -> None:
        used = self.ledger.kept_bytes() / MB
        say_within(self.notice_label, self.ledger.problem or f"Models kept: {used:,.1f} MB")
        if self.ledger.problem and not self._problem_said:
            self._problem_said = True
            self.problem_found.emit(self.ledger.problem)

    def _update_actions(self) -> None:
        runs = self.selected()
        one = runs[0] if len(runs) == 1 else None
        model = self.ledger.model_of(one) if one is not None else None
        has_model = model is not None and model.is_file()
        self.star_button.setEnabled(one is not None)
        self.star_button.setText("★ Starred" if one is not None and one.starred else "☆ Star")
        kind = one.kind if one is not None else ""
        self.load_button.setEnabled(kind in FORM_KINDS and not self._busy)
        self.continue_button.setEnabled(has_model and not self._busy and kind in GOING_ON)
        self.use_button.setEnabled(has_model)
        self.save_button.setEnabled(has_model)
        self.delete_button.setEnabled(bool(runs) and not self._busy)
        for edit, value in ((self.name_edit, one.name if one else ""),
                            (self.note_edit, one.note if one else "")):  # fmt: skip
            edit.setEnabled(one is not None)
            if not edit.hasFocus():
                edit.setText(value)
        say_within(self.diff_label, self.comparison.compare(runs))

    def _on_selection_changed(self, *_: QItemSelection) -> None:
        self._update_actions()
        if self._busy:  # a run in progress keeps its own curves on the plots
            return
        runs = [run for run in self.selected() if run.kind in PER_EPOCH]
        names = labels([run.title for run in runs], [run.config for run in runs])
        self.overlay_requested.emit([(name, EpochSeries.of(self.ledger.figures(run.id)))
                                     for name, run in zip(names, runs, strict=True)])  # fmt: skip

    def _change(self, key: str, edit: QLineEdit) -> None:
        runs = self.selected()
        if len(runs) == 1 and getattr(runs[0], key) != edit.text():
            self.ledger.change(runs[0].id, **{key: edit.text()})
            self.refresh()

    def _on_star_clicked(self) -> None:
        runs = self.selected()
        if len(runs) == 1:
            self.ledger.change(runs[0].id, starred=not runs[0].starred)
            self.refresh()

    def _on_load_clicked(self) -> None:
        runs = self.selected()
        config = settings_of(runs[0]) if runs else None
        if config is not None:
            self.load_settings_requested.emit(config)

    def _on_continue_clicked(self) -> None:
        if len(self.selected()) != 1:
            return
        more = continuation(self.ledger, self.selected()[0], self.more_epochs())
        if isinstance(more, str):
            show_error(self, "This run cannot be continued", more)
        else:
            self.continue_requested.emit(more)

    def _model_of_selected(self) -> Path | None:
        runs = self.selected()
        return self.ledger.model_of(runs[0]) if len(runs) == 1 else None

    def _on_use_clicked(self) -> None:
        path = self._model_of_selected()
        if path is not None:
            self.use_requested.emit(path)

    def _on_save_clicked(self) -> None:
        path = self._model_of_selected()
        if path is not None:
            self.save_requested.emit(path)

    def _on_delete_clicked(self) -> None:
        runs = self.selected()
        if runs:
            self.ledger.delete(runs)
            self.table.clearSelection()
            self.refresh()

    def _saved_budget(self) -> int:
        if self.settings is None:
            return DEFAULT_BUDGET_MB
        checked = keys.CheckedSettings(self.settings)
        budget = checked.number(keys.RUNS_BUDGET, "The runs' size budget", 0, 100_000,
                                DEFAULT_BUDGET_MB)  # fmt: skip
        self.settings_notices = checked.notices
        return budget

    def _on_budget_changed(self) -> None:
        if self.settings is not None:
            self.settings.setValue(keys.RUNS_BUDGET, self.budget_spin.value())
        self.refresh_within_budget()
