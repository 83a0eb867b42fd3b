"""import_when_idle: a slow import after the window is up, never in the middle of a stroke."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from desktop.ui import imports


@pytest.fixture
def slow_module(tmp_path, monkeypatch):
    """A module nobody has imported yet, on the path for this test only."""
    name = f"slow_module_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text("LOADED = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    sys.modules.pop(name, None)


@pytest.fixture
def shown_widget(qtbot) -> QWidget:
    """A widget on screen, to press a mouse button on."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@contextmanager
def left_button_held(widget: QWidget) -> Iterator[None]:
    """The left button pressed on ``widget`` for the block, released however it ends."""
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    try:
        yield
    finally:
        QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))


class Counting(types.ModuleType):
    """A module whose attributes count how often they are read."""

    def __init__(self, n: int) -> None:
        super().__init__("counting")
        self.reads = 0
        for i in range(n):
            setattr(self, f"attribute_{i}", i)

    def __getattribute__(self, name: str):
        if name.startswith("attribute_"):
            object.__setattr__(self, "reads", object.__getattribute__(self, "reads") + 1)
        return super().__getattribute__(name)


def test_it_imports_later_in_turns_after_touching_what_it_prepares(
    qtbot, slow_module, tmp_path, monkeypatch
) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    prepared = Counting(500)
    monkeypatch.setitem(sys.modules, "counting", prepared)
    needed = f"{slow_module}_needs"  # a module the slow one imports: imported before it
    (tmp_path / f"{needed}.py").write_text("NEEDED = True\n")
    (tmp_path / f"{slow_module}.py").write_text(f"import sys\nLOADED = {needed!r} in sys.modules\n")
    done: list[bool] = []
    prepare = ["counting", needed, "no_such_module_anywhere"]  # a missing one is passed over
    imports.import_when_idle(slow_module, lambda: done.append(True), widget, prepare)
    assert slow_module not in sys.modules  # nothing happens before the event loop turns
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert sys.modules[slow_module].LOADED and prepared.reads >= 500
    sys.modules.pop(needed, None)


def test_it_waits_while_a_button_is_held_but_not_for_ever(
    qtbot, shown_widget, slow_module, monkeypatch
):
    done: list[bool] = []
    with left_button_held(shown_widget):
        imports.import_when_idle(slow_module, lambda: done.append(True), shown_widget)
        qtbot.wait(400)
        assert not done and slow_module not in sys.modules  # a stroke is never interrupted
    qtbot.waitUntil(lambda: bool(done), timeout=2000)

    sys.modules.pop(slow_module)
    monkeypatch.setattr(imports, "MAX_HOLD_S", 0.2)  # a release Qt never saw: it goes ahead
    done.clear()
    with left_button_held(shown_widget):
        imports.import_when_idle(slow_module, lambda: done.append(True), shown_widget)
        qtbot.waitUntil(lambda: bool(done), timeout=2000)


def test_what_comes_after_waits_for_a_stroke_to_end(qtbot, shown_widget) -> None:
    """Each later step (building a plot: 20-30 ms) waits for the button's release too."""
    done: list[bool] = []
    with left_button_held(shown_widget):
        imports.when_idle(shown_widget, lambda: done.append(True))
        qtbot.wait(300)
        assert not done
    qtbot.waitUntil(lambda: bool(done), timeout=2000)
