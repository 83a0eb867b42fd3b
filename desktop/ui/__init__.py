"""Every Qt class of Digit Pad: the window, its tabs, panels, dialogs and workers.

Nothing outside this package imports PySide6 or pyqtgraph (tests/desktop/test_layers.py).
"""

from desktop.ui.import_hook import speed_up_pyside_import_hook

# When PySide6 came first (tests, scripts), every module imported from here on (the
# app's, pyqtgraph's) is checked by PySide6's import hook at a fifth of the cost; the
# entry point, which imports this package before PySide6, asks again after it.
speed_up_pyside_import_hook()
