"""The Train tab's default configuration: test accuracy over 5 seeds, and its time.

Each seed draws a different stratified 80/20 split of load_digits and a different
initialisation, exactly as the Train tab does with that seed.

Usage: python tests/bench/default_training.py [--seeds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

from desktop.digits_data import load_digit_images
from desktop.training_config import TrainingConfig
from nncore import train_test_split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    images, labels = load_digit_images()
    X = images.reshape(len(images), -1) / 16.0
    accuracies, seconds = [], []
    for seed in range(args.seeds):
        config = TrainingConfig(seed=seed)
        X_train, X_test, y_train, y_test = train_test_split(
            X, labels, 1 - config.test_share, stratify=labels, seed=seed
        )
        network = config.build_network()
        started = time.perf_counter()
        network.fit(X_train, y_train, **config.fit_options())
        seconds.append(time.perf_counter() - started)
        accuracies.append(network.accuracy(X_test, y_test))
        print(f"seed {seed}: test accuracy {accuracies[-1]:.4f} in {seconds[-1]:.2f} s")
    hidden = "-".join(str(h.size) for h in TrainingConfig().hidden)
    print(f"default config (64-{hidden}-10, {TrainingConfig().epochs} epochs): "
          f"mean {statistics.mean(accuracies):.4f}, min {min(accuracies):.4f}, "
          f"median time {statistics.median(seconds):.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
