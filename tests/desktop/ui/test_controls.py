"""The shared painting helpers: parts of a page painted in turns, never all at once."""

from __future__ import annotations

import time

from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from desktop.ui.controls import paint_off_screen_in_turns, reveal_in_turns


class CountingPart(QLabel):
    """A part that records in which turn of the event loop it was painted."""

    turn = 0

    def __init__(self, name: str, log: list[tuple[int, str]]) -> None:
        super().__init__(name)
        self.log = log

    def paintEvent(self, event: QPaintEvent) -> None:
        self.log.append((CountingPart.turn, self.text()))
        super().paintEvent(event)


def _page(qtbot, log: list[tuple[int, str]]) -> tuple[QWidget, list[CountingPart]]:
    page = QWidget()
    qtbot.addWidget(page)
    layout = QVBoxLayout(page)
    parts = [CountingPart(name, log) for name in "abc"]
    for part in parts:
        layout.addWidget(part)
    return page, parts


def _turn_until(condition, limit: int = 500) -> None:  # type: ignore[no-untyped-def]
    """Run the event loop one numbered turn at a time (a few ms each) until condition()."""
    for _ in range(limit):
        if condition():
            return
        CountingPart.turn += 1
        QApplication.processEvents()
        time.sleep(0.005)
    raise AssertionError("the condition never held")


def test_a_page_off_screen_is_painted_one_part_per_turn(qtbot) -> None:
    log: list[tuple[int, str]] = []
    _page_widget, parts = _page(qtbot, log)  # never shown
    paint_off_screen_in_turns(parts, interval_ms=1)
    _turn_until(lambda: {name for _, name in log} == {"a", "b", "c"})
    turns = [turn for turn, _ in log]
    assert len(set(turns)) == len(turns) == 3, log  # each in a turn of its own


def test_revealed_parts_appear_in_turns_in_their_order(qtbot) -> None:
    log: list[tuple[int, str]] = []
    page, parts = _page(qtbot, log)
    page.show()
    qtbot.waitExposed(page)
    page.hide()
    log.clear()
    page.show()
    reveal_in_turns(parts)  # as a page's showEvent does
    assert not any(part.isVisible() for part in parts)
    _turn_until(lambda: len({name for _, name in log}) == 3)
    first_paint = {name: turn for turn, name in reversed(log)}
    assert first_paint["a"] < first_paint["b"] < first_paint["c"], log  # in turns, in order


def test_a_reserved_label_keeps_a_scrolling_page_at_its_minimum_height(qtbot) -> None:
    from PySide6.QtWidgets import QTableWidget

    from desktop.ui.controls import reserved_label, scrolling

    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addWidget(QTableWidget(3, 2))  # grows to fill any height it is given
    layout.addWidget(reserved_label("", "problems", lines=3))
    area = scrolling(page, "area")
    qtbot.addWidget(area)
    area.resize(300, 60)  # shorter than the page: it scrolls
    area.show()
    qtbot.waitExposed(area)
    assert page.height() == page.minimumSizeHint().height()
