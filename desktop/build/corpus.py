"""Build the shipped corpus (``resources/corpus.npz``) from the raw UCI files and load_digits.

``python -m desktop.build corpus --pendigits PATH --optdigits PATH`` (seeded, about a
minute). The raw files stay outside the repository; only 8x8 features are written:

- load_digits: its fixed train/test split;
- optdigits: 3,823 glyphs of 30 more writers (writers unknown), for training;
- pen-drawn: the pen-digits of 24 writers, each digit drawn on the canvas as written and
  in ``pen_renderings - 1`` jittered versions, for training; the 6 writers of
  ``VALIDATION_WRITERS`` drawn once each, never trained on;
- distorted: copies of load_digits' training glyphs; synthetic: template pen digits.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from desktop.data.augmentation import augmented
from desktop.data.corpus import TEST, TRAIN, VALIDATION, Corpus
from desktop.data.digits import load_digit_images, split_load_digits
from desktop.data.pendigits import pen_features, read_pendigits
from desktop.data.synthetic import synthetic_features
from desktop.recognition.preprocessing import DEFAULT_SETTINGS

# Six of the 30 pen-digits writers, drawn once at random (seed 2026) and fixed: nothing
# trains on them, so a figure on them is a figure on handwriting the model never saw.
VALIDATION_WRITERS = (1, 5, 11, 15, 18, 22)


@dataclass(frozen=True)
class CorpusRecipe:
    """Everything that decides the shipped corpus."""

    seed: int = 0
    pen_renderings: int = 3
    distorted_copies: int = 10
    synthetic_per_digit: int = 1200


def read_optdigits(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """Read optdigits text (64 counts and the class per line): features (n, 8, 8), labels."""
    try:
        values = np.loadtxt(path, delimiter=",", dtype=np.int64, ndmin=2)
    except ValueError as error:
        raise ValueError(f"{path} is not optdigits text: {error}") from None
    if values.shape[1] != 65 or values[:, :64].min() < 0 or values[:, :64].max() > 16:
        raise ValueError(f"{path}: every line must be 64 counts 0..16 and a class")
    return values[:, :64].reshape(-1, 8, 8).astype(np.float64), values[:, 64]


def build_corpus(
    pendigits: str | Path, optdigits: str | Path, recipe: CorpusRecipe = CorpusRecipe()
) -> Corpus:
    """Every source, featurised through the app's own pipeline; seeded end to end."""
    images, labels = load_digit_images()
    train_x, test_x, train_y, test_y = split_load_digits(images, labels)
    extra_x, extra_y = read_optdigits(optdigits)
    pen = read_pendigits(pendigits)
    held_out = [d for d in pen if d.writer in VALIDATION_WRITERS]
    trained = [d for d in pen if d.writer not in VALIDATION_WRITERS]
    pen_x, pen_y, pen_w = pen_features(trained, recipe.pen_renderings, recipe.seed)
    val_x, val_y, val_w = pen_features(held_out, 1, recipe.seed + 1)
    distorted_x, distorted_y = augmented(train_x, train_y, recipe.distorted_copies, recipe.seed)
    synthetic_x, synthetic_y = synthetic_features(
        recipe.synthetic_per_digit, recipe.seed + 2, DEFAULT_SETTINGS
    )
    return Corpus.assemble(
        [
            ("load_digits", train_x, train_y, None, TRAIN),
            ("load_digits", test_x, test_y, None, TEST),
            ("optdigits", extra_x, extra_y, None, TRAIN),
            ("pen-drawn", pen_x, pen_y, pen_w, TRAIN),
            ("pen-drawn", val_x, val_y, val_w, VALIDATION),
            ("distorted", distorted_x, distorted_y, None, TRAIN),
            ("synthetic", synthetic_x, synthetic_y, None, TRAIN),
        ]
    )


def details(recipe: CorpusRecipe) -> dict[str, object]:
    """What to record in the corpus file's header."""
    return {
        "recipe": asdict(recipe),
        "validation_writers": list(VALIDATION_WRITERS),
        "preprocessing": DEFAULT_SETTINGS.to_dict(),
    }
