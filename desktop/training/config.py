"""What the Train tab trains, without Qt: settings, their limits and checks, and JSON.

The limits below are the only ones: the form's widgets take their ranges from them and
:meth:`TrainingConfig.problems` checks against them, so what can be typed is what can
be trained. The defaults read about 98 % of drawn digits of unseen writers after a run of
about 7 s here (tests/bench/default_training.py).
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import asdict, dataclass, field, fields, replace

from desktop.data.corpus import MY_SAMPLES, SOURCES
from desktop.recognition.features import N_CLASSES, N_INPUTS
from nncore import ACTIVATIONS, OPTIMIZERS, Layer, Network
from nncore.serialization import MAX_FILE_BYTES, MAX_HEADER_BYTES

# One size limit for what the form allows, what Save writes and what Open accepts.
MODEL_FILE_LIMIT = MAX_FILE_BYTES
WEIGHT_BYTES = 4  # the Train tab trains in float32
HEADER_ROOM = MAX_HEADER_BYTES  # the JSON header and the arrays' own headers fit in this

# Output layer and loss go together; each choice is one entry.
OUTPUTS: dict[str, tuple[str, str]] = {
    "softmax + cross-entropy": ("softmax", "categorical_crossentropy"),
    "sigmoid + binary cross-entropy": ("sigmoid", "binary_crossentropy"),
    "softmax + mean squared error": ("softmax", "mse"),
}
HIDDEN_ACTIVATIONS = [name for name in ACTIVATIONS if name not in ("input", "softmax")]
# Every shipped source that is on by default; "my samples" is added when there are some.
DEFAULT_SOURCES = tuple(name for name, source in SOURCES.items() if source.default
                        and name != MY_SAMPLES)  # fmt: skip


@dataclass(frozen=True)
class Limit:
    """An inclusive range of a setting, and how to say it."""

    low: float
    high: float
    rule: str  # completes "… must be …"

    def admits(self, value: float) -> bool:
        """True for a finite value in [low, high]."""
        return math.isfinite(value) and self.low <= value <= self.high


LIMITS = {
    "units": Limit(1, 4096, "between 1 and 4,096 units"),
    "learning_rate": Limit(1e-9, 1e6, "a number above 0 (for example 0.001)"),
    "epochs": Limit(1, 1_000_000, "between 1 and 1,000,000"),
    "batch_size": Limit(1, 4096, "between 1 and 4,096 samples"),
    "l2": Limit(0, 10, "between 0 and 10"),
    "validation_split": Limit(0, 0.5, "between 0 % and 50 %"),
    "seed": Limit(0, 2**31 - 1, "between 0 and 2,147,483,647"),
    "patience": Limit(0, 1_000_000, "between 0 (off) and 1,000,000 epochs"),
}


@dataclass(frozen=True)
class HiddenLayer:
    """One hidden layer: its number of units and activation."""

    size: int = 128
    activation: str = "relu"


@dataclass(frozen=True)
class TrainingConfig:
    """Everything a training run in the GUI needs; ``problems()`` says what is wrong."""

    hidden: tuple[HiddenLayer, ...] = field(
        default_factory=lambda: (HiddenLayer(256, "relu"), HiddenLayer(128, "relu"))
    )
    output: str = "softmax + cross-entropy"
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    epochs: int = 20
    # 64, not 32: the same accuracy on unseen writers (grouped by writer, 30 writers:
    # 97.66 % against 97.72 %) in 30 % less time: an epoch is about 0.3 s instead of
    # 0.45, so the first one is on the plot sooner (tests/bench/drawn_digits.py,
    # default_training.py, gui_responsiveness.py).
    batch_size: int = 64
    l2: float = 1e-4
    validation_split: float = 0.1
    seed: int = 0
    sources: tuple[str, ...] = DEFAULT_SOURCES
    # Early stopping: epochs without progress before a run ends (0: off), and whether
    # it then goes back to the best epoch's weights.
    patience: int = 0
    restore_best: bool = True

    def problems(self) -> list[str]:
        """Plain-language reasons this configuration cannot be trained (empty if it can)."""
        found = []
        if not self.hidden:
            found.append("Add at least one hidden layer.")
        for number, layer in enumerate(self.hidden, start=1):
            if not LIMITS["units"].admits(layer.size):
                found.append(f"Hidden layer {number} needs {LIMITS['units'].rule}.")
            if layer.activation not in HIDDEN_ACTIVATIONS:
                found.append(f"Hidden layer {number} has an unknown activation.")
        if self.output not in OUTPUTS:
            found.append("Choose an output layer and loss.")
        if self.optimizer not in OPTIMIZERS:
            found.append("Choose an optimizer.")
        if not self.sources:
            found.append("Tick at least one source of training data.")
        if any(name not in SOURCES for name in self.sources):
            found.append("The training data names an unknown source.")
        for name, label in (
            ("learning_rate", "The learning rate"),
            ("epochs", "Epochs"),
            ("batch_size", "The batch size"),
            ("l2", "L2"),
            ("validation_split", "The validation share"),
            ("seed", "The seed"),
            ("patience", "Early stopping"),
        ):
            if not LIMITS[name].admits(getattr(self, name)):
                found.append(f"{label} must be {LIMITS[name].rule}.")
        if self.model_bytes() > MODEL_FILE_LIMIT:  # a network the app could not reopen
            found.append(
                f"This network would have {self.weight_count():,} weights "
                f"({self.model_bytes() / 2**20:,.0f} MiB), more than a model file may hold "
                f"({MODEL_FILE_LIMIT >> 20} MiB): use fewer or smaller layers."
            )
        return found

    def weight_count(self) -> int:
        """The network's weights and biases, from its layer sizes."""
        sizes = [N_INPUTS, *(layer.size for layer in self.hidden), N_CLASSES]
        return sum((a + 1) * b for a, b in itertools.pairwise(sizes))

    def model_bytes(self) -> int:
        """About how large its model file is (float32 weights, and room for the header)."""
        return self.weight_count() * WEIGHT_BYTES + HEADER_ROOM

    def with_changes(self, **changes: object) -> TrainingConfig:
        """A copy with some settings changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def build_network(self) -> Network:
        """A fresh network of this architecture, initialised from ``seed``."""
        activation, loss = OUTPUTS[self.output]
        layers = [Layer(N_INPUTS, "input"), *(Layer(h.size, h.activation) for h in self.hidden)]
        output = Layer(N_CLASSES, activation)
        return Network([*layers, output], loss=loss, seed=self.seed, dtype="float32")

    def fit_options(self) -> dict[str, object]:
        """Keywords for ``Network.train``."""
        stopping = {"patience": self.patience, "restore_best_weights": self.restore_best}
        return {
            **(stopping if self.patience else {}),
            "epochs": self.epochs,
            "learning_rate": self.learning_rate,
            "batch_size": self.batch_size,
            "optimizer": self.optimizer,
            "l2": self.l2,
            "validation_split": self.validation_split,
            "seed": self.seed,
        }

    def summary(self) -> str:
        """One line, e.g. "64-256-128-10 relu, adam 0.001, batch 64, 20 epochs"."""
        sizes = "-".join(str(n) for n in (N_INPUTS, *(h.size for h in self.hidden), N_CLASSES))
        activations = "/".join(dict.fromkeys(h.activation for h in self.hidden))
        return (
            f"{sizes} {activations}, {self.optimizer} {self.learning_rate:g}, "
            f"batch {self.batch_size}, {self.epochs} epochs"
        )

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready values."""
        return {
            **asdict(self),
            "hidden": [asdict(layer) for layer in self.hidden],
            "sources": list(self.sources),
        }

    def to_json(self) -> str:
        """The configuration as JSON (for settings and model files)."""
        return json.dumps(self.to_dict())

    @classmethod
    def from_json(cls, text: str) -> TrainingConfig | None:
        """Read :meth:`to_json`'s output; None when it is not a usable configuration.

        Settings written by another version may lack or add keys: known keys are used,
        missing ones take their defaults, and anything that cannot train is refused.
        """
        try:
            values = json.loads(text)
            if not isinstance(values, dict):
                return None
            known = {f.name for f in fields(cls)}
            values = {key: value for key, value in values.items() if key in known}
            if "hidden" in values:
                values["hidden"] = tuple(HiddenLayer(**layer) for layer in values["hidden"])
            if "sources" in values:
                values["sources"] = tuple(values["sources"])
            config = cls(**values)
        except (TypeError, ValueError, KeyError, RecursionError):  # nested: a hostile file
            return None
        try:
            return None if config.problems() else config
        except TypeError:  # a value of the wrong kind, e.g. a string for epochs
            return None


def starting_config(saved: TrainingConfig | None, has_samples: bool) -> TrainingConfig:
    """The last configuration started, else the defaults; "my samples" ticked if any."""
    config = saved or TrainingConfig()
    if has_samples and MY_SAMPLES not in config.sources:
        config = config.with_changes(sources=(*config.sources, MY_SAMPLES))
    return config
