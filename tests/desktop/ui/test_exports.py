"""Exported models answer as the app does: ONNX through onnxruntime, and the NumPy script."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pytest

from desktop.exports.numpy_script import export_numpy_script
from desktop.exports.onnx_model import ExportUnavailable, export_onnx, onnx_bytes
from desktop.recognition.features import network_input
from desktop.recognition.sample_vote import probabilities, vote_of, with_vote
from desktop.training.config import HIDDEN_ACTIVATIONS, OUTPUTS, HiddenLayer, TrainingConfig
from nncore import Network

NETWORKS = [(hidden, output) for hidden in HIDDEN_ACTIVATIONS for output in OUTPUTS]


def _network(hidden: str, output: str, seed: int = 1):
    config = TrainingConfig(hidden=(HiddenLayer(24, hidden), HiddenLayer(12, hidden)),
                            output=output, seed=seed)  # fmt: skip
    network = config.build_network()
    rng = np.random.default_rng(seed)
    # Trained-looking weights: larger than the initial ones, so that every activation's
    # range (saturation, negative side) is exercised.
    network.set_params(rng.normal(0, 0.5, network.params.shape).astype(network.dtype))
    return network


def _grids(n: int = 1000) -> np.ndarray:
    return np.random.default_rng(0).integers(0, 17, (n, 8, 8)).astype(np.uint8)


@pytest.mark.parametrize(("hidden", "output"), NETWORKS)
def test_onnxruntime_answers_as_nncore_for_every_activation(tmp_path, hidden, output) -> None:
    onnxruntime = pytest.importorskip("onnxruntime")
    network = _network(hidden, output)
    path = tmp_path / "model.onnx"
    export_onnx(network, path)
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    grids = _grids()
    (exported,) = session.run(None, {"counts": grids.reshape(-1, 64).astype(np.float32)})
    expected = network.predict_proba(network_input(grids, network.dtype))
    np.testing.assert_allclose(exported, expected, atol=1e-5, rtol=0)


def test_the_onnx_export_of_a_personalised_model_has_its_samples_vote(tmp_path) -> None:
    onnxruntime = pytest.importorskip("onnxruntime")
    network = with_vote(_network("relu", "softmax + cross-entropy"), _grids(30), np.arange(30) % 10)
    path = tmp_path / "model.onnx"
    export_onnx(network, path)
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    grids = _grids()
    (exported,) = session.run(None, {"counts": grids.reshape(-1, 64).astype(np.float32)})
    expected = probabilities(network, grids, vote_of(network))
    np.testing.assert_allclose(exported, expected, atol=1e-5, rtol=0)
    alone = network.predict_proba(network_input(grids, network.dtype))
    assert np.abs(exported - alone).max() > 0.1  # the vote counted


def test_without_the_onnx_package_the_export_says_how_to_get_it(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)  # as if it were not installed
    with pytest.raises(ExportUnavailable, match=r"pip install 'digit-pad\[onnx\]'"):
        onnx_bytes(_network("relu", "softmax + cross-entropy"))


def _script(script):
    spec = importlib.util.spec_from_file_location("exported_predict", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("hidden", "output"), NETWORKS)
def test_the_numpy_script_answers_as_the_app(tmp_path, hidden, output) -> None:
    network = _network(hidden, output)
    script, model = export_numpy_script(network, tmp_path / "predict.py")
    module = _script(script)
    grids = _grids()
    scores = module.predict_proba(module.load(model), grids)
    expected = network.predict_proba(network_input(grids, network.dtype))
    np.testing.assert_allclose(scores, expected, atol=1e-6, rtol=0)
    assert np.array_equal(scores.argmax(1), expected.argmax(1))


def test_the_numpy_script_of_a_personalised_model_has_its_samples_vote(tmp_path) -> None:
    samples = _grids(30)
    network = with_vote(_network("relu", "softmax + cross-entropy"), samples, np.arange(30) % 10)
    script, model = export_numpy_script(network, tmp_path / "predict.py")
    grids = _grids()
    module = _script(script)
    scores = module.predict_proba(module.load(model), grids)
    loaded = Network.load(model)
    expected = probabilities(loaded, grids, vote_of(loaded))  # as the app reads the file
    np.testing.assert_allclose(scores, expected, atol=1e-6, rtol=0)
    alone = network.predict_proba(network_input(grids, network.dtype))
    assert np.abs(scores - alone).max() > 0.1  # the vote counted


def test_the_numpy_script_runs_on_its_own_from_the_command_line(tmp_path) -> None:
    network = _network("relu", "softmax + cross-entropy")
    script, _ = export_numpy_script(network, tmp_path / "out" / "predict.py")
    grids = _grids(20)
    lines = "\n".join(" ".join(str(v) for v in grid.ravel()) for grid in grids)
    answer = subprocess.run([sys.executable, "-I", str(script)], input=lines, text=True,
                            capture_output=True, check=True, cwd=tmp_path)  # fmt: skip
    digits = [int(line.split()[0]) for line in answer.stdout.splitlines()]
    assert digits == network.predict(network_input(grids, network.dtype)).tolist()


def test_file_menu_exports_the_model_in_use(qtbot, window, tmp_path, monkeypatch) -> None:
    from desktop.ui import menus

    chosen = iter([str(tmp_path / "digits.onnx"), str(tmp_path / "script" / "predict.py")])
    # The file dialog is the one part not driven here: the user's answer is given.
    monkeypatch.setattr(menus, "choose_file_to_save", lambda *args: next(chosen))
    actions = {a.text(): a for a in window.menuBar().actions()[0].menu().actions()}
    actions["Export model as ONN&X…"].trigger()
    actions["Export model as NumPy scrip&t…"].trigger()
    grids = _grids(50)
    expected = window.recognizer.network.predict(network_input(grids))
    onnxruntime = pytest.importorskip("onnxruntime")
    session = onnxruntime.InferenceSession(str(tmp_path / "digits.onnx"),
                                           providers=["CPUExecutionProvider"])  # fmt: skip
    (scores,) = session.run(None, {"counts": grids.reshape(-1, 64).astype(np.float32)})
    assert np.array_equal(scores.argmax(1), expected)
    assert (tmp_path / "script" / "predict.npz").is_file()
    assert "Exported the model" in window.statusBar().currentMessage()
