"""The user's samples on disk: persistence, atomic writes, optdigits export and import."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from desktop.data import user_database
from desktop.data.personal_samples import SampleStore, UnsavedSamples, open_store
from desktop.data.user_database import UserDataError

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
    again.remove(again.samples[0])
    assert [s.label for s in SampleStore(tmp_path).samples] == [3]


def test_a_sample_the_disk_refuses_stays_in_memory_and_is_saved_with_the_next_write(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(user_database, "BUSY_TIMEOUT_S", 0.2)
    store = SampleStore(tmp_path)
    store.add(1, FEATURES)
    other = sqlite3.connect(tmp_path / user_database.DATABASE_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another window holds the database for too long
    try:
        with pytest.raises(UnsavedSamples, match=r"could not be written.*locked") as refused:
            store.add(2, FEATURES)
        assert not store.save_unsaved()  # still held: still unsaved
        with pytest.raises(UserDataError):  # a delete that cannot be written changes nothing
            store.remove(store.samples[0])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [s.label for s in refused.value.samples] == [2]
    assert [s.label for s in store.samples] == [1, 2]  # it counts and trains meanwhile
    assert [s.label for s in store.unsaved] == [2]
    assert [s.label for s in SampleStore(tmp_path).samples] == [1]  # not on disk yet
    store.add(3, FEATURES)  # the next write that succeeds takes it along
    assert store.unsaved == [] and [s.label for s in store.samples] == [1, 2, 3]
    assert [s.label for s in SampleStore(tmp_path).samples] == [1, 2, 3]


def test_an_unsaved_sample_can_be_taken_back_and_is_saved_on_refresh(tmp_path, monkeypatch):
    monkeypatch.setattr(user_database, "BUSY_TIMEOUT_S", 0.2)
    store = SampleStore(tmp_path)
    other = sqlite3.connect(tmp_path / user_database.DATABASE_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(UnsavedSamples) as first:
            store.add(4, FEATURES)
        with pytest.raises(UnsavedSamples):
            store.add(5, FEATURES)
        store.remove(*first.value.samples)  # an undone keep: gone from memory, never written
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [s.label for s in store.samples] == [5]
    assert store.refresh() is True  # the window back in front: the disk takes it now
    assert store.unsaved == [] and [s.label for s in SampleStore(tmp_path).samples] == [5]
    store.restore(first.value.samples)  # an undone delete of the one never written
    assert sorted(s.label for s in store.samples) == [4, 5]
    assert store.unsaved == [] and len(SampleStore(tmp_path).samples) == 2  # once each


def test_the_earlier_versions_file_is_imported_once_and_kept(tmp_path) -> None:
    lines = [f'{{"label": {d}, "features": {FEATURES.ravel().tolist()}, "strokes": []}}'
             for d in range(10)]  # fmt: skip
    (tmp_path / "samples.jsonl").write_text("\n".join(lines) + "\n")
    assert [s.label for s in SampleStore(tmp_path).samples] == list(range(10))
    assert not (tmp_path / "samples.jsonl").exists()
    assert (tmp_path / "samples.jsonl.imported").read_text().count("label") == 10  # a backup
    assert len(SampleStore(tmp_path).samples) == 10  # not imported twice


def test_a_torn_line_costs_only_itself(tmp_path) -> None:
    good = f'{{"label": 3, "features": {FEATURES.ravel().tolist()}, "strokes": []}}\n'
    torn = '{"label": 3, "features": [1,2,3\n'
    (tmp_path / "samples.jsonl").write_text(good * 12 + torn)
    store = SampleStore(tmp_path)
    assert len(store.samples) == 12
    assert store.set_aside is not None and store.set_aside[0] == 1
    assert store.set_aside[1].read_text() == torn
    assert SampleStore(tmp_path).set_aside is None  # said once


def test_a_byte_that_is_not_utf8_costs_only_its_line_and_a_bom_nothing(tmp_path) -> None:
    good = f'{{"label": 5, "features": {FEATURES.ravel().tolist()}, "strokes": []}}\n'.encode()
    (tmp_path / "samples.jsonl").write_bytes(b"\xef\xbb\xbf" + good + b"\xff" + good + good)
    store = SampleStore(tmp_path)
    assert [s.label for s in store.samples] == [5, 5]
    assert store.set_aside is not None and store.set_aside[0] == 1


def test_a_file_that_is_not_text_is_set_aside(tmp_path) -> None:
    (tmp_path / "samples.jsonl").write_bytes(b"\xff\xfe\x00 binary")
    store = SampleStore(tmp_path)
    assert store.samples == [] and store.set_aside is not None
    assert store.set_aside[1].read_bytes() == b"\xff\xfe\x00 binary\n"


def test_two_processes_keeping_samples_at_once_lose_none(tmp_path) -> None:
    code = (
        "import sys, numpy as np; from desktop.data.personal_samples import SampleStore;"
        "store = SampleStore(sys.argv[1]);"
        "[store.add(int(sys.argv[2]), np.full((8, 8), i % 17)) for i in range(100)]"
    )
    writers = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path), str(label)])
               for label in (1, 2)]  # fmt: skip
    assert [writer.wait(120) for writer in writers] == [0, 0]
    counts = SampleStore(tmp_path).counts()
    assert counts[1] == 100 and counts[2] == 100


def test_each_store_sees_the_others_samples_after_a_refresh(tmp_path) -> None:
    first, second = SampleStore(tmp_path), SampleStore(tmp_path)
    kept = first.add(4, FEATURES)
    assert second.samples == [] and second.refresh() and second.samples[0].id == kept.id
    second.remove(second.samples[0])
    assert first.refresh() and first.samples == []
    assert not first.refresh()  # nothing new


def test_a_damaged_database_is_moved_aside_and_a_new_one_started(tmp_path) -> None:
    (tmp_path / user_database.DATABASE_NAME).write_bytes(b"not a database at all" * 100)
    store, notes = open_store(tmp_path)
    assert store.samples == [] and len(notes) == 1 and "moved aside" in notes[0]
    aside = [p for p in tmp_path.iterdir() if ".unusable-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"not a database")
    store.add(3, FEATURES)
    assert len(SampleStore(tmp_path).samples) == 1


def test_a_folder_that_cannot_hold_the_database_gives_a_session_store(tmp_path) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    store, notes = open_store(blocked)
    store.add(7, FEATURES)  # works for this session
    assert store.counts()[7] == 1
    assert len(notes) == 1 and "cannot be opened" in notes[0] and "until you close" in notes[0]


def test_optdigits_round_trip(tmp_path) -> None:
    store = SampleStore(tmp_path / "a")
    store.add(4, FEATURES)
    store.add(9, 16 - FEATURES)
    exported = tmp_path / "mine.tra"
    assert store.export(exported) == 2
    first = exported.read_text().splitlines()[0].split(",")
    assert len(first) == 65 and first[-1] == "4"
    other = SampleStore(tmp_path / "b")
    assert other.import_file(exported) == (2, 0)
    assert other.import_file(exported) == (0, 2)  # the same file again adds nothing
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
        store.import_file(bad)
    assert [s.label for s in SampleStore(tmp_path).samples] == [5]


def test_an_empty_import_is_refused(tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    with pytest.raises(ValueError, match="no samples"):
        SampleStore(tmp_path).import_file(empty)


def test_a_line_nested_for_ever_costs_only_itself(tmp_path) -> None:
    good = f'{{"label": 2, "features": {FEATURES.ravel().tolist()}, "strokes": []}}\n'
    (tmp_path / "samples.jsonl").write_text(good + "[" * 100_000 + "\n" + good)
    store = SampleStore(tmp_path)
    assert [s.label for s in store.samples] == [2, 2]
    assert store.set_aside is not None and store.set_aside[0] == 1


def test_a_samples_file_of_random_bytes_is_set_aside_and_said_plainly(tmp_path) -> None:
    data = np.random.default_rng(0).bytes(3000)
    (tmp_path / "samples.jsonl").write_bytes(data)
    store = SampleStore(tmp_path)
    note = store.set_aside_note()
    lines = [line for line in data.splitlines() if line.strip()]  # blank ones say nothing
    assert store.samples == [] and note is not None
    assert f"none of its {len(lines)} lines is a sample" in note and "not deleted" in note
    assert store.set_aside[1].read_bytes().splitlines() == lines  # every line kept
