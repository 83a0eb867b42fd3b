"""The Draw tab and the main window, driven with real mouse and key events."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from drawn_strokes import DIGITS
from mouse import drag, draw_digit, move, press, release, widget_point
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QToolButton


def _reopened(settings: QSettings, tmp_path):
    """A new window on the same settings file and samples folder (a restart)."""
    from desktop.app import MainWindow

    same = QSettings(settings.fileName(), QSettings.Format.IniFormat)
    return MainWindow(settings=same, samples_folder=tmp_path / "samples")


def _label(window) -> str:
    return window.findChild(QLabel, "predictionLabel").text()


def _button(window, name: str):
    return window.findChild(QToolButton, name) or window.findChild(QPushButton, name)


def test_an_empty_canvas_shows_no_prediction_and_invites_drawing(window) -> None:
    assert window.findChild(type(window.draw_tab.canvas), "canvas") is window.draw_tab.canvas
    assert _label(window) == ""
    assert "Draw a digit" in window.draw_tab.panel.status_label.text()
    assert not _button(window, "undoButton").isEnabled()
    assert not _button(window, "clearButton").isEnabled()


@pytest.mark.parametrize("digit", sorted(DIGITS))
def test_drawing_with_the_mouse_predicts_the_digit(qtbot, window, digit) -> None:
    draw_digit(window.draw_tab.canvas, DIGITS[digit])
    qtbot.waitUntil(lambda: _label(window) == str(digit), timeout=2000)
    prediction = window.draw_tab.prediction
    assert prediction.digit == digit and prediction.probabilities.sum() == pytest.approx(1)
    assert window.draw_tab.panel.features_view.values.shape == (8, 8)
    assert window.draw_tab.panel.normalized_view.values.shape == (32, 32)


def test_the_bars_show_the_probabilities_with_the_answer_in_blue(qtbot, window) -> None:
    from desktop.ui.style import BAR, BLUE

    draw_digit(window.draw_tab.canvas, DIGITS[7])
    qtbot.waitUntil(lambda: _label(window) == "7", timeout=2000)
    chart = window.draw_tab.panel.chart
    probabilities = window.draw_tab.prediction.probabilities

    def colour(digit: int, value: float) -> str:
        image = chart.grab().toImage()
        point = chart.point_at(digit, value) * image.devicePixelRatio()
        return image.pixelColor(point.toPoint()).name()

    assert colour(7, probabilities[7] / 2) == BLUE  # the answer's bar, as tall as its share
    assert colour(7, probabilities[7] + 0.03) != BLUE
    assert "7: " in chart.accessibleDescription()
    chart.set_bars(np.linspace(0.1, 1.0, 10))  # no answer: every bar in the others' colour
    assert all(colour(d, 0.05) == BAR for d in range(10))
    assert colour(0, 0.15) != BAR and colour(9, 0.95) == BAR


def test_prediction_updates_while_a_stroke_is_still_being_drawn(qtbot, window) -> None:
    canvas = window.draw_tab.canvas
    press(canvas, 150, 50)
    for y in range(60, 240, 10):
        move(canvas, 148, y)
    qtbot.waitUntil(lambda: _label(window) != "", timeout=2000)  # throttled, before release
    release(canvas, 148, 230)


def test_undo_redo_and_clear_buttons(qtbot, window) -> None:
    canvas = window.draw_tab.canvas
    draw_digit(canvas, DIGITS[4])
    qtbot.waitUntil(lambda: _label(window) == "4")
    qtbot.mouseClick(_button(window, "undoButton"), Qt.MouseButton.LeftButton)
    assert len(canvas.drawing.strokes) == 1
    qtbot.waitUntil(lambda: _label(window) != "4")
    qtbot.mouseClick(_button(window, "redoButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _label(window) == "4")
    qtbot.mouseClick(_button(window, "clearButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _label(window) == "")
    assert canvas.drawing.strokes == ()


def test_keyboard_shortcuts(qtbot, window) -> None:
    canvas = window.draw_tab.canvas
    canvas.setFocus()
    draw_digit(canvas, DIGITS[7])
    qtbot.waitUntil(lambda: _label(window) == "7")
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _label(window) == "")
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(canvas, Qt.Key.Key_Z, redo)
    qtbot.waitUntil(lambda: _label(window) == "7")
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: _label(window) == "")
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the clear
    qtbot.waitUntil(lambda: _label(window) == "7")
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: _label(window) == "")


def test_right_button_and_eraser_mode_erase(qtbot, window) -> None:
    canvas = window.draw_tab.canvas
    draw_digit(canvas, DIGITS[1])
    qtbot.waitUntil(lambda: _label(window) == "1")
    drag(canvas, [(100, 20), (190, 20), (190, 260), (100, 260), (100, 20)],
         Qt.MouseButton.RightButton)  # fmt: skip
    drag(canvas, [(145, 30), (145, 250)], Qt.MouseButton.RightButton)
    assert canvas.drawing.strokes[-1].erase
    qtbot.waitUntil(lambda: _label(window) == "")  # everything under the eraser is gone

    canvas.drawing.clear()
    qtbot.mouseClick(_button(window, "eraserButton"), Qt.MouseButton.LeftButton)
    drag(canvas, [(40, 40), (60, 60)])
    assert canvas.drawing.strokes[-1].erase and canvas.drawing.is_empty()


def test_a_click_paints_a_dot_and_strokes_are_round(qtbot, window) -> None:
    canvas = window.draw_tab.canvas
    point = widget_point(canvas, 140, 140)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=point.toPoint())
    assert len(canvas.drawing.strokes) == 1 and len(canvas.drawing.strokes[0].points) == 1
    image = canvas.grab().toImage()
    assert image.pixelColor(point.toPoint()).lightness() < 100  # dark ink under the click


def test_the_drawing_scales_with_the_window(qtbot, window) -> None:
    canvas = window.draw_tab.canvas
    drag(canvas, [(40, 140), (240, 140)])
    before = min(canvas.width(), canvas.height())
    window.resize(1060, 600)
    qtbot.waitUntil(lambda: min(canvas.width(), canvas.height()) < before - 50)
    canvas.repaint()
    point = widget_point(canvas, 140, 140).toPoint()
    assert canvas.grab().toImage().pixelColor(point).lightness() < 100


def test_brush_size_is_remembered(qtbot, settings, tmp_path) -> None:
    from desktop.app import MainWindow

    first = MainWindow(settings=settings, samples_folder=tmp_path / "samples")
    qtbot.addWidget(first)
    first.draw_tab.set_brush_size(31)
    first.close()
    second = _reopened(settings, tmp_path)
    qtbot.addWidget(second)
    assert second.draw_tab.canvas.brush_size == 31
    second.close()


def test_a_bad_model_file_is_refused_with_a_message_and_the_model_kept(qtbot, window, tmp_path):
    before = window.recognizer
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"PK\x03\x04 this is not really a model")
    window.open_model(bad)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorBox") is not None)
    box = window.findChild(QMessageBox, "errorBox")
    assert box.isVisible()
    assert "cannot load model" in box.text() and "broken.npz" in box.text()
    box.close()
    assert window.recognizer is before
    draw_digit(window.draw_tab.canvas, DIGITS[0])
    qtbot.waitUntil(lambda: _label(window) == "0")  # the app keeps working


def test_save_and_open_a_model_and_export_the_drawing(qtbot, window, tmp_path) -> None:
    path = tmp_path / "copy.npz"
    assert window.save_model(path)
    window.open_model(path)
    qtbot.waitUntil(lambda: "copy.npz" in window.model_label.text())
    # What the file says about itself is shown: how it was made, its figures, its date.
    said = window.statusBar().currentMessage()
    assert "Made: bundled model" in said and "Drawn digits of unseen writers: 98" in said
    assert "Architecture: 5 runs averaged, each 64-256-128-10" in window.model_label.toolTip()
    np.testing.assert_array_equal(window.recognizer.network.get_params(),
                                  window.draw_tab.recognizer.network.get_params())  # fmt: skip
    draw_digit(window.draw_tab.canvas, DIGITS[2])
    png = tmp_path / "digit.png"
    from desktop.ui.menus import export_drawing

    assert export_drawing(window, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_last_opened_model_is_reopened_and_a_vanished_one_falls_back(qtbot, settings, tmp_path):
    from desktop.app import MainWindow

    first = MainWindow(settings=settings, samples_folder=tmp_path / "samples")
    qtbot.addWidget(first)
    path = tmp_path / "mine.npz"
    first.save_model(path)
    first.open_model(path)
    qtbot.waitUntil(lambda: "mine.npz" in first.model_label.text())
    first.close()
    second = _reopened(settings, tmp_path)
    qtbot.addWidget(second)
    assert "mine.npz" in second.model_label.text()
    second.close()
    path.unlink()
    third = _reopened(settings, tmp_path)
    qtbot.addWidget(third)
    assert "bundled" in third.model_label.text()
    box = third.findChild(QMessageBox, "errorBox")  # the user is told why
    assert box is not None and str(path) in box.text() and "it is gone" in box.text()
    third.close()
    fourth = _reopened(settings, tmp_path)  # and told once
    qtbot.addWidget(fourth)
    assert fourth.findChild(QMessageBox, "errorBox") is None
    fourth.close()


def test_screenshot_command_renders_the_window_and_leaves_settings_alone(tmp_path) -> None:
    shot = tmp_path / "shot.png"
    home = tmp_path / "home"  # where the user's settings would be written
    environment = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--screenshot", str(shot), "--sample", "7"],
        capture_output=True, text=True, timeout=60, env=environment,
    )  # fmt: skip
    assert not home.exists() or not any(home.rglob("*.conf"))
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == f"wrote {shot}"  # and no warning about Qt's plugin
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert image.width() >= 800 and image.height() >= 500


def test_a_pen_draws_and_its_eraser_end_erases(qtbot, window) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
    from PySide6.QtWidgets import QApplication

    canvas = window.draw_tab.canvas

    def device(kind: QPointingDevice.PointerType) -> QPointingDevice:
        capabilities = QInputDevice.Capability.Position | QInputDevice.Capability.Pressure
        stylus = QInputDevice.DeviceType.Stylus
        return QPointingDevice("test pen", 1, stylus, kind, capabilities, 1, 2)

    def send(kind: QEvent.Type, pen: QPointingDevice, x: float, y: float, down: bool) -> None:
        point = widget_point(canvas, x, y)
        buttons = Qt.MouseButton.LeftButton if down else Qt.MouseButton.NoButton
        event = QTabletEvent(kind, pen, point, canvas.mapToGlobal(point), 0.5, 0.0, 0.0, 0.0,
                             0.0, 0.0, Qt.KeyboardModifier.NoModifier,
                             Qt.MouseButton.LeftButton, buttons)  # fmt: skip
        QApplication.sendEvent(canvas, event)

    tip = device(QPointingDevice.PointerType.Pen)
    send(QEvent.Type.TabletPress, tip, 150, 50, True)
    for y in range(60, 240, 10):
        send(QEvent.Type.TabletMove, tip, 148, y, True)
    send(QEvent.Type.TabletRelease, tip, 148, 230, False)
    qtbot.waitUntil(lambda: _label(window) == "1")
    assert len(canvas.drawing.strokes) == 1 and not canvas.drawing.strokes[0].erase

    eraser = device(QPointingDevice.PointerType.Eraser)
    send(QEvent.Type.TabletPress, eraser, 148, 40, True)
    send(QEvent.Type.TabletMove, eraser, 148, 240, True)
    send(QEvent.Type.TabletRelease, eraser, 148, 240, False)
    assert canvas.drawing.strokes[-1].erase
    qtbot.waitUntil(lambda: _label(window) == "")


def test_an_unreadable_samples_file_is_set_aside_and_the_user_is_told(qtbot, settings, tmp_path):
    from desktop.app import MainWindow

    folder = tmp_path / "samples"
    folder.mkdir()
    good = '{"label": 1, "features": ' + str([0] * 64) + ', "strokes": []}\n'
    (folder / "samples.jsonl").write_text(good * 12 + '{"label": 3, "features": [1,2,3\n')
    window = MainWindow(settings=settings, samples_folder=folder)
    qtbot.addWidget(window)
    box = window.findChild(QMessageBox, "errorBox")
    _, side = window.samples.set_aside
    assert box is not None and "1 line of your samples file" in box.text()
    assert "set aside" in box.text() and str(side) in box.text() and side.exists()
    assert "other 12 samples are loaded" in box.text()
    assert "Your samples (12)" in window.draw_tab.samples_label.text()


def test_a_dash_is_not_named_as_a_digit_and_a_finished_7_is(qtbot, window) -> None:
    canvas = window.draw_tab.canvas
    drag(canvas, [(70, 60), (140, 61), (210, 62)])  # a 7's first bar: a dash so far
    assert _label(window) == ""
    assert "doesn't look like a digit" in window.draw_tab.panel.status_label.text()
    drag(canvas, [(210, 62), (180, 140), (150, 220)])  # ... and its stem
    assert _label(window) == "7"


def test_edit_shortcuts_act_on_the_drawing_only_on_the_draw_tab(qtbot, window) -> None:
    canvas = window.draw_tab.canvas
    draw_digit(canvas, DIGITS[1])
    draw_digit(canvas, DIGITS[7])
    undo, redo, clear = window.draw_tab.edit_actions
    assert undo.isEnabled() and not redo.isEnabled() and clear.isEnabled()
    window.tabs.setCurrentWidget(window.train_tab)
    field = window.train_tab.form.learning_rate_edit
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Escape)  # in a Train-tab field
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    window.tabs.setCurrentWidget(window.inside_tab)
    qtbot.keyClick(window.inside_tab, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(canvas.drawing.strokes) == 2  # the hidden drawing was left alone
    assert not any(action.isEnabled() for action in (undo, redo, clear))
    window.tabs.setCurrentWidget(window.draw_tab)
    assert undo.isEnabled() and clear.isEnabled()
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert not canvas.drawing.strokes


def test_every_menu_entry_has_its_own_mnemonic(window) -> None:
    import re

    for menu_action in window.menuBar().actions():
        keys = [re.search(r"&(\w)", action.text()) for action in menu_action.menu().actions()
                if not action.isSeparator()]  # fmt: skip
        letters = [key.group(1).lower() for key in keys if key is not None]
        assert len(letters) == len(set(letters)), (menu_action.text(), letters)


def test_a_large_model_is_read_in_the_background_also_at_start_up(qtbot, tmp_path) -> None:
    from desktop.app import MainWindow
    from desktop.ui import settings as keys
    from desktop.ui.model_files import QUICK_LOAD_BYTES
    from nncore import Layer, Network

    big = Network(
        [Layer(64, "input"), Layer(1024, "relu"), Layer(1024, "relu"), Layer(10, "softmax")]
    )
    path = tmp_path / "big.npz"
    big.save(path)
    assert path.stat().st_size > QUICK_LOAD_BYTES
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    first = MainWindow(settings=settings, samples_folder=tmp_path / "samples")
    qtbot.addWidget(first)
    first.open_model(path)
    # The call returns before the file is read: the window goes on with the model it had.
    assert "bundled" in first.model_label.text() and first.model_files.busy
    draw_digit(first.draw_tab.canvas, DIGITS[7])
    qtbot.waitUntil(lambda: "big.npz" in first.model_label.text(), timeout=10_000)
    assert first.recognizer.network.layers[1].size == 1024
    first.close()
    assert settings.value(keys.LAST_MODEL) == str(path.resolve())
    second = MainWindow(settings=settings, samples_folder=tmp_path / "samples")
    qtbot.addWidget(second)
    assert "bundled" in second.model_label.text()  # not read before the window shows
    second.show()
    qtbot.waitUntil(lambda: "big.npz" in second.model_label.text(), timeout=10_000)
    second.close()


def test_the_brush_size_never_moves_the_buttons_beside_it(qtbot, window) -> None:
    tools = window.draw_tab.tools
    places = set()
    for size in (4, 9, 10, 40):
        tools.brush_slider.setValue(size)
        qtbot.wait(1)
        places.add(tools.eraser_button.geometry().x())
    assert len(places) == 1


def test_a_screenshot_that_cannot_be_written_says_why(tmp_path) -> None:
    for target, reason in ((tmp_path / "nowhere" / "shot.png", "there is no folder"),
                           (tmp_path / "shot.xyz", "'.xyz' is not a picture format")):  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "desktop", "--screenshot", str(target)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 1 and reason in done.stderr, done.stderr


def test_a_right_button_cut_leaves_no_ink_inside_it(qtbot, window) -> None:
    canvas = window.draw_tab.canvas
    drag(canvas, [(140, 40), (140, 240)])  # a vertical line, the brush's width
    drag(canvas, [(60, 140), (220, 140)], Qt.MouseButton.RightButton)  # cut across it
    image = canvas.grab().toImage()
    inked = [
        (x, y)
        for x in range(int(widget_point(canvas, 120, 0).x()), int(widget_point(canvas, 160, 0).x()))
        for y in range(int(widget_point(canvas, 0, 134).y()), int(widget_point(canvas, 0, 146).y()))
        if image.pixelColor(x, y).lightness() < 200
    ]
    assert not inked, inked[:5]  # the middle of the cut is paper: no hairline is left
    above = widget_point(canvas, 140, 80).toPoint()
    assert image.pixelColor(above).lightness() < 100  # the line itself is still there
