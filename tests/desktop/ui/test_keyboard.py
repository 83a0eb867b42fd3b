"""Keyboard use: Tab visits controls and leaves tables; keys act where they belong."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget


def _inside(widget, table: QTableWidget) -> bool:
    return widget is not None and (widget is table or table.isAncestorOf(widget))


def _tab_away_from(qtbot, table: QTableWidget, presses: int = 3) -> bool:
    """Focus the table, press Tab up to ``presses`` times: did focus leave it?"""
    table.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: _inside(QApplication.focusWidget(), table))
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if not _inside(QApplication.focusWidget(), table):
            return True
    return False


def test_tab_leaves_the_train_tabs_tables(qtbot, window) -> None:
    window.tabs.setCurrentWidget(window.train_tab)
    qtbot.waitUntil(window.train_tab.isVisible)
    form, results = window.train_tab.form, window.train_tab.results
    fields = 2 * form.layers_table.rowCount()  # each visited once, then out
    assert _tab_away_from(qtbot, form.layers_table, presses=fields)  # was: for ever
    assert _tab_away_from(qtbot, results.confusion_table, presses=1)  # was: 100 cells


def test_the_8x8_input_is_edited_with_arrows_and_plus_minus(qtbot, window) -> None:
    from drawn_strokes import DIGITS
    from mouse import draw_digit

    from desktop.recognition.features import MAX_COUNT
    from desktop.ui.tabs.inside_tab import EDIT_STEP

    draw_digit(window.draw_tab.canvas, DIGITS[1])
    window.tabs.setCurrentWidget(window.inside_tab)
    inside = window.inside_tab
    qtbot.waitUntil(lambda: inside.features is not None)
    editor = inside.editor
    editor.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(editor.hasFocus)
    before = inside.features.copy()
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Plus,
                Qt.Key.Key_Plus, Qt.Key.Key_Minus):  # fmt: skip
        qtbot.keyClick(editor, key)
    assert editor.key_cell == (1, 2)
    expected = before.copy()
    expected[1, 2] = min(before[1, 2] + 2 * EDIT_STEP, MAX_COUNT) - EDIT_STEP
    np.testing.assert_array_equal(inside.features, expected)  # that cell, and no other
    assert "cell (1, 2)" in editor.accessibleDescription()


def test_tab_visits_every_control_of_every_tab_once_and_each_has_a_name(qtbot, window):
    from PySide6.QtGui import QAccessible

    expected = {
        window.draw_tab: {"brushSlider", "canvas", "numberModeCheck", "samplesButton"},
        window.inside_tab: {"saliencyTarget", "inputEditor"},
        window.train_tab: {"learningRateEdit", "epochsSpin", "resetButton", "trainButton",
                           "confusionTable", "misclassifiedArea"},
    }  # fmt: skip
    for tab, names in expected.items():
        window.tabs.setCurrentWidget(tab)
        bar = window.tabs.tabBar()
        bar.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(bar.hasFocus)
        visited = []
        for _ in range(60):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            if QApplication.focusWidget() is bar:
                break
            visited.append(QApplication.focusWidget())
        assert QApplication.focusWidget() is bar, f"Tab never came back on {tab}"
        assert len(visited) == len(set(visited))  # each control once
        assert names <= {w.objectName() for w in visited}
        for widget in visited:
            accessible = QAccessible.queryAccessibleInterface(widget)
            assert accessible.text(QAccessible.Text.Name), widget  # a screen reader says what


def test_a_digit_key_keeps_the_drawing_with_the_focus_on_the_tab_bar(qtbot, window) -> None:
    from drawn_strokes import DIGITS
    from mouse import draw_digit

    draw_digit(window.draw_tab.canvas, DIGITS[7])
    bar = window.tabs.tabBar()
    bar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(bar.hasFocus)
    qtbot.keyClick(bar, Qt.Key.Key_7)
    assert [s.label for s in window.samples.samples] == [7]
    window.tabs.setCurrentWidget(window.train_tab)  # a digit typed there is the field's
    edit = window.train_tab.form.learning_rate_edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClick(edit, Qt.Key.Key_5)
    assert len(window.samples.samples) == 1 and edit.text().endswith("5")


def test_the_canvas_shows_when_it_has_the_keyboard_focus(qtbot, window) -> None:
    from PySide6.QtGui import QColor, QPalette

    canvas = window.draw_tab.canvas
    highlight = canvas.palette().color(QPalette.ColorRole.Highlight)
    edge = canvas.paper().center().toPoint()
    edge.setX(int(canvas.paper().left()))  # a point on the frame's left side

    def frame_colour() -> QColor:
        return QColor(canvas.grab().toImage().pixel(edge))

    window.tabs.tabBar().setFocus()
    qtbot.waitUntil(lambda: not canvas.hasFocus())
    assert frame_colour() != highlight
    canvas.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(canvas.hasFocus)
    assert frame_colour() == highlight
