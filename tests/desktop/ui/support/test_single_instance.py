"""One Digit Pad per user: a second launch raises the running window and exits."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from functools import partial

from desktop.ui.support.single_instance import InstanceGuard, bring_to_front, instance_name


def _launch(runtime, *arguments: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(runtime),
        "QT_QPA_PLATFORM": "offscreen",
        # a window of its own must not touch the user's settings or samples
        "XDG_DATA_HOME": str(runtime / "data"),
        "XDG_CONFIG_HOME": str(runtime / "config"),
    }
    command = [sys.executable, "-m", "desktop", *arguments]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def _wait(qtbot, process: subprocess.Popen[str], seconds: float = 60) -> tuple[int, str]:
    """The exit code and what the process said on standard error."""
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        qtbot.wait(20)  # the running instance answers from this event loop
    if process.poll() is None:
        process.kill()
    _, said = process.communicate(timeout=5)
    return process.returncode, said


def test_a_second_launch_raises_the_running_window_and_exits(qtbot, window, tmp_path) -> None:
    guard = InstanceGuard(instance_name({"XDG_RUNTIME_DIR": str(tmp_path)}))
    assert guard.claim()
    guard.raise_requested.connect(partial(bring_to_front, window))
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    with qtbot.waitSignal(guard.raise_requested, timeout=60_000):
        code, said = _wait(qtbot, _launch(tmp_path))
        assert code == 0, said
    assert not window.isMinimized()


def test_a_socket_left_by_a_crashed_instance_is_claimed_anew(qtbot, tmp_path) -> None:
    name = instance_name({"XDG_RUNTIME_DIR": str(tmp_path)})
    crashed = subprocess.run(  # listens, then dies without closing its socket
        [sys.executable, "-c", (
            "import os; from PySide6.QtCore import QCoreApplication;"
            "from PySide6.QtNetwork import QLocalServer;"
            f"app = QCoreApplication([]); s = QLocalServer(); assert s.listen({name!r});"
            "os._exit(9)"
        )], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=60, check=False,
    )  # fmt: skip
    assert crashed.returncode == 9 and os.path.exists(name)
    guard = InstanceGuard(name)
    assert guard.claim()  # nobody answered: the stale socket is replaced


def test_new_window_opens_another_window_on_purpose(qtbot, tmp_path) -> None:
    guard = InstanceGuard(instance_name({"XDG_RUNTIME_DIR": str(tmp_path)}))
    assert guard.claim()
    asked: list[bool] = []
    guard.raise_requested.connect(lambda: asked.append(True))
    second = _launch(tmp_path, "--new-window")
    try:
        qtbot.wait(4000)  # a launch that only asks exits within a second
        assert second.poll() is None and asked == []  # a window of its own, running
    finally:
        second.terminate()
        _wait(qtbot, second, 10)


def test_the_instance_name_is_per_user_wherever_there_is_no_runtime_folder(tmp_path) -> None:
    assert instance_name({"XDG_RUNTIME_DIR": str(tmp_path)}) == str(tmp_path / "digit-pad.socket")
    for unusable in ({}, {"XDG_RUNTIME_DIR": "relative/folder"}):
        name = instance_name(unusable)
        assert name.startswith("digit-pad-") and os.sep not in name  # a name, not a path
