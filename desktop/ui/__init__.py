"""Every Qt class of Digit Pad: the window, its tabs, panels, dialogs and workers.

Nothing outside this package imports PySide6 or pyqtgraph (tests/desktop/test_layers.py).
"""
