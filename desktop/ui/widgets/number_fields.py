"""Form fields that read numbers as people write them, and say what they hold.

A whole-number field takes any number a spin box can hold, so a value out of range is
kept as typed and the form says the limit: never cut to fit without a word.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox

TYPED_MAX = 2**31 - 1
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)  # 0-9 only


def combo(name: str, items: list[str], changed: Callable[..., None]) -> QComboBox:
    """A named drop-down list of ``items`` that calls ``changed`` on a new choice."""
    box = QComboBox()
    box.setObjectName(name)
    box.addItems(items)
    box.currentIndexChanged.connect(changed)
    return box


def whole_number_spin(name: str, changed: Callable[..., None]) -> QSpinBox:
    """A named :class:`WholeNumberSpin` from 0 to :data:`TYPED_MAX` (the form says limits)."""
    spin = WholeNumberSpin()
    spin.setObjectName(name)
    spin.setRange(0, TYPED_MAX)
    spin.setGroupSeparatorShown(True)
    spin.valueChanged.connect(changed)
    return spin


def number_edit(name: str, changed: Callable[..., None]) -> QLineEdit:
    """A named field for a real number (see :func:`read_number`)."""
    edit = QLineEdit()
    edit.setObjectName(name)
    # The red frame of a wrong value must not change the field's height.
    edit.setFixedHeight(edit.sizeHint().height())
    edit.textChanged.connect(changed)
    return edit


def read_number(text: str) -> float | None:
    """The finite number ``text`` spells in plain digits ("1e-3", ".5"), or None.

    Python's float() also reads "1_000", " 5 " and other scripts' digits; a field that
    took those would hold a number the user may not have meant.
    """
    if not NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


class WholeNumberSpin(QSpinBox):
    """A spin box that also reads whole numbers written as "1e6" or "2.5e3".

    Qt's own drops the "e" as it is typed, so "1e6" became 16 without a word; a number
    that is not whole stays unaccepted (the field keeps its last value).
    """

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        """Acceptable for a whole number in any plain spelling, Intermediate while typing."""
        value = self._read(text)
        if value is not None and self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        if re.fullmatch(r"[0-9,.eE+-]*", text.strip(), re.ASCII):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def valueFromText(self, text: str) -> int:
        """The whole number ``text`` spells (see :meth:`validate`)."""
        value = self._read(text)
        return value if value is not None else self.value()

    @staticmethod
    def _read(text: str) -> int | None:
        plain = text.strip().replace(",", "")
        number = read_number(plain)
        if number is None or number != int(number) or abs(number) > TYPED_MAX:
            return None
        return int(number)
