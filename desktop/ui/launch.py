"""Entry point of ``digit-pad`` and ``python -m desktop``.

``--screenshot FILE`` renders the window offscreen to a PNG and exits (``--sample 7``
draws a generated 7 first, ``--tab train`` shows the Train tab), for the README and for
looking at what was built.
"""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial
from typing import TYPE_CHECKING

from desktop import __version__, platform_check

if TYPE_CHECKING:  # imported lazily below: QT_QPA_PLATFORM must be set first
    from PySide6 import QtCore
    from PySide6.QtWidgets import QApplication

    from desktop.ui.main_window import MainWindow


def main(argv: list[str] | None = None) -> int:
    """Start Digit Pad; returns the process exit code."""
    if (sys.argv[1:] if argv is None else argv) == ["--training-process"]:
        # A bundle has no ``python -m``: its own executable serves as the training
        # process (desktop.training.process.server_command). No Qt is loaded.
        from desktop.training.server import main as serve

        serve()
        return 0
    parser = argparse.ArgumentParser(
        prog="digit-pad",
        description="Draw a digit, watch a from-scratch NumPy network recognise it, train it.",
    )
    parser.add_argument("--version", action="version", version=f"digit-pad {__version__}")
    parser.add_argument("--screenshot", metavar="FILE", help="render the window to FILE and exit")
    parser.add_argument("--sample", type=int, choices=range(10), metavar="DIGIT",
                        help="with --screenshot: draw this digit first")  # fmt: skip
    parser.add_argument("--tab", choices=("draw", "inside", "train"), default="draw",
                        help="with --screenshot: the tab to show")  # fmt: skip
    parser.add_argument("--self-check", action="store_true",
                        help="train and fine-tune briefly, without a window, and exit")  # fmt: skip
    parser.add_argument("--new-window", action="store_true",
                        help="open another window even if Digit Pad is running")  # fmt: skip
    entry = parser.add_mutually_exclusive_group()
    entry.add_argument("--install-desktop-entry", action="store_true",
                       help="put this Digit Pad in your app menu and exit")  # fmt: skip
    entry.add_argument("--uninstall-desktop-entry", action="store_true",
                       help="take Digit Pad out of your app menu and exit")  # fmt: skip
    args = parser.parse_args(argv)
    if args.self_check:  # no window: the training process alone
        return _self_check()
    offscreen = args.screenshot or args.install_desktop_entry or args.uninstall_desktop_entry
    if offscreen:  # no window: no display needed
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication
    trouble = platform_check.problem()
    if trouble is not None:
        sys.stderr.write(f"digit-pad: {trouble}\n")
        return 1

    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Digit Pad")
    app.setOrganizationName("DigitPad")

    from desktop.ui import desktop_entry

    if args.install_desktop_entry or args.uninstall_desktop_entry:
        return _desktop_entry(args.install_desktop_entry)
    app.setDesktopFileName(desktop_entry.APP_ID)  # the menu entry, the dock's icon and name

    from desktop.ui.main_window import MainWindow
    from desktop.ui.support.single_instance import InstanceGuard, bring_to_front, instance_name

    if not args.screenshot:
        guard = InstanceGuard(instance_name())
        if not args.new_window and not guard.claim():
            return 0  # the running window was asked to come to the front
        window = MainWindow()
        guard.raise_requested.connect(partial(bring_to_front, window))
        window.show()
        return app.exec()
    import tempfile

    from PySide6.QtCore import QSettings

    # A screenshot shows the default state and must not touch the user's settings or data.
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(f"{folder}/settings.ini", QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, samples_folder=folder)
        return _screenshot(app, window, args.screenshot, args.sample, args.tab)


def _self_check() -> int:
    from desktop.training.process import TrainingProcessError
    from desktop.training.self_check import self_check

    try:
        sys.stdout.write(self_check() + "\n")
    except TrainingProcessError as error:
        sys.stderr.write(f"digit-pad: self-check failed: {error}\n")
        return 1
    return 0


def _desktop_entry(install: bool) -> int:
    from desktop.ui import desktop_entry

    try:
        files = desktop_entry.install() if install else desktop_entry.uninstall()
    except OSError as error:
        sys.stderr.write(f"digit-pad: the desktop entry could not be written: {error}\n")
        return 1
    verb = "installed" if install else "removed"
    sys.stdout.write("".join(f"{verb} {path}\n" for path in files) or "nothing to remove\n")
    return 0


def _screenshot(
    app: QApplication, window: MainWindow, path: str, sample: int | None, tab: str
) -> int:
    import numpy as np
    from PySide6 import QtCore

    from desktop.data.synthetic import sample_strokes

    QtCore.qInstallMessageHandler(_without_offscreen_size_hint_warning)  # decisions/0005
    window.resize(1180, 760)
    window.show()
    pages = {"draw": window.draw_tab, "inside": window.inside_tab, "train": window.train_tab}
    window.tabs.setCurrentWidget(pages[tab])
    if tab == "train":  # the plots are otherwise built a moment after the window shows
        window.train_tab.plots.ensure_charts()
    if sample is not None:
        canvas = window.draw_tab.canvas
        rng = np.random.default_rng(sample)
        for stroke in sample_strokes(sample, rng, style=0):
            canvas.add_stroke((stroke - 250) * 0.8 + 140)  # the generator's 500-unit box
    import time

    deadline = time.monotonic() + 3.0  # the Inside tab reads its neighbours in a thread
    while tab == "inside" and window.inside_tab.neighbours is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    settled = time.monotonic() + 0.2  # pending layouts and paints
    while time.monotonic() < settled:
        app.processEvents()
        time.sleep(0.005)
    ok = window.grab().save(path)
    window.close()
    sys.stderr.write(f"wrote {path}\n" if ok else f"could not write {path}: {_why_not(path)}\n")
    return 0 if ok else 1


def _without_offscreen_size_hint_warning(
    kind: QtCore.QtMsgType, context: QtCore.QMessageLogContext, message: str
) -> None:
    """Qt's messages as Qt prints them, less the offscreen plugin's size-hint warning."""
    if "does not support propagateSizeHints" not in message:
        sys.stderr.write(message + "\n")


def _why_not(path: str) -> str:
    """Why a picture could not be written to ``path`` (Qt says only that it failed)."""
    from PySide6.QtGui import QImageWriter

    folder = os.path.dirname(os.path.abspath(path))
    suffix = os.path.splitext(path)[1].lower().lstrip(".")
    formats = {bytes(f.data()).decode() for f in QImageWriter.supportedImageFormats()}
    if not os.path.isdir(folder):
        return f"there is no folder {folder}"
    if not os.access(folder, os.W_OK):
        return f"the folder {folder} cannot be written"
    if suffix not in formats:
        return f"'.{suffix}' is not a picture format it writes (use .png)"
    return "the disk may be full"
