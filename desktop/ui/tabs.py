"""The window's tabs, which repaint only what changed when a page lays itself out again."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QTabWidget, QWidget

Constraints = tuple[tuple[QSize, ...], ...]


class Tabs(QTabWidget):
    """A QTabWidget that skips a relayout which would change nothing.

    A QTabWidget answers every layout request from inside a page (a part shown, a label's
    new text, a field enabled) by placing its tab bar and pages again and repainting
    itself in full, every page widget included: 6-11 ms a time on the Train tab, where
    the part that changed takes 1-3. When the pages' size limits and the tab bar's size
    are as they were, nothing would move: the page's own layout has already placed its
    widgets, and only those that changed are repainted.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._constraints: Constraints | None = None

    def event(self, event: QEvent) -> bool:
        """Handle a layout request only when a page's or the tab bar's size limits changed."""
        if event.type() == QEvent.Type.LayoutRequest:
            constraints = self._size_constraints()
            if constraints == self._constraints:
                return QWidget.event(self, event)  # as QTabWidget would, minus the relayout
            self._constraints = constraints
        return super().event(event)

    def _size_constraints(self) -> Constraints:
        # A page's preferred size (sizeHint) does not move anything once the window is
        # shown; its limits bound the window's size, and the tab bar's hint is its size.
        pages = [page for i in range(self.count()) if (page := self.widget(i)) is not None]
        limits = ((p.minimumSizeHint(), p.minimumSize(), p.maximumSize()) for p in pages)
        return ((self.tabBar().sizeHint(),), *limits)
