"""Is the window responsive? Start-up time, event-loop stalls, and memory on long runs.

- start-up: from launching a fresh Python process to the main window shown (offscreen);
- stall while training: a timer ticks every 5 ms in the GUI thread while the Train tab
  trains its default configuration; the worst delay of a tick beyond its 5 ms is the
  longest the window could not react;
- stall while drawing: a simulated 125 Hz mouse drags strokes over the canvas with live
  prediction on; same measure;
- long run: 100,000 epochs of a tiny network with the GUI open; resident memory at
  10,000 epochs and at the end.

Usage: QT_QPA_PLATFORM=offscreen python tests/bench/gui_responsiveness.py [--long-epochs N]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
    """Records how late a 5 ms GUI-thread timer fires."""

    def __init__(self, interval_ms: int = 5) -> None:
        from PySide6.QtCore import QTimer

        self.interval = interval_ms / 1000
        self.worst = 0.0
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = now - self._last - self.interval
        self.gaps.append(max(gap, 0.0))
        self.worst = max(self.worst, gap)
        self._last = now


def _load_module(path: Path):  # type: ignore[no-untyped-def]
    """Import a helper by file path: putting tests/ on sys.path would let the folder
    tests/nncore shadow the nncore package."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    from desktop.data.digits import load_digit_images
    from desktop.data.synthetic import sample_strokes
    from desktop.training.config import HiddenLayer, TrainingConfig

    mouse_events = _load_module(Path(__file__).resolve().parent.parent / "mouse.py")
    move, press, release = mouse_events.move, mouse_events.press, mouse_events.release

    folder = tempfile.mkdtemp()
    window = MainWindow(
        settings=QSettings(f"{folder}/s.ini", QSettings.Format.IniFormat), samples_folder=folder
    )
    window.resize(1180, 760)
    window.show()
    app.processEvents()
    tab = window.train_tab
    images, labels = load_digit_images()  # loaded once here so the runs measure training
    tab.load_data = lambda: (images, labels)

    def run(config: TrainingConfig) -> StallMeter:
        window.tabs.setCurrentWidget(tab)
        tab.form.set_config(config)
        meter = StallMeter()
        finished = []
        tab.training_finished.connect(finished.append)
        tab.start()
        while not finished or tab.is_running:
            app.processEvents()
            time.sleep(0.001)
        tab.training_finished.disconnect(finished.append)
        meter.timer.stop()
        return meter

    meter = run(TrainingConfig(epochs=300))
    print(f"training (default network, 300 epochs, {len(meter.gaps)} ticks): worst stall "
          f"{meter.worst * 1e3:.1f} ms, 99th percentile "
          f"{np.percentile(meter.gaps, 99) * 1e3:.1f} ms")  # fmt: skip

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
    while position["i"] < min(len(path), 600):
        app.processEvents()
        time.sleep(0.001)
    mouse.stop()
    meter.timer.stop()
    print(f"drawing with live prediction ({position['i']} mouse events at 125 Hz): worst "
          f"stall {meter.worst * 1e3:.1f} ms, 99th percentile "
          f"{np.percentile(meter.gaps, 99) * 1e3:.1f} ms")  # fmt: skip

    tab.load_data = lambda: (images[:60], labels[:60])
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
    meter = run(tiny)
    sampler.stop()
    sample_memory()
    early = min((c for c in samples if c >= args.long_epochs // 10), default=0)
    print(f"long run: {tab.plots.series.count:,} epochs in {time.perf_counter() - started:.1f} s; "
          f"memory {samples.get(early, float('nan')):.0f} MB at epoch {early:,}, "
          f"{samples[tab.plots.series.count]:.0f} MB at the end; worst stall "
          f"{meter.worst * 1e3:.1f} ms")  # fmt: skip

    # Closing the window while the default network trains: how long until all is stopped.
    tab.load_data = lambda: (images, labels)
    tab.form.set_config(TrainingConfig(epochs=100_000))
    tab.start()
    while tab.plots.series.count < 5:
        app.processEvents()
        time.sleep(0.001)
    started = time.perf_counter()
    window.close()
    print(f"closing the window mid-training: stopped and joined in "
          f"{(time.perf_counter() - started) * 1e3:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
