"""One labelled drawing of the user's: what the store keeps and the sample files hold."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np


@dataclass(frozen=True)
class Sample:
    """A labelled drawing: ``features`` (8, 8) 0..16; ``strokes`` empty when imported.

    ``stroke_data`` is the strokes, or their JSON text as the database holds it: read
    only when :attr:`strokes` is first asked for, because reading every sample's strokes
    made opening a store of 10,000 samples take most of a second, and training, counting
    and the samples list need only the 8x8 features.
    """

    label: int
    features: np.ndarray
    stroke_data: tuple[np.ndarray, ...] | str = field(default=())
    created: float = 0.0
    id: int | None = None  # its row in the database, once kept

    @cached_property
    def strokes(self) -> tuple[np.ndarray, ...]:
        """The strokes, each (n, 2) in canvas units."""
        if not isinstance(self.stroke_data, str):
            return self.stroke_data
        return _strokes(json.loads(self.stroke_data))

    def strokes_json(self) -> str:
        """The strokes as JSON (rounded to 0.01 canvas units)."""
        if isinstance(self.stroke_data, str):
            return self.stroke_data
        return json.dumps([np.round(s, 2).tolist() for s in self.strokes])

    @classmethod
    def from_json(cls, line: str) -> Sample:
        """Read one line of the samples file; ``ValueError``/``KeyError`` if malformed."""
        values = json.loads(line)
        label, features = values["label"], np.asarray(values["features"], dtype=np.float64)
        check_sample(label, features)
        strokes = _strokes(values["strokes"])
        return cls(int(label), features.reshape(8, 8), strokes, float(values.get("created", 0)))

    def to_json(self) -> str:
        """The sample as one line of JSON (what :meth:`from_json` reads)."""
        return json.dumps({
            "label": self.label,
            "features": self.features.astype(int).ravel().tolist(),
            "strokes": json.loads(self.strokes_json()),
            "created": self.created,
        })  # fmt: skip


def _strokes(lists: list[list[list[float]]]) -> tuple[np.ndarray, ...]:
    return tuple(np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in lists)


def check_sample(label: object, features: np.ndarray) -> None:
    """``ValueError`` unless ``label`` is a digit and ``features`` 64 counts 0..16."""
    if not isinstance(label, int | np.integer) or isinstance(label, bool) or not 0 <= label <= 9:
        raise ValueError(f"the class must be a digit 0..9, got {label!r}")
    if features.size != 64 or not np.all((features >= 0) & (features <= 16)):
        raise ValueError("the features must be 64 values between 0 and 16")
