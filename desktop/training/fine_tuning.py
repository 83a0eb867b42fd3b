"""Fine-tune a model on the user's own samples, and say honestly whether it helped.

Each of the user's samples that kept its strokes is re-drawn ``RENDERINGS`` times, turned,
slanted and stretched as one person's writing varies (:mod:`desktop.data.stroke_variants`),
so two samples of a digit teach its style, not two sets of 8x8 counts. They are mixed with
a sample of the training corpus (so the model does not forget how others write) and make
up ``USER_SHARE`` of the mix. The tuned model keeps the samples themselves to vote beside
the network (:mod:`desktop.recognition.sample_vote`). "Before and after" is measured on
the held-out load_digits test split, on drawn digits of unseen writers, and on the user's
samples by k-fold cross-validation: each sample is scored by a model fine-tuned without
it, and its vote without it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from desktop.data.corpus import Corpus
from desktop.data.stroke_variants import stroke_variants
from desktop.recognition.features import network_input
from desktop.recognition.recognizer import Recognizer
from desktop.recognition.sample_vote import accuracy, predict, with_vote
from desktop.training.config import DEFAULT_SOURCES
from desktop.training.ensemble import tuned_per_member
from nncore import Network, train_test_split

# Chosen with tests/bench/personalisation.py (figures in docs/performance.md): against the
# samples alone at a fifth of the mix, variants and a larger share read a writer's other
# digits better and hurt other writers' drawings less.
USER_SHARE = 0.3  # of the training mix, variants and repeats included
RENDERINGS = 20  # the drawing itself and 19 variants of it
# Rehearsing this many corpus samples keeps fine-tuning to seconds and the network's
# reading of other handwriting intact (measured in tests/desktop/training).
REHEARSAL_SIZE = 6000
MIN_SAMPLES = 5
# Adam on the mix. Batches of 64 for 8 epochs at 6e-4 read as well as 0.4.0's 32, 12 and
# 3e-4 on draws the bench does not report, in half the time (docs/performance.md).
EPOCHS, LEARNING_RATE, BATCH_SIZE = 8, 6e-4, 64


class FineTuneCancelled(Exception):
    """The user cancelled fine-tuning; nothing changed."""


@dataclass(frozen=True)
class FineTuneResult:
    """The fine-tuned network (trained on all samples) and the figures before and after.

    ``yours_after`` is cross-validated over ``folds`` folds: never measured on a sample
    the scoring model was trained on (nor voted on by it). Every "after" figure is read
    as the app reads the tuned model: with the user's samples' vote.
    """

    network: Network
    test_before: float
    test_after: float
    yours_before: float
    yours_after: float
    folds: int
    samples: int
    drawn_before: float | None = None
    drawn_after: float | None = None
    model_file: str | None = None  # its name in the run ledger's folder, when kept there


def tune(
    network: Network,
    user: tuple[np.ndarray, np.ndarray],
    strokes: Sequence[Sequence[np.ndarray]],
    base: tuple[np.ndarray, np.ndarray],
    *,
    epochs: int = EPOCHS,
    learning_rate: float = LEARNING_RATE,
    seed: int = 0,
    renderings: int = RENDERINGS,
    share: float = USER_SHARE,
    between_batches: Callable[[], bool] | None = None,
) -> Network:
    """A copy of ``network`` tuned on the user's samples, with ``base`` rehearsed.

    A model of several averaged runs has each run tuned on the same mix and averaged again.
    The copy carries the user's samples, which vote beside it when it reads.

    ``user``: features (n, 8, 8) 0..16 and labels; ``strokes``: each sample's strokes
    (empty for one imported without them), re-drawn as variants. ``base`` (features,
    labels) is rehearsed so the network keeps reading other people's writing.
    """
    settings = Recognizer(network).settings  # the preprocessing it was trained with
    rng = np.random.default_rng(seed)
    features, labels = list(user[0]), list(user[1])
    for drawing, label in zip(strokes, user[1], strict=True):
        variants = stroke_variants(drawing, renderings, rng, settings)[1:] if drawing else []
        features += variants
        labels += [label] * len(variants)
    X, y = network_input(np.array(features)), np.array(labels)
    base_X, base_y = network_input(base[0]), np.asarray(base[1])
    repeats = max(1, round(share / (1 - share) * len(base_y) / len(y)))
    mix_X = np.concatenate([base_X, np.repeat(X, repeats, axis=0)])
    mix_y = np.concatenate([base_y, np.repeat(y, repeats)])

    def tuned(run: Network) -> Network:
        copy = run.copy()
        copy.fit(mix_X, mix_y, epochs=epochs, learning_rate=learning_rate, optimizer="adam",
                 batch_size=BATCH_SIZE, seed=seed, between_batches=between_batches)  # fmt: skip
        return copy

    return with_vote(tuned_per_member(network, tuned), user[0], user[1])


def fine_tune(
    network: Network,
    user: tuple[np.ndarray, np.ndarray],
    base: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    *,
    strokes: Sequence[Sequence[np.ndarray]] | None = None,
    drawn: tuple[np.ndarray, np.ndarray] | None = None,
    folds: int = 5,
    epochs: int = EPOCHS,
    learning_rate: float = LEARNING_RATE,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> FineTuneResult:
    """Fine-tune a copy of ``network``; each pair is (features (n, 8, 8) 0..16, labels).

    ``base`` is rehearsed alongside the user's samples (so the network does not forget);
    ``strokes`` (each sample's, empty when it has none) give the variants :func:`tune`
    learns from; ``test`` and ``drawn`` (drawn digits of unseen writers) are scored
    before and after.

    ``cancelled()`` is asked before every mini-batch step; when it says True the work
    ends with :class:`FineTuneCancelled` (``network`` itself is never changed).
    Raises ``ValueError`` when there are fewer than ``MIN_SAMPLES`` user samples.
    """

    def between_batches() -> bool:
        if cancelled is not None and cancelled():
            raise FineTuneCancelled  # the copy being tuned is dropped: nothing changes
        return False

    user_features, user_y = np.asarray(user[0]), np.asarray(user[1])
    if len(user_y) < MIN_SAMPLES:
        raise ValueError(
            f"fine-tuning needs at least {MIN_SAMPLES} of your samples, you have {len(user_y)}"
        )
    drawings = list(strokes) if strokes is not None else [()] * len(user_y)
    test_features, test_y = np.asarray(test[0]), np.asarray(test[1])
    folds = min(folds, len(user_y))
    rng = np.random.default_rng(seed)

    def tuned(rows: np.ndarray) -> Network:
        return tune(network, (user_features[rows], user_y[rows]), [drawings[i] for i in rows],
                    base, epochs=epochs, learning_rate=learning_rate, seed=seed,
                    between_batches=between_batches)  # fmt: skip

    correct = 0
    for number, held_out in enumerate(np.array_split(rng.permutation(len(user_y)), folds), 1):
        if progress is not None:
            progress(f"Cross-validating: fold {number} of {folds}…")
        keep = np.setdiff1d(np.arange(len(user_y)), held_out)
        model = tuned(keep)
        correct += int(np.sum(predict(model, user_features[held_out]) == user_y[held_out]))
    if progress is not None:
        progress("Fine-tuning on all your samples…")
    final = tuned(np.arange(len(user_y)))
    drawn_before = drawn_after = None
    if drawn is not None and len(drawn[1]):
        drawn_features, drawn_y = np.asarray(drawn[0]), np.asarray(drawn[1])
        drawn_before = accuracy(network, drawn_features, drawn_y)
        drawn_after = accuracy(final, drawn_features, drawn_y)
    test_after = accuracy(final, test_features, test_y)
    final.metadata["training"] = {
        "how": f"fine-tuned on {len(user_y)} of your samples",
        "base": network.metadata.get("training", {}),
        "load_digits_test_accuracy": test_after,
        "drawn_digits_accuracy": drawn_after,
        "your_samples_cross_validated": correct / len(user_y),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    return FineTuneResult(
        network=final,
        test_before=accuracy(network, test_features, test_y),
        test_after=test_after,
        yours_before=accuracy(network, user_features, user_y),
        yours_after=correct / len(user_y),
        folds=folds,
        samples=len(user_y),
        drawn_before=drawn_before,
        drawn_after=drawn_after,
    )


Drawn = tuple[Sequence[np.ndarray], tuple[float, float], int]  # strokes, canvas (w, h), label


def personalise(recognizer: Recognizer, samples: Sequence[Drawn], seed: int = 0) -> Network:
    """``recognizer``'s network tuned on one writer's drawn samples, as :func:`tune` does.

    The bundled corpus is rehearsed. Drawings with no digit in them are skipped;
    ``ValueError`` names a label that is not a digit, or says that too few remain.
    """
    features, labels, strokes = [], [], []
    for number, (drawing, canvas_size, label) in enumerate(samples):
        if not isinstance(label, int | np.integer) or not 0 <= label <= 9:
            raise ValueError(f"samples[{number}]: the label must be a digit 0..9, got {label!r}")
        found = recognizer.stroke_features(drawing, canvas_size)
        if found is not None:
            features.append(found)
            labels.append(int(label))
            strokes.append(drawing)
    if len(labels) < MIN_SAMPLES:
        raise ValueError(
            f"personalising needs at least {MIN_SAMPLES} samples with a digit drawn, "
            f"got {len(labels)}"
        )
    network = recognizer.network
    tuned = tune(network, (np.array(features), np.array(labels)), strokes,
                 rehearsal_set(Corpus.bundled()), seed=seed)  # fmt: skip
    tuned.metadata["training"] = {
        "how": f"personalised on {len(labels)} samples",
        "base": network.metadata.get("training", {}),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    return tuned


def rehearsal_set(
    corpus: Corpus, size: int = REHEARSAL_SIZE, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A seeded, stratified sample of the corpus's default training sources to rehearse."""
    features, labels = corpus.training_set(DEFAULT_SOURCES)
    if len(labels) <= size:
        return features, labels
    keep, _, labels_kept, _ = train_test_split(
        np.arange(len(labels)), labels, size / len(labels), stratify=labels, seed=seed
    )
    return features[keep], labels_kept
