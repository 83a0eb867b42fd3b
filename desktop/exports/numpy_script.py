"""Export a network as ``predict.py`` plus its ``.npz``: the app's predictions, NumPy only.

The script reads the model file (``allow_pickle=False``: arrays and a JSON header) and
runs the same forward pass as :meth:`nncore.Network.forward`, in the same order of
operations, so its probabilities are the app's.
"""

from __future__ import annotations

from pathlib import Path

from desktop.files import write_atomically
from nncore import Network

LEAKY_SLOPE = 0.01  # as nncore's leaky_relu (a test compares the script with the app)

SCRIPT = '''"""Digit Pad's network with NumPy alone.

    python predict.py [grids.txt]

Each line of grids.txt (or of standard input) holds one digit as Digit Pad sees it: 64
ink counts from 0 to 16, row by row (8 x 8). Prints the digit and its probability.
From Python: ``predict_proba(load("{model}"), grids)`` with grids of shape (n, 8, 8).
"""

import json
import sys
from pathlib import Path

import numpy as np

MAX_COUNT = 16  # ink counts per cell: the network sees count / 16
LEAKY_SLOPE = {leaky_slope!r}
ACTIVATIONS = {{
    "relu": lambda z: np.maximum(z, 0.0),
    "leaky_relu": lambda z: np.maximum(z, LEAKY_SLOPE * z),
    "tanh": np.tanh,
    "linear": lambda z: z,
    "sigmoid": lambda z: (np.tanh(z * 0.5) + 1.0) * 0.5,  # never overflows, unlike exp(-z)
    "softmax": lambda z: softmax(z),
}}


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))  # the row maximum keeps exp() <= 1
    return e / e.sum(axis=1, keepdims=True)


def load(path):
    """The layers of a Digit Pad model file: (weights, biases, activation) each."""
    with np.load(path, allow_pickle=False) as arrays:
        header = json.loads(arrays["header"].tobytes().decode("utf-8"))
        return [(arrays[f"weights_{{i}}"], arrays[f"biases_{{i}}"], layer["activation"])
                for i, layer in enumerate(header["layers"][1:])]


def predict_proba(layers, grids):
    """Probabilities (n, 10) of 8 x 8 grids of ink counts 0..16, shape (n, 8, 8) or (n, 64)."""
    a = np.asarray(grids).reshape(-1, 64).astype(layers[0][0].dtype)
    a *= 1.0 / MAX_COUNT
    for weights, biases, activation in layers:
        a = ACTIVATIONS[activation](a @ weights + biases)
    return a


if __name__ == "__main__":
    layers = load(Path(__file__).with_name("{model}"))
    lines = open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin
    grids = np.array([[float(v) for v in line.split()] for line in lines if line.strip()])
    for row in predict_proba(layers, grids):
        print(int(row.argmax()), f"{{row.max():.3f}}")
'''


def export_numpy_script(network: Network, script: str | Path) -> tuple[Path, Path]:
    """Write ``script`` (``predict.py``) and the model beside it; both paths.

    The model file is named after the script (``predict.npz``) and written first, so a
    script never points to a model that is not there.
    """
    script = Path(script)
    model = script.with_suffix(".npz")
    script.parent.mkdir(parents=True, exist_ok=True)
    network.save(model)
    text = SCRIPT.format(model=model.name, leaky_slope=LEAKY_SLOPE)
    write_atomically(script, text.encode("utf-8"))
    return script, model
