"""save/load round trips, and every kind of bad file is refused with a clear message."""

from __future__ import annotations

import io
import json
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest

from nncore import Layer, ModelFileError, Network


def _network(dtype: str = "float64") -> Network:
    network = Network(
        [Layer(64, "input"), Layer(20, "relu"), Layer(12, "tanh"), Layer(10, "softmax")],
        seed=3,
        dtype=dtype,
    )
    network.metadata = {"preprocessing": {"scale": 16}, "training": {"epochs": 3}}
    return network


def _arrays(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def _write(path: Path, arrays: dict[str, np.ndarray]) -> Path:
    with open(path, "wb") as stream:
        np.savez(stream, **arrays)
    return path


def _header(path: Path) -> dict:
    return json.loads(_arrays(path)["header"].tobytes())


def _with_header(arrays: dict[str, np.ndarray], header: dict) -> dict[str, np.ndarray]:
    return {**arrays, "header": np.frombuffer(json.dumps(header).encode(), np.uint8)}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_round_trip_gives_identical_predictions(tmp_path: Path, dtype: str) -> None:
    network = _network(dtype)
    X = np.random.default_rng(0).uniform(0, 1, (50, 64))
    path = tmp_path / "model.npz"
    network.save(path)
    loaded = Network.load(path)
    np.testing.assert_array_equal(loaded.forward(X), network.forward(X))
    assert loaded.layers == network.layers and loaded.loss == network.loss
    assert loaded.dtype == network.dtype
    assert loaded.metadata == network.metadata
    header = _header(path)
    assert header["format"] == "nncore.network" and header["version"] == 1


def test_save_replaces_atomically_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    _network().save(path)
    before = path.read_bytes()
    broken = _network()
    broken.metadata = {"not json": object()}
    with pytest.raises(ValueError, match="metadata must be plain JSON"):
        broken.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


def test_a_failure_mid_save_leaves_the_previous_file_intact(tmp_path: Path, monkeypatch) -> None:
    from nncore import files

    path = tmp_path / "model.npz"
    _network().save(path)
    before = path.read_bytes()

    def power_cut(descriptor: int) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(files.os, "fsync", power_cut)  # after the bytes are written
    changed = _network()
    changed.initialize(seed=99)
    with pytest.raises(OSError, match="power cut"):
        changed.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]
    np.testing.assert_array_equal(Network.load(path).forward(np.ones((1, 64))),
                                  _network().forward(np.ones((1, 64))))  # fmt: skip


def _saved(tmp_path: Path) -> tuple[Path, dict[str, np.ndarray]]:
    path = tmp_path / "good.npz"
    _network().save(path)
    return path, _arrays(path)


def _corruptions(tmp_path: Path):
    path, arrays = _saved(tmp_path)
    header = _header(path)
    raw = path.read_bytes()
    bad = tmp_path / "bad.npz"

    yield "missing", tmp_path / "nope.npz", "no such file"
    bad.write_bytes(b"")
    yield "empty", bad, "not an .npz"
    bad.write_bytes(raw[: len(raw) // 2])
    yield "truncated", bad, "cannot load model"
    bad.write_bytes(b"hello, I am a text file")
    yield "text", bad, "not an .npz"
    yield "wrong shape", _write(bad, {**arrays, "weights_0": np.zeros((64, 21))}), "shape"
    yield "int dtype", _write(bad, {**arrays, "biases_1": np.zeros(12, np.int64)}), "floating"
    nan = arrays["weights_2"].copy()
    nan[0, 0] = np.nan
    yield "nan weights", _write(bad, {**arrays, "weights_2": nan}), "NaN or infinite"
    inf = arrays["biases_0"].copy()
    inf[3] = np.inf
    yield "inf weights", _write(bad, {**arrays, "biases_0": inf}), "NaN or infinite"
    obj = np.array([{"a": 1}] * 10, dtype=object)
    yield "object array", _write(bad, {**arrays, "biases_2": obj}), "not a plain numeric array"
    without = {k: v for k, v in arrays.items() if k != "weights_1"}
    yield "missing array", _write(bad, without), "missing"
    yield "extra array", _write(bad, {**arrays, "payload": np.zeros(3)}), "extra"
    yield "no header", _write(bad, {k: v for k, v in arrays.items() if k != "header"}), "header"
    yield "version", _write(bad, _with_header(arrays, {**header, "version": 99})), "version 99"
    yield "format", _write(bad, _with_header(arrays, {**header, "format": "x"})), "describe"
    layers = [*header["layers"][:-1], {"size": 10, "activation": "evil"}]
    unknown = _with_header(arrays, {**header, "layers": layers})
    yield "activation", _write(bad, unknown), "unknown activation 'evil'"
    yield "loss", _write(bad, _with_header(arrays, {**header, "loss": "hinge"})), "unknown loss"
    sizes = [{**e, "size": 10**9} for e in header["layers"]]
    yield "huge layer", _write(bad, _with_header(arrays, {**header, "layers": sizes})), "1..1000000"
    text = {**arrays, "header": np.frombuffer(b"\xff\xfe not json", np.uint8)}
    yield "header bytes", _write(bad, text), "not valid JSON"
    nested = np.frombuffer(b"[" * 100_000 + b"]" * 100_000, np.uint8)
    yield "nested header", _write(bad, {**arrays, "header": nested}), "nested too deeply"

    # A pickle payload smuggled into the archive in place of an array: never unpickled.
    class Boom:
        def __reduce__(self):
            return (exec, ("raise SystemExit('pickle executed')",))

    payload = io.BytesIO()
    np.save(payload, np.array([Boom()], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(bad, "w") as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, array)
            data = payload.getvalue() if name == "weights_0" else buffer.getvalue()
            archive.writestr(f"{name}.npy", data)
    yield "pickle payload", bad, "not a plain numeric array"
    bad.write_bytes(pickle.dumps(Boom()))
    yield "bare pickle", bad, "not an .npz"

    # A zip bomb: a header member that claims (and would inflate to) 2 GB of zeros.
    with zipfile.ZipFile(bad, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, array)
            archive.writestr(f"{name}.npy", buffer.getvalue())
        with archive.open("zzz.npy", "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(64):
                member.write(chunk)
    with zipfile.ZipFile(bad) as archive:
        members = {i.filename: i for i in archive.infolist()}
    assert members["zzz.npy"].file_size == 64 << 20
    yield "zip bomb", bad, "extra"


def test_bad_files_are_refused_with_a_clear_message(tmp_path: Path) -> None:
    for label, path, message in _corruptions(tmp_path):
        with pytest.raises(ModelFileError) as caught:
            Network.load(path)
        text = str(caught.value)
        assert text.startswith("cannot load model"), label
        assert message in text, (label, text)


def test_oversized_members_are_refused_before_inflating(tmp_path: Path) -> None:
    _, arrays = _saved(tmp_path)
    bad = tmp_path / "bomb.npz"
    with zipfile.ZipFile(bad, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, array if name != "header" else np.zeros(1 << 22, np.uint8))
            archive.writestr(f"{name}.npy", buffer.getvalue())
    with pytest.raises(ModelFileError, match=r"header\.npy is \d+ bytes, more than"):
        Network.load(bad)


def test_a_pickled_network_keeps_its_weights_linked_to_its_parameter_vector() -> None:
    import pickle

    network = _network()
    network.metadata = {"note": "sent to a process"}
    twin = pickle.loads(pickle.dumps(network))
    np.testing.assert_array_equal(twin.forward(np.ones((1, 64))), network.forward(np.ones((1, 64))))
    twin.params[:] = 0.0  # an optimizer step writes the vector; the layers must see it
    assert not np.any(twin.weights[0]) and twin.metadata == network.metadata


def test_a_saved_model_has_the_usual_permissions(tmp_path: Path) -> None:
    import os
    import stat

    umask = os.umask(0o022)
    try:
        _network().save(tmp_path / "m.npz")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "m.npz").stat().st_mode) == 0o644


def test_a_failed_save_names_the_file_asked_for_not_a_temporary_one(tmp_path: Path) -> None:
    folder = tmp_path / "no-such-folder"
    with pytest.raises(OSError) as caught:
        _network().save(folder / "m.npz")
    assert str(folder / "m.npz") in str(caught.value) and ".tmp" not in str(caught.value)


def _zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def test_hostile_archives_are_refused_before_they_cost_memory_or_time(tmp_path: Path) -> None:
    path, arrays = _saved(tmp_path)
    members = {f"{name}.npy": _npy(array) for name, array in arrays.items()}
    # A preamble declaring a terabyte in a few bytes: NumPy would allocate it first.
    lying = _npy(np.zeros(4, np.float64)).replace(b"(4,)", b"(137438953472,)")
    huge = _zip(tmp_path / "huge.npz", {**members, "weights_0.npy": lying})
    with pytest.raises(ModelFileError, match="declares 1,099,511,627,776 bytes"):
        Network.load(huge)
    # A compression np.savez never uses (bzip2 inflates without a bound).
    bz = _zip(tmp_path / "bz.npz", members, zipfile.ZIP_BZIP2)
    with pytest.raises(ModelFileError, match="compression model files never use"):
        Network.load(bz)
    # Thousands of members: refused from the zip's last record, before they are listed.
    many = _zip(tmp_path / "many.npz", {**members, **{f"x{i}": b"" for i in range(5000)}})
    with pytest.raises(ModelFileError, match=r"5,[0-9]{3} members"):
        Network.load(many)
    # Layers that declare more weights than any model file may hold.
    header = _header(path)
    header["layers"] = [{"size": 64, "activation": "input"},
                        {"size": 1_000_000, "activation": "relu"},
                        {"size": 10, "activation": "softmax"}]  # fmt: skip
    wide = _write(tmp_path / "wide.npz", _with_header(arrays, header))
    with pytest.raises(ModelFileError, match="too many for a model"):
        Network.load(wide)


def test_a_member_lying_about_its_size_is_never_inflated_whole(tmp_path: Path) -> None:
    import tracemalloc

    from crafted_models import lying_deflate

    path, _ = _saved(tmp_path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    bomb = lying_deflate(tmp_path / "bomb.npz", members, 256 << 20)  # says 128 bytes
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError, match="weights_0"):
            Network.load(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 << 20  # reading it whole held all 256 MB at once
