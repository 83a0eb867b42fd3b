"""Fuzzing the model loader: any corruption is refused with ModelFileError, nothing else."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nncore import Layer, ModelFileError, Network


@pytest.fixture(scope="module")
def valid_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("model") / "good.npz"
    network = Network([Layer(8, "input"), Layer(5, "relu"), Layer(3, "softmax")], seed=1)
    network.metadata = {"preprocessing": {"deslant": True}}
    network.save(path)
    return path.read_bytes()


def _load_or_refuse(path: Path) -> None:
    """Loading either gives a sane network or raises ModelFileError; nothing else."""
    try:
        network = Network.load(path)
    except ModelFileError as error:
        assert str(error).startswith("cannot load model")
        return
    assert all(np.all(np.isfinite(W)) for W in network.weights)
    assert network.forward(np.zeros((1, network.n_inputs))).shape == (1, network.n_outputs)


FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


@FUZZ
@given(data=st.data())
def test_flipped_bytes_truncation_and_junk_are_refused(valid_bytes, tmp_path, data) -> None:
    raw = bytearray(valid_bytes)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(raw)))
    junk = data.draw(st.binary(max_size=64))
    path = tmp_path / "fuzzed.npz"
    path.write_bytes(bytes(raw[:cut]) + junk)
    _load_or_refuse(path)


@pytest.mark.parametrize(
    ("offset", "value"),
    [(6, 99), (10, 99), (8, 1)],  # version needed, compression method, flags: encrypted
)
def test_a_header_claiming_an_unknown_zip_feature_is_refused(valid_bytes, tmp_path, offset, value):
    """zipfile raises NotImplementedError or RuntimeError for these (found by fuzzing)."""
    raw = bytearray(valid_bytes)
    raw[raw.find(b"PK\x01\x02") + offset] = value  # the central directory's first entry
    raw[raw.find(b"PK\x03\x04") + offset - 2] = value  # its local header ("made by" absent)
    path = tmp_path / "future.npz"
    path.write_bytes(bytes(raw))
    with pytest.raises(ModelFileError, match="cannot load model"):
        Network.load(path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@FUZZ
@given(
    header=st.fixed_dictionaries(
        {},
        optional={
            "format": st.sampled_from(["nncore.network", "other"]) | json_values,
            "version": st.sampled_from([1, 2, 0, "1"]) | json_values,
            "layers": json_values
            | st.lists(
                st.fixed_dictionaries(
                    {
                        "size": st.integers(-2, 12) | json_values,
                        "activation": st.sampled_from(["input", "relu", "softmax", "evil"]),
                    }
                ),
                max_size=4,
            ),
            "loss": st.sampled_from(["categorical_crossentropy", "mse", "nope"]) | json_values,
            "dtype": st.sampled_from(["float64", "float32", "int8"]) | json_values,
            "metadata": json_values,
        },
    )
)
def test_arbitrary_headers_are_refused_or_consistent(valid_bytes, tmp_path, header) -> None:
    with np.load(io.BytesIO(valid_bytes), allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    path = tmp_path / "header.npz"
    with open(path, "wb") as stream:
        np.savez(stream, **arrays)
    _load_or_refuse(path)


@FUZZ
@given(
    shape=st.lists(st.integers(0, 6), max_size=3).map(tuple),
    dtype=st.sampled_from(["f2", "f4", "f8", "i4", "u1", "c8", "b1", "U3", "V4"]),
    value=st.sampled_from([0.0, 1.0, np.nan, np.inf, -np.inf, 1e300]),
)
def test_arrays_of_any_shape_dtype_and_value_are_refused_or_sane(
    valid_bytes, tmp_path, shape, dtype, value
) -> None:
    with np.load(io.BytesIO(valid_bytes), allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # casting 1e300 to float16 overflows, on purpose
        try:
            arrays["weights_1"] = np.full(shape, value).astype(dtype)
        except (ValueError, OverflowError, TypeError):
            arrays["weights_1"] = np.zeros(shape, dtype=dtype)
    path = tmp_path / "arrays.npz"
    with open(path, "wb") as stream:
        np.savez(stream, **arrays)
    _load_or_refuse(path)
