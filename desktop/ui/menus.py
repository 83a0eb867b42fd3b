"""The window's menus, from tables: each entry a text, its shortcuts and what it does."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from desktop.ui.dialogs.file_choice import choose_file_to_open, choose_file_to_save
from nncore import Network

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

MODEL_FILTER = "Digit Pad models (*.npz);;All files (*)"

Shortcut = QKeySequence.StandardKey | str
Entry = tuple[str, Sequence[Shortcut], Callable[[], object]] | None


def add_menu(window: QMainWindow, title: str, entries: Sequence[Entry]) -> list[QAction]:
    """Add menu ``title`` to ``window``'s menu bar; returns its actions in order.

    Each entry is a text, its shortcuts and what it does; None is a separator.
    """
    menu = window.menuBar().addMenu(title)
    actions = []
    for entry in entries:
        if entry is None:
            menu.addSeparator()
            continue
        text, shortcuts, slot = entry
        action = QAction(text, window)
        action.setShortcuts([QKeySequence(shortcut) for shortcut in shortcuts])
        action.triggered.connect(slot)
        menu.addAction(action)
        actions.append(action)
    return actions


def add_window_menus(window: MainWindow) -> None:
    """File (models, the drawing, samples, quit) and Edit (the Draw tab's actions)."""
    keys = QKeySequence.StandardKey
    add_menu(window, "&File", [
        ("&Open model…", [keys.Open], lambda: ask_open_model(window)),
        ("&Save model…", [keys.Save], lambda: ask_save_model(window)),
        ("Use &bundled model", [], window.use_bundled_model),
        None,
        ("&Export drawing as PNG…", [], lambda: ask_export_drawing(window)),
        ("M&y samples…", [], window.show_samples),
        None,
        ("&Quit", [keys.Quit], window.close),
    ])  # fmt: skip
    window.menuBar().addMenu("&Edit").addActions(window.draw_tab.edit_actions)


def ask_open_model(window: MainWindow) -> None:
    """Ask for a model file, and use it."""
    path = choose_file_to_open(window, "Open model", MODEL_FILTER, window.folder)
    if path:
        window.open_model(path)


def ask_save_model(window: MainWindow, network: Network | None = None) -> None:
    """Ask where to save ``network`` (default: the model in use), and save it."""
    path = choose_file_to_save(window, "Save model", "model.npz", MODEL_FILTER, window.folder)
    if path:
        window.save_model(path, network)


def ask_export_drawing(window: MainWindow) -> None:
    """Ask where to export the drawing as PNG, and export it."""
    path = choose_file_to_save(window, "Export drawing", "digit.png", "PNG (*.png)", window.folder)
    if path:
        window.export_drawing(path)
