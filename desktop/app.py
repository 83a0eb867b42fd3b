"""Public entry of the window (the public contract): ``from desktop.app import MainWindow``.

The window lives in :mod:`desktop.ui.main_window`, with every other Qt class.
"""

from desktop.ui.main_window import MainWindow

__all__ = ["MainWindow"]
