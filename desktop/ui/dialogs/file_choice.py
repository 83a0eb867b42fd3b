"""Ask for a file to open or save, starting in the folder of the last file chosen."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.ui.settings import RecentFolder


def choose_file_to_open(
    parent: QWidget, title: str, filters: str, folder: RecentFolder | None
) -> str | None:
    """The file the user chose to open (its folder remembered), or None."""
    start = folder.path() if folder is not None else ""
    path, _ = QFileDialog.getOpenFileName(parent, title, start, filters)
    return _chosen(path, folder)


def choose_file_to_save(
    parent: QWidget, title: str, name: str, filters: str, folder: RecentFolder | None
) -> str | None:
    """Where the user chose to save (``name`` offered; its folder remembered), or None."""
    start = folder.path(name) if folder is not None else name
    path, _ = QFileDialog.getSaveFileName(parent, title, start, filters)
    return _chosen(path, folder)


def _chosen(path: str, folder: RecentFolder | None) -> str | None:
    if path and folder is not None:
        folder.remember(path)
    return path or None
