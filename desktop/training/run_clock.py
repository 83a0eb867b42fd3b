"""A run's clock without Qt: time elapsed (pauses excluded), time left, said plainly."""

from __future__ import annotations

import time
from collections.abc import Callable


class RunClock:
    """Elapsed time of a run without its pauses, and an honest estimate of the time left.

    The estimate counts from the end of the first epoch, whose time includes starting
    the run (a process, the data); until then there is no estimate.
    """

    def __init__(self, now: Callable[[], float] = time.perf_counter) -> None:
        self._now = now
        self._started = now()
        self._paused_for = 0.0
        self._paused_at: float | None = None
        self._first_epoch: tuple[float, int] | None = None  # (running time, epochs) then

    def pause(self) -> None:
        """Stop the clock (a paused run does not age)."""
        if self._paused_at is None:
            self._paused_at = self._now()

    def resume(self) -> None:
        """Start the clock again."""
        if self._paused_at is not None:
            self._paused_for += self._now() - self._paused_at
            self._paused_at = None

    def elapsed(self) -> float:
        """Seconds the run has been running (pauses excluded)."""
        until = self._paused_at if self._paused_at is not None else self._now()
        return until - self._started - self._paused_for

    def remaining(self, done: int, total: int) -> float | None:
        """Seconds left after ``done`` of ``total`` epochs, or None while unknown."""
        if done <= 0:
            return None
        if self._first_epoch is None:
            self._first_epoch = (self.elapsed(), done)
            return None
        mark, epochs_then = self._first_epoch
        if done <= epochs_then:
            return None
        per_epoch = (self.elapsed() - mark) / (done - epochs_then)
        return per_epoch * (total - done)

    def progress_text(self, done: int, total: int) -> str:
        """Say e.g. "Epoch 3/40 · 1.2 s elapsed · 9.8 s left" (no estimate before one)."""
        text = f"Epoch {done}/{total} · {duration(self.elapsed())} elapsed"
        left = self.remaining(done, total)
        return text if left is None or done >= total else f"{text} · {duration(left)} left"


def duration(seconds: float) -> str:
    """Say ``seconds`` as "4.2 s", "3 min 07 s" or "2 h 05 min"."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(int(seconds), 60)
    return (
        f"{minutes} min {seconds:02d} s"
        if minutes < 60
        else f"{minutes // 60} h {minutes % 60:02d} min"
    )
