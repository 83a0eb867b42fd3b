"""Export a network as an ONNX model (the optional ``digit-pad[onnx]`` extra).

The graph takes what the app's network takes from a drawing, the 8 x 8 ink counts 0..16
as float32 (n, 64), scales them by 1/16 and runs one Gemm and one activation per layer;
the output is the 10 probabilities. A personalised model's samples vote beside the
network as :class:`desktop.recognition.sample_vote.SampleVote` has them do, in the graph.
Opset :data:`OPSET`, readable by onnxruntime 1.10+.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from desktop.files import write_atomically
from desktop.recognition.features import MAX_COUNT, N_CLASSES, N_INPUTS
from desktop.recognition.sample_vote import SampleVote, vote_of
from nncore import Network

OPSET = 17
LEAKY_SLOPE = 0.01  # nncore's leaky_relu
# Each activation the form offers: the ONNX operator and its attributes.
OPERATORS: dict[str, tuple[str, dict[str, Any]]] = {
    "relu": ("Relu", {}),
    "leaky_relu": ("LeakyRelu", {"alpha": LEAKY_SLOPE}),
    "tanh": ("Tanh", {}),
    "sigmoid": ("Sigmoid", {}),
    "linear": ("Identity", {}),
    "softmax": ("Softmax", {"axis": 1}),
}


class ExportUnavailable(RuntimeError):
    """The onnx package is not installed; the message says how to get it."""


def onnx_bytes(network: Network) -> bytes:
    """The network as a serialised ONNX model."""
    try:
        from onnx import TensorProto, checker, helper, numpy_helper
    except ImportError:
        raise ExportUnavailable(
            "Exporting to ONNX needs the onnx package: pip install 'digit-pad[onnx]'."
        ) from None
    vote = vote_of(network)
    initializers = [numpy_helper.from_array(np.array([1.0 / MAX_COUNT], np.float32), "scale")]
    nodes = [helper.make_node("Mul", ["counts", "scale"], ["a0"])]
    last = "network" if vote is not None else "probabilities"  # the vote adds nodes after it
    for i, (layer, W, b) in enumerate(
        zip(network.layers[1:], network.weights, network.biases, strict=True)
    ):
        initializers += [numpy_helper.from_array(W.astype(np.float32), f"W{i}"),
                         numpy_helper.from_array(b.astype(np.float32), f"b{i}")]  # fmt: skip
        nodes.append(helper.make_node("Gemm", [f"a{i}", f"W{i}", f"b{i}"], [f"z{i}"]))
        operator, attributes = OPERATORS[layer.activation]
        output = last if i == len(network.weights) - 1 else f"a{i + 1}"
        nodes.append(helper.make_node(operator, [f"z{i}"], [output], **attributes))
    if vote is not None:
        vote_nodes, vote_initializers = _vote_graph(vote, "network", "probabilities")
        nodes += vote_nodes
        initializers += vote_initializers
    graph = helper.make_graph(
        nodes, "digit_pad",
        [helper.make_tensor_value_info("counts", TensorProto.FLOAT, ["n", N_INPUTS])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT,
                                       ["n", network.n_outputs])],
        initializers,
    )  # fmt: skip
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="Digit Pad")  # fmt: skip
    model.ir_version = 8  # what onnxruntime 1.10 and later read
    checker.check_model(model)
    data: bytes = model.SerializeToString()
    return data


def _vote_graph(vote: SampleVote, network: str, output: str) -> tuple[list[Any], list[Any]]:
    """Nodes and initializers blending ``vote`` into ``network``'s probabilities."""
    from onnx import helper, numpy_helper

    def constant(value: object, name: str, dtype: type = np.float32) -> Any:
        return numpy_helper.from_array(np.asarray(value, dtype), name)

    initializers = [
        constant(vote.features, "vote_samples"),  # (m, 64)
        constant(np.eye(N_CLASSES)[vote.labels], "vote_labels"),  # (m, 10), one-hot
        constant([1], "axis_1", np.int64),
        constant([2], "axis_2", np.int64),
        constant([vote.width], "vote_width"),
        constant([vote.weight], "vote_weight"),
        constant([1 - vote.weight], "network_weight"),
    ]
    node = helper.make_node
    nodes = [
        # Differences, not |x|^2 + |s|^2 - 2 x.s: float32 keeps the counts' distances exact.
        node("Unsqueeze", ["counts", "axis_1"], ["counts_1"]),  # (n, 1, 64)
        node("Sub", ["counts_1", "vote_samples"], ["differences"]),  # (n, m, 64)
        node("Mul", ["differences", "differences"], ["squares"]),
        node("ReduceSum", ["squares", "axis_2"], ["distances"], keepdims=0),  # (n, m)
        node("ReduceMin", ["distances"], ["nearest"], axes=[1], keepdims=1),
        node("Sub", ["nearest", "distances"], ["closeness"]),  # <= 0, 0 at the nearest
        node("Div", ["closeness", "vote_width"], ["log_kernel"]),
        node("Exp", ["log_kernel"], ["kernel"]),
        node("MatMul", ["kernel", "vote_labels"], ["votes"]),  # (n, 10)
        node("ReduceSum", ["votes", "axis_1"], ["votes_total"], keepdims=1),
        node("Div", ["votes", "votes_total"], ["vote"]),
        node("Mul", [network, "network_weight"], ["network_part"]),
        node("Mul", ["vote", "vote_weight"], ["vote_part"]),
        node("Add", ["network_part", "vote_part"], [output]),
    ]
    return nodes, initializers


def export_onnx(network: Network, path: str | Path) -> None:
    """Write the network to ``path`` as ONNX, atomically (:class:`ExportUnavailable`: no onnx)."""
    write_atomically(path, onnx_bytes(network))
