"""A layer is a size and an activation; the network owns the weights between layers."""

from __future__ import annotations

from dataclasses import dataclass

from nncore.activations import get_activation
from nncore.validation import check_int


@dataclass(frozen=True)
class Layer:
    """``size`` units with an ``activation`` from :data:`nncore.activations.ACTIVATIONS`.

    The first layer of a network is ``Layer(n_features, activation="input")``.
    """

    size: int
    activation: str = "sigmoid"

    def __post_init__(self) -> None:
        check_int("Layer size", self.size, minimum=1)
        get_activation(self.activation)

    def __repr__(self) -> str:
        return f"Layer({self.size}, activation={self.activation!r})"
