"""Every start succeeds: no remembered value, file or path can stop the window opening."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from desktop.ui import settings as keys

NESTED = "[" * 100_000 + "]" * 100_000


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[str, object]]:
    loop = tmp_path / "loop.npz"
    loop.symlink_to(loop)  # a link to itself
    hostile = tmp_path / "nested.npz"  # a model whose header nests for ever
    import zipfile

    import numpy as np

    with zipfile.ZipFile(hostile, "w") as archive, archive.open("header.npy", "w") as member:
        np.save(member, np.frombuffer(NESTED.encode(), np.uint8))
    return {
        "brush as text": (keys.BRUSH, "abc"),
        "brush as a float": (keys.BRUSH, "1e9"),
        "brush as a list": (keys.BRUSH, ["4", "5"]),
        "brush too big": (keys.BRUSH, "9" * 40),
        "geometry as text": (keys.WINDOW_GEOMETRY, "not a geometry"),
        "training settings nested": (keys.TRAIN_CONFIG, NESTED),
        "last model a loop of links": (keys.LAST_MODEL, str(loop)),
        "last model path 100,000 long": (keys.LAST_MODEL, "/x" * 50_000),
        "last model header nested": (keys.LAST_MODEL, str(hostile)),
        "last folder 100,000 long": (keys.LAST_FOLDER, "/y" * 50_000),
    }


NAMES = [
    "brush as text", "brush as a float", "brush as a list", "brush too big",
    "geometry as text", "training settings nested", "last model a loop of links",
    "last model path 100,000 long", "last model header nested", "last folder 100,000 long",
]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_the_window_opens_whatever_a_setting_holds(qtbot, tmp_path, name) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop.app import MainWindow

    key, value = _bad_inputs(tmp_path)[name]
    path = str(tmp_path / "settings.ini")
    written = QSettings(path, QSettings.Format.IniFormat)
    written.setValue(key, value)
    written.sync()
    settings = QSettings(path, QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, samples_folder=tmp_path / "samples")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    try:
        assert window.draw_tab.brush_slider.value() in range(4, 41)
        if key == keys.LAST_FOLDER:  # read when a file dialog opens: it starts at home
            assert window.folder.path() == str(Path.home())
            return
        box = window.findChild(QMessageBox, "errorBox")
        assert box is not None and len(box.text()) < 2000  # told, in a readable box
    finally:
        window.close()
    again = QSettings(path, QSettings.Format.IniFormat)
    assert again.value(key) != value  # reset or replaced: said once, not at every start


def test_a_settings_file_that_is_a_fifo_is_moved_aside(tmp_path) -> None:
    folder = tmp_path / "config" / "DigitPad"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "Digit Pad.conf")  # reading it would block for ever
    code = (
        "from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]);"
        "from desktop.ui.settings import default_settings;"
        "from desktop.ui.settings import settings_file;"
        "print(default_settings().value('draw/brush', 'none'));"
        "print(default_settings().fileName() == str(settings_file()))"
    )
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["none", "True"]  # and the file checked is the one read
    assert (folder / "Digit Pad.conf.not-a-file").exists()  # kept, never deleted


def test_the_window_opens_when_the_data_folder_cannot_hold_the_samples(qtbot, tmp_path) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop.app import MainWindow

    blocked = tmp_path / "data"
    blocked.write_text("a file where the data folder should be")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, samples_folder=blocked)
    qtbot.addWidget(window)
    window.show()
    try:
        box = window.findChild(QMessageBox, "errorBox")
        assert box is not None and "until you close Digit Pad" in box.text()
        window.samples.add(4, np.full((8, 8), 4))  # kept for this session
        assert window.samples.counts()[4] == 1
    finally:
        window.close()


def test_settings_that_cannot_be_written_are_said_once_and_the_window_works(
    qtbot, tmp_path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop.app import MainWindow

    blocked = tmp_path / "config"
    blocked.write_text("a file where the settings folder should be")
    settings = QSettings(str(blocked / "DigitPad" / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, samples_folder=tmp_path / "samples")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    boxes = window.findChildren(QMessageBox, "errorBox")
    assert len(boxes) == 1 and "preferences cannot be saved" in boxes[0].text()
    assert str(blocked) in boxes[0].text()
    boxes[0].close()
    window.draw_tab.set_brush_size(12)  # the window works; closing it loses only preferences
    assert window.close()
    assert blocked.read_text().startswith("a file where")


def test_writable_settings_say_nothing(tmp_path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert keys.unwritable_note(settings) is None
