"""Digit Pad in the desktop's app menu: the icon, and the entry installed per user.

Freedesktop conventions: ``digit-pad --install-desktop-entry`` writes the desktop entry
(with an ``Exec`` that starts this very installation), the AppStream metainfo and the
icon (SVG, and PNGs drawn from it) under ``$XDG_DATA_HOME`` (``~/.local/share``);
``--uninstall-desktop-entry`` removes exactly those files.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QIcon, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from desktop.bundled import read_bundled
from desktop.files import write_atomically

APP_ID = "io.github.digitpad.DigitPad"  # the desktop file's name, the icon's, Qt's
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
# Characters that make an Exec argument need quoting (the Desktop Entry spec's list).
RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def data_home(environment: Mapping[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute."""
    env = os.environ if environment is None else environment
    folder = env.get("XDG_DATA_HOME", "")
    return Path(folder) if os.path.isabs(folder) else Path.home() / ".local" / "share"


def launcher() -> list[str]:
    """The command that starts this installation, however it was installed."""
    if getattr(sys, "frozen", False):  # a bundle: its own executable
        return [sys.executable]
    script = Path(sys.executable).with_name("digit-pad")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "desktop"]


def exec_line(command: list[str]) -> str:
    """``command`` as a Desktop Entry ``Exec`` value (arguments quoted where needed)."""

    def quoted(argument: str) -> str:
        if not RESERVED.intersection(argument):
            return argument
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        return f'"{escaped}"'

    return " ".join(quoted(argument) for argument in command)


def icon() -> QIcon:
    """The application icon (scalable)."""
    return read_bundled(f"{APP_ID}.svg", lambda path: QIcon(str(path)))


def installed_files(home: Path) -> list[Path]:
    """Every file the entry installs under ``home`` (an XDG data folder)."""
    hicolor = home / "icons" / "hicolor"
    return [
        home / "applications" / f"{APP_ID}.desktop",
        home / "metainfo" / f"{APP_ID}.metainfo.xml",
        hicolor / "scalable" / "apps" / f"{APP_ID}.svg",
        *(hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in ICON_SIZES),
    ]


def install(home: Path | None = None, command: list[str] | None = None) -> list[Path]:
    """Install the entry, metainfo and icons for the current user; the files written."""
    home = data_home() if home is None else home
    entry, metainfo, svg, *pngs = installed_files(home)
    text = read_bundled(f"{APP_ID}.desktop", lambda path: path.read_text(encoding="utf-8"))
    command_line = exec_line(launcher() if command is None else command)
    lines = [f"Exec={command_line}" if line.startswith("Exec=") else line
             for line in text.splitlines()]  # fmt: skip
    _write(entry, "\n".join(lines) + "\n")
    _write(metainfo, read_bundled(f"{APP_ID}.metainfo.xml", lambda p: p.read_text("utf-8")))
    svg_text = read_bundled(f"{APP_ID}.svg", lambda path: path.read_text(encoding="utf-8"))
    _write(svg, svg_text)
    renderer = QSvgRenderer(svg_text.encode("utf-8"))
    for size, png in zip(ICON_SIZES, pngs, strict=True):
        png.parent.mkdir(parents=True, exist_ok=True)
        if not _render(renderer, size).save(str(png), "PNG"):  # type: ignore[call-overload]
            raise OSError(f"could not write {png}")
    return [entry, metainfo, svg, *pngs]


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove what :func:`install` wrote; the files that were there."""
    home = data_home() if home is None else home
    removed = []
    for path in installed_files(home):
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def _render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    with QPainter(image) as painter:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
    return image


def _write(path: Path, text: str) -> None:
    write_atomically(path, text.encode("utf-8"))
