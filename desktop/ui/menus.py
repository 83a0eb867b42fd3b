"""The window's menus, from tables: each entry a text, its shortcuts and what it does."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from desktop.exports.numpy_script import export_numpy_script
from desktop.exports.onnx_model import ExportUnavailable, export_onnx
from desktop.files import write_atomically
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
        ("Export model as ONN&X…", [], lambda: ask_export_model(window, ONNX)),
        ("Export model as NumPy scrip&t…", [], lambda: ask_export_model(window, NUMPY_SCRIPT)),
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


def ask_save_copy(window: MainWindow, model: Path) -> None:
    """Ask where to save a copy of the model file ``model`` (a kept run's), and copy it."""
    path = choose_file_to_save(window, "Save model", model.name, MODEL_FILTER, window.folder)
    if not path:
        return
    try:
        write_atomically(path, model.read_bytes())
    except OSError as error:
        window.report_error("The model could not be saved", str(error))
        return
    window.statusBar().showMessage(f"Saved the model to {path}", 5000)


# How the model in use leaves the app: the file dialog's title, name and filter, and
# the writer (each says its own failures as OSError, ValueError or ExportUnavailable).
Export = tuple[str, str, str, Callable[[Network, Path], object]]
ONNX: Export = ("Export model as ONNX", "digit-pad.onnx", "ONNX models (*.onnx)",
                lambda network, path: export_onnx(network, path))  # fmt: skip
NUMPY_SCRIPT: Export = ("Export model as a NumPy script", "predict.py", "Python (*.py)",
                        lambda network, path: export_numpy_script(network, path))  # fmt: skip


def ask_export_model(window: MainWindow, export: Export) -> None:
    """Ask where to export the model in use, and export it."""
    title, name, file_filter, write = export
    path = choose_file_to_save(window, title, name, file_filter, window.folder)
    if not path:
        return
    try:
        write(window.recognizer.network, Path(path))
    except (OSError, ValueError, ExportUnavailable) as error:
        window.report_error("The model could not be exported", str(error))
        return
    window.statusBar().showMessage(f"Exported the model to {path}", 5000)


def ask_export_drawing(window: MainWindow) -> None:
    """Ask where to export the drawing as PNG, and export it."""
    path = choose_file_to_save(window, "Export drawing", "digit.png", "PNG (*.png)", window.folder)
    if path:
        export_drawing(window, path)


def export_drawing(window: MainWindow, path: str | Path) -> bool:
    """Save the Draw tab's drawing as a PNG picture; a failure is said."""
    # PySide6's stub says bytes for the format; at run time only str is accepted.
    if not window.draw_tab.canvas.to_image().save(str(path), "PNG"):  # type: ignore[call-overload]
        window.report_error("Export failed", f"The drawing could not be written to {path}.")
        return False
    window.statusBar().showMessage(f"Exported the drawing to {path}", 5000)
    return True
