"""One look for every pyqtgraph plot in the app: light background, dark axes."""

from __future__ import annotations

import pyqtgraph as pg

pg.setConfigOptions(antialias=True, background="w", foreground="#3b4252")
