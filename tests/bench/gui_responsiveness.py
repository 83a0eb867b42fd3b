"""Is the window responsive? Start-up, first epoch, event-loop stalls, shutdown, memory.

- start-up: from launching a fresh Python process to the main window shown (offscreen);
- first epoch: from pressing Start to the first epoch on the plot, for the first run
  after launch and for later runs (the default configuration on the shipped corpus);
- stalls: a timer ticks every 2 ms in the GUI thread; the worst delay of a tick beyond
  its interval is the longest the window could not react. A watchdog thread samples the
  GUI thread's stack whenever a tick is more than 12 ms late, and the most frequent
  places are printed, so a stall is found, not guessed. Measured while the default
  network trains, while drawing with live prediction (a 125 Hz mouse), when the Train
  tab is opened for the first time, and at the end of a run (results shown);
- closing the window in the middle of a long epoch (64-4096-4096-10);
- long run: 100,000 epochs of a tiny network; resident memory early and at the end.

Usage: QT_QPA_PLATFORM=offscreen python tests/bench/gui_responsiveness.py [--long-epochs N]
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

from helpers import tests_module  # tests/bench/helpers.py: the scripts run from here

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STARTUP = """
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop.app import MainWindow
from PySide6.QtCore import QSettings
window = MainWindow(settings=QSettings({path!r}, QSettings.Format.IniFormat),
                    samples_folder={folder!r})
window.show()
app.processEvents()
print("shown", flush=True)
"""
LATE = 0.012  # a tick this late gets the GUI thread's stack sampled


def startup_seconds(repeats: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as folder:
        code = STARTUP.format(path=str(Path(folder) / "settings.ini"), folder=folder)
        for _ in range(repeats):
            started = time.perf_counter()
            child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)  # fmt: skip
            assert child.stdout is not None and child.stdout.readline().strip() == "shown"
            times.append(time.perf_counter() - started)
            child.wait()
    return times


class StallMeter:
    """How late a 2 ms GUI-thread timer fires, and where the GUI thread was meanwhile."""

    def __init__(self, interval_ms: int = 2) -> None:
        from PySide6.QtCore import QTimer

        self.interval = interval_ms / 1000
        self.worst = 0.0
        self.gaps: list[float] = []
        self.places: collections.Counter[str] = collections.Counter()
        # How late the watchdog itself woke: a stall it could not sample because it could
        # not run either (the process not scheduled, or C code holding Python's lock).
        self.watchdog_worst = 0.0
        self._last = time.perf_counter()
        self._main = threading.main_thread().ident
        self._running = True
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self._watchdog = threading.Thread(target=self._watch, daemon=True)
        self._watchdog.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = now - self._last - self.interval
        self.gaps.append(max(gap, 0.0))
        self.worst = max(self.worst, gap)
        self._last = now

    def _watch(self) -> None:
        while self._running:
            asleep = time.perf_counter()
            time.sleep(0.002)
            self.watchdog_worst = max(self.watchdog_worst, time.perf_counter() - asleep - 0.002)
            if time.perf_counter() - self._last > LATE:
                frame = sys._current_frames().get(self._main)
                if frame is not None:
                    stack = traceback.extract_stack(frame)
                    inner = [f"{Path(f.filename).name}:{f.name}" for f in stack[-6:]]
                    self.places[" < ".join(reversed(inner))] += 1

    def stop(self) -> StallMeter:
        self._running = False
        self.timer.stop()
        self._watchdog.join(1)
        return self

    def summary(self, what: str) -> str:
        import numpy as np

        p99 = np.percentile(self.gaps or [0], 99) * 1e3
        text = (f"{what}: worst stall {self.worst * 1e3:.1f} ms, 99th percentile "
                f"{p99:.1f} ms ({len(self.gaps)} ticks)")  # fmt: skip
        for place, count in self.places.most_common(4):
            text += f"\n    late ticks in {place} ({count} samples)"
        if self.watchdog_worst > LATE:
            late = self.watchdog_worst * 1e3
            text += (f"\n    the watchdog itself woke up to {late:.1f} ms late (the process "
                     "not scheduled, or C code holding Python's lock)")  # fmt: skip
        return text


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long-epochs", type=int, default=100_000)
    args = parser.parse_args()

    times = startup_seconds(5)
    print(f"start-up to window shown: median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}, 5 runs)")  # fmt: skip

    import numpy as np
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from desktop.app import MainWindow
    from desktop.data.corpus import Corpus, InMemory
    from desktop.data.synthetic import sample_strokes
    from desktop.training.config import HiddenLayer, TrainingConfig

    mouse_events = tests_module("mouse")
    move, press, release = mouse_events.move, mouse_events.press, mouse_events.release

    folder = tempfile.mkdtemp()
    window = MainWindow(
        settings=QSettings(f"{folder}/s.ini", QSettings.Format.IniFormat), samples_folder=folder
    )
    window.resize(1180, 760)
    window.show()
    app.processEvents()
    tab = window.train_tab

    def wait(condition) -> None:  # type: ignore[no-untyped-def]
        while not condition():
            app.processEvents()
            time.sleep(0.0005)

    meter = StallMeter()
    started = time.perf_counter()  # a person looks at the window before clicking a tab
    wait(lambda: time.perf_counter() - started > 1.0)
    print(meter.stop().summary("the first second after start-up"))
    meter = StallMeter()
    window.tabs.setCurrentWidget(tab)
    for _ in range(50):  # the tab appears in turns: wait for all of them
        app.processEvents()
        time.sleep(0.002)
    print(meter.stop().summary("opening the Train tab"))

    def run(config: TrainingConfig, what: str) -> tuple[float, StallMeter, StallMeter]:
        """Start -> first epoch seconds, stalls while training, stalls when it ends."""
        tab.form.set_config(config)
        finished: list[object] = []
        tab.training_finished.connect(finished.append)
        meter = StallMeter()
        started = time.perf_counter()
        tab.start()
        wait(lambda: tab.plots.series.count > 0 or finished)
        first = time.perf_counter() - started
        # The end of a run: from its last epoch on the plot to the results shown and the
        # controls back, which happens over a few event-loop turns.
        wait(lambda: tab.plots.series.count == config.epochs or finished)
        meter.stop()
        ending = StallMeter()
        wait(lambda: finished and not tab.is_running)
        for _ in range(30):
            app.processEvents()
            time.sleep(0.001)
        ending.stop()
        tab.training_finished.disconnect(finished.append)
        return first, meter, ending

    default = TrainingConfig()
    first_times = []
    for attempt in range(3):
        first, meter, ending = run(default, "default")
        first_times.append(first)
        if attempt == 0:
            print(f"first epoch after Start, first run after launch: {first:.2f} s")
            print(meter.summary(f"training the default network ({default.summary()})"))
            print(ending.summary("the end of a run (results shown)"))
    print("first epoch after Start, later runs: "
          + ", ".join(f"{t:.2f}" for t in first_times[1:]) + " s")  # fmt: skip

    window.tabs.setCurrentWidget(window.draw_tab)
    canvas = window.draw_tab.canvas
    rng = np.random.default_rng(0)
    path = [(x, y) for d in range(10) for s in sample_strokes(d, rng)
            for x, y in (s - 250) * 0.8 + 140]  # fmt: skip
    meter = StallMeter()
    mouse = QTimer()
    mouse.setInterval(8)  # a 125 Hz mouse
    position = {"i": 0}

    def step() -> None:
        i = position["i"]
        if i % 60 == 0:
            if i:
                release(canvas, *path[i - 1])
                canvas.clear()
            press(canvas, *path[i])
        else:
            move(canvas, *path[i])
        position["i"] = i + 1

    mouse.timeout.connect(step)
    mouse.start()
    wait(lambda: position["i"] >= min(len(path), 600))
    mouse.stop()
    print(meter.stop().summary(f"drawing with live prediction ({position['i']} mouse events)"))

    # The Inside tab, updated for one drawing after another (view computed and painted).
    inside = window.inside_tab
    window.tabs.setCurrentWidget(inside)
    wait(lambda: inside.neighbours is not None)
    recognizer = window.recognizer
    drawings = [recognizer.stroke_features(sample_strokes(d % 10, rng)) for d in range(100)]
    costs = []
    meter = StallMeter()
    for features in drawings:
        started = time.perf_counter()
        inside.set_drawing(features)
        inside.repaint()  # paint now, so the cost includes drawing every view
        costs.append((time.perf_counter() - started) * 1e3)
        app.processEvents()
    meter.stop()
    print(f"Inside tab, one update (compute and paint every view), 100 drawings: median "
          f"{np.median(costs):.1f} ms, worst {max(costs):.1f} ms")  # fmt: skip

    window.tabs.setCurrentWidget(tab)
    settled = time.perf_counter() + 0.3  # a person sees the tab before pressing Start
    wait(lambda: time.perf_counter() > settled)
    shipped = Corpus.bundled()
    few = ("load_digits", shipped.features[:60], shipped.labels[:60], None, 0)
    tiny_corpus = Corpus.assemble([few, ("load_digits", *shipped.test_set(), None, 1)])
    tab.corpus = InMemory(tiny_corpus)
    tiny = TrainingConfig(hidden=(HiddenLayer(4, "relu"),), epochs=args.long_epochs,
                          batch_size=48, validation_split=0.0)  # fmt: skip
    samples: dict[int, float] = {}

    def sample_memory() -> None:
        samples[tab.plots.series.count] = rss_mb()

    sampler = QTimer()
    sampler.setInterval(500)
    sampler.timeout.connect(sample_memory)
    sampler.start()
    started = time.perf_counter()
    _, meter, _ = run(tiny, "long")
    sampler.stop()
    sample_memory()
    early = min((c for c in samples if c >= args.long_epochs // 10), default=0)
    print(f"long run: {tab.plots.series.count:,} epochs in {time.perf_counter() - started:.1f} s; "
          f"memory {samples.get(early, float('nan')):.0f} MB at epoch {early:,}, "
          f"{samples[tab.plots.series.count]:.0f} MB at the end; worst stall "
          f"{meter.worst * 1e3:.1f} ms")  # fmt: skip
    for place, count in meter.places.most_common(4):
        print(f"    late ticks in {place} ({count} samples)")

    # Closing the window in the middle of a long epoch: how long until all has stopped.
    tab.corpus = InMemory(shipped)
    tab.form.set_config(TrainingConfig(hidden=(HiddenLayer(4096, "relu"),) * 2))
    tab.start()
    wait(lambda: tab.status_label.text() == "Starting…")
    time.sleep(1.0)
    process = window.training_process
    started = time.perf_counter()
    window.close()
    took = (time.perf_counter() - started) * 1e3
    print(f"closing the window mid-epoch (64-4096-4096-10): {took:.0f} ms; training "
          f"process left: {process.alive}")  # fmt: skip


if __name__ == "__main__":
    main()
