"""Starting without a display or without Qt's system libraries says what is missing."""

from __future__ import annotations

import os
import subprocess
import sys

from desktop import platform_check


def test_no_display_is_said_plainly_and_qt_is_never_loaded() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "desktop"], env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 1
    assert "needs a display" in done.stderr and "--screenshot" in done.stderr
    assert "qt.qpa" not in done.stderr  # Qt's own abort message never comes


def test_every_missing_library_is_named_with_its_install_command(monkeypatch) -> None:
    libraries = {"libgl1": "libGL.so.1", "libnot-here0": "libnot-here.so.0",
                 "libnor-this1": "libnor-this.so.1"}  # fmt: skip
    monkeypatch.setattr(platform_check, "WINDOW_LIBRARIES", libraries)
    said = platform_check.problem({"DISPLAY": ":0"})
    assert said is not None
    assert "libnot-here0, libnor-this1" in said
    assert "sudo apt-get install -y libnot-here0 libnor-this1" in said
    assert "libgl1" not in said  # present here (the tests need it)


def test_offscreen_needs_only_the_offscreen_libraries() -> None:
    assert platform_check.problem({"QT_QPA_PLATFORM": "offscreen"}) is None


def test_a_display_that_does_not_answer_is_said_plainly(monkeypatch) -> None:
    assert platform_check.x_display_answers(":55") is False  # no X server there
    # This machine may lack some of a real window's libraries: take them as present.
    monkeypatch.setattr(platform_check, "WINDOW_LIBRARIES", platform_check.OFFSCREEN_LIBRARIES)
    said = platform_check.problem({"DISPLAY": ":55"})
    assert said is not None and "':55'" in said and "does not answer" in said
    assert "--screenshot" in said
