"""The shared control builders: a reserved label never moves what is around it."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget


def test_a_reserved_label_keeps_a_scrolling_page_at_its_minimum_height(qtbot) -> None:
    from PySide6.QtWidgets import QTableWidget

    from desktop.ui.widgets.controls import reserved_label, scrolling

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
