"""Digit Pad in the app menu: the entry, metainfo and icons installed and removed per user."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

import desktop
from desktop.ui import desktop_entry
from desktop.ui.launch import main

RESOURCES = Path(__file__).resolve().parents[3] / "resources"


def test_install_then_uninstall_in_the_users_data_folder(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["--install-desktop-entry"]) == 0
    files = desktop_entry.installed_files(tmp_path)
    assert all(path.is_file() for path in files)
    assert capsys.readouterr().out.count("installed ") == len(files)
    entry = (tmp_path / "applications" / f"{desktop_entry.APP_ID}.desktop").read_text()
    exec_line = next(line for line in entry.splitlines() if line.startswith("Exec="))
    program = exec_line.removeprefix("Exec=").split()[0]
    assert Path(program).is_absolute() and Path(program).exists()  # works from the menu
    for size in desktop_entry.ICON_SIZES:
        png = QImage(str(tmp_path / "icons" / "hicolor" / f"{size}x{size}" / "apps" /
                         f"{desktop_entry.APP_ID}.png"))  # fmt: skip
        assert (png.width(), png.height()) == (size, size)
        assert png.pixelColor(size // 2, size // 2).alpha() == 255  # drawn, not blank
    assert main(["--uninstall-desktop-entry"]) == 0
    assert not any(path.exists() for path in files)
    assert main(["--uninstall-desktop-entry"]) == 0  # nothing left: still fine
    assert "nothing to remove" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("tool", "arguments", "name"),
    [
        ("desktop-file-validate", [], "io.github.digitpad.DigitPad.desktop"),
        ("appstreamcli", ["validate", "--no-net"], "io.github.digitpad.DigitPad.metainfo.xml"),
    ],
)
def test_the_shipped_files_pass_the_freedesktop_validators(tool, arguments, name) -> None:
    if shutil.which(tool) is None:  # .ci/run installs both
        pytest.skip(f"{tool} is not installed")
    path = RESOURCES / name
    done = subprocess.run([tool, *arguments, str(path)], capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_exec_arguments_are_quoted_as_the_spec_asks() -> None:
    assert desktop_entry.exec_line(["/opt/digit pad/bin/digit-pad"]) == (
        '"/opt/digit pad/bin/digit-pad"'
    )
    assert desktop_entry.exec_line(["/usr/bin/python3", "-m", "desktop"]) == (
        "/usr/bin/python3 -m desktop"
    )
    assert desktop_entry.exec_line(['/a"b$c']) == '"/a\\"b\\$c"'


def test_the_metainfo_names_this_version() -> None:
    path = (
        Path(__file__).resolve().parents[3] / "resources" / f"{desktop_entry.APP_ID}.metainfo.xml"
    )
    assert f'<release version="{desktop.__version__}"' in path.read_text()


def test_the_window_has_the_application_icon(window) -> None:
    assert not window.windowIcon().isNull()
    assert window.windowIcon().pixmap(16, 16).toImage().pixelColor(8, 8).alpha() == 255
