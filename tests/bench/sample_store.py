"""Keeping a sample: its latency with 1,000 and 10,000 samples already kept.

Each keep is one SQLite transaction on one row (WAL, synchronous as SQLite sets it), so
its cost should not grow with the number of samples. Starting (opening the store and
reading every sample) is timed too. Usage: python tests/bench/sample_store.py
"""

from __future__ import annotations

import statistics
import tempfile
import time

import numpy as np

from desktop.data.personal_samples import SampleStore

STROKES = [np.random.default_rng(0).uniform(0, 280, (60, 2)) for _ in range(2)]


def main() -> None:
    features = np.random.default_rng(1).integers(0, 17, (8, 8))
    with tempfile.TemporaryDirectory() as folder:
        store = SampleStore(folder)
        for target in (1_000, 10_000):
            while len(store.samples) < target:
                store.add(len(store.samples) % 10, features, STROKES)
            times = []
            for _ in range(50):
                started = time.perf_counter()
                kept = store.add(7, features, STROKES)
                times.append((time.perf_counter() - started) * 1e3)
                store.remove(kept)
            started = time.perf_counter()
            again = SampleStore(folder)
            opened = time.perf_counter() - started
            print(f"{target:,} samples: keeping one takes median {statistics.median(times):.2f} ms "
                  f"(worst {max(times):.2f}); opening the store {opened:.2f} s "
                  f"({len(again.samples):,} read)")  # fmt: skip


if __name__ == "__main__":
    main()
