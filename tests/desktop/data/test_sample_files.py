"""Samples to and from files: JSON lines keep the whole sample, optdigits text the 8x8."""

from __future__ import annotations

import json

import numpy as np
import pytest

from desktop.data.personal_samples import SampleStore
from desktop.data.sample_files import read_samples

FEATURES = np.arange(64).reshape(8, 8) % 17
STROKES = [np.array([[10.0, 20.0], [30.5, 40.25]]), np.array([[50.0, 60.0]])]


def test_json_lines_keep_the_strokes_and_import_adds_only_what_is_new(tmp_path) -> None:
    store = SampleStore(tmp_path / "a")
    store.add(4, FEATURES, STROKES)
    store.add(9, 16 - FEATURES)
    exported = tmp_path / "mine.jsonl"
    assert store.export(exported) == 2
    first = json.loads(exported.read_text().splitlines()[0])
    assert first["label"] == 4 and first["strokes"] == [
        [[10.0, 20.0], [30.5, 40.25]],
        [[50.0, 60.0]],
    ]
    other = SampleStore(tmp_path / "b")
    assert other.import_file(exported) == (2, 0)
    assert other.import_file(exported) == (0, 2)  # the same file again adds nothing
    again = SampleStore(tmp_path / "b").samples  # on disk, strokes and all
    assert [s.label for s in again] == [4, 9]
    np.testing.assert_array_equal(again[0].strokes[0], STROKES[0])
    np.testing.assert_array_equal(again[1].features, 16 - FEATURES)


def test_optdigits_text_is_what_other_tools_read(tmp_path) -> None:
    store = SampleStore(tmp_path)
    store.add(7, FEATURES, STROKES)
    exported = tmp_path / "mine.tra"
    store.export(exported)
    values = [int(v) for v in exported.read_text().strip().split(",")]
    assert values == [*FEATURES.ravel().tolist(), 7]
    (sample,) = read_samples(exported)
    assert sample.label == 7 and sample.strokes == ()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "line 2 is not a sample in JSON"),
        ('{"label": 3}', "line 2 is not a sample in JSON"),
        ("[" * 100_000, "line 2 is not a sample in JSON"),
        ('{"label": 12, "features": ' + str([0] * 64) + ', "strokes": []}', "line 2: the class"),
    ],
)
def test_a_bad_json_line_is_named_and_nothing_is_imported(tmp_path, line, message) -> None:
    good = json.dumps({"label": 1, "features": [0] * 64, "strokes": []})
    bad = tmp_path / "bad.jsonl"
    bad.write_text(good + "\n" + line + "\n")
    store = SampleStore(tmp_path / "store")
    with pytest.raises(ValueError, match=message):
        store.import_file(bad)
    assert SampleStore(tmp_path / "store").samples == []
