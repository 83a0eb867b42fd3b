"""The Train tab's default run: its figures over several seeds, its time, its throughput.

Each seed trains the default TrainingConfig on the shipped corpus (its default sources)
through the Train tab's own code path (desktop.training.session), and is scored on
load_digits' held-out test split and on drawn digits of the 6 writers nothing trains on.

Usage: python tests/bench/default_training.py [--seeds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from desktop.data.corpus import Corpus
from desktop.training.config import TrainingConfig
from desktop.training.session import accuracy_on, prepare, train


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    corpus = Corpus.bundled()
    data = prepare(corpus, TrainingConfig().sources)
    print(f"corpus loaded and prepared in {(time.perf_counter() - started) * 1e3:.0f} ms: "
          f"{len(data.labels):,} training samples")  # fmt: skip
    drawn, test, seconds = [], [], []
    for seed in range(args.seeds):
        config = TrainingConfig(seed=seed)
        began = time.perf_counter()
        trained = train(config, data)
        seconds.append(time.perf_counter() - began)
        drawn.append(accuracy_on(trained.network, data.drawn) or 0.0)
        test.append(accuracy_on(trained.network, data.test) or 0.0)
        print(f"seed {seed}: drawn digits of unseen writers {drawn[-1]:.4f}, load_digits test "
              f"{test[-1]:.4f}, {seconds[-1]:.1f} s")  # fmt: skip
    config = TrainingConfig()
    watched = []
    for seed in range(args.seeds):  # the same runs, sending the weights view its snapshots
        began = time.perf_counter()
        train(TrainingConfig(seed=seed), data, on_epoch=lambda figures: None,
              weights_every=0.25)  # fmt: skip
        watched.append(time.perf_counter() - began)
    slower = statistics.median(watched) / statistics.median(seconds) - 1
    print(f"with the weights view's snapshots (every 0.25 s): {statistics.median(watched):.1f} s"
          f" per run ({slower:+.1%})")  # fmt: skip
    samples = len(data.labels) * (1 - config.validation_split) * config.epochs
    print(f"\n{config.summary()}: drawn {statistics.mean(drawn):.4f} (min {min(drawn):.4f}), "
          f"load_digits test {statistics.mean(test):.4f}, {statistics.median(seconds):.1f} s "
          f"per run, {samples / statistics.median(seconds):,.0f} samples/s")  # fmt: skip


if __name__ == "__main__":
    main()
