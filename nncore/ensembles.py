"""Several networks averaged as one: the members side by side in one wider network.

Networks of the same shape trained from different seeds err on different inputs, so
their average errs less than any one of them (the classic cure for seed-to-seed spread).
Averaging the members' output pre-activations (for softmax, their logits: the
normalised geometric mean of their probabilities) is exactly one network: each hidden
layer holds every member's units, a member's units see only that member's units below
(zero weights elsewhere), and the output layer adds each member's share divided by
their number. An ensemble is therefore an ordinary :class:`Network`: it saves, loads,
trains, explains and exports like any other.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nncore.layer import Layer
from nncore.network import Network


def merge(networks: Sequence[Network]) -> Network:
    """One network whose outputs are those of ``networks`` with pre-activations averaged.

    Every member must have the same layers (sizes and activations), loss and dtype, and
    hidden activations that act on each unit alone (not softmax). The result has no
    metadata: the caller says what it is.
    """
    networks = list(networks)
    if not networks:
        raise ValueError("networks must hold at least one network, got none")
    first = networks[0]
    for position, network in enumerate(networks[1:], start=1):
        if not isinstance(network, Network):
            raise ValueError(f"networks[{position}] must be a Network, got {network!r}")
        shape = (network.layers, network.loss, network.dtype)
        if shape != (first.layers, first.loss, first.dtype):
            raise ValueError(
                f"networks[{position}] must have the layers, loss and dtype of networks[0] "
                f"({first.layers}, {first.loss}, {first.dtype}), got {shape}"
            )
    for layer in first.layers[1:-1]:
        if layer.activation == "softmax":
            raise ValueError(
                "hidden layers must act on each unit alone to be merged, got a softmax layer"
            )
    count = len(networks)
    hidden = [Layer(layer.size * count, layer.activation) for layer in first.layers[1:-1]]
    merged = Network([first.layers[0], *hidden, first.layers[-1]], first.loss,
                     dtype=first.dtype.name)  # fmt: skip
    last = len(first.weights) - 1
    for index, (W, b) in enumerate(zip(merged.weights, merged.biases, strict=True)):
        W[...] = 0.0  # a member's units see only its own units below
        shared_out = index == last
        for member, network in enumerate(networks):
            rows, cols = _block(member, network.weights[index].shape, index == 0, shared_out)
            # The output layer adds every member's share: each contributes 1/count.
            W[rows, cols] += network.weights[index] / (count if shared_out else 1)
        biases = [network.biases[index] for network in networks]
        b[...] = np.mean(biases, axis=0) if shared_out else np.concatenate(biases)
    return merged


def _block(
    member: int, shape: tuple[int, ...], shared_in: bool, shared_out: bool
) -> tuple[slice, slice]:
    """Where one member's (rows, cols) weights of one layer sit in the merged layer's."""
    rows, cols = shape
    return (
        slice(None) if shared_in else slice(member * rows, (member + 1) * rows),
        slice(None) if shared_out else slice(member * cols, (member + 1) * cols),
    )


def split(network: Network, count: int) -> list[Network]:
    """``count`` networks whose :func:`merge` is ``network``: the members it was made of.

    Hidden layers' weights come back exactly and the output layer's to rounding (the
    merge stores each member's share divided by their number). What the merge stores as
    the members' average comes back as that average in each: the output bias, and the
    weights of networks without hidden layers. Merging the members again gives
    ``network`` (to rounding).

    ``ValueError`` when ``network`` is not such a merge: a hidden size that ``count``
    does not divide, or a weight between two members' units that is not zero (training
    the merged network as a whole joins its members; split the members, train, merge).
    """
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ValueError(f"count must be a whole number of members >= 1, got {count!r}")
    sizes = [layer.size for layer in network.layers[1:-1]]
    if any(size % count for size in sizes):
        raise ValueError(f"count must divide every hidden layer's size {sizes}, got {count}")
    layers = [network.layers[0],
              *(Layer(layer.size // count, layer.activation) for layer in network.layers[1:-1]),
              network.layers[-1]]  # fmt: skip
    members = [Network(layers, network.loss, dtype=network.dtype.name) for _ in range(count)]
    last = len(network.weights) - 1
    for index, (W, b) in enumerate(zip(network.weights, network.biases, strict=True)):
        shared_in, shared_out = index == 0, index == last
        placed = np.zeros(W.shape, dtype=bool)
        for member, twin in enumerate(members):
            rows, cols = _block(member, twin.weights[index].shape, shared_in, shared_out)
            placed[rows, cols] = True
            # A member's own rows of the output layer hold 1/count of its weights.
            own_share = shared_out and not shared_in
            twin.weights[index][...] = W[rows, cols] * (count if own_share else 1)
            twin.biases[index][...] = b if shared_out else b[cols]
        if np.any(W[~placed]):
            raise ValueError(f"the network is not {count} merged members: layer {index + 1} "
                             "joins them")  # fmt: skip
    return members
