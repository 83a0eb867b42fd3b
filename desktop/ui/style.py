"""The app's colours, named once, and the look of its pyqtgraph plots.

Colours are hex strings (Qt style sheets, ``QColor`` and pyqtgraph all take them).
:func:`apply_plot_style` sets pyqtgraph's global options; the window calls it once at
start-up, before any plot exists, rather than as a side effect of an import.
"""

from __future__ import annotations

import pyqtgraph as pg

BLUE = "#2e6fdb"  # the network's answer, the training curve, correct predictions
ORANGE = "#e07b24"  # validation figures
GREEN = "#2f9e6e"  # drawn digits of unseen writers
RED = "#d64541"  # mistakes
ERROR_TEXT = "#b3261e"  # form errors
MUTED = "#9aa3b5"  # an answer the network is not sure of
BAR = "#7886a0"  # the probabilities of the other digits
AXES = "#3b4252"
PAPER = "#fbfaf7"
INK = "#1d2330"
FRAME = "#c9cdd6"
HINT = "#8a93a6"
EMPTY = "#eef0f4"


def apply_plot_style() -> None:
    """Light background, dark axes, smooth lines for every plot made after this call."""
    pg.setConfigOptions(antialias=True, background="w", foreground=AXES)
