"""Build the bundled model: ``python -m desktop.build.model [--out resources/model.npz]``.

The recipe, seeded end to end: hold out a stratified 20 % of ``load_digits`` as the test
split; train on the other 80 %, plus distorted copies of it and synthetic pen-drawn
digits, all normalised exactly as a drawing is; save with the preprocessing settings and
the figures in the model file's metadata. Takes about a minute on two cores.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from desktop.data.augmentation import augmented
from desktop.data.digits import load_digit_images, split_load_digits
from desktop.recognition.preprocessing import DEFAULT_SETTINGS, Settings, preprocess_strokes
from desktop.data.synthetic import synthetic_strokes
from desktop.recognition.features import network_input
from nncore import Layer, Network


@dataclass(frozen=True)
class Recipe:
    """Everything that decides the bundled model."""

    seed: int = 0
    augmented_copies: int = 10
    synthetic_per_digit: int = 1200
    hidden: tuple[int, ...] = (256, 128)
    epochs: int = 30
    learning_rate: float = 1e-3
    batch_size: int = 64
    l2: float = 1e-4


def synthetic_features(
    per_digit: int, seed: int, settings: Settings
) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic drawings through the stroke preprocessing: (n, 8, 8) and labels (n,)."""
    features, labels = [], []
    for digit, strokes in synthetic_strokes(per_digit, seed):
        stages = preprocess_strokes(strokes, settings=settings)
        if stages is not None:
            features.append(stages.features)
            labels.append(digit)
    return np.array(features).reshape(-1, 8, 8), np.array(labels, dtype=np.int64)


def build(recipe: Recipe = Recipe(), settings: Settings = DEFAULT_SETTINGS) -> Network:
    """Train the model described by ``recipe``; its metadata holds the test figures."""
    started = time.perf_counter()
    images, labels = load_digit_images()
    train_images, test_images, train_labels, test_labels = split_load_digits(images, labels)
    extra_images, extra_labels = augmented(
        train_images, train_labels, recipe.augmented_copies, recipe.seed, settings=settings
    )
    drawn_images, drawn_labels = synthetic_features(
        recipe.synthetic_per_digit, recipe.seed + 1, settings
    )
    X = network_input(np.concatenate([train_images, extra_images, drawn_images]))
    y = np.concatenate([train_labels, extra_labels, drawn_labels])

    layers = [Layer(64, "input"), *(Layer(n, "relu") for n in recipe.hidden)]
    network = Network([*layers, Layer(10, "softmax")], seed=recipe.seed, dtype="float32")
    network.fit(
        X, y, epochs=recipe.epochs, learning_rate=recipe.learning_rate,
        batch_size=recipe.batch_size, optimizer="adam", l2=recipe.l2, seed=recipe.seed,
    )  # fmt: skip
    X_test = network_input(test_images)
    network.metadata = {
        "preprocessing": settings.to_dict(),
        "training": {
            "recipe": {**asdict(recipe), "hidden": list(recipe.hidden)},
            "samples": {
                "load_digits": len(train_images),
                "augmented": len(extra_images),
                "synthetic": len(drawn_images),
            },
            "load_digits_test_accuracy": network.accuracy(X_test, test_labels),
            "seconds": round(time.perf_counter() - started, 1),
        },
    }
    return network


def main() -> None:
    """Command line: build the model and save it (default: resources/model.npz)."""
    parser = argparse.ArgumentParser(description="Build Digit Pad's bundled model.")
    default_out = Path(__file__).resolve().parent.parent / "resources" / "model.npz"
    parser.add_argument("--out", type=Path, default=default_out)
    parser.add_argument("--seed", type=int, default=Recipe.seed)
    parser.add_argument("--augmented-copies", type=int, default=Recipe.augmented_copies,
                        help="distorted copies of each load_digits glyph (0: none)")  # fmt: skip
    parser.add_argument("--synthetic-per-digit", type=int, default=Recipe.synthetic_per_digit,
                        help="synthetic pen-drawn digits of each class (0: none)")  # fmt: skip
    args = parser.parse_args()
    recipe = Recipe(
        seed=args.seed,
        augmented_copies=args.augmented_copies,
        synthetic_per_digit=args.synthetic_per_digit,
    )
    network = build(recipe)
    network.save(args.out)
    training = network.metadata["training"]
    print(
        f"saved {args.out}: load_digits test accuracy "
        f"{training['load_digits_test_accuracy']:.4f}, samples {training['samples']}, "
        f"{training['seconds']} s"
    )


if __name__ == "__main__":
    main()
