"""The user's own labelled drawings, kept on disk without Qt.

Each sample is the drawing's strokes (canvas units), its 8x8 features and the digit the
user says it is. The file is JSON lines, rewritten atomically on every change (temporary
file, fsync, rename), so a crash or a kill mid-write leaves the previous version intact.
Samples can be exported to and imported from the UCI optdigits text format: one line per
sample, 64 integers 0..16 and the class, separated by commas.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from desktop.files import write_atomically
from desktop.words import counted, plural

FILE_NAME = "samples.jsonl"


@dataclass(frozen=True)
class Sample:
    """A labelled drawing: ``features`` (8, 8) 0..16; ``strokes`` empty when imported."""

    label: int
    features: np.ndarray
    strokes: tuple[np.ndarray, ...] = field(default=())
    created: float = 0.0

    def to_json(self) -> str:
        """One line of the samples file."""
        return json.dumps(
            {
                "label": self.label,
                "features": self.features.astype(int).ravel().tolist(),
                "strokes": [np.round(s, 2).tolist() for s in self.strokes],
                "created": self.created,
            }
        )

    @classmethod
    def from_json(cls, line: str) -> Sample:
        """Read one line of the samples file; ``ValueError``/``KeyError`` if malformed."""
        values = json.loads(line)
        label, features = values["label"], np.asarray(values["features"], dtype=np.float64)
        _check(label, features)
        strokes = tuple(np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in values["strokes"])
        return cls(int(label), features.reshape(8, 8), strokes, float(values.get("created", 0)))


class SampleStore:
    """Samples in ``folder``/samples.jsonl; every change is saved before it returns."""

    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / FILE_NAME
        self.samples: list[Sample] = []
        # When lines could not be read: how many, and the side file that keeps them.
        self.set_aside: tuple[int, Path] | None = None
        if self.path.exists():
            self._read()

    def set_aside_note(self) -> str | None:
        """What to tell the user about lines set aside when the file was read, or None."""
        if self.set_aside is None:
            return None
        count, side = self.set_aside
        return (
            f"{counted(count, 'line')} of your samples file could not be read and "
            f"{plural(count, 'was', 'were')} set aside, not deleted, in {side}. Your other "
            f"{len(self.samples)} samples are loaded."
        )

    def counts(self) -> np.ndarray:
        """Number of samples of each digit, shape (10,)."""
        return np.bincount([s.label for s in self.samples], minlength=10)

    def add(self, label: int, features: np.ndarray, strokes: Sequence[np.ndarray] = ()) -> Sample:
        """Keep a labelled drawing."""
        _check(label, np.asarray(features))
        sample = Sample(
            int(label),
            np.asarray(features, dtype=np.float64).reshape(8, 8),
            tuple(np.asarray(s, dtype=np.float64) for s in strokes),
            time.time(),
        )
        self._save([*self.samples, sample])
        return sample

    def remove(self, sample: Sample) -> None:
        """Forget this very sample (an undone "keep")."""
        self._save([s for s in self.samples if s is not sample])

    def replace(self, samples: Sequence[Sample]) -> None:
        """Make the store hold exactly ``samples`` (an undone delete)."""
        self._save(list(samples))

    def delete(self, index: int) -> None:
        """Forget sample ``index``."""
        remaining = self.samples[:index] + self.samples[index + 1 :]
        self._save(remaining)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Features (n, 8, 8) and labels (n,)."""
        if not self.samples:
            return np.zeros((0, 8, 8)), np.zeros(0, dtype=np.int64)
        return (
            np.array([s.features for s in self.samples]),
            np.array([s.label for s in self.samples], dtype=np.int64),
        )

    def export_optdigits(self, path: str | Path) -> int:
        """Write the samples in the optdigits text format; returns how many."""
        lines = [
            ",".join(str(int(v)) for v in s.features.ravel()) + f",{s.label}\n"
            for s in self.samples
        ]
        _atomic_write(Path(path), "".join(lines))
        return len(lines)

    def import_optdigits(self, path: str | Path) -> tuple[int, int]:
        """Add the samples of an optdigits text file; all or nothing.

        Returns (added, skipped): a sample the store already holds (same digit, same
        8x8 counts) is skipped, so importing a file twice adds nothing the second time.
        Raises ``ValueError`` naming the first bad line (and keeps the store unchanged).
        """
        imported = []
        with open(path, encoding="utf-8", errors="replace") as stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                parts = line.strip().split(",")
                try:
                    values = [int(part) for part in parts]
                except ValueError:
                    raise ValueError(
                        f"line {number} is not 65 whole numbers separated by commas"
                    ) from None
                if len(values) != 65:
                    raise ValueError(f"line {number} has {len(values)} numbers, not 65")
                features, label = np.array(values[:64], dtype=np.float64), values[64]
                try:
                    _check(label, features)
                except ValueError as error:
                    raise ValueError(f"line {number}: {error}") from None
                imported.append(Sample(label, features.reshape(8, 8), (), time.time()))
        if not imported:
            raise ValueError("the file holds no samples")
        seen = {_key(s) for s in self.samples}
        added = []
        for sample in imported:
            if _key(sample) not in seen:
                seen.add(_key(sample))
                added.append(sample)
        self._save([*self.samples, *added])
        return len(added), len(imported) - len(added)

    def _read(self) -> None:
        """Load every readable line; unreadable ones go to a side file, never lost.

        A torn last line (a crash mid-write by another program) or a corrupted one costs
        only itself. A file that is not text at all is set aside whole.
        """
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            side = self._side_file()
            os.replace(self.path, side)
            self.set_aside = (1, side)
            return
        good, bad = [], []
        for line in lines:
            if not line.strip():
                continue
            try:
                good.append(Sample.from_json(line))
            except (ValueError, KeyError, TypeError):
                bad.append(line)
        self.samples = good
        if bad:
            side = self._side_file()
            _atomic_write(side, "".join(line + "\n" for line in bad))
            self._save(good)  # the samples file holds the good lines only, from now on
            self.set_aside = (len(bad), side)

    def _side_file(self) -> Path:
        return self.path.with_name(f"{FILE_NAME}.unreadable-{int(time.time())}")

    def _save(self, samples: list[Sample]) -> None:
        _atomic_write(self.path, "".join(s.to_json() + "\n" for s in samples))
        self.samples = samples  # only once the file on disk says so


def _key(sample: Sample) -> tuple[int, bytes]:
    """What makes two samples the same: the digit and the 8x8 counts."""
    return sample.label, sample.features.astype(np.uint8).tobytes()


def _check(label: object, features: np.ndarray) -> None:
    if not isinstance(label, int | np.integer) or isinstance(label, bool) or not 0 <= label <= 9:
        raise ValueError(f"the class must be a digit 0..9, got {label!r}")
    if features.size != 64 or not np.all((features >= 0) & (features <= 16)):
        raise ValueError("the features must be 64 values between 0 and 16")


def _atomic_write(path: Path, text: str) -> None:
    write_atomically(path, text.encode("utf-8"))
