"""The run ledger's costs: recording, opening the Runs panel, overlaying runs, a run itself.

- recording: what the GUI thread spends when a run ends (the ledger's row written, the
  table read again, the size budget kept), per epoch of runs of 20 and of 1,000 epochs;
- opening: building and showing the Runs panel with 1,000 runs in the database;
- overlay: showing 10 runs of 1,000 epochs on both plots, and one repaint of the plots;
- a run itself: the default run (5 epochs) in the training process's code, alternately
  with its model kept for the ledger and without, so that the machine's drift hits both.
- the peer for the ledger is no ledger; the peer for the exports is onnxruntime on the
  exported model, against nncore and the exported NumPy script (1,000 glyphs at once).

Usage: QT_QPA_PLATFORM=offscreen python tests/bench/run_ledger.py
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # after the platform is chosen

from desktop.data.corpus import CorpusFile
from desktop.data.run_ledger import RunLedger
from desktop.recognition.features import network_input
from desktop.recognition.model_in_use import ModelInUse
from desktop.training.config import TrainingConfig
from desktop.training.outcome import evaluate
from desktop.training.recording import RunRecorder, run_end
from desktop.training.requests import TrainRequest, run_training
from desktop.training.series import EpochSeries
from desktop.training.session import EpochFigures, prepare
from nncore import EpochReport


def _series(epochs: int, rng: np.random.Generator) -> EpochSeries:
    series = EpochSeries()
    loss = np.cumsum(rng.uniform(-0.02, 0.01, epochs)) + 2.3
    series.extend([EpochFigures(EpochReport(i + 1, epochs, float(abs(v)), 0.9, float(abs(v)),
                                            0.9, 0.1), 0.95)
                   for i, v in enumerate(loss)])  # fmt: skip
    return series


def recording(folder: Path, network_result: object, epochs: int, repeats: int = 20) -> float:
    """Median ms per epoch the GUI thread spends recording a run of ``epochs``."""
    from desktop.ui.train.runs_panel import RunsPanel

    ledger = RunLedger(folder)
    panel = RunsPanel(ledger)
    recorder = RunRecorder(ledger)
    series = _series(epochs, np.random.default_rng(0))
    config = TrainingConfig(epochs=epochs)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        recorder.begin("train", config, {"load_digits": 1000})
        recorder.end(run_end(network_result, series, 1.0))  # type: ignore[arg-type]
        panel.refresh_within_budget()  # as the Train tab does when a run ends
        times.append((time.perf_counter() - started) * 1000 / epochs)
    ledger.close()
    return statistics.median(times)


def opening(folder: Path, runs: int = 1000) -> tuple[float, float]:
    """(ms to build and show the Runs panel, ms to sort it by test accuracy) with ``runs``."""
    from PySide6.QtCore import Qt

    from desktop.ui.train.runs_model import COLUMNS
    from desktop.ui.train.runs_panel import RunsPanel

    ledger = RunLedger(folder)
    rng = np.random.default_rng(1)
    config = TrainingConfig().to_dict()
    for n in range(runs - len(ledger.runs())):
        run_id = ledger.begin("train", {**config, "seed": n}, {"samples": 9000})
        series = _series(100, rng)
        ledger.finish(run_id, run_end_of(series, float(rng.uniform(0.9, 1.0))))
    started = time.perf_counter()
    panel = RunsPanel(ledger)
    panel.resize(400, 500)
    panel.show()
    QApplication.processEvents()
    opened = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    test_column = [title for title, *_ in COLUMNS].index("Test")
    panel.table.sortByColumn(test_column, Qt.SortOrder.DescendingOrder)
    QApplication.processEvents()
    sorted_ms = (time.perf_counter() - started) * 1000
    panel.close()
    ledger.close()
    return opened, sorted_ms


def run_end_of(series: EpochSeries, accuracy: float):  # a RunEnd
    from desktop.data.run_ledger import RunEnd

    table = series.table()
    figures = np.array(list(table.values()))
    return RunEnd("finished", 10.0, tuple(table), figures, accuracy, accuracy - 0.02)


def overlay(repeats: int = 10) -> tuple[float, float]:
    """(ms to overlay 10 runs of 1,000 epochs on both plots, ms for one repaint of them)."""
    from desktop.ui.train.run_view import RunView

    view = RunView()
    view.resize(600, 500)
    view.ensure_charts()
    view.show()
    QApplication.processEvents()
    rng = np.random.default_rng(2)
    runs = [(f"Run {n}", _series(1000, rng)) for n in range(10)]
    overlay_times, paint_times = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        view.overlay(runs)
        overlay_times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        for chart in view.charts:
            chart.grab()  # a full paint of the plot, as the next frame would do
        paint_times.append((time.perf_counter() - started) * 1000)
        view.overlay([])
    view.close()
    return statistics.median(overlay_times), statistics.median(paint_times)


def run_with_and_without(folder: Path, rounds: int = 5) -> tuple[list[float], list[float]]:
    """Seconds of the default run (5 epochs) with its model kept, and without, alternately."""
    source = CorpusFile()
    config = TrainingConfig(epochs=5)
    kept, plain = [], []
    for n in range(rounds):
        for keep, times in ((True, kept), (False, plain)):
            request = TrainRequest(
                config, source, keep_as=folder / f"run-{n}.npz" if keep else None
            )
            started = time.perf_counter()
            run_training(request)
            times.append(time.perf_counter() - started)
    return kept, plain


def exports(folder: Path) -> dict[str, float]:
    """Median ms to score 1,000 glyphs: nncore, onnxruntime on the export, the NumPy script."""
    from desktop.exports.numpy_script import export_numpy_script
    from desktop.exports.onnx_model import export_onnx

    network = ModelInUse.bundled().recognizer.network
    glyphs = np.random.default_rng(3).integers(0, 17, (1000, 8, 8))
    export_onnx(network, folder / "model.onnx")
    script, model = export_numpy_script(network, folder / "predict.py")
    spec = importlib.util.spec_from_file_location("predict", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    layers = module.load(model)
    import onnxruntime

    session = onnxruntime.InferenceSession(str(folder / "model.onnx"),
                                           providers=["CPUExecutionProvider"])  # fmt: skip
    counts = glyphs.reshape(-1, 64).astype(np.float32)
    contenders = {
        "nncore (the app)": lambda: network.predict_proba(network_input(glyphs, network.dtype)),
        "onnxruntime (exported ONNX)": lambda: session.run(None, {"counts": counts}),
        "exported NumPy script": lambda: module.predict_proba(layers, glyphs),
    }
    result = {}
    for name, score in contenders.items():
        times = []
        for _ in range(50):
            started = time.perf_counter()
            score()
            times.append((time.perf_counter() - started) * 1000)
        result[name] = statistics.median(times)
    return result


def main() -> None:
    app = QApplication.instance() or QApplication([])
    corpus = CorpusFile().load()
    data = prepare(corpus, TrainingConfig().sources)
    network = TrainingConfig().build_network()
    result = evaluate(network, data, epochs_run=20, stopped=False, error=None)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for epochs in (20, 1000):
            ms = recording(folder / f"r{epochs}", result, epochs)
            print(f"recording a run of {epochs:>5} epochs: {ms:.3f} ms per epoch")
        opened, sorted_ms = opening(folder / "many")
        print(f"Runs panel with 1,000 runs: opened and shown in {opened:.0f} ms, "
              f"sorted by a figure in {sorted_ms:.0f} ms")  # fmt: skip
        overlaid, painted = overlay()
        print(f"10 runs of 1,000 epochs: overlaid in {overlaid:.1f} ms, "
              f"both plots repainted in {painted:.1f} ms")  # fmt: skip
        kept, plain = run_with_and_without(folder / "kept")
        print(f"default run, 5 epochs: with the ledger's model kept "
              f"{statistics.median(kept):.2f} s (runs {min(kept):.2f}-{max(kept):.2f}), "
              f"without {statistics.median(plain):.2f} s "
              f"(runs {min(plain):.2f}-{max(plain):.2f})")  # fmt: skip
        for name, ms in exports(folder).items():
            print(f"scoring 1,000 glyphs, {name}: {ms:.2f} ms")
    del app


if __name__ == "__main__":
    main()
