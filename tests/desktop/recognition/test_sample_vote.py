"""The user's samples vote beside a personalised network, and travel in its model file."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.data.synthetic import sample_strokes
from desktop.recognition.sample_vote import KEY, MAX_SAMPLES, SampleVote, vote_of, with_vote
from desktop.recognizer import Recognizer
from nncore import Layer, Network


def _grid(rows: slice, cols: slice) -> np.ndarray:
    grid = np.zeros((8, 8))
    grid[rows, cols] = 16.0
    return grid


BAR, POST = _grid(slice(3, 5), slice(0, 8)), _grid(slice(0, 8), slice(3, 5))


def test_the_vote_decides_only_where_the_network_is_unsure() -> None:
    vote = SampleVote(np.array([BAR, POST]), np.array([7, 1]))
    near_bar = BAR.copy()
    near_bar[2, 0] = 9.0  # a bar with a speck: still nearest the 7
    unsure = np.full((1, 10), 0.02)
    unsure[0, [1, 3]] = 0.42  # a network torn between 1 and 3
    sure = np.eye(10)[[3]]  # a network certain of 3
    assert vote.blend(near_bar[None], unsure).argmax() == 7
    assert vote.blend(near_bar[None], sure).argmax() == 3
    # The vote is a distribution, and so is the blend.
    np.testing.assert_allclose(vote.votes(near_bar[None]).sum(), 1.0)
    np.testing.assert_allclose(vote.blend(near_bar[None], unsure).sum(), 1.0)


def test_the_vote_is_checked_and_names_what_is_wrong() -> None:
    grids = np.array([BAR, POST])
    with pytest.raises(ValueError, match=r"weight must be in \[0, 0.5\), got 0.5"):
        SampleVote(grids, np.array([7, 1]), weight=0.5)  # it would overrule a certain network
    with pytest.raises(ValueError, match=r"every label must be a digit 0\.\.9"):
        SampleVote(grids, np.array([7, 10]))
    with pytest.raises(ValueError, match=r"every feature must be a count 0\.\.16"):
        SampleVote(grids * 2, np.array([7, 1]))
    with pytest.raises(ValueError, match="one label per sample"):
        SampleVote(grids, np.array([7]))
    with pytest.raises(ValueError, match="width must be > 0"):
        SampleVote(grids, np.array([7, 1]), width=0.0)
    many = SampleVote(np.repeat(grids, MAX_SAMPLES, axis=0), np.tile([7, 1], MAX_SAMPLES))
    assert len(many.labels) == MAX_SAMPLES  # the latest only: the file's header stays small


def test_a_personalised_model_file_carries_its_vote(tmp_path) -> None:
    recognizer = Recognizer.default()
    assert recognizer.vote is None
    strokes = sample_strokes(4, np.random.default_rng(3))
    four = recognizer.stroke_features(strokes)
    assert four is not None
    # Labelled 9 by its writer: the network alone is sure it is a 4, so it stays a 4 ...
    network = with_vote(recognizer.network.copy(), four[None], np.array([9]))
    path = tmp_path / "mine.npz"
    network.save(path)
    loaded = Recognizer.from_file(path)
    assert loaded.vote is not None and loaded.vote.labels.tolist() == [9]
    before, after = recognizer.predict_strokes(strokes), loaded.predict_strokes(strokes)
    assert before.digit == after.digit == 4
    # ... but the vote has its say: 40 % of the answer goes to the writer's label.
    assert after.probabilities[9] == pytest.approx(0.6 * before.probabilities[9] + 0.4)
    assert after.probabilities.sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    "entry",
    [
        [1, 2],
        {"features": [[0.0] * 64]},
        {"features": "x", "labels": [1]},
        {"features": [[0.0] * 64], "labels": [1], "weight": 0.9},
    ],
)
def test_a_malformed_vote_in_a_model_file_is_refused(tmp_path, entry: object) -> None:
    network = Network([Layer(64, "input"), Layer(10, "softmax")], seed=0)
    network.metadata[KEY] = entry
    path = tmp_path / "odd.npz"
    network.save(path)
    with pytest.raises(ValueError, match=KEY):
        Recognizer.from_file(path)
    with pytest.raises(ValueError, match=KEY):
        vote_of(network)
