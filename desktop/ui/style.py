"""The app's colours, named once.

Colours are hex strings (Qt style sheets, ``QColor`` and pyqtgraph all take them).
"""

from __future__ import annotations

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
# One colour per run when kept runs are overlaid (Tableau's ten, told apart by most eyes).
RUN_COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
               "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")  # fmt: skip
