"""Export a network as an ONNX model (the optional ``digit-pad[onnx]`` extra).

The graph takes what the app's network takes from a drawing, the 8 x 8 ink counts 0..16
as float32 (n, 64), scales them by 1/16 and runs one Gemm and one activation per layer;
the output is the 10 probabilities. Opset :data:`OPSET`, readable by onnxruntime 1.10+.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from desktop.files import write_atomically
from desktop.recognition.features import MAX_COUNT, N_INPUTS
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
    initializers = [numpy_helper.from_array(np.array([1.0 / MAX_COUNT], np.float32), "scale")]
    nodes = [helper.make_node("Mul", ["counts", "scale"], ["a0"])]
    for i, (layer, W, b) in enumerate(
        zip(network.layers[1:], network.weights, network.biases, strict=True)
    ):
        initializers += [numpy_helper.from_array(W.astype(np.float32), f"W{i}"),
                         numpy_helper.from_array(b.astype(np.float32), f"b{i}")]  # fmt: skip
        nodes.append(helper.make_node("Gemm", [f"a{i}", f"W{i}", f"b{i}"], [f"z{i}"]))
        operator, attributes = OPERATORS[layer.activation]
        output = "probabilities" if i == len(network.weights) - 1 else f"a{i + 1}"
        nodes.append(helper.make_node(operator, [f"z{i}"], [output], **attributes))
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


def export_onnx(network: Network, path: str | Path) -> None:
    """Write the network to ``path`` as ONNX, atomically (:class:`ExportUnavailable`: no onnx)."""
    write_atomically(path, onnx_bytes(network))
