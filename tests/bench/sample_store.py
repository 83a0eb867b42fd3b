"""Keeping a sample: its latency with 1,000, 10,000 and 100,000 samples already kept.

Each keep is one SQLite transaction on one row (WAL, synchronous as SQLite sets it), so
its cost should not grow with the number of samples. Starting (opening the store and
reading every sample; strokes are read only when asked for) is timed too, with the size
of the database. Usage: python tests/bench/sample_store.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from desktop.data.personal_samples import SampleStore

STROKES = [np.random.default_rng(0).uniform(0, 280, (60, 2)) for _ in range(2)]


def main() -> None:
    features = np.random.default_rng(1).integers(0, 17, (8, 8))
    with tempfile.TemporaryDirectory() as folder:
        store = SampleStore(folder)
        for target in (1_000, 10_000, 100_000):
            while len(store.samples) < target:  # filled a thousand at a time
                count = min(1_000, target - len(store.samples))
                store.add_all([(i % 10, features, STROKES) for i in range(count)])
            times = []
            for _ in range(50):
                started = time.perf_counter()
                kept = store.add(7, features, STROKES)
                times.append((time.perf_counter() - started) * 1e3)
                store.remove(kept)
            started = time.perf_counter()
            again = SampleStore(folder)
            opened = time.perf_counter() - started
            size = sum(p.stat().st_size for p in Path(folder).iterdir()) / 2**20
            print(f"{target:,} samples ({size:.0f} MB): keeping one takes median "
                  f"{statistics.median(times):.2f} ms (worst {max(times):.2f}); opening the "
                  f"store {opened:.2f} s ({len(again.samples):,} read)")  # fmt: skip


if __name__ == "__main__":
    main()
