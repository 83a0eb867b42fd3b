"""Teaching it your handwriting: labelling, the samples dialog, fine-tuning (real GUI)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from drawn_strokes import DIGITS
from mouse import draw_digit
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QLabel, QMessageBox

from desktop.data.personal_samples import SampleStore
from desktop.data.synthetic import draw_template, sample_strokes
from desktop.recognizer import Recognizer
from nncore import Network

SERIF_ONE = [[(0.2, 0.0), (0.8, 0.0)], [(0.5, 0.0), (0.5, 1.0)], [(0.2, 1.0), (0.8, 1.0)]]


def _label_with_key(qtbot, window, digit: int, strokes) -> None:
    canvas = window.draw_tab.canvas
    draw_digit(canvas, strokes)
    canvas.setFocus()
    qtbot.keyClick(canvas, getattr(Qt.Key, f"Key_{digit}"))


def test_a_digit_key_keeps_the_drawing_as_a_labelled_sample(qtbot, window) -> None:
    _label_with_key(qtbot, window, 7, DIGITS[7])
    store = window.samples
    assert [s.label for s in store.samples] == [7]
    sample = store.samples[0]
    assert sample.features.shape == (8, 8) and sample.features.sum() > 200
    assert len(sample.strokes) == 1 and len(sample.strokes[0]) > 10
    assert window.draw_tab.canvas.drawing.strokes == ()  # cleared for the next one
    assert "Kept as 7: you have 1 of 7" in window.draw_tab.samples_label.text()
    assert "Your samples (1): 0: 0  1: 0" in window.draw_tab.samples_label.text()
    assert "7: 1" in window.draw_tab.samples_label.text()


def test_clicking_a_bar_says_which_digit_it_really_was(qtbot, window) -> None:
    draw_digit(window.draw_tab.canvas, DIGITS[1])
    window.draw_tab.predict()
    chart = window.draw_tab.panel.chart
    assert window.draw_tab.prediction.probabilities[4] < 0.05  # 4's bar is almost nothing

    def click(digit: int, value: float) -> None:
        point = chart.point_at(digit, value).toPoint()
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=point)

    click(4, 0.6)  # empty space high above the bar: an accident, not an answer
    assert window.samples.samples == []
    click(4, 0.05)  # at the bar's foot
    assert [s.label for s in window.samples.samples] == [4]


def test_a_digit_key_on_an_empty_canvas_keeps_nothing(qtbot, window) -> None:
    window.draw_tab.canvas.setFocus()
    qtbot.keyClick(window.draw_tab.canvas, Qt.Key.Key_3)
    assert window.samples.samples == []
    assert "Draw a digit first" in window.draw_tab.samples_label.text()


def test_samples_survive_a_restart(qtbot, window, tmp_path) -> None:
    _label_with_key(qtbot, window, 2, DIGITS[2])
    _label_with_key(qtbot, window, 0, DIGITS[0])
    again = SampleStore(tmp_path / "samples")
    assert [s.label for s in again.samples] == [2, 0]


def test_the_dialog_reviews_deletes_exports_and_refuses_a_bad_import(qtbot, window, tmp_path):
    for digit in (0, 1, 2):
        _label_with_key(qtbot, window, digit, DIGITS[digit])
    qtbot.mouseClick(window.draw_tab.tools.samples_button, Qt.MouseButton.LeftButton)
    dialog = window.samples_dialog
    assert dialog.isVisible() and dialog.list.count() == 3
    assert "3 samples" in dialog.counts_label.text()
    dialog.list.item(1).setSelected(True)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert [s.label for s in window.samples.samples] == [0, 2] and dialog.list.count() == 2
    exported = tmp_path / "mine.tra"
    assert dialog.export_to(exported)
    assert len(exported.read_text().splitlines()) == 2
    bad = tmp_path / "bad.tra"
    bad.write_text("1,2,3\n")
    assert not dialog.import_from(bad)
    box = dialog.findChild(QMessageBox, "errorBox")
    assert box.isVisible() and "line 1 has 3 numbers, not 65" in box.text()
    box.close()
    assert [s.label for s in window.samples.samples] == [0, 2]
    # Importing what is already here adds nothing (it used to duplicate every sample).
    assert dialog.import_from(exported) and dialog.list.count() == 2
    whole = tmp_path / "mine.jsonl"  # JSON lines keep what was drawn, stroke by stroke
    assert dialog.export_to(whole)
    assert [len(json.loads(line)["strokes"]) for line in whole.read_text().splitlines()] == [
        len(s.strokes) for s in window.samples.samples
    ] and all(s.strokes for s in window.samples.samples)


def _fill_with_a_writer(window, n: int = 8) -> None:
    rng = np.random.default_rng(3)
    recognizer = window.recognizer
    for _ in range(n):
        for digit in (1, 2, 3, 7):
            strokes = draw_template(SERIF_ONE, rng) if digit == 1 else sample_strokes(digit, rng)
            window.samples.add(digit, recognizer.stroke_features(strokes), strokes)


def test_fine_tune_then_keep_switches_the_draw_tab_to_the_new_model(qtbot, window) -> None:
    _fill_with_a_writer(window)
    dialog = window.show_samples()
    assert dialog.fine_tune_button.isEnabled()
    qtbot.mouseClick(dialog.fine_tune_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.fine_tuned is not None, timeout=120_000)
    assert "cross-validated" in dialog.status_label.text()
    assert "drawn digits of unseen writers" in dialog.status_label.text()
    assert "It keeps your samples" in dialog.status_label.text()  # and says they vote
    assert dialog.keep_button.isVisible()
    result = dialog.fine_tuned
    assert result.yours_after > result.yours_before
    bundled_label = window.model_label.text()
    assert "of drawn digits of unseen writers" in bundled_label
    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    assert window.recognizer.network is result.network
    assert window.recognizer.vote is not None  # it reads with the 32 samples' vote
    assert len(window.recognizer.vote.labels) == 32
    # The status bar shows the fine-tuned model's own figures, not the bundled model's.
    label = window.model_label.text()
    assert "fine-tuned on your handwriting" in label
    assert f"{result.drawn_after:.1%} of drawn digits" in label
    assert f"{result.test_after:.1%} on the load_digits" in label
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=10_000)
    # The fine-tuning is one of the runs, with its figures and its model.
    runs = window.train_tab.runs
    qtbot.waitUntil(lambda: runs.model.rowCount() == 1, timeout=5_000)
    (kept,) = runs.model.runs
    assert (kept.kind, kept.ending, kept.drawn_accuracy) == ("fine-tune", "finished",
                                                             result.drawn_after)  # fmt: skip
    model = runs.ledger.model_of(kept)
    assert model is not None
    np.testing.assert_array_equal(Network.load(model).get_params(), result.network.get_params())
    assert Recognizer.from_file(model).vote is not None  # the kept file keeps the vote


def test_fine_tune_then_discard_keeps_the_model(qtbot, window) -> None:
    _fill_with_a_writer(window, 4)
    before = window.recognizer
    dialog = window.show_samples()
    qtbot.waitExposed(dialog)
    places = [b.geometry() for b in (dialog.fine_tune_button, dialog.delete_button)]
    dialog.start_fine_tune()
    qtbot.waitUntil(lambda: dialog.fine_tuned is not None, timeout=120_000)
    qtbot.waitUntil(dialog.discard_button.isVisible)
    # The figures and the buttons to decide appear where room was kept: nothing jumps.
    assert [b.geometry() for b in (dialog.fine_tune_button, dialog.delete_button)] == places
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    assert window.recognizer is before and dialog.fine_tuned is None
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=10_000)


def test_closing_the_dialog_mid_fine_tune_discards_the_result(qtbot, window) -> None:
    _fill_with_a_writer(window, 4)
    before = window.recognizer
    dialog = window.show_samples()
    assert dialog.start_fine_tune()
    qtbot.wait(300)  # well into the work
    dialog.close()
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=10_000)
    qtbot.wait(100)  # a result on its way arrives to a closed dialog
    dialog = window.show_samples()
    assert dialog.fine_tuned is None and not dialog.keep_button.isVisible()
    assert window.recognizer is before


def test_closing_mid_fine_tune_loses_nothing(qtbot, window, tmp_path) -> None:
    _fill_with_a_writer(window, 4)
    before = window.recognizer
    dialog = window.show_samples()
    assert dialog.start_fine_tune()
    window.close()
    assert not dialog.is_running and dialog.worker_thread.worker is None
    assert window.recognizer is before
    assert len(SampleStore(tmp_path / "samples").samples) == 16


def test_undo_after_keeping_takes_the_sample_back(qtbot, window) -> None:
    _label_with_key(qtbot, window, 7, DIGITS[7])
    assert [s.label for s in window.samples.samples] == [7]
    window.draw_tab.canvas.undo()  # the drawing comes back ...
    assert window.draw_tab.canvas.drawing.strokes
    assert window.samples.samples == []  # ... and the sample goes
    assert "Took back the 7" in window.draw_tab.samples_label.text()
    window.draw_tab.news_timer.setInterval(10)  # the news fades, the counts stay
    window.draw_tab.show_sample_counts("Something happened. ")
    qtbot.waitUntil(lambda: "Something" not in window.draw_tab.samples_label.text())
    assert "Your samples (0)" in window.draw_tab.samples_label.text()


def test_keeping_then_drawing_on_keeps_the_sample(qtbot, window) -> None:
    _label_with_key(qtbot, window, 2, DIGITS[2])
    draw_digit(window.draw_tab.canvas, DIGITS[0])
    window.draw_tab.canvas.undo()  # undoes the 0, not the keep
    assert [s.label for s in window.samples.samples] == [2]


def test_a_delete_can_be_undone(qtbot, window) -> None:
    for digit in (1, 2, 3):
        window.samples.add(digit, np.full((8, 8), digit))
    dialog = window.show_samples()
    dialog.list.item(1).setSelected(True)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert [s.label for s in window.samples.samples] == [1, 3]
    assert "Deleted 1 sample" in dialog.status_label.text()
    qtbot.mouseClick(dialog.undo_delete_button, Qt.MouseButton.LeftButton)
    assert [s.label for s in window.samples.samples] == [1, 2, 3]
    assert not dialog.undo_delete_button.isEnabled()


def test_importing_the_same_file_twice_adds_nothing_the_second_time(qtbot, window, tmp_path):
    window.samples.add(5, np.full((8, 8), 5))
    dialog = window.show_samples()
    exported = tmp_path / "mine.tra"
    assert dialog.export_to(exported)
    assert "Exported 1 sample to" in dialog.status_label.text()  # one, not "1 samples"
    assert dialog.import_from(exported)
    assert "Imported 0 samples; 1 sample was already here" in dialog.status_label.text()
    assert len(window.samples.samples) == 1


def test_file_dialogs_start_in_the_last_folder(qtbot, settings, tmp_path) -> None:
    from desktop.ui.settings import RecentFolder

    first = RecentFolder(settings)
    assert first.path() == str(Path.home())
    (tmp_path / "models").mkdir()
    first.remember(tmp_path / "models" / "m.npz")
    again = RecentFolder(QSettings(settings.fileName(), QSettings.Format.IniFormat))
    assert again.path("x.png") == str((tmp_path / "models").resolve() / "x.png")
    (tmp_path / "models").rmdir()  # gone since: the dialogs start at home again
    assert again.path() == str(Path.home())


def test_closing_the_dialog_with_an_undecided_result_discards_it(qtbot, window) -> None:
    _fill_with_a_writer(window, 2)
    before = window.recognizer
    dialog = window.show_samples()
    assert dialog.start_fine_tune()
    qtbot.waitUntil(lambda: dialog.fine_tuned is not None, timeout=120_000)
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=10_000)
    dialog.close()
    again = window.show_samples()
    assert again is dialog and not dialog.keep_button.isVisible() and dialog.fine_tuned is None
    assert window.recognizer is before


def test_a_sample_the_disk_refuses_is_told_kept_and_saved_with_the_next(
    qtbot, window, tmp_path, monkeypatch
) -> None:
    import sqlite3

    from desktop.data import user_database

    monkeypatch.setattr(user_database, "BUSY_TIMEOUT_S", 0.2)
    window.samples.connection.execute("PRAGMA busy_timeout = 200")
    database = tmp_path / "samples" / user_database.DATABASE_NAME
    other = sqlite3.connect(database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the database is held elsewhere (or the disk full)
    try:
        _label_with_key(qtbot, window, 7, DIGITS[7])
        text = window.draw_tab.samples_label.text()
        assert "Kept as 7 for now, not saved" in text and "locked" in text
        assert "(1)" in text  # it counts meanwhile
        assert not window.draw_tab.canvas.drawing.strokes  # kept: the canvas is free again
        window.draw_tab.show_sample_counts()  # as when the news times out: the warning stays
        assert "1 sample not saved yet" in window.draw_tab.samples_label.text()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert SampleStore(tmp_path / "samples").samples == []  # not on disk yet
    _label_with_key(qtbot, window, 1, DIGITS[1])  # the next keep takes it along
    assert [s.label for s in SampleStore(tmp_path / "samples").samples] == [7, 1]
    assert "not saved" not in window.draw_tab.samples_label.text()


def test_closing_with_unsaved_samples_asks_first(qtbot, window, tmp_path, monkeypatch):
    import sqlite3

    from PySide6.QtWidgets import QApplication

    from desktop.data import user_database

    monkeypatch.setattr(user_database, "BUSY_TIMEOUT_S", 0.2)
    window.samples.connection.execute("PRAGMA busy_timeout = 200")
    other = sqlite3.connect(tmp_path / "samples" / user_database.DATABASE_NAME,
                            isolation_level=None)  # fmt: skip
    other.execute("BEGIN IMMEDIATE")
    try:
        _label_with_key(qtbot, window, 7, DIGITS[7])
        answers = []

        def answer() -> None:  # the user reads the question and keeps the window
            box = QApplication.activeModalWidget()
            answers.append(box.text())
            box.button(QMessageBox.StandardButton.Cancel).click()

        QTimer.singleShot(0, answer)
        assert not window.close()
        assert window.isVisible() and "1 sample you kept could not be saved" in answers[0]
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert window.close()  # the disk takes it now: saved on the way out, no question
    assert [s.label for s in SampleStore(tmp_path / "samples").samples] == [7]


def test_a_window_brought_to_the_front_shows_samples_kept_by_another(qtbot, window, tmp_path):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    other = SampleStore(tmp_path / "samples")  # another window, another connection
    other.add(3, np.full((8, 8), 3))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    assert [s.label for s in window.samples.samples] == [3]
    assert "Your samples (1)" in window.draw_tab.samples_label.text()


def test_the_first_sample_kept_ticks_my_samples_for_training(qtbot, window) -> None:
    check = window.train_tab.form.source_checks["my samples"]
    assert not check.isEnabled() and not check.isChecked()
    _label_with_key(qtbot, window, 7, DIGITS[7])
    assert check.isEnabled() and check.isChecked()  # as after a restart with samples
    check.setChecked(False)  # the user's choice stands from then on
    _label_with_key(qtbot, window, 1, DIGITS[1])
    assert not check.isChecked() and "(2)" in check.text()


def test_a_dash_or_a_dot_is_not_kept_as_a_digit(qtbot, window) -> None:
    from mouse import drag

    canvas = window.draw_tab.canvas
    drag(canvas, [(80, 140), (200, 142)])  # a dash: "doesn't look like a digit"
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_1)
    assert window.samples.samples == []
    assert "Not kept as 1" in window.draw_tab.samples_label.text()
    assert canvas.drawing.strokes  # the drawing stays
    canvas.clear()
    drag(canvas, [(140, 140), (141, 141)])  # a click: a dot
    qtbot.waitUntil(
        lambda: "look like a digit" in window.findChild(QLabel, "confidenceLabel").text()
    )
    qtbot.keyClick(canvas, Qt.Key.Key_1)
    assert window.samples.samples == []
