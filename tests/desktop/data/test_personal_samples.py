"""The user's samples on disk: persistence, atomic writes, optdigits export and import."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from desktop.data import personal_samples
from desktop.data.personal_samples import SampleStore

FEATURES = np.arange(64).reshape(8, 8) % 17


def test_samples_survive_a_restart_with_strokes_and_labels(tmp_path) -> None:
    store = SampleStore(tmp_path)
    stroke = np.array([[10.0, 20.0], [30.5, 40.25]])
    store.add(7, FEATURES, [stroke])
    store.add(3, FEATURES.T)
    again = SampleStore(tmp_path)
    assert [s.label for s in again.samples] == [7, 3]
    np.testing.assert_array_equal(again.samples[0].features, FEATURES)
    np.testing.assert_allclose(again.samples[0].strokes[0], stroke)
    assert again.counts().tolist() == [0, 0, 0, 1, 0, 0, 0, 1, 0, 0]
    again.delete(0)
    assert [s.label for s in SampleStore(tmp_path).samples] == [3]


def test_a_failure_mid_write_leaves_the_previous_file_intact(tmp_path, monkeypatch) -> None:
    store = SampleStore(tmp_path)
    store.add(1, FEATURES)
    before = store.path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(personal_samples.os, "fsync", crash)  # dies after writing half
    with pytest.raises(OSError, match="disk full"):
        store.add(2, FEATURES)
    assert store.path.read_bytes() == before
    assert [s.label for s in store.samples] == [1]  # memory agrees with the disk
    assert [p.name for p in tmp_path.iterdir()] == ["samples.jsonl"]  # no temporary left


def test_a_torn_line_costs_only_itself(tmp_path) -> None:
    store = SampleStore(tmp_path)
    for label in range(12):
        store.add(label % 10, FEATURES)
    with open(store.path, "a") as stream:
        stream.write('{"label": 3, "features": [1,2,3\n')
    again = SampleStore(tmp_path)
    assert [s.label for s in again.samples] == [label % 10 for label in range(12)]
    assert again.set_aside is not None and again.set_aside[0] == 1
    assert again.set_aside[1].read_text() == '{"label": 3, "features": [1,2,3\n'
    assert len(SampleStore(tmp_path).samples) == 12  # the good lines stay good
    assert SampleStore(tmp_path).set_aside is None  # and the message is said once


def test_a_file_that_is_not_text_is_set_aside_whole(tmp_path) -> None:
    (tmp_path / "samples.jsonl").write_bytes(b"\xff\xfe\x00 binary")
    store = SampleStore(tmp_path)
    assert store.samples == [] and store.set_aside is not None
    assert store.set_aside[1].read_bytes() == b"\xff\xfe\x00 binary"


def test_optdigits_round_trip(tmp_path) -> None:
    store = SampleStore(tmp_path / "a")
    store.add(4, FEATURES)
    store.add(9, 16 - FEATURES)
    exported = tmp_path / "mine.tra"
    assert store.export_optdigits(exported) == 2
    first = exported.read_text().splitlines()[0].split(",")
    assert len(first) == 65 and first[-1] == "4"
    other = SampleStore(tmp_path / "b")
    assert other.import_optdigits(exported) == (2, 0)
    assert other.import_optdigits(exported) == (0, 2)  # the same file again adds nothing
    assert len(other.samples) == 2
    features, labels = other.arrays()
    assert labels.tolist() == [4, 9] and features.shape == (2, 8, 8)
    np.testing.assert_array_equal(features[1], 16 - FEATURES)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,2,3\n", "line 2 has 3 numbers, not 65"),
        (",".join(["0"] * 64) + ",12\n", "line 2: the class must be a digit"),
        ("\n" + ",".join(["17"] * 64) + ",1\n", "line 3: the features must be 64 values"),
        ("hello\n", "line 2 is not 65 whole numbers"),
    ],
)
def test_a_malformed_import_is_refused_and_changes_nothing(tmp_path, text, message) -> None:
    store = SampleStore(tmp_path)
    store.add(5, FEATURES)
    bad = Path(tmp_path / "bad.txt")
    bad.write_text(",".join(["0"] * 64) + ",3\n" + text)  # a good line first: all or nothing
    with pytest.raises(ValueError, match=message):
        store.import_optdigits(bad)
    assert [s.label for s in SampleStore(tmp_path).samples] == [5]


def test_an_empty_import_is_refused(tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    with pytest.raises(ValueError, match="no samples"):
        SampleStore(tmp_path).import_optdigits(empty)
