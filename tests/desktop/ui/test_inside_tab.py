"""The Inside tab with real mouse events: editing the input, saliency, neighbours, weights."""

from __future__ import annotations

import numpy as np
from drawn_strokes import DIGITS
from mouse import draw_digit
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget
from small_corpus import small_corpus

from desktop.recognition.features import network_input
from desktop.recognition.model_in_use import ModelInUse
from desktop.recognition.sample_vote import with_vote
from desktop.recognizer import Recognizer
from desktop.training.config import HiddenLayer, TrainingConfig
from desktop.ui.widgets.activations_view import MAX_CELLS_PER_LAYER
from nncore import Layer, Network


def _click_cell(view, row: int, column: int, button=Qt.MouseButton.LeftButton) -> None:
    cell = min(view.width(), view.height()) / 8
    left = (view.width() - cell * 8) / 2
    top = (view.height() - cell * 8) / 2
    point = QPointF(left + (column + 0.5) * cell, top + (row + 0.5) * cell)
    for kind, buttons in ((QEvent.Type.MouseButtonPress, button),
                          (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton)):  # fmt: skip
        event = QMouseEvent(kind, point, view.mapToGlobal(point), button, buttons,
                            Qt.KeyboardModifier.NoModifier)  # fmt: skip
        QApplication.sendEvent(view, event)


def _open_inside(qtbot, window):
    window.tabs.setCurrentWidget(window.inside_tab)
    qtbot.waitUntil(window.inside_tab.isVisible)
    return window.inside_tab


def test_the_views_have_their_names(window) -> None:
    for name in ("activationsView", "saliencyView", "inputEditor", "neighboursView",
                 "weightsView"):  # fmt: skip
        assert window.findChild(QWidget, name) is not None, name


def test_it_follows_the_drawing_and_editing_the_grid_asks_the_network(qtbot, window) -> None:
    draw_digit(window.draw_tab.canvas, DIGITS[1])
    window.draw_tab.predict()
    inside = _open_inside(qtbot, window)
    drawn = window.draw_tab.prediction.stages.features
    np.testing.assert_array_equal(inside.editor.values, drawn)
    assert inside.inside.digit == 1 and "says 1" in inside.answer_label.text()
    before = inside.inside.probabilities.copy()
    for row in range(2, 6):  # ink a bar across the middle, as a 4 or a 7 would have
        for column in range(1, 7):
            _click_cell(inside.editor, row, column)
    edited = inside.features.copy()
    assert edited is not None and not np.array_equal(edited, drawn)
    expected = window.recognizer.network.predict_proba(network_input(edited))[0]
    np.testing.assert_allclose(inside.inside.probabilities, expected, rtol=1e-5)
    assert not np.allclose(inside.inside.probabilities, before)
    assert "edited input" in inside.answer_label.text() and inside.back_button.isEnabled()
    _click_cell(inside.editor, 3, 3, Qt.MouseButton.RightButton)  # the right button lowers
    assert inside.features[3, 3] == max(edited[3, 3] - 4, 0)
    qtbot.mouseClick(inside.back_button, Qt.MouseButton.LeftButton)
    np.testing.assert_array_equal(inside.features, drawn)


def test_a_personalised_model_shows_the_network_and_its_samples_vote(qtbot, window) -> None:
    draw_digit(window.draw_tab.canvas, DIGITS[1])
    window.draw_tab.predict()
    one = window.draw_tab.prediction.stages.features
    # A writer whose samples say this very drawing is a 7: the vote has its say.
    network = with_vote(window.recognizer.network.copy(), one[None], np.array([7]))
    window.use_model(ModelInUse(Recognizer(network), "personalised"))
    window.draw_tab.predict()
    inside = _open_inside(qtbot, window)
    assert inside.inside.voted is not None
    np.testing.assert_allclose(inside.inside.voted, window.draw_tab.prediction.probabilities)
    assert inside.inside.voted[7] > inside.inside.probabilities[7] + 0.3
    assert "says 1" in inside.answer_label.text()  # the network, as before
    assert "with your samples' vote" in inside.answer_label.text()


def test_saliency_for_a_chosen_digit(qtbot, window) -> None:
    draw_digit(window.draw_tab.canvas, DIGITS[7])
    window.draw_tab.predict()
    inside = _open_inside(qtbot, window)
    inside.target_combo.setCurrentIndex(1 + 9)  # "a 9"
    assert inside.inside.target == 9 and "explaining 9" in inside.answer_label.text()
    np.testing.assert_array_equal(inside.saliency.values, inside.inside.saliency)


def test_neighbours_arrive_and_are_shown(qtbot, window) -> None:
    draw_digit(window.draw_tab.canvas, DIGITS[0])
    window.draw_tab.predict()
    inside = _open_inside(qtbot, window)
    qtbot.waitUntil(lambda: inside.neighbours is not None, timeout=10_000)
    qtbot.waitUntil(lambda: inside.neighbours_view.captions[0] != "")
    assert all(" · " in caption for caption in inside.neighbours_view.captions)


def test_any_model_draws_from_one_unit_to_4096(qtbot, window) -> None:
    inside = _open_inside(qtbot, window)
    inside.set_drawing(np.full((8, 8), 6.0))
    for hidden in ([Layer(1, "tanh")], [Layer(4096, "relu")],
                   [Layer(20, "sigmoid"), Layer(9, "leaky_relu"), Layer(5, "linear")]):  # fmt: skip
        network = Network([Layer(64, "input"), *hidden, Layer(10, "softmax")], seed=0)
        inside.set_network(network)
        image = inside.grab().toImage()  # paints every view
        assert not image.isNull() and len(inside.inside.layers) == len(hidden) + 2


def test_the_weights_view_follows_training(qtbot, window) -> None:
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)
    bundled = tab.plots.weights_view.values.copy()  # the model in use, before any run
    assert np.isfinite(bundled).sum() == 64 * 64
    tab.corpus = small_corpus(300)
    tab.form.set_config(TrainingConfig(hidden=(HiddenLayer(16, "relu"),), epochs=3000,
                                       validation_split=0.0))  # fmt: skip
    with qtbot.waitSignal(tab.training_finished, timeout=60_000):
        tab.start()
    shown = tab.plots.weights_view.values
    assert np.isfinite(shown).sum() == 16 * 64  # 16 units, one 8x8 tile each
    qtbot.waitUntil(lambda: not tab.is_running, timeout=10_000)


def _activations_of_a_drawn_1(qtbot, window):
    """The Inside tab and its activations view for a drawn 1, painted."""
    draw_digit(window.draw_tab.canvas, DIGITS[1])
    window.draw_tab.predict()
    inside = _open_inside(qtbot, window)
    view = window.findChild(QWidget, "activationsView")
    qtbot.waitUntil(lambda: bool(view.layers))
    view.repaint()  # lays out the cells the pointer can hover
    return inside, view


def test_hovering_a_unit_tells_its_output_and_its_push(qtbot, window) -> None:
    from PySide6.QtWidgets import QToolTip

    inside, view = _activations_of_a_drawn_1(qtbot, window)
    bands = len(view.layers)
    band = view.height() / bands
    size = min((view.width() - 122) / 10, band - 4)  # the output layer: one row of 10

    def hover(x: float, y: float) -> str:
        point = QPointF(x, y)
        event = QMouseEvent(QEvent.Type.MouseMove, point, view.mapToGlobal(point),
                            Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)  # fmt: skip
        QApplication.sendEvent(view, event)
        return QToolTip.text()

    probability = inside.inside.probabilities[1]
    output_unit = hover(118 + 1.5 * size, (bands - 1) * band + 2 + size / 2)  # the "1"
    assert output_unit == f"{view.names[-1]}, unit 1: output {probability:.3f}"
    # The first hidden layer, 32 cells a row; a wide one shows a cell per group of units.
    units = len(view.layers[1])
    group = -(-units // MAX_CELLS_PER_LAYER)
    cells = -(-units // group)
    rows = -(-cells // 32)
    size = min((view.width() - 122) / 32, (band - 4) / rows)
    first_hidden = hover(118 + size / 2, band + 2 + size / 2)
    output = np.mean(view.layers[1][:group])
    which = "unit 0" if group == 1 else f"units 0–{group - 1} (mean)"
    assert first_hidden.startswith(f"{view.names[1]}, {which}: output {output:.3f}, push toward")
    row, column = divmod(cells - 1, 32)  # the last cell holds the last units, no padding
    last = hover(118 + (column + 0.5) * size, band + 2 + (row + 0.5) * size)
    output = np.mean(view.layers[1][(cells - 1) * group :])
    first = (cells - 1) * group
    which = f"unit {units - 1}" if group == 1 else f"units {first}–{units - 1} (mean)"
    assert last.startswith(f"{view.names[1]}, {which}: output {output:.3f}")


def test_each_unit_is_painted_in_its_grey_with_a_gap_between_cells(qtbot, window) -> None:
    inside, view = _activations_of_a_drawn_1(qtbot, window)
    image = view.grab().toImage()
    bands = len(view.layers)
    band = view.height() / bands
    size = int(min((view.width() - 122) / 10, band - 4))  # the output layer: one row of 10
    top = (bands - 1) * band + 2

    def shade(x: float) -> int:
        return image.pixelColor(int(x), int(top + size / 2)).red()

    probabilities = inside.inside.probabilities
    shades = [shade(118 + (unit + 0.5) * size) for unit in range(10)]
    assert np.argmin(shades) == np.argmax(probabilities) == 1  # the most likely is darkest
    for unit in range(10):  # grey from paper (255) to ink (30) by the probability
        assert abs(shades[unit] - (255 - 225 * probabilities[unit])) <= 1.5
    gap = shade(118 + size - 0.5)  # between the cells of units 0 and 1: the background
    assert gap == view.palette().window().color().red() != shades[1]
