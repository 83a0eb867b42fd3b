"""The window's tabs: a change inside a page repaints that change, not the whole window."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop.ui.tabs import Tabs


class CountingLabel(QLabel):
    """A label that counts its paint events."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.paints = 0

    def paintEvent(self, event: QPaintEvent) -> None:
        self.paints += 1
        super().paintEvent(event)


def _tabs_with_page(qtbot, kind: type[QTabWidget]) -> tuple[QTabWidget, CountingLabel, QLabel]:
    tabs = kind()
    qtbot.addWidget(tabs)
    page = QWidget()
    layout = QVBoxLayout(page)
    far = CountingLabel("a label far from the change")
    changing = QLabel("short")
    changing.setWordWrap(True)  # asks for a new layout whenever its text changes
    layout.addWidget(far)
    layout.addStretch(1)
    layout.addWidget(changing)
    tabs.addTab(page, "Page")
    tabs.resize(400, 300)
    tabs.show()
    qtbot.waitExposed(tabs)
    qtbot.wait(50)
    return tabs, far, changing


@pytest.mark.parametrize("kind", [Tabs, QTabWidget])
def test_new_text_in_a_page_repaints_only_what_changed(qtbot, kind) -> None:
    _tabs, far, changing = _tabs_with_page(qtbot, kind)
    far.paints = 0
    changing.setText("a longer text, on a line of its own")
    qtbot.wait(50)
    if kind is Tabs:
        assert far.paints == 0
    else:  # what Qt's own tab widget does: the whole page again, for every such change
        assert far.paints > 0


def test_a_page_that_needs_more_room_still_gets_it(qtbot) -> None:
    tabs, _, changing = _tabs_with_page(qtbot, Tabs)
    before = tabs.minimumSizeHint().height()
    changing.setMinimumHeight(before + 200)
    qtbot.waitUntil(lambda: tabs.minimumSizeHint().height() >= before + 200, timeout=2_000)
    tabs.resize(400, before + 400)
    qtbot.waitUntil(lambda: changing.height() >= before + 200, timeout=2_000)
    assert changing.isVisible() and changing.y() + changing.height() <= tabs.height()
