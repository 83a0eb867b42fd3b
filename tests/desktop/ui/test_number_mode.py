"""The Draw tab's Number mode, driven with real mouse and key events."""

from __future__ import annotations

import numpy as np
from drawn_strokes import DIGITS
from mouse import draw_digit, press, release
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QLabel

STEP = 150.0  # canvas units between the digits written side by side


def _number_mode(qtbot, window) -> None:
    check = window.findChild(QCheckBox, "numberModeCheck")
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))
    assert check.isChecked()


def _write(window, *digits: int) -> None:
    for index, digit in enumerate(digits):
        shift = np.array([index * STEP, 0.0])
        draw_digit(window.draw_tab.canvas, [stroke + shift for stroke in DIGITS[digit]])


def _number(window) -> str:
    return window.findChild(QLabel, "numberLabel").text()


def test_a_number_written_with_the_mouse_is_read_digit_by_digit(qtbot, window) -> None:
    _number_mode(qtbot, window)
    canvas = window.draw_tab.canvas
    assert canvas.paper().width() > 3 * canvas.paper().height()  # a wide strip to write on
    assert "Write a number" in window.draw_tab.number_panel.status_label.text()
    _write(window, 2, 0, 4, 7)
    qtbot.waitUntil(lambda: _number(window) == "2047", timeout=2000)
    buttons = [b for b in window.draw_tab.number_panel.buttons if b.isVisible()]
    assert len(buttons) == 4
    assert buttons[2].text().startswith("4") and "%" in buttons[2].text()
    # The Inside tab explains the digit chosen: the 4's own 8x8 input.
    four = window.draw_tab.reading.digits[2].prediction.stages.features
    qtbot.mouseClick(buttons[2], Qt.MouseButton.LeftButton)
    np.testing.assert_array_equal(window.inside_tab.drawing, four)


def test_a_dot_beside_the_number_is_no_digit(qtbot, window) -> None:
    _number_mode(qtbot, window)
    _write(window, 1, 7)
    canvas = window.draw_tab.canvas
    press(canvas, 460, 225)
    release(canvas, 460, 225)
    qtbot.waitUntil(lambda: _number(window) == "17", timeout=2000)
    window.draw_tab.predict()
    assert _number(window) == "17"


def test_typing_the_number_keeps_each_digit_as_a_sample(qtbot, window) -> None:
    _number_mode(qtbot, window)
    _write(window, 2, 0, 7)
    qtbot.waitUntil(lambda: _number(window) == "207", timeout=2000)
    canvas = window.draw_tab.canvas
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_2)
    qtbot.keyClick(canvas, Qt.Key.Key_9)
    assert "29·" in window.draw_tab.samples_label.text()  # nothing kept yet
    qtbot.keyClick(canvas, Qt.Key.Key_Backspace)  # a typo taken back
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    assert window.samples.samples == []
    qtbot.keyClick(canvas, Qt.Key.Key_7)
    kept = window.samples.samples
    assert [s.label for s in kept] == [2, 0, 7]
    assert all(s.features.shape == (8, 8) and s.features.sum() > 100 for s in kept)
    assert all(len(s.strokes) == 1 for s in kept)  # each digit keeps its own strokes
    assert window.draw_tab.canvas.drawing.is_empty()
    canvas.undo()  # taking back the clear takes the three samples back
    assert window.samples.samples == []
    assert _number(window) == "207"


def test_each_mode_keeps_its_own_drawing(qtbot, window) -> None:
    draw_digit(window.draw_tab.canvas, DIGITS[7])
    qtbot.waitUntil(lambda: window.draw_tab.prediction.digit == 7, timeout=2000)
    _number_mode(qtbot, window)
    assert window.draw_tab.canvas.drawing.is_empty()
    _write(window, 1, 1)
    qtbot.waitUntil(lambda: _number(window) == "11", timeout=2000)
    window.draw_tab.number_check.click()  # back to one digit: the 7 is still there
    assert window.draw_tab.prediction.digit == 7
    assert window.draw_tab.panel.isVisible() and not window.draw_tab.number_panel.isVisible()
