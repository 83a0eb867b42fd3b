"""A small corpus for fast GUI tests: a few load_digits glyphs to train on, and the real
test split and drawn digits of unseen writers from the shipped corpus to measure on."""

from __future__ import annotations

import numpy as np

from desktop.data.corpus import TEST, TRAIN, VALIDATION, Corpus, InMemory


def small_corpus(n_train: int = 300) -> InMemory:
    shipped = Corpus.bundled()
    train = np.flatnonzero((shipped.role == TRAIN) & (shipped.source == 0))[:n_train]
    test_x, test_y = shipped.test_set()
    drawn_x, drawn_y, drawn_w = shipped.drawn_validation()
    return InMemory(
        Corpus.assemble(
            [
                ("load_digits", shipped.features[train], shipped.labels[train], None, TRAIN),
                ("load_digits", test_x, test_y, None, TEST),
                ("pen-drawn", drawn_x, drawn_y, drawn_w, VALIDATION),
            ]
        )
    )
