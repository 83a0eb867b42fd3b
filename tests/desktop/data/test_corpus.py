"""The shipped corpus: honest roles, fast loading, clear errors, and the fallback."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from desktop.build.corpus import VALIDATION_WRITERS
from desktop.data import corpus as corpus_module
from desktop.data.corpus import (
    MY_SAMPLES,
    TEST,
    TRAIN,
    VALIDATION,
    Corpus,
    CorpusError,
    CorpusFile,
    LoadDigitsOnly,
    open_corpus,
)
from desktop.data.digits import split_load_digits


@pytest.fixture(scope="module")
def shipped() -> Corpus:
    return Corpus.bundled()


def test_no_writer_is_both_trained_on_and_measured(shipped: Corpus) -> None:
    pen = shipped.source == shipped.sources.index("pen-drawn")
    trained = set(shipped.writer[pen & (shipped.role == TRAIN)].tolist())
    measured = set(shipped.writer[pen & (shipped.role == VALIDATION)].tolist())
    assert measured == set(VALIDATION_WRITERS)
    assert trained and not trained & measured
    assert len(trained | measured) == 30
    # Only pen-drawn digits of the held-out writers are used to measure drawn digits.
    assert np.all(shipped.source[shipped.role == VALIDATION] == shipped.sources.index("pen-drawn"))


def test_the_test_split_is_load_digits_held_out_part(shipped: Corpus, digits) -> None:
    X, y = digits
    _, test_x, _, test_y = split_load_digits(X.reshape(-1, 8, 8), y)
    features, labels = shipped.test_set()
    np.testing.assert_array_equal(features, test_x)
    np.testing.assert_array_equal(labels, test_y)
    assert np.all(shipped.source[shipped.role == TEST] == shipped.sources.index("load_digits"))


def test_the_header_sizes_are_the_training_rows(shipped: Corpus) -> None:
    assert CorpusFile().sizes() == shipped.sizes()
    assert shipped.sizes()["pen-drawn"] > 10_000 and shipped.sizes()["optdigits"] == 3823


def test_sources_choose_the_training_rows(shipped: Corpus) -> None:
    features, labels = shipped.training_set(["load_digits", "optdigits"])
    assert len(labels) == shipped.sizes()["load_digits"] + shipped.sizes()["optdigits"]
    assert features.shape == (len(labels), 8, 8) and features.max() <= 16
    with pytest.raises(CorpusError, match="unknown source 'mnist'"):
        shipped.training_set(["mnist"])


def test_my_samples_join_as_a_source_of_their_own(shipped: Corpus) -> None:
    mine = shipped.with_samples(np.full((3, 8, 8), 5.0), np.array([1, 2, 3]))
    assert mine.sizes()[MY_SAMPLES] == 3
    features, labels = mine.training_set([MY_SAMPLES])
    assert labels.tolist() == [1, 2, 3] and np.all(features == 5)


def test_save_and_load_round_trip(tmp_path, shipped: Corpus) -> None:
    small = Corpus.assemble([("load_digits", shipped.features[:50], shipped.labels[:50],
                              None, TRAIN)])  # fmt: skip
    small.save(tmp_path / "c.npz")
    again = Corpus.load(tmp_path / "c.npz")
    np.testing.assert_array_equal(again.features, small.features)
    assert Corpus.read_sizes(tmp_path / "c.npz") == {"load_digits": 50}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "is missing"),
        (b"not a zip", "cannot be read"),
        (b"PK\x03\x04 truncated", "cannot be read"),
    ],
)
def test_a_bad_corpus_file_is_a_clear_error(tmp_path, content, message) -> None:
    path = tmp_path / "corpus.npz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CorpusError, match=message):
        Corpus.load(path)
    corpus, note = open_corpus(path)
    assert isinstance(corpus, LoadDigitsOnly)
    assert note is not None and "load_digits alone" in note


@pytest.mark.parametrize(("offset", "value"), [(6, 99), (8, 1)])  # version 9.9, encrypted
def test_a_corpus_file_claiming_an_unknown_zip_feature_is_a_clear_error(
    tmp_path, offset, value
) -> None:
    shipped = Corpus.bundled()
    small = Corpus.assemble([("load_digits", shipped.features[:20], shipped.labels[:20],
                              None, TRAIN)])  # fmt: skip
    path = tmp_path / "corpus.npz"
    small.save(path)
    raw = bytearray(path.read_bytes())
    raw[raw.find(b"PK\x01\x02") + offset] = value  # the first entry of the directory
    raw[raw.find(b"PK\x03\x04") + offset - 2] = value  # and its local header
    path.write_bytes(bytes(raw))
    with pytest.raises(CorpusError, match="cannot be read"):
        Corpus.load(path)


def test_a_corpus_of_another_kind_is_refused(tmp_path) -> None:
    path = tmp_path / "other.npz"
    header = np.frombuffer(b'{"format": "something else"}', dtype=np.uint8)
    np.savez(path, header=header)
    with pytest.raises(CorpusError, match="not a Digit Pad corpus"):
        Corpus.load(path)


def test_the_fallback_is_load_digits_alone(monkeypatch) -> None:
    monkeypatch.setattr(corpus_module, "CORPUS_RESOURCE", "no-such-corpus.npz")
    corpus, note = open_corpus()
    assert isinstance(corpus, LoadDigitsOnly) and "missing" in (note or "")
    loaded = corpus.load()
    assert loaded.sizes() == corpus.sizes() == {"load_digits": 1438}
    assert len(loaded.drawn_validation()[1]) == 0 and len(loaded.test_set()[1]) == 359


def test_a_damaged_compressed_member_is_a_corpus_error(tmp_path) -> None:
    shipped = Corpus.bundled()
    path = tmp_path / "corpus.npz"
    Corpus.assemble([("load_digits", shipped.features[:200], shipped.labels[:200], None,
                      TRAIN)]).save(path)  # fmt: skip
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:  # a byte in the middle of the features' stream
        info = archive.getinfo("features.npy")
        assert info.compress_type == zipfile.ZIP_DEFLATED
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for at in range(start + 20, start + 40):
        raw[at] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(CorpusError, match="cannot be read"):
        Corpus.load(path)
