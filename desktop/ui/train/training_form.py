"""The Train tab's form: a :class:`TrainingConfig` in, a checked one out, ``changed`` between.

Widget ranges come from :data:`desktop.training.config.LIMITS`, the same limits the
checks use, so nothing typed is silently capped to something else.
"""

from __future__ import annotations

import itertools
import math
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.data.corpus import MY_SAMPLES, SOURCES
from desktop.training.config import (
    HIDDEN_ACTIVATIONS,
    OUTPUTS,
    WEIGHT_BYTES,
    HiddenLayer,
    TrainingConfig,
)
from desktop.ui.style import ERROR_TEXT
from desktop.ui.widgets.controls import named_button, reserved_label
from nncore import OPTIMIZERS

NOT_NUMBERS = "The learning rate and L2 must be numbers, for example 0.001."
# The whole-number fields take any number a spin box can hold, so a value out of range is
# kept as typed and the form says the limit: never cut to fit without a word.
TYPED_MAX = 2**31 - 1
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)  # 0-9 only


class TrainingForm(QGroupBox):
    """Architecture and hyperparameters; ``problems_label`` says what stops training."""

    changed = Signal()

    def __init__(self, sizes: dict[str, int], parent: QWidget | None = None) -> None:
        super().__init__("Network and training", parent)
        self.setMinimumWidth(260)
        column = QVBoxLayout(self)
        self.sizes = dict(sizes)
        self.source_checks: dict[str, QCheckBox] = {}
        data_box = QGroupBox("Training data")
        data_box.setObjectName("sourcesBox")
        self._data_layout = QVBoxLayout(data_box)
        self._data_layout.setContentsMargins(6, 2, 6, 2)
        self._data_layout.setSpacing(0)
        for name in [*self.sizes, MY_SAMPLES]:
            check = QCheckBox()
            check.setObjectName(f"source:{name}")
            check.setToolTip(SOURCES[name].licence)
            check.toggled.connect(self._on_field_changed)
            self.source_checks[name] = check
            self._data_layout.addWidget(check)
        self.total_label = QLabel()
        self.total_label.setObjectName("sourcesTotal")
        self._data_layout.addWidget(self.total_label)
        self.set_sample_count(0)
        column.addWidget(data_box)

        self.layers_table = QTableWidget(0, 2)
        self.layers_table.setObjectName("layersTable")
        self.layers_table.setHorizontalHeaderLabels(["Units", "Activation"])
        self.layers_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Room for two layers (the default network); more scroll inside the table.
        table = self.layers_table
        table.setMinimumHeight(
            table.horizontalHeader().sizeHint().height()
            + 2 * (table.verticalHeader().defaultSectionSize() + table.frameWidth())
        )
        # Its cells are fields of their own, each a Tab stop: the table itself is none.
        self.layers_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.layers_table.setTabKeyNavigation(False)
        self.add_layer_button = named_button(
            "Add layer", "addLayerButton", slot=self._on_add_layer_button_clicked
        )
        self.remove_layer_button = named_button(
            "Remove layer", "removeLayerButton", slot=self._on_remove_layer_button_clicked
        )
        layer_buttons = QHBoxLayout()
        layer_buttons.addWidget(self.add_layer_button)
        layer_buttons.addWidget(self.remove_layer_button)
        self.size_label = QLabel()
        self.size_label.setObjectName("networkSizeLabel")
        self.size_label.setToolTip("Between the 64 inputs (8×8) and the 10 outputs (digits)")
        column.addWidget(self.size_label)
        column.addWidget(self.layers_table)
        column.addLayout(layer_buttons)

        self.output_combo = self._combo("outputCombo", list(OUTPUTS))
        self.optimizer_combo = self._combo("optimizerCombo", list(OPTIMIZERS))
        self.learning_rate_edit = self._number_edit("learningRateEdit")
        self.l2_edit = self._number_edit("l2Edit")
        self.epochs_spin = self._spin("epochsSpin")
        self.batch_spin = self._spin("batchSizeSpin")
        self.seed_spin = self._spin("seedSpin")
        self.validation_spin = QDoubleSpinBox()
        self.validation_spin.setObjectName("validationSpin")
        self.validation_spin.setRange(0, 100)  # the limit is said, not enforced by typing
        self.validation_spin.setSuffix(" %")
        self.validation_spin.valueChanged.connect(self._on_field_changed)
        fields = QWidget()
        form = QFormLayout(fields)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Output and loss", self.output_combo)
        form.addRow("Optimizer", self.optimizer_combo)
        form.addRow("Learning rate", self.learning_rate_edit)
        form.addRow("Epochs", self.epochs_spin)
        form.addRow("Batch size", self.batch_spin)
        form.addRow("L2 weight decay", self.l2_edit)
        form.addRow("Validation share", self.validation_spin)
        form.addRow("Seed", self.seed_spin)
        column.addWidget(fields)
        self.problems_label = reserved_label("", "problemsLabel", lines=3)
        self.problems_label.setStyleSheet(f"color: {ERROR_TEXT};")
        column.addWidget(self.problems_label)
        self.reset_button = named_button(
            "Reset to defaults", "resetButton", slot=self._on_reset_button_clicked
        )
        column.addWidget(self.reset_button)
        column.addStretch(1)

    def _combo(self, name: str, items: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItems(items)
        combo.currentIndexChanged.connect(self._on_field_changed)
        return combo

    def _spin(self, name: str) -> QSpinBox:
        spin = WholeNumberSpin()
        spin.setObjectName(name)
        spin.setRange(0, TYPED_MAX)  # its limit (LIMITS) is said by the form, not by typing
        spin.setGroupSeparatorShown(True)
        spin.valueChanged.connect(self._on_field_changed)
        return spin

    def _number_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        # The red frame of a wrong value must not change the field's height.
        edit.setFixedHeight(edit.sizeHint().height())
        edit.textChanged.connect(self._on_field_changed)
        return edit

    def _add_layer_row(self, layer: HiddenLayer) -> None:
        row = self.layers_table.rowCount()
        self.layers_table.insertRow(row)
        size = WholeNumberSpin()
        size.setRange(0, TYPED_MAX)
        size.setValue(layer.size)
        size.valueChanged.connect(self._on_field_changed)
        activation = QComboBox()
        activation.addItems(HIDDEN_ACTIVATIONS)
        activation.setCurrentText(layer.activation)
        activation.currentIndexChanged.connect(self._on_field_changed)
        self.layers_table.setCellWidget(row, 0, size)
        self.layers_table.setCellWidget(row, 1, activation)
        self._order_focus()

    def _order_focus(self) -> None:
        """Tab in reading order (a new layer's fields came last); each field named by row."""
        cells: list[QWidget] = []
        for row in range(self.layers_table.rowCount()):
            size, activation = (self.layers_table.cellWidget(row, c) for c in (0, 1))
            size.setAccessibleName(f"Units of hidden layer {row + 1}")
            activation.setAccessibleName(f"Activation of hidden layer {row + 1}")
            cells += [size, activation]
        chain = [
            *self.source_checks.values(), *cells,
            self.add_layer_button, self.remove_layer_button, self.output_combo,
            self.optimizer_combo, self.learning_rate_edit, self.epochs_spin, self.batch_spin,
            self.l2_edit, self.validation_spin, self.seed_spin, self.reset_button,
        ]  # fmt: skip
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _on_add_layer_button_clicked(self) -> None:
        self._add_layer_row(HiddenLayer(64, "relu"))
        self._on_field_changed()

    def _on_remove_layer_button_clicked(self) -> None:
        if self.layers_table.rowCount():
            selected = self.layers_table.currentRow()
            self.layers_table.removeRow(
                selected if selected >= 0 else self.layers_table.rowCount() - 1
            )
            self._order_focus()
            self._on_field_changed()

    def config(self) -> TrainingConfig | None:
        """The configuration in the form, or None if a number cannot be read."""
        learning_rate, l2 = _number(self.learning_rate_edit.text()), _number(self.l2_edit.text())
        if learning_rate is None or l2 is None:
            return None
        hidden = tuple(
            HiddenLayer(
                self.layers_table.cellWidget(row, 0).value(),  # type: ignore[attr-defined]
                self.layers_table.cellWidget(row, 1).currentText(),  # type: ignore[attr-defined]
            )
            for row in range(self.layers_table.rowCount())
        )
        return TrainingConfig(
            hidden=hidden,
            output=self.output_combo.currentText(),
            optimizer=self.optimizer_combo.currentText(),
            learning_rate=learning_rate,
            epochs=self.epochs_spin.value(),
            batch_size=self.batch_spin.value(),
            l2=l2,
            validation_split=self.validation_spin.value() / 100,
            seed=self.seed_spin.value(),
            sources=self.checked_sources(),
        )

    def set_config(self, config: TrainingConfig) -> None:
        """Fill the form with ``config``."""
        self.layers_table.setRowCount(0)
        for layer in config.hidden:
            self._add_layer_row(layer)
        self._order_focus()  # also with no hidden layer at all
        self.output_combo.setCurrentText(config.output)
        self.optimizer_combo.setCurrentText(config.optimizer)
        self.learning_rate_edit.setText(f"{config.learning_rate:g}")
        self.l2_edit.setText(f"{config.l2:g}")
        self.epochs_spin.setValue(config.epochs)
        self.batch_spin.setValue(config.batch_size)
        self.validation_spin.setValue(config.validation_split * 100)
        self.seed_spin.setValue(config.seed)
        for name, check in self.source_checks.items():
            check.setChecked(name in config.sources and check.isEnabled())
        self._on_field_changed()

    def set_sample_count(self, count: int) -> None:
        """How many samples of the user's own there are ("my samples" needs one).

        The first samples tick the source, as a start with samples does; after that the
        user's choice stands.
        """
        first = count > 0 and not self.sizes.get(MY_SAMPLES)
        self.sizes[MY_SAMPLES] = count
        check = self.source_checks[MY_SAMPLES]
        check.setEnabled(count > 0)
        if not count or first:
            check.setChecked(first)
        for name, box in self.source_checks.items():
            box.setText(f"{SOURCES[name].title} ({self.sizes.get(name, 0):,})")
        self._show_total()

    def checked_sources(self) -> tuple[str, ...]:
        """The ticked sources, in the table's order."""
        return tuple(name for name, check in self.source_checks.items() if check.isChecked())

    def _show_total(self) -> None:
        total = sum(self.sizes.get(name, 0) for name in self.checked_sources())
        self.total_label.setText(f"Total: {total:,} training samples")

    def problems(self) -> list[str]:
        """What stops the form's configuration from training (empty when it can)."""
        config = self.config()
        return [NOT_NUMBERS] if config is None else config.problems()

    def _on_reset_button_clicked(self) -> None:
        defaults = TrainingConfig()
        if self.sizes.get(MY_SAMPLES):
            defaults = defaults.with_changes(sources=(*defaults.sources, MY_SAMPLES))
        self.set_config(defaults)

    def _on_field_changed(self, *_: object) -> None:
        self.remove_layer_button.setEnabled(self.layers_table.rowCount() > 0)
        self._show_total()
        config = self.config()
        self.problems_label.setText("\n".join(self.problems()))
        if config is not None:
            count = config.weight_count()
            mib = count * WEIGHT_BYTES / 2**20
            self.size_label.setText(f"Hidden layers: {count:,} weights ({mib:,.1f} MiB)")
        for edit in (self.learning_rate_edit, self.l2_edit):
            broken = _number(edit.text()) is None
            edit.setStyleSheet(f"border: 1px solid {ERROR_TEXT};" if broken else "")
        self.changed.emit()


def _number(text: str) -> float | None:
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
        number = _number(plain)
        if number is None or number != int(number) or abs(number) > TYPED_MAX:
            return None
        return int(number)
