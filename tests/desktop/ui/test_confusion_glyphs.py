"""From the confusion matrix to the glyphs: a cell's digits, opened inside or kept."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from small_corpus import small_corpus

from desktop.training.config import HiddenLayer, TrainingConfig


def _finished_run(qtbot, window):
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: len(tab.plots.charts) == 2, timeout=10_000)
    tab.corpus = small_corpus(300)
    # Few epochs of a small network: mistakes to look at.
    tab.form.set_config(TrainingConfig(hidden=(HiddenLayer(8, "relu"),), epochs=2, batch_size=32))
    with qtbot.waitSignal(tab.training_finished, timeout=60_000) as finished:
        qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.is_running, timeout=10_000)
    return tab.results, finished.args[0].test


def _click_cell(qtbot, table, row: int, column: int) -> None:
    centre = table.visualRect(table.model().index(row, column)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def test_a_cell_shows_exactly_its_glyphs_and_a_glyph_opens_inside_or_is_kept(qtbot, window):
    results, test = _finished_run(qtbot, window)
    confusion = test.confusion
    off_diagonal = confusion - np.diag(np.diag(confusion))
    true, read = np.unravel_index(np.argmax(off_diagonal), confusion.shape)
    assert confusion[true, read] > 0
    _click_cell(qtbot, results.confusion_table, true, read)

    gallery = results.gallery
    assert gallery.count == min(confusion[true, read], 40)
    assert set(gallery.captions) == {f"{true} → {read}"}
    assert f"test {true}s read as {read}" in results.gallery_caption.text()
    assert not results.keep_button.isEnabled()

    # The first glyph, clicked: it is one of the test digits of that cell.
    qtbot.mouseClick(gallery, Qt.MouseButton.LeftButton, pos=QPoint(gallery.width() // 8, 10))
    assert gallery.selected == 0 and results.keep_button.text() == f"Keep as my {true}"
    expected = test.images[(test.labels == true) & (test.predicted == read)][0]
    qtbot.mouseClick(results.inspect_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.inside_tab
    np.testing.assert_array_equal(window.inside_tab.features, expected)

    before = len(window.samples.samples)
    qtbot.mouseClick(results.keep_button, Qt.MouseButton.LeftButton)
    kept = window.samples.samples[-1]
    assert len(window.samples.samples) == before + 1 and kept.label == true
    np.testing.assert_array_equal(kept.features, expected)

    _click_cell(qtbot, results.confusion_table, true, read)  # the same cell: every mistake
    assert gallery.count == min(int(off_diagonal.sum()), 40)
