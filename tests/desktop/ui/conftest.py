"""GUI fixtures: a main window with throwaway settings."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture
def settings(tmp_path) -> QSettings:
    """A settings file of this test's own, never the user's."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings, tmp_path) -> Iterator:
    from desktop.app import MainWindow

    window = MainWindow(settings=settings, samples_folder=tmp_path / "samples")
    qtbot.addWidget(window)
    window.resize(1100, 720)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()  # stops any training thread before the test ends


@pytest.fixture(autouse=True)
def collect_garbage_after_each_test() -> Iterator[None]:
    """Collect garbage when each GUI test ends, so that a process or file it left open
    is reported (ResourceWarning, an error here) against that test, not a later one."""
    yield
    gc.collect()
