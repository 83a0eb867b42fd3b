"""The Inside tab: what the network does with the current drawing, and why.

Every layer's outputs, the saliency on the 8x8 input (for the network's answer or a digit
the user picks), an 8x8 input to edit with the mouse, and the training glyphs nearest to
it. It follows the Draw tab; editing the grid asks the network about the edited input.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.data.corpus import MY_SAMPLES, CorpusError, CorpusSource
from desktop.recognition.features import GRID, MAX_COUNT
from desktop.recognition.inside import Inside, NearestExamples, look_inside
from desktop.recognition.sample_vote import vote_of
from desktop.ui.support.background_call import BackgroundCall
from desktop.ui.widgets.activations_view import ActivationsView
from desktop.ui.widgets.cell_view import CellView
from desktop.ui.widgets.colour_maps import diverging_rgb, grey_rgb
from desktop.ui.widgets.controls import named_button, page_contents
from desktop.ui.widgets.gallery_view import GalleryView
from nncore import Network

EDIT_STEP = 4  # counts added or taken per click on the 8x8 grid
NEIGHBOURS = 5


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #5b6475;")
    return label


class InsideTab(QWidget):
    """Looks inside ``network`` for the drawing's 8x8 input (or the edited one)."""

    def __init__(self, network: Network, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.network = network
        self.vote = vote_of(network)  # a personalised network reads with the user's samples
        self.neighbours: NearestExamples | None = None  # given when the corpus is read
        self.drawing: np.ndarray | None = None  # the drawing's own input
        self.features: np.ndarray | None = None  # what is shown (maybe edited)
        self.inside: Inside | None = None
        self._corpus: CorpusSource | None = None

        self.answer_label = QLabel("Draw a digit on the Draw tab to look inside the network.")
        self.answer_label.setObjectName("insideAnswer")
        self.activations = ActivationsView()
        self.activations.setObjectName("activationsView")
        self.saliency = CellView(diverging_rgb, lambda r, c, v: f"cell ({r}, {c}): push {v:+.4f}")
        self.saliency.setObjectName("saliencyView")
        self.target_combo = QComboBox()
        self.target_combo.setObjectName("saliencyTarget")
        self.target_combo.addItems(["its answer", *(f"a {d}" for d in range(10))])
        self.target_combo.currentIndexChanged.connect(self._on_target_combo_changed)
        self.editor = CellView(grey_rgb, lambda r, c, v: f"cell ({r}, {c}): {v:.0f} of 16",
                               editable=True)  # fmt: skip
        self.editor.setObjectName("inputEditor")
        self.editor.setAccessibleName("The network's 8×8 input, editable")
        self.editor.cell_edited.connect(self._on_editor_cell_edited)
        self.back_button = named_button(
            "Back to my drawing", "backToDrawingButton", slot=self.back_to_drawing
        )
        self.neighbours_view = GalleryView(
            MAX_COUNT, "Nearest training glyphs", columns=NEIGHBOURS, side=64
        )
        self.neighbours_view.setObjectName("neighboursView")
        self._show_neighbours(None)

        left = QVBoxLayout()
        left.addWidget(self.answer_label)
        left.addWidget(_caption(
            "Every layer's outputs for this input, input (8×8) to output (10 digits); hidden "
            "layers share one grey scale. Orange outlines: the units pushing hardest toward "
            "the digit. Hover for the numbers."))  # fmt: skip
        left.addWidget(self.activations, 1)
        left.addWidget(_caption("The training glyphs nearest to this input, in the 8×8 space "
                                "the network sees (label · distance):"))  # fmt: skip
        left.addWidget(self.neighbours_view)
        right = QVBoxLayout()
        right.addWidget(_caption("Saliency: blue cells push toward the digit, red ones "
                                 "against it (gradient × input). Explain:"))  # fmt: skip
        right.addWidget(self.target_combo)
        right.addWidget(self.saliency, 1)
        right.addWidget(_caption("The input, editable: left button (or +) adds ink to a cell, "
                                 "right button (or −) takes it away, arrows choose the cell; "
                                 "everything follows."))  # fmt: skip
        right.addWidget(self.editor, 1)
        right.addWidget(self.back_button)
        layout = QHBoxLayout(page_contents(self))
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.neighbour_reader = BackgroundCall(self)
        self.neighbour_reader.answered.connect(self._on_neighbour_reader_answered)
        self._show()

    def read_neighbours_from(self, corpus: CorpusSource) -> None:
        """Where the training glyphs are; read when the tab is first opened."""
        self._corpus = corpus

    def _read_neighbours(self) -> None:
        """Read the training glyphs in a background thread (tens of ms), then use them."""
        corpus, self._corpus = self._corpus, None
        if corpus is not None:
            self.neighbour_reader.start(corpus, partial(_training_glyphs, corpus))

    def _on_neighbour_reader_answered(
        self, corpus: object, neighbours: object, error: Exception | None
    ) -> None:
        if isinstance(error, CorpusError | OSError):
            return  # no neighbours to show; the rest works
        if error is not None:
            raise error  # a bug: said where bugs are said, not swallowed
        assert isinstance(neighbours, NearestExamples)
        self.neighbours = neighbours
        if self.features is not None:
            self._show_neighbours(self.features)

    def set_network(self, network: Network) -> None:
        """Look inside another network from now on."""
        self.network = network
        self.vote = vote_of(network)
        self._show()

    def set_drawing(self, features: np.ndarray | None) -> None:
        """The drawing's 8x8 input changed (None: the canvas is empty)."""
        self.drawing = None if features is None else np.asarray(features, dtype=np.float64)
        self.features = None if self.drawing is None else self.drawing.copy()
        if self.isVisible():
            self._show()

    def back_to_drawing(self) -> None:
        """Forget the edits: show the drawing's own input again."""
        self.set_drawing(self.drawing)

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up with the drawing when the tab is opened."""
        super().showEvent(event)
        self._read_neighbours()
        self._show()

    def _on_editor_cell_edited(self, row: int, column: int, step: int) -> None:
        if self.features is None:
            self.features = np.zeros((GRID, GRID))
        self.features[row, column] = np.clip(self.features[row, column] + step * EDIT_STEP,
                                             0, MAX_COUNT)  # fmt: skip
        self._show()

    def _on_target_combo_changed(self, index: int) -> None:
        self._show()

    def _show(self) -> None:
        features = self.features
        drawing = self.drawing
        edited = features is not None and (drawing is None or not np.array_equal(features, drawing))
        self.back_button.setEnabled(bool(edited))
        if features is None or not features.any():
            self.inside = None
            self.answer_label.setText("Draw a digit on the Draw tab, or ink the grid on the right.")
            self.saliency.set_values(None)
            blank = features if features is not None else np.zeros((GRID, GRID))
            self.editor.set_values(blank, MAX_COUNT)  # inkable even with nothing drawn
            self.activations.set_layers([], [], [])
            self._show_neighbours(None)
            return
        index = self.target_combo.currentIndex()
        inside = look_inside(self.network, features, None if index <= 0 else index - 1,
                             self.vote)  # fmt: skip
        self.inside = inside
        source = "your edited input" if edited else "your drawing"
        voted = inside.voted
        with_vote = (
            ""
            if voted is None
            else f"; with your samples' vote, {voted.argmax()} ({voted.max():.0%})"
        )
        self.answer_label.setText(
            f"For {source} the network says {inside.digit} "
            f"({inside.probabilities[inside.digit]:.0%}){with_vote}; explaining {inside.target}."
        )
        names = ["input 8×8"] + [
            f"{layer.size} {layer.activation}" for layer in self.network.layers[1:-1]
        ] + ["output 0–9"]  # fmt: skip
        self.activations.set_layers(inside.layers, inside.pushes, names)
        self.saliency.set_values(inside.saliency)
        self.editor.set_values(features, MAX_COUNT)
        self._show_neighbours(features)

    def _show_neighbours(self, features: np.ndarray | None) -> None:
        """The nearest training glyphs to ``features``; empty slots while none are known."""
        glyphs: list[np.ndarray | None] = [None] * NEIGHBOURS
        captions = [""] * NEIGHBOURS
        known = self.neighbours
        if known and features is not None:
            for slot, (index, digit, distance) in enumerate(known.query(features, NEIGHBOURS)):
                glyphs[slot] = known.features[index].reshape(GRID, GRID)
                captions[slot] = f"{digit} · {distance:.1f}"
        self.neighbours_view.set_items(glyphs, captions)


def _training_glyphs(corpus: CorpusSource) -> NearestExamples:
    """The corpus's training glyphs (not the user's own), to find the nearest ones in."""
    loaded = corpus.load()
    features, labels = loaded.training_set([n for n in loaded.sources if n != MY_SAMPLES])
    return NearestExamples(features, labels)
