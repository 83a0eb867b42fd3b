"""The window's menus, from tables: each entry a text, its shortcuts and what it does."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

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
        ("&Open model…", [keys.Open], window.ask_open_model),
        ("&Save model…", [keys.Save], lambda: window.ask_save_model()),
        ("Use &bundled model", [], window.use_bundled_model),
        None,
        ("&Export drawing as PNG…", [], window.ask_export_drawing),
        ("M&y samples…", [], window.show_samples),
        None,
        ("&Quit", [keys.Quit], window.close),
    ])  # fmt: skip
    window.menuBar().addMenu("&Edit").addActions(window.draw_tab.edit_actions)
