"""A Digit Pad that needs no Python: a PyInstaller one-folder bundle, and a ``.deb`` of it.

``python -m desktop.build bundle`` runs PyInstaller (the optional ``bundle`` extra) on
the app's entry point; the bundle's own executable is also its training process
(``--training-process``), as a frozen program has no ``python -m``. ``--deb`` then packs
the folder under ``/opt/digit-pad`` with a launcher in ``/usr/bin``, the desktop entry,
the icon and the AppStream metainfo, with ``dpkg-deb``. No Qt is imported here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from desktop import __version__
from desktop.bundled import bundled_folder
from desktop.platform_check import WINDOW_LIBRARIES

# The package data (a checkout's resources/, or an installed desktop/resources/).
RESOURCES = Path(str(bundled_folder()))
APP_ID = "io.github.digitpad.DigitPad"
NAME = "digit-pad"
# Qt modules PySide6 ships that the app never loads: left out, the bundle is smaller.
UNUSED_QT = ("PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtPdf", "PySide6.QtDBus",
             "PySide6.QtDesigner", "PySide6.QtUiTools", "PySide6.QtConcurrent")  # fmt: skip
ENTRY = """from desktop.ui.launch import main
import sys
sys.exit(main())
"""


def build_bundle(dist: Path, work: Path | None = None) -> Path:
    """Build ``dist/digit-pad/`` (one folder); returns the folder."""
    dist = dist.resolve()  # PyInstaller runs in a scratch folder
    with tempfile.TemporaryDirectory() as scratch:
        entry = Path(scratch) / f"{NAME}.py"
        entry.write_text(ENTRY, encoding="utf-8")
        command = [
            sys.executable, "-m", "PyInstaller", str(entry), "--name", NAME, "--onedir",
            "--noconfirm", "--clean", "--log-level", "WARN",
            "--distpath", str(dist), "--workpath", str(work or Path(scratch) / "work"),
            "--specpath", scratch,
            # The package data of desktop.resources (model, corpus, icon, entry).
            "--add-data", f"{RESOURCES}:desktop/resources",
            "--hidden-import", "desktop.resources",
            "--hidden-import", "desktop.training.server",
            *(argument for module in UNUSED_QT for argument in ("--exclude-module", module)),
        ]  # fmt: skip
        subprocess.run(command, check=True, cwd=scratch)
    return dist / NAME


def build_deb(bundle: Path, out: Path) -> Path:
    """Pack ``bundle`` as a Debian package installing to /opt/digit-pad; returns its path."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "root"
        shutil.copytree(bundle, root / "opt" / NAME, symlinks=True)
        launcher = root / "usr" / "bin" / NAME
        launcher.parent.mkdir(parents=True)
        launcher.symlink_to(f"/opt/{NAME}/{NAME}")
        share = root / "usr" / "share"
        entry = (RESOURCES / f"{APP_ID}.desktop").read_text(encoding="utf-8")
        _write(share / "applications" / f"{APP_ID}.desktop",
               entry.replace("Exec=digit-pad", f"Exec=/opt/{NAME}/{NAME}"))  # fmt: skip
        _copy(RESOURCES / f"{APP_ID}.svg",
              share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg")  # fmt: skip
        _copy(RESOURCES / f"{APP_ID}.metainfo.xml",
              share / "metainfo" / f"{APP_ID}.metainfo.xml")  # fmt: skip
        size_kib = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) // 1024
        _write(root / "DEBIAN" / "control", CONTROL.format(
            version=__version__, size=size_kib, architecture=_architecture(),
            depends=", ".join(WINDOW_LIBRARIES)))  # fmt: skip
        out.mkdir(parents=True, exist_ok=True)
        deb = out / f"{NAME}_{__version__}_{_architecture()}.deb"
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root),
                        str(deb)], check=True, capture_output=True)  # fmt: skip
    return deb


CONTROL = """Package: digit-pad
Version: {version}
Architecture: {architecture}
Maintainer: The Digit Pad developers <digit-pad@invalid>
Installed-Size: {size}
Depends: {depends}
Section: education
Priority: optional
Homepage: https://github.com/digit-pad/digit-pad
Description: Draw a digit and watch a neural network recognise it
 Digit Pad recognises the digit you draw, live, with a small neural network
 written from scratch in NumPy; it shows what the network does and trains new
 ones from the GUI. This package bundles its own Python.
"""


def _architecture() -> str:
    done = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=False)  # fmt: skip
    return done.stdout.strip() or "amd64"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
