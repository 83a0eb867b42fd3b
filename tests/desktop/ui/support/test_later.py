"""later / when_idle: work moved to a later turn, never into the middle of a stroke."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from desktop.ui.support import later


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


def test_later_runs_in_a_later_turn_and_not_after_its_context_is_gone(qtbot) -> None:
    done: list[str] = []
    kept, deleted = QWidget(), QWidget()
    qtbot.addWidget(kept)
    later.later(kept, lambda: done.append("kept"))
    later.later(deleted, lambda: done.append("deleted"))
    assert done == []  # nothing happens before the event loop turns
    deleted.deleteLater()
    qtbot.waitUntil(lambda: done == ["kept"], timeout=2000)
    qtbot.wait(20)
    assert done == ["kept"]


def test_when_idle_waits_while_a_button_is_held_but_not_for_ever(
    qtbot, shown_widget, monkeypatch
) -> None:
    done: list[bool] = []
    with left_button_held(shown_widget):
        later.when_idle(shown_widget, lambda: done.append(True))
        qtbot.wait(300)
        assert not done  # a stroke is never interrupted
    qtbot.waitUntil(lambda: bool(done), timeout=2000)

    monkeypatch.setattr(later, "MAX_HOLD_S", 0.2)  # a release Qt never saw: it goes ahead
    done.clear()
    with left_button_held(shown_widget):
        later.when_idle(shown_widget, lambda: done.append(True))
        qtbot.waitUntil(lambda: bool(done), timeout=2000)
