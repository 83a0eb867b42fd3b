"""The eraser in bounded time: a 100-line scribble erased by a 2,000-move eraser stroke.

Each prediction while erasing recomputes the visible ink (``Drawing.visible_strokes``);
its cost should grow with the ink plus the eraser's path, not with their product.
Usage: python tests/bench/eraser.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from desktop.recognition.drawing import SIZE, Drawing


def scribble(drawing: Drawing, lines: int, rng: np.random.Generator) -> None:
    for _ in range(lines):
        start, end = rng.uniform(10, SIZE - 10, (2, 2))
        drawing.begin_stroke(*start, width=16)
        for t in np.linspace(0, 1, 40)[1:]:
            drawing.extend_stroke(*(start + t * (end - start)))


def main() -> None:
    rng = np.random.default_rng(0)
    drawing = Drawing()
    scribble(drawing, 100, rng)
    drawing.begin_stroke(20.0, 20.0, width=24, erase=True)
    started = time.perf_counter()
    costs = []
    for move in range(1, 2001):  # a zigzag over the whole canvas, 125 Hz mouse moves
        x = 20 + (move * 7) % int(SIZE - 40)
        y = 20 + (move // 36) * 4 % int(SIZE - 40)
        drawing.extend_stroke(float(x), float(y))
        if move % 5 == 0:  # a prediction every 40 ms at 125 Hz
            tick = time.perf_counter()
            drawing.visible_strokes()
            costs.append((time.perf_counter() - tick) * 1e3)
    total = time.perf_counter() - started
    pieces = len(drawing.visible_strokes())
    print(f"100-line scribble, 2,000-move erase: {total:.2f} s in all; one prediction's "
          f"visible ink median {statistics.median(costs):.1f} ms, worst {max(costs):.1f} ms "
          f"({pieces} pieces of ink left)")  # fmt: skip


if __name__ == "__main__":
    main()
