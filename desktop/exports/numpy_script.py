"""Export a network as ``predict.py`` plus its ``.npz``: the app's predictions, NumPy only.

The script reads the model file (``allow_pickle=False``: arrays and a JSON header) and
runs the same forward pass as :meth:`nncore.Network.forward`, in the same order of
operations, and a personalised model's sample vote as
:class:`desktop.recognition.sample_vote.SampleVote` does, so its probabilities are the app's.
"""

from __future__ import annotations

from pathlib import Path

from desktop.files import write_atomically
from desktop.recognition.sample_vote import KEY as VOTE_KEY
from nncore import Network

LEAKY_SLOPE = 0.01  # as nncore's leaky_relu (a test compares the script with the app)

SCRIPT = '''"""Digit Pad's network with NumPy alone.

    python predict.py [grids.txt]

Each line of grids.txt (or of standard input) holds one digit as Digit Pad sees it: 64
ink counts from 0 to 16, row by row (8 x 8). Prints the digit and its probability.
From Python: ``predict_proba(load("{model}"), grids)`` with grids of shape (n, 8, 8).
A model personalised on someone's samples keeps them; they vote beside the network.
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
    """A Digit Pad model file: its layers ((weights, biases, activation) each) and vote."""
    with np.load(path, allow_pickle=False) as arrays:
        header = json.loads(arrays["header"].tobytes().decode("utf-8"))
        layers = [(arrays[f"weights_{{i}}"], arrays[f"biases_{{i}}"], layer["activation"])
                  for i, layer in enumerate(header["layers"][1:])]
    return {{"layers": layers, "vote": header.get("metadata", {{}}).get("{vote_key}")}}


def sample_vote(vote, grids):
    """The personalised model's samples' vote (n, 10): the nearest samples count most."""
    samples, labels = np.array(vote["features"]), np.array(vote["labels"])
    distances = ((grids[:, None, :] - samples[None, :, :]) ** 2).sum(axis=2)
    # Measured from the nearest sample: exp() of the raw distances would underflow to 0.
    kernel = np.exp(-(distances - distances.min(axis=1, keepdims=True)) / vote["width"])
    votes = kernel @ np.eye(10)[labels]
    return votes / votes.sum(axis=1, keepdims=True)


def predict_proba(model, grids):
    """Probabilities (n, 10) of 8 x 8 grids of ink counts 0..16, shape (n, 8, 8) or (n, 64)."""
    layers, vote = model["layers"], model["vote"]
    grids = np.asarray(grids, dtype=np.float64).reshape(-1, 64)
    a = grids.astype(layers[0][0].dtype)
    a *= 1.0 / MAX_COUNT
    for weights, biases, activation in layers:
        a = ACTIVATIONS[activation](a @ weights + biases)
    if vote:
        a = (1 - vote["weight"]) * a + vote["weight"] * sample_vote(vote, grids)
    return a


if __name__ == "__main__":
    model = load(Path(__file__).with_name("{model}"))
    lines = open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin
    grids = np.array([[float(v) for v in line.split()] for line in lines if line.strip()])
    for row in predict_proba(model, grids):
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
    text = SCRIPT.format(model=model.name, leaky_slope=LEAKY_SLOPE, vote_key=VOTE_KEY)
    write_atomically(script, text.encode("utf-8"))
    return script, model
