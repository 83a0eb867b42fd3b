"""Constructors the window, tabs and dialogs share, so controls look and behave alike.

Buttons get the object name automation relies on and an accessible name; errors are told
in a window-modal box that does not block the event loop (tests find it as ``errorBox``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRect, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


def named_button(
    text: str,
    name: str,
    *,
    slot: Callable[[], object] | None = None,
    tip: str = "",
    tool: bool = False,
) -> QAbstractButton:
    """A push button (or a tool button, ``tool=True``) called ``name``, clicking ``slot``."""
    button: QAbstractButton = QToolButton() if tool else QPushButton()
    button.setText(text)
    button.setObjectName(name)
    button.setAccessibleName(text)
    if tip:
        button.setToolTip(tip)
    if slot is not None:
        button.clicked.connect(slot)
    return button


def show_error(parent: QWidget, title: str, message: str) -> QMessageBox:
    """Tell the user what went wrong, in plain words, without blocking the window."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=parent)
    box.setObjectName("errorBox")
    box.open()
    return box


def confirm_losing(parent: QWidget, title: str, message: str) -> bool:
    """Ask before something unsaved is lost; True when the user says to go ahead.

    Modal on purpose: it answers a close the window must not finish before the user did.
    """
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=parent)
    box.setObjectName("confirmLossBox")
    box.setStandardButtons(QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Discard


class _ReservedLabel(QLabel):
    """A word-wrapped label whose height is fixed, so it never depends on the width."""

    def hasHeightForWidth(self) -> bool:
        """False (a word-wrapped QLabel says True)."""
        # A layout holding a height-for-width item sizes its whole widget that way: in a
        # scroll area, the training form's page grew from its minimum height by 70 px.
        return False


def reserved_label(text: str, name: str, lines: int) -> QLabel:
    """A word-wrapped label with room for ``lines`` lines, always.

    Text of another length then never moves anything: fields do not move under the
    pointer, and neighbours (plots) are not resized and repainted.
    """
    label = _ReservedLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setMinimumWidth(80)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setFixedHeight(lines * label.fontMetrics().lineSpacing() + 4)
    return label


def say_within(label: QLabel, text: str) -> None:
    """Show ``text`` in a reserved label: whole if it fits, else cut at a word with "…".

    The whole text goes to the tooltip, so a long message is never lost mid-line.
    """
    width = max(label.width() - 4, 80)
    metrics = label.fontMetrics()

    def fits(candidate: str) -> bool:
        flags = Qt.TextFlag.TextWordWrap
        height = metrics.boundingRect(QRect(0, 0, width, 100_000), flags, candidate).height()
        return height <= label.height() - 4

    words, shown = text.split(" "), text
    while len(words) > 1 and not fits(shown):
        words.pop()
        shown = " ".join(words).rstrip(",;:") + "…"
    label.setText(shown)
    label.setToolTip(text if shown != text else "")


def answer_label(name: str, accessible_name: str, point_size: int) -> QLabel:
    """A centred label in large bold type, for what the network read (empty at first)."""
    label = QLabel("")
    label.setObjectName(name)
    label.setAccessibleName(accessible_name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    font = QFont(label.font())
    font.setPointSize(point_size)
    font.setBold(True)
    label.setFont(font)
    return label


def page_contents(page: QWidget) -> QWidget:
    """The widget to lay ``page``'s contents in: it scrolls when the window is smaller.

    A window at a large scale factor, or on a small screen, is then never larger than
    the screen: each tab scrolls instead.
    """
    contents = QWidget()
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(_scroll_area(contents))
    return contents


def scrolling(widget: QWidget, name: str) -> QScrollArea:
    """``widget`` in a frameless area that scrolls up and down when the window is short.

    The area is never narrower than the widget plus a vertical scroll bar, so nothing is
    cut off at the right edge and no sideways scroll bar appears.
    """
    area = _scroll_area(widget)
    area.setObjectName(name)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    bar = area.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    area.setMinimumWidth(widget.minimumSizeHint().width() + bar)
    area.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)
    return area


def _scroll_area(widget: QWidget) -> QScrollArea:
    """A frameless area sized to ``widget``, scrolling only when it is smaller.

    Not a Tab stop: it scrolls to whichever of its fields has the focus.
    """
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """``buttons`` side by side from the left, the rest of the row empty."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def one_shot_timer(parent: QObject, interval_ms: int, slot: Callable[[], object]) -> QTimer:
    """A timer that calls ``slot`` once, ``interval_ms`` after each ``start()``."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer
