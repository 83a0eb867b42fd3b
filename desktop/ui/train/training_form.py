"""The Train tab's form: a :class:`TrainingConfig` in, a checked one out, ``changed`` between.

Widget ranges come from :data:`desktop.training.config.LIMITS`, the same limits the
checks use, so nothing typed is silently capped to something else.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
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
from desktop.ui.widgets.number_fields import (
    combo,
    number_edit,
    read_number,
    whole_number_spin,
)
from nncore import OPTIMIZERS

NOT_NUMBERS = "The learning rate and L2 must be numbers, for example 0.001."


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

        changed = self._on_field_changed
        self.output_combo = combo("outputCombo", list(OUTPUTS), changed)
        self.optimizer_combo = combo("optimizerCombo", list(OPTIMIZERS), changed)
        self.learning_rate_edit = number_edit("learningRateEdit", changed)
        self.l2_edit = number_edit("l2Edit", changed)
        self.epochs_spin = whole_number_spin("epochsSpin", changed)
        self.batch_spin = whole_number_spin("batchSizeSpin", changed)
        self.seed_spin = whole_number_spin("seedSpin", changed)
        self.patience_spin = whole_number_spin("patienceSpin", changed)
        self.patience_spin.setSpecialValueText("off")  # 0: train every epoch asked for
        self.patience_spin.setToolTip("Stop when the validation cost (else the training cost) "
                                      "has not improved for this many epochs")  # fmt: skip
        self.restore_best_check = QCheckBox("keep best")
        self.restore_best_check.setToolTip("End with the weights of the best epoch, not the last")
        self.restore_best_check.setObjectName("restoreBestCheck")
        self.patience_spin.setAccessibleName("Early stopping: epochs without progress")
        self.restore_best_check.setAccessibleName("Keep the best epoch's weights")
        self.restore_best_check.toggled.connect(changed)
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
        stopping = QHBoxLayout()
        stopping.addWidget(self.patience_spin, 1)
        stopping.addWidget(self.restore_best_check)
        form.addRow("Early stopping", stopping)
        column.addWidget(fields)
        self.problems_label = reserved_label("", "problemsLabel", lines=3)
        self.problems_label.setStyleSheet(f"color: {ERROR_TEXT};")
        column.addWidget(self.problems_label)
        self.reset_button = named_button(
            "Reset to defaults", "resetButton", slot=self._on_reset_button_clicked
        )
        column.addWidget(self.reset_button)
        column.addStretch(1)

    def _add_layer_row(self, layer: HiddenLayer) -> None:
        row = self.layers_table.rowCount()
        self.layers_table.insertRow(row)
        size = whole_number_spin("", self._on_field_changed)
        size.setGroupSeparatorShown(False)
        with QSignalBlocker(size):  # the row is not in the table yet
            size.setValue(layer.size)
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
            self.l2_edit, self.validation_spin, self.seed_spin, self.patience_spin,
            self.restore_best_check, self.reset_button,
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
                selected if selected >= 0 else selected + self.layers_table.rowCount()
            )
            self._order_focus()
            self._on_field_changed()

    def config(self) -> TrainingConfig | None:
        """The configuration in the form, or None if a number cannot be read."""
        learning_rate = read_number(self.learning_rate_edit.text())
        l2 = read_number(self.l2_edit.text())
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
            patience=self.patience_spin.value(),
            restore_best=self.restore_best_check.isChecked(),
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
        self.patience_spin.setValue(config.patience)
        self.restore_best_check.setChecked(config.restore_best)
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
        self.restore_best_check.setEnabled(self.patience_spin.value() > 0)
        self._show_total()
        config = self.config()
        self.problems_label.setText("\n".join(self.problems()))
        if config is not None:
            count = config.weight_count()
            mib = count * WEIGHT_BYTES / 2**20
            self.size_label.setText(f"Hidden layers: {count:,} weights ({mib:,.1f} MiB)")
        for edit in (self.learning_rate_edit, self.l2_edit):
            broken = read_number(edit.text()) is None
            edit.setStyleSheet(f"border: 1px solid {ERROR_TEXT};" if broken else "")
        self.changed.emit()
