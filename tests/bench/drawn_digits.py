"""Recognition of real pen-drawn digits, drawn on the app's canvas as a person would.

Each trajectory of the UCI pen-digits file (30 writers the model never saw) is drawn on
a canvas of the app's size: y flipped, about two thirds of the canvas height, placed
near the centre with some jitter, with a round brush of several widths. Each
preprocessing variant turns the drawing into 8x8 features; a network classifies them.
Prints accuracy per variant (overall, per brush, per digit) and a confusion matrix.

Usage: python tests/bench/drawn_digits.py PATH/pendigits_train.jsonl [--model M.npz]
       [--limit N] [--variants a,b,...]
The data stays outside the repository; nothing derived from it is written anywhere.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from desktop.recognition import preprocessing as pp
from desktop.recognizer import Recognizer
from nncore import Network, confusion_matrix

CANVAS = 280  # the canvas size the app opens with (logical pixels)
BRUSHES = (8, 16, 24)


def load(path: Path, limit: int | None) -> list[dict]:
    with open(path) as stream:
        rows = [json.loads(line) for line in stream]
    if limit:
        rows = rows[:: max(1, len(rows) // limit)][:limit]
    return rows


def place_on_canvas(strokes: list, rng: np.random.Generator) -> list[np.ndarray]:
    """Tablet strokes (y up) -> canvas strokes (y down), ~2/3 canvas high, near centre."""
    arrays = [np.asarray(s, dtype=np.float64) * [1, -1] for s in strokes]
    every = np.concatenate(arrays)
    low, span = every.min(axis=0), np.ptp(every, axis=0)
    height = CANVAS * rng.uniform(0.55, 0.75)
    scale = height / max(span[1], 1.0)
    scale = min(scale, 0.9 * CANVAS / max(span[0], 1.0))
    size = span * scale
    offset = (CANVAS - size) / 2 + rng.uniform(-0.1, 0.1, 2) * CANVAS
    offset = np.clip(offset, 4, CANVAS - size - 4)
    return [(a - low) * scale + offset for a in arrays]


def plain_resize(image: np.ndarray) -> np.ndarray:
    """The naive baseline: average the whole canvas into 8x8 and scale to 0..16."""
    n = image.shape[0] // 8
    blocks = image[: n * 8, : n * 8].reshape(8, n, 8, n).mean(axis=(1, 3))
    return blocks / max(blocks.max(), 1e-9) * 16


def nist(settings: pp.Settings) -> Callable[[np.ndarray], np.ndarray | None]:
    def features(image: np.ndarray) -> np.ndarray | None:
        stages = pp.preprocess_image(image, settings)
        return None if stages is None else stages.features

    return features


RASTER_VARIANTS: dict[str, Callable[[np.ndarray], np.ndarray | None]] = {
    "plain resize": plain_resize,
    "crop, 32 high, 16-20 wide": nist(pp.Settings(deslant=False)),
    "+ de-slant": nist(pp.Settings()),
}


def latency(recognizer: Recognizer, drawn: list[list[np.ndarray]]) -> None:
    """Median and 95th percentile of one whole prediction (preprocess + forward)."""
    images = [pp.draw_polylines(strokes, 16, (CANVAS, CANVAS)) for strokes in drawn]
    cases = {
        "strokes (the app)": (drawn, lambda s: recognizer.predict_strokes(s, (CANVAS, CANVAS))),
        f"a {CANVAS}x{CANVAS} image": (images, recognizer.predict),
    }
    for name, (inputs, predict) in cases.items():
        times = []
        for item in inputs:
            started = time.perf_counter()
            predict(item)
            times.append(time.perf_counter() - started)
        print(f"prediction from {name}: median {np.median(times) * 1e3:.2f} ms, "
              f"95th percentile {np.percentile(times, 95) * 1e3:.2f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="pendigits_train.jsonl")
    parser.add_argument("--model", type=Path, help="a model file (default: the bundled one)")
    parser.add_argument("--limit", type=int, default=None, help="use N digits, spread out")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    recognizer = Recognizer.from_file(args.model) if args.model else Recognizer.default()
    network: Network = recognizer.network
    rows = load(args.data, args.limit)
    labels = np.array([r["label"] for r in rows])
    rng = np.random.default_rng(args.seed)
    drawn = [place_on_canvas(r["strokes"], rng) for r in rows]
    print(f"{len(rows)} drawn digits, {len({r['writer'] for r in rows})} writers, "
          f"canvas {CANVAS}x{CANVAS}, model: {args.model or 'bundled'}")  # fmt: skip

    results: dict[str, np.ndarray] = {}

    def classify(name: str, features: list[np.ndarray | None]) -> None:
        X = np.array([f if f is not None else np.zeros((8, 8)) for f in features])
        predicted = network.predict(X.reshape(len(X), 64) / 16.0)
        results[name] = predicted

    for brush in BRUSHES:
        images = [pp.draw_polylines(strokes, brush, (CANVAS, CANVAS)) for strokes in drawn]
        for name, variant in RASTER_VARIANTS.items():
            classify(f"{name} (brush {brush})", [variant(image) for image in images])
    started = time.perf_counter()
    features = [recognizer.stroke_features(strokes, (CANVAS, CANVAS)) for strokes in drawn]
    per_digit_ms = (time.perf_counter() - started) / len(drawn) * 1e3
    classify("strokes re-rendered (any brush)", features)

    print(f"\n{'variant':<44}{'accuracy':>9}")
    for name, predicted in results.items():
        print(f"{name:<44}{np.mean(predicted == labels):>9.3f}")
    best = "strokes re-rendered (any brush)"
    predicted = results[best]
    print(f"\n{best}: stroke preprocessing {per_digit_ms:.2f} ms per digit")
    latency(recognizer, drawn[:500])
    print("per digit: " + "  ".join(
        f"{d}:{np.mean(predicted[labels == d] == d):.2f}" for d in range(10)
    ))  # fmt: skip
    writers = np.array([r["writer"] for r in rows])
    per_writer = [np.mean(predicted[writers == w] == labels[writers == w]) for w in set(writers)]
    print(f"per writer: worst {min(per_writer):.3f}, median {np.median(per_writer):.3f}")
    print("confusion (rows true, columns predicted):")
    for d, row in enumerate(confusion_matrix(labels, predicted, 10)):
        print(f"  {d}: " + " ".join(f"{c:4d}" for c in row))


if __name__ == "__main__":
    main()
