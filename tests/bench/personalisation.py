"""Teaching it one writer's hand: k samples per digit, the writer's other digits read.

For each writer, k drawings of each digit (k = 1, 2, 5) are "theirs" (drawn through the
app's pipeline, as the Draw tab keeps them); the rest of their digits are the test. The
network is tuned by ``desktop.training.fine_tuning.tune``, the code path of
``Recognizer.personalised`` and of My samples > Fine-tune, with the corpus rehearsed.
Reported per recipe and k, over several draws of "theirs": the writers' other digits
before and after (mean, worst writer, writers made worse by more than 0.5 pt), drawn
digits of the OTHER unseen writers after tuning (the change against the model before),
the load_digits test split, and the time one tuning takes.

- held-out: the bundled model on the corpus's 6 held-out writers, the bundled corpus
  rehearsed (it holds none of their digits);
- grouped (--grouped): 5 folds over all 30 writers; each fold's base network trained
  (Train tab defaults) and rehearsed without the fold's writers.

The peer: scikit-learn's 3-nearest-neighbour classifier on the same rehearsal set plus
the writer's k samples per digit (the classic way to add a user's examples).

Usage: python tests/bench/personalisation.py DATA/pendigits_train.jsonl [--k 2 1 5]
[--no-held-out] [--grouped]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.neighbors import KNeighborsClassifier

from desktop.build.corpus import VALIDATION_WRITERS, CorpusRecipe
from desktop.data.corpus import TRAIN, Corpus
from desktop.data.pendigits import PenDigit, pen_features, place_on_canvas, read_pendigits
from desktop.recognition.drawing import SIZE
from desktop.recognition.sample_vote import KEY as VOTE
from desktop.recognizer import Recognizer
from desktop.training.config import TrainingConfig
from desktop.training.fine_tuning import RENDERINGS, USER_SHARE, rehearsal_set, tune
from desktop.training.session import TrainingData, accuracy_on, train
from nncore import Network

DRAWS = 4
# Each recipe: variants per sample (the drawing included) and the user's share of the mix.
# (Against the samples alone, the variants were measured better: docs/performance.md.)
RECIPES: dict[str, tuple[int, float]] = {
    f"each re-drawn {RENDERINGS} ways, {USER_SHARE:.0%}": (RENDERINGS, USER_SHARE),
}


class Writers:
    """Every writer's digits as the app sees them: strokes on the canvas and 8x8 features."""

    def __init__(self, rows: list[PenDigit], recognizer: Recognizer) -> None:
        rng = np.random.default_rng(0)
        self.rows = rows
        self.strokes = [place_on_canvas(r.strokes, rng) for r in rows]
        features = [recognizer.stroke_features(s, (SIZE, SIZE)) for s in self.strokes]
        self.features = np.array([f if f is not None else np.zeros((8, 8)) for f in features])
        self.labels = np.array([r.label for r in rows])
        self.writer = np.array([r.writer for r in rows])

    def split(self, writer: int, k: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
        """k of each digit as theirs, the rest of this writer's digits as the test."""
        own = np.flatnonzero(self.writer == writer)
        mine = np.concatenate([
            rng.choice(own[self.labels[own] == digit], k, replace=False) for digit in range(10)
        ])  # fmt: skip
        return mine, np.setdiff1d(own, mine)


def evaluate(
    writers: Writers,
    scored: list[int],
    base: Network,
    rehearsal: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    k: int,
    results: dict[str, list[tuple[float, ...]]],
) -> None:
    """Append (writer, before, after, others before, others after, load_digits, s) rows."""
    others = np.isin(writers.writer, scored)
    knn = KNeighborsClassifier(3)
    for writer in scored:
        for draw in range(DRAWS):
            mine, rest = writers.split(writer, k, np.random.default_rng(1000 * k + draw))
            away = others & (writers.writer != writer)
            theirs = (writers.features[rest], writers.labels[rest])
            elsewhere = (writers.features[away], writers.labels[away])
            before, others_before = accuracy_on(base, theirs), accuracy_on(base, elsewhere)
            user = (writers.features[mine], writers.labels[mine])
            for name, (renderings, share) in RECIPES.items():
                started = time.perf_counter()
                tuned = tune(base, user, [writers.strokes[i] for i in mine], rehearsal,
                             seed=draw, renderings=renderings, share=share)  # fmt: skip
                seconds = time.perf_counter() - started
                alone = tuned.copy()
                del alone.metadata[VOTE]
                for model, how in ((tuned, "with your samples' vote (the app's)"),
                                   (alone, "the tuned network alone")):  # fmt: skip
                    results.setdefault(f"{name}, {how}", []).append((
                        writer, before, accuracy_on(model, theirs),
                        others_before, accuracy_on(model, elsewhere),
                        accuracy_on(model, test), seconds,
                    ))  # fmt: skip
            started = time.perf_counter()
            X = np.concatenate([rehearsal[0], user[0]]).reshape(-1, 64)
            knn.fit(X, np.concatenate([rehearsal[1], user[1]]))
            score: Callable[[tuple[np.ndarray, np.ndarray]], float] = lambda glyphs: float(  # noqa: E731
                np.mean(knn.predict(glyphs[0].reshape(-1, 64)) == glyphs[1])
            )
            results.setdefault("peer: 3-NN (scikit-learn)", []).append((
                writer, before, score(theirs), others_before, score(elsewhere), score(test),
                time.perf_counter() - started,
            ))  # fmt: skip


def report(title: str, k: int, results: dict[str, list[tuple[float, ...]]]) -> None:
    print(f"\n{title}, k = {k} per digit ({10 * k} samples), {DRAWS} draws each")
    print("| recipe | mean before -> after | worst writer | made worse | others | "
          "load_digits | time |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for name, rows in results.items():
        table = np.array(rows)
        writers = np.unique(table[:, 0])
        per_writer = np.array([table[table[:, 0] == w].mean(axis=0) for w in writers])
        worse = int(np.sum(per_writer[:, 2] < per_writer[:, 1] - 0.005))
        change = (table[:, 4] - table[:, 3]) * 100
        print(f"| {name} | {per_writer[:, 1].mean():.2%} -> {per_writer[:, 2].mean():.2%} | "
              f"{per_writer[:, 1].min():.2%} -> {per_writer[:, 2].min():.2%} | "
              f"{worse} of {len(writers)} | {change.mean():+.2f} pt (worst {change.min():+.2f}) | "
              f"{table[:, 5].min():.2%} | {np.median(table[:, 6]):.1f} s |")  # fmt: skip


def held_out(writers: Writers, recognizer: Recognizer, ks: list[int]) -> None:
    corpus = Corpus.bundled()
    rehearsal, test = rehearsal_set(corpus), corpus.test_set()
    for k in ks:
        results: dict[str, list[tuple[float, ...]]] = {}
        evaluate(writers, list(VALIDATION_WRITERS), recognizer.network, rehearsal, test, k,
                 results)  # fmt: skip
        report(f"Held-out writers {VALIDATION_WRITERS}, the bundled model", k, results)


def grouped(writers: Writers, rows: list[PenDigit], folds: int, ks: list[int]) -> None:
    shipped = Corpus.bundled()
    pen = shipped.sources.index("pen-drawn")
    recipe, config = CorpusRecipe(), TrainingConfig()
    train_x, train_y, train_w = pen_features(rows, recipe.pen_renderings, recipe.seed)
    groups = np.array_split(np.random.default_rng(0).permutation(np.unique(writers.writer)), folds)
    results: dict[int, dict[str, list[tuple[float, ...]]]] = {k: {} for k in ks}
    for group in groups:
        others = (shipped.role == TRAIN) & (shipped.source != pen)
        others &= np.isin(shipped.source, [shipped.sources.index(s) for s in config.sources])
        keep = ~np.isin(train_w, group)
        features = np.concatenate([shipped.features[others], train_x[keep]]).astype(np.uint8)
        labels = np.concatenate([shipped.labels[others], train_y[keep]])
        scored = np.isin(writers.writer, group)
        data = TrainingData(features=features, labels=labels, sources=config.sources,
                            test=shipped.test_set(),
                            drawn=(writers.features[scored], writers.labels[scored]))  # fmt: skip
        base = train(config, data).network
        pick = np.random.default_rng(0).permutation(len(labels))[:6000]
        for k in ks:
            evaluate(writers, [int(w) for w in group], base, (features[pick], labels[pick]),
                     shipped.test_set(), k, results[k])  # fmt: skip
    for k in ks:
        report(f"Grouped by writer, {folds} folds over {len(np.unique(writers.writer))} "
               "writers (Train tab defaults per fold)", k, results[k])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="pendigits_train.jsonl")
    parser.add_argument("--k", type=int, nargs="+", default=[1, 2, 5], help="samples per digit")
    parser.add_argument("--held-out", action=argparse.BooleanOptionalAction, default=True,
                        help="the 6 held-out writers and the bundled model (default)")  # fmt: skip
    parser.add_argument("--grouped", action="store_true", help="5 folds over all writers")
    args = parser.parse_args()
    rows = read_pendigits(args.data)
    recognizer = Recognizer.default()
    writers = Writers(rows, recognizer)
    if args.held_out:
        held_out(writers, recognizer, args.k)
    if args.grouped:
        grouped(writers, rows, 5, args.k)


if __name__ == "__main__":
    main()
