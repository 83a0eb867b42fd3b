"""Menus from tables: each entry a text, its shortcuts and what it does (None: a separator)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

Shortcut = QKeySequence.StandardKey | str
Entry = tuple[str, Sequence[Shortcut], Callable[[], object]] | None


def add_menu(window: QMainWindow, title: str, entries: Sequence[Entry]) -> list[QAction]:
    """Add menu ``title`` to ``window``'s menu bar; returns its actions in order."""
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
