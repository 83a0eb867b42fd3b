"""OneHotEncoder and train_test_split: properties over many inputs (hypothesis)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nncore import OneHotEncoder, train_test_split
from nncore.data import distinct

labels = arrays(np.int64, st.integers(1, 60), elements=st.integers(-3, 9))


@given(labels)
def test_encode_decode_round_trip(values: np.ndarray) -> None:
    encoder = OneHotEncoder()
    encoded = encoder.encode(values)
    assert encoded.shape == (values.size, np.unique(values).size)
    np.testing.assert_array_equal(encoded.sum(axis=1), 1.0)
    np.testing.assert_array_equal(encoder.decode(encoded), values)


def test_encoder_with_fixed_categories_and_unknown_labels() -> None:
    encoder = OneHotEncoder(categories=range(10))
    assert encoder.encode([3]).shape == (1, 10)
    with pytest.raises(ValueError, match=r"unknown categories \[12\]"):
        encoder.encode([1, 12])
    with pytest.raises(ValueError, match="call encode first"):
        OneHotEncoder().decode(np.eye(3))


@settings(max_examples=60)
@given(
    st.integers(2, 200),
    st.floats(0.05, 0.95),
    st.integers(0, 2**32 - 1),
)
def test_split_is_a_shuffled_partition(n: int, train_size: float, seed: int) -> None:
    X = np.arange(n).reshape(-1, 1)
    y = np.arange(n) * 10
    X_train, X_test, y_train, y_test = train_test_split(X, y, train_size, seed=seed)
    assert len(X_train) + len(X_test) == n and len(X_train) >= 1 and len(X_test) >= 1
    assert sorted(np.concatenate([X_train[:, 0], X_test[:, 0]])) == list(range(n))
    np.testing.assert_array_equal(y_train, X_train[:, 0] * 10)  # rows stay paired
    np.testing.assert_array_equal(y_test, X_test[:, 0] * 10)
    again = train_test_split(X, y, train_size, seed=seed)
    np.testing.assert_array_equal(again[0], X_train)


@settings(max_examples=40)
@given(st.lists(st.integers(2, 40), min_size=2, max_size=6), st.integers(0, 10**6))
def test_stratified_split_keeps_every_class_on_both_sides(counts: list[int], seed: int) -> None:
    y = np.repeat(np.arange(len(counts)), counts)
    X = np.arange(y.size).reshape(-1, 1)
    _, _, y_train, y_test = train_test_split(X, y, 0.75, stratify=y, seed=seed)
    for label, count in enumerate(counts):
        in_train = int(np.sum(y_train == label))
        assert 1 <= in_train <= count - 1
        assert abs(in_train - 0.75 * count) <= 1
        assert in_train + int(np.sum(y_test == label)) == count


def test_unshuffled_split_keeps_order_and_the_seed_signature_works() -> None:
    X, y = np.arange(10).reshape(-1, 1), np.arange(10)
    X_train, X_test, _, _ = train_test_split(X, y, 0.8, shuffle=False)
    assert X_train[:, 0].tolist() == list(range(8)) and X_test[:, 0].tolist() == [8, 9]
    shuffled = train_test_split(X, y, 0.8, seed=1)[0][:, 0].tolist()
    assert shuffled != list(range(8))  # the seed project's split was never shuffled


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"train_size": 1.5}, r"train_size must be a number in \(0, 1\), got 1.5"),
        ({"train_size": 0}, "train_size"),
        ({"stratify": np.zeros(3)}, "stratify must have one label per sample"),
    ],
)
def test_split_argument_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        train_test_split(np.zeros((10, 2)), np.zeros(10), **kwargs)
    with pytest.raises(ValueError, match="same length"):
        train_test_split(np.zeros((10, 2)), np.zeros(9))


@given(
    st.one_of(
        labels, arrays(np.float32, st.integers(0, 40), elements=st.sampled_from([0.5, -2.0, 7.0]))
    )
)
def test_distinct_values_are_those_of_np_unique(values: np.ndarray) -> None:
    found = distinct(values)
    np.testing.assert_array_equal(found, np.unique(values))
    assert found.dtype == values.dtype


def test_distinct_works_on_strings_and_splitting_imports_no_module() -> None:
    np.testing.assert_array_equal(distinct(np.array(["b", "a", "b"])), ["a", "b"])
    script = (
        "import sys; import numpy as np; from nncore import train_test_split; "
        "before = set(sys.modules); "
        "train_test_split(np.zeros((40, 2)), np.arange(40) % 4, stratify=np.arange(40) % 4); "
        "print(sorted(set(sys.modules) - before))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"  # np.unique imported numpy.ma: 20 ms of a first run
