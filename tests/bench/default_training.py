"""The Train tab's default configuration: test accuracy over 5 seeds, and its time.

Each seed draws a different initialisation and shuffling, exactly as the Train tab does
with that seed; the test split is load_digits' fixed held-out 20 %.

Usage: python tests/bench/default_training.py [--seeds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

from desktop.data.digits import load_digit_images, split_load_digits
from desktop.recognition.features import network_input
from desktop.training.config import TrainingConfig


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    images, labels = load_digit_images()
    accuracies, seconds = [], []
    for seed in range(args.seeds):
        config = TrainingConfig(seed=seed)
        images_train, images_test, y_train, y_test = split_load_digits(images, labels)
        X_train, X_test = network_input(images_train), network_input(images_test)
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
