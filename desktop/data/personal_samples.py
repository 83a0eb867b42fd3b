"""The user's own labelled drawings, kept in the user's database without Qt.

Each sample is the drawing's strokes (canvas units), its 8x8 features and the digit the
user says it is: one row of :mod:`desktop.data.user_database`, written in a transaction
of its own, so keeping one costs the same however many there are, and two windows that
keep samples at once lose none (each sees the other's after :meth:`SampleStore.refresh`).
The JSON-lines file of earlier versions is imported once and kept as a backup. Samples
can be exported to and imported from the UCI optdigits text format: one line per sample,
64 integers 0..16 and the class, separated by commas.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from desktop.data.user_database import UserDataError, open_database, transaction
from desktop.files import write_atomically
from desktop.words import counted, plural

FILE_NAME = "samples.jsonl"  # where earlier versions kept samples: imported once


@dataclass(frozen=True)
class Sample:
    """A labelled drawing: ``features`` (8, 8) 0..16; ``strokes`` empty when imported."""

    label: int
    features: np.ndarray
    strokes: tuple[np.ndarray, ...] = field(default=())
    created: float = 0.0
    id: int | None = None  # its row in the database, once kept

    def strokes_json(self) -> str:
        """The strokes as JSON (rounded to 0.01 canvas units)."""
        return json.dumps([np.round(s, 2).tolist() for s in self.strokes])

    @classmethod
    def from_json(cls, line: str) -> Sample:
        """Read one line of the samples file; ``ValueError``/``KeyError`` if malformed."""
        values = json.loads(line)
        label, features = values["label"], np.asarray(values["features"], dtype=np.float64)
        _check(label, features)
        strokes = tuple(np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in values["strokes"])
        return cls(int(label), features.reshape(8, 8), strokes, float(values.get("created", 0)))


class SampleStore:
    """The user's samples in ``folder``'s database; every change is saved before it returns.

    Raises :class:`~desktop.data.user_database.UserDataError` (plain words) when the
    database cannot be opened or written; the store in memory is then unchanged.
    """

    def __init__(self, folder: str | Path | None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self.connection, self.database_note = open_database(self.folder)  # None: in memory
        # When lines of an imported file could not be read: how many, and where they went.
        self.set_aside: tuple[int, Path] | None = None
        if self.folder is not None:
            self._import_earlier_file(self.folder / FILE_NAME)
        self.samples: list[Sample] = self._load()

    def refresh(self) -> bool:
        """Read the samples again (another window may have changed them); True if changed."""
        samples = self._load()
        changed = [s.id for s in samples] != [s.id for s in self.samples]
        self.samples = samples
        return changed

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

    def notes(self) -> list[str]:
        """What opening the store found that the user should hear about (said once)."""
        return [note for note in (self.database_note, self.set_aside_note()) if note]

    def counts(self) -> np.ndarray:
        """Number of samples of each digit, shape (10,)."""
        return np.bincount([s.label for s in self.samples], minlength=10)

    def add(self, label: int, features: np.ndarray, strokes: Sequence[np.ndarray] = ()) -> Sample:
        """Keep a labelled drawing."""
        return self.add_all([(label, features, strokes)])[0]

    def add_all(
        self, drawings: Sequence[tuple[int, np.ndarray, Sequence[np.ndarray]]]
    ) -> list[Sample]:
        """Keep several labelled drawings (label, features, strokes), all or none."""
        now = time.time()
        new = []
        for label, features, strokes in drawings:
            _check(label, np.asarray(features))
            new.append(Sample(
                int(label),
                np.asarray(features, dtype=np.float64).reshape(8, 8),
                tuple(np.asarray(s, dtype=np.float64) for s in strokes),
                now,
            ))  # fmt: skip
        with transaction(self.connection) as connection:
            kept = [_insert(connection, sample) for sample in new]
        self.samples.extend(kept)
        return kept

    def remove(self, *samples: Sample) -> None:
        """Forget these very samples (an undone "keep", a delete), all or none."""
        gone = {sample.id for sample in samples}
        with transaction(self.connection) as connection:
            connection.executemany("DELETE FROM samples WHERE id = ?", [(i,) for i in gone])
        self.samples = [s for s in self.samples if s.id not in gone]

    def restore(self, samples: Sequence[Sample]) -> None:
        """Bring back deleted ``samples`` (an undone delete), under their old rows."""
        with transaction(self.connection) as connection:
            for sample in samples:
                _insert(connection, sample, keep_id=True)
        self.samples = self._load()

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
        write_atomically(Path(path), "".join(lines).encode("utf-8"))
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
        self.refresh()
        seen = {_key(s) for s in self.samples}
        added = []
        for sample in imported:
            if _key(sample) not in seen:
                seen.add(_key(sample))
                added.append(sample)
        with transaction(self.connection) as connection:
            kept = [_insert(connection, sample) for sample in added]
        self.samples.extend(kept)
        return len(added), len(imported) - len(added)

    def _load(self) -> list[Sample]:
        try:
            rows = self.connection.execute(
                "SELECT id, label, features, strokes, created FROM samples ORDER BY id"
            ).fetchall()
        except sqlite3.Error as error:
            raise UserDataError(f"Your samples could not be read: {error}.") from None
        return [_sample(row) for row in rows]

    def _import_earlier_file(self, path: Path) -> None:
        """Move the samples of an earlier version's file into the database, once.

        Every readable line is imported; unreadable ones (a torn write, a byte that is
        not UTF-8) go to a side file, never lost. The file itself is renamed, kept as a
        backup. Two windows starting together import it once: the second finds it gone.
        """
        with transaction(self.connection) as connection:
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                return
            except OSError as error:
                raise UserDataError(f"{path} cannot be read: {error}.") from None
            good, bad = [], []
            for number, raw in enumerate(data.splitlines()):
                line = raw.removeprefix(b"\xef\xbb\xbf") if number == 0 else raw  # a BOM
                if not line.strip():
                    continue
                try:  # a byte that is not UTF-8 costs its line only
                    good.append(Sample.from_json(line.decode("utf-8")))
                except (ValueError, KeyError, TypeError, RecursionError):
                    bad.append(raw)
            for sample in good:
                _insert(connection, sample)
            try:  # a full or read-only disk: nothing imported, the file left as it is
                if bad:
                    side = path.with_name(f"{FILE_NAME}.unreadable-{int(time.time())}")
                    write_atomically(side, b"".join(line + b"\n" for line in bad))
                    self.set_aside = (len(bad), side)
                os.replace(path, path.with_name(f"{FILE_NAME}.imported"))
            except OSError as error:
                raise UserDataError(f"{path} could not be imported: {error}.") from None


def _insert(connection: sqlite3.Connection, sample: Sample, keep_id: bool = False) -> Sample:
    """Write ``sample`` as a new row (under its old id with ``keep_id``); the sample kept."""
    values = (sample.label, sample.features.astype(np.uint8).tobytes(),
              sample.strokes_json(), sample.created)  # fmt: skip
    if keep_id and sample.id is not None:
        connection.execute(
            "INSERT OR IGNORE INTO samples (id, label, features, strokes, created) "
            "VALUES (?, ?, ?, ?, ?)", (sample.id, *values),
        )  # fmt: skip
        return sample
    cursor = connection.execute(
        "INSERT INTO samples (label, features, strokes, created) VALUES (?, ?, ?, ?)", values
    )
    return replace(sample, id=cursor.lastrowid)


def _sample(row: tuple[int, int, bytes, str, float]) -> Sample:
    identifier, label, features, strokes, created = row
    return Sample(
        int(label),
        np.frombuffer(features, dtype=np.uint8).astype(np.float64).reshape(8, 8),
        tuple(np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in json.loads(strokes)),
        float(created),
        int(identifier),
    )


def _key(sample: Sample) -> tuple[int, bytes]:
    """What makes two samples the same: the digit and the 8x8 counts."""
    return sample.label, sample.features.astype(np.uint8).tobytes()


def _check(label: object, features: np.ndarray) -> None:
    if not isinstance(label, int | np.integer) or isinstance(label, bool) or not 0 <= label <= 9:
        raise ValueError(f"the class must be a digit 0..9, got {label!r}")
    if features.size != 64 or not np.all((features >= 0) & (features <= 16)):
        raise ValueError("the features must be 64 values between 0 and 16")


def open_store(folder: str | Path) -> tuple[SampleStore, list[str]]:
    """The user's samples, and notes to tell them; never fails.

    A folder that cannot hold the database (read-only, full, not a folder) gives a store
    in memory: samples kept this session work, and the note says they will not last.
    """
    try:
        store = SampleStore(folder)
    except UserDataError as error:
        note = (
            f"{error} The samples you keep now last until you close Digit Pad; fix the "
            "folder and start it again to keep them for good."
        )
        return SampleStore(None), [note]
    return store, store.notes()
