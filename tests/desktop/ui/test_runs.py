"""The Runs panel: every run kept, sorted, overlaid, compared, continued and managed.

Real runs in the real training process, real mouse clicks on the table.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from small_corpus import small_corpus

from desktop.data.user_database import DATABASE_NAME
from desktop.training.config import HiddenLayer, TrainingConfig
from desktop.ui.tabs.train_tab import TrainTab
from desktop.ui.train.runs_model import COLUMNS
from nncore import Network

SMALL = TrainingConfig(hidden=(HiddenLayer(16, "relu"),), epochs=4, batch_size=32)
COLUMN = {title: number for number, (title, *_) in enumerate(COLUMNS)}


@pytest.fixture
def train_tab(qtbot, window) -> TrainTab:
    window.tabs.setCurrentWidget(window.train_tab)
    qtbot.waitUntil(lambda: len(window.train_tab.plots.charts) == 2, timeout=10_000)
    window.train_tab.corpus = small_corpus(300)
    return window.train_tab


def _run(qtbot, tab: TrainTab, **changes: object):
    tab.form.set_config(SMALL.with_changes(**changes))
    with qtbot.waitSignal(tab.training_finished, timeout=60_000) as finished:
        qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.is_running, timeout=10_000)
    return finished.args[0]


def _click_row(qtbot, tab: TrainTab, row: int, *, add: bool = False) -> None:
    table = tab.runs.table
    tab.side_pages.setCurrentWidget(tab.runs)
    qtbot.waitUntil(table.isVisible)
    centre = table.visualRect(table.model().index(row, COLUMN["Run"])).center()
    modifier = Qt.KeyboardModifier.ControlModifier if add else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, centre)


def _shown(tab: TrainTab, column: str) -> list[str]:
    model = tab.runs.table.model()
    return [model.index(row, COLUMN[column]).data() for row in range(model.rowCount())]


def test_every_run_is_kept_and_the_history_shows_at_the_next_start(
    qtbot, train_tab, settings, tmp_path
) -> None:
    from desktop.app import MainWindow

    first = _run(qtbot, train_tab)
    _run(qtbot, train_tab, optimizer="sgd", learning_rate=0.1)
    assert _shown(train_tab, "Run") == ["Run 2", "Run 1"]  # newest first
    assert _shown(train_tab, "Ended") == ["finished", "finished"]
    assert _shown(train_tab, "Test")[1] == f"{first.test.accuracy:.1%}"
    assert _shown(train_tab, "Model") == ["kept", "kept"]
    kept = train_tab.recorder.ledger.runs()[1]
    model = Network.load(train_tab.recorder.ledger.model_of(kept))
    assert np.array_equal(model.get_params(), first.network.get_params())

    again = MainWindow(settings=settings, samples_folder=tmp_path / "samples")
    qtbot.addWidget(again)
    try:
        assert again.train_tab.side_pages.currentWidget() is again.train_tab.runs
        assert again.train_tab.runs.model.rowCount() == 2
    finally:
        again.close()


def test_selected_runs_are_overlaid_named_by_what_differs_and_compared(qtbot, train_tab) -> None:
    tab = train_tab
    _run(qtbot, tab)
    _run(qtbot, tab, optimizer="sgd", learning_rate=0.1)
    _click_row(qtbot, tab, 0)
    _click_row(qtbot, tab, 1, add=True)
    cost = tab.plots.cost_plot
    shown = [curve for curve in cost.overlays if curve.isVisible()]
    assert len(shown) == 4  # two runs, training and validation cost each
    assert {len(curve.getData()[0]) for curve in shown} == {SMALL.epochs}
    assert not cost.curves["loss"].isVisible()
    key = tab.plots.key_label.toolTip() or tab.plots.key_label.text()
    assert "Run 1: adam, lr 0.001" in key and "Run 2: sgd, lr 0.1" in key
    said = tab.runs.diff_label.toolTip() or tab.runs.diff_label.text()
    assert "learning rate 0.001 → 0.1" in said and "optimizer adam → sgd" in said
    side_by_side = tab.runs.comparison  # the same, as a table: a row per setting, a column per run
    assert side_by_side.isVisible() and side_by_side.rowCount() == 2
    rows = {side_by_side.verticalHeaderItem(r).text(): (side_by_side.item(r, 0).text(),
            side_by_side.item(r, 1).text()) for r in range(2)}  # fmt: skip
    assert rows == {"optimizer": ("adam", "sgd"), "learning rate": ("0.001", "0.1")}
    tab.runs.table.clearSelection()  # back to the last run's own curves
    assert not any(curve.isVisible() for curve in cost.overlays)
    assert cost.curves["loss"].isVisible()


def test_the_table_sorts_by_a_figure_when_its_header_is_clicked(qtbot, train_tab) -> None:
    tab = train_tab
    for learning_rate in (1e-4, 1e-2, 1e-3):
        _run(qtbot, tab, learning_rate=learning_rate)
    header = tab.runs.table.horizontalHeader()
    tab.side_pages.setCurrentWidget(tab.runs)
    qtbot.waitUntil(header.isVisible)
    x = header.sectionViewportPosition(COLUMN["Test"]) + header.sectionSize(COLUMN["Test"]) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    shown = [float(text.rstrip("%")) for text in _shown(tab, "Test")]
    assert len(shown) == 3 and shown in (sorted(shown), sorted(shown, reverse=True))


def test_continue_goes_on_exactly_where_the_run_ended(qtbot, train_tab) -> None:
    tab = train_tab
    straight = _run(qtbot, tab, epochs=6, optimizer="adam")
    _run(qtbot, tab, epochs=3, optimizer="adam")
    _click_row(qtbot, tab, 0)  # the 3-epoch run
    tab.form.epochs_spin.setValue(3)
    with qtbot.waitSignal(tab.training_finished, timeout=60_000) as finished:
        qtbot.mouseClick(tab.runs.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.is_running, timeout=10_000)
    continued = finished.args[0]
    assert np.array_equal(continued.network.get_params(), straight.network.get_params())
    assert tab.plots.series.count == 6  # the first three epochs, then three more
    # The plots show the run that just ended, not the one selected to continue.
    assert tab.plots.overlaid == [] and tab.plots.cost_plot.curves["loss"].isVisible()
    assert "Finished 3 more epochs (6 in all)" in tab.results.test_label.text()
    newest = tab.recorder.ledger.runs()[0]
    assert (newest.kind, newest.parent, newest.epochs) == ("continue", 2, 6)
    assert newest.config["epochs"] == 6


def test_star_name_delete_and_load_settings(qtbot, train_tab) -> None:
    tab = train_tab
    _run(qtbot, tab, seed=5)
    _click_row(qtbot, tab, 0)
    qtbot.mouseClick(tab.runs.star_button, Qt.MouseButton.LeftButton)
    assert _shown(tab, "★") == ["★"]
    tab.runs.name_edit.setFocus()
    qtbot.keyClicks(tab.runs.name_edit, "small net")
    qtbot.keyClick(tab.runs.name_edit, Qt.Key.Key_Return)
    assert _shown(tab, "Run") == ["small net"]
    tab.form.set_config(TrainingConfig())
    qtbot.mouseClick(tab.runs.load_button, Qt.MouseButton.LeftButton)
    assert tab.form.config() is not None and tab.form.config().seed == 5
    model = tab.recorder.ledger.model_of(tab.recorder.ledger.runs()[0])
    qtbot.mouseClick(tab.runs.delete_button, Qt.MouseButton.LeftButton)
    assert tab.runs.model.rowCount() == 0 and not model.exists()


def test_a_model_file_that_vanished_shows_as_missing(qtbot, train_tab) -> None:
    tab = train_tab
    _run(qtbot, tab)
    tab.recorder.ledger.model_of(tab.recorder.ledger.runs()[0]).unlink()
    tab.runs.refresh()
    assert _shown(tab, "Model") == ["missing"]
    _click_row(qtbot, tab, 0)
    assert not tab.runs.continue_button.isEnabled() and not tab.runs.use_button.isEnabled()


def test_early_stopping_ends_the_run_and_marks_the_best_epoch(qtbot, train_tab) -> None:
    tab = train_tab
    # A rate this high overfits 270 samples within a few epochs: validation cost rises.
    result = _run(qtbot, tab, epochs=300, learning_rate=0.05, patience=3, validation_split=0.2)
    assert result.stopped_early and result.best_epoch is not None
    assert result.epochs_run < 300 and result.epochs_run == result.best_epoch + 3
    assert tab.plots.cost_plot.best_line.isVisible()
    assert tab.plots.cost_plot.best_line.value() == result.best_epoch
    assert "Stopped early" in tab.status_label.text()
    assert "kept epoch" in tab.recorder.ledger.runs()[0].message


def test_a_locked_database_never_stops_training(qtbot, train_tab, tmp_path) -> None:
    other = sqlite3.connect(tmp_path / "samples" / DATABASE_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the user's data
    try:
        result = _run(qtbot, train_tab)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.epochs_run == SMALL.epochs
    assert "Run history is unavailable" in train_tab.runs.notice_label.text()
    qtbot.waitUntil(
        lambda: (
            "Run history is unavailable"
            in train_tab.status_label.toolTip() + train_tab.status_label.text()
        )
    )  # said on the Train tab too, once
    assert "locked" in (train_tab.runs.notice_label.toolTip() or train_tab.runs.notice_label.text())


def test_the_learning_rate_test_suggests_a_rate_to_apply_and_is_kept(qtbot, train_tab) -> None:
    from PySide6.QtWidgets import QPushButton, QWidget

    from desktop.ui.train.learning_rate_finder import LearningRateDialog

    tab = train_tab
    tab.form.set_config(SMALL)
    qtbot.mouseClick(tab.lr_button, Qt.MouseButton.LeftButton)
    assert tab.is_running and not tab.train_button.isEnabled()
    qtbot.waitUntil(lambda: tab.finder.dialog is not None and tab.finder.dialog.isVisible(),
                    timeout=30_000)  # fmt: skip
    dialog: LearningRateDialog = tab.finder.dialog
    plot = dialog.findChild(QWidget, "rangeTestPlot")
    assert plot is not None and plot.getAxis("bottom").logMode  # learning rate on a log axis
    suggested = dialog.test.suggested
    assert suggested is not None and f"{suggested:g}" in dialog.explanation.text()
    apply = dialog.findChild(QPushButton, "applyLearningRateButton")
    qtbot.mouseClick(apply, Qt.MouseButton.LeftButton)
    assert tab.form.learning_rate_edit.text() == f"{suggested:g}"
    qtbot.waitUntil(lambda: not tab.is_running, timeout=10_000)
    (kept,) = tab.recorder.ledger.runs()
    assert kept.kind == "lr-test" and f"{suggested:g}" in kept.message
    assert len(tab.recorder.ledger.figures(kept.id)["learning_rate"]) == len(dialog.test.losses)


def test_use_and_save_a_kept_runs_model_and_keep_models_within_the_budget(
    qtbot, window, train_tab, tmp_path, monkeypatch
) -> None:
    from desktop.ui import menus

    tab = train_tab
    first = _run(qtbot, tab)
    _run(qtbot, tab, seed=3)
    _click_row(qtbot, tab, 1)  # the first run
    qtbot.mouseClick(tab.runs.use_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: np.array_equal(window.recognizer.network.get_params(),
                                           first.network.get_params()), timeout=10_000)  # fmt: skip
    copy = tmp_path / "copy.npz"
    # The file dialog is the one part not driven here: the user's answer is given.
    monkeypatch.setattr(menus, "choose_file_to_save", lambda *args: str(copy))
    qtbot.mouseClick(tab.runs.save_button, Qt.MouseButton.LeftButton)
    assert np.array_equal(Network.load(copy).get_params(), first.network.get_params())

    qtbot.mouseClick(tab.runs.star_button, Qt.MouseButton.LeftButton)  # the first run: kept
    tab.runs.budget_spin.setValue(0)
    tab.runs.budget_spin.editingFinished.emit()  # as when the user leaves the field
    assert _shown(tab, "Model") == ["removed", "kept"]  # newest first; the starred one stays
    assert window.settings.value("train/runs_budget_mb") in (0, "0")
